"""Chapter 1's experiment helpers: the process pool, the layer speeds and the verdict rules."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from vanishing import parallel, stats
from vanishing.claims import verdicts
from vanishing.data import one_hot
from vanishing.experiments import layer_speeds as speeds
from vanishing.figures import ch1 as fig1
from vanishing.networks.network import Network
from vanishing.training.sgd import train


@pytest.fixture(scope="module")
def tiny():
    """Random 'images' (60, 784) in [0, 1) with labels 0..9, and a validation split."""
    rng = np.random.default_rng(7)
    X = rng.random((60, 784))
    y = rng.integers(0, 10, 60)
    return (X[:40], y[:40]), (X[40:], y[40:])


def _square(x):
    return x * x


# ------------------------------------------------------------------ pool
def test_pool_map_keeps_input_order():
    assert parallel.pool_map(_square, [3, 1, 2, 5, 4], processes=2, progress=False) == [9, 1, 4, 25, 16]
    assert parallel.pool_map(_square, [], processes=2, progress=False) == []


def test_run_many_equals_sequential_runs_exactly(tiny):
    train_split, val_split = tiny
    configs = [parallel.RunConfig((784, 8, 10), s, epochs=3, batch_size=10, eta=0.5) for s in (0, 1)]
    configs += [parallel.RunConfig((784, 8, 8, 10), 2, epochs=3, batch_size=10, eta=0.5)]
    pooled = parallel.run_many(configs, train_split, val_split, processes=2, progress=False)
    sequential = [parallel.run_one(c, train_split, val_split) for c in configs]
    one_proc = parallel.run_many(configs, train_split, val_split, processes=1, progress=False)
    for p, s, o in zip(pooled, sequential, one_proc):
        np.testing.assert_array_equal(p.accuracy, s.accuracy)
        np.testing.assert_array_equal(p.cost, s.cost)
        np.testing.assert_array_equal(o.cost, s.cost)
    # The runs differ from each other (the seed matters), so order is really checked.
    assert not np.array_equal(pooled[0].cost, pooled[1].cost)


def test_run_one_is_train_with_the_seed_twice(tiny):
    train_split, val_split = tiny
    c = parallel.RunConfig((784, 8, 10), 5, epochs=2, batch_size=8, eta=0.3, lmbda=1.0)
    h = parallel.run_one(c, train_split, val_split)
    net = Network([784, 8, 10], seed=5)
    ref = train(net, train_split, 2, 8, 0.3, 1.0, validation_data=val_split, seed=5, progress=False)
    np.testing.assert_array_equal(h.cost, ref.cost)


def test_full_batch_run_norms_match_train_monitoring(tiny):
    data = tiny[0]
    _, got = speeds.full_batch_run(2, data, epochs=5, eta=0.1, lmbda=5.0, seed=3, width=6)
    net = Network([784, 6, 6, 10], seed=3)
    ref = train(net, data, 5, 40, 0.1, 5.0, monitor_data=data, seed=3, progress=False).grad_norms
    assert got.shape == (6, 2)
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    np.testing.assert_allclose(
        got[0], Network([784, 6, 6, 10], seed=3).layer_gradient_norms(data[0], one_hot(data[1], 10)), rtol=1e-12
    )


def test_full_batch_run_frozen_layer_keeps_its_initial_parameters(tiny):
    data = tiny[0]
    start = Network([784, 6, 6, 10], seed=3)
    free, free_norms = speeds.full_batch_run(2, data, epochs=5, eta=0.5, lmbda=5.0, seed=3, width=6)
    stuck, stuck_norms = speeds.full_batch_run(2, data, 1, epochs=5, eta=0.5, lmbda=5.0, seed=3, width=6)
    np.testing.assert_array_equal(stuck.weights[0], start.weights[0])
    np.testing.assert_array_equal(stuck.biases[0], start.biases[0])
    assert not np.array_equal(stuck.weights[1], start.weights[1])  # the other layers still learn
    assert not np.array_equal(free.weights[0], start.weights[0])
    np.testing.assert_array_equal(stuck_norms[0], free_norms[0])  # same start, same first gradient
    assert not np.array_equal(stuck_norms[-1], free_norms[-1])


def test_run_config_rejects_a_frozen_layer_that_is_not_hidden():
    with pytest.raises(ValueError, match="frozen: must be None or a hidden layer from 1 to 2"):
        parallel.RunConfig((784, 30, 30, 10), seed=0, frozen=3)


@pytest.mark.parametrize("frozen", [0, 3, 1.0, True])
def test_full_batch_run_rejects_layers_that_do_not_exist(tiny, frozen):
    with pytest.raises(ValueError, match=r"frozen: must be None or a hidden layer from 1 to 2"):
        speeds.full_batch_run(2, tiny[0], frozen, epochs=1, width=6)


def test_final_and_best(tiny):
    h = parallel.run_one(parallel.RunConfig((784, 8, 10), 0, epochs=3, eta=0.5), *tiny)
    h.accuracy[:] = [0.9, 0.2, 0.5, 0.4]  # row 0 (untrained) must not count as best
    final, best = stats.final_and_best([h])
    assert final.tolist() == [0.4] and best.tolist() == [0.5]


# ------------------------------------------------------------------ BLAS threads
def test_blas_threads_limits_and_restores_every_openblas():
    from vanishing.training import compiled

    compiled.warm_up()  # SciPy's OpenBLAS, which the compiled epoch calls, is loaded too
    funcs = parallel._openblas_functions()
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
    assert len(funcs) == len(libs)  # NumPy's and SciPy's with the wheels from PyPI
    before = [get() for _, get in funcs]
    with parallel.blas_threads(1):
        assert [get() for _, get in funcs] == [1] * len(funcs)
    assert [get() for _, get in funcs] == before


# ------------------------------------------------------------------ statistics
def test_mean_std_and_difference_z_closed_form():
    m, s = stats.mean_std([1.0, 2.0, 3.0])
    assert m == 2.0 and s == 1.0
    d, se, z = stats.difference_z([1.0, 2.0, 3.0], [3.0, 4.0, 5.0])
    assert d == 2.0
    assert se == pytest.approx(np.sqrt(2 / 3))
    assert z == pytest.approx(2.0 / np.sqrt(2 / 3))
    assert stats.difference_z([1.0, 1.0], [2.0, 2.0])[2] == np.inf
    assert stats.difference_z([1.0, 1.0], [1.0, 1.0])[2] == 0.0


def test_ordering_verdict_rule():
    assert verdicts.ordering_verdict([3.0, -2.5], [1, -1]) == "holds"
    assert verdicts.ordering_verdict([3.0, -1.0], [1, -1]) == "holds with nuance"
    assert verdicts.ordering_verdict([3.0, 0.5], [1, -1]) == "does not hold"
    assert verdicts.ordering_verdict([-0.1], [1]) == "does not hold"


def test_within_spread_linear_and_log():
    sample = [1.0, 2.0, 3.0]  # mean 2, std 1
    assert verdicts.within_spread(3.9, sample) and not verdicts.within_spread(4.1, sample)
    logs = np.exp([0.0, 1.0, 2.0])  # log-mean 1, log-std 1
    assert verdicts.within_spread(np.exp(2.9), logs, log=True)
    assert not verdicts.within_spread(np.exp(3.1), logs, log=True)


def test_weakest_and_single_run_verdict():
    assert verdicts.weakest(["holds", "holds with nuance"]) == "holds with nuance"
    assert verdicts.weakest(["holds", "does not hold", "holds"]) == "does not hold"
    final, best = [0.960, 0.962, 0.964], [0.970, 0.971, 0.972]  # means 0.962, 0.971; stds 0.002, 0.001
    assert verdicts.single_run_verdict(0.965, [final, best]) == "holds"  # 1.5 std from the final mean
    assert verdicts.single_run_verdict(0.9670, [final, best]) == "holds with nuance"  # 2.5 / 4 std, but 0.004 away
    assert verdicts.single_run_verdict(0.950, [final, best]) == "does not hold"


def test_norms_verdict_values_and_shape():
    rng = np.random.default_rng(0)
    base = np.array([0.06, 0.3])
    norms = base * np.exp(0.1 * rng.standard_normal((20, 2)))
    assert verdicts.norms_verdict([0.06, 0.3], norms) == "holds"
    assert verdicts.norms_verdict([0.12, 0.6], norms) == "holds with nuance"  # same ratio, values off
    assert verdicts.norms_verdict([0.6, 0.3], norms) == "does not hold"  # layer 1 off and ratio off


# ------------------------------------------------------------------ layer speeds
def test_init_norms_are_layer_gradient_norms(tiny):
    X, y = tiny[0]
    got = speeds.init_norms(3, [4, 9], X, y)
    assert got.shape == (2, 3)
    for row, s in zip(got, [4, 9]):
        ref = Network([784, 30, 30, 30, 10], seed=s).layer_gradient_norms(X, one_hot(y, 10))
        np.testing.assert_array_equal(row, ref)


def test_consecutive_ratios():
    r = speeds.consecutive_ratios([[1.0, 4.0, 8.0], [2.0, 2.0, 1.0]])
    np.testing.assert_allclose(r, [[4.0, 2.0], [1.0, 0.5]])
    assert speeds.consecutive_ratios([0.0, 1.0])[0] == np.inf


def test_hidden_sizes():
    assert speeds.hidden_sizes(3) == [784, 30, 30, 30, 10]
    assert speeds.hidden_sizes(1, width=5, n_in=4, n_out=2) == [4, 5, 2]


def test_make_network_scaled_std_one_is_the_default_init():
    a = speeds.make_network(2, 1.0, scaled=True, seed=11)
    b = Network([784, 30, 30, 10], seed=11)
    for Wa, Wb, ba, bb in zip(a.weights, b.weights, a.biases, b.biases):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
    c = speeds.make_network(2, 0.5, scaled=True, seed=11)
    np.testing.assert_allclose(c.weights[1], 0.5 * b.weights[1])
    d = speeds.make_network(2, 0.5, scaled=False, seed=11)
    np.testing.assert_allclose(d.weights[0], 0.5 * np.sqrt(784) * b.weights[0])


def test_explorer_figure_draws(tiny):
    for depth, std, scaled in ((3, 1.0, True), (8, 100.0, False), (1, 0.01, True)):
        fig = fig1.explorer_figure(depth, std, scaled, 1.0, tiny[0], steps=3)
        assert len(fig.axes) == 3 and fig.axes[0].get_yscale() == "log"
        plt.close(fig)


def test_short_run_records_init_norms_and_accuracy(tiny):
    g0, hist = speeds.short_run(2, 1.0, True, 0.5, tiny[0], steps=4, seed=2)
    X, y = tiny[0]
    np.testing.assert_allclose(g0, Network([784, 30, 30, 10], seed=2).layer_gradient_norms(X, one_hot(y, 10)))
    assert hist.accuracy.shape == (5,) and hist.grad_norms.shape == (5, 2)
    net = speeds.make_network(2, 1.0, True, 2)
    ref = train(net, tiny[0], 4, 40, 0.5, 0.0, validation_data=tiny[0], monitor_data=tiny[0], seed=0, progress=False)
    np.testing.assert_allclose(hist.grad_norms, ref.grad_norms, rtol=1e-10)
    np.testing.assert_array_equal(hist.accuracy, ref.accuracy)
    assert not hist.diverged and hist.epochs_run == 4


def test_short_run_reports_divergence(tiny, monkeypatch):
    # A weight decay factor 1 - eta*lmbda/n of about -1e306 sends the weights to infinity.
    _, hist = speeds.short_run(2, 1.0, True, 1e308, tiny[0], steps=5, lmbda=1.0)
    assert hist.diverged and "diverged" in hist.message and hist.epochs_run < 5
    monkeypatch.setattr(fig1, "short_run", lambda *a, **k: (np.ones(2), hist))
    with pytest.raises(ValueError, match="training breaks down at step") as err:  # a reader's message
        fig1.explorer_figure(2, 1.0, True, 1.0, tiny[0], steps=5)
    assert "Choose a smaller learning rate or a smaller initial weight std." in str(err.value)


def test_plots_have_titles_and_log_axes(tiny):
    acc = np.tile(np.linspace(0.1, 0.9, 4), (3, 1))
    fig = fig1.plot_accuracy_bands({"[784, 30, 10]": acc})
    assert fig.axes[0].get_title()
    plt.close(fig)
    fig = fig1.plot_init_norms({2: np.array([[0.1, 0.3], [0.2, 0.4]])}, {2: [0.07, 0.31]})
    assert fig.axes[0].get_yscale() == "log"
    plt.close(fig)
    fig = fig1.plot_training_norms({2: np.array([[0.1, 0.3], [0.2, 0.4]])})
    assert fig.axes[0].get_yscale() == "log"
    plt.close(fig)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: parallel.RunConfig((784, 10), 1.5), TypeError, "seed"),
        (lambda: parallel.RunConfig((784,), 0), ValueError, "sizes"),
        (lambda: parallel.RunConfig((784, 10), 0, init="bogus"), ValueError, "init"),
        (lambda: parallel.run_one("config", None), TypeError, "config"),
        (lambda: parallel.run_many(["x"], None), TypeError, "configs"),
        (lambda: parallel.pool_map(_square, [1], processes=0), ValueError, "processes"),
        (lambda: parallel.pool_map(3, [1]), TypeError, "func"),
        (lambda: stats.mean_std([1.0]), ValueError, "x"),
        (lambda: stats.difference_z([1.0, np.nan], [1.0, 2.0]), ValueError, "a"),
        (lambda: verdicts.ordering_verdict([1.0], [2]), ValueError, "signs"),
        (lambda: verdicts.within_spread(-1.0, [1.0, 2.0], log=True), ValueError, "value"),
        (lambda: speeds.hidden_sizes(0), ValueError, "depth"),
        (lambda: verdicts.weakest(["maybe"]), ValueError, "verdicts"),
        (lambda: verdicts.single_run_verdict(float("nan"), [[1.0, 2.0]]), ValueError, "claim"),
        (lambda: verdicts.single_run_verdict(1.0, []), ValueError, "samples"),
        (lambda: verdicts.norms_verdict([1.0], np.ones((3, 2))), ValueError, "claimed"),
        (lambda: speeds.hidden_sizes(2, width=0), ValueError, "width"),
        (lambda: speeds.init_norms(2, [], np.zeros((2, 784)), np.zeros(2, int)), ValueError, "seeds"),
        (lambda: speeds.consecutive_ratios([1.0]), ValueError, "norms"),
        (lambda: speeds.make_network(2, float("nan")), ValueError, "std"),
        (lambda: speeds.make_network(2, -1.0), ValueError, "std"),
        (lambda: speeds.full_batch_run(2, (np.zeros((2, 784)), np.zeros(2, int)), eta=0.0), ValueError, "eta"),
        (lambda: speeds.full_batch_run(2, (np.zeros((2, 784)), np.zeros(2, int)), epochs=-1), ValueError, "epochs"),
        (lambda: parallel.blas_threads(0).__enter__(), ValueError, "n"),
        (lambda: speeds.short_run(2, 1.0, True, -1.0, (np.zeros((2, 784)), np.zeros(2, int))), ValueError, "eta"),
        (
            lambda: speeds.short_run(2, 1.0, True, 1.0, (np.zeros((2, 784)), np.zeros(2, int)), steps=-1),
            ValueError,
            "steps",
        ),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc) as err:
        call()
    assert str(err.value).startswith(name + ":")


def test_chapter_one_runs_in_one_call_equal_the_single_runs(tiny):
    """train_every_depth, train_with_frozen_layer, full_batch_runs and init_norms_by_depth: the runs a
    chapter asks for in one call, keyed by depth (or frozen layer), equal to running each alone."""
    train_split, val_split = tiny
    by_depth = speeds.train_every_depth([1, 2], [0, 1], train_split, val_split, epochs=1)
    assert sorted(by_depth) == [1, 2] and [len(v) for v in by_depth.values()] == [2, 2]
    alone = parallel.run_one(parallel.RunConfig((784, 30, 30, 10), seed=1, epochs=1), train_split, val_split)
    np.testing.assert_array_equal(by_depth[2][1].accuracy, alone.accuracy)
    frozen = speeds.train_with_frozen_layer(2, (None, 1), train_split, val_split, epochs=1)
    assert list(frozen) == [None, 1]
    np.testing.assert_array_equal(frozen[None].accuracy, by_depth[2][0].accuracy)
    norms = speeds.full_batch_runs([1, 2], train_split, epochs=2)
    np.testing.assert_array_equal(norms[2], speeds.full_batch_run(2, train_split, epochs=2)[1])
    init = speeds.init_norms_by_depth([2, 3], [0, 1], *train_split)
    assert init[3].shape == (2, 3)
    np.testing.assert_array_equal(init[2], speeds.init_norms(2, [0, 1], *train_split))
