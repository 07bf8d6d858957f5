r"""The steps of :func:`vanishing.training.fit.fit` compiled with Numba for chapter 5's other remedies.

:mod:`vanishing.training.compiled` runs plain SGD, where each layer's step can be taken as soon as
its gradient is known.  Here the whole gradient comes first, so that it can be clipped or fed to
Adam, for the three networks of :func:`~vanishing.training.fit.fit`: the plain
:class:`~vanishing.networks.network.Network`, the :class:`~vanishing.networks.residual.ResidualNetwork`
and the :class:`~vanishing.networks.batchnorm.BatchNormNetwork`.  Per mini-batch of m rows:

1. the gradient :math:`g` of the mini-batch's mean cost, by the forward and backward passes of the
   network's own module (the residual blocks' :math:`G^{l-1} = \Delta^l W^l + G^l`; batch statistics,
   :math:`\partial C/\partial\gamma`, :math:`\partial C/\partial\beta` and the normalisation's backward
   pass, and the running averages' update);
2. its global norm :math:`\lVert g\rVert`, clipped to :math:`c` if a threshold is given
   (:func:`~vanishing.training.clipping.clip_by_global_norm`; a non-finite norm then stops the run);
3. the step of :func:`~vanishing.training.fit.fit`: SGD, :math:`p \leftarrow d\,p - \eta g`, or Adam,
   :math:`p \leftarrow p - \eta\,\hat m/(\sqrt{\hat v} + \epsilon) - (1 - d)\,p`, with the decay
   :math:`d = 1 - \eta\lambda/n` on the weights only.

The arithmetic is the NumPy code's, in another order: the results agree with it to round-off, not
bit for bit.  The parameters travel as one vector laid out as the network's ``get_flat``; the
matrix products are BLAS calls, the rest loops (see :mod:`vanishing.training.compiled`).
"""

from __future__ import annotations

import math
import time

import numba
import numpy as np

from vanishing.checks import finite_positive
from vanishing.networks.activations import ACTIVATIONS
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network
from vanishing.networks.residual import ResidualNetwork
from vanishing.training import compiled
from vanishing.training.compiled import _N, _T, CODES, _activate, _check_rows, _check_step, _gemm, _output_delta

Array = np.ndarray

#: The networks the kernel computes, by code.
PLAIN, RESIDUAL, BATCHNORM = 0, 1, 2


@numba.njit(cache=True)
def _layout(sizes, kind, m):
    """Where layer l's parameters start in theta (W^l, then b^l, or γ^l and β^l under batch norm),
    where A^l starts in the work arrays of m rows, and where layer l's units start in a per-unit array."""
    L = sizes.size - 1
    p_at = np.zeros(L + 1, np.int64)
    a_at = np.zeros(L + 2, np.int64)
    u_at = np.zeros(L + 2, np.int64)
    for l in range(L):
        extra = 2 if kind == BATCHNORM and l < L - 1 else 1
        p_at[l + 1] = p_at[l] + sizes[l] * sizes[l + 1] + extra * sizes[l + 1]
    for l in range(L + 1):
        a_at[l + 1] = a_at[l] + m * sizes[l]
        u_at[l + 1] = u_at[l] + sizes[l]
    return p_at, a_at, u_at


@numba.njit(cache=True)
def _normalise(z, mb, n, gamma, beta, eps, zhat, std, mean, var):
    """Batch norm of Z (mb, n) in place: Ẑ = (Z - μ)/√(v + ε) into zhat, then U = γ Ẑ + β into z."""
    for j in range(n):
        s = 0.0
        for r in range(mb):
            s += z[r * n + j]
        mu = s / mb
        q = 0.0
        for r in range(mb):
            e = z[r * n + j] - mu
            q += e * e
        mean[j], var[j] = mu, q / mb
        std[j] = math.sqrt(q / mb + eps)
        for r in range(mb):
            zh = (z[r * n + j] - mu) / std[j]
            zhat[r * n + j] = zh
            z[r * n + j] = gamma[j] * zh + beta[j]


@numba.njit(cache=True)
def _forward(theta, sizes, kind, skips, lay, work, mb, hidden, eps, scalars):
    """A^l and F^l (f' at Z^l, or at U^l under batch norm) of every layer for the mb rows in A^0;
    under batch norm also Ẑ^l, √(v^l + ε) and the batch statistics μ^l, v^l."""
    p_at, a_at, u_at = lay
    acts, dfs, zhats, stds, means, variances = work
    L = sizes.size - 1
    for l in range(L):
        n_in, n_out = sizes[l], sizes[l + 1]
        z = acts[a_at[l + 1] : a_at[l + 1] + mb * n_out]
        after_w = p_at[l] + n_in * n_out
        normalised = kind == BATCHNORM and l < L - 1
        if normalised:  # no bias: β^l takes its place after the normalisation
            _gemm(_T, _N, n_out, mb, n_in, 1.0, theta[p_at[l] :], n_in, acts[a_at[l] :], n_in, 0.0, z, n_out, scalars)
            u = u_at[l + 1]
            _normalise(z, mb, n_out, theta[after_w:], theta[after_w + n_out :], eps, zhats[a_at[l + 1] :],
                       stds[u:], means[u:], variances[u:])  # fmt: skip
        else:
            for r in range(mb):
                z[r * n_out : (r + 1) * n_out] = theta[after_w : after_w + n_out]
            _gemm(_T, _N, n_out, mb, n_in, 1.0, theta[p_at[l] :], n_in, acts[a_at[l] :], n_in, 1.0, z, n_out, scalars)
        _activate(0 if l == L - 1 else hidden, z, dfs[a_at[l + 1] : a_at[l + 1] + mb * n_out])
        if skips[l]:  # a residual block: A^l = A^{l-1} + f(Z^l)
            z += acts[a_at[l] : a_at[l] + mb * n_out]


@numba.njit(cache=True)
def _normalise_back(delta, mb, n, gamma, grad_gb, zhat, std):
    """From Δ = ∂C/∂U (mb, n): ∂C/∂γ and ∂C/∂β into grad_gb[:n] and grad_gb[n:2n] (the slots after W's)
    and, in place, Δ <- ∂C/∂Z = (G - mean G - Ẑ mean(G Ẑ))/std with G = γ Δ, means over the rows."""
    for j in range(n):
        gb, gg, mg, mgz = 0.0, 0.0, 0.0, 0.0
        for r in range(mb):
            d, zh = delta[r * n + j], zhat[r * n + j]
            gb += d
            gg += d * zh
            mg += gamma[j] * d
            mgz += gamma[j] * d * zh
        grad_gb[j], grad_gb[n + j] = gg, gb
        mg, mgz = mg / mb, mgz / mb
        for r in range(mb):
            delta[r * n + j] = (gamma[j] * delta[r * n + j] - mg - zhat[r * n + j] * mgz) / std[j]


@numba.njit(cache=True)
def _backward(theta, grad, sizes, kind, skips, lay, work, mb, bufs, scalars):
    """The gradient of the mean cost into grad (laid out as theta), from Δ^L in bufs[0]."""
    p_at, a_at, u_at = lay
    acts, dfs, zhats, stds, _, _ = work
    delta, spare, carry = bufs
    L = sizes.size - 1
    for l in range(L - 1, -1, -1):
        n_in, n_out = sizes[l], sizes[l + 1]
        after_w = p_at[l] + n_in * n_out
        if kind == BATCHNORM and l < L - 1:  # Δ is ∂C/∂U^l: γ's and β's gradients, then ∂C/∂Z^l
            u = u_at[l + 1]
            _normalise_back(delta, mb, n_out, theta[after_w:], grad[after_w:], zhats[a_at[l + 1] :], stds[u:])
        else:
            for j in range(n_out):
                s = 0.0
                for r in range(mb):
                    s += delta[r * n_out + j]
                grad[after_w + j] = s
        _gemm(_N, _T, n_in, n_out, mb, 1.0, acts[a_at[l] :], n_in, delta, n_out, 0.0, grad[p_at[l] :], n_in, scalars)
        if l == 0:
            break
        # ∂C/∂A^{l-1} = Δ^l W^l, plus ∂C/∂A^l past a residual block; then times f' of layer l - 1
        _gemm(_N, _N, n_in, mb, n_out, 1.0, theta[p_at[l] :], n_in, delta, n_out, 0.0, spare, n_in, scalars)
        if skips[l]:
            spare[: mb * n_in] += carry[: mb * n_in]
        if kind == RESIDUAL:
            carry[: mb * n_in] = spare[: mb * n_in]
        spare[: mb * n_in] *= dfs[a_at[l] : a_at[l] + mb * n_in]
        delta, spare = spare, delta


#: Adam's constants, those of :func:`vanishing.training.optimizers.adam_step`'s defaults.
BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8


@numba.njit(cache=True)
def _step(theta, grad, step_args, state):
    """One step on theta from grad, clipped to norm ``clip`` if ``clip`` > 0: SGD, or Adam with
    ``moments`` (2, n) and its step count counts[0]; counts[1] counts the clipped steps, norms[0] and
    norms[1] keep the largest norm and their sum.  False if clipping met a non-finite norm (no step)."""
    _, eta, wd, clip, adam, is_weight = step_args
    moments, counts, norms, _, _ = state
    q = 0.0
    for i in range(grad.size):
        q += grad[i] * grad[i]
    norm = math.sqrt(q)
    scale = 1.0
    if clip > 0:
        if not math.isfinite(norm):
            return False
        if norm > clip:
            scale = clip / norm
            counts[1] += 1
    norms[0] = max(norms[0], norm)
    norms[1] += norm
    if adam:
        counts[0] += 1
        c1, c2 = 1.0 - BETA1 ** counts[0], 1.0 - BETA2 ** counts[0]
        m, v = moments[0], moments[1]
        for i in range(theta.size):
            g = grad[i] * scale
            m[i] = BETA1 * m[i] + (1.0 - BETA1) * g
            v[i] = BETA2 * v[i] + (1.0 - BETA2) * g * g
            x = theta[i]
            theta[i] = x - eta * (m[i] / c1) / (math.sqrt(v[i] / c2) + ADAM_EPS)
            if is_weight[i]:
                theta[i] -= wd * x
    else:
        shrink = 1.0 - wd
        for i in range(theta.size):
            if is_weight[i]:
                theta[i] *= shrink
            theta[i] -= eta * (grad[i] * scale)
    return True


@numba.njit(cache=True)
def _epoch(X, Y, order, theta, net_args, step_args, state):
    """Mini-batches of ``batch_size`` rows of X taken in ``order`` (a last batch of one row is left out
    under batch norm); theta and ``state`` (Adam's moments, the counts, the norms, the running averages)
    are updated in place.  Returns the steps taken and False if clipping met a non-finite norm."""
    sizes, kind, skips, hidden, eps, rho = net_args
    batch_size = step_args[0]
    run_mean, run_var = state[3], state[4]
    m = min(batch_size, max(order.size, 1))
    lay = _layout(sizes, kind, m)
    a_at, u_at = lay[1], lay[2]
    work = (np.empty(a_at[-1]), np.empty(a_at[-1]), np.empty(a_at[-1]),
            np.empty(u_at[-1]), np.empty(u_at[-1]), np.empty(u_at[-1]))  # fmt: skip
    bufs = (np.empty(m * sizes.max()), np.empty(m * sizes.max()), np.empty(m * sizes.max()))
    grad, scalars = np.empty(theta.size), np.empty(2)
    n_in, L = sizes[0], sizes.size - 1
    steps = 0
    for start in range(0, order.size, m):
        mb = min(m, order.size - start)
        if kind == BATCHNORM and mb < 2:
            break
        rows = order[start : start + mb]
        for r in range(mb):
            work[0][r * n_in : (r + 1) * n_in] = X[rows[r]]
        _forward(theta, sizes, kind, skips, lay, work, mb, hidden, eps, scalars)
        _output_delta(work[0], work[1], a_at[L], Y, rows, mb, False, bufs[0])  # sigmoid output, cross-entropy
        _backward(theta, grad, sizes, kind, skips, lay, work, mb, bufs, scalars)
        if kind == BATCHNORM:  # the running averages, with the unbiased variance
            for i in range(run_mean.size):
                run_mean[i] = (1 - rho) * run_mean[i] + rho * work[4][u_at[1] + i]
                run_var[i] = (1 - rho) * run_var[i] + rho * work[5][u_at[1] + i] * mb / (mb - 1)
        if not _step(theta, grad, step_args, state):
            return steps, False
        steps += 1
    return steps, True


def _kind(net) -> int:
    """The code of ``net``'s kind (:data:`PLAIN`, :data:`RESIDUAL`, :data:`BATCHNORM`)."""
    return BATCHNORM if isinstance(net, BatchNormNetwork) else RESIDUAL if isinstance(net, ResidualNetwork) else PLAIN


def covers(net) -> bool:
    """True if the kernel computes ``net``'s gradient: a plain or residual network that
    :func:`vanishing.training.compiled.covers`, with a sigmoid output and the cross-entropy cost, or a
    batch-normalised network with a built-in hidden activation (any optimiser, any clipping)."""
    if isinstance(net, BatchNormNetwork):
        return ACTIVATIONS.get(net.activation.name) is net.activation
    if type(net) not in (Network, ResidualNetwork):
        raise TypeError(f"net: expected a Network, a ResidualNetwork or a BatchNormNetwork, got {type(net).__name__}")
    return compiled.covers(net) and net.output_activation.name == "sigmoid" and net.cost_name == "cross_entropy"


class Steps:
    """:func:`vanishing.training.fit.fit`'s steps on ``net``, compiled: :meth:`run` takes them on a
    list of rows, in place, and keeps Adam's state and the norms from one call to the next.

    ``optimiser``: ``"sgd"`` or ``"adam"``; ``eta`` the learning rate; ``decay`` = λ/n (the weights'
    decay per step is η λ/n); ``clip``: the threshold c, or None.
    """

    def __init__(self, net, *, optimiser: str, eta: float, decay: float, clip: float | None) -> None:
        if not covers(net):
            raise ValueError("net: its activations or its cost are not those the compiled steps compute")
        if optimiser not in ("sgd", "adam"):
            raise ValueError(f"optimiser: expected 'sgd' or 'adam', got {optimiser!r}")
        _, eta, decay, _ = _check_step(net, 1, eta, decay, None)
        if clip is not None:
            clip = finite_positive("clip", clip)
        self.net = net
        kind = _kind(net)
        params = net.parameters() if kind == BATCHNORM else [p for Wb in zip(net.weights, net.biases) for p in Wb]
        is_weight = np.concatenate([np.full(p.size, p.ndim == 2) for p in params])
        skips = np.zeros(len(net.sizes) - 1, dtype=np.bool_)
        if kind == RESIDUAL:
            skips[: net.n_hidden] = net.skips
        bn = kind == BATCHNORM
        self.net_args = (np.array(net.sizes, dtype=np.int64), kind, skips, CODES[net.activation.name],
                         float(net.eps) if bn else 0.0, float(net.momentum) if bn else 0.0)  # fmt: skip
        self.step_args = [0, float(eta), float(eta) * float(decay), float(clip or 0.0), optimiser == "adam", is_weight]
        self.moments = np.zeros((2, is_weight.size) if optimiser == "adam" else (2, 0))
        self.counts, self.norms = np.zeros(2, dtype=np.int64), np.zeros(2)

    def run(self, X: Array, Y: Array, rows: Array, batch_size: int) -> tuple[int, bool]:
        """Steps on the mini-batches ``rows[0:batch_size]``, ... of ``X`` (n, sizes[0]) with one-hot
        ``Y`` (n, sizes[-1]); returns the steps taken and False if the run must stop (a non-finite norm
        met by clipping)."""
        net = self.net
        X, Y, rows = _check_rows(X, Y, rows, net)
        bn = isinstance(net, BatchNormNetwork)
        run_mean = np.concatenate(net.running_means) if bn else np.zeros(0)
        run_var = np.concatenate(net.running_vars) if bn else np.zeros(0)
        theta = net.get_flat()
        self.step_args[0] = _check_step(net, batch_size, 0.0, 0.0, None)[0]
        if bn and batch_size < 2:
            raise ValueError(f"batch_size: batch statistics need at least 2 rows, got {batch_size!r}")
        state = (self.moments, self.counts, self.norms, run_mean, run_var)
        steps, ok = _epoch(X, Y, rows, theta, self.net_args, tuple(self.step_args), state)
        net.set_flat(theta)
        if bn:
            at = np.cumsum([0] + net.sizes[1:-1])
            net.running_means = [run_mean[a:b].copy() for a, b in zip(at[:-1], at[1:])]
            net.running_vars = [run_var[a:b].copy() for a, b in zip(at[:-1], at[1:])]
        return int(steps), bool(ok)

    def totals(self) -> dict:
        """The steps clipped, the largest and the sum of the gradient norms, as :func:`fit` counts them."""
        return {"clipped": int(self.counts[1]), "max_norm": float(self.norms[0]), "sum_norm": float(self.norms[1])}


class FusedSGD:
    """Plain SGD's steps by the fused kernel (:func:`vanishing.training.compiled.sgd_epoch`), which takes
    each layer's step as soon as its gradient is known, so that the gradient's norm is not measured
    (NaN); the interface of :class:`Steps`.  ``decay`` = λ/n: the weights shrink by 1 - η λ/n per step."""

    def __init__(self, net, *, eta: float, decay: float) -> None:
        self.net, self.eta, self.shrink = net, eta, 1.0 - eta * decay

    def run(self, X: Array, Y: Array, rows: Array, batch_size: int) -> tuple[int, bool]:
        """As :meth:`Steps.run`; the run always goes on (divergence shows in the parameters)."""
        compiled.sgd_epoch(self.net, X, Y, rows, batch_size, self.eta, self.shrink)
        return -(-rows.size // batch_size), True

    def totals(self) -> dict:
        """As :meth:`Steps.totals`, the norms unknown."""
        return {"max_norm": np.nan, "sum_norm": np.nan}


def runner(net, *, optimiser: str, eta: float, decay: float, clip: float | None) -> FusedSGD | Steps | None:
    """The compiled runner of :func:`vanishing.training.fit.fit`'s steps on ``net``: :class:`FusedSGD` for a
    plain :class:`~vanishing.networks.network.Network` (not residual) trained by SGD without clipping and
    covered by the fused kernel, :class:`Steps` for any other network it :func:`covers`, else None."""
    if type(net) is Network and optimiser == "sgd" and clip is None and compiled.covers(net):
        return FusedSGD(net, eta=eta, decay=decay)
    return Steps(net, optimiser=optimiser, eta=eta, decay=decay, clip=clip) if covers(net) else None


def warm_up() -> float:
    """Compile the kernel, or load it from Numba's disk cache; return the seconds it took (call it
    before forking worker processes, as :func:`vanishing.training.compiled.warm_up`)."""
    t = time.perf_counter()
    net = BatchNormNetwork([1, 1, 1], seed=0)
    Steps(net, optimiser="adam", eta=0.1, decay=0.0, clip=1.0).run(np.zeros((2, 1)), np.zeros((2, 1)), np.arange(2), 2)
    return time.perf_counter() - t


__all__ = ["covers", "Steps", "FusedSGD", "runner", "warm_up", "PLAIN", "RESIDUAL", "BATCHNORM"]
