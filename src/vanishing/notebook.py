"""Numbers, figures and claim verdicts from a chapter's code into its pages (myst-nb ``glue``).

The prose quotes a computed number as ``{glue:text}`name``` and a figure with the
``{glue:figure}`` directive; :func:`put` and :func:`put_figure` store them in the notebook's
outputs, out of sight of the code (``display=False``).  :func:`show_claim` judges a registered
claim and shows it where the cell stands, as a box: the claim and its source, the value the book
computed, a verdict badge, and the rule that gave the verdict folded away.  The box is an
ordinary HTML output, so it reads the same in the HTML book and in JupyterLab, before and after
the notebook is run.  Like ``widgets``, this is a Jupyter-side module: the mathematics never
imports it.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
from myst_nb import glue

from .claims import REGISTRY, SOURCES, judge
from .claims.registry import Claim, Judgement


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


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def pow10(exponent: float) -> str:
    """A power of ten for the prose, with a superscript exponent: ``pow10(9909)`` is ``"10⁹⁹⁰⁹"``."""
    return "10" + f"{exponent:.0f}".translate(_SUPERSCRIPT)


def and_list(items) -> str:
    """Texts joined for the prose: ``and_list(["5", "10", "15"])`` is ``"5, 10 and 15"``."""
    items = [str(i) for i in items]
    if not items:
        raise ValueError("items: need at least one text")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class ClaimBox:
    """A judged claim as a cell output: HTML for the book and JupyterLab, plain text otherwise."""

    def __init__(self, claim: Claim, result: Judgement) -> None:
        self.claim, self.result = claim, result

    def _repr_html_(self) -> str:
        c, r, e = self.claim, self.result, html.escape
        name = SOURCES[c.source].name if c.source in SOURCES else c.source
        slug = r.verdict.replace(" ", "-")
        return (
            f'<div class="claim-box" data-claim="{e(c.key)}">'
            f'<p class="claim-source">Claim from {e(name)}</p>'
            f'<blockquote class="claim-text">{e(c.text)}</blockquote>'
            f'<p class="claim-result"><span class="claim-label">Computed:</span> {e(r.value)} '
            f'<span class="verdict-badge verdict-{slug}">{e(r.verdict)}</span></p>'
            f'<details class="claim-rule"><summary>How it was judged</summary><p>{e(r.rule)}</p></details>'
            "</div>")

    def __repr__(self) -> str:
        name = SOURCES[self.claim.source].name if self.claim.source in SOURCES else self.claim.source
        return (f"Claim from {name}: {self.claim.text}\nComputed: {self.result.value}\n"
                f"Verdict: {self.result.verdict}\nHow it was judged: {self.result.rule}")


def show_claim(key: str, **measured) -> ClaimBox:
    """Judge the registered claim ``key`` on ``measured``, glue its value and verdict, and show it.

    The glue keys (for the claims ledger and the prose) are ``<prefix>_value``,
    ``<prefix>_verdict`` and ``<prefix>_rule`` with ``<prefix> = ch<N>_claim_<name>``.  The
    returned :class:`ClaimBox` displays as the cell's output when it is the cell's last value;
    tag the cell ``remove-input`` so that the book shows the box and not the call.
    """
    result = judge(key, **measured)
    c = REGISTRY[key]
    put(**{f"{c.glue_prefix}_value": result.value, f"{c.glue_prefix}_verdict": result.verdict,
           f"{c.glue_prefix}_rule": result.rule})
    return ClaimBox(c, result)
