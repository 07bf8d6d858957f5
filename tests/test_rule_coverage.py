"""Every registered verdict rule can return every verdict, on cases that sit beside its tests.

The cases are the ones each chapter's claim tests already use (``tests/test_claims_ch*.py``): this
module runs those test functions (with their ``parametrize`` values) while recording which verdict
each claim's judge returns.  A rule that never returns one of the three verdicts fails here, unless
it declares, with a reason, that it is two-valued (``@claim(..., two_valued="why")``), and then it
must return both of its two.  A rule whose own tests lack a case gets it in :data:`EXTRA_CASES`.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import inspect
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

from vanishing.claims import REGISTRY, Claim, judge
from vanishing.claims.verdicts import VERDICTS

RULE_TESTS = sorted(Path(__file__).resolve().parent.glob("test_claims_ch*.py"))

#: Cases for rules whose own tests do not reach one of their verdicts: claim key -> keyword arguments
#: of its judge, one dict per case.  Empty while every chapter's tests cover their rules.
EXTRA_CASES: dict[str, list[dict]] = {}


def _load(path: Path):
    """The test module at ``path``, imported under a name of its own."""
    spec = importlib.util.spec_from_file_location(f"_rule_cases_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _argument_sets(fn) -> list[dict] | None:
    """The keyword arguments pytest would call ``fn`` with, from its ``parametrize`` marks (a
    product if there are several); None if it needs a fixture the marks do not supply."""
    grids = []
    for mark in getattr(fn, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = []
        for value in values:
            if type(value).__name__ == "ParameterSet":  # pytest.param(...)
                value = value.values
            rows.append({names[0]: value} if len(names) == 1 else dict(zip(names, value)))
        grids.append(rows)
    calls = [dict(itertools.chain.from_iterable(d.items() for d in combo)) for combo in itertools.product(*grids)]
    needed = set(inspect.signature(fn).parameters)
    return calls if all(needed <= set(kw) for kw in calls) else None


def _test_functions(module):
    return [
        fn
        for name, fn in vars(module).items()
        if name.startswith("test_") and inspect.isfunction(fn) and fn.__module__ == module.__name__
    ]


@functools.cache
def recorded_verdicts() -> dict[str, frozenset[str]]:
    """Claim key -> the verdicts its judge returned on the chapters' test cases and :data:`EXTRA_CASES`."""
    seen: dict[str, set[str]] = defaultdict(set)

    def recording(c: Claim) -> Claim:
        def judge_and_record(**measured):
            result = c.judge(**measured)
            seen[c.key].add(result.verdict)
            return result

        return dataclasses.replace(c, judge=judge_and_record)

    originals = dict(REGISTRY)
    try:
        REGISTRY.update({key: recording(c) for key, c in originals.items()})
        for path in RULE_TESTS:
            for fn in _test_functions(_load(path)):
                for kw in _argument_sets(fn) or []:
                    fn(**kw)
        for key, cases in EXTRA_CASES.items():
            for kw in cases:
                judge(key, **kw)
    finally:
        REGISTRY.update(originals)
    return {key: frozenset(v) for key, v in seen.items()}


def coverage_problem(c: Claim, verdicts: set[str] | frozenset[str]) -> str | None:
    """What is wrong with the verdicts ``verdicts`` that the rule of claim ``c`` returned, or None."""
    if c.two_valued:
        if len(verdicts) < 2:
            return (
                f"{c.key} declares itself two-valued ({c.two_valued}) but its cases reach only "
                f"{sorted(verdicts)}: add a case for its other verdict"
            )
        return None
    missing = [v for v in VERDICTS if v not in verdicts]
    if missing:
        return (
            f"{c.key}: no case returns {', '.join(repr(v) for v in missing)}. Add a case beside its "
            "tests (or to EXTRA_CASES); if the rule cannot return it, fix the rule, or declare "
            "@claim(..., two_valued='<why>') with the reason"
        )
    return None


@pytest.mark.parametrize("key", list(REGISTRY))
def test_rule_returns_every_verdict(key):
    problem = coverage_problem(REGISTRY[key], recorded_verdicts().get(key, frozenset()))
    assert problem is None, problem


def test_extra_cases_name_registered_claims():
    assert set(EXTRA_CASES) <= set(REGISTRY)


def test_the_check_fails_on_a_rule_that_cannot_return_does_not_hold():
    """The old rule of ch3_definition: "holds" whenever F and 1000·F agree, so never "does not hold"."""

    def old_definition(*, meets, meets_scaled, scale):
        return "holds" if meets == meets_scaled else "holds with nuance" if meets or meets_scaled else "does not hold"

    cases = [(True, True), (True, False), (False, False), (False, True)]
    verdicts = {old_definition(meets=a, meets_scaled=b, scale=1000) for a, b in cases}
    problem = coverage_problem(REGISTRY["ch3_definition"], verdicts)
    assert problem is not None and "'does not hold'" in problem
    assert coverage_problem(REGISTRY["ch3_definition"], set(VERDICTS)) is None


def test_a_two_valued_rule_must_say_why_and_reach_both():
    c = dataclasses.replace(REGISTRY["ch3_definition"], two_valued="a yes/no question")
    assert coverage_problem(c, {"holds", "does not hold"}) is None
    assert "two-valued" in coverage_problem(c, {"holds"})


def test_the_harness_expands_parametrize():
    @pytest.mark.parametrize("a, b", [(1, 2), pytest.param(3, 4)])
    @pytest.mark.parametrize("c", [5])
    def test_example(a, b, c):
        pass

    assert _argument_sets(test_example) == [{"c": 5, "a": 1, "b": 2}, {"c": 5, "a": 3, "b": 4}]

    def test_with_fixture(tmp_path):
        pass

    assert _argument_sets(test_with_fixture) is None
