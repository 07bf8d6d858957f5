"""Math typeset once, when the book is built, by KaTeX: the pages carry finished HTML and MathML.

``sphinxcontrib.katex`` with ``katex_prerender`` sends every formula to KaTeX under Node.js while
Sphinx writes the pages, so a reader's browser runs no typesetting script. KaTeX's output holds both
the visible HTML and a MathML copy that screen readers read. This extension points it at the KaTeX
that ``npm ci`` installs (``package.json`` pins the version) and copies the one style sheet and its
WOFF2 fonts into ``_static/katex`` of the build: nothing is loaded from a CDN.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinxcontrib import katex

#: Where the build finds KaTeX, relative to the book's root (installed by ``npm ci``, see the Makefile).
KATEX_DIST = Path("node_modules") / "katex" / "dist"
#: The style sheet's place under ``_static``.
CSS = "katex/katex.min.css"


def woff2_only(css: str) -> str:
    """KaTeX's style sheet with each ``@font-face`` source list cut to its WOFF2 file.

    Every browser that reads the book takes the WOFF2 font (listed first); the WOFF and TrueType
    fallbacks would be dangling references in a build that ships only the WOFF2 files.
    """
    return re.sub(r'(url\(fonts/[\w-]+\.woff2\) format\("woff2"\))(,url\([^)]*\) format\("[\w]+"\))+', r"\1", css)


def _dist(app) -> Path:
    dist = Path(app.srcdir) / KATEX_DIST
    if not (dist / "katex.min.js").is_file():
        raise ExtensionError(f"katex_offline: KaTeX is missing at {dist}; run `npm ci` (`make book` does)")
    return dist


def _start_server_process(cls, rundir: Path, timeout: float):
    """Start sphinxcontrib.katex's render server and connect once it listens.

    The extension's own start connects as soon as the socket file exists, which the server creates
    a moment before it accepts connections: a build then fails now and then with "Connection refused".
    This one retries until the server accepts, the server exits, or ``timeout`` seconds pass.
    """
    path = Path(rundir) / "katex.sock"
    process = subprocess.Popen(
        cls.build_command(socket=path), stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=rundir
    )
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            return process, sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
        if process.poll() is not None:
            raise ExtensionError(f"katex_offline: the KaTeX render server exited with code {process.returncode}")
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.005)


def _configure(app, config) -> None:
    config.katex_prerender = True
    config.katex_js_path = str(_dist(app) / "katex.min.js")
    config.katex_css_path = CSS


def _copy_assets(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    dist = _dist(app)
    target = Path(app.outdir) / "_static" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    (target / "katex.min.css").write_text(woff2_only((dist / "katex.min.css").read_text()))
    for font in sorted((dist / "fonts").glob("*.woff2")):
        shutil.copyfile(font, target / "fonts" / font.name)


def setup(app):
    app.setup_extension("sphinxcontrib.katex")
    katex.KaTeXServer.start_server_process = classmethod(_start_server_process)
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
