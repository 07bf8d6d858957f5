"""vanishing.listing: a function's own source, shown on the page."""

import inspect

import numpy as np
import pytest

from vanishing import listing
from vanishing.listing import show_source
from vanishing.network import Network


def test_a_method_is_shown_with_its_name_file_and_lines():
    shown = show_source(Network._backprop)
    lines, first = inspect.getsourcelines(Network._backprop)
    assert shown.qualname == "vanishing.network.Network._backprop"
    assert shown.path == "vanishing/network.py"
    assert (shown.first, shown.last) == (first, first + len(lines) - 1)
    assert shown.code.startswith("def _backprop(")  # dedented out of the class
    md = shown._repr_markdown_()
    assert md.startswith("`vanishing.network.Network._backprop`, from `vanishing/network.py`, lines ")
    assert "```python\ndef _backprop(" in md and md.rstrip().endswith("```")
    assert repr(shown).splitlines()[1].startswith("def _backprop(")


def test_functions_classes_and_bound_methods_are_shown():
    assert show_source(listing.show_source).qualname == "vanishing.listing.show_source"
    assert show_source(listing.Listing).code.startswith("class Listing")
    assert show_source(Network([2, 3, 1])._backprop).qualname == "vanishing.network.Network._backprop"


def test_what_has_no_source_in_the_package_is_refused():
    with pytest.raises(TypeError, match="obj"):
        show_source(len)
    with pytest.raises(TypeError, match="obj"):
        show_source(3)
    with pytest.raises(ValueError, match="not part of the vanishing package"):
        show_source(np.linalg.norm)
