"""hl.glue works in the book (myst-nb present) and on Colab (myst-nb absent)."""

import sys

import hingelib as hl


def test_glue_hands_the_value_to_myst_nb_with_its_name(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    hl.glue("mean_hinge", 0.28, display=False)
    ((args, kwargs),) = shown
    bundle = args[0]
    assert kwargs["metadata"]["scrapbook"]["name"] == "mean_hinge"
    assert bundle["application/papermill.record/text/plain"] == "0.28"


def test_glue_without_myst_nb_shows_the_value_only_when_asked(monkeypatch):
    shown = []
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb now raises ImportError
    monkeypatch.setattr("IPython.display.display", lambda value: shown.append(value))
    hl.glue("hidden", 1.5, display=False)
    hl.glue("visible", 2.5)
    assert shown == [2.5]


def test_glue_hands_numpy_and_torch_scalars_over_as_python_numbers(monkeypatch):
    import myst_nb.ext.glue
    import numpy as np
    import torch

    shown = []
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", lambda *a, **k: shown.append(a[0]))
    hl.glue("a", np.float64(0.28), display=False)
    hl.glue("b", torch.tensor(3), display=False)
    texts = [bundle["application/papermill.record/text/plain"] for bundle in shown]
    assert texts == ["0.28", "3"]
