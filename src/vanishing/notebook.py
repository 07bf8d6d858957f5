"""Numbers, figures and claim verdicts from a chapter's code into its pages (myst-nb ``glue``).

The prose quotes a computed number as ``{glue:text}`name``` and a figure with the
``{glue:figure}`` directive; :func:`put` and :func:`put_figure` store them in the notebook's
outputs, out of sight of the code (``display=False``).  A :class:`Table` shows rows of results as
a table of the page (Markdown output, which myst-nb and JupyterLab render as a table), so that a
summary reads like the book's other tables, on a phone too, instead of as fixed-width text.
:func:`show_claim` judges a registered claim and shows it where the cell stands, as a compact
badge (the claim in brief, the value the book computed, the verdict) that unfolds into the full
box: the claim and its source, the value, and the rule that gave the verdict.  The badge is an
ordinary HTML output (a closed ``<details>``), so it reads the same in the HTML book and in
JupyterLab, before and after the notebook is run, and the argument around it reads through.
Like ``widgets``, this is a Jupyter-side module: the mathematics never imports it.
"""

from __future__ import annotations

import html
import re

import matplotlib.pyplot as plt
from myst_nb import glue

from vanishing.claims import REGISTRY, SOURCES, judge
from vanishing.claims.registry import Claim, Judgement
from vanishing.prose import pow10, sig, sig_range  # noqa: F401  (the chapters import them from here)


def put(**texts: str) -> None:
    """Glue each keyword as a text for the prose: ``put(ch4_kappa="1,000")``."""
    for name, text in texts.items():
        if not isinstance(text, str):
            raise TypeError(f"{name}: glue a formatted string, got {type(text).__name__}")
        glue(name, text, display=False)


def put_figure(name: str, fig: plt.Figure) -> None:
    """Glue a figure for a ``{glue:figure}`` directive, then close it (it is not shown twice)."""
    glue(name, fig, display=False)
    plt.close(fig)


def and_list(items) -> str:
    """Texts joined for the prose: ``and_list(["5", "10", "15"])`` is ``"5, 10 and 15"``."""
    items = [str(i) for i in items]
    if not items:
        raise ValueError("items: need at least one text")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Table:
    """Rows of texts under a header, as a cell output: a Markdown table for the book and JupyterLab
    (the header may hold ``$...$`` math), and aligned columns as plain text otherwise.

    ``header``: the column titles (strings); ``rows``: one sequence of strings per row, each as long
    as the header.  The first column is aligned left, the others right (numbers).
    """

    def __init__(self, header, rows) -> None:
        self.header = _texts("header", header)
        if len(self.header) < 1:
            raise ValueError("header: need at least one column")
        self.rows = [_texts(f"rows[{i}]", row) for i, row in enumerate(rows)]
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(f"rows[{i}]: expected {len(self.header)} cells like the header, got {len(row)}")

    def _repr_markdown_(self) -> str:
        def line(cells):
            return "| " + " | ".join(c.replace("|", r"\|") for c in cells) + " |"

        rule = "|" + "|".join([":---"] + ["---:"] * (len(self.header) - 1)) + "|"
        return "\n".join([line(self.header), rule] + [line(r) for r in self.rows]) + "\n"

    def __repr__(self) -> str:
        widths = [max(len(r[j]) for r in [self.header] + self.rows) for j in range(len(self.header))]
        return "\n".join(
            "  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths)))
            for r in [self.header] + self.rows
        )


def _texts(name: str, cells) -> list[str]:
    """``cells`` as a list of strings; a ``TypeError`` naming ``name`` for anything else."""
    if isinstance(cells, str) or not hasattr(cells, "__iter__"):
        raise TypeError(f"{name}: expected a sequence of strings, got {type(cells).__name__}")
    cells = list(cells)
    bad = [type(c).__name__ for c in cells if not isinstance(c, str)]
    if bad:
        raise TypeError(f"{name}: format every cell as a string, got {bad[0]}")
    return cells


#: Inline colours of the verdict labels (white text, contrast >= 4.5:1), so that the label is
#: coloured in JupyterLab too, where the book's style sheet is not loaded.
VERDICT_COLOURS = {
    "holds": "#1b6e34",
    "holds with nuance": "#8f4a05",
    "does not hold": "#a3162a",
    "undecided": "#4b5058",
}
#: Longest claim and computed value (characters) that the badge shows whole.
BADGE_CLAIM, BADGE_VALUE = 90, 100


def brief(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters for a badge, at a clause or word, with " …".

    A cut falls after a "; " or ", " outside brackets when one lies in the second half of the
    limit, else at the last space outside brackets; a text that fits is returned whole.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a string, got {type(text).__name__}")
    if limit < 10:
        raise ValueError(f"limit: need at least 10 characters, got {limit}")
    if len(text) <= limit:
        return text
    depth, clause, word = 0, -1, -1
    for i, ch in enumerate(text[: limit + 1]):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if depth == 0 and ch == " " and i > 0:
            word = i
            if text[i - 1] in ";," and i > limit // 2:
                clause = i - 1
    cut = clause if clause > 0 else word
    cut = cut if cut > 0 else limit
    return text[:cut].rstrip(" ,;:") + " …"


_SUPERSCRIPTS = "0123456789+-−LTijklmn"
_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻ᴸᵀⁱʲᵏˡᵐⁿ")
_CARET = re.compile(r"\^(\{[^}]*\}|[0-9]+|[A-Za-z])")


def superscripts(text: str) -> str:
    """Caret exponents as a book prints them: ``w^L`` is ``wᴸ``, ``10^210`` is ``10²¹⁰``,
    ``x^{-3}`` is ``x⁻³``.  An exponent with a character that has no superscript form keeps its caret.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a string, got {type(text).__name__}")

    def one(m: re.Match) -> str:
        sup = m.group(1).strip("{}")
        return sup.translate(_SUPERSCRIPT) if sup and all(ch in _SUPERSCRIPTS for ch in sup) else m.group(0)

    return _CARET.sub(one, text)


class ClaimBox:
    """A judged claim as a cell output: a one-line badge (the claim in brief, the computed value,
    the verdict as a coloured label) that unfolds into the full box (source, claim, value, rule).

    The output is HTML with a closed ``<details>``, which the HTML book (myst-nb) and JupyterLab
    both render, and one plain line otherwise.
    """

    def __init__(self, claim: Claim, result: Judgement) -> None:
        self.claim, self.result = claim, result

    def _label(self) -> str:
        v = self.result.verdict
        colour = VERDICT_COLOURS.get(v, "#444")
        return (
            f'<span class="verdict-badge verdict-{v.replace(" ", "-")}" '
            f'style="background-color:{colour};color:#fff;padding:0 0.45em;border-radius:0.7em;'
            f'font-weight:600;white-space:nowrap">{html.escape(v)}</span>'
        )

    def _repr_html_(self) -> str:
        c, r, e = self.claim, self.result, html.escape
        name = SOURCES[c.source].name if c.source in SOURCES else c.source
        return (
            f'<details class="claim-fold" data-claim="{e(c.key)}">'
            '<summary class="claim-badge">'
            f'<span class="claim-short"><b>Claim:</b> {e(brief(superscripts(c.text), BADGE_CLAIM))}</span> '
            f'<span class="claim-computed"><b>Computed:</b> {e(brief(r.value, BADGE_VALUE))}</span> '
            f"{self._label()}</summary>"
            f'<div class="claim-box" data-claim="{e(c.key)}">'
            f'<p class="claim-source">Claim from {e(name)}</p>'
            f'<blockquote class="claim-text">{e(superscripts(c.text))}</blockquote>'
            f'<p class="claim-result"><span class="claim-label">Computed:</span> {e(r.value)}</p>'
            f'<p class="claim-rule"><span class="claim-label">How it was judged:</span> {e(r.rule)}</p>'
            "</div></details>"
        )

    def __repr__(self) -> str:
        c, r = self.claim, self.result
        return (
            f"Claim: {brief(superscripts(c.text), BADGE_CLAIM)} | computed: {brief(r.value, BADGE_VALUE)} | {r.verdict}"
        )


def show_claim(key: str, **measured) -> ClaimBox:
    """Judge the registered claim ``key`` on ``measured``, glue its value and verdict, and show it.

    The glue keys (for the claims ledger and the prose) are ``<prefix>_value``,
    ``<prefix>_verdict`` and ``<prefix>_rule`` with ``<prefix> = ch<N>_claim_<name>``.  The
    returned :class:`ClaimBox` displays as the cell's output when it is the cell's last value;
    tag the cell ``remove-input`` so that the book shows the box and not the call.
    """
    result = judge(key, **measured)
    result = Judgement(superscripts(result.value), result.verdict, superscripts(result.rule))
    c = REGISTRY[key]
    put(
        **{
            f"{c.glue_prefix}_value": result.value,
            f"{c.glue_prefix}_verdict": result.verdict,
            f"{c.glue_prefix}_rule": result.rule,
        }
    )
    return ClaimBox(c, result)
