"""Hessian-vector products by finite differences, Lanczos, and the last-layer critical point."""

import numpy as np
import pytest

from vanishing.landscapes import hessian as hs
from vanishing.landscapes.functions import classify_critical_point
from vanishing.networks.network import Network


def known_matrix(n=40, seed=0):
    rng = np.random.default_rng(seed)
    eig = np.concatenate([[-3.0, -1.5], np.linspace(-0.5, 1.0, n - 4), [2.0, 5.0]])
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (Q * eig) @ Q.T, eig


def small_net_problem(seed=0):
    net = Network([5, 4, 3, 2], seed=seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((7, 5))
    Y = rng.uniform(0.1, 0.9, (7, 2))
    return net, X, Y


def test_hvp_is_exact_for_a_quadratic():
    A, _ = known_matrix(12)
    theta = np.linspace(-1, 1, 12)
    v = np.cos(np.arange(12.0))
    np.testing.assert_allclose(hs.hvp(lambda t: A @ t, theta, v, h=0.3), A @ v, atol=1e-12)
    np.testing.assert_array_equal(hs.hvp(lambda t: A @ t, theta, np.zeros(12)), np.zeros(12))


def test_fd_hessian_of_a_small_network_is_symmetric_and_matches_hvp():
    net, X, Y = small_net_problem()
    g = hs.network_gradient(net, X, Y)
    theta = net.get_flat()
    H = hs.fd_hessian(g, theta, h=1e-5)
    assert H.shape == (theta.size, theta.size)
    v = np.random.default_rng(3).standard_normal(theta.size)
    np.testing.assert_allclose(hs.hvp(g, theta, v, h=1e-4), H @ v, rtol=1e-5, atol=1e-8)
    # the unsymmetrised columns already agree with their transposes (a genuine Hessian)
    cols = np.column_stack([hs.hvp(g, theta, e, 1e-5) for e in np.eye(theta.size)])
    np.testing.assert_allclose(cols, cols.T, atol=1e-7)


def test_network_gradient_matches_network_and_leaves_it_unchanged():
    net, X, Y = small_net_problem()
    before = net.get_flat()
    g = hs.network_gradient(net, X, Y)
    np.testing.assert_allclose(g(before + 0.1), g(before + 0.1))
    np.testing.assert_array_equal(net.get_flat(), before)
    np.testing.assert_allclose(g(before), net.flat_gradient(X, Y))
    with pytest.raises(ValueError, match="^theta"):
        g(np.zeros(3))


def test_lanczos_finds_extreme_eigenvalues_of_a_known_matrix():
    A, eig = known_matrix(200)
    res = hs.lanczos(lambda v: A @ v, 200, 40, seed=1)
    assert res.ritz_values[0] == pytest.approx(-3.0, abs=1e-8)
    assert res.ritz_values[-1] == pytest.approx(5.0, abs=1e-8)
    assert res.ritz_values[1] == pytest.approx(-1.5, abs=1e-6)
    # Ritz values lie inside the spectrum, residual bounds hold, Ritz vectors are orthonormal
    assert eig.min() - 1e-10 <= res.ritz_values.min() and res.ritz_values.max() <= eig.max() + 1e-10
    for i in (0, -1):
        y = res.ritz_vectors[:, i]
        r = np.linalg.norm(A @ y - res.ritz_values[i] * y)
        assert r == pytest.approx(res.residuals[i], abs=1e-8)
    np.testing.assert_allclose(res.ritz_vectors.T @ res.ritz_vectors, np.eye(40), atol=1e-8)
    assert res.matvecs == 40


def test_lanczos_with_k_equal_n_gives_the_whole_spectrum():
    A, eig = known_matrix(30)
    res = hs.lanczos(lambda v: A @ v, 30, 30, seed=0)
    np.testing.assert_allclose(res.ritz_values, np.sort(eig), atol=1e-9)


def test_lanczos_stops_on_an_invariant_subspace():
    A = np.diag([1.0, 1.0, 1.0, 2.0, 2.0, 2.0])  # two distinct eigenvalues: Krylov space of dimension 2
    res = hs.lanczos(lambda v: A @ v, 6, 6, seed=0)
    assert res.matvecs == 2
    np.testing.assert_allclose(res.ritz_values, [1.0, 2.0], atol=1e-12)


def test_subspace_hessian_interlaces():
    A, eig = known_matrix(50)
    M = hs.subspace_hessian(lambda v: A @ v, 50, 10, seed=0)
    ev = np.linalg.eigvalsh(M)
    np.testing.assert_allclose(M, M.T)
    assert eig.min() <= ev.min() and ev.max() <= eig.max()
    assert np.sort(np.linalg.eigvalsh(hs.subspace_hessian(lambda v: A @ v, 50, 50)))[0] == pytest.approx(-3.0)


def test_layer_shares():
    sizes = [3, 2, 1]
    v = np.ones(3 * 2 + 2 + 2 + 1)
    np.testing.assert_allclose(hs.layer_shares(v, sizes), [8 / 11, 3 / 11])
    assert [s[0].start for s in hs.layer_slices(sizes)] == [0, 8]
    with pytest.raises(ValueError, match="^v"):
        hs.layer_shares(np.ones(4), sizes)


def test_last_layer_zero_point_gradient_and_critical_construction():
    net = Network([1, 1, 1, 1, 1], seed=1)
    X = np.array([[-3.0], [-1.0], [0.5], [2.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    net.weights[-1][...] = 0.0
    grad = net.flat_gradient(X, Y)
    assert np.all(grad[:-2] == 0.0)  # earlier layers: delta^{L-1} = w^L sigma' delta^L = 0 exactly
    assert abs(grad[-2]) > 1e-3 and abs(grad[-1]) > 1e-3  # dC/dw^L and dC/db^L do not vanish
    twin, Yc = hs.last_layer_critical_targets(net, X, 0.5, 0.2)
    assert np.all((Yc > 0) & (Yc < 1))
    theta = twin.get_flat()
    assert np.max(np.abs(twin.flat_gradient(X, Yc))) < 1e-12
    H = hs.fd_hessian(hs.network_gradient(twin, X, Yc), theta, h=1e-5)
    assert classify_critical_point(H, tol=1e-8) == "saddle"


def test_bad_input():
    A, _ = known_matrix(10)
    mv = lambda v: A @ v  # noqa: E731
    with pytest.raises(ValueError, match="^h"):
        hs.hvp(mv, np.zeros(10), np.ones(10), h=0.0)
    with pytest.raises(ValueError, match="^v"):
        hs.hvp(mv, np.zeros(10), np.ones(9))
    with pytest.raises(ValueError, match="^theta"):
        hs.hvp(mv, np.array([np.nan] * 10), np.ones(10))
    with pytest.raises(ValueError, match="^k"):
        hs.lanczos(mv, 10, 0)
    with pytest.raises(ValueError, match="^k"):
        hs.lanczos(mv, 10, 11)
    with pytest.raises(ValueError, match="^n"):
        hs.lanczos(mv, 0, 1)
    with pytest.raises(ValueError, match="^matvec"):
        hs.lanczos(lambda v: np.full(10, np.nan), 10, 3)
    with pytest.raises(TypeError, match="^matvec"):
        hs.lanczos(None, 10, 3)
    with pytest.raises(ValueError, match="^net"):
        hs.last_layer_critical_targets(Network([1, 2, 2]), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="^X"):
        hs.last_layer_critical_targets(Network([1, 1, 1]), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="^spread"):
        hs.last_layer_critical_targets(Network([1, 1, 1]), np.zeros((3, 1)), 0.5, 0.6)


def test_restrict_is_the_block_of_the_operator():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    H = A + A.T
    idx = np.array([1, 3, 4])
    block = hs.restrict(lambda u: H @ u, idx, 6)
    u = rng.standard_normal(3)
    np.testing.assert_allclose(block(u), H[np.ix_(idx, idx)] @ u, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("idx", [[], [0, 6], [-1], [[0, 1]], [0.5]])
def test_restrict_rejects_bad_indices(idx):
    with pytest.raises(ValueError, match="indices"):
        hs.restrict(lambda u: u, np.array(idx), 6)
