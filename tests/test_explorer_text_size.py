"""Explorer frames read at the size the page shows them: their smallest text is at least 70 % of
the body text.

A frame is drawn :data:`~vanishing.figures.style.EXPLORER_WIDTH` inches wide at 100 CSS pixels an
inch, and the page shows it no wider than the text column (``max-width: 100%``), so it is scaled by
``min(1, COLUMN_PX / (100 * EXPLORER_WIDTH))``.  Its smallest text,
:data:`~vanishing.figures.style.EXPLORER_FONT` points, is ``EXPLORER_FONT * 100 / 72`` CSS pixels
before that scaling.  The body text is the theme's ``--pst-font-size-base`` (1rem, 16 px), and the
column is 688 px wide at a 1280 px window (tests/test_book.py measures both on the built page, so
that these numbers cannot drift from the book).
"""

import re
from pathlib import Path

import pytest

from vanishing.figures.style import EXPLORER_FONT, EXPLORER_WIDTH

#: The text column of a chapter page at a 1280 px window, in CSS pixels (measured: tests/test_book.py).
COLUMN_PX = 688
#: The body text size in CSS pixels: the theme's 1rem at the browser's default 16 px.
BODY_PX = 16.0
#: CSS pixels per inch of an explorer's figure (its dpi; tools/static_explorers.py draws at this size).
CSS_PX_PER_INCH = 100


def shown_text_ratio(font_pt: float, width_in: float, column_px: float, body_px: float) -> float:
    """The smallest text of a frame as shown on the page, as a fraction of the body text size."""
    drawn_px = font_pt * CSS_PX_PER_INCH / 72
    scale = min(1.0, column_px / (width_in * CSS_PX_PER_INCH))
    return drawn_px * scale / body_px


def test_explorer_text_is_at_least_70_percent_of_the_body_text():
    ratio = shown_text_ratio(EXPLORER_FONT, EXPLORER_WIDTH, COLUMN_PX, BODY_PX)
    assert ratio >= 0.70, (
        f"explorer text {EXPLORER_FONT} pt on a {EXPLORER_WIDTH} in frame shown {COLUMN_PX} px wide "
        f"reads at {ratio:.0%} of the {BODY_PX:g} px body text (needs 70 %)"
    )


def test_the_ratio_catches_a_frame_drawn_too_wide():
    # the audit's frames: 1000 px wide (10 in), 8.5 pt labels, shown at 688 px: 51 % of the body text
    assert shown_text_ratio(8.5, 10.0, 688, 16) < 0.70
    assert shown_text_ratio(8.5, 6.0, 688, 16) == pytest.approx(8.5 * 100 / 72 / 16)  # never enlarged


def test_body_text_size_is_the_themes_1rem():
    import pydata_sphinx_theme

    fonts = Path(pydata_sphinx_theme.__file__).parent / "assets" / "styles" / "variables" / "_fonts.scss"
    if not fonts.is_file():
        pytest.skip(f"{fonts} is not shipped with this version of the theme")
    assert re.search(r"--pst-font-size-base:\s*1rem", fonts.read_text()), "the theme's body text is not 1rem"
