"""pytest configuration for the whole repository.

nbval compares a notebook's stored outputs with a fresh run, but never an ``image/png``: fonts and
round-off change pixels from machine to machine.  A figure put into the prose with myst-nb's
``glue`` is stored under other MIME keys (``application/papermill.record/image/png``), which
nbval does not know are images; here they are skipped in the same way.  What a figure shows is
tested through the data it is drawn from, in the unit tests.  Every text output, glued text
included, is still compared strictly.
"""

from __future__ import annotations

GLUED_IMAGES = tuple(f"application/papermill.record/{mime}" for mime in ("image/png", "image/jpeg", "image/svg+xml"))


def pytest_collectstart(collector):
    """Add the glued-image MIME keys to nbval's list of outputs it does not compare."""
    skip = getattr(collector, "skip_compare", None)
    if isinstance(skip, tuple) and "image/png" in skip:
        collector.skip_compare = skip + GLUED_IMAGES
