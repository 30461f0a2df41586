"""Helpers for the chapters themselves, so that each runs the same in the book and on Colab."""

from __future__ import annotations

import importlib.util

from .legibility import MIN_TEXT_PX, PHONE_COLUMN_PX, smallest_text_px

__all__ = ["glue", "show_figure"]


#: myst-nb finds a glued value in an output whose MIME types carry this prefix (its GLUE_PREFIX).
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, value, *, display: bool = True):
    """Hand ``value`` to the book's text, where ``{glue:text}`name``` shows it (myst-nb's glue).

    It writes the output ``myst_nb.glue`` writes (the tests compare the two) without importing
    myst-nb, whose import took 1.5-4.5 s of every chapter's run. Where myst-nb is not installed
    (Colab opens a chapter without the book's toolchain), the value is shown if ``display`` is
    true and nothing else happens. A NumPy or PyTorch scalar is glued as the Python number it
    holds: under NumPy 2 its text is ``np.float64(0.28)``, which ``{glue:text}`name:.2f```
    cannot format.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        value = value.item()
    if not _myst_nb_installed():
        if display:
            show(value)
        return
    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def _myst_nb_installed() -> bool:
    try:
        return importlib.util.find_spec("myst_nb") is not None
    except ValueError:  # sys.modules["myst_nb"] is None: blocked, as a test does
        return False


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
