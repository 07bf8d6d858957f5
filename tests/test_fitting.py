"""The training loop of chapter 5: SGD, Adam and clipping against steps computed by hand, records, the boundary."""

import numpy as np
import pytest

from vanishing.data import load_mnist, one_hot
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network
from vanishing.networks.residual import ResidualNetwork
from vanishing.networks.saturation import activation_stats
from vanishing.training.fit import fit, hidden_speeds


def tiny():
    rng = np.random.default_rng(0)
    return rng.random((6, 4)), np.array([0, 1, 2, 1, 0, 2])


def flat_grad(net, X, y):
    """The full-batch gradient, laid out as the parameters (W^1, b^1, ...) of a plain network."""
    gw, gb = net.gradients(X, one_hot(y, net.sizes[-1]))
    return [g for pair in zip(gw, gb) for g in pair]


def params(net):
    return [p for pair in zip(net.weights, net.biases) for p in pair]


def test_one_sgd_step_is_the_books_l2_decayed_step():
    X, y = tiny()
    net = Network([4, 3, 3], seed=1)
    before, g = net.copy(), flat_grad(net, X, y)
    eta, lmbda = 0.5, 2.0
    fit(net, (X, y), epochs=1, batch_size=6, eta=eta, lmbda=lmbda)
    for k, (p0, p1) in enumerate(zip(params(before), params(net))):
        decay = (1 - eta * lmbda / 6) if p0.ndim == 2 else 1.0
        np.testing.assert_allclose(p1, decay * p0 - eta * g[k], rtol=1e-12, atol=1e-14)


def test_two_adam_steps_by_hand():
    X, y = tiny()
    net = Network([4, 3, 3], seed=2)
    eta, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    theta = params(net.copy())
    g1 = flat_grad(net, X, y)
    step1 = [t - eta * g / (np.abs(g) + eps) for t, g in zip(theta, g1)]  # bias-corrected: m̂ = g, v̂ = g²
    shadow = net.copy()
    for p, s in zip(params(shadow), step1):
        p[...] = s
    g2 = flat_grad(shadow, X, y)
    step2 = []
    for t, ga, gb in zip(step1, g1, g2):
        m = b1 * (1 - b1) * ga + (1 - b1) * gb
        v = b2 * (1 - b2) * ga**2 + (1 - b2) * gb**2
        step2.append(t - eta * (m / (1 - b1**2)) / (np.sqrt(v / (1 - b2**2)) + eps))
    fit(net, (X, y), epochs=2, batch_size=6, eta=eta, optimiser="adam")
    for p, expected in zip(params(net), step2):
        np.testing.assert_allclose(p, expected, rtol=1e-9, atol=1e-12)


def test_adam_decays_the_weights_as_the_books_sgd_does():
    X, y = tiny()
    net = Network([4, 3, 3], seed=5)
    before, g = net.copy(), flat_grad(net, X, y)
    eta, lmbda, eps = 0.01, 3.0, 1e-8
    fit(net, (X, y), epochs=1, batch_size=6, eta=eta, lmbda=lmbda, optimiser="adam")
    for p0, p1, gk in zip(params(before), params(net), g):
        decay = eta * lmbda / 6 if p0.ndim == 2 else 0.0  # weights only, not rescaled by Adam
        np.testing.assert_allclose(p1, p0 - eta * gk / (np.abs(gk) + eps) - decay * p0, rtol=1e-10, atol=1e-14)


def test_one_clipped_step_by_hand():
    X, y = tiny()
    net = Network([4, 3, 3], init=30.0, seed=3)
    before, g = net.copy(), flat_grad(net, X, y)
    norm = np.sqrt(sum(float(np.sum(x * x)) for x in g))
    c, eta, lmbda = 0.5 * norm, 0.1, 1.2
    h = fit(net, (X, y), epochs=1, batch_size=6, eta=eta, clip=c, lmbda=lmbda)
    for p0, p1, gk in zip(params(before), params(net), g):
        decay = (1 - eta * lmbda / 6) if p0.ndim == 2 else 1.0  # the cost's gradient is clipped, not the decay
        np.testing.assert_allclose(p1, decay * p0 - eta * (c / norm) * gk, rtol=1e-12, atol=1e-14)
    assert h.clipped == 1.0 and h.max_grad_norm == pytest.approx(norm, rel=1e-12)
    unclipped = fit(before.copy(), (X, y), epochs=1, batch_size=6, eta=eta, clip=2 * norm)
    assert unclipped.clipped == 0.0


def test_batchnorm_training_updates_the_running_averages_and_batch_norm_trains():
    (X, y), (Xv, yv), _ = load_mnist()
    net = BatchNormNetwork([784, 30, 30, 10], seed=0)
    h = fit(
        net,
        (X[:1000], y[:1000]),
        epochs=2,
        batch_size=10,
        eta=0.5,
        validation_data=(Xv[:500], yv[:500]),
        monitor_data=(X[:200], y[:200]),
        record_every=50,
    )
    assert not np.allclose(net.running_means[0], 0)
    assert h.accuracy[-1] > 0.7 > 0.2 > h.accuracy[0]
    assert list(h.steps) == [0, 50, 100, 150, 200]
    assert h.speeds.shape == h.weight_change.shape == h.saturation.shape == (5, 2)
    assert h.weight_change[0].tolist() == [0.0, 0.0] and np.all(h.weight_change[-1] > 0)


def test_a_run_is_reproducible_and_records_after_the_last_step():
    (X, y), _, _ = load_mnist()
    data = (X[:95], y[:95])
    runs = [
        fit(
            ResidualNetwork([784, 5, 5, 10], seed=4),
            data,
            epochs=2,
            seed=4,
            monitor_data=data,
            record_every=7,
            optimiser="adam",
            eta=0.01,
        )
        for _ in range(2)
    ]
    for field in ("speeds", "weight_change", "saturation", "mean_activation", "train_accuracy"):
        np.testing.assert_array_equal(getattr(runs[0], field), getattr(runs[1], field))
    assert runs[0].steps[-1] == 20 and runs[0].steps[-2] == 14  # 10 steps per epoch, and the last one


def test_divergence_is_flagged_with_a_message():
    X, y = tiny()
    net = Network([4, 5, 3], activation="relu", init=50.0, seed=0)
    h = fit(net, (X, y), epochs=50, batch_size=2, eta=1e4, validation_data=(X, y))
    assert h.diverged and h.epochs_run < 50
    assert "diverged" in h.message and "smaller learning rate" in h.message


def test_activation_stats_and_speeds():
    X = np.random.default_rng(0).random((20, 4))
    share, mean = activation_stats(Network([4, 3, 3, 2], init=1e3, seed=0), X)
    assert share.shape == mean.shape == (2,) and np.all(share > 0.9)
    small = Network([4, 3, 3, 2], init=1e-3, seed=0, activation="tanh")
    for b in small.biases:
        b[:] = 0.0
    share, mean = activation_stats(small, X)
    assert np.all(share == 0) and np.all(np.abs(mean) < 0.01)
    net = Network([4, 3, 3, 2], seed=1)
    Y = one_hot(np.arange(20) % 2, 2)
    np.testing.assert_array_equal(hidden_speeds(net, X, Y), net.layer_gradient_norms(X, Y))
    with pytest.raises(TypeError, match="net"):
        hidden_speeds("network", X, Y)
    with pytest.raises(TypeError, match="net"):
        activation_stats(object(), X)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(optimiser="rmsprop"), ValueError, "optimiser"),
        (dict(epochs=-1), ValueError, "epochs"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(eta=0.0), ValueError, "eta"),
        (dict(eta=float("inf")), ValueError, "eta"),
        (dict(lmbda=-1.0), ValueError, "lmbda"),
        (dict(clip=0.0), ValueError, "clip"),
        (dict(seed=1.5), TypeError, "seed"),
        (dict(record_every=0), ValueError, "record_every"),
        (dict(validation_data=np.ones((2, 4))), TypeError, "validation_data"),
        (dict(monitor_data=(np.ones((2, 5)), np.zeros(2, dtype=int))), ValueError, "X: expected shape"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    X, y = tiny()
    with pytest.raises(error, match=match):
        fit(Network([4, 3, 3], seed=0), (X, y), **{"epochs": 1, **kwargs})


def test_bad_network_and_batch_size_for_batch_norm():
    X, y = tiny()
    with pytest.raises(TypeError, match="net"):
        fit("net", (X, y), epochs=1)
    with pytest.raises(ValueError, match="batch_size: must be an integer >= 2"):
        fit(BatchNormNetwork([4, 3, 3]), (X, y), epochs=1, batch_size=1)
    with pytest.raises(ValueError, match="labels"):
        fit(Network([4, 3, 3]), (X, y + 5), epochs=1)


def test_adam_on_all_arrays_at_once_is_adam_per_array_bit_for_bit():
    from vanishing.training.fit import _adam_update
    from vanishing.training.optimizers import adam_step

    rng = np.random.default_rng(4)
    net = Network([5, 4, 3, 2], seed=4)
    per_array, at_once = params(net.copy()), params(net.copy())
    decayed, states, state = [p.ndim == 2 for p in per_array], [{} for _ in per_array], {}
    for _ in range(3):
        grads = [rng.normal(size=p.shape) for p in per_array]
        for k, (p, d, g) in enumerate(zip(per_array, decayed, grads)):
            new, states[k] = adam_step(p, g, states[k], eta=0.01)
            p[...] = new - (0.01 * 0.002) * p if d else new
        _adam_update(at_once, decayed, grads, state, eta=0.01, decay=0.002)
    for a, b in zip(per_array, at_once):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("kind", [Network, ResidualNetwork])
def test_speeds_and_activation_stats_from_a_shared_forward_pass(kind):
    X = np.random.default_rng(5).random((12, 4))
    Y = one_hot(np.arange(12) % 3, 3)
    net = kind([4, 3, 3, 3, 3], seed=6)
    expected = np.array([np.linalg.norm(g) for g in net.gradients(X, Y)[1][:-1]])
    assert np.array_equal(net.layer_gradient_norms(X, Y), expected)
    assert np.array_equal(hidden_speeds(net, X, Y, net._forward(X)), expected)
    shared = activation_stats(net, X, net._forward(X))
    assert all(np.array_equal(a, b) for a, b in zip(shared, activation_stats(net, X)))


@pytest.mark.parametrize(
    "activation, cost", [("sigmoid", "cross_entropy"), ("tanh", "quadratic"), ("relu", "cross_entropy")]
)
def test_bias_gradients_are_backprops_bit_for_bit_and_the_means_are_the_activations(activation, cost):
    rng = np.random.default_rng(7)
    X, Y = rng.random((200, 40)), one_hot(rng.integers(0, 10, 200), 10)
    net = Network([40, 30, 30, 30, 10], activation=activation, cost=cost, seed=8)
    _, expected = net._backprop(X, Y)
    got = net._bias_gradients(X, Y)
    assert len(got) == len(expected) and all(np.array_equal(a, b) for a, b in zip(got, expected))
    zs, _ = net._forward(X)
    share, mean = activation_stats(net, X)
    assert np.array_equal(mean, [np.mean(net.activation.f(z)) for z in zs[:-1]])
    assert np.array_equal(
        share, [np.mean(net.activation.df(z) < 0.1 * (0.25 if activation == "sigmoid" else 1.0)) for z in zs[:-1]]
    )
