"""The static twins' registry and HTML (``_ext/``): what the website shows for each live explorer.

The frames themselves are drawn by the book build and checked in a browser by test_browser.py;
these tests check, without a build, that each twin mirrors its explorer's call and that the page
gets one labelled slider per setting and the note about the live version.
"""

import html
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))

import static_twins  # noqa: E402 (the extension's folder is not a package)
import twin_registry  # noqa: E402
from twin_registry import TWINS, DecisionBoundaryTwin, TrainingTwin  # noqa: E402


@pytest.mark.parametrize("name", TWINS)
def test_every_twin_starts_on_one_of_its_frames(name):
    twin = TWINS[name]
    controls = twin.controls()
    assert controls and twin_registry.frame_count(twin) >= 2
    for control in controls:
        assert 0 <= control.initial < len(control.values), control.name


def test_a_twin_without_settings_draws_the_explorers_defaults():
    twin = DecisionBoundaryTwin.of("t")
    assert twin.kwargs == twin_registry.explorer_defaults("decision_boundary_explorer")
    assert twin.controls()[0].values[twin.controls()[0].initial] == twin.kwargs["margin"]


def test_an_unknown_setting_is_rejected_with_the_explorers_arguments():
    with pytest.raises(TypeError, match="no argument \\['colour'\\].*'dataset'"):
        TrainingTwin.of("t", colour="red")


def test_a_matching_call_passes_the_check():
    twin = TrainingTwin.of("t", dataset="overlapping", losses=("hinge", "logistic"))
    source = 'animation = hl.training_animation(dataset="overlapping", canvas="image")\nanimation'
    assert twin_registry.call_mismatches(twin, source) == []
    assert twin_registry.call_mismatches(twin, "%matplotlib inline\n" + source) == []


def test_a_call_that_draws_something_else_is_named():
    twin = DecisionBoundaryTwin.of("t")
    problems = twin_registry.call_mismatches(twin, "hl.decision_boundary_explorer(margin=2.0)")
    assert problems == ["margin=2.0 in the cell but margin=1.0 in the twin"]


def test_the_decision_boundary_twin_has_no_training_settings():
    # its frames are exact fits (hl.solve_linear), not where a training run stopped
    assert not {"lr", "epochs"} & set(DecisionBoundaryTwin.of("t").kwargs)


@pytest.mark.parametrize(
    "source, problem",
    [
        ("hl.training_animation()", "call hl.decision_boundary_explorer(...) once, found 0"),
        ("hl.decision_boundary_explorer(margin=delta)", "literal keyword values"),
        ("hl.decision_boundary_explorer(**settings)", "keyword arguments only"),
    ],
)
def test_a_call_the_check_cannot_read_is_reported(source, problem):
    (found,) = twin_registry.call_mismatches(DecisionBoundaryTwin.of("t"), source)
    assert problem in found


def test_the_cache_key_follows_the_settings():
    keys = {
        twin_registry.cache_key(DecisionBoundaryTwin.of("t", dataset=d))
        for d in ("separable", "outliers")
    }
    assert len(keys) == 2
    assert twin_registry.cache_key(DecisionBoundaryTwin.of("t")) == twin_registry.cache_key(
        DecisionBoundaryTwin.of("t")
    )


@pytest.mark.parametrize("name", TWINS)
def test_the_page_gets_a_labelled_slider_per_setting_and_the_live_note(name):
    twin = TWINS[name]
    page = static_twins.twin_html(twin, f"static-twin-{name}", "../_static/twins/x/")
    ids = re.findall(r'<input type="range" id="([^"]+)"', page)
    assert len(ids) == len(twin.controls())
    for slider in ids:
        assert f'<label for="{slider}">' in page and f'<output for="{slider}"' in page
    assert ("data-play" in page) == twin.player
    assert "Binder" in page and "Colab" in page and "fa-rocket" in page
    assert 'class="static-twin-controls static-twin-pending pst-js-only"' in page  # script shows


@pytest.mark.parametrize("name", TWINS)
def test_the_first_frames_alt_text_says_what_it_shows_and_for_which_values(name):
    twin = TWINS[name]
    page = static_twins.twin_html(twin, f"static-twin-{name}", "../_static/twins/x/")
    alt = html.unescape(re.search(r'<img class="static-twin-frame"[^>]* alt="([^"]+)"', page)[1])
    assert alt.startswith(f"{twin.title}. {twin.description} Shown for ")
    for control in twin.controls():  # the words static_twins.js writes when a slider moves
        assert f"{control.label} = {control.shown(control.values[control.initial])}" in alt
    description = html.unescape(re.search(r'data-description="([^"]+)"', page)[1])
    assert alt.startswith(description + " Shown for ")


def test_frames_share_one_layout_and_stay_small(tmp_path):
    frames = twin_registry.FrameWriter(tmp_path)
    positions = []
    for index, slope in enumerate((1.0, 100.0)):  # tick labels of different widths
        (ax,) = frames.axes(1)
        ax.plot([0, 1], [0, slope])
        ax.set_xlabel("x")
        frames.save(index)
        positions.append(ax.get_position().bounds)
    assert positions[0] == positions[1]
    for index in range(2):
        frame = tmp_path / twin_registry.frame_name(index)
        assert frame.read_bytes().startswith(b"\x89PNG") and frame.stat().st_size < 20_000


def drawn_frame(tmp_path, name):
    """Frame 0 of a twin, drawn by its FrameWriter (a short fit for a training twin)."""
    import hingelib as hl

    twin, frames = TWINS[name], twin_registry.FrameWriter(tmp_path)
    X, y = twin.data()
    if isinstance(twin, TrainingTwin):
        histories = [hl.fit_linear(X, y, loss=loss, epochs=5) for loss in twin.kwargs["losses"]]
        hl.plot_training_frame(frames.axes(len(histories)), X, y, histories, 5)
    else:
        fit = hl.solve_linear(X, y, margin=0.25, weight_decay=1e-3)  # its first frame
        hl.plot_explorer_frame(frames.axes(2), X, y, fit.weight, fit.bias, gap=fit.gap)
    frames.save(0)
    return frames.figure


@pytest.mark.parametrize("name", TWINS)
def test_every_twin_frame_is_readable_on_a_phone(tmp_path, name):
    from PIL import Image

    import hingelib as hl

    figure = drawn_frame(tmp_path, name)
    with Image.open(tmp_path / twin_registry.frame_name(0)) as png:
        width, height = png.size
    assert (width, height) == (static_twins.FRAME_WIDTH, static_twins.FRAME_HEIGHT)
    size = hl.smallest_text_px(figure, width_px=width)
    assert size >= hl.legibility.MIN_TEXT_PX, f"{name}: {size:.1f} CSS px on a 390 px phone"
