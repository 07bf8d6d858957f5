"""Chapter 4's claims (ill-conditioning) and their judge functions."""

from __future__ import annotations

import math

from .registry import Judgement, claim


@claim("ch4_grad1000", source="dsse82383", section="ch4-function",
       text="For f(w₁, w₂) = 0.001w₁² + w₂², at a point with similar coordinates, the w₂ gradient "
            "component is 1000 times the w₁ one.")
def grad1000(*, ratio_equal: float, ratio_lo: float, ratio_hi: float) -> Judgement:
    r"""``ratio_equal``: :math:`(\partial f/\partial w_2)/(\partial f/\partial w_1)` at (1, 1);
    ``ratio_lo``, ``ratio_hi``: its extremes over points whose coordinates differ by at most a factor 2.

    Holds if the ratio is 1000 (to 1e-9) at equal coordinates and within a factor 2 of it at similar
    ones; holds with nuance if it is 1000 at equal coordinates only; does not hold otherwise.
    """
    exact = math.isclose(ratio_equal, 1000.0, rel_tol=1e-9)
    similar = 500.0 * (1 - 1e-9) <= ratio_lo and ratio_hi <= 2000.0 * (1 + 1e-9)
    verdict = "holds" if exact and similar else ("holds with nuance" if exact else "does not hold")
    return Judgement(
        value=f"∂f/∂w₂ ÷ ∂f/∂w₁ = {ratio_equal:.6g} at (1, 1), from {ratio_lo:.0f} to {ratio_hi:.0f} "
              "where the coordinates differ by at most a factor 2",
        verdict=verdict,
        rule="The ratio is 1000 w₂/w₁. Holds if it is 1000 at equal coordinates and within a factor 2 "
             "of 1000 wherever the coordinates differ by at most a factor 2; holds with nuance if only "
             "the first; does not hold otherwise.")
