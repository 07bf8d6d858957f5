"""tools/cache_guard.py: a change in src/vanishing or data/ clears every cached build state."""

import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location("cache_guard", Path(__file__).parents[1] / "tools" / "cache_guard.py")
cache_guard = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(cache_guard)


def make_tree(root: Path) -> None:
    (root / "src" / "vanishing").mkdir(parents=True)
    (root / "src" / "vanishing" / "network.py").write_text("x = 1\n")
    (root / "data").mkdir()
    (root / "data" / "mnist.npz").write_bytes(b"data")
    for name in cache_guard.STALE:
        (root / "_build" / name).mkdir(parents=True, exist_ok=True)
        (root / "_build" / name / "f").write_text("cached")


def test_first_build_then_unchanged_then_changed(tmp_path):
    make_tree(tmp_path)
    assert cache_guard.guard(tmp_path)  # no stamp yet: clear
    assert not any((tmp_path / "_build" / n).exists() for n in cache_guard.STALE)
    for name in cache_guard.STALE:
        (tmp_path / "_build" / name).mkdir()
    assert not cache_guard.guard(tmp_path)  # unchanged: keep
    assert all((tmp_path / "_build" / n).exists() for n in cache_guard.STALE)
    (tmp_path / "src" / "vanishing" / "network.py").write_text("x = 2\n")
    assert cache_guard.guard(tmp_path)  # source changed: clear all three
    assert not any((tmp_path / "_build" / n).exists() for n in cache_guard.STALE)
    assert not cache_guard.guard(tmp_path)
    (tmp_path / "data" / "mnist.npz").write_bytes(b"other")
    assert cache_guard.guard(tmp_path)  # data changed
