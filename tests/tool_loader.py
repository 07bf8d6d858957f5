"""Load a script from tools/ or a Sphinx extension from book/_ext/ as a module, for their tests
(neither folder is a package)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"
BOOK_EXT = ROOT / "book" / "_ext"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_tool(name: str):
    """The module ``tools/<name>.py``, executed once per call."""
    return _load(name, TOOLS / f"{name}.py")


def load_book_ext(name: str):
    """The module ``book/_ext/<name>.py``, executed once per call."""
    return _load(name, BOOK_EXT / f"{name}.py")
