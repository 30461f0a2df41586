"""Helpers for the chapters themselves, so that each runs the same in the book and on Colab."""

from __future__ import annotations

__all__ = ["glue"]


def glue(name: str, value, *, display: bool = True):
    """Hand ``value`` to the book's text, where ``{glue:text}`name``` shows it (myst-nb's glue).

    Where myst-nb is not installed (Colab opens a chapter without the book's toolchain), the value
    is shown if ``display`` is true and nothing else happens, so the chapter still runs.
    """
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_nb_glue(name, value, display=display)
