"""Precompute the explorers' figures for the HTML book, so that their controls move offline.

For every explorer whose stand-in a built page shows (an element ``data-explorer="NAME"``, written by
``vanishing.widgets.show_explorer``), this renders the figure of every combination of its
controls' grid values (``vanishing.explorers``) with ``vanishing.widgets.render_with_message``,
the function the live explorer redraws with, so a diverging setting shows the same message figure.
Each figure is drawn with ``PIXEL_RATIO`` (1.5) image pixels per CSS pixel (the figure's own dpi, 100, is
its CSS pixels per inch: an explorer's figure is as wide as the text column), so it is shown at the
size it is drawn and stays sharp on a high-density screen; it is reduced to a 256-colour palette
and saved as lossless WebP; the
images, named by their content hash (identical figures are stored once), and ``manifest.js`` go to
``_build/html/_static/explorers/NAME/``, each with the data of its curves as a CSV file
(:func:`frame_csv`, also stored once per content) for the page's "Download this figure's data" link.
``manifest.js`` sets
``window.vanishingExplorers[NAME]`` (a script, because Chromium refuses ``fetch`` of a file
from a ``file://`` page): the controls with their labels, grid texts and defaults, the frames,
and for each combination in row-major order the frame that shows it.  ``book/_static/explorers.js``
builds the controls from it.

Frames are cached in ``_build/.explorer-cache/NAME/KEY`` where KEY hashes src/vanishing,
data/mnist.npz and this file: a rebuild with unchanged sources only copies them.

Usage: python tools/static_explorers.py [--html DIR] [--processes N]
Run after ``jupyter-book build`` (``make book`` does).
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import io
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

from vanishing import explorers  # noqa: E402
from vanishing.figures.style import use_style  # noqa: E402
from vanishing.parallel import pool_map  # noqa: E402
from vanishing.widgets import FigurePNG, render_with_message  # noqa: E402

HTML = ROOT / "_build" / "html"
CACHE = ROOT / "_build" / ".explorer-cache"
#: Image pixels per CSS pixel of the precomputed figures, as the live explorer's redraw
#: (``vanishing.widgets.FigurePNG``): a 7-inch explorer figure is shown 700 CSS pixels wide, from
#: 1,400 image pixels.
#: Image pixels per CSS pixel of the HTML book's frames: 1.5, where the live redraw and the stored
#: default figure use FigurePNG.PIXEL_RATIO = 2. At 2 the frames took 69 MB and the book 98 MB
#: (measured 2026-12-03), over its 80 MB budget; at 1.5 a frame has 56 % of the pixels and stays
#: sharp on a screen of up to 1.5 device pixels per CSS pixel.
PIXEL_RATIO = 1.5
COLORS = 256
MARKER = re.compile(r'data-explorer="([^"]+)"')


def source_hash(root: Path = ROOT) -> str:
    """SHA-256 of every file the frames depend on: ``src/vanishing/**/*.py`` and ``data/mnist.npz``."""
    digest = hashlib.sha256()
    files = sorted((root / "src" / "vanishing").rglob("*.py")) + [root / "data" / "mnist.npz"]
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def page_explorers(html_dir: Path) -> dict[str, list[str]]:
    """Explorer name -> the built pages (relative paths) whose stand-in names it."""
    found: dict[str, list[str]] = {}
    for page in sorted(html_dir.rglob("*.html")):
        if "_static" in page.relative_to(html_dir).parts:
            continue
        for name in MARKER.findall(page.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(page.relative_to(html_dir)))
    return found


def cache_key(explorer: explorers.Explorer, root: Path = ROOT) -> str:
    """A hash of everything a frame depends on: the package and data, this file, the explorer's grid."""
    digest = hashlib.sha256(source_hash(root).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(repr((explorer.name, sorted(explorer.controls.items()))).encode())
    return digest.hexdigest()[:16]


def encode(fig: plt.Figure) -> tuple[bytes, int, int]:
    """``fig`` drawn as the live explorer draws it (``FigurePNG.image``: ``PIXEL_RATIO`` image pixels per
    CSS pixel), as a lossless WebP of a ``COLORS``-colour palette: (bytes, CSS width, CSS height).

    The encoder's effort (``method=2, quality=25``; for lossless WebP the quality sets the effort) writes
    3 % smaller files than its default (4, 50) in 18 % less time on these figures; below quality 25 the
    files grow by a fifth."""
    image, width, height = FigurePNG(fig).image(PIXEL_RATIO)
    buffer = io.BytesIO()
    image.quantize(colors=COLORS, method=Image.Quantize.FASTOCTREE).save(
        buffer, "WEBP", lossless=True, method=2, quality=25
    )
    return buffer.getvalue(), width, height


#: Mathtext commands that CSV headers write as the character they print.
SYMBOLS = {
    "Vert": "‖",
    "partial": "∂",
    "nabla": "∇",
    "eta": "η",
    "sigma": "σ",
    "chi": "χ",
    "lambda": "λ",
    "delta": "δ",
    "prime": "′",
    "sqrt": "√",
    "log": "log",
    "cdot": "·",
    "times": "×",
    "ell": "ℓ",
}


def _plain(label: str) -> str:
    """A matplotlib label as plain text: no dollar signs, braces or backslashes (``$\\eta$`` -> ``η``)."""
    text = re.sub(r"\\[,;:! ]", " ", label)  # mathtext's spaces
    text = re.sub(r"\\([A-Za-z]+)(?: (?=[A-Za-z]))?", lambda m: SYMBOLS.get(m.group(1), m.group(1)), text)
    return re.sub(r"\s+", " ", re.sub(r"[${}]", "", text)).strip()


#: Significant digits of the CSV values: what a figure can show, and few enough bytes that the data
#: of every frame fits the book's size budget (at full precision chapter 4's frames alone took 147 MB).
CSV_DIGITS = 4
#: A curve with more points is written at every k-th point (its first and last kept), k the smallest
#: step that brings it to about this many; its header says so. (At 250, the data of the five
#: explorers took 10.5 MB and the book went over its 80 MB budget; at 100 about 7 MB.)
CSV_POINTS = 100


def _ordinal(n: int) -> str:
    """``n`` as an ordinal: 2nd, 3rd, 11th, 21st."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(value: float) -> str:
    """``value`` to :data:`CSV_DIGITS` significant digits; empty for NaN."""
    return "" if np.isnan(value) else f"{float(value):.{CSV_DIGITS}g}"


def figure_curves(fig: plt.Figure) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """The curves ``fig`` draws: (x header, y header, x, y) per curve, arrays as plotted (NaN where masked).

    Every ``Line2D`` plotted in data coordinates counts (reference lines such as ``axhline`` are drawn
    in axes coordinates and are left out). A header is "panel: curve: axis label"; a panel is named by
    its title, else its y label, and a curve by its legend label (when it has none: the panel's y
    label if the panel draws one curve, else ``line n``, its place among the panel's lines).
    """
    curves = []
    for a, ax in enumerate(fig.axes, start=1):
        panel = _plain(ax.get_title()) or _plain(ax.get_ylabel()) or f"panel {a}"
        xlabel, ylabel = _plain(ax.get_xlabel()) or "x", _plain(ax.get_ylabel()) or "y"
        lines = [line for line in ax.get_lines() if line.get_transform() == ax.transData]
        for n, line in enumerate(lines, start=1):
            label = line.get_label()
            curve = _plain(label) if not label.startswith("_") else ylabel if len(lines) == 1 else f"line {n}"
            xs, ys = (np.ma.filled(np.ma.asarray(v, dtype=float), np.nan) for v in (line.get_xdata(), line.get_ydata()))
            curves.append((f"{panel}: {curve}: {xlabel}", f"{panel}: {curve}: {ylabel}", xs, ys))
    return curves


def curves_csv(curves: list[tuple[str, str, np.ndarray, np.ndarray]]) -> bytes | None:
    """CSV with two columns per curve (its x and y, headed as :func:`figure_curves` names them), one row
    per point, blank below a shorter curve's end; None without curves. Values as :func:`_number`
    writes them; a curve of more than :data:`CSV_POINTS` points is thinned as that constant says."""
    columns = []
    for xhead, yhead, xs, ys in curves:
        xs, ys = np.asarray(xs, dtype=float).ravel(), np.asarray(ys, dtype=float).ravel()
        step = -(-len(xs) // CSV_POINTS) if len(xs) > CSV_POINTS else 1
        if step > 1:
            keep = np.unique(np.r_[np.arange(0, len(xs), step), len(xs) - 1])
            xs, ys = xs[keep], ys[keep]
            xhead, yhead = (f"{h} (every {_ordinal(step)} point)" for h in (xhead, yhead))
        columns += [[xhead] + [_number(v) for v in xs], [yhead] + [_number(v) for v in ys]]
    if not columns:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for i in range(max(len(c) for c in columns)):
        writer.writerow([c[i] if i < len(c) else "" for c in columns])
    return buffer.getvalue().encode("utf-8")


def frame_csv(fig: plt.Figure) -> bytes | None:
    """The data of the curves ``fig`` draws (:func:`figure_curves`) as CSV (:func:`curves_csv`)."""
    return curves_csv(figure_curves(fig))


def render_frame(plot, explorer: explorers.Explorer, position: tuple[int, ...]) -> dict:
    """The frame of ``explorer`` at grid ``position``: image bytes, size, the message if it is one,
    and its curves' data (:func:`frame_csv`)."""
    fig, message = render_with_message(plot, explorer.values(position))
    try:
        data, width, height = encode(fig)
        table = None if message else frame_csv(fig)
    finally:
        plt.close(fig)
    return {"data": data, "width": width, "height": height, "message": message, "csv": table}


def manifest(explorer: explorers.Explorer, frames: list[dict]) -> tuple[dict, dict[str, bytes]]:
    """The manifest of ``explorer`` for ``frames`` (one per combination, row-major), and the files to write.

    Identical images are stored once, under a name made of their content hash, and so are identical
    CSV files of their data (``"csv"``: the file's name, or None for a frame without curves).  A
    frame's ``width`` and ``height`` are the CSS pixels it is shown at; its image has ``pixel_ratio``
    times as many.
    """
    if len(frames) != explorer.n_frames:
        raise ValueError(f"frames: expected {explorer.n_frames} for {explorer.name}, got {len(frames)}")
    files: dict[str, bytes] = {}
    unique: dict[str, int] = {}
    table, grid = [], []
    for frame in frames:
        name = hashlib.sha256(frame["data"]).hexdigest()[:16] + ".webp"
        if name not in unique:
            unique[name] = len(table)
            files[name] = frame["data"]
            data_file = None
            if frame.get("csv"):
                data_file = hashlib.sha256(frame["csv"]).hexdigest()[:16] + ".csv"
                files[data_file] = frame["csv"]
            table.append(
                {
                    "file": name,
                    "width": frame["width"],
                    "height": frame["height"],
                    "message": frame["message"],
                    "csv": data_file,
                }
            )
        grid.append(unique[name])
    controls = [
        {"key": key, "label": c.label, "kind": c.kind, "texts": list(c.texts), "default": i}
        for (key, c), i in zip(explorer.controls.items(), explorer.default_position())
    ]
    return {
        "name": explorer.name,
        "pixel_ratio": PIXEL_RATIO,
        "controls": controls,
        "frames": table,
        "grid": grid,
    }, files


def manifest_script(data: dict) -> str:
    """``manifest.js``: one statement that registers ``data`` under its name in ``window.vanishingExplorers``."""
    return (
        "// Generated by tools/static_explorers.py from vanishing.explorers; read by _static/explorers.js.\n"
        "(window.vanishingExplorers = window.vanishingExplorers || {})["
        + json.dumps(data["name"])
        + "] = "
        + json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        + ";\n"
    )


def read_manifest_text(text: str) -> dict:
    """The manifest data in the text of a ``manifest.js`` written by :func:`manifest_script`."""
    return json.loads(text[text.index("] = ") + 4 :].rstrip().rstrip(";"))


def read_manifest(path: Path) -> dict:
    """The manifest data in the file ``path`` (a ``manifest.js``)."""
    return read_manifest_text(path.read_text(encoding="utf-8"))


def compute(explorer: explorers.Explorer, target: Path, processes: int) -> dict:
    """Render every frame of ``explorer`` into the directory ``target`` (created); return its manifest."""
    plot = explorer.figure()
    func = functools.partial(render_frame, plot, explorer)
    frames = pool_map(func, list(explorer.combinations()), processes=processes, desc=explorer.name)
    data, files = manifest(explorer, frames)
    target.mkdir(parents=True, exist_ok=True)
    for name, payload in files.items():
        (target / name).write_bytes(payload)
    (target / "manifest.js").write_text(manifest_script(data), encoding="utf-8")
    return data


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the pool's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def build_one(explorer: explorers.Explorer, html_dir: Path, cache: Path, processes: int) -> dict:
    """Frames of ``explorer`` from the cache, computed first if missing, copied into the build.

    Returns what was done: frames, unique images, bytes, wall and CPU seconds, whether the cache
    served them.
    """
    start, cpu = time.perf_counter(), cpu_seconds()
    cached = cache / explorer.name / cache_key(explorer)
    hit = (cached / "manifest.js").is_file()
    if not hit:
        shutil.rmtree(cache / explorer.name, ignore_errors=True)  # older keys are stale
        partial = cached.with_name(cached.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        compute(explorer, partial, processes)
        partial.rename(cached)
    out = html_dir / "_static" / "explorers" / explorer.name
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(cached, out)
    data = read_manifest(out / "manifest.js")
    size = sum(p.stat().st_size for p in out.iterdir())
    return {
        "name": explorer.name,
        "frames": len(data["grid"]),
        "images": len(data["frames"]),
        "messages": sum(f["message"] is not None for f in data["frames"]),
        "bytes": size,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds() - cpu,
        "cached": hit,
    }


def build(html_dir: Path = HTML, cache: Path = CACHE, processes: int | None = None) -> list[dict]:
    """Precompute (or copy from the cache) every explorer shown in ``html_dir``; return one report per explorer."""
    if not (html_dir / "index.html").is_file():
        raise FileNotFoundError(f"html_dir: no built book at {html_dir} (run jupyter-book build first)")
    shown = page_explorers(html_dir)
    unknown = sorted(set(shown) - set(explorers.REGISTRY))
    if unknown:
        raise ValueError(f"pages show explorers that are not registered: {unknown} (see vanishing.explorers.chapters)")
    processes = processes or max(1, len(os.sched_getaffinity(0)))
    use_style()
    reports = [build_one(explorers.get(name), html_dir, cache, processes) for name in sorted(shown)]
    for old in (html_dir / "_static" / "explorers").glob("*"):
        if old.is_dir() and old.name not in shown:  # an explorer no page shows any more
            shutil.rmtree(old)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=HTML, help="the built book (default: _build/html)")
    parser.add_argument("--processes", type=int, default=None, help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    reports = build(args.html, CACHE, args.processes)
    for r in reports:
        print(
            f"static_explorers: {r['name']}: {r['frames']} combinations, {r['images']} images "
            f"({r['messages']} messages), {r['bytes'] / 2**20:.1f} MB, {r['seconds']:.1f} s "
            f"({r['cpu_seconds']:.0f} s of CPU)" + (" (from the cache)" if r["cached"] else "")
        )
    print(f"static_explorers: {len(reports)} explorers in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
