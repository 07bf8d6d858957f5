"""Environment that forces NumPy and OpenBLAS onto the x86-64 baseline instruction set.

The chapters' stored outputs must not depend on which BLAS kernels or SIMD loops a CPU gets.
``make test`` therefore runs the notebooks under nbval twice: once as the machine is, and once
with the arithmetic forced to the baseline that every x86-64 CPU has:

- ``OPENBLAS_CORETYPE=Nehalem``: OpenBLAS (NumPy's and SciPy's, both built with DYNAMIC_ARCH)
  uses its SSE kernels instead of the Haswell/SkylakeX/Zen ones (no FMA, no AVX);
- ``NPY_DISABLE_CPU_FEATURES``: NumPy's dispatched SIMD loops are turned off.  The list is
  computed here, at run time, from the features this NumPy can dispatch to and this CPU has,
  so it works on any machine (a feature NumPy was compiled to require cannot be turned off);
- ``NUMBA_CPU_NAME=generic``: Numba compiles the training kernels (``vanishing.training.compiled*``) for
  the generic x86-64 CPU (SSE2, no FMA) instead of this one; its disk cache keeps the two apart.

Usage::

    python tools/baseline_env.py            # prints NAME=value lines, for `env $(...) cmd`
    python tools/baseline_env.py --report   # what a process started with them actually gets
"""

from __future__ import annotations

import os
import subprocess
import sys

OPENBLAS_CORE = "Nehalem"
NUMBA_CPU = "generic"


def _umath():
    """NumPy's compiled core module (``numpy._core`` in NumPy 2, ``numpy.core`` in 1.x)."""
    try:
        from numpy._core import _multiarray_umath as m
    except ImportError:  # NumPy 1.x
        from numpy.core import _multiarray_umath as m
    return m


def dispatched_features() -> list[str]:
    """The SIMD targets NumPy dispatches to at run time and this CPU supports, in NumPy's order."""
    m = _umath()
    baseline = set(m.__cpu_baseline__)
    return [f for f in m.__cpu_dispatch__ if f not in baseline and m.__cpu_features__.get(f, False)]


def baseline_env() -> dict[str, str]:
    """Variables that put NumPy's loops, OpenBLAS's kernels and Numba's code on the x86-64 baseline."""
    # Inside a process already started with the list, NumPy reports those features as absent;
    # keep the list it was given rather than compute an empty one.
    given = os.environ.get("NPY_DISABLE_CPU_FEATURES", "")
    return {
        "OPENBLAS_CORETYPE": OPENBLAS_CORE,
        "NPY_DISABLE_CPU_FEATURES": given or ",".join(dispatched_features()),
        "NUMBA_CPU_NAME": NUMBA_CPU,
    }


_PROBE = r"""
import ctypes, numpy as np, scipy.linalg  # noqa: F401  (loads SciPy's OpenBLAS too)
from numpy._core import _multiarray_umath as m
print("NumPy SIMD targets on:", [f for f in m.__cpu_dispatch__ if m.__cpu_features__.get(f)] or "none (baseline only)")
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "openblas" in l and ".so" in l})
for path in libs:
    lib = ctypes.CDLL(path)
    for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
        f = getattr(lib, name, None)
        if f is not None:
            f.restype = ctypes.c_char_p
            print("OpenBLAS core:", f().decode(), "in", path.rsplit("/", 1)[-1])
            break
import numba
print("Numba compiles for:", numba.config.CPU_NAME or "this CPU")
"""


def report() -> str:
    """Run a fresh Python with the baseline environment and say what it got."""
    env = {**os.environ, **baseline_env()}
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def main(argv: list[str]) -> int:
    if "--report" in argv:
        print(report(), end="")
        return 0
    for name, value in baseline_env().items():
        print(f"{name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
