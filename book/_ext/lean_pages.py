"""Pages that open with little: no icon script, and figures fetched as the reader scrolls to them.

Changes to every HTML page, once Sphinx has written them:

1. pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` (1.5 MB, "so that users can add
   custom icons", its template says), which walks the page and swaps each icon for an SVG. Its
   style sheet already draws every icon the book uses from Font Awesome's web font, so the
   script is removed from the pages and from the build.
2. Figures in the text get ``loading="lazy"`` and ``decoding="async"``: the browser fetches a
   figure when it comes near the window, so opening a chapter fetches the figures in view only.
3. Highlighted code keeps the colours it shows and drops the rest of its markup: Pygments wraps
   every name, punctuation mark and run of spaces in a ``<span class="n|p|w">`` whose colour is the
   code block's own (in the light and the dark theme alike), so those spans are replaced by their
   text: about 60 % of a code block's elements, 1,750 of chapter 2's 3,000 (issue #28).
4. Sphinx's search (``searchtools.js``, ``language_data.js`` and the index, ``searchindex.js``: 100 KB)
   is loaded by the search page only. The theme loads it on every page for its "search as you type"
   option, which the book leaves off: its search box opens the search page, which loads its own.
5. The colour theme is set before the page is drawn. The theme's first script set ``data-theme`` to
   the stored theme or "auto", which no style rule matches, and its deferred script then set
   "light" or "dark" after the whole page had been styled: every element styled twice (117 ms of
   chapter 2's opening). The first script now sets what the deferred one will (the reader's mode
   if "light" or "dark", else the system's colour scheme), so the second setting changes nothing.
6. A page with no sphinx-design component (no ``sd-`` class: none of the book's pages has one) does
   not load its style sheet (55 KB) and tab script, which Jupyter Book adds to every page.
7. Figures carry their width and height as attributes too, not only in their inline style, which the
   book's style sheet overrides (``height: auto``, so that a figure shrunk to the column keeps its
   shape): from the attributes the browser keeps a figure's place before it is fetched, so the text
   does not jump when a figure comes in as the reader scrolls, nor a section's height (see 8.).
8. The theme's script, on load, reads the width of every code block and output to make those that
   scroll sideways focusable: that lays out the whole page, also the sections off screen that the
   book's style sheet leaves unlaid-out until the reader nears them (content-visibility), which undid
   most of what they save (chapter 2 opened in 0.81 s before, 0.72 s with the sections left out but
   this check kept, 0.48 s without it). The call is taken out of the script; ``_static/scrollable.js``
   does the same for each block as it comes near the window.

A page whose script tag, or a theme script whose call, is not where this expects it fails the build
(a theme upgrade that moved it), rather than keeping the script silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

ICON_SCRIPT = re.compile(r'\s*<script defer src="(?:\.\./)*_static/scripts/fontawesome\.js\?digest=\w+"></script>')
#: The theme's search scripts, which every page but the search page loads (see 4. above).
SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="(?:\.\./)*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)
#: The theme's first script's colour theme, and the one that its deferred script will set (see 5.).
EARLY_THEME = 'document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";'
RESOLVED_THEME = (
    "document.documentElement.dataset.theme = "
    '["light", "dark"].indexOf(document.documentElement.dataset.mode) >= 0 ? document.documentElement.dataset.mode '
    ': matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";'
)
#: sphinx-design's style sheet and script, and a class of one of its components (see 6.).
DESIGN_ASSETS = re.compile(
    r'\s*<link rel="stylesheet" type="text/css" href="(?:\.\./)*_static/sphinx-design\.min\.css(?:\?v=\w+)?" />'
    r'|\s*<script data-sd-tabs-storage-prefix="[^"]*" src="(?:\.\./)*_static/design-tabs\.js(?:\?v=\w+)?"></script>'
)
DESIGN_CLASS = re.compile(r'class="(?:[^"]* )?sd-')
#: The theme's script: its check of the blocks that scroll, and the call that runs it on load (see 8.).
THEME_SCRIPT = Path("_static", "scripts", "pydata-sphinx-theme.js")
SCROLLABLE_CHECK = 'function I(){const e=()=>{document.querySelectorAll(["pre",".nboutput > .output_area",'
SCROLLABLE_CALL = '"complete"===document.readyState?I():window.addEventListener("load",I)'
SCROLLABLE_DONE = "void 0/* the book: _static/scrollable.js */"
#: An <img> without a loading attribute (the explorers' own frames are set by their script).
IMAGE = re.compile(r"<img (?![^>]*\bloading=)")
#: An image sized only by its inline style (see 7.).
SIZED_BY_STYLE = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?style="width: (\d+)px; height: (\d+)px;")')
#: A code block of Pygments' output, and in it a token whose class draws it in the block's own colour.
CODE_BLOCK = re.compile(r'<div class="highlight"><pre>.*?</pre>', re.S)
PLAIN_TOKEN = re.compile(r'<span class="[npw]">([^<]*)</span>')


def lean(page: str, search: bool = False) -> str:
    """``page`` without the icon script, its images loaded lazily and sized by attributes, its code without plain
    tokens' spans.

    Unless ``search`` (the search page), without the search scripts either; without sphinx-design's
    files unless it shows a component of it; its colour theme set before it is drawn. Raises
    ``ValueError`` when the page does not load the icon script, or set the early colour theme,
    exactly once.
    """
    page, removed = ICON_SCRIPT.subn("", page)
    if removed != 1:
        raise ValueError(f"page: expected the theme's fontawesome.js script tag once, found it {removed} times")
    if page.count(EARLY_THEME) != 1:
        raise ValueError(
            f"page: expected the theme's first colour-theme script once, found it {page.count(EARLY_THEME)}"
        )
    page = page.replace(EARLY_THEME, RESOLVED_THEME)
    if not search:
        page = SEARCH_SCRIPTS.sub("", page)
    if not DESIGN_CLASS.search(page):
        page = DESIGN_ASSETS.sub("", page)
    page = CODE_BLOCK.sub(lambda m: PLAIN_TOKEN.sub(r"\1", m.group(0)), page)
    page = SIZED_BY_STYLE.sub(r'<img width="\2" height="\3" \1', page)
    return IMAGE.sub('<img loading="lazy" decoding="async" ', page)


def without_scrollable_check(script: str) -> str:
    """The theme's ``script`` without its call of the scrollable-block check (see 8.), which it must hold
    once; a script already without it is returned as it is. Raises ``ValueError`` otherwise."""
    if SCROLLABLE_DONE in script:
        return script
    if script.count(SCROLLABLE_CHECK) != 1 or script.count(SCROLLABLE_CALL) != 1:
        raise ValueError("expected the theme's check of scrollable blocks and its call on load once each")
    return script.replace(SCROLLABLE_CALL, SCROLLABLE_DONE)


def _written(app, pagename, templatename, context, doctree) -> None:
    """Note each page Sphinx writes in this build (a rebuild writes only the pages that changed)."""
    app.builder._lean_pages = getattr(app.builder, "_lean_pages", set()) | {pagename}


def _rewrite(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    as_you_type = str(app.builder.theme_options.get("search_as_you_type", False)).lower() == "true"
    for pagename in sorted(getattr(app.builder, "_lean_pages", ())):
        path = Path(app.builder.get_outfilename(pagename))
        if not path.is_file():
            continue
        try:
            path.write_text(
                lean(path.read_text(encoding="utf-8"), search=as_you_type or pagename == "search"), encoding="utf-8"
            )
        except ValueError as err:
            raise ExtensionError(f"lean_pages: {path.relative_to(out)}: {err}") from None
    theme = out / THEME_SCRIPT
    try:
        theme.write_text(without_scrollable_check(theme.read_text(encoding="utf-8")), encoding="utf-8")
    except ValueError as err:
        raise ExtensionError(f"lean_pages: {THEME_SCRIPT}: {err}") from None
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (out / "_static" / "scripts" / name).unlink(missing_ok=True)


def setup(app):
    app.connect("html-page-context", _written)
    app.connect("build-finished", _rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
