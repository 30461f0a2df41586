"""The live explorers, driven headless as a reader would: set each control, click, and check what
is drawn and reported against hingelib's own trainer and geometry."""

import base64
import subprocess
import sys

import numpy as np
import pytest
import torch
from matplotlib.backend_bases import MouseButton, MouseEvent
from matplotlib.contour import ContourSet

import hingelib as hl
from hingelib._live import ipympl_available
from hingelib.widgets import EXPLORER_MARGINS, EXPLORER_WEIGHT_DECAYS

# Not pytest.importorskip("ipympl"): importing ipympl switches matplotlib's backend for good.
needs_ipympl = pytest.mark.skipif(not ipympl_available(), reason="ipympl is not installed")


def small_explorer(**settings):
    """An explorer on 80 points trained 100 epochs: quick, and the same code path as the book's."""
    return hl.decision_boundary_explorer(**{"n": 80, "epochs": 100, "canvas": "image", **settings})


def drawn_levels(ax):
    """The levels of the boundary's contour lines on ``ax``: [-Delta, 0, Delta]."""
    (lines,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    return list(lines.levels)


def drawn_boundary_points(ax):
    """Points on the drawn boundary f(x) = 0 (the solid middle contour line)."""
    (lines,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    return torch.as_tensor(np.concatenate(lines.allsegs[1]))


def assert_shows_the_fit_of(explorer, margin, weight_decay):
    """The explorer shows the single fit of these settings, and reports its numbers correctly."""
    c = explorer.controls
    reference = hl.fit_linear(
        explorer.X,
        explorer.y,
        loss=c["loss"].value,
        margin=margin,
        weight_decay=weight_decay,
        lr=c["lr"].value,
        epochs=c["epochs"].value,
    )
    w, b = reference.weight[-1], reference.bias[-1]
    torch.testing.assert_close(explorer.weight, w, atol=1e-5, rtol=1e-4)
    on_line = drawn_boundary_points(explorer.figure.axes[0]).float()
    torch.testing.assert_close(on_line @ w + b, torch.zeros(len(on_line)), atol=1e-4, rtol=0)
    stats = explorer.stats
    assert stats["margin_width"] == pytest.approx(hl.margin_width(w, margin=margin), rel=1e-4)
    X, y = explorer.X.double(), explorer.y
    assert stats["support_vectors"] == int(hl.support_vectors(w, b, X, y, margin=margin).sum())
    assert stats["violators"] == int(reference.violators[-1])
    assert stats["accuracy"] == pytest.approx(float(reference.accuracy[-1]))
    title = explorer.figure.axes[0].get_title()
    assert f"= {stats['margin_width']:.2f}" in title
    assert f"{stats['support_vectors']} support vectors" in title
    assert f"{stats['violators']} margin violators" in title


def test_explorer_builds_headless_and_names_every_control():
    explorer = small_explorer()
    assert set(explorer.controls) == {
        "loss",
        "dataset",
        "margin",
        "weight_decay",
        "lr",
        "epochs",
        "add_class",
        "reset",
    }
    assert explorer.live.widget in explorer.children
    assert bytes(explorer.live.widget.value).startswith(b"\x89PNG")
    assert repr(explorer).startswith("DecisionBoundaryExplorer(loss='hinge', dataset='separable'")
    assert_shows_the_fit_of(explorer, 1.0, 0.01)


def test_weight_decay_slider_looks_up_the_fit_and_a_larger_lambda_widens_the_margin():
    explorer = small_explorer()
    grid = explorer.grid
    widths = []
    for lam in EXPLORER_WEIGHT_DECAYS[::3]:
        explorer.controls["weight_decay"].value = lam
        assert explorer.grid is grid  # a lookup, not a retraining
        widths.append(explorer.stats["margin_width"])
    assert widths == sorted(widths) and widths[-1] > 1.5 * widths[0]
    assert_shows_the_fit_of(explorer, 1.0, EXPLORER_WEIGHT_DECAYS[::3][-1])


def test_margin_slider_moves_the_margin_lines_to_plus_minus_delta():
    explorer = small_explorer()
    for delta in (EXPLORER_MARGINS[0], EXPLORER_MARGINS[-1]):
        explorer.controls["margin"].value = delta
        assert drawn_levels(explorer.figure.axes[0]) == [-delta, 0.0, delta]
        assert_shows_the_fit_of(explorer, delta, 0.01)


def test_loss_buttons_retrain_with_that_loss_and_draw_its_curve():
    explorer = small_explorer()
    hinge_weight = explorer.weight
    explorer.controls["loss"].value = "logistic"
    assert explorer.grid.loss_name == "logistic"
    assert not torch.allclose(explorer.weight, hinge_weight)
    curve = explorer.figure.axes[1].get_lines()[0]
    m = torch.as_tensor(curve.get_xdata())
    torch.testing.assert_close(torch.as_tensor(curve.get_ydata()), hl.loss_of_margin("logistic", m))
    assert "logistic" in explorer.figure.axes[1].get_title()
    assert_shows_the_fit_of(explorer, 1.0, 0.01)


def test_dataset_menu_loads_that_data_set():
    explorer = small_explorer()
    explorer.controls["dataset"].value = "outliers"
    X, y = hl.blobs_with_outliers(80, seed=0)
    assert torch.equal(explorer.X, X) and torch.equal(explorer.y, y)
    assert explorer.stats["accuracy"] < 1.0  # the flipped labels cannot all be right
    explorer.controls["dataset"].value = "overlapping"
    assert torch.equal(explorer.X, hl.overlapping_blobs(80, seed=0)[0])
    assert_shows_the_fit_of(explorer, 1.0, 0.01)


def test_learning_rate_and_epochs_sliders_retrain_the_grid():
    explorer = small_explorer()
    before = explorer.weight
    explorer.controls["epochs"].value = 50
    assert explorer.grid.epochs == 50 and not torch.allclose(explorer.weight, before)
    explorer.controls["lr"].value = 0.01
    assert_shows_the_fit_of(explorer, 1.0, 0.01)  # the fit with lr 0.01 and 50 epochs


def click(explorer, ax, x, y, button=MouseButton.LEFT):
    """A mouse press at data coordinates (x, y) of ``ax``, through matplotlib's event system."""
    px, py = ax.transData.transform((x, y))
    canvas = explorer.figure.canvas
    canvas.callbacks.process(
        "button_press_event", MouseEvent("button_press_event", canvas, px, py, button=button)
    )


def test_a_click_adds_a_point_of_the_chosen_class_and_retrains():
    explorer = small_explorer()
    plane, loss_panel = explorer.figure.axes
    weight = explorer.weight
    explorer.controls["add_class"].value = -1.0
    click(explorer, plane, 2.0, 1.5)  # a -1 point deep in the +1 blob
    assert len(explorer.X) == 81 and explorer.y[-1] == -1
    torch.testing.assert_close(explorer.X[-1], torch.tensor([2.0, 1.5]))
    assert not torch.allclose(explorer.weight, weight)
    assert_shows_the_fit_of(explorer, 1.0, 0.01)
    click(explorer, loss_panel, 0.0, 0.5)  # not on the data panel: ignored
    click(explorer, plane, 0.0, 0.0, button=MouseButton.RIGHT)  # not a left click: ignored
    assert len(explorer.X) == 81
    explorer.controls["reset"].click()
    assert len(explorer.X) == 80
    torch.testing.assert_close(explorer.weight, weight)


def test_a_diverged_fit_keeps_the_picture_and_says_to_lower_the_learning_rate():
    explorer = small_explorer()
    picture, weight = explorer.live.widget.value, explorer.weight
    explorer.grid.weight[-1] = float("nan")
    explorer.controls["weight_decay"].value = 0.1
    assert "diverged" in explorer.status.value
    assert explorer.live.widget.value == picture and explorer.weight is weight


def test_a_blitted_frame_looks_like_a_full_redraw_of_the_figure():
    explorer = small_explorer()
    explorer.controls["weight_decay"].value = 0.1  # a new background for the new axes limits
    explorer.controls["weight_decay"].value = 0.01  # back: a cached background, then a blit
    canvas = explorer.figure.canvas
    blitted = np.asarray(canvas.buffer_rgba()).copy()
    canvas.draw()
    different = np.any(blitted != np.asarray(canvas.buffer_rgba()), axis=-1)
    assert different.mean() < 0.01  # only where axis spines cross the band drawn over them


def test_unoffered_start_values_are_rejected_with_the_values_offered():
    with pytest.raises(ValueError, match=r"weight_decay=0.02 is not offered.*0\.01"):
        small_explorer(weight_decay=0.02)
    with pytest.raises(ValueError, match="unknown loss 'perceptron'"):
        small_explorer(loss="perceptron")
    with pytest.raises(ValueError, match="unknown canvas 'svg'"):
        small_explorer(canvas="svg")


@needs_ipympl
def test_the_ipympl_canvas_is_the_figure_widget_and_its_sliders_work():
    explorer = small_explorer(canvas="ipympl")
    assert (
        explorer.live.widget is explorer.figure.canvas and explorer.live.widget in explorer.children
    )
    explorer.controls["weight_decay"].value = 0.1
    assert_shows_the_fit_of(explorer, 1.0, 0.1)


@needs_ipympl
def test_before_a_browser_view_connects_the_ipympl_canvas_holds_the_current_frame_as_png():
    # Blitting image diffs before JupyterLab has created the view raced it and left it blank;
    # until the view says "initialized", the canvas keeps the whole frame as its still image.
    explorer = small_explorer(canvas="ipympl")
    explorer.controls["weight_decay"].value = 0.1
    canvas = explorer.live.widget
    assert canvas.syncing_data_url  # no front-end in pytest
    still = base64.b64decode(canvas._data_url)
    assert still == explorer.live.png()


def test_training_animation_shows_the_chosen_epoch_and_its_active_count():
    animation = hl.training_animation(n=80, epochs=30, canvas="image")
    assert set(animation.controls) == {"play", "epoch", "dataset"}
    hinge, logistic = animation.histories
    assert (hinge.loss_name, logistic.loss_name) == ("hinge", "logistic")
    for control, epoch in (("epoch", 10), ("play", 25)):
        animation.controls[control].value = epoch
        assert animation.controls["epoch"].value == epoch  # play drives the slider
        active = [int(hinge.violators[epoch]), int(logistic.violators[epoch])]
        assert animation.stats == {"epoch": epoch, "active": active}
        for ax, history, count in zip(animation.figure.axes, animation.histories, active):
            assert f"epoch {epoch}\n{count} " in ax.get_title()
            w, b = history.weight[epoch], history.bias[epoch]
            on_line = drawn_boundary_points(ax).float()
            torch.testing.assert_close(
                on_line @ w + b, torch.zeros(len(on_line)), atol=1e-4, rtol=0
            )
    animation.controls["dataset"].value = "overlapping"
    assert torch.equal(animation.X, hl.overlapping_blobs(80, seed=0)[0])
    assert animation.histories[0] is not hinge and animation.stats["epoch"] == 25


def test_the_explorers_are_re_exported_flat():
    import hingelib.animation
    import hingelib.widgets

    for module in (hingelib.widgets, hingelib.animation):
        assert set(module.__all__) <= set(hl.__all__)
        for name in module.__all__:
            assert getattr(hl, name) is getattr(module, name)


@needs_ipympl
def test_explorers_load_only_when_used_and_change_no_matplotlib_setting_even_with_ipympl():
    # importing the ipympl package would switch every later pyplot figure to ipympl's widget
    script = (
        "import sys, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; "
        "before = dict(matplotlib.rcParams); import hingelib as hl; "
        "assert 'ipywidgets' not in sys.modules; "
        "hl.decision_boundary_explorer(n=30, epochs=50, canvas='ipympl'); "
        "hl.training_animation(n=30, epochs=5, canvas='ipympl'); "
        "assert dict(matplotlib.rcParams) == before; "
        "assert type(plt.figure().canvas).__name__ == 'FigureCanvasAgg'; print('clean')"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "clean", result.stderr
