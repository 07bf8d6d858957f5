"""Numbers as the prose writes them (vanishing.prose)."""

import pytest

from vanishing import prose
from vanishing.prose import pow10, power, sig, sig_range


def test_pow10_writes_the_exponent_as_superscript():
    assert pow10(9909) == "10⁹⁹⁰⁹"
    assert pow10(-3.0) == "10⁻³"
    assert power(2, -52.0) == "2⁻⁵²"
    assert power(10, -3.9999999999999996) == "10⁻⁴"  # a logarithm, rounded
    with pytest.raises(ValueError, match="exponent"):
        power(2, float("inf"))
    with pytest.raises(TypeError, match="base"):
        power(2.0, 3)


@pytest.mark.parametrize(
    "x, text",
    [
        (0.0017, "0.0017"),
        (0.5, "0.50"),
        (0.017, "0.017"),
        (2.3, "2.3"),
        (640.0, "640"),
        (2400.0, "2,400"),
        (99_949.0, "1.0\u00a0×\u00a010⁵"),
        (94_000.0, "94,000"),
        (4.8e-7, "4.8\u00a0×\u00a010⁻⁷"),
        (1e-7, "1.0\u00a0×\u00a010⁻⁷"),
        (-0.0431, "-0.043"),
        (0.0, "0.0"),
        (0.00099, "9.9\u00a0×\u00a010⁻⁴"),
        (12_345.0, "12,000"),
    ],
)
def test_sig_writes_two_significant_digits(x, text):
    assert sig(x) == text


def test_sig_rejects_bad_input():
    with pytest.raises(ValueError, match="x: expected a finite"):
        sig(float("nan"))
    with pytest.raises(TypeError, match="x: expected a real"):
        sig("1")
    with pytest.raises(ValueError, match="digits"):
        sig(1.0, 0)


@pytest.mark.parametrize(
    "args, text",
    [
        ((0.0017, 0.0013, 0.0019), "0.0017 (0.0013–0.0019)"),
        ((640.0, 340.0, 1300.0), "640 (340–1,300)"),
        ((4.8e-7, 3.5e-7, 6.3e-7), "4.8 (3.5–6.3)\u00a0×\u00a010⁻⁷"),
        ((1.9e-7, 0.95e-7, 6e-7), "1.9 (0.95–6.0)\u00a0×\u00a010⁻⁷"),
        ((2.3, 1.8, 2.4), "2.3 (1.8–2.4)"),
    ],
)
def test_sig_range_shares_one_power_of_ten(args, text):
    assert sig_range(*args) == text.replace("–", "\u2060–\u2060")  # word joiners: no break at the dash


def test_sig_range_needs_an_ordered_range():
    with pytest.raises(ValueError, match="lo <= middle <= hi"):
        sig_range(1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="hi: expected a finite"):
        sig_range(1.0, 0.5, float("inf"))


@pytest.mark.parametrize(
    "x, text", [(-0.0476, "\u22120.048"), (-4.2e-8, "\u22124.2\u00a0×\u00a010⁻⁸"), (0.5, "0.50"), (-1.0, "\u22121.0")]
)
def test_signed_writes_a_true_minus_sign(x, text):
    assert prose.signed(x) == text and "-" not in prose.signed(x)
