"""The repository's tools: the baseline environment, the claims ledger and the code-shape limits."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_baseline_env_turns_off_what_it_names(monkeypatch):
    be = _tool("baseline_env")
    monkeypatch.delenv("NPY_DISABLE_CPU_FEATURES", raising=False)
    env = be.baseline_env()
    assert env["OPENBLAS_CORETYPE"] == "Nehalem" and env["NUMBA_CPU_NAME"] == "generic"
    named = [f for f in env["NPY_DISABLE_CPU_FEATURES"].split(",") if f]
    assert named == be.dispatched_features()
    # A fresh process started with the variables has none of the dispatched targets on.
    probe = ("from numpy._core import _multiarray_umath as m;"
             "print(sum(bool(m.__cpu_features__.get(f)) for f in m.__cpu_dispatch__))")
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env},
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"
    # Inside such a process the list it was given is kept, not recomputed as empty.
    monkeypatch.setenv("NPY_DISABLE_CPU_FEATURES", "X86_V3")
    assert be.baseline_env()["NPY_DISABLE_CPU_FEATURES"] == "X86_V3"


def test_ledger_lists_every_claim_of_the_toc_chapters():
    led = _tool("claims_ledger")
    from vanishing.claims import REGISTRY
    notebooks = led.toc_notebooks()
    text, count = led.ledger(notebooks)
    expected = [c for c in REGISTRY.values() if c.chapter in notebooks]
    assert count == len(expected) > 0
    for c in expected:
        assert f"{c.glue_prefix}_verdict:s" in text
        assert f"<{c.section}>`" in text or f"{{ref}}`{c.section}`" in text
    assert "seed" not in text.lower() and ".txt" not in text


def test_ledger_file_is_current():
    led = _tool("claims_ledger")
    assert led.main(["--check"]) == 0, "book/claims.md is stale: run python tools/claims_ledger.py"


def test_package_shape_limits():
    """No module over ~450 lines, no function over ~60, no import cycles (tools/code_shape.py)."""
    assert _tool("code_shape").main(["--check"]) == 0
