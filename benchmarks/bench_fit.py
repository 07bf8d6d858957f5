"""Benchmark: chapter 5's training runs with fit's compiled steps against its NumPy steps.

For each remedy of :data:`vanishing.experiments.remedies.REMEDIES`, a network of 10 hidden layers
trained by :func:`vanishing.training.fit.fit` for one epoch of 10,000 MNIST images in mini-batches of
10, as chapter 5 trains it (its optimiser, rate, clipping, weight decay), without records: once with
``compiled=True`` (the fused SGD kernel, or :mod:`vanishing.training.compiled_steps`) and once with
NumPy's steps, interleaved ``rounds`` times so that load from elsewhere affects both alike.  Prints the
best time of each and their ratio, a ratio measured within one run, so it means the same on any
machine; the last line, ``slowest_ratio=``, is the smallest speed-up over the remedies.
Run: ``python benchmarks/bench_fit.py``.
"""

from __future__ import annotations

import time

from vanishing import parallel
from vanishing.data import load_mnist
from vanishing.experiments import remedies as rm
from vanishing.training import compiled_steps
from vanishing.training.fit import fit

DEPTH, N_TRAIN = 10, 10_000


def seconds(remedy: str, train, compiled: bool) -> float:
    """Seconds of one epoch of ``remedy``'s network on ``train``, compiled or by NumPy."""
    r = rm.REMEDIES[remedy]
    net = rm.build(r, DEPTH, 1)
    t = time.perf_counter()
    fit(net, train, epochs=1, eta=r.eta, lmbda=5.0, optimiser=r.optimiser, clip=r.clip, seed=1, compiled=compiled)
    return time.perf_counter() - t


def main(rounds: int = 3) -> None:
    print(f"compiled_steps.warm_up (compile, or load from the disk cache): {compiled_steps.warm_up():.3f} s")
    (X, y), _, _ = load_mnist()
    train = (X[:N_TRAIN], y[:N_TRAIN])
    ratios = []
    print(f"{'remedy':<16}{'compiled (s)':>14}{'NumPy (s)':>12}{'speed-up':>10}")
    with parallel.blas_threads(1):
        for k in rm.REMEDIES:
            fast, slow = [], []
            for _ in range(rounds):
                fast.append(seconds(k, train, True))
                slow.append(seconds(k, train, False))
            ratios.append(min(slow) / min(fast))
            print(f"{k:<16}{min(fast):>14.3f}{min(slow):>12.3f}{ratios[-1]:>10.1f}")
    print(f"slowest_ratio={min(ratios):.2f}")


if __name__ == "__main__":
    main()
