"""The claims the book checks.

* :mod:`.registry`: every claim (its source, its text, the section that shows it, the function
  that judges it) in one registry, filled by the chapter modules below;
* :mod:`.verdicts`: the verdict rules, each able to return every verdict;
* :mod:`.formulas`: the sources' formulas as they are written;
* :mod:`.ch1` ... :mod:`.ch6`: each chapter's claims and their judge functions.
"""

from vanishing.claims import ch1, ch2, ch3, ch4, ch5, ch6  # noqa: F401  (registers the claims)
from vanishing.claims.registry import REGISTRY, SOURCES, Claim, Judgement, claim, claims_of, judge

__all__ = ["REGISTRY", "SOURCES", "Claim", "Judgement", "claim", "claims_of", "judge"]
