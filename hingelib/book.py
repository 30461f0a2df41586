"""Helpers for the chapters themselves, so that each runs the same in the book and on Colab."""

from __future__ import annotations

from .legibility import MIN_TEXT_PX, PHONE_COLUMN_PX, smallest_text_px

__all__ = ["glue", "show_figure"]


def glue(name: str, value, *, display: bool = True):
    """Hand ``value`` to the book's text, where ``{glue:text}`name``` shows it (myst-nb's glue).

    Where myst-nb is not installed (Colab opens a chapter without the book's toolchain), the value
    is shown if ``display`` is true and nothing else happens, so the chapter still runs.
    A NumPy or PyTorch scalar is glued as the Python number it holds: under NumPy 2 its text is
    ``np.float64(0.28)``, which ``{glue:text}`name:.2f``` cannot format.
    """
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_nb_glue(name, value, display=display)


def show_figure(fig, *, min_text_px: float = MIN_TEXT_PX):
    """Show ``fig`` as the book's figures are shown: first check that its smallest text is at
    least ``min_text_px`` CSS px on a 390 px phone (:func:`~hingelib.smallest_text_px`), then
    display it with that size in the output's metadata (``hingelib.smallest_text_px``, which the
    tests read) and close it.
    """
    from IPython.display import display
    from matplotlib import pyplot as plt

    size = smallest_text_px(fig)
    if size < min_text_px:
        width = fig.get_size_inches()[0]
        raise ValueError(
            f"the figure's smallest text is {size:.1f} CSS px on a phone ({PHONE_COLUMN_PX} px "
            f"column), below {min_text_px}: use larger fonts, or a narrower figure than its "
            f"{width:.1f} inches (stack panels instead of placing them side by side)"
        )
    display(fig, metadata={"hingelib": {"smallest_text_px": round(size, 1)}})
    plt.close(fig)
