"""The batch-normalised network: gradients against finite differences, running averages, the boundary."""

import numpy as np
import pytest
from gradcheck import symmetric_gap

from vanishing.networks.batchnorm import BatchNormNetwork

ACTS = ("sigmoid", "tanh", "relu", "identity")


def random_case(i):
    """Case i: 1 to 4 hidden layers of random widths, each activation, 2 to 6 rows, random γ and β."""
    rng = np.random.default_rng(500 + i)
    sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(3, 7)))]
    net = BatchNormNetwork(sizes, activation=ACTS[i % 4], init=float(rng.uniform(0.3, 1.5)), seed=i)
    for g, b in zip(net.gammas, net.betas):
        g += rng.normal(0, 0.5, g.shape)
        b += rng.normal(0, 0.5, b.shape)
    m = int(rng.integers(2, 7))
    X = rng.standard_normal((m, sizes[0]))
    Y = (rng.random((m, sizes[-1])) < 0.5).astype(float)
    return net, X, Y


@pytest.mark.parametrize("block", range(3))
def test_gradients_match_finite_differences_on_random_architectures(block):
    worst, skipped = 0.0, 0
    for i in range(block * 40, (block + 1) * 40):
        net, X, Y = random_case(i)
        if min(v.min() for v in net.forward(X).variances) < net.eps:
            # A batch variance below eps makes the cost bend on the scale sqrt(eps), too fast for
            # differences with h = 1e-6: such (rare) draws test the difference, not backpropagation.
            skipped += 1
            continue
        worst = max(worst, symmetric_gap(net, X, Y))
    assert worst < 1e-6
    assert skipped <= 4


def test_the_normalised_layer_has_batch_mean_0_and_variance_1_before_gamma_and_beta():
    rng = np.random.default_rng(0)
    net = BatchNormNetwork([5, 4, 3, 2], seed=0, eps=1e-12)
    p = net.forward(rng.standard_normal((50, 5)))
    for zhat in p.zhats:
        np.testing.assert_allclose(zhat.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(zhat.var(axis=0), 1, rtol=1e-9)


def test_output_does_not_depend_on_a_hidden_layers_weight_scale():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 4))
    net = BatchNormNetwork([4, 6, 6, 3], seed=1, eps=1e-12)
    before = net.forward(X).acts[-1]
    net.weights[1] *= 1000.0
    np.testing.assert_allclose(net.forward(X).acts[-1], before, rtol=1e-9)


def test_training_gradients_update_the_running_averages_and_evaluation_uses_them():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((6, 3))
    Y = np.eye(2)[rng.integers(0, 2, 6)]
    net = BatchNormNetwork([3, 4, 2], seed=2, momentum=0.25)
    z = X @ net.weights[0].T
    grads = net.training_gradients(X, Y)
    np.testing.assert_allclose(net.running_means[0], 0.25 * z.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(net.running_vars[0], 0.75 + 0.25 * z.var(axis=0, ddof=1), rtol=1e-12)
    for g, h in zip(net.flatten_gradients(grads), net.flatten_gradients(net.gradients(X, Y))):
        np.testing.assert_array_equal(g, h)  # the averages do not enter the training gradient
    u = net.gammas[0] * (z - net.running_means[0]) / np.sqrt(net.running_vars[0] + net.eps) + net.betas[0]
    expected = 1 / (1 + np.exp(-(1 / (1 + np.exp(-u)) @ net.weights[1].T + net.out_bias)))
    np.testing.assert_allclose(net.feedforward(X), expected, rtol=1e-12)
    assert net.accuracy(X, np.argmax(Y, axis=1)) == np.mean(np.argmax(expected, 1) == np.argmax(Y, 1))


def test_copy_is_deep_and_speeds_are_the_shift_gradients():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((5, 3)), np.eye(2)[[0, 1, 1, 0, 1]]
    net = BatchNormNetwork([3, 4, 4, 2], seed=3)
    twin = net.copy()
    twin.weights[0] += 1.0
    twin.running_means[0] += 1.0
    assert not np.array_equal(twin.weights[0], net.weights[0])
    assert not np.array_equal(twin.running_means[0], net.running_means[0])
    _, _, grad_beta, _ = net.gradients(X, Y)
    np.testing.assert_array_equal(net.layer_gradient_norms(X, Y), [np.linalg.norm(g) for g in grad_beta])
    assert "BatchNormNetwork" in repr(net)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(sizes=[3, 2]), ValueError, "sizes: batch normalisation needs at least one hidden layer"),
        (dict(sizes=[3, 0, 2]), ValueError, "sizes"),
        (dict(sizes=[3, 2, 2], activation="softplus"), ValueError, "activation"),
        (dict(sizes=[3, 2, 2], seed=1.5), TypeError, "seed"),
        (dict(sizes=[3, 2, 2], eps=0.0), ValueError, "eps"),
        (dict(sizes=[3, 2, 2], momentum=0.0), ValueError, "momentum"),
        (dict(sizes=[3, 2, 2], momentum=1.5), ValueError, "momentum"),
        (dict(sizes=[3, 2, 2], init="glorot"), ValueError, "init"),
    ],
)
def test_bad_constructor_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        BatchNormNetwork(**kwargs)


def test_bad_batches():
    net = BatchNormNetwork([3, 2, 2], seed=0)
    with pytest.raises(ValueError, match="X: batch statistics need at least 2 rows"):
        net.cost(np.ones((1, 3)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="X: expected shape"):
        net.gradients(np.ones((4, 5)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="Y: expected shape"):
        net.gradients(np.ones((4, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="labels: expected shape"):
        net.accuracy(np.ones((4, 3)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="theta: expected shape"):
        net.set_flat(np.zeros(3))
    assert net.feedforward(np.ones((1, 3))).shape == (1, 2)  # evaluation needs no batch
