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
