"""Run infrastructure: many independent training runs in a process pool, and BLAS thread control.

* :class:`RunConfig` fixes one training run; :func:`run_one` trains it, a pure function of the
  config and the data (the seed fixes both the initial parameters and the shuffles).
* :func:`pool_map` and :func:`run_many` spread runs over a "fork" process pool (the data is
  inherited by the workers, not copied through pipes) and return results in the order given,
  so the output equals a sequential loop's.
* :func:`blas_threads` limits OpenBLAS to one thread for blocks of small matrix products.

Nothing in networks, training, gradients or landscapes imports this module; the experiments use it
to spread their many runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing as mp
import numbers
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from tqdm.auto import tqdm

from vanishing.data import Split
from vanishing.networks.network import Network, check_sizes, init_std
from vanishing.training.sgd import History, train

_BLAS_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def _openblas_functions() -> list[tuple]:
    """(set, get) thread-count functions of every OpenBLAS loaded: NumPy's, and SciPy's once
    SciPy's BLAS is in use (the compiled epoch of :mod:`vanishing.training.compiled` calls it).  Empty if none."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line and ".so" in line})
    except OSError:
        return []
    found = []
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
                found.append((setter, getter))
                break
    return found


@contextlib.contextmanager
def blas_threads(n: int = 1):
    """Run a block with every loaded OpenBLAS limited to ``n`` threads, then restore the previous counts.

    The matrices of these networks are small (width 30): several BLAS threads
    mostly wait on each other, and on a busy 2-core machine they make a
    full-batch backpropagation several times slower than one thread.  Where
    no OpenBLAS is loaded this is a no-op.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n: must be an integer >= 1, got {n!r}")
    funcs = _openblas_functions()
    before = [getter() for _, getter in funcs]
    for setter, _ in funcs:
        setter(int(n))
    try:
        yield
    finally:
        for (setter, _), count in zip(funcs, before):
            setter(count)


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
        if self.frozen is not None and (
            isinstance(self.frozen, bool)
            or not isinstance(self.frozen, numbers.Integral)
            or not 1 <= self.frozen <= n_hidden
        ):
            raise ValueError(f"frozen: must be None or a hidden layer from 1 to {n_hidden}, got {self.frozen!r}")


def run_one(
    config: RunConfig, training_data: Split, validation_data: Split | None = None, monitor_data: Split | None = None
) -> History:
    """Train a fresh ``Network(config.sizes, seed=config.seed)`` and return its :class:`History`.

    The network's initial parameters and the per-epoch shuffles both use
    ``config.seed``, so a run is a pure function of its config and the data.
    """
    if not isinstance(config, RunConfig):
        raise TypeError(f"config: expected a RunConfig, got {type(config).__name__}")
    net = Network(config.sizes, activation=config.activation, init=config.init, seed=config.seed)
    return train(
        net,
        training_data,
        config.epochs,
        config.batch_size,
        config.eta,
        config.lmbda,
        validation_data=validation_data,
        monitor_data=monitor_data,
        seed=config.seed,
        progress=False,
        frozen=config.frozen,
    )


_WORKER: dict = {}


def _init_worker(func: Callable) -> None:
    _WORKER["func"] = func
    for setter, _ in _openblas_functions():  # the pool is the parallelism: one BLAS thread per worker
        setter(1)


def _call_in_worker(item):
    return _WORKER["func"](item)


def pool_map(func: Callable, items: Sequence, *, processes: int = 2, progress: bool = True, desc: str = "runs") -> list:
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
            with ProcessPoolExecutor(
                max_workers=min(processes, len(items)), mp_context=ctx, initializer=_init_worker, initargs=(func,)
            ) as pool:
                futures = {pool.submit(_call_in_worker, x): i for i, x in enumerate(items)}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    bar.update(1)
    finally:
        bar.close()
    return results


def run_many(
    configs: Sequence[RunConfig],
    training_data: Split,
    validation_data: Split | None = None,
    monitor_data: Split | None = None,
    *,
    processes: int = 2,
    progress: bool = True,
) -> list[History]:
    """Run every config (see :func:`run_one`) and return the histories in the order of ``configs``.

    The runs go to :func:`pool_map` (a "fork" process pool; the data is
    inherited by the workers, not copied); a ``tqdm`` bar counts finished runs.
    The compiled epoch of :mod:`vanishing.training.compiled` is made ready before the pool starts, so that the
    workers do not each compile it.  Every run depends only on its config, so the result equals
    ``[run_one(c, ...) for c in configs]`` exactly, whatever the order in
    which the workers finish.
    """
    configs = list(configs)
    for c in configs:
        if not isinstance(c, RunConfig):
            raise TypeError(f"configs: every entry must be a RunConfig, got {type(c).__name__}")
    from vanishing.training import compiled  # imports Numba, on first use only

    compiled.warm_up()  # compiled (or loaded from disk) once here, inherited by the forked workers
    func = functools.partial(
        run_one, training_data=training_data, validation_data=validation_data, monitor_data=monitor_data
    )
    return pool_map(func, configs, processes=processes, progress=progress, desc="training runs")
