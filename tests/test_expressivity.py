"""The deep and the shallow sawtooth: exact pieces, parameter counts, bounds, bad input."""

import numpy as np
import pytest

from vanishing.experiments import expressivity as xp
from vanishing.figures import ch1 as fig1


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8, 11])
def test_deep_sawtooth_has_2_to_the_k_pieces_with_6k_plus_1_parameters(k):
    net = xp.sawtooth_deep(k)
    x = xp.dyadic_grid(k)
    y = net.feedforward(x[:, None])[:, 0]
    assert xp.n_parameters(net) == 6 * k + 1 == net.get_flat().size
    assert xp.linear_pieces(x, y) == 2**k
    # the k-fold tent map: 0 at even multiples of 2^-k, 1 at odd ones, in [0, 1] everywhere
    nodes = np.arange(2**k + 1) / 2**k
    np.testing.assert_array_equal(net.feedforward(nodes[:, None])[:, 0], np.arange(2**k + 1) % 2)
    assert y.min() == 0.0 and y.max() == 1.0


def test_deep_sawtooth_is_the_tent_map_composed():
    x = np.linspace(0, 1, 1001)
    t = x.copy()
    for _ in range(4):
        t = np.where(t < 0.5, 2 * t, 2 - 2 * t)
    np.testing.assert_allclose(xp.sawtooth_deep(4).feedforward(x[:, None])[:, 0], t, atol=1e-12)


@pytest.mark.parametrize("k", [1, 4, 9])
def test_shallow_network_computes_the_same_function_near_the_lower_bound(k):
    deep, shallow = xp.sawtooth_deep(k), xp.sawtooth_shallow(k)
    x = xp.dyadic_grid(k, refine=3)
    np.testing.assert_array_equal(deep.feedforward(x[:, None]), shallow.feedforward(x[:, None]))
    assert shallow.sizes == [1, 2**k, 1]
    assert xp.n_parameters(shallow) == 3 * 2**k + 1 == xp.shallow_lower_bound(2**k) + 3


def test_one_hidden_layer_has_at_most_one_piece_more_than_neurons():
    rng = np.random.default_rng(0)
    for _ in range(50):
        u = int(rng.integers(1, 12))
        net = xp._relu_net([1, u, 1])
        net.weights[0][:, 0] = rng.choice([-1.0, 1.0], u)
        net.biases[0][...] = -net.weights[0][:, 0] * rng.integers(1, 64, u) / 64  # kinks on the grid
        net.weights[1][...] = rng.integers(-3, 4, (1, u))
        net.biases[1][...] = 0.0
        x = np.arange(129) / 128
        assert xp.linear_pieces(x, net.feedforward(x[:, None])) <= u + 1


def test_depth_table_rows():
    rows = xp.depth_table([2, 6])
    assert [r["k"] for r in rows] == [2, 6]
    assert rows[1] == dict(
        k=6, pieces_deep=64, pieces_shallow=64, params_deep=37, params_shallow=193, params_shallow_min=190, max_gap=0.0
    )


def test_linear_pieces_counts_slope_changes():
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    assert xp.linear_pieces(x, 2 * x) == 1
    assert xp.linear_pieces(x, np.abs(x - 2)) == 2
    assert xp.linear_pieces(x, np.array([0.0, 1.0, 0.0, 1.0, 0.0])) == 4


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: xp.sawtooth_deep(0), "k"),
        (lambda: xp.sawtooth_shallow(21), "k"),
        (lambda: xp.sawtooth_deep(2.0), "k"),
        (lambda: xp.dyadic_grid(3, refine=0), "refine"),
        (lambda: xp.shallow_lower_bound(0), "pieces"),
        (lambda: xp.linear_pieces([0.0], [0.0]), "x, y"),
        (lambda: xp.linear_pieces([0.0, 0.0], [0.0, 1.0]), "x"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=f"^{name}: "):
        call()


def test_plot_depth_vs_width_has_titles_labels_and_legends():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = fig1.plot_depth_vs_width(xp.depth_table([1, 2, 3]), k_show=2)
    a0, a1 = fig.axes
    assert a0.get_title() and a1.get_title() and a1.get_yscale() == "log"
    assert a0.get_xlabel() and a0.get_ylabel() and a1.get_xlabel() and a1.get_ylabel()
    assert len(a0.get_legend().get_texts()) == 2 and "13 parameters" in a0.get_legend().get_texts()[0].get_text()
    np.testing.assert_array_equal(a1.lines[0].get_ydata(), [7, 13, 19])
    plt.close(fig)
    with pytest.raises(ValueError, match="^rows: "):
        fig1.plot_depth_vs_width([])
