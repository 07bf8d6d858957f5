r"""Curvature of a network's cost without forming its Hessian.

* :func:`hvp` approximates a Hessian-vector product :math:`H v` by a central
  difference of gradients, :math:`H v \approx (\nabla C(\theta + h v) - \nabla C(\theta - h v)) / 2h`
  (error :math:`O(h^2)` from the third derivatives plus about
  :math:`\epsilon_{mach}\lVert\nabla C\rVert / h` from rounding).
* :func:`fd_hessian` builds a whole (small) Hessian column by column that way.
* :func:`lanczos` runs the Lanczos iteration with full reorthogonalisation on
  any symmetric matrix given only as a function ``v -> A v``; the extreme
  eigenvalues of its tridiagonal matrix (the Ritz values) converge first to
  the extreme eigenvalues of ``A``.
* :func:`subspace_hessian` restricts ``A`` to a random k-dimensional subspace.
* :func:`network_gradient` turns a :class:`~vanishing.networks.network.Network` and a
  batch into the function :math:`\theta \mapsto \nabla C(\theta)`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vanishing.networks.network import check_batch

Array = np.ndarray


def _check_vector(name: str, v) -> Array:
    v = np.asarray(v, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"{name}: expected a non-empty 1-D array, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return v


def _check_step(h) -> float:
    if isinstance(h, bool) or not isinstance(h, numbers.Real) or not np.isfinite(h) or h <= 0:
        raise ValueError(f"h: the finite-difference step must be a finite number > 0, got {h!r}")
    return float(h)


def _check_int(name: str, value, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
        raise ValueError(f"{name}: must be an integer >= {lo}, got {value!r}")
    return int(value)


def network_gradient(net, X: Array, Y: Array) -> Callable[[Array], Array]:
    r"""The function :math:`\theta \mapsto \nabla C(\theta)` for ``net``'s mean cost on the batch (X, Y).

    ``theta`` is laid out as :meth:`Network.get_flat`; the returned function
    works on a private copy of ``net`` (``net`` itself is never changed).
    ``X`` has shape (m, sizes[0]), ``Y`` shape (m, sizes[-1]).
    """

    X, Y = check_batch(X, Y, net.sizes[0], net.sizes[-1])
    twin = net.copy()
    n = twin.get_flat().size

    def grad(theta: Array) -> Array:
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (n,):
            raise ValueError(f"theta: expected shape ({n},), got {theta.shape}")
        twin.set_flat(theta)
        gw, gb = twin._backprop(X, Y)
        return np.concatenate([p.ravel() for a, b in zip(gw, gb) for p in (a, b)])

    return grad


def hvp(grad: Callable[[Array], Array], theta, v, h: float = 1e-4) -> Array:
    r"""Hessian-vector product by central differences of the gradient.

    .. math:: H(\theta)\, v \approx \lVert v\rVert\,
              \frac{\nabla C(\theta + h\hat v) - \nabla C(\theta - h\hat v)}{2h},
              \qquad \hat v = v / \lVert v\rVert,

    so ``h`` is the length of the step in parameter space.  Shapes: ``theta``
    and ``v`` (n,), result (n,).  Exact (up to rounding) when C is quadratic.
    """
    theta, v, h = _check_vector("theta", theta), _check_vector("v", v), _check_step(h)
    if v.shape != theta.shape:
        raise ValueError(f"v: expected shape {theta.shape} to match theta, got {v.shape}")
    norm = float(np.linalg.norm(v))
    if norm == 0.0:
        return np.zeros_like(theta)
    u = v / norm
    return norm * (np.asarray(grad(theta + h * u)) - np.asarray(grad(theta - h * u))) / (2.0 * h)


def fd_hessian(grad: Callable[[Array], Array], theta, h: float = 1e-5) -> Array:
    r"""The full Hessian (n, n) by central differences of the gradient, symmetrised.

    Column j is :func:`hvp` with :math:`v = e_j`; the result is
    :math:`(H + H^T)/2`.  Costs 2n gradient evaluations: for small n only.
    """
    theta, h = _check_vector("theta", theta), _check_step(h)
    n = theta.size
    H = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        H[:, j] = hvp(grad, theta, e, h)
    return 0.5 * (H + H.T)


@dataclass
class LanczosResult:
    r"""Output of :func:`lanczos` after k steps.

    alphas (k,), betas (k-1,): the tridiagonal :math:`T_k = Q_k^T A Q_k`;
    ritz_values (k,): eigenvalues of :math:`T_k`, ascending;
    ritz_vectors (n, k): :math:`Q_k S`, unit vectors, column i for ritz_values[i];
    residuals (k,): :math:`\lVert A y_i - \theta_i y_i\rVert = \beta_k |s_{k,i}|`
    (an a-posteriori error bound: some eigenvalue of A lies within it of
    :math:`\theta_i`); matvecs: number of products with A.
    """

    alphas: Array
    betas: Array
    ritz_values: Array
    ritz_vectors: Array
    residuals: Array
    matvecs: int


def lanczos(matvec: Callable[[Array], Array], n: int, k: int, seed: int = 0) -> LanczosResult:
    r"""k steps of the Lanczos iteration on a symmetric (n, n) matrix A known through ``matvec(v) = A v``.

    From a random unit :math:`q_1` (drawn with ``seed``), builds orthonormal
    :math:`q_1, \dots, q_k` with
    :math:`\beta_j q_{j+1} = A q_j - \alpha_j q_j - \beta_{j-1} q_{j-1}`,
    :math:`\alpha_j = q_j^T A q_j`, re-orthogonalising each new vector against
    all previous ones (twice, classical Gram-Schmidt) so no spurious copies of
    eigenvalues appear.  The Ritz values (eigenvalues of the tridiagonal
    :math:`T_k`) interlace with, and lie inside, the spectrum of A; the extreme
    ones converge first to :math:`\lambda_{max}` and :math:`\lambda_{min}`.
    Stops early if the Krylov space becomes invariant (then the Ritz values
    are exact eigenvalues).  Costs k products with A.
    """
    n = _check_int("n", n, 1)
    k = _check_int("k", k, 1)
    if k > n:
        raise ValueError(f"k: must be <= n = {n}, got {k}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__}")
    if not callable(matvec):
        raise TypeError("matvec: expected a function v -> A v")
    rng = np.random.default_rng(seed)
    Q = np.zeros((n, k))
    q = rng.standard_normal(n)
    q /= np.linalg.norm(q)
    alphas, betas = [], []
    scale = 0.0
    for j in range(k):
        Q[:, j] = q
        w = np.asarray(matvec(q), dtype=float)
        if w.shape != (n,) or not np.all(np.isfinite(w)):
            raise ValueError(f"matvec: must return a finite array of shape ({n},), got shape {w.shape}")
        alpha = float(q @ w)
        alphas.append(alpha)
        w = w - alpha * q - (betas[-1] * Q[:, j - 1] if j else 0.0)
        for _ in range(2):  # full reorthogonalisation
            w -= Q[:, : j + 1] @ (Q[:, : j + 1].T @ w)
        beta = float(np.linalg.norm(w))
        scale = max(scale, abs(alpha), beta)
        if j == k - 1:
            last_beta = beta
            break
        if beta <= 1e-12 * max(scale, 1e-300):  # invariant subspace found: T is exact
            last_beta = 0.0
            break
        betas.append(beta)
        q = w / beta
    m = len(alphas)
    T = np.diag(alphas) + np.diag(betas, 1) + np.diag(betas, -1)
    vals, S = np.linalg.eigh(T)
    return LanczosResult(np.array(alphas), np.array(betas), vals, Q[:, :m] @ S, last_beta * np.abs(S[-1, :]), m)


def subspace_hessian(matvec: Callable[[Array], Array], n: int, k: int, seed: int = 0) -> Array:
    r"""The (k, k) matrix :math:`P^T A P` for a random orthonormal basis :math:`P` (n, k) of a subspace.

    Its eigenvalues describe A's curvature restricted to that subspace (they
    interlace with A's eigenvalues but are not a sample of them).
    Symmetrised; costs k products with A.
    """
    n = _check_int("n", n, 1)
    k = _check_int("k", k, 1)
    if k > n:
        raise ValueError(f"k: must be <= n = {n}, got {k}")
    rng = np.random.default_rng(seed)
    P, _ = np.linalg.qr(rng.standard_normal((n, k)))
    AP = np.column_stack([np.asarray(matvec(P[:, j]), dtype=float) for j in range(k)])
    M = P.T @ AP
    return 0.5 * (M + M.T)


def layer_slices(sizes) -> list[tuple[slice, slice]]:
    """For each layer l, the slices of (W^l, b^l) in the flat vector of :meth:`Network.get_flat`."""
    out, i = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w = slice(i, i + n_in * n_out)
        i += n_in * n_out
        b = slice(i, i + n_out)
        i += n_out
        out.append((w, b))
    return out


def restrict(matvec: Callable[[Array], Array], indices, n: int) -> Callable[[Array], Array]:
    r"""The block :math:`P^\top H P` of an operator: ``u`` (len(indices),) -> ``(H P u)[indices]``.

    :math:`P` embeds a vector of the selected coordinates (for example one layer's parameters) into
    the ``n``-dimensional parameter space with zeros elsewhere.
    """
    idx = np.asarray(indices)
    if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError("indices: expected a non-empty 1-D array of integer indices")
    if idx.min() < 0 or idx.max() >= n:
        raise ValueError(f"indices: must lie in [0, {n}), got {idx.min()}..{idx.max()}")

    def block(u: Array) -> Array:
        full = np.zeros(n)
        full[idx] = u
        return matvec(full)[idx]

    return block


def layer_shares(v, sizes) -> Array:
    r"""Fraction of :math:`\lVert v\rVert^2` in each layer's parameters (W^l and b^l), shape (L,)."""
    v = _check_vector("v", v)
    sl = layer_slices(sizes)
    if sl[-1][1].stop != v.size:
        raise ValueError(f"v: expected {sl[-1][1].stop} entries for sizes {list(sizes)}, got {v.size}")
    e = np.array([np.sum(v[w] ** 2) + np.sum(v[b] ** 2) for w, b in sl])
    return e / e.sum()


def last_layer_critical_targets(net, X: Array, mean: float = 0.5, spread: float = 0.2) -> tuple[object, Array]:
    r"""Targets that make :math:`w^L = 0` a critical point of a one-output network's cross-entropy cost.

    With :math:`w^L = 0` the output is :math:`\sigma(b^L)` for every input, every
    earlier-layer gradient is zero (:math:`\delta^{L-1} = w^L \sigma' \delta^L = 0`)
    and, with :math:`d_x = \sigma(b^L) - y_x`,

    .. math:: \partial C/\partial b^L = \tfrac1m\sum_x d_x,\qquad
              \partial C/\partial w^L = \tfrac1m\sum_x d_x\, a^{L-1}_x .

    Both vanish iff :math:`d \perp \mathbf 1` and :math:`d \perp a^{L-1}`.  This
    returns ``(net2, Y)``: a copy of ``net`` with :math:`w^L = 0`,
    :math:`\sigma(b^L) =` ``mean``, and targets :math:`y = \text{mean} - d`
    (shape (m, 1)) with d a non-zero vector orthogonal to both (the part of
    :math:`f'(z^{L-1})` outside their span), scaled so
    :math:`\max|d| =` ``spread``.  Needs a single output, m >= 3 rows of X
    with distinct :math:`a^{L-1}`, and targets inside (0, 1).
    """

    if net.sizes[-1] != 1:
        raise ValueError(f"net: needs a single output neuron, got sizes {net.sizes}")
    X, _ = check_batch(X, None, net.sizes[0], 1)
    if X.shape[0] < 3:
        raise ValueError(f"X: needs at least 3 rows, got {X.shape[0]}")
    for name, v in (("mean", mean), ("spread", spread)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not np.isfinite(v):
            raise ValueError(f"{name}: must be a finite number, got {v!r}")
    if not (0 < spread and 0 < mean - spread and mean + spread < 1):
        raise ValueError(f"spread: need 0 < mean - spread and mean + spread < 1, got mean={mean}, spread={spread}")
    twin = net.copy()
    twin.weights[-1][...] = 0.0
    twin.biases[-1][...] = np.log(mean / (1.0 - mean))
    zs, acts = twin._forward(X)
    a = acts[-2]  # (m, n_{L-1})
    B = np.column_stack([np.ones(X.shape[0]), a])
    Qb, _ = np.linalg.qr(B)
    # d along the part of da^{L-1}/db^{L-1} = f'(z^{L-1}) outside span{1, a}: this makes the
    # mixed second derivative d^2C / (dw^L db^{L-1}) = (1/m) sum_x d_x f'(z_x) non-zero.
    r = twin.activation.df(zs[-2][:, 0]) if len(zs) > 1 else (a[:, 0] - a[:, 0].mean()) ** 2
    d = r - Qb @ (Qb.T @ r)
    if np.max(np.abs(d)) < 1e-12 * max(1.0, np.max(np.abs(r))):
        raise ValueError("X: the activations a^{L-1} leave no direction orthogonal to 1 and a^{L-1}")
    d *= spread / np.max(np.abs(d))
    return twin, (mean - d)[:, None]


__all__ = [
    "network_gradient",
    "hvp",
    "fd_hessian",
    "LanczosResult",
    "lanczos",
    "subspace_hessian",
    "layer_slices",
    "layer_shares",
    "last_layer_critical_targets",
]
