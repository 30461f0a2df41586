"""The website's explorers, Sphinx side: `_ext/browser_explorers.py` and `explorer_registry.py`.

Each live explorer cell becomes an element that ``hinge_explorer.js`` mounts, with a config the
book's build exports from hingelib. These tests check, without the book's build, that each entry
mirrors its explorer's call, that the config is hingelib's data and start exactly, that the poster
(the picture without JavaScript) is hingelib's plot and readable on a phone, and, in a small Sphinx
build of their own, that the script and style reach only the pages with an explorer and that a
frozen widget or a call that disagrees is a build warning. The component in a browser:
test_explorer_js.py (on a harness page) and test_browser.py (on the built site).
"""

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import hingelib as hl
from hingelib._live import load_dataset

EXT = Path(__file__).resolve().parents[1] / "_ext"
sys.path.insert(0, str(EXT))

import browser_explorers  # noqa: E402 (the extension's folder is not a package)
import explorer_registry  # noqa: E402
from explorer_registry import EXPLORERS, BoundaryExplorer, TrainingExplorer  # noqa: E402


def test_an_explorer_without_settings_starts_at_the_live_explorers_defaults():
    explorer = BoundaryExplorer.of("t")
    assert explorer.kwargs == explorer_registry.function_defaults("decision_boundary_explorer")
    config = explorer.config()
    assert (config["loss"], config["delta"], config["lambda"]) == ("hinge", 1.0, 0.01)


def test_an_unknown_setting_is_rejected_with_the_explorers_arguments():
    with pytest.raises(TypeError, match="no argument \\['colour'\\].*'dataset'"):
        TrainingExplorer.of("t", colour="red")


def test_a_matching_call_passes_the_check():
    explorer = TrainingExplorer.of("t", dataset="overlapping", losses=("hinge", "logistic"))
    source = 'animation = hl.training_animation(dataset="overlapping", canvas="image")\nanimation'
    assert explorer_registry.call_mismatches(explorer, source) == []
    assert explorer_registry.call_mismatches(explorer, "%matplotlib inline\n" + source) == []


def test_a_call_that_starts_somewhere_else_is_named():
    explorer = BoundaryExplorer.of("t")
    problems = explorer_registry.call_mismatches(
        explorer, "hl.decision_boundary_explorer(margin=2.0)"
    )
    assert problems == ["margin=2.0 in the cell but margin=1.0 in the explorer"]


def test_a_call_with_an_argument_the_function_lacks_names_that_argument():
    problems = explorer_registry.call_mismatches(
        BoundaryExplorer.of("t"), "hl.decision_boundary_explorer(epochs=50)"
    )
    assert problems == ["hl.decision_boundary_explorer has no argument epochs"]


@pytest.mark.parametrize(
    "source, problem",
    [
        ("hl.training_animation()", "call hl.decision_boundary_explorer(...) once, found 0"),
        ("hl.decision_boundary_explorer(margin=delta)", "literal keyword values"),
        ("hl.decision_boundary_explorer(**settings)", "keyword arguments only"),
    ],
)
def test_a_call_the_check_cannot_read_is_reported(source, problem):
    (found,) = explorer_registry.call_mismatches(BoundaryExplorer.of("t"), source)
    assert problem in found


@pytest.mark.parametrize("name", EXPLORERS)
def test_the_config_is_hingelibs_data_set_and_start_exactly(name):
    explorer = EXPLORERS[name]
    kwargs = explorer.kwargs
    config = json.loads(browser_explorers.config_json(explorer))  # what the page parses
    X, y = load_dataset(kwargs["dataset"], kwargs["n"], kwargs["seed"])
    assert config["points"] == [[*x, t] for x, t in zip(X.double().tolist(), y.tolist())]
    assert {label for *_, label in config["points"]} == {1.0, -1.0}
    history = hl.fit_linear(X.double(), y, epochs=1)  # the seeded start the live explorer has
    assert config["w0"] == history.weight[0].tolist() and config["b0"] == 0.0
    assert torch.equal(
        torch.tensor(config["w0"], dtype=torch.float64), history.weight[0]
    )  # float64, bit for bit
    assert config["kind"] == explorer.kind and config["title"] == explorer.title
    assert (config["delta"], config["lambda"]) == (kwargs["margin"], kwargs["weight_decay"])
    if explorer.kind == "training":
        assert config["losses"] == list(kwargs["losses"])
        assert (config["lr"], config["epochs"]) == (kwargs["lr"], kwargs["epochs"])
    else:
        assert config["loss"] == kwargs["loss"] and config["lr"] > 0 and config["epochs"] >= 1


def test_the_config_cannot_end_its_script_element():
    explorer = BoundaryExplorer.of("a </script><script>alert(1)</script>")
    text = browser_explorers.config_json(explorer)
    assert "</" not in text and json.loads(text)["title"] == explorer.title


@pytest.mark.parametrize("name", EXPLORERS)
def test_the_element_is_the_one_the_component_mounts(name):
    explorer = EXPLORERS[name]
    page = browser_explorers.explorer_html(explorer, f"explorer-{name}", "../_images/p.png")
    figure = re.match(
        r'<figure class="hinge-explorer" id="([^"]+)" data-explorer="(\w+)" '
        r'aria-label="([^"]+)">',
        page,
    )
    assert figure and figure.groups() == (f"explorer-{name}", explorer.kind, explorer.title)
    config = re.search(
        r'<script type="application/json" class="hinge-explorer-config">'
        r"(.*?)</script>",
        page,
        re.S,
    )
    assert json.loads(config[1]) == explorer.config()
    poster = re.search(
        r'<noscript><img src="([^"]+)" alt="([^"]+)" width="(\d+)" '
        r'height="(\d+)"></noscript>',
        page,
    )
    assert poster[1] == "../_images/p.png" and (poster[3], poster[4]) == ("400", "672")
    assert len(html.unescape(poster[2]).split()) >= 20, "the poster's alt says what it shows"
    note = re.search(r'<figcaption class="hinge-explorer-note">(.*?)</figcaption>', page, re.S)
    note = html.unescape(note[1])
    assert note.startswith(explorer.title + ". ")
    assert "browser" in note and "Binder" in note and "Colab" in note
    assert page.index("hinge-explorer-config") < page.index("<noscript>") < page.index("figcap")


def test_the_poster_key_follows_the_settings():
    keys = {
        explorer_registry.cache_key(BoundaryExplorer.of("t", dataset=d))
        for d in ("separable", "outliers")
    }
    assert len(keys) == 2
    assert explorer_registry.cache_key(BoundaryExplorer.of("t")) == explorer_registry.cache_key(
        BoundaryExplorer.of("other title: not drawn")
    )


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_poster_is_hingelibs_picture_and_readable_on_a_phone(tmp_path, name):
    from PIL import Image

    path = tmp_path / "poster.png"
    figure = explorer_registry.draw_poster(EXPLORERS[name], path)
    with Image.open(path) as png:
        size = png.size
    assert size == (browser_explorers.POSTER_WIDTH, browser_explorers.POSTER_HEIGHT)
    assert path.stat().st_size < 40_000, "a palette PNG stays small"
    titles = [ax.get_title() for ax in figure.axes]
    if EXPLORERS[name].kind == "training":  # plot_training_frame's titles, at the last epoch
        assert [t.split(",")[0] for t in titles] == ["hinge", "logistic"]
        assert all("epoch 200" in t for t in titles)
    else:  # plot_explorer_frame's: the certified optimum
        assert "duality gap" in titles[0] and "support vectors" in titles[0]
    smallest = hl.smallest_text_px(figure, width_px=size[0])
    assert smallest >= hl.legibility.MIN_TEXT_PX, f"{name}: {smallest:.1f} CSS px on a phone"


WIDGET = {"model_id": "0" * 32, "version_major": 2, "version_minor": 0}


def notebook(source: str, tags: list[str]) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "id": "c1",
        "metadata": {"tags": tags},
        "source": source,
        "outputs": [
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"application/vnd.jupyter.widget-view+json": WIDGET, "text/plain": "W"},
            }
        ],
    }
    title = {"cell_type": "markdown", "id": "t1", "metadata": {}, "source": "# A page"}
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    metadata = {"kernelspec": kernel, "language_info": {"name": "python"}}
    return json.dumps(
        {"cells": [title, cell], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    )


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """A four-page Sphinx build with the extension: an explorer, a frozen widget, a call that
    disagrees with its entry, a page without either. Returns (html folder, warnings)."""
    source = tmp_path_factory.mktemp("book")
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        'extensions = ["myst_nb", "browser_explorers"]\n'
        'nb_execution_mode = "off"\nexclude_patterns = ["_build"]\n'
    )
    (source / "index.md").write_text(
        "# Index\n\n```{toctree}\nexplorer\nfrozen\nmismatch\nplain\n```\n"
    )
    (source / "plain.md").write_text("# Plain\n\nNo explorer here.\n")
    pages = {
        "explorer": ("hl.decision_boundary_explorer()", ["twin-decision-boundary"]),
        "frozen": ("hl.decision_boundary_explorer()", []),
        "mismatch": ("hl.decision_boundary_explorer(margin=2.0)", ["twin-decision-boundary"]),
    }
    for name, (code, tags) in pages.items():
        (source / f"{name}.ipynb").write_text(notebook(code, tags))
    out = source / "_build" / "html"
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return out, run.stderr


def test_the_script_and_style_reach_only_the_pages_with_an_explorer(small_build):
    out, _ = small_build
    page = (out / "explorer.html").read_text()
    assert re.search(
        r'<script defer="defer" src="_static/hinge_explorer\.js(\?v=\w+)?"></script>', page
    )
    assert re.search(
        r'<link rel="stylesheet" [^>]*href="_static/hinge_explorer\.css(\?v=\w+)?"', page
    )
    assert page.count('class="hinge-explorer"') == 1 and 'data-explorer="boundary"' in page
    assert "widget-view+json" not in page, "the frozen widget's output is gone"
    poster = re.search(r'<noscript><img src="([^"]+)"', page)[1]
    assert (out / poster).is_file() and poster.startswith("_images/explorers/")
    for plain in ("plain.html", "index.html", "frozen.html"):
        text = (out / plain).read_text()
        assert "hinge_explorer" not in text, f"{plain} loads the explorer's assets"
    for asset in (browser_explorers.SCRIPT, browser_explorers.STYLE):
        if (EXT / asset).is_file():  # copied from _ext/ (its absence is a warning: below)
            assert (out / "_static" / asset).read_bytes() == (EXT / asset).read_bytes()
        else:
            assert f"_ext/{asset} is missing" in small_build[1]


def test_a_frozen_widget_and_a_disagreeing_call_are_build_warnings(small_build):
    _, warnings = small_build
    frozen = [line for line in warnings.splitlines() if "frozen on the website" in line]
    assert len(frozen) == 1 and "frozen.ipynb" in frozen[0]
    assert "'remove-output'" in frozen[0] and "twin-<name>" in frozen[0]
    (mismatch,) = [line for line in warnings.splitlines() if "does not start where" in line]
    assert "mismatch.ipynb" in mismatch
    assert "margin=2.0 in the cell but margin=1.0 in the explorer" in mismatch
