"""The notation page's code references resolve: every dotted name it shows in ``code`` exists.

``net.<attr>`` is an attribute of a :class:`vanishing.networks.network.Network`; a name that starts with
``vanishing.`` is imported as written; any other dotted name is read inside ``vanishing``
(``networks.activations.sigmoid`` is ``vanishing.networks.activations.sigmoid``).  Calls and indexing after the name
(``net.cost(X, Y)``, ``net.weights[0]``, ``len(net.weights)``) are stripped.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from vanishing.networks.network import Network

NOTATION = Path(__file__).resolve().parents[1] / "book" / "notation.md"
_SPAN = re.compile(r"`([^`\n]+)`")
_DOTTED = re.compile(r"^(?:len\()?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)")


def code_references(text: str) -> list[str]:
    """The dotted names at the start of the page's inline code spans, in order, without repeats."""
    refs = [m.group(1) for span in _SPAN.findall(text) if (m := _DOTTED.match(span.strip()))]
    return list(dict.fromkeys(refs))


def resolve(ref: str):
    """The object ``ref`` names (see the module docstring); AttributeError or ImportError if none."""
    root, *rest = ref.split(".")
    if root == "net":
        obj = Network([4, 3, 2], seed=0)
    else:
        parts = ref.split(".") if root == "vanishing" else ["vanishing", *ref.split(".")]
        for i in range(len(parts), 0, -1):  # the longest importable module prefix
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            rest = parts[i:]
            break
        else:
            raise ImportError(f"{ref}: no importable module")
    for name in rest:
        obj = getattr(obj, name)
    return obj


def test_the_page_has_code_references():
    refs = code_references(NOTATION.read_text())
    assert "vanishing.figures.style.layer_color" in refs and "net.layer_gradient_norms" in refs


@pytest.mark.parametrize("ref", code_references(NOTATION.read_text()))
def test_code_reference_resolves(ref):
    try:
        resolve(ref)
    except (AttributeError, ImportError) as err:
        pytest.fail(f"book/notation.md names `{ref}`, which does not exist ({err})")


def test_a_wrong_reference_is_caught():
    with pytest.raises((AttributeError, ImportError)):
        resolve("vanishing.plots.layer_color")
    with pytest.raises(AttributeError):
        resolve("net.no_such_method")
