"""Write the claims ledger, book/claims.md, from the claim registry (``vanishing.claims``).

Every claim the book checks is one entry of the registry: its source, its text, the section that
shows it, and the function that judges it.  The chapter that checks a claim calls
``vanishing.notebook.show_claim``, which glues ``ch<N>_claim_<name>_value``, ``..._verdict`` and
``..._rule``.  This script writes one table row per claim, grouped by source:

    | claim | {glue:text}`/chapters/NN.ipynb::<prefix>_value:s` | {glue:text}`...::<prefix>_verdict:s`
      | {ref}`<section>` |

Only chapters that ``_toc.yml`` lists are included (a notebook outside the book cannot be glued
from).  A claim whose chapter is in the book but does not glue it fails the build (an unknown
glue key is a Sphinx warning, and the book builds with -W).  ``make book`` runs this first; the
file is rewritten only when its content changes.

Usage: python tools/claims_ledger.py [--check] [--toc PATH]
    --check: exit 1 if book/claims.md is stale; --toc: another toc (a private build's).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from vanishing.claims import REGISTRY, SOURCES
from vanishing.notebook import superscripts

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "book" / "claims.md"
TOC = ROOT / "_toc.yml"


def toc_notebooks(toc_path: Path = TOC) -> dict[int, Path]:
    """Chapter notebooks listed in the toc, by chapter number (1 -> chapters/01_....ipynb)."""
    found = {}
    for name in re.findall(r"file:\s*(chapters/[0-9]{2}_[\w-]+?)(?:\.ipynb)?\s*$", toc_path.read_text(), re.M):
        path = ROOT / f"{name}.ipynb"
        if path.is_file():
            found[int(path.name[:2])] = path
    return found


def section_titles(nb_path: Path) -> dict[str, str]:
    """Plain-text title of each labelled section ``(label)=`` of a notebook."""
    titles, pending = {}, None
    for cell in json.loads(nb_path.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            m = re.match(r"^\(([\w-]+)\)=\s*$", line)
            if m:
                pending = m.group(1)
                continue
            h = re.match(r"^#+\s+(.*)$", line)
            if h and pending:
                titles[pending] = plain_title(h.group(1))
                pending = None
    return titles


def plain_title(heading: str) -> str:
    """A heading as plain link text: inline math $...$ loses its TeX markup."""

    def untex(m: re.Match) -> str:
        t = re.sub(r"\\[,;!]", " ", m.group(1))
        t = re.sub(r"\\([A-Za-z]+)", r"\1", t)
        return t.replace("{", "").replace("}", "").strip()

    return superscripts(re.sub(r"\$([^$]+)\$", untex, heading).replace("`", "").replace("*", "").strip())


#: Caret or underscore text in a claim: a symbol (letters, digits, primes) with a superscript or subscript.
SCRIPTED = re.compile(r"(?<![\w$])([A-Za-z0-9]+[′']?)([\^_])(\{[^}]*\}|[A-Za-z0-9]+)")


def math_text(text: str) -> str:
    """A claim's text for the page: caret and underscore notation as math, ``w^L`` as ``$w^{L}$``,
    ``f′_c`` as ``$f'_{c}$``, ``n_in`` as ``$n_{\\mathrm{in}}$`` (a subscript word is upright)."""

    def one(m: re.Match) -> str:
        base, op, script = m.group(1).replace("′", "'"), m.group(2), m.group(3).strip("{}")
        if op == "_" and len(script) > 1 and script.isalpha():
            script = rf"\mathrm{{{script}}}"
        return f"${base}{op}{{{script}}}$"

    return SCRIPTED.sub(one, text)


def row(c, nb_path: Path, titles: dict[str, str]) -> str:
    """One table row: the claim, its computed value and verdict (glued), and a link to its section."""
    doc = f"/chapters/{nb_path.name}"
    title = titles.get(c.section)
    link = (
        f"{{ref}}`Ch. {c.chapter}: {title.replace('<', chr(92) + '<')} <{c.section}>`"
        if title
        else f"{{ref}}`{c.section}`"
    )
    text = math_text(c.text).replace("|", "\\|")
    return (
        f"| {text} | {{glue:text}}`{doc}::{c.glue_prefix}_value:s` "
        f"| {{glue:text}}`{doc}::{c.glue_prefix}_verdict:s` | {link} |"
    )


def ledger(notebooks: dict[int, Path]) -> tuple[str, int]:
    """The page text, and the number of claims it lists."""
    titles = {n: section_titles(p) for n, p in notebooks.items()}
    out, count = [HEADER], 0
    for key, source in SOURCES.items():
        rows = [
            row(c, notebooks[c.chapter], titles[c.chapter])
            for c in REGISTRY.values()
            if c.source == key and c.chapter in notebooks
        ]
        out.append(f"\n## {source.name}\n\n{source.description} {{cite:p}}`{key}`\n")
        if rows:
            out.append("| Claim | Computed | Verdict | Shown in |\n|---|---|---|---|")
            out.extend(rows)
            count += len(rows)
        else:
            out.append("No claim of this source is checked by a chapter of this build.")
    return "\n".join(out) + "\n", count


HEADER = """(claims-ledger)=
# Claims ledger

Each row is one claim made by a text this book answers, or by a paper behind one of the remedies of
chapter 5, beside the value the book computes for it, the verdict, and a link to the section that
shows the computation. Nothing in the *Computed*
and *Verdict* columns is typed here: both come from the chapters' own computations, so this page
changes when a chapter's results change.

A verdict is one of **holds**, **holds with nuance** (true only under conditions the source does
not state, or only approximately) and **does not hold**, or **undecided** where the runs cannot
tell; the linked section says how it was judged. Claims are quoted or paraphrased."""


def main(argv: list[str]) -> int:
    toc = Path(argv[argv.index("--toc") + 1]) if "--toc" in argv else TOC
    text, count = ledger(toc_notebooks(toc))
    current = LEDGER.read_text() if LEDGER.is_file() else ""
    if "--check" in argv:
        return 0 if current == text else 1
    if current != text:
        LEDGER.write_text(text)
        print(f"claims_ledger: wrote {LEDGER.relative_to(ROOT)}")
    print(f"claims_ledger: {count} claims from the chapters in _toc.yml ({len(REGISTRY)} in the registry)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
