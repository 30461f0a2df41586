"""hl.glue works in the book (myst-nb present) and on Colab (myst-nb absent)."""

import sys

import numpy as np
import torch

import hingelib as hl


def shown_outputs(monkeypatch, glue, *calls):
    """The (bundle, metadata) pairs ``glue`` hands to IPython's display for ``calls``."""
    import myst_nb.ext.glue

    shown = []

    def record(bundle, raw=False, metadata=None):
        shown.append((bundle, metadata))

    monkeypatch.setattr("IPython.display.display", record)
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", record)
    for args, kwargs in calls:
        glue(*args, **kwargs)
    return shown


def test_glue_writes_the_same_output_as_myst_nb_glue(monkeypatch):
    from myst_nb import glue as myst_nb_glue

    calls = [
        (("mean_hinge", 0.28), {"display": False}),
        (("shown", 2.5), {"display": True}),
        (("label", "hinge"), {"display": False}),
    ]
    ours = shown_outputs(monkeypatch, hl.glue, *calls)
    theirs = shown_outputs(monkeypatch, myst_nb_glue, *calls)
    assert ours == theirs
    assert ours[0][0] == {"application/papermill.record/text/plain": "0.28"}
    assert ours[0][1]["scrapbook"]["name"] == "mean_hinge"


def test_glue_without_myst_nb_shows_the_value_only_when_asked(monkeypatch):
    shown = []
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb now raises ImportError
    monkeypatch.setattr("IPython.display.display", lambda value: shown.append(value))
    hl.glue("hidden", 1.5, display=False)
    hl.glue("visible", 2.5)
    assert shown == [2.5]


def test_glue_hands_numpy_and_torch_scalars_over_as_python_numbers(monkeypatch):
    calls = [(("a", np.float64(0.28)), {"display": False}), (("b", torch.tensor(3)), {})]
    shown = shown_outputs(monkeypatch, hl.glue, *calls)
    texts = [next(iter(bundle.values())) for bundle, _ in shown]
    assert texts == ["0.28", "3"]
