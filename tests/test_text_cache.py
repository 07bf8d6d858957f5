"""vanishing.figures.text_cache: cached text layouts and glyph bitmaps draw the pixels matplotlib draws."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402

from vanishing.figures.text_cache import GLYPH_BY_GLYPH, TextCachingRenderer  # noqa: E402


def _figure(shift: float):
    """Texts of every kind: plain, mathtext with a fraction bar, rotated, not antialiased, at a
    position moved by ``shift`` (a fraction of a pixel or whole pixels)."""
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([1, 10, 100], [3, 1, 2])
    ax.set_xscale("log")
    ax.set_title(r"$\Vert\partial C/\partial b^l\Vert$, $\frac{1}{2}$ and 10⁻³")
    ax.set_ylabel("speed (log scale)")
    ax.text(0.2 + shift / 400, 0.5, "layer 1", rotation=30, transform=ax.transAxes)
    ax.text(0.6 + shift / 400, 0.3, "rough edges", antialiased=False, transform=ax.transAxes)
    return fig


def _pixels(fig, renderer) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.get_renderer = lambda: renderer
    canvas.renderer = renderer
    renderer.clear()
    fig.draw(renderer)
    return np.asarray(renderer.buffer_rgba()).copy()


@pytest.mark.parametrize("shift", [0.0, 0.37, 3.0])
def test_cached_text_draws_matplotlibs_pixels(shift):
    fig = _figure(shift)
    size = (*fig.bbox.size, fig.dpi)
    expected = _pixels(fig, RendererAgg(*size))
    cached = TextCachingRenderer(*size)
    first, again = _pixels(fig, cached), _pixels(fig, cached)
    assert np.array_equal(first, expected) and np.array_equal(again, expected)
    if GLYPH_BY_GLYPH:
        assert cached._glyphs and cached._layouts
    moved = _figure(shift + 1.0)  # the same glyphs moved a little: new positions, cached glyphs, still exact
    assert np.array_equal(_pixels(moved, cached), _pixels(moved, RendererAgg(*size)))
    plt.close("all")
