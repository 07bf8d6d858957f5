"""Optimisers as steps on a gradient function, and one runner that records the trajectory.

An optimiser step maps ``(x, g, state) -> (x_new, state)`` for the current
point ``x``, its gradient ``g`` and the optimiser's own ``state`` (a dict).
:func:`run` iterates a step from ``x0`` and returns a :class:`Trajectory`.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from vanishing.checks import check_unit_interval, finite_positive
from vanishing.landscapes.functions import check_point
from vanishing.networks.network import check_batch

Array = np.ndarray


@dataclass
class Trajectory:
    """What :func:`run` recorded.  Row k is the k-th iterate (row 0 is ``x0``).

    xs : (k+1, d) iterates; fs : (k+1,) f values (NaN if no f given);
    grad_norms : (k+1,) Euclidean norm of the gradient at each iterate;
    converged_at : first k with stop(x_k) true (None if never);
    diverged : True if an iterate became non-finite or larger than ``blowup``;
    message : a readable account of the divergence, empty otherwise.
    """

    xs: Array
    fs: Array
    grad_norms: Array
    converged_at: int | None = None
    diverged: bool = False
    message: str = ""

    @property
    def steps(self) -> int:
        return len(self.xs) - 1


def gd_step(x: Array, g: Array, state: dict, *, eta: float) -> tuple[Array, dict]:
    r"""Gradient descent: :math:`x \leftarrow x - \eta\, g`."""
    return x - eta * g, state


def momentum_step(x: Array, g: Array, state: dict, *, eta: float, beta: float = 0.9) -> tuple[Array, dict]:
    r"""Heavy-ball momentum (Polyak, 1964): :math:`v \leftarrow \beta v - \eta g,\ x \leftarrow x + v`.

    ``state["v"]`` (shape of ``x``) starts at zero; ``beta`` in [0, 1)
    (``beta = 0`` is gradient descent).
    """
    beta = check_unit_interval("beta", beta)
    v = beta * state.get("v", 0.0) - eta * g
    return x + v, {**state, "v": v}


def adagrad_step(x: Array, g: Array, state: dict, *, eta: float, eps: float = 1e-8) -> tuple[Array, dict]:
    r"""Adagrad (Duchi et al., 2011): :math:`G \leftarrow G + g^2,\ x \leftarrow x - \eta\, g / (\sqrt{G} + \epsilon)`.

    Everything is per coordinate; ``state["G"]`` (shape of ``x``) is the
    running sum of squared gradients, so each coordinate gets its own rate
    :math:`\eta / \sqrt{G_i}`.  The first step is :math:`\eta\,\mathrm{sign}(g)`
    up to :math:`\epsilon`.
    """
    eps = finite_positive("eps", eps)
    G = state.get("G", 0.0) + g * g
    return x - eta * g / (np.sqrt(G) + eps), {**state, "G": G}


def rmsprop_step(
    x: Array, g: Array, state: dict, *, eta: float, rho: float = 0.9, eps: float = 1e-8
) -> tuple[Array, dict]:
    r"""RMSProp (Tieleman and Hinton, 2012): a decaying average instead of Adagrad's sum.

    :math:`E \leftarrow \rho E + (1-\rho) g^2,\ x \leftarrow x - \eta\, g / (\sqrt{E} + \epsilon)`,
    per coordinate, ``E`` starting at zero; ``rho`` in [0, 1).
    """
    rho = check_unit_interval("rho", rho)
    eps = finite_positive("eps", eps)
    E = rho * state.get("E", 0.0) + (1.0 - rho) * g * g
    return x - eta * g / (np.sqrt(E) + eps), {**state, "E": E}


def adam_step(
    x: Array, g: Array, state: dict, *, eta: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
) -> tuple[Array, dict]:
    r"""Adam (Kingma and Ba, 2015), with bias correction, per coordinate.

    .. math::

        t \leftarrow t+1,\quad m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
        x \leftarrow x - \eta\, \frac{m / (1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \epsilon}.

    The first step is :math:`\eta\, g/(|g| + \epsilon)`: size :math:`\eta` in
    every coordinate whatever the gradient's scale.
    """
    beta1 = check_unit_interval("beta1", beta1)
    beta2 = check_unit_interval("beta2", beta2)
    eps = finite_positive("eps", eps)
    t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0.0) + (1.0 - beta1) * g
    v = beta2 * state.get("v", 0.0) + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    return x - eta * m_hat / (np.sqrt(v_hat) + eps), {**state, "t": t, "m": m, "v": v}


def newton_step(
    x: Array, g: Array, state: dict, *, eta: float, hessian: Callable[[Array], Array]
) -> tuple[Array, dict]:
    r"""(Damped) Newton: :math:`x \leftarrow x - \eta\, H(x)^{-1} g`; ``eta = 1`` is the pure Newton step.

    ``hessian(x)`` returns the (d, d) Hessian at ``x``.  On a positive-definite
    quadratic :math:`\tfrac12 x^T H x` the pure step lands on the minimum at once.
    A singular Hessian raises ``ValueError``.
    """
    if not callable(hessian):
        raise TypeError("hessian: expected a function x -> (d, d) Hessian matrix, e.g. Quadratic.hessian")
    H = np.asarray(hessian(x), dtype=float)
    if H.shape != (x.size, x.size):
        raise ValueError(f"hessian: expected a ({x.size}, {x.size}) matrix, got shape {H.shape}")
    try:
        d = np.linalg.solve(H, g)
    except np.linalg.LinAlgError:
        raise ValueError("hessian: the Hessian is singular here; the Newton step is undefined") from None
    return x - eta * d, state


STEPS: dict[str, Callable] = {
    "gd": gd_step,
    "momentum": momentum_step,
    "adagrad": adagrad_step,
    "rmsprop": rmsprop_step,
    "adam": adam_step,
    "newton": newton_step,
}


def hyper_names(method: str) -> tuple[str, ...]:
    """Names of the extra hyper-parameters ``method``'s step accepts (besides ``eta``)."""
    if method not in STEPS:
        raise ValueError(f"method: unknown optimiser {method!r}; allowed: {', '.join(STEPS)}")
    params = inspect.signature(STEPS[method]).parameters
    return tuple(n for n, p in params.items() if p.kind is p.KEYWORD_ONLY and n != "eta")


def _check_run(method: str, eta, steps, hyper: dict) -> tuple[float, int]:
    """``(eta, steps)`` checked for :func:`run`, and ``method``'s hyper-parameters: known, none missing."""
    if method not in STEPS:
        raise ValueError(f"method: unknown optimiser {method!r}; allowed: {', '.join(STEPS)}")
    eta = finite_positive("eta", eta)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps: must be an integer >= 1, got {steps!r}")
    allowed = hyper_names(method)
    unknown = sorted(set(hyper) - set(allowed))
    if unknown:
        raise TypeError(
            f"hyper: {method!r} takes {', '.join(allowed) or 'no extra hyper-parameters'}; "
            f"got unexpected {', '.join(unknown)}"
        )
    params = inspect.signature(STEPS[method]).parameters
    missing = [n for n in allowed if params[n].default is inspect.Parameter.empty and n not in hyper]
    if missing:
        raise TypeError(f"{missing[0]}: {method!r} needs this hyper-parameter (e.g. hessian=q.hessian)")
    return eta, steps


def run(
    grad: Callable[[Array], Array],
    x0,
    *,
    method: str = "gd",
    eta: float,
    steps: int,
    f: Callable[[Array], float] | None = None,
    stop: Callable[[Array], bool] | None = None,
    blowup: float = 1e12,
    **hyper,
) -> Trajectory:
    """Run ``steps`` iterations of optimiser ``method`` from ``x0`` on gradient ``grad``.

    ``stop(x)``, if given, ends the run at the first iterate where it is true
    (``converged_at``).  A non-finite iterate or one with norm above
    ``blowup`` ends the run with ``diverged=True`` and a message.  ``hyper``
    holds the method's extra hyper-parameters.
    """
    eta, steps = _check_run(method, eta, steps, hyper)
    step = STEPS[method]
    x = check_point(x0, name="x0")
    xs, gns, fs = [x], [], []
    state: dict = {}
    converged_at = None
    diverged, message = False, ""
    for k in range(steps + 1):
        g = np.asarray(grad(x), dtype=float)
        gns.append(math.sqrt(float(g @ g)) if g.ndim == 1 else float(np.linalg.norm(g)))
        fs.append(float(f(x)) if f is not None else np.nan)
        if stop is not None and stop(x):
            converged_at = k
            break
        if k == steps:
            break
        x, state = step(x, g, state, eta=eta, **hyper)
        size = float(x @ x)  # NaN or inf if any entry is; one dot product is cheaper than two checks
        if not math.isfinite(size) or math.sqrt(size) > blowup:
            diverged = True
            message = (
                f"{method} diverged at step {k + 1} with eta={eta:g}: the iterate left every "
                f"bounded region (|x| > {blowup:g}). Try a smaller learning rate."
            )
            break
        xs.append(x)
    return Trajectory(np.array(xs), np.array(fs[: len(xs)]), np.array(gns[: len(xs)]), converged_at, diverged, message)


# ---------------------------------------------------------------------------- quadratics
def _spd_eigenvalues(H) -> Array:
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1] or not np.all(np.isfinite(H)) or not np.allclose(H, H.T):
        raise ValueError(f"H: expected a finite symmetric square matrix, got shape {H.shape}")
    lam = np.linalg.eigvalsh(H)
    if lam[0] <= 0:
        raise ValueError(f"H: must be positive definite, smallest eigenvalue {lam[0]:g}")
    return lam


def gd_rates(H) -> dict:
    r"""Step-size facts of gradient descent on :math:`\tfrac12 x^T H x` (``H`` symmetric positive definite).

    With eigenvalues :math:`\mu = \lambda_{min}`, :math:`L = \lambda_{max}` and
    :math:`\kappa = L/\mu`: GD multiplies the eigen-component along
    :math:`\lambda` by :math:`1 - \eta\lambda` per step, so it converges iff
    :math:`\eta < 2/L` (``eta_max``); the rate :math:`\max|1-\eta\lambda|` is
    smallest at :math:`\eta^* = 2/(\mu + L)` (``eta_best``), where it equals
    :math:`(\kappa-1)/(\kappa+1)` (``rate_best``).  Heavy ball's optimal
    parameters (Polyak) are :math:`\eta = 4/(\sqrt L + \sqrt\mu)^2`,
    :math:`\beta = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2` with rate
    :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)` (``hb_eta``, ``hb_beta``, ``hb_rate``).
    """
    lam = _spd_eigenvalues(H)
    mu, L = float(lam[0]), float(lam[-1])
    kappa = L / mu
    sk = np.sqrt(kappa)
    return {
        "lambda_min": mu,
        "lambda_max": L,
        "kappa": kappa,
        "eta_max": 2.0 / L,
        "eta_best": 2.0 / (mu + L),
        "rate_best": (kappa - 1.0) / (kappa + 1.0),
        "hb_eta": 4.0 / (np.sqrt(L) + np.sqrt(mu)) ** 2,
        "hb_beta": ((sk - 1.0) / (sk + 1.0)) ** 2,
        "hb_rate": (sk - 1.0) / (sk + 1.0),
    }


def gd_closed_form(H, x0, eta: float, k: int) -> Array:
    r"""The k-th GD iterate on :math:`\tfrac12 x^T H x` in closed form: :math:`(I - \eta H)^k x_0`.

    For the Stack Exchange answer's :math:`a w_1^2 + b w_2^2` (``H = diag(2a, 2b)``) that is
    :math:`((1-2a\eta)^k w_1, (1-2b\eta)^k w_2)`.  Returns shape (d,).
    """
    H = np.asarray(H, dtype=float)
    x0 = check_point(x0, H.shape[0], name="x0")
    eta = finite_positive("eta", eta)
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 0:
        raise ValueError(f"k: must be an integer >= 0, got {k!r}")
    return np.linalg.matrix_power(np.eye(len(x0)) - eta * H, int(k)) @ x0


def steps_to_shrink(factor: float, start: float, tol: float) -> int | None:
    r"""Fewest k with :math:`|{\rm factor}|^k\,|{\rm start}| < {\rm tol}`, i.e.
    :math:`k = \lfloor \ln({\rm tol}/|{\rm start}|) / \ln|{\rm factor}| \rfloor + 1`.

    0 if already inside; None if ``|factor| >= 1`` (never).  One coordinate of GD
    on a diagonal quadratic shrinks by ``factor = 1 - 2 a eta`` per step.
    """
    tol = finite_positive("tol", tol)
    if not np.isfinite(factor):
        raise ValueError(f"factor: must be finite, got {factor!r}")
    if abs(start) < tol:
        return 0
    if factor == 0:
        return 1
    if abs(factor) >= 1:
        return None
    return int(np.floor(np.log(tol / abs(start)) / np.log(abs(factor)))) + 1


def steps_to_tol(q, x0, *, method: str = "gd", eta: float, tol: float, max_steps: int = 100_000, **hyper) -> Trajectory:
    r"""Run ``method`` on landscape ``q`` (with ``grad``, ``f`` and ``minimum``) from ``x0``
    until :math:`\lVert x_k - x^*\rVert <` ``tol``, at most ``max_steps`` steps.

    Returns the :class:`Trajectory`; ``converged_at`` is the iteration count
    (None if not reached or diverged).  For ``"newton"`` the Hessian is taken
    from ``q.hessian`` unless given.
    """
    tol = finite_positive("tol", tol)
    x_star = getattr(q, "minimum", None)
    if x_star is None:
        raise ValueError("q: needs a minimum (a positive-definite quadratic) to measure the distance to it")
    if method == "newton":
        hyper.setdefault("hessian", q.hessian)
    H = getattr(q, "H", None)
    grad = (lambda x: H @ x) if H is not None else q.grad  # skip per-call checks on the hot path
    f = (lambda x: 0.5 * float(x @ H @ x)) if H is not None else q.f
    return run(
        grad,
        x0,
        method=method,
        eta=eta,
        steps=max_steps,
        f=f,
        stop=lambda x: float((x - x_star) @ (x - x_star)) < tol * tol,
        **hyper,
    )


# ---------------------------------------------------------------------------- networks
def layer_update_norms(
    net, X, Y, *, method: str = "gd", eta: float, steps: int = 1, part: str = "biases", **hyper
) -> Array:
    r"""Size of the update each layer receives from ``steps`` full-batch steps of ``method``.

    The optimiser works on all parameters of ``net`` as one vector (laid out
    as :meth:`Network.get_flat`) with the gradient of the mean cost over
    ``X`` (m, n_in), ``Y`` (m, n_out).  Returns shape (steps, L): entry
    ``[k, l]`` is :math:`\lVert \theta^{(l)}_{k+1} - \theta^{(l)}_k \rVert`, the
    Euclidean norm of step k's change in layer l+1's ``part`` (``"biases"``,
    ``"weights"`` or ``"all"``).  For ``"gd"`` step 0 gives
    :math:`\eta \lVert \partial C/\partial b^l \rVert`, the source book's speed of learning times
    :math:`\eta`.  ``net`` itself is not changed.
    """
    if part not in ("biases", "weights", "all"):
        raise ValueError(f"part: expected 'biases', 'weights' or 'all', got {part!r}")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps: must be an integer >= 1, got {steps!r}")
    if method not in STEPS or method == "newton":
        raise ValueError(f"method: expected one of {', '.join(m for m in STEPS if m != 'newton')}, got {method!r}")
    eta = finite_positive("eta", eta)

    X, Y = check_batch(X, Y, net.sizes[0], net.sizes[-1])
    work = net.copy()
    idx, i = [], 0
    for W, b in zip(work.weights, work.biases):
        w_sl, b_sl = np.arange(i, i + W.size), np.arange(i + W.size, i + W.size + b.size)
        idx.append({"weights": w_sl, "biases": b_sl, "all": np.concatenate([w_sl, b_sl])}[part])
        i += W.size + b.size
    theta, state = work.get_flat(), {}
    out = np.empty((int(steps), len(idx)))
    for k in range(int(steps)):
        grad_w, grad_b = work._backprop(X, Y)
        g = np.concatenate([p.ravel() for gw, gb in zip(grad_w, grad_b) for p in (gw, gb)])
        new, state = STEPS[method](theta, g, state, eta=eta, **hyper)
        out[k] = [np.linalg.norm(new[j] - theta[j]) for j in idx]
        theta = new
        work.set_flat(theta)
    return out


def iterations_vs_eta(q, x0, etas, *, method: str, tol: float, max_steps: int = 5000, **hyper) -> Array:
    """Iterations :func:`steps_to_tol` needs for each learning rate in ``etas`` (shape (n,)).

    NaN where the run did not get within ``tol`` in ``max_steps`` steps or diverged.
    """
    out = []
    for eta in np.atleast_1d(np.asarray(etas, dtype=float)):
        t = steps_to_tol(q, x0, method=method, eta=float(eta), tol=tol, max_steps=max_steps, **hyper)
        out.append(np.nan if t.converged_at is None else t.converged_at)
    return np.array(out, dtype=float)
