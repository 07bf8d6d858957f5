"""Drop the MathJax files the built book never loads (run by ``make book`` after the build).

sphinx-mathjax-offline copies all of MathJax 3 into ``_static/mathjax`` (24 MB), but every page
loads one combined component, ``tex-chtml.js``; the other combined components (``tex-svg.js``,
``tex-mml-chtml.js``, ``tex-chtml-full-speech.js``, ...) and the SVG output module are never
requested.  This removes the combined components no page names and, when no page uses SVG output,
``output/svg*``.  Everything a loaded component can fetch later (input/output extensions, fonts,
the accessibility and menu modules with their speech engine) stays.  The browser tests check that
math still typesets on every page.

Usage: ``python tools/trim_mathjax.py _build/html``
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

#: A combined MathJax component at the top of the mathjax folder (an entry point, not a dependency).
COMBINED = re.compile(r"^(tex|mml)-[\w-]+\.js$|^node-main\.js$")


def referenced(html: Path) -> set[str]:
    """Names of the top-level MathJax files that the pages under ``html`` load."""
    names: set[str] = set()
    for page in html.rglob("*.html"):
        names.update(re.findall(r"_static/mathjax/([\w.-]+\.js)", page.read_text(errors="replace")))
    return names


def trim(html: Path) -> tuple[list[str], int]:
    """Remove unused combined components (and SVG output if unused); returns (removed, bytes freed)."""
    folder = html / "_static" / "mathjax"
    if not folder.is_dir():
        return [], 0
    used = referenced(html)
    if not used:
        raise ValueError(f"html: no page under {html} loads MathJax from _static/mathjax; nothing to keep")
    doomed = [p for p in folder.iterdir() if p.is_file() and COMBINED.match(p.name) and p.name not in used]
    if not any("svg" in name for name in used):
        doomed += [p for p in (folder / "output" / "svg", folder / "output" / "svg.js") if p.exists()]
    freed = 0
    for p in doomed:
        if p.is_dir():
            freed += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
            shutil.rmtree(p)
        else:
            freed += p.stat().st_size
            p.unlink()
    return sorted(p.name for p in doomed), freed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    removed, freed = trim(Path(argv[0]))
    print(f"trim_mathjax: removed {len(removed)} unused MathJax files ({freed / 1e6:.1f} MB): {', '.join(removed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
