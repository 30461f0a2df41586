"""How large a figure's text is on the book's website when a reader opens it on a phone.

A PNG wider than the page's column is shrunk to fit, and its text with it. At a 390 px wide phone
the book's theme gives a figure ``PHONE_COLUMN_PX`` CSS pixels (measured in Chromium and checked by
``tests/test_browser.py``), so text of ``s`` points in a figure saved at ``dpi`` dots per inch that
is ``W`` pixels wide shows at ``s * dpi / 72 * min(1, PHONE_COLUMN_PX / W)`` CSS pixels.
"""

from __future__ import annotations

__all__ = ["PHONE_COLUMN_PX", "MIN_TEXT_PX", "smallest_text_px", "saved_width_px"]

#: Width of a chapter's output area, in CSS px, on a 390 px wide screen.
PHONE_COLUMN_PX = 342
#: The smallest text the book lets a figure show on that phone, in CSS px.
MIN_TEXT_PX = 9.0
#: ``bbox_inches='tight'`` (how notebooks save figures) pads the drawn area by 0.1 inch a side.
_PAD_INCHES = 0.1


def saved_width_px(fig) -> float:
    """Width in pixels of the PNG that a notebook saves (``bbox_inches='tight'``, ``fig.dpi``)."""
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    return (fig.get_tightbbox(renderer).width + 2 * _PAD_INCHES) * fig.dpi


def smallest_text_px(fig, *, column_px: float = PHONE_COLUMN_PX, width_px=None) -> float:
    """Smallest drawn text of ``fig`` in CSS px once its PNG is fitted into ``column_px``:
    ``min_text (fontsize_pt * dpi / 72) * min(1, column_px / width_px)``, where ``width_px`` is the
    PNG's width (default: :func:`saved_width_px`, as a notebook saves it).

    Raises ``ValueError`` for a figure without any text (nothing to measure).
    """
    from matplotlib.text import Text

    fig.canvas.draw()
    scale = min(1.0, column_px / (saved_width_px(fig) if width_px is None else width_px))
    hidden = _undrawn_tick_labels(fig)
    sizes = [
        text.get_fontsize()
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip() and text not in hidden
    ]
    if not sizes:
        raise ValueError("the figure has no text to measure; add axis labels or a title")
    return min(sizes) * fig.dpi / 72 * scale


def _undrawn_tick_labels(fig) -> set:
    """Tick labels outside an axis's view keep their text but are not drawn."""
    hidden = set()
    for axes in fig.axes:
        for axis in (axes.xaxis, axes.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            drawn = set(axis._update_ticks())  # the ticks that draw() draws (matplotlib >= 3.1)
            for tick in ticks:
                if tick not in drawn:
                    hidden |= {tick.label1, tick.label2}
    return hidden
