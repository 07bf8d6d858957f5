"""Benchmark: seconds per MNIST epoch of the shared core's mini-batch SGD.

Trains [784, 30, 10] (sigmoid, cross-entropy, default init) with mini-batch 10,
eta 0.1, lmbda 5.0 on the 50,000 training images for 2 epochs, and prints the
floating-point work per epoch, the rate achieved, the time the first layer's
two matrix products take on their own (a floor for any NumPy implementation on
this machine) and, as its last line, ``floor_ratio=<best epoch / best floor>``:
a ratio measured within one run, so it means the same on any machine.  Epochs
(the compiled one that ``sgd_epoch`` runs by default, and the NumPy reference loop)
and floors are timed interleaved (``rounds`` times each), so that load from
elsewhere affects all alike.  It also prints what the compiled kernel costs before
its first epoch: importing Numba, and compiling the kernel or loading it from
Numba's disk cache.  Run: ``python benchmarks/bench_training.py``.
"""

from __future__ import annotations

import time

import numpy as np

from vanishing.data import load_mnist, one_hot
from vanishing.networks.network import Network
from vanishing.training.sgd import sgd_epoch


def flops_per_epoch(sizes: list[int], n: int) -> int:
    """Multiply-adds x 2 of forward + backward matrix products for n examples.

    Forward: m * n_in * n_out per layer; backward: the same for the weight
    gradient and for propagating delta (except into the input layer).
    """
    per_example = 0
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        per_example += 2 * n_in * n_out  # forward
        per_example += 2 * n_in * n_out  # grad W
        if l:
            per_example += 2 * n_in * n_out  # delta to the previous layer
    return per_example * n


def per_example_seconds(net: Network, X: np.ndarray, Y: np.ndarray, n: int = 5000) -> float:
    """Seconds per 50,000-image epoch when each example is backpropagated on its own.

    This is how the source book's code computes a mini-batch gradient (a Python
    loop over the examples of the batch); timed on ``n`` examples and scaled.
    """
    t = time.perf_counter()
    for start in range(0, n, 10):
        grads = [net._backprop(X[i : i + 1], Y[i : i + 1]) for i in range(start, start + 10)]
        for l, (W, b) in enumerate(zip(net.weights, net.biases)):
            W -= 0.1 * sum(g[0][l] for g in grads) / 10
            b -= 0.1 * sum(g[1][l] for g in grads) / 10
    return (time.perf_counter() - t) * X.shape[0] / n


def matmul_floor_seconds(X: np.ndarray, sizes: list[int], batch_size: int = 10) -> float:
    """Seconds per epoch of the two products no implementation can skip, timed alone.

    Per mini-batch: the first layer's forward product (m, 784) @ (784, 30) and its
    weight gradient (30, m) @ (m, 784), the two that carry over 95 % of the work,
    on contiguous ``batch_size``-row slices of an already permuted copy of the
    images: no gathering inside the timed loop, and nothing else.
    """
    rng = np.random.default_rng(0)
    W = rng.normal(size=(sizes[1], sizes[0]))
    delta = rng.normal(size=(batch_size, sizes[1]))
    Xp = X[rng.permutation(X.shape[0])]
    t = time.perf_counter()
    for start in range(0, Xp.shape[0], batch_size):
        A = Xp[start : start + batch_size]
        A @ W.T
        delta.T @ A
    return time.perf_counter() - t


def main(rounds: int = 3) -> None:
    t0 = time.perf_counter()
    from vanishing.training import compiled  # noqa: E402  (timed: it imports Numba)

    print(f"import vanishing.training.compiled (Numba): {time.perf_counter() - t0:.3f} s")
    print(f"compiled.warm_up (compile, or load from the disk cache): {compiled.warm_up():.3f} s")
    t0 = time.perf_counter()
    (X, y), _, _ = load_mnist()
    print(f"load_mnist: {time.perf_counter() - t0:.3f} s")
    sizes = [784, 30, 10]
    net = Network(sizes, seed=0)
    Y = one_hot(y)
    rng = np.random.default_rng(0)
    epochs, numpy_epochs, floors = [], [], []
    for _ in range(rounds):
        t = time.perf_counter()
        sgd_epoch(net, X, Y, batch_size=10, eta=0.1, lmbda=5.0, rng=rng)
        epochs.append(time.perf_counter() - t)
        t = time.perf_counter()
        sgd_epoch(net, X, Y, batch_size=10, eta=0.1, lmbda=5.0, rng=rng, engine="numpy")
        numpy_epochs.append(time.perf_counter() - t)
        floors.append(matmul_floor_seconds(X, sizes))
    loop = per_example_seconds(Network(sizes, seed=0), X, Y)
    flops = flops_per_epoch(sizes, X.shape[0])
    best, floor = min(epochs), min(floors)
    print(f"epoch times (s): {', '.join(f'{t:.3f}' for t in epochs)}")
    print(
        f"NumPy reference epoch times (s): {', '.join(f'{t:.3f}' for t in numpy_epochs)} "
        f"(ratio {min(numpy_epochs) / floor:.2f})"
    )
    print(f"floor times (s): {', '.join(f'{t:.3f}' for t in floors)} (the first layer's two matrix products alone)")
    print(f"floating-point operations per epoch: {flops / 1e9:.2f} GFLOP (matrix products)")
    print(f"rate achieved: {flops / best / 1e9:.2f} GFLOP/s")
    print(f"per-example loop (the source book's way), for comparison: {loop:.3f} s per epoch")
    print(f"epoch_seconds={best:.4f}")
    print(f"floor_ratio={best / floor:.2f}")


if __name__ == "__main__":
    main()
