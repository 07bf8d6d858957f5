"""Figures as lossless WebP: the same pixels in about 40 % of the PNG's bytes.

The chapters' figures are matplotlib's PNGs at twice their CSS size (sharp on high-density screens):
5.5 MB in all, 1.0 MB for chapter 3's surfaces, which its opening fetches, as a lazy image within
the browser's lazy-load distance of the window (issue #28). WebP's lossless mode stores the same
pixels in 2.1 MB in all, 0.5 MB for chapter 3's. Once Sphinx has written the build, each
``_images/NAME.png`` that a page shows gets ``_images/NAME.webp`` beside it (an opaque RGBA figure,
as matplotlib writes them, stored as RGB), and the pages show the WebP whenever it is smaller.
The PNG stays, for a link to it and for an incremental build, which converts only figures new or
changed since their WebP was written.
"""

from __future__ import annotations

import re
from pathlib import Path

#: An image source in a page that names a PNG of the build's figures (``../_images/abc.png``).
FIGURE_SRC = re.compile(r'(<img [^>]*?src="(?:\.\./)*_images/)([^"/]+)\.png"')


def to_webp(png: Path) -> Path:
    """Write ``png`` as a lossless WebP beside it (unless one newer than it is there); its path.

    Raises ``ValueError`` when the WebP does not give back the PNG's pixels.
    """
    from PIL import Image, ImageChops

    webp = png.with_suffix(".webp")
    if webp.is_file() and webp.stat().st_mtime >= png.stat().st_mtime:
        return webp
    with Image.open(png) as image:
        image.load()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # no transparent pixel: the alpha channel says nothing
    image.save(webp, "WEBP", lossless=True, exact=True, method=4, quality=100)
    with Image.open(webp) as back:
        if back.size != image.size or ImageChops.difference(back.convert(image.mode), image).getbbox():
            webp.unlink()
            raise ValueError(f"png: {png.name} does not come back the same from WebP")
    return webp


def lean_figures(page: str, images: Path) -> str:
    """``page`` showing, for each PNG of ``images`` that it shows, its WebP where that is smaller."""

    def swap(match: re.Match) -> str:
        png = images / f"{match.group(2)}.png"
        if not png.is_file():
            return match.group(0)
        webp = to_webp(png)
        if webp.stat().st_size >= png.stat().st_size:
            return match.group(0)
        return f'{match.group(1)}{match.group(2)}.webp"'

    return FIGURE_SRC.sub(swap, page)


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for path in sorted(out.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        lean = lean_figures(page, out / "_images")
        if lean != page:
            path.write_text(lean, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
