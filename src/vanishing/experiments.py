r"""Chapter 1's experiments: many independent training runs, layer speeds, and their verdicts.

* :func:`run_many` trains a list of :class:`RunConfig` in a process pool (the
  "fork" start method, so the data is shared, not copied through pipes); each
  run is fully determined by its seed, and the results come back in the order
  of the configs, so the output is the same as a sequential loop.
* :func:`init_norms` measures the speed of learning of each hidden layer,
  :math:`\lVert \partial C/\partial b^l \rVert`, of freshly initialised
  networks over many seeds.
* :func:`mean_std`, :func:`difference_z`, :func:`ordering_verdict` and
  :func:`within_spread` turn seed-to-seed samples into the verdicts the book
  prints beside each claim of the seeds.
* :func:`make_network`, :func:`short_run` and :func:`explorer_figure` drive the
  chapter's interactive explorer.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing as mp
import numbers
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

from .data import one_hot
from .network import Network, check_batch, check_sizes, init_std
from .plots import layer_color, log_axis
from .training import History, check_frozen, sgd_step, train

Array = np.ndarray
Split = tuple[Array, Array]
VERDICTS = ("holds", "holds with nuance", "does not hold")


# ---------------------------------------------------------------------- BLAS threads
_BLAS_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                 "openblas_set_num_threads64_", "openblas_set_num_threads")


def _openblas_functions() -> tuple | None:
    """(set, get) thread-count functions of the OpenBLAS that NumPy loaded, or None if not found."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line and ".so" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _BLAS_SETTERS:
            setter = getattr(lib, name, None)
            getter = getattr(lib, name.replace("set_num", "get_num"), None)
            if setter is not None and getter is not None:
                setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
                return setter, getter
    return None


@contextlib.contextmanager
def blas_threads(n: int = 1):
    """Run a block with OpenBLAS limited to ``n`` threads, then restore the previous count.

    The matrices of these networks are small (width 30): several BLAS threads
    mostly wait on each other, and on a busy 2-core machine they make a
    full-batch backpropagation several times slower than one thread.  Where
    NumPy's BLAS is not OpenBLAS this is a no-op.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n: must be an integer >= 1, got {n!r}")
    funcs = _openblas_functions()
    if funcs is None:
        yield
        return
    setter, getter = funcs
    before = getter()
    setter(int(n))
    try:
        yield
    finally:
        setter(before)


# ---------------------------------------------------------------------- runs
@dataclass(frozen=True)
class RunConfig:
    """One training run: network ``sizes``, ``seed`` (both the init and the shuffle seed) and SGD settings."""

    sizes: tuple[int, ...]
    seed: int
    epochs: int = 30
    batch_size: int = 10
    eta: float = 0.1
    lmbda: float = 5.0
    activation: str = "sigmoid"
    init: str | float = "default"
    frozen: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sizes", tuple(check_sizes(self.sizes)))
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise TypeError(f"seed: expected an integer, got {type(self.seed).__name__}")
        init_std(self.init, 1, 1)  # validates the scheme name or the std
        n_hidden = len(self.sizes) - 2
        if self.frozen is not None and (isinstance(self.frozen, bool) or not isinstance(self.frozen, numbers.Integral)
                                        or not 1 <= self.frozen <= n_hidden):
            raise ValueError(f"frozen: must be None or a hidden layer from 1 to {n_hidden}, got {self.frozen!r}")


def run_one(config: RunConfig, training_data: Split, validation_data: Split | None = None,
            monitor_data: Split | None = None) -> History:
    """Train a fresh ``Network(config.sizes, seed=config.seed)`` and return its :class:`History`.

    The network's initial parameters and the per-epoch shuffles both use
    ``config.seed``, so a run is a pure function of its config and the data.
    """
    if not isinstance(config, RunConfig):
        raise TypeError(f"config: expected a RunConfig, got {type(config).__name__}")
    net = Network(config.sizes, activation=config.activation, init=config.init, seed=config.seed)
    return train(net, training_data, config.epochs, config.batch_size, config.eta, config.lmbda,
                 validation_data=validation_data, monitor_data=monitor_data, seed=config.seed,
                 progress=False, frozen=config.frozen)


# What the pool's workers run.  Set once per worker process by the initializer;
# under "fork" the function and the arrays it holds are inherited, not pickled.
_WORKER: dict = {}


def _init_worker(func: Callable) -> None:
    _WORKER["func"] = func
    funcs = _openblas_functions()
    if funcs is not None:  # the pool is the parallelism: one BLAS thread per worker
        funcs[0](1)


def _call_in_worker(item):
    return _WORKER["func"](item)


def pool_map(func: Callable, items: Sequence, *, processes: int = 2, progress: bool = True,
             desc: str = "runs") -> list:
    """``[func(x) for x in items]``, computed in a process pool, in the order of ``items``.

    The pool uses the "fork" start method: ``func`` (and any data it holds,
    e.g. through ``functools.partial``) is inherited by the workers, so only
    the small ``items`` and the results travel through pipes.  A ``tqdm`` bar
    counts finished items.  Each call runs with one BLAS thread (see
    :func:`blas_threads`), so results do not depend on ``processes``.
    ``processes=1`` runs in this process.
    """
    if not callable(func):
        raise TypeError("func: expected a callable")
    items = list(items)
    if isinstance(processes, bool) or not isinstance(processes, numbers.Integral) or processes < 1:
        raise ValueError(f"processes: must be an integer >= 1, got {processes!r}")
    bar = tqdm(total=len(items), desc=desc, disable=not progress)
    results: list = [None] * len(items)
    try:
        if processes == 1 or len(items) <= 1:
            with blas_threads(1):
                for i, x in enumerate(items):
                    results[i] = func(x)
                    bar.update(1)
        else:
            ctx = mp.get_context("fork")
            with ProcessPoolExecutor(max_workers=min(processes, len(items)), mp_context=ctx,
                                     initializer=_init_worker, initargs=(func,)) as pool:
                futures = {pool.submit(_call_in_worker, x): i for i, x in enumerate(items)}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    bar.update(1)
    finally:
        bar.close()
    return results


def run_many(configs: Sequence[RunConfig], training_data: Split, validation_data: Split | None = None,
             monitor_data: Split | None = None, *, processes: int = 2,
             progress: bool = True) -> list[History]:
    """Run every config (see :func:`run_one`) and return the histories in the order of ``configs``.

    The runs go to :func:`pool_map` (a "fork" process pool; the data is
    inherited by the workers, not copied); a ``tqdm`` bar counts finished runs.
    Every run depends only on its config, so the result equals
    ``[run_one(c, ...) for c in configs]`` exactly, whatever the order in
    which the workers finish.
    """
    configs = list(configs)
    for c in configs:
        if not isinstance(c, RunConfig):
            raise TypeError(f"configs: every entry must be a RunConfig, got {type(c).__name__}")
    func = functools.partial(run_one, training_data=training_data, validation_data=validation_data,
                             monitor_data=monitor_data)
    return pool_map(func, configs, processes=processes, progress=progress, desc="training runs")


def full_batch_run(depth: int, data: Split, frozen: int | None = None, *, epochs: int = 500, eta: float = 0.1,
                   lmbda: float = 5.0, seed: int = 0, width: int = 30) -> tuple[Network, Array]:
    r"""Full-batch gradient descent with the hidden layers' speeds of learning: ``(net, norms)``.

    The source book's protocol: a ``Network(hidden_sizes(depth, width), seed=seed)``
    trained on ``data`` = (X (n, 784), labels (n,)) with one step on all n
    examples per epoch, weight decay :math:`1 - \eta\lambda/n`.  ``norms``
    has shape (epochs+1, depth): row ``e`` holds
    :math:`\lVert\partial C/\partial b^l\rVert` before step ``e+1`` (row
    ``epochs``: after the last step), the same numbers as
    ``train(net, data, epochs, n, eta, lmbda, monitor_data=data).grad_norms``,
    with one backpropagation per step instead of two.  ``frozen``: a hidden
    layer (1..depth) whose weights and biases keep their initial values, as if
    that layer learned nothing; its norms are still recorded.
    Returns the trained network and the norms.
    """
    depth = _check_depth(depth)
    for name, v in (("epochs", epochs),):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise ValueError(f"{name}: must be an integer >= 0, got {v!r}")
    if not (isinstance(eta, numbers.Real) and np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta: must be a finite number > 0, got {eta!r}")
    if not (isinstance(lmbda, numbers.Real) and np.isfinite(lmbda) and lmbda >= 0):
        raise ValueError(f"lmbda: must be a finite number >= 0, got {lmbda!r}")
    net = Network(hidden_sizes(depth, width), seed=seed)
    check_frozen(frozen, net)
    X, _ = check_batch(data[0], None, net.sizes[0], net.sizes[-1])
    Y = one_hot(data[1], net.sizes[-1])
    decay = 1.0 - eta * lmbda / X.shape[0]
    out = np.empty((epochs + 1, depth))
    for e in range(epochs + 1):
        grad_w, grad_b = net._backprop(X, Y)
        out[e] = [np.linalg.norm(g) for g in grad_b[:-1]]
        if e == epochs:
            break
        sgd_step(net, grad_w, grad_b, eta, decay, frozen)
    return net, out


def final_and_best(histories: Sequence[History]) -> tuple[Array, Array]:
    """Final-epoch and best-epoch validation accuracy of each history, two arrays of shape (n,).

    The best epoch is taken over epochs 1..E (the untrained network, row 0, is excluded).
    """
    if len(histories) == 0:
        raise ValueError("histories: need at least one History")
    final = np.array([h.accuracy[-1] for h in histories], dtype=float)
    best = np.array([np.nanmax(h.accuracy[1:]) for h in histories], dtype=float)
    return final, best


# ---------------------------------------------------------------------- statistics and verdicts
def _sample(name: str, x) -> Array:
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{name}: expected a 1-D sample of at least 2 values, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return x


def mean_std(x) -> tuple[float, float]:
    """Sample mean and sample standard deviation (ddof=1) of a 1-D sample of >= 2 values."""
    x = _sample("x", x)
    return float(x.mean()), float(x.std(ddof=1))


def difference_z(a, b) -> tuple[float, float, float]:
    r"""Difference of means ``mean(b) - mean(a)``, its standard error and their ratio ``z``.

    :math:`d = \bar b - \bar a`, :math:`\mathrm{se} = \sqrt{s_a^2/n_a + s_b^2/n_b}`
    (sample variances, ddof=1), :math:`z = d/\mathrm{se}` (``inf`` with the sign of
    ``d`` when ``se`` is 0 and ``d`` is not; 0 when both are 0).
    """
    a, b = _sample("a", a), _sample("b", b)
    d = float(b.mean() - a.mean())
    se = float(np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size))
    z = d / se if se > 0 else (0.0 if d == 0 else float(np.copysign(np.inf, d)))
    return d, se, z


def ordering_verdict(zs: Sequence[float], signs: Sequence[int], k: float = 2.0) -> str:
    r"""Verdict on a claim made of several directional comparisons.

    Comparison ``i`` claims that a difference has sign ``signs[i]`` (+1 or -1);
    ``zs[i]`` is the measured difference over its standard error.  The rule:

    * ``"holds"``: every difference has the claimed sign and :math:`|z| > k`;
    * ``"does not hold"``: some difference has the wrong sign (at any size);
    * ``"holds with nuance"``: every sign as claimed, but some :math:`|z| \le k`
      (the ordering is reproduced but not beyond the seed-to-seed spread).
    """
    zs = [float(z) for z in zs]
    if len(zs) == 0 or len(zs) != len(signs):
        raise ValueError("signs: need one claimed sign per z, and at least one")
    if any(s not in (1, -1) for s in signs):
        raise ValueError(f"signs: every entry must be +1 or -1, got {list(signs)}")
    if not k > 0:
        raise ValueError(f"k: must be > 0, got {k}")
    if any(z * s <= 0 for z, s in zip(zs, signs)):
        return "does not hold"
    if all(abs(z) > k for z in zs):
        return "holds"
    return "holds with nuance"


def within_spread(value: float, sample, *, k: float = 2.0, log: bool = False) -> bool:
    r"""Is ``value`` within ``k`` sample standard deviations of the sample's mean?

    With ``log=True`` the test is made on :math:`\ln` of the value and of the
    sample (right for positive, skewed quantities such as gradient norms).
    """
    x = _sample("sample", sample)
    if not np.isfinite(value):
        raise ValueError(f"value: must be finite, got {value}")
    if log:
        if value <= 0 or np.any(x <= 0):
            raise ValueError("value: log=True needs a positive value and a positive sample")
        value, x = float(np.log(value)), np.log(x)
    m, s = float(x.mean()), float(x.std(ddof=1))
    return bool(abs(value - m) <= k * s)


def weakest(verdicts: Sequence[str]) -> str:
    """The weakest of several verdicts: "does not hold" < "holds with nuance" < "holds"."""
    verdicts = list(verdicts)
    if not verdicts or any(v not in VERDICTS for v in verdicts):
        raise ValueError(f"verdicts: need one or more of {VERDICTS}, got {verdicts}")
    return max(verdicts, key=VERDICTS.index)


def single_run_verdict(claim: float, samples: Sequence, *, k: float = 2.0, tolerance: float = 0.005) -> str:
    """Verdict on one number reported from a single run, against samples of repeated runs.

    ``samples`` holds one or more samples (e.g. final-epoch and best-epoch
    accuracies over seeds).  ``"holds"`` if ``claim`` is within ``k`` sample
    standard deviations of some sample's mean (a typical run could report it);
    ``"holds with nuance"`` if not, but within ``tolerance`` of some sample's
    mean (close, yet not a typical run); ``"does not hold"`` otherwise.
    """
    if not np.isfinite(claim):
        raise ValueError(f"claim: must be finite, got {claim}")
    if len(samples) == 0:
        raise ValueError("samples: need at least one sample")
    if any(within_spread(claim, smp, k=k) for smp in samples):
        return "holds"
    if any(abs(claim - float(np.mean(smp))) <= tolerance for smp in samples):
        return "holds with nuance"
    return "does not hold"


def norms_verdict(claimed: Sequence[float], norms, *, k: float = 2.0) -> str:
    r"""Verdict on per-layer norms reported from one network, against norms of many seeds.

    ``claimed`` gives the norms of hidden layers 1..d; ``norms`` has shape
    (n_seeds, d).  Two questions, each on a log scale with
    :func:`within_spread`: are the values typical (every layer within ``k``
    log-std), and is the shape typical (every ratio between consecutive
    layers within ``k`` log-std of the seeds' ratios)?  ``"holds"`` if both,
    ``"holds with nuance"`` if one, ``"does not hold"`` if neither.
    """
    claimed = np.asarray(claimed, dtype=float)
    norms = np.asarray(norms, dtype=float)
    if norms.ndim != 2 or claimed.shape != (norms.shape[1],):
        raise ValueError(f"claimed: expected {norms.shape[-1]} values to match norms {norms.shape}, "
                         f"got {claimed.shape}")
    values_ok = all(within_spread(c, norms[:, i], k=k, log=True) for i, c in enumerate(claimed))
    ratios = consecutive_ratios(norms)
    shape_ok = all(within_spread(c, ratios[:, i], k=k, log=True)
                   for i, c in enumerate(consecutive_ratios(claimed)))
    return VERDICTS[2 - int(values_ok) - int(shape_ok)]


# ---------------------------------------------------------------------- speed of learning
def _check_depth(depth) -> int:
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral) or depth < 1:
        raise ValueError(f"depth: must be an integer >= 1, got {depth!r}")
    return int(depth)


def hidden_sizes(depth: int, width: int = 30, n_in: int = 784, n_out: int = 10) -> list[int]:
    """Layer sizes ``[n_in, width, ..., width, n_out]`` with ``depth`` hidden layers."""
    depth = _check_depth(depth)
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < 1:
        raise ValueError(f"width: must be an integer >= 1, got {width!r}")
    return [n_in] + [int(width)] * depth + [n_out]


def init_norms(depth: int, seeds: Sequence[int], X: Array, labels: Array, *, width: int = 30,
               activation: str = "sigmoid", init: str | float = "default") -> Array:
    r"""Hidden-layer speeds of learning :math:`\lVert\partial C/\partial b^l\rVert` at initialisation.

    For each seed, a fresh ``Network(hidden_sizes(depth, width), seed=seed)``;
    the gradient is that of the mean cross-entropy over the rows of ``X``
    (m, 784) with integer ``labels`` (m,).  Returns shape (len(seeds), depth).
    """
    depth = _check_depth(depth)
    if len(seeds) == 0:
        raise ValueError("seeds: need at least one seed")
    Y = one_hot(labels, 10)
    sizes = hidden_sizes(depth, width, X.shape[1] if np.ndim(X) == 2 else 784)
    return np.array([Network(sizes, activation=activation, init=init, seed=int(s)).layer_gradient_norms(X, Y)
                     for s in seeds])


def consecutive_ratios(norms) -> Array:
    r"""Ratios :math:`\lVert g^{l+1}\rVert / \lVert g^l\rVert` along the last axis: shape (..., L-2).

    A ratio above 1 means layer ``l+1`` learns faster than layer ``l``.
    Where the lower layer's norm is 0 the ratio is ``inf``.
    """
    norms = np.asarray(norms, dtype=float)
    if norms.ndim < 1 or norms.shape[-1] < 2:
        raise ValueError(f"norms: need at least 2 layers on the last axis, got shape {norms.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return norms[..., 1:] / norms[..., :-1]


# ---------------------------------------------------------------------- figures
def plot_accuracy_bands(curves: dict[str, Array], *, title: str = "") -> plt.Figure:
    """Validation accuracy per epoch: mean line and a +-1 std band per architecture.

    ``curves`` maps a label to an array (n_seeds, E+1) of accuracies (row 0 untrained, not drawn).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]
    for i, (label, acc) in enumerate(curves.items()):
        acc = np.asarray(acc, dtype=float)[:, 1:]
        epochs = np.arange(1, acc.shape[1] + 1)
        m, s = acc.mean(axis=0), acc.std(axis=0, ddof=1) if acc.shape[0] > 1 else 0 * acc[0]
        ax.plot(epochs, 100 * m, color=palette[i % 4], label=f"{label} (mean of {acc.shape[0]} seeds)")
        ax.fill_between(epochs, 100 * (m - s), 100 * (m + s), color=palette[i % 4], alpha=0.2, lw=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.set_title(title or "Validation accuracy per epoch (band: ±1 std over seeds)")
    ax.legend(loc="lower right")
    return fig


def plot_init_norms(norms_by_depth: dict[int, Array], claims: dict[int, Sequence[float]] | None = None,
                    *, title: str = "") -> plt.Figure:
    """Norm vs hidden layer (log scale): mean over seeds with +-1 std bars, seeds' claims as crosses."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]
    claims = claims or {}
    for i, (depth, norms) in enumerate(norms_by_depth.items()):
        norms = np.asarray(norms, dtype=float)
        layers = np.arange(1, depth + 1)
        m, s = norms.mean(axis=0), norms.std(axis=0, ddof=1)
        ax.errorbar(layers + 0.06 * (i - 1), m, yerr=s, marker="o", capsize=3, color=palette[i % 4],
                    label=f"{depth} hidden layers ({norms.shape[0]} seeds)")
        if depth in claims:
            ax.plot(layers[-len(claims[depth]):] + 0.06 * (i - 1), claims[depth], "x", ms=9, mew=2,
                    color=palette[i % 4], label=f"source book, {depth} hidden layers")
    ax.set_yscale("log")
    ax.set_xticks(range(1, max(norms_by_depth) + 1))
    ax.set_xlabel("hidden layer l (1 = next to the input)")
    ax.set_ylabel(r"speed of learning $\|\partial C/\partial b^l\|$ (log scale)")
    ax.set_title(title or "Speed of learning of each hidden layer at initialisation")
    ax.legend(fontsize=8)
    return fig


def plot_training_norms(norms_by_depth: dict[int, Array], *, title: str = "") -> plt.Figure:
    """One panel per depth: each hidden layer's norm vs epoch (log scale), layer colours of the book.

    ``norms_by_depth`` maps depth to an array (E+1, depth) (``History.grad_norms``).
    """
    n = len(norms_by_depth)
    fig, axes = plt.subplots(n, 1, figsize=(7.5, 2.6 * n + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, (depth, g) in zip(axes[:, 0], norms_by_depth.items()):
        g = np.asarray(g, dtype=float)
        for l in range(depth):
            ax.plot(np.arange(g.shape[0]), g[:, l], color=layer_color(l + 1), lw=1.4, label=f"layer {l + 1}")
        ax.set_yscale("log")
        ax.set_title(f"{depth} hidden layers")
        ax.set_ylabel(r"$\|\partial C/\partial b^l\|$ (log scale)")
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    axes[-1, 0].set_xlabel("epoch (one full-batch step each)")
    fig.suptitle(title or "Speed of learning of each hidden layer during training", fontsize=11)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------- explorer
def make_network(depth: int, std: float, scaled: bool = True, seed: int = 0, *, width: int = 30,
                 activation: str = "sigmoid") -> Network:
    r"""A network with ``depth`` hidden layers of ``width`` and Gaussian weights of std ``std``.

    With ``scaled=True`` layer ``l``'s weights have std ``std / sqrt(n_in)``
    (``std=1`` is the source book's default init, exactly: same draws as
    ``init="default"``); otherwise every layer has std ``std``.  Biases are N(0, 1).
    """
    if isinstance(std, bool) or not isinstance(std, numbers.Real) or not np.isfinite(std) or std <= 0:
        raise ValueError(f"std: must be a finite number > 0, got {std!r}")
    sizes = hidden_sizes(depth, width)
    if scaled:
        net = Network(sizes, activation=activation, init="default", seed=seed)
        for W in net.weights:
            W *= float(std)
        return net
    return Network(sizes, activation=activation, init=float(std), seed=seed)


def short_run(depth: int, std: float, scaled: bool, eta: float, data: Split, *, steps: int = 40,
              lmbda: float = 0.0, seed: int = 0) -> tuple[Array, History]:
    """Norms at initialisation (depth,) and a :class:`History` of ``steps`` full-batch steps on ``data``.

    The network is :func:`make_network` ``(depth, std, scaled, seed)``; each
    step is plain gradient descent on the mean cross-entropy over all of
    ``data`` (with weight decay ``1 - eta*lmbda/n``).  The history records the
    accuracy on ``data`` and each hidden layer's norm before every step (row
    ``steps``: after the last), one backpropagation per step, the same
    numbers :func:`~vanishing.training.train` with ``batch_size=n`` records.
    A run whose parameters or norms stop being finite is cut short with
    ``diverged=True`` and a readable ``message``.
    """
    if not (isinstance(eta, numbers.Real) and np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta: must be a finite number > 0, got {eta!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"steps: must be an integer >= 0, got {steps!r}")
    net = make_network(depth, std, scaled, seed)
    X, _ = check_batch(data[0], None, net.sizes[0], net.sizes[-1])
    labels = np.asarray(data[1])
    Y = one_hot(labels, net.sizes[-1])
    decay = 1.0 - eta * lmbda / X.shape[0]
    hist = History(accuracy=np.full(steps + 1, np.nan), cost=np.full(steps + 1, np.nan),
                   grad_norms=np.full((steps + 1, depth), np.nan),
                   meta=dict(depth=depth, std=std, scaled=scaled, eta=eta, steps=steps, seed=seed))
    with np.errstate(over="ignore", invalid="ignore"):
        for e in range(steps + 1):
            forward = net._forward(X)
            hist.accuracy[e] = np.mean(np.argmax(forward[1][-1], axis=1) == labels)
            grad_w, grad_b = net._backprop(X, Y, forward)
            hist.grad_norms[e] = [np.linalg.norm(g) for g in grad_b[:-1]]
            finite = np.all(np.isfinite(hist.grad_norms[e])) and all(
                np.all(np.isfinite(W)) for W in net.weights)
            if not finite:
                hist.diverged = True
                hist.message = (f"Training diverged at step {e}: gradients or weights became infinite "
                                f"or NaN with learning rate {eta:.3g}. Try a smaller learning rate "
                                "or initial weight std.")
                break
            hist.epochs_run = e
            if e == steps:
                break
            sgd_step(net, grad_w, grad_b, eta, decay)
    return hist.grad_norms[0].copy(), hist


def explorer_figure(depth: int, std: float, scaled: bool, eta: float, data: Split, *, steps: int = 40,
                    seed: int = 0) -> plt.Figure:
    """The explorer's view: norms at initialisation, norms during a short run, accuracy.

    Raises ``ValueError`` with a readable message when the run diverges (the
    explorer shows it in the plot area).
    """
    with blas_threads(1):
        g0, hist = short_run(depth, std, scaled, eta, data, steps=steps, seed=seed)
    if hist.diverged:
        raise ValueError(hist.message)
    fig, (a0, a1, a2) = plt.subplots(1, 3, figsize=(12, 3.8))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.82, wspace=0.3)
    layers = np.arange(1, depth + 1)
    zero = g0 <= 0
    a0.plot(layers, np.where(zero, np.nan, g0), color="#444444", lw=1, zorder=1)
    a0.scatter(layers[~zero], g0[~zero], c=[layer_color(int(l)) for l in layers[~zero]], s=40, zorder=2)
    log_axis(a0)
    a0.set_xticks(layers)
    a0.set_xlabel("hidden layer l")
    a0.set_ylabel("‖∂C/∂bˡ‖ (log scale)")
    a0.set_title("at initialisation")
    if zero.any():
        a0.text(0.5, 0.5, f"{int(zero.sum())} layer(s) with gradient exactly 0\n(underflow): not drawn",
                transform=a0.transAxes, ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round", facecolor="#fff3cd", edgecolor="#d39e00"))
    steps_axis = np.arange(hist.grad_norms.shape[0])
    for l in range(depth):
        g = hist.grad_norms[:, l]
        a1.plot(steps_axis, np.where(g > 0, g, np.nan), color=layer_color(l + 1), label=f"layer {l + 1}")
    if not np.any(hist.grad_norms > 0):
        a1.text(0.5, 0.5, "every gradient is exactly 0", transform=a1.transAxes, ha="center")
    else:
        log_axis(a1)
    a1.set_xlabel("full-batch step")
    a1.set_title("during training")
    a1.legend(fontsize=7, ncol=2 if depth > 4 else 1, loc="upper right")
    a2.plot(steps_axis, 100 * hist.accuracy, color="#333333")
    a2.axhline(10, color="#999999", ls="--", lw=1, label="chance (10%)")
    a2.set_ylim(0, 100)
    a2.set_xlabel("full-batch step")
    a2.set_ylabel("training accuracy (%)")
    a2.set_title(f"accuracy on the {data[0].shape[0]} images")
    a2.legend(loc="upper left", fontsize=8)
    w = f"std {std:.3g}/√n_in" if scaled else f"std {std:.3g}"
    fig.suptitle(f"{depth} hidden layers of 30, weights {w}, η = {eta:.3g}", fontsize=11)
    return fig


__all__ = [
    "blas_threads", "RunConfig", "run_one", "pool_map", "run_many", "full_batch_run", "final_and_best", "mean_std", "difference_z", "ordering_verdict",
    "within_spread", "weakest", "single_run_verdict", "norms_verdict", "hidden_sizes", "init_norms", "consecutive_ratios", "plot_accuracy_bands",
    "plot_init_norms", "plot_training_norms", "make_network", "short_run", "explorer_figure", "VERDICTS",
]
