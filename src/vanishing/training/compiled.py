r"""One epoch of mini-batch SGD compiled with Numba: the whole mini-batch loop in one call.

The NumPy loop of :func:`vanishing.training.sgd.sgd_epoch` makes some thirty NumPy calls per
mini-batch; with mini-batches of 10 their overhead costs more than the arithmetic.  Here one
compiled function runs the epoch: for each mini-batch, the rows it needs are copied from ``X``
(no gathered copy of the whole training set; the CPU is asked to prefetch the next mini-batch's
rows while this one computes), the matrix products go to BLAS (SciPy's, through
the ``numba_xxgemm`` wrapper that Numba's own ``np.dot`` uses), and everything else is a loop.

The arithmetic is that of :mod:`vanishing.networks.network` and :mod:`vanishing.training.sgd`, for a
mini-batch of :math:`m` rows ``X[rows]`` (as rows) with one-hot targets :math:`Y`:

.. math::

    A^0 = X_{rows}, \qquad Z^l = A^{l-1} (W^l)^T + b^l, \qquad A^l = f(Z^l), \quad F^l = f'(Z^l),

    \Delta^L = (A^L - Y)/m \ \text{(cross-entropy)} \quad\text{or}\quad (A^L - Y) \odot F^L / m
    \ \text{(quadratic)},

and for :math:`l = L, \dots, 1`, the delta is passed down before :math:`W^l` changes:

.. math::

    \Delta^{l-1} = (\Delta^l W^l) \odot F^{l-1}, \qquad
    W^l \leftarrow d\,W^l - \eta\,(\Delta^l)^T A^{l-1}, \qquad
    b^l \leftarrow b^l - \eta \textstyle\sum_{rows} \Delta^l,

with :math:`d = 1 - \eta\lambda/n`.  The weight step is one BLAS GEMM (``alpha`` :math:`= -\eta`,
``beta`` :math:`= d`), and the bias is added in the forward GEMM (``beta`` = 1 on rows of
:math:`b^l`).  The results agree with the NumPy loop to round-off (a few units in the last place
per step), not bit for bit.  The sigmoid is :math:`1/(1+t)` or :math:`t/(1+t)` and its derivative
:math:`t/(1+t)^2` with :math:`t = e^{-|z|}`, as in :mod:`vanishing.networks.activations`.

Shapes: ``X`` (n, sizes[0]), ``Y`` (n, sizes[-1]); the parameters travel as one vector laid out
as :meth:`Network.get_flat` (``W^1`` row-major (sizes[1], sizes[0]), ``b^1``, ``W^2``, ...).
Importing this module imports Numba (about half a second); the kernel is compiled on first use
and cached on disk (``cache=True``), so a later process loads it in a fraction of a second.
"""

from __future__ import annotations

import numbers
import time

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.linalg import ensure_blas

from vanishing.networks.activations import ACTIVATIONS
from vanishing.networks.network import Network

Array = np.ndarray

#: The activations the kernel computes, by code (the same functions as ``activations.ACTIVATIONS``).
CODES = {"sigmoid": 0, "tanh": 1, "relu": 2, "identity": 3}

ensure_blas()  # SciPy's BLAS, which numba_xxgemm calls, with a check of its integer width
_F64P = types.CPointer(types.float64)
_XXGEMM = types.ExternalFunction(
    "numba_xxgemm",
    types.intc(
        types.char,
        types.char,
        types.char,
        types.intp,
        types.intp,
        types.intp,
        _F64P,
        _F64P,
        types.intp,
        _F64P,
        types.intp,
        _F64P,
        _F64P,
        types.intp,
    ),
)
_N, _T = ord("n"), ord("t")


@numba.njit(cache=True)
def _gemm(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scalars):
    """Column-major BLAS ``c = alpha op(a) op(b) + beta c`` (m x n, inner size k) on flat arrays."""
    scalars[0] = alpha
    scalars[1] = beta
    status = _XXGEMM(
        ord("d"),
        transa,
        transb,
        m,
        n,
        k,
        scalars[0:].ctypes,
        a.ctypes,
        lda,
        b.ctypes,
        ldb,
        scalars[1:].ctypes,
        c.ctypes,
        ldc,
    )
    if status != 0:
        raise RuntimeError("compiled epoch: the BLAS dgemm call failed")


@intrinsic
def _prefetch(typingctx, X, row, col):
    """Ask the CPU to start loading the cache line of ``X[row, col]`` (a hint: no effect on results).

    The next mini-batch's rows are random rows of ``X``; fetched while this one computes, they are
    in cache when it needs them (the epoch then takes about a tenth less time).
    """

    def codegen(context, builder, sig, args):
        array = context.make_array(sig.args[0])(context, builder, args[0])
        shape, strides = (cgutils.unpack_tuple(builder, a) for a in (array.shape, array.strides))
        pointer = cgutils.get_item_pointer2(
            context, builder, array.data, shape, strides, sig.args[0].layout, [args[1], args[2]]
        )
        i32 = ir.IntType(32)
        hint = ir.FunctionType(ir.VoidType(), [pointer.type, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, hint, "llvm.prefetch.p0")
        builder.call(fn, [pointer, i32(0), i32(3), i32(1)])  # read, keep in all cache levels, data
        return context.get_dummy_value()

    return types.void(X, types.intp, types.intp), codegen


@numba.njit(cache=True)
def _activate(code, z, d):
    """In place: ``z`` <- f(z) and ``d`` <- f'(z), elementwise, for activation ``code`` (see CODES)."""
    for i in range(z.size):
        x = z[i]
        if code == 0:
            t = np.exp(-abs(x))
            s = 1.0 + t
            z[i] = (1.0 if x >= 0 else t) / s
            d[i] = t / (s * s)
        elif code == 1:
            y = np.tanh(x)
            z[i] = y
            d[i] = 1.0 - y * y
        elif code == 2:
            z[i] = 0.0 if x <= 0 else x  # NaN stays NaN, as with np.maximum
            d[i] = 1.0 if x > 0 else 0.0
        else:
            d[i] = 1.0


@numba.njit(cache=True)
def _offsets(sizes, m):
    """Where layer l's W (and its b, right after) starts in theta; where A^l and F^l start in the work arrays."""
    L = sizes.size - 1
    w_at = np.zeros(L, np.int64)
    a_at = np.zeros(L + 2, np.int64)
    for l in range(1, L):
        w_at[l] = w_at[l - 1] + sizes[l - 1] * sizes[l] + sizes[l]
    for l in range(L + 1):
        a_at[l + 1] = a_at[l] + m * sizes[l]
    return w_at, a_at


@numba.njit(cache=True)
def _forward(theta, sizes, w_at, a_at, acts, dfs, mb, hidden, output, scalars):
    """A^l and F^l of every layer for the mb rows in acts[:mb * sizes[0]] (A^0)."""
    L = sizes.size - 1
    for l in range(L):
        n_in, n_out = sizes[l], sizes[l + 1]
        b = theta[w_at[l] + n_in * n_out : w_at[l] + n_in * n_out + n_out]
        z = acts[a_at[l + 1] : a_at[l + 1] + mb * n_out]
        for r in range(mb):
            z[r * n_out : (r + 1) * n_out] = b
        # Z (mb, n_out) row-major is Z^T column-major: W^l (as (n_in, n_out) col-major, transposed) A^T.
        _gemm(_T, _N, n_out, mb, n_in, 1.0, theta[w_at[l] :], n_in, acts[a_at[l] :], n_in, 1.0, z, n_out, scalars)
        _activate(output if l == L - 1 else hidden, z, dfs[a_at[l + 1] : a_at[l + 1] + mb * n_out])


@numba.njit(cache=True)
def _output_delta(acts, dfs, a_out, Y, rows, mb, quadratic, delta):
    """Delta^L = (A^L - Y) / mb, times F^L for the quadratic cost, into delta[:mb * n_out]."""
    n_out = Y.shape[1]
    for r in range(mb):
        for j in range(n_out):
            k = r * n_out + j
            e = acts[a_out + k] - Y[rows[r], j]
            if quadratic:
                e *= dfs[a_out + k]
            delta[k] = e / mb


@numba.njit(cache=True)
def _backward(theta, sizes, w_at, a_at, acts, dfs, mb, eta, decay, frozen, delta, spare, scalars):
    """Pass Delta^L (in delta) down and take every layer's step, except layer ``frozen`` (1-based)."""
    for l in range(sizes.size - 2, -1, -1):
        n_in, n_out = sizes[l], sizes[l + 1]
        w = theta[w_at[l] :]
        if l:  # Delta^{l-1} = (Delta^l W^l) * F^{l-1}, with W^l as it was
            _gemm(_N, _N, n_in, mb, n_out, 1.0, w, n_in, delta, n_out, 0.0, spare, n_in, scalars)
            f = dfs[a_at[l] :]
            for i in range(mb * n_in):
                spare[i] *= f[i]
        if l + 1 != frozen:  # W <- d W - eta Delta^T A, one GEMM; b <- b - eta sum_rows Delta
            _gemm(_N, _T, n_in, n_out, mb, -eta, acts[a_at[l] :], n_in, delta, n_out, decay, w, n_in, scalars)
            b = theta[w_at[l] + n_in * n_out :]
            for j in range(n_out):
                s = 0.0
                for r in range(mb):
                    s += delta[r * n_out + j]
                b[j] -= eta * s
        delta, spare = spare, delta


@numba.njit(cache=True)
def _epoch(X, Y, order, theta, sizes, batch_size, eta, decay, frozen, hidden, output, quadratic):
    """Mini-batches of ``batch_size`` rows of X, taken in ``order``; theta is updated in place."""
    m = min(batch_size, max(order.size, 1))
    w_at, a_at = _offsets(sizes, m)
    acts = np.empty(a_at[-1])
    dfs = np.empty(a_at[-1])
    delta = np.empty(m * sizes.max())
    spare = np.empty(m * sizes.max())
    scalars = np.empty(2)
    n_in = sizes[0]
    for start in range(0, order.size, m):
        mb = min(m, order.size - start)
        rows = order[start : start + mb]
        for r in range(mb):
            acts[r * n_in : (r + 1) * n_in] = X[rows[r]]
        for row in order[start + m : start + 2 * m]:  # the next mini-batch's rows, one hint per 64 bytes
            for col in range(0, n_in, 8):
                _prefetch(X, row, col)
        _forward(theta, sizes, w_at, a_at, acts, dfs, mb, hidden, output, scalars)
        _output_delta(acts, dfs, a_at[-2], Y, rows, mb, quadratic, delta)
        _backward(theta, sizes, w_at, a_at, acts, dfs, mb, eta, decay, frozen, delta, spare, scalars)


def covers(net: Network) -> bool:
    """True if the kernel computes this network's epoch: the built-in activations, float64 parameters.

    Any cost of :class:`Network` (cross-entropy or quadratic), any depth, a frozen layer or none.
    A network with an :class:`~vanishing.networks.activations.Activation` of its own is left to NumPy.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net: expected a Network, got {type(net).__name__}")
    builtin = all(ACTIVATIONS.get(a.name) is a for a in (net.activation, net.output_activation))
    return builtin and all(p.dtype == np.float64 for p in (*net.weights, *net.biases))


def _check_rows(X: Array, Y: Array, order: Array, net: Network) -> tuple[Array, Array, Array]:
    """``X`` (n, sizes[0]) and ``Y`` (n, sizes[-1]) as C-ordered float64, ``order`` as int64 in [0, n)."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise ValueError(f"X: expected shape (n, {net.sizes[0]}), got {X.shape}")
    if Y.shape != (X.shape[0], net.sizes[-1]):
        raise ValueError(f"Y: expected shape ({X.shape[0]}, {net.sizes[-1]}) to match X, got {Y.shape}")
    order = np.asarray(order)
    if order.ndim != 1 or not np.issubdtype(order.dtype, np.integer):
        raise TypeError(f"order: expected a 1-D array of row indices, got {order.dtype} of shape {order.shape}")
    if order.size and (order.min() < 0 or order.max() >= X.shape[0]):
        raise ValueError(f"order: row indices must lie in [0, {X.shape[0]}), got {order.min()}..{order.max()}")
    return X, Y, np.ascontiguousarray(order, dtype=np.int64)


def _check_step(net: Network, batch_size, eta, decay, frozen) -> tuple[int, float, float, int]:
    """The step's numbers as the kernel takes them (``frozen`` None becomes 0, no layer)."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"batch_size: must be an integer >= 1, got {batch_size!r}")
    for name, value in (("eta", eta), ("decay", decay)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
            raise ValueError(f"{name}: must be a finite number, got {value!r}")
    if frozen is not None and (
        isinstance(frozen, bool) or not isinstance(frozen, numbers.Integral) or not 1 <= frozen <= net.n_hidden
    ):
        raise ValueError(f"frozen: must be None or a hidden layer from 1 to {net.n_hidden}, got {frozen!r}")
    return int(batch_size), float(eta), float(decay), int(frozen or 0)


def sgd_epoch(
    net: Network, X: Array, Y: Array, order: Array, batch_size: int, eta: float, decay: float, frozen: int | None = None
) -> None:
    r"""One epoch of mini-batch SGD on ``net``, in place, compiled (see the module's docstring).

    The mini-batches are ``order[0:batch_size]``, ``order[batch_size:2 batch_size]``, ... (the
    last may be shorter), rows of ``X`` (n, sizes[0]) with one-hot targets ``Y`` (n, sizes[-1]);
    each step is :math:`W \leftarrow d\,W - \eta\,\nabla_W C`, :math:`b \leftarrow b - \eta\,\nabla_b C`
    with ``decay`` :math:`= d` and :math:`\nabla C` the gradient of the mini-batch's mean cost.
    ``frozen``: a hidden layer (1-based) left as it is.  The same epoch as the NumPy loop of
    :func:`vanishing.training.sgd.sgd_epoch` up to round-off; ``net`` must satisfy :func:`covers`.
    """
    if not covers(net):
        raise ValueError(
            "net: its activations are not the built-in ones (or its parameters not float64); "
            "use vanishing.training.sgd.sgd_epoch, which falls back to NumPy"
        )
    X, Y, order = _check_rows(X, Y, order, net)
    batch_size, eta, decay, frozen = _check_step(net, batch_size, eta, decay, frozen)
    theta = net.get_flat()
    _epoch(
        X,
        Y,
        order,
        theta,
        np.array(net.sizes, dtype=np.int64),
        batch_size,
        eta,
        decay,
        frozen,
        CODES[net.activation.name],
        CODES[net.output_activation.name],
        net.cost_name == "quadratic",
    )
    net.set_flat(theta)


def warm_up() -> float:
    """Compile the kernel, or load it from Numba's disk cache; return the seconds it took.

    Call it before forking worker processes, so that they inherit the compiled kernel instead
    of each compiling it (a few seconds) on its first epoch.
    """
    t = time.perf_counter()
    net = Network([1, 1, 1], seed=0)
    sgd_epoch(net, np.zeros((1, 1)), np.zeros((1, 1)), np.zeros(1, dtype=np.int64), 1, 0.1, 1.0)
    return time.perf_counter() - t


__all__ = ["CODES", "covers", "sgd_epoch", "warm_up"]
