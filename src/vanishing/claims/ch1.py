"""Chapter 1's claims and their judge functions."""

from __future__ import annotations

from .registry import Judgement, claim  # noqa: F401
