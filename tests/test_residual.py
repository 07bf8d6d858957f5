"""The residual network: gradients against finite differences, the identity in the Jacobian, copies."""

import numpy as np
import pytest
from gradcheck import symmetric_gap

from vanishing.networks.network import Network
from vanishing.networks.residual import ResidualNetwork

ACTS = ("sigmoid", "tanh", "relu", "identity")


def random_case(i):
    """Case i: 1 to 5 hidden layers, widths drawn from {2, 3} so that some layers are blocks and some not."""
    rng = np.random.default_rng(700 + i)
    hidden = [int(n) for n in rng.integers(2, 4, size=1 + i % 5)]
    sizes = [int(rng.integers(1, 5))] + hidden + [int(rng.integers(1, 4))]
    cost = ("cross_entropy", "quadratic")[(i // 4) % 2]
    net = ResidualNetwork(sizes, activation=ACTS[i % 4], cost=cost, init=float(rng.uniform(0.3, 1.5)), seed=i)
    m = int(rng.integers(1, 5))
    X = rng.standard_normal((m, sizes[0]))
    Y = (rng.random((m, sizes[-1])) < 0.5).astype(float)
    return net, X, Y


@pytest.mark.parametrize("block", range(3))
def test_gradients_match_finite_differences_on_random_architectures(block):
    worst, blocks = 0.0, 0
    for i in range(block * 40, (block + 1) * 40):
        net, X, Y = random_case(i)
        blocks += sum(net.skips)
        worst = max(worst, symmetric_gap(net, X, Y))
    assert worst < 1e-6
    assert blocks > 20  # the sweep does exercise the skip connections


def test_skips_only_between_hidden_layers_of_equal_width():
    assert ResidualNetwork([784, 30, 30, 30, 10]).skips == [False, True, True]
    assert ResidualNetwork([5, 4, 3, 3, 4, 2]).skips == [False, False, True, False]
    assert ResidualNetwork([5, 5, 2]).skips == [False]  # the first hidden layer is never a block


def test_same_draws_as_the_plain_network_and_the_block_adds_its_input():
    X = np.random.default_rng(0).random((3, 6))
    plain, res = Network([6, 4, 4, 2], seed=5), ResidualNetwork([6, 4, 4, 2], seed=5)
    for a, b in zip(plain.weights + plain.biases, res.weights + res.biases):
        np.testing.assert_array_equal(a, b)
    _, acts = res.forward(X)
    zs, plain_acts = plain.forward(X)
    np.testing.assert_allclose(acts[2], acts[1] + plain_acts[2], rtol=1e-14)


def test_the_block_jacobian_is_identity_plus_the_plain_layers():
    rng = np.random.default_rng(1)
    net = ResidualNetwork([3, 4, 4, 2], activation="tanh", seed=1)
    a1 = rng.standard_normal(4)
    W, b = net.weights[1], net.biases[1]

    def block(a):
        return a + np.tanh(W @ a + b)

    h = 1e-6
    numeric = np.column_stack([(block(a1 + h * e) - block(a1 - h * e)) / (2 * h) for e in np.eye(4)])
    expected = np.eye(4) + np.diag(1 - np.tanh(W @ a1 + b) ** 2) @ W
    np.testing.assert_allclose(numeric, expected, atol=1e-8)


def test_copy_stays_residual_and_is_deep():
    net = ResidualNetwork([3, 2, 2, 2], seed=0)
    twin = net.copy()
    assert isinstance(twin, ResidualNetwork) and twin.skips == net.skips
    twin.weights[1] += 1
    assert not np.array_equal(twin.weights[1], net.weights[1])
    assert repr(net).startswith("ResidualNetwork(")


def test_bad_inputs_are_the_base_classs():
    with pytest.raises(ValueError, match="sizes"):
        ResidualNetwork([3])
    net = ResidualNetwork([3, 2, 2, 2], seed=0)
    with pytest.raises(ValueError, match="X: expected shape"):
        net.gradients(np.ones((2, 4)), np.ones((2, 2)))
