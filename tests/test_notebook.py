"""Glue helpers and the claim box shown in the chapters."""

import pytest

from vanishing.claims import REGISTRY, Judgement
from vanishing.notebook import ClaimBox, put, show_claim


def test_put_needs_formatted_strings():
    with pytest.raises(TypeError, match="ch0_x"):
        put(ch0_x=1.5)


def test_claim_box_html_and_text():
    c = next(iter(REGISTRY.values()))
    box = ClaimBox(c, Judgement("a < b & c", "holds with nuance", "Rule <here>."))
    html = box._repr_html_()
    assert 'class="verdict-badge verdict-holds-with-nuance"' in html
    assert "a &lt; b &amp; c" in html and "Rule &lt;here&gt;." in html  # escaped
    assert "<details" in html and "How it was judged" in html
    text = repr(box)
    assert "Verdict: holds with nuance" in text and "a < b & c" in text


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


def test_pow10_writes_the_exponent_as_superscript():
    from vanishing.notebook import pow10
    assert pow10(9909) == "10⁹⁹⁰⁹"
    assert pow10(-3.0) == "10⁻³"
