"""The claim registry: records, judgements, and the link between registry and chapters."""

import json
import re
from pathlib import Path

import pytest

from vanishing.claims import REGISTRY, SOURCES, Judgement, claim, claims_of, judge
from vanishing.claims.registry import Claim
from vanishing.claims.verdicts import VERDICTS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def scratch():
    """Register claims for a test and remove them afterwards."""
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


def test_judgement_checks_its_verdict_and_texts():
    assert Judgement("1", "holds", "rule").verdict == "holds"
    with pytest.raises(ValueError, match="verdict"):
        Judgement("1", "mostly", "rule")
    with pytest.raises(ValueError, match="rule"):
        Judgement("1", "holds", "")


def test_claim_registers_and_judges(scratch):
    @claim("ch9_test_claim", source="nielsen2015", text="x is positive.", section="ch9-x")
    def _judge(*, x):
        return Judgement(f"x = {x}", "holds" if x > 0 else "does not hold", "Holds if x > 0.")

    c = REGISTRY["ch9_test_claim"]
    assert (c.chapter, c.glue_prefix, c.source) == (9, "ch9_claim_test_claim", "nielsen2015")
    assert judge("ch9_test_claim", x=1).verdict == "holds"
    assert judge("ch9_test_claim", x=-1).verdict == "does not hold"
    assert claims_of(9) == [c]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(key="Ch1 bad", source="nielsen2015", text="t", section="s"), "key"),
        (dict(key="ch1_x", source="no such source!", text="t", section="s"), "source"),
        (dict(key="ch1_x", source="nielsen2015", text="", section="s"), "text"),
        (dict(key="ch1_x", source="nielsen2015", text="t", section=""), "section"),
    ],
)
def test_claim_rejects_bad_records(kwargs, match, scratch):
    with pytest.raises(ValueError, match=match):
        claim(**kwargs)


def test_claim_key_registered_twice(scratch):
    claim("ch9_twice", source="nielsen2015", text="t", section="s")(lambda: None)
    with pytest.raises(ValueError, match="twice"):
        claim("ch9_twice", source="nielsen2015", text="t", section="s")


def test_judge_unknown_key_and_bad_return(scratch):
    with pytest.raises(KeyError, match="no claim"):
        judge("ch9_missing")
    claim("ch9_bad_return", source="nielsen2015", text="t", section="s")(lambda: "holds")
    with pytest.raises(TypeError, match="Judgement"):
        judge("ch9_bad_return")


def test_every_registered_claim_is_well_formed():
    assert REGISTRY, "the registry is empty"
    for c in REGISTRY.values():
        assert isinstance(c, Claim)
        assert c.source in SOURCES or re.match(r"^[a-z]+[0-9]{4}[a-z]?$", c.source)
        assert "seed" not in c.text.lower(), f"{c.key}: a source is named by its file"


def _chapter(n: int) -> Path:
    return next(ROOT.glob(f"chapters/{n:02d}_*.ipynb"))


def _code(n: int) -> str:
    nb = json.loads(_chapter(n).read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def _labels(n: int) -> set[str]:
    nb = json.loads(_chapter(n).read_text())
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(re.findall(r"^\(([\w-]+)\)=\s*$", text, re.M))


def test_each_claim_is_shown_once_by_its_chapter_in_its_section():
    """A claim is one registry entry plus one show_claim call in the chapter that owns it."""
    for c in REGISTRY.values():
        calls = re.findall(rf"show_claim\(\s*[\"']{c.key}[\"']", _code(c.chapter))
        assert len(calls) == 1, f"{c.key}: shown {len(calls)} times in chapter {c.chapter}"
        assert c.section in _labels(c.chapter), f"{c.key}: no section ({c.section})= in chapter {c.chapter}"


def test_every_shown_claim_is_registered():
    for n in (1, 2, 3, 4, 5, 6):
        for key in re.findall(r"show_claim\(\s*[\"']([\w]+)[\"']", _code(n)):
            assert key in REGISTRY, f"chapter {n} shows {key}, which is not in the registry"


def test_verdicts_are_the_three():
    assert VERDICTS == ("holds", "holds with nuance", "does not hold")
