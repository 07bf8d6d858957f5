"""An Agg renderer that remembers how it laid out and rasterised text, for the explorers' redraws.

Half of drawing an explorer's figure is its text: every draw lays out each label again (FreeType and
HarfBuzz: which glyphs, where) and rasterises each glyph again, though a redraw shows the same
labels, tick labels and titles as the last.  :class:`TextCachingRenderer` keeps both:

* the layout of a string, by the string, the font properties, the dpi and the text's features and
  language;
* the bitmap of a glyph, by font file, size, dpi, glyph, rotation and its position's fraction of a
  pixel (in FreeType's 1/64 units): a glyph moved by whole pixels rasterises to the same bitmap,
  moved by as many pixels, so a cached bitmap is placed where FreeType would have drawn it.

The pixels are those of matplotlib's own renderer (the tests compare them byte for byte).  The
glyph-by-glyph drawing this relies on is that of matplotlib 3.11 and later; with an older
matplotlib the renderer draws text as matplotlib does, without the caches.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import RendererAgg

try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # pragma: no cover - matplotlib < 3.11
    RenderMode = None

#: Whether this matplotlib draws text glyph by glyph (3.11+), which the caches take over.
GLYPH_BY_GLYPH = RenderMode is not None and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")

#: At most this many layouts and glyph bitmaps are kept (a figure has a few hundred); then both start again.
KEEP = 20_000


class TextCachingRenderer(RendererAgg):
    """:class:`RendererAgg` with a cache of text layouts and of glyph bitmaps (see the module)."""

    def __init__(self, width, height, dpi) -> None:
        super().__init__(width, height, dpi)
        self._layouts: dict = {}
        self._glyphs: dict = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not GLYPH_BY_GLYPH:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = backend_agg.get_hinting_flag()
        key = (s, tuple(prop.__dict__.values()), self.dpi, features, language, flags)
        items = self._layouts.get(key)
        if items is None:
            if len(self._layouts) >= KEEP:
                self._layouts.clear()
            font = self._prepare_font(prop)
            items = self._layouts[key] = font._layout(s, flags=flags, features=features, language=language)
        size = prop.get_size_in_points()
        glyphs = ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items)
        self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        if not GLYPH_BY_GLYPH:  # pragma: no cover - matplotlib < 3.11 never calls it
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        flags = backend_agg.get_hinting_flag()
        antialiased = bool(gc.get_antialiased())
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # as RendererAgg, dy upwards
            matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[extend, extend * slant], [0, 1]]).round()
            matrix = matrix.astype(int)
            tx = round(0x40 * (x + dx * cos - dy * sin))
            ty = round(0x40 * (self.height - y + dx * sin + dy * cos))
            key = (font.fname, size, self.dpi, glyph_index, matrix.tobytes(), tx % 64, ty % 64, flags, antialiased)
            glyph = self._glyphs.get(key)
            if glyph is None:
                if len(self._glyphs) >= KEEP:
                    self._glyphs.clear()
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [tx % 64, ty % 64])
                bitmap = font._render_glyph(glyph_index, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
                buffer = np.array(bitmap.buffer, copy=True)
                if not antialiased:
                    buffer *= 0xFF
                glyph = self._glyphs[key] = (buffer, bitmap.left, bitmap.top)
            buffer, left, top = glyph
            left, top = left + tx // 64, top + ty // 64
            self._renderer.draw_text_image(buffer, left, int(self.height) - top + buffer.shape[0], 0, gc)
        if boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)
