"""Icons from a font of the icons the book shows, and a style sheet without the others' rules.

pydata-sphinx-theme draws its icons (menu, search, colour mode, admonitions, ...) with Font Awesome's
solid web font, ``fa-solid-900.woff2`` (156 KB, about 1,400 icons), and its style sheet carries one
rule per icon, ``.fa-NAME:before{content:"\\f0c9"}`` (88 KB of its 397 KB). Every page fetches both,
for the 20 or so icons the book uses (issue #28). Once Sphinx has written the build:

1. the icons used are the ``fa-NAME`` classes named in any page or script of the build;
2. each icon rule of the theme's style sheet naming no used icon is dropped;
3. the solid font (WOFF2 and TTF) keeps the glyphs of the icon rules kept and of every other
   character a style sheet of the build draws in it (``content:"\\f107"``, the theme's
   ``--pst-icon-...`` variables of admonitions, links and arrows, which hold the character itself).

Re-running on its own output gives the same files, so an incremental build, which copies the theme's
files again or not, ends the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

STYLE_SHEET = Path("_static/styles/pydata-sphinx-theme.css")
FONTS = tuple(Path("_static/vendor/fontawesome/webfonts") / f"fa-solid-900.{ext}" for ext in ("woff2", "ttf"))
#: One icon's rule: its selectors (``.fa-bars:before,.fa-navicon:before``) and its CSS string.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"((?:[^"\\]|\\.)*)"\}')
ICON_NAME = re.compile(r"\bfa-[a-z0-9-]+")
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?")


def used_icons(texts: Iterable[str]) -> set[str]:
    """The ``fa-NAME`` class names that occur in ``texts`` (pages and scripts)."""
    return {name for text in texts for name in ICON_NAME.findall(text)}


def css_string(text: str) -> str:
    """The characters of a CSS string's ``text`` (between its quotes), its escapes undone."""
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], text)


def characters(css: str) -> set[int]:
    """The code points that ``css`` writes outside ASCII, escaped (``\\f0c9``) or as themselves."""
    found = {int(h, 16) for h in CSS_ESCAPE.findall(css)}
    found |= {ord(c) for c in CSS_ESCAPE.sub("", css) if ord(c) > 127}
    return {c for c in found if c > 127}


def prune(css: str, used: set[str]) -> tuple[str, set[int]]:
    """``css`` without the icon rules that name no icon in ``used``, and the code points it still draws.

    A rule is kept whole when one of its names is used (its other names are aliases of one glyph).
    """
    if not isinstance(css, str):
        raise TypeError(f"css: expected str, got {type(css).__name__}")

    def keep(match: re.Match) -> str:
        names = {s.split(":")[0][1:] for s in match.group(1).split(",") if s}
        return match.group(0) if names & used else ""

    kept = ICON_RULE.sub(keep, css)
    drawn = {ord(c) for m in ICON_RULE.finditer(kept) for c in css_string(m.group(2))}
    return kept, drawn | characters(ICON_RULE.sub("", kept))


def subset_font(path: Path, codepoints: set[int]) -> None:
    """Rewrite the font at ``path`` (WOFF2 or TTF) with the glyphs of ``codepoints`` only."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    if not codepoints:
        raise ValueError("codepoints: no icon to keep (the style sheets draw none)")
    options = subset.Options()
    options.flavor = "woff2" if path.suffix == ".woff2" else None
    options.ignore_missing_unicodes = True
    options.name_IDs = ["*"]  # the font's names, its licence's among them
    options.notdef_outline = True
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    font.flavor = options.flavor
    font.save(path)


def lean_icons(outdir: Path) -> tuple[int, int]:
    """Prune the style sheet and subset the solid font of the build in ``outdir``: (icons kept, glyphs kept)."""
    outdir = Path(outdir)
    sheet = outdir / STYLE_SHEET
    if not sheet.is_file():
        raise ValueError(f"outdir: no {STYLE_SHEET} (a theme upgrade that moved it?)")
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in outdir.rglob("*") if p.suffix in (".html", ".js"))
    used = used_icons(texts)
    css, drawn = prune(sheet.read_text(encoding="utf-8"), used)
    sheet.write_text(css, encoding="utf-8")
    for other in (outdir / "_static").rglob("*.css"):
        if other != sheet:
            drawn |= characters(other.read_text(encoding="utf-8", errors="replace"))
    for font in FONTS:
        if (outdir / font).is_file():
            subset_font(outdir / font, drawn)
    return len(ICON_RULE.findall(css)), len(drawn)


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        lean_icons(Path(app.outdir))


def setup(app):
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
