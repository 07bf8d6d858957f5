"""Benchmark: chapter 5's training runs with fit's compiled steps against its NumPy steps.

For each remedy of :data:`vanishing.experiments.remedies.REMEDIES`, a network of 10 hidden layers
trained by :func:`vanishing.training.fit.fit` for one epoch of 10,000 MNIST images in mini-batches of
10, as chapter 5 trains it (its optimiser, rate, clipping, weight decay), without records: once with
``compiled=True`` (the fused SGD kernel, or :mod:`vanishing.training.compiled_steps`) and once with
NumPy's steps, interleaved ``rounds`` times so that load from elsewhere affects both alike.  Prints the
best time of each and their ratio, a ratio measured within one run, so it means the same on any
machine; ``slowest_ratio=`` is the smallest speed-up over the remedies.  Then the record's speeds
(each hidden layer's bias-gradient norm on chapter 5's 1,000 monitor images, from a shared forward pass):
the backward pass of bias gradients only (``Network._bias_gradients``) against the full backward pass
(``Network._backprop``), ``speeds_ratio=`` on the last line.
Run: ``python benchmarks/bench_fit.py``.
"""

from __future__ import annotations

import time

from vanishing import parallel
from vanishing.data import load_mnist, one_hot
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
    speeds_ratio(X[:1000], one_hot(y[:1000], 10), rounds)


def speeds_ratio(X, Y, rounds: int) -> None:
    """Best seconds of the speeds' backward pass, bias gradients only and in full, and their ratio."""
    net = rm.build(rm.REMEDIES["baseline"], DEPTH, 1)
    forward = net._forward(X)
    best = {"bias gradients only": float("inf"), "full backward pass": float("inf")}
    with parallel.blas_threads(1):
        for _ in range(rounds * 10):
            for name, backward in (("bias gradients only", net._bias_gradients), ("full backward pass", net._backprop)):
                t = time.perf_counter()
                backward(X, Y, forward)
                best[name] = min(best[name], time.perf_counter() - t)
    for name, s in best.items():
        print(f"speeds on 1,000 images, {name}: {1e3 * s:.2f} ms")
    print(f"speeds_ratio={best['full backward pass'] / best['bias gradients only']:.2f}")


if __name__ == "__main__":
    main()
