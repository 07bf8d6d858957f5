"""The one-neuron-per-layer chain: closed form against the shared backprop, the bound, the band, floats."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vanishing.claims import formulas
from vanishing.claims import verdicts
from vanishing.figures import ch2 as fig2
from vanishing import chain as ch
from vanishing import floating
from vanishing import gaussian
from vanishing import layer_speeds as speeds
from vanishing import unstable_band as band

ACTS = ("sigmoid", "tanh", "relu")


# ---------------------------------------------------------------- closed form vs backprop
@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("depth", [1, 2, 5, 13, 30])
def test_closed_form_matches_network_backprop(act, depth):
    d = ch.draw_chain(12, depth, weight_std=1.5, seed=depth)
    closed = ch.chain_grad_b1(d.w, d.b, d.x, d.y, act)
    all_closed = ch.chain_grad_biases(d.w, d.b, d.x, d.y, act)
    bp = ch.backprop_grad_biases(d.w, d.b, d.x, d.y, act)
    assert ch.relative_error(closed, bp[:, 0]) < 1e-12
    assert ch.relative_error(all_closed, bp) < 1e-12
    if act == "relu":  # random ReLU chains die; positive parameters keep every unit active
        d = d._replace(w=np.abs(d.w), b=np.abs(d.b))
        closed = ch.chain_grad_b1(d.w, d.b, d.x, d.y, act)
        assert ch.relative_error(closed, ch.backprop_grad_biases(d.w, d.b, d.x, d.y, act)[:, 0]) < 1e-12
    assert np.all(closed != 0)


def test_terms_are_the_factors():
    d = ch.draw_chain(5, 6, seed=3)
    t = ch.chain_terms(*d)
    z, a = ch.chain_forward(d.w, d.b, d.x)
    s = 1 / (1 + np.exp(-z))
    assert np.allclose(t.first, s[:, 0] * (1 - s[:, 0]))
    assert np.allclose(t.terms, d.w[:, 1:] * s[:, 1:] * (1 - s[:, 1:]))
    assert np.allclose(t.dC_da, a[:, -1] - d.y)
    assert t.terms.shape == (5, 5)


def test_forward_matches_network_feedforward():
    d = ch.draw_chain(3, 4, seed=9)
    z, a = ch.chain_forward(d.w, d.b, d.x, "tanh")
    for i in range(3):
        net = ch.network_for_chain(d.w[i], d.b[i], "tanh")
        assert np.isclose(net.feedforward(np.array([[d.x[i]]]))[0, 0], a[i, -1], rtol=1e-14)


def test_finite_difference_of_the_cost():
    d = ch.draw_chain(1, 4, seed=5)
    h = 1e-6

    def cost(b1):
        b = d.b.copy()
        b[0, 0] = b1
        _, a = ch.chain_forward(d.w, b, d.x)
        return 0.5 * (a[0, -1] - d.y[0]) ** 2

    fd = (cost(d.b[0, 0] + h) - cost(d.b[0, 0] - h)) / (2 * h)
    assert np.isclose(ch.chain_grad_b1(*d)[0], fd, rtol=1e-6)


# ---------------------------------------------------------------- bound and depth curves
@pytest.mark.parametrize("act", ACTS)
def test_bound_holds_and_is_tight_at_z_zero(act):
    d = ch.draw_chain(500, 10, seed=1)
    g = np.abs(ch.chain_grad_b1(*d, activation=act))
    assert np.all(g <= ch.chain_bound(*d, activation=act) * (1 + 1e-12))
    t = band.tuned_chain(6, w=3.0, x=0.3, y=0.0, activation="sigmoid")
    assert np.isclose(abs(ch.chain_grad_b1(*t)[0]), ch.chain_bound(*t)[0], rtol=1e-12)


def test_log10_by_depth_matches_prefix_chains():
    d = ch.draw_chain(20, 8, seed=2)
    lg = ch.log10_grad_b1_by_depth(*d)
    lb = ch.log10_grad_b1_by_depth(*d, bound=True)
    for k in (1, 4, 8):
        g = ch.chain_grad_b1(d.w[:, :k], d.b[:, :k], d.x, d.y)
        assert np.allclose(lg[:, k - 1], np.log10(np.abs(g)), atol=1e-12)
        bd = ch.chain_bound(d.w[:, :k], d.b[:, :k], d.x, d.y)
        assert np.allclose(lb[:, k - 1], np.log10(bd), atol=1e-12)


def test_relu_dead_chain_gives_minus_inf():
    w = np.array([[1.0, 1.0, 1.0]])
    b = np.array([[0.0, -5.0, 0.0]])
    lg = ch.log10_grad_b1_by_depth(w, b, np.array([0.5]), np.array([0.0]), "relu")
    assert np.isfinite(lg[0, 0]) and np.isneginf(lg[0, 1]) and np.isneginf(lg[0, 2])


def test_decay_per_layer_of_a_geometric_sequence():
    depths = np.arange(1, 11)
    vals = np.tile(-0.5 * depths, (7, 1)) + np.arange(7)[:, None] * 0.01
    assert np.isclose(ch.decay_per_layer(vals, depths), 10 ** -0.5)


def test_typical_decay_close_to_gaussian_prediction():
    d = ch.draw_chain(3000, 30, seed=4)
    lb = ch.log10_grad_b1_by_depth(*d, bound=True)
    pred = math.exp(gaussian.expected_log_abs_normal()) / 4
    assert abs(ch.decay_per_layer(lb[:, 4:], np.arange(5, 31)) - pred) < 0.01
    lg = ch.log10_grad_b1_by_depth(*d)
    assert ch.decay_per_layer(lg[:, 4:], np.arange(5, 31)) < pred


# ---------------------------------------------------------------- exploding
def test_tuned_chain_terms_are_25():
    t = band.tuned_chain(12)
    terms = ch.chain_terms(*t)
    assert np.allclose(terms.z, 0.0)
    assert np.allclose(terms.terms, 25.0)
    assert np.isclose(abs(ch.chain_grad_b1(*t)[0]), 0.25 * 25.0 ** 11 * 0.5, rtol=1e-12)


# ---------------------------------------------------------------- the band
def test_band_numeric_matches_closed_form():
    ws = np.concatenate([np.linspace(4.001, 12, 200), np.geomspace(12, 1e4, 100)])
    assert np.max(np.abs(band.band_width_numeric(ws) - band.band_width_closed(ws))) < 1e-10
    assert np.max(np.abs(band.band_width_numeric(-ws) - band.band_width_closed(ws))) < 1e-10


def test_band_is_empty_below_4_and_shifts_with_bias():
    assert np.all(band.band_width_numeric(np.array([0.5, 2.0, 3.99])) == 0)
    assert np.all(band.band_width_closed(np.array([0.5, 4.0])) == 0)
    lo0, hi0 = band.unstable_band(np.array([10.0]))
    lo1, hi1 = band.unstable_band(np.array([10.0]), b=3.0)
    assert np.isclose(lo1[0], lo0[0] - 0.3) and np.isclose(hi1[0], hi0[0] - 0.3)
    mid = 0.5 * (lo0 + hi0)
    assert abs(mid[0]) < 1e-12
    assert np.isclose(10 * 0.25 / (np.cosh(10 * hi0[0] / 2) ** 2), 1.0)


def test_max_band_width():
    w_star, width = band.max_band_width()
    ws = np.linspace(4.0001, 40, 20001)
    closed = band.band_width_closed(ws)
    assert abs(w_star - ws[np.argmax(closed)]) < 5e-3
    assert abs(width - closed.max()) < 1e-9
    assert 6.8 < w_star < 7.0 and 0.44 < width < 0.46


# ---------------------------------------------------------------- Gaussian facts
def test_gaussian_facts_against_monte_carlo():
    rng = np.random.default_rng(0)
    w = rng.standard_normal(1_000_000)
    assert abs(np.mean(np.log(np.abs(w))) - gaussian.expected_log_abs_normal()) < 5e-3
    assert np.isclose(gaussian.expected_log_abs_normal(2.0), gaussian.expected_log_abs_normal() + math.log(2))
    assert np.isclose(gaussian.prob_abs_normal_below(1.0), 0.6826894921370859, rtol=1e-12)
    assert abs(np.mean(np.abs(w) < 1) - gaussian.prob_abs_normal_below(1.0)) < 2e-3
    assert np.isclose(gaussian.normal_cdf(np.array([0.0, 1.959963984540054]))[1], 0.975)


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
def test_derivative_level(act):
    c = np.array([0.01, 0.1, 0.2])
    z = gaussian.derivative_level(c, act)
    f = ch.check_activation(act)
    assert np.allclose(f.df(z), c)


@pytest.mark.parametrize("a", [0.0, 0.5, 1.0])
def test_prob_term_below_against_monte_carlo(a):
    rng = np.random.default_rng(1)
    w = rng.standard_normal(400_000)
    b = rng.standard_normal(400_000)
    s = 1 / (1 + np.exp(-(w * a + b)))
    mc = np.mean(np.abs(w * s * (1 - s)) < 0.25)
    assert abs(gaussian.prob_term_below(a) - mc) < 3e-3


def test_verdict_from_fraction():
    assert verdicts.verdict_from_fraction(0.99) == "holds"
    assert verdicts.verdict_from_fraction(0.683) == "holds with nuance"
    assert verdicts.verdict_from_fraction(0.1) == "does not hold"


# ---------------------------------------------------------------- seeds' formulas
def test_seed002_formula_is_exact():
    rng = np.random.default_rng(7)
    for L in (2, 3, 8, 20):
        w = rng.standard_normal((5, L)) * 1.5
        assert ch.relative_error(formulas.no_bias_formula(w), formulas.no_bias_backprop(w)) < 1e-12


def test_seed001_formula_has_one_extra_derivative():
    d = ch.draw_chain(10, 7, seed=11)
    bp = ch.backprop_grad_biases(*d)
    t = ch.chain_terms(*d)
    for l in (1, 3, 6):
        seed = formulas.unrolled_delta_as_written(*d, l=l)
        sp_last = ch.check_activation("sigmoid").df(t.z[:, -1])
        assert ch.relative_error(seed, bp[:, l - 1] * sp_last) < 1e-12


# ---------------------------------------------------------------- floating point
def test_underflow_depth_float32_and_float64():
    d = ch.draw_chain(200, 400, seed=3)
    lg = ch.log10_grad_b1_by_depth(*d)
    for dt, lo, hi in ((np.float32, 30, 60), (np.float64, 250, 400)):
        u = floating.underflow_depth(*d, dtype=dt)
        lu = floating.log_underflow_depth(lg, dt)
        assert lo < np.median(u) < hi
        assert abs(np.median(u) - np.median(lu)) <= 2
    p = ch.product_by_depth(*d, dtype=np.float32)
    assert p.dtype == np.float32


def test_update_is_lost_is_about_spacing_not_epsilon():
    eps = np.finfo(float).eps
    assert bool(floating.update_is_lost(1.0, 0.4 * eps))
    assert not bool(floating.update_is_lost(1e-3, 0.1 * eps))  # smaller than eps, still applied
    assert bool(floating.update_is_lost(100.0, 20 * eps))  # larger than eps, lost
    assert not bool(floating.update_is_lost(np.float32(1.0), 1e-7, np.float32))
    assert bool(floating.update_is_lost(np.float32(1.0), 5e-8, np.float32))


def test_lost_update_depth_comes_before_underflow():
    d = ch.draw_chain(100, 400, seed=8)
    for dt in (np.float32, np.float64):
        lost = floating.lost_update_depth(*d, eta=0.1, dtype=dt)
        under = floating.underflow_depth(*d, dtype=dt)
        assert np.all(lost <= under)
    assert np.array_equal(floating.first_true_depth(np.array([[False, True], [False, False]])), [2, np.inf])


# ---------------------------------------------------------------- figures
def test_figures_build():
    d = ch.draw_chain(50, 10, seed=0)
    lg = ch.log10_grad_b1_by_depth(*d)
    lb = ch.log10_grad_b1_by_depth(*d, bound=True)
    figs = [fig2.plot_sigmoid_derivative(), fig2.plot_depth_distribution(lg, lb, 0.13),
            fig2.plot_band(np.array([5.0, 6.0]), np.array([0.4, 0.44]), np.array([0.4, 0.44]), 6.9, 0.45),
            fig2.plot_exploding(lg[0], {"std 10": lg}), fig2.plot_activation_contrast({"sigmoid": lg})]
    for f in figs:
        assert f.axes[0].get_title()
        plt.close(f)


def test_exploding_plot_labels_curves_that_leave_the_axes():
    fig = fig2.plot_exploding(np.arange(5.0), {"deep": -100.0 * np.ones((3, 5)), "mild": -np.ones((3, 5))})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "off the plot: -100 at L = 5" in labels[1] and labels[2] == "mild"
    assert fig.axes[0].get_ylim()[0] == -60.0
    plt.close(fig)


def test_activation_contrast_handles_all_dead_depths():
    v = np.array([[0.0, -np.inf], [-1.0, -np.inf]])
    fig = fig2.plot_activation_contrast({"relu": v})
    y = fig.axes[0].lines[0].get_ydata()
    assert y[0] == -0.5 and np.isnan(y[1])
    assert list(fig.axes[1].lines[0].get_ydata()) == [0.0, 1.0]
    plt.close(fig)


def test_explorer_plot_and_wide_network():
    rng = np.random.default_rng(0)
    X = rng.random((50, 8))
    Y = np.eye(3)[rng.integers(0, 3, 50)]
    wide = speeds.wide_network_bias_gradients(3, 1.0, "sigmoid", X, Y, n_nets=2, width=5)
    assert len(wide) == 3 and all(v.shape == (10,) for v in wide)
    for act in ACTS:
        fig = fig2.plot_gradient_explorer(3, 1.0, act, X, Y, n_draws=100, n_nets=1)
        assert len(fig.axes) == 2
        plt.close(fig)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: ch.draw_chain(10, 0), ValueError, "depth"),
        (lambda: ch.draw_chain(0, 3), ValueError, "n_draws"),
        (lambda: ch.draw_chain(10, 2.5), TypeError, "depth"),
        (lambda: ch.draw_chain(10, 3, weight_std=float("nan")), ValueError, "weight_std"),
        (lambda: ch.draw_chain(10, 3, weight_std=float("inf")), ValueError, "weight_std"),
        (lambda: ch.draw_chain(10, 3, weight_std=-1.0), ValueError, "weight_std"),
        (lambda: ch.chain_forward(np.ones((2, 3)), np.ones((2, 2)), np.ones(2)), ValueError, "b"),
        (lambda: ch.chain_forward(np.ones(3), np.ones(3), np.ones(1)), ValueError, "w"),
        (lambda: ch.chain_forward(np.ones((2, 3)), np.ones((2, 3)), np.ones(3)), ValueError, "x"),
        (lambda: ch.chain_grad_b1(np.full((1, 2), np.nan), np.ones((1, 2)), np.ones(1), np.ones(1)), ValueError, "w"),
        (lambda: ch.chain_terms(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), "identity"),
         ValueError, "activation"),
        (lambda: ch.chain_terms(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), "softmax"),
         ValueError, "activation"),
        (lambda: ch.product_by_depth(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), dtype=np.float16),
         ValueError, "dtype"),
        (lambda: band.unstable_band(np.array([0.0])), ValueError, "w"),
        (lambda: band.band_width_closed(np.array([np.inf])), ValueError, "w"),
        (lambda: band.max_band_width(10.0, 5.0), ValueError, "hi"),
        (lambda: gaussian.expected_log_abs_normal(0.0), ValueError, "std"),
        (lambda: gaussian.prob_abs_normal_below(-1.0), ValueError, "t"),
        (lambda: gaussian.derivative_level(np.array([0.3])), ValueError, "c"),
        (lambda: gaussian.prob_term_below(float("nan")), ValueError, "a"),
        (lambda: verdicts.verdict_from_fraction(1.5), ValueError, "p"),
        (lambda: formulas.no_bias_forward(np.ones((2, 1))), ValueError, "w"),
        (lambda: formulas.unrolled_delta_as_written(np.ones((1, 3)), np.ones((1, 3)), np.ones(1), np.ones(1), l=3), ValueError, "l"),
        (lambda: band.tuned_chain(0), ValueError, "depth"),
        (lambda: band.tuned_chain(3, w=float("inf")), ValueError, "w"),
        (lambda: floating.lost_update_depth(np.ones((1, 2)), np.ones((1, 2)), np.ones(1), np.ones(1), eta=0.0),
         ValueError, "eta"),
        (lambda: ch.decay_per_layer(np.ones((3, 4)), np.arange(3)), ValueError, "depths"),
        (lambda: fig2.plot_gradient_explorer(0, 1.0, "sigmoid", np.ones((2, 2)), np.ones((2, 2))), ValueError, "depth"),
        (lambda: fig2.plot_gradient_explorer(2, float("nan"), "sigmoid", np.ones((2, 2)), np.ones((2, 2))),
         ValueError, "weight_scale"),
        (lambda: floating.log_underflow_depth(np.ones(3)), ValueError, "log10_values"),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
