"""Glue helpers and the claim badge shown in the chapters."""

import pytest

from vanishing.claims import REGISTRY, Judgement
from vanishing.notebook import ClaimBox, put, show_claim


def test_put_needs_formatted_strings():
    with pytest.raises(TypeError, match="ch0_x"):
        put(ch0_x=1.5)


def test_claim_box_is_a_badge_with_the_full_box_folded():
    c = next(iter(REGISTRY.values()))
    box = ClaimBox(c, Judgement("a < b & c", "holds with nuance", "Rule <here>."))
    html = box._repr_html_()
    # the badge: a closed <details> whose summary holds the claim, the value and the coloured verdict
    assert html.startswith('<details class="claim-fold"') and "<details open" not in html
    summary = html[html.index("<summary") : html.index("</summary>")]
    assert "Claim:" in summary and "a &lt; b &amp; c" in summary  # escaped
    assert 'class="verdict-badge verdict-holds-with-nuance"' in summary and "background-color:#8f4a05" in summary
    assert "Rule" not in summary
    # the full box, with its rule, only inside the fold
    folded = html[html.index("</summary>") :]
    assert '<div class="claim-box"' in folded and "Rule &lt;here&gt;." in folded and "How it was judged" in folded
    assert folded.endswith("</div></details>")


def test_claim_box_text_is_one_compact_line():
    c = REGISTRY["ch4_grad1000"]
    box = ClaimBox(c, Judgement("x" * 300, "holds", "A long rule. " * 20))
    text = repr(box)
    assert "\n" not in text and text.endswith("| holds") and "rule" not in text
    assert len(text) < 220 and " …" in text


def test_brief_cuts_at_a_clause_outside_brackets():
    from vanishing.notebook import brief

    assert brief("short", 20) == "short"
    assert brief("one thing, then (a, b, c) and more words here", 30) == "one thing, then (a, b, c) and …"
    assert brief("first clause here; second clause that is long", 30) == "first clause here …"
    assert len(brief("a" * 50, 20)) <= 22  # no space at all: a hard cut
    with pytest.raises(TypeError, match="text"):
        brief(3, 20)
    with pytest.raises(ValueError, match="limit"):
        brief("text", 3)


def test_show_claim_returns_the_box():
    box = show_claim("ch4_grad1000", ratio_equal=1000.0, ratio_lo=500.0, ratio_hi=2000.0)
    assert isinstance(box, ClaimBox) and box.result.verdict == "holds"


def test_and_list_joins_as_the_prose_does():
    from vanishing.notebook import and_list

    assert and_list(["5", "10", "15"]) == "5, 10 and 15"
    assert and_list((0.1, 1)) == "0.1 and 1"
    assert and_list(["1"]) == "1"
    with pytest.raises(ValueError, match="items"):
        and_list([])


def test_table_as_markdown_and_text():
    from vanishing.notebook import Table

    t = Table(["remedy", "$\\chi$"], [["baseline", "0.042"], ["a | b", "1.1"]])
    md = t._repr_markdown_().splitlines()
    assert md[0] == "| remedy | $\\chi$ |" and md[1] == "|:---|---:|"
    assert md[3] == "| a \\| b | 1.1 |"  # a bar inside a cell does not split it
    assert repr(t).splitlines() == ["remedy    $\\chi$", "baseline   0.042", "a | b        1.1"]


def test_table_rejects_bad_rows():
    from vanishing.notebook import Table

    with pytest.raises(ValueError, match=r"rows\[1\]: expected 2 cells"):
        Table(["a", "b"], [["1", "2"], ["3"]])
    with pytest.raises(TypeError, match=r"rows\[0\]: format every cell as a string, got float"):
        Table(["a"], [[0.5]])
    with pytest.raises(TypeError, match="header"):
        Table("ab", [])
    with pytest.raises(ValueError, match="header"):
        Table([], [])


def test_superscripts_print_caret_exponents_as_a_book_does():
    from vanishing.notebook import superscripts

    assert superscripts("w^L = 0, σ′(z^L), 10^210, x^{-3}") == "wᴸ = 0, σ′(zᴸ), 10²¹⁰, x⁻³"
    assert superscripts("e^{x+y} and y^q") == "e^{x+y} and y^q"  # no superscript form: unchanged
    with pytest.raises(TypeError, match="text"):
        superscripts(2)


def test_show_claim_glues_no_caret_text():
    box = show_claim("ch3_wl_zero", dC_dwL=0.094, dC_dbL=0.141, earlier_max=0.0)
    assert "^" not in box.result.value + box.result.rule and "^" not in box._repr_html_()
