r"""The recurrent networks' forward and backward passes as scalar loops, compiled with Numba.

The same arithmetic as :mod:`vanishing.networks.recurrent` (vanilla: :math:`a_t = W h_{t-1} + U x_t + b`,
:math:`h_t = f(a_t)`) and :mod:`vanishing.networks.lstm` (gates i, f, o, g; :math:`c_t = f_t c_{t-1} + i_t g_t`,
:math:`h_t = o_t \tanh c_t`), read out at the last step, :math:`z = V h_T + c`, with the quadratic or the
softmax cost of :mod:`vanishing.networks.readout`. Every sum is a plain loop in a fixed order, with no BLAS
call and no SIMD-dispatched NumPy function: the results do not depend on which kernels a CPU gets (the
x86-64 baseline gives the same bits), and agree with the NumPy reference to round-off.

The parameters travel as one vector ``theta`` laid out as ``SequenceModel.get_flat`` does
(vanilla: ``W`` (n, n), ``U`` (n, n_in), ``b`` (n,), ``V`` (n_out, n), ``c`` (n_out,); LSTM: ``Wx``
(4n, n_in), ``Wh`` (4n, n), ``b`` (4n,), ``V``, ``c``), row-major; the gradient ``grad`` likewise.
Activation codes: 0 tanh, 1 sigmoid, 2 ReLU; ``lstm`` selects the LSTM.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork, SequenceModel

Array = np.ndarray

#: Activation codes of the vanilla cell.
CODES = {"tanh": 0, "sigmoid": 1, "relu": 2}


@numba.njit(cache=True)
def _sigmoid(z):
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@numba.njit(cache=True)
def _f(z, kind):
    if kind == 0:
        return math.tanh(z)
    if kind == 1:
        return _sigmoid(z)
    return z if z > 0.0 else 0.0


@numba.njit(cache=True)
def _df(z, kind):
    if kind == 0:
        t = math.tanh(z)
        return 1.0 - t * t
    if kind == 1:
        t = math.exp(-abs(z))
        return t / ((1.0 + t) * (1.0 + t))
    return 1.0 if z > 0.0 else 0.0


@numba.njit(cache=True)
def _readout(theta, off_v, h, z):
    """z = V h + c for one final state h (n,); V starts at ``off_v`` in theta."""
    o, n = z.size, h.size
    for k in range(o):
        s = theta[off_v + o * n + k]
        for i in range(n):
            s += theta[off_v + k * n + i] * h[i]
        z[k] = s


@numba.njit(cache=True)
def _loss_delta(z, y, softmax, dz):
    """The loss of one sequence, and dL/dz in ``dz``."""
    o = z.size
    if not softmax:
        loss = 0.0
        for k in range(o):
            dz[k] = z[k] - y[k]
            loss += 0.5 * dz[k] * dz[k]
        return loss
    top = z[0]
    for k in range(1, o):
        top = max(top, z[k])
    total = 0.0
    for k in range(o):
        total += math.exp(z[k] - top)
    log_total = math.log(total)
    loss = 0.0
    for k in range(o):
        log_p = z[k] - top - log_total
        loss -= y[k] * log_p
        dz[k] = math.exp(log_p) - y[k]
    return loss


@numba.njit(cache=True)
def _rnn_forward(theta, WT, x, n, kind, A, H):
    """One vanilla sequence x (T, n_in): pre-activations A (T, n), states H (T+1, n), H[0] = 0.
    ``WT``: W transposed, (n, n) row-major."""
    T, ni = x.shape
    ou, ob = n * n, n * n + n * ni
    for i in range(n):
        H[0, i] = 0.0
    for t in range(T):
        # a_i = b_i + sum_j U_ij x_j + sum_j W_ij h_j, each sum in order of j; column by column of W,
        # so that the loop over i vectorises
        for i in range(n):
            A[t, i] = theta[ob + i]
        for j in range(ni):
            for i in range(n):
                A[t, i] += theta[ou + i * ni + j] * x[t, j]
        for j in range(n):
            for i in range(n):
                A[t, i] += WT[j * n + i] * H[t, j]
        for i in range(n):
            H[t + 1, i] = _f(A[t, i], kind)


@numba.njit(cache=True)
def _rnn_backward(theta, x, dz, n, kind, A, H, grad, inv_m, dh, d):
    """Add one sequence's gradient (times ``inv_m``) to ``grad``; ``dh`` ends as dL/dh_0."""
    T, ni = x.shape
    o = dz.size
    ou, ob, ov = n * n, n * n + n * ni, n * n + n * ni + n
    for i in range(n):
        s = 0.0
        for k in range(o):
            s += theta[ov + k * n + i] * dz[k]
        dh[i] = s
    for k in range(o):
        for i in range(n):
            grad[ov + k * n + i] += dz[k] * H[T, i] * inv_m
        grad[ov + o * n + k] += dz[k] * inv_m
    for t in range(T - 1, -1, -1):
        for i in range(n):
            d[i] = dh[i] * _df(A[t, i], kind)
        for i in range(n):
            di = d[i] * inv_m
            for j in range(n):
                grad[i * n + j] += di * H[t, j]
            for j in range(ni):
                grad[ou + i * ni + j] += di * x[t, j]
            grad[ob + i] += di
        for j in range(n):  # dh_j = sum_i W_ij d_i, summed over i in order; row by row, so the loop over j vectorises
            dh[j] = 0.0
        for i in range(n):
            for j in range(n):
                dh[j] += theta[i * n + j] * d[i]


@numba.njit(cache=True)
def _lstm_forward(theta, WhT, x, n, G, C, TC, H):
    """One LSTM sequence: gates G (T, 4n) after squashing (i, f, o, g), cells C, their tanh TC and states
    H (T+1, n). ``WhT``: Wh transposed, (n, 4n) row-major."""
    T, ni = x.shape
    ob = 4 * n * ni + 4 * n * n
    for i in range(n):
        C[0, i] = 0.0
        H[0, i] = 0.0
    for t in range(T):
        # a_r = b_r + sum_j Wx_rj x_j + sum_j Wh_rj h_j, each sum in order of j; column by column of Wh,
        # so that the loop over r vectorises
        for r in range(4 * n):
            G[t, r] = theta[ob + r]
        for j in range(ni):
            for r in range(4 * n):
                G[t, r] += theta[r * ni + j] * x[t, j]
        for j in range(n):
            for r in range(4 * n):
                G[t, r] += WhT[j * 4 * n + r] * H[t, j]
        for r in range(4 * n):
            G[t, r] = math.tanh(G[t, r]) if r >= 3 * n else _sigmoid(G[t, r])
        for i in range(n):
            C[t + 1, i] = G[t, n + i] * C[t, i] + G[t, i] * G[t, 3 * n + i]
            TC[t + 1, i] = math.tanh(C[t + 1, i])
            H[t + 1, i] = G[t, 2 * n + i] * TC[t + 1, i]


@numba.njit(cache=True)
def _lstm_backward(theta, x, dz, n, G, C, TC, H, grad, inv_m, dh, carry, da):
    """Add one LSTM sequence's gradient (times ``inv_m``) to ``grad``."""
    T, ni = x.shape
    o = dz.size
    oh, ob, ov = 4 * n * ni, 4 * n * ni + 4 * n * n, 4 * n * ni + 4 * n * n + 4 * n
    for i in range(n):
        s = 0.0
        for k in range(o):
            s += theta[ov + k * n + i] * dz[k]
        dh[i] = s
        carry[i] = 0.0
    for k in range(o):
        for i in range(n):
            grad[ov + k * n + i] += dz[k] * H[T, i] * inv_m
        grad[ov + o * n + k] += dz[k] * inv_m
    for t in range(T, 0, -1):
        for i in range(n):
            ig, fg, og, gg = G[t - 1, i], G[t - 1, n + i], G[t - 1, 2 * n + i], G[t - 1, 3 * n + i]
            tc = TC[t, i]
            dc = carry[i] + dh[i] * og * (1.0 - tc * tc)
            da[i] = dc * gg * ig * (1.0 - ig)
            da[n + i] = dc * C[t - 1, i] * fg * (1.0 - fg)
            da[2 * n + i] = dh[i] * tc * og * (1.0 - og)
            da[3 * n + i] = dc * ig * (1.0 - gg * gg)
            carry[i] = dc * fg
        for r in range(4 * n):
            dr = da[r] * inv_m
            for j in range(ni):
                grad[r * ni + j] += dr * x[t - 1, j]
            for j in range(n):
                grad[oh + r * n + j] += dr * H[t - 1, j]
            grad[ob + r] += dr
        for j in range(n):  # dh_j = sum_r Wh_rj da_r, summed over r in order; row by row, so the loop over j vectorises
            dh[j] = 0.0
        for r in range(4 * n):
            for j in range(n):
                dh[j] += theta[oh + r * n + j] * da[r]


@numba.njit(cache=True)
def _offset_v(n, ni, lstm):
    return 4 * n * ni + 4 * n * n + 4 * n if lstm else n * n + n * ni + n


@numba.njit(cache=True)
def _transposed(theta, at, rows, cols):
    """The (rows, cols) row-major matrix stored in theta from ``at`` on, transposed: (cols, rows) row-major,
    flat (the recurrent matrix, for the forward passes' column-by-column sums)."""
    out = np.empty(rows * cols)
    for r in range(rows):
        for j in range(cols):
            out[j * rows + r] = theta[at + r * cols + j]
    return out


@numba.njit(cache=True)
def batch_pass(theta, X, Y, n, kind, lstm, softmax, grad, want_grad, Z):
    """Mean cost over the batch X (m, T, n_in), Y (m, n_out); read-outs in Z (m, n_out); with
    ``want_grad`` the gradient of the mean cost in ``grad`` (overwritten)."""
    m, T, ni = X.shape
    o = Y.shape[1]
    rows = 4 * n if lstm else n
    A = np.empty((T, rows))
    C = np.empty((T + 1, n))
    TC = np.empty((T + 1, n))
    H = np.empty((T + 1, n))
    dz, dh, carry, d = np.empty(o), np.empty(n), np.empty(n), np.empty(rows)
    off_v = _offset_v(n, ni, lstm)
    RT = _transposed(theta, 4 * n * ni if lstm else 0, rows, n)
    if want_grad:
        grad[:] = 0.0
    total = 0.0
    for s in range(m):
        if lstm:
            _lstm_forward(theta, RT, X[s], n, A, C, TC, H)
        else:
            _rnn_forward(theta, RT, X[s], n, kind, A, H)
        _readout(theta, off_v, H[T], Z[s])
        total += _loss_delta(Z[s], Y[s], softmax, dz)
        if want_grad:
            if lstm:
                _lstm_backward(theta, X[s], dz, n, A, C, TC, H, grad, 1.0 / m, dh, carry, d)
            else:
                _rnn_backward(theta, X[s], dz, n, kind, A, H, grad, 1.0 / m, dh, d)
    return total / m


@numba.njit(cache=True)
def _all_finite(v):
    for x in v:
        if not math.isfinite(x):
            return False
    return True


@numba.njit(cache=True)
def sgd_run(theta, Xs, Ys, n, kind, lstm, softmax, eta, clip, limit):
    """SGD on the batches ``Xs`` (steps, m, T, n_in), ``Ys`` (steps, m, n_out), ``theta`` updated in place.

    Clipped at ``clip`` when it is > 0. Returns the costs and gradient norms (NaN after a divergence),
    the update at which the run diverged (-1 if it did not) and the number of clipped updates.
    """
    steps = Xs.shape[0]
    costs, norms = np.full(steps, np.nan), np.full(steps, np.nan)
    grad = np.empty_like(theta)
    Z = np.empty(Ys.shape[1:])
    diverged_at, n_clipped = -1, 0
    for k in range(steps):
        costs[k] = batch_pass(theta, Xs[k], Ys[k], n, kind, lstm, softmax, grad, True, Z)
        sq = 0.0
        for g in grad:
            sq += g * g
        norms[k] = math.sqrt(sq)
        if not (math.isfinite(costs[k]) and math.isfinite(norms[k]) and costs[k] <= limit):
            diverged_at = k
            break
        scale = 1.0
        if clip > 0.0 and norms[k] > clip:
            scale = clip / norms[k]
            n_clipped += 1
        for i in range(theta.size):
            theta[i] -= eta * (grad[i] * scale)
        if not _all_finite(theta):
            diverged_at = k
            break
    return costs, norms, diverged_at, n_clipped


def model_codes(model: SequenceModel) -> tuple[int, int, bool, bool]:
    """``(n_hidden, activation code, lstm, softmax)`` of a network, as the kernels take them."""
    if isinstance(model, LSTM):
        return model.n_hidden, 0, True, model.cost_name == "softmax"
    if not isinstance(model, RecurrentNetwork):
        raise TypeError(f"model: expected a RecurrentNetwork or an LSTM, got {type(model).__name__}")
    return model.n_hidden, CODES[model.activation.name], False, model.cost_name == "softmax"


def readout_and_cost(model: SequenceModel, X: Array, Y: Array) -> tuple[Array, float]:
    """The read-outs ``z`` (m, n_out) and the mean cost of checked sequences ``X`` against ``Y``."""
    n, kind, lstm, softmax = model_codes(model)
    Z = np.empty(Y.shape)
    cost = batch_pass(model.get_flat(), X, Y, n, kind, lstm, softmax, np.empty(0), False, Z)
    return Z, float(cost)


def cost_and_gradient(model: SequenceModel, X: Array, Y: Array) -> tuple[float, Array]:
    """The mean cost and its gradient as one vector (laid out as ``get_flat``), for checked X and Y."""
    n, kind, lstm, softmax = model_codes(model)
    theta = model.get_flat()
    grad = np.empty_like(theta)
    cost = batch_pass(theta, X, Y, n, kind, lstm, softmax, grad, True, np.empty(Y.shape))
    return float(cost), grad


__all__ = ["CODES", "batch_pass", "sgd_run", "model_codes", "readout_and_cost", "cost_and_gradient"]
