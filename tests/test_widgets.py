"""The live explorers, driven headless as a reader would: set each control, click, and check what
is drawn and reported against hingelib's own solver and geometry, and the grid of exact fits
against scikit-learn's SVM."""

import base64
import subprocess
import sys

import numpy as np
import pytest
import torch
from matplotlib.backend_bases import MouseButton, MouseEvent
from matplotlib.contour import ContourSet
from sklearn.svm import SVC

import hingelib as hl
from hingelib._live import DATASETS, ipympl_available
from hingelib.widgets import EXPLORER_LOSSES, EXPLORER_MARGINS, EXPLORER_WEIGHT_DECAYS, GRID

# Not pytest.importorskip("ipympl"): importing ipympl switches matplotlib's backend for good.
needs_ipympl = pytest.mark.skipif(not ipympl_available(), reason="ipympl is not installed")


def small_explorer(**settings):
    """An explorer on 80 points: quick, and the same code path as the book's."""
    return hl.decision_boundary_explorer(**{"n": 80, "canvas": "image", **settings})


def drawn_levels(ax):
    """The levels of the boundary's contour lines on ``ax``: [-Delta, 0, Delta]."""
    (lines,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    return list(lines.levels)


def drawn_boundary_points(ax):
    """Points on the drawn boundary f(x) = 0 (the solid middle contour line)."""
    (lines,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    return torch.as_tensor(np.concatenate(lines.allsegs[1]))


def assert_shows_the_fit_of(explorer, margin, weight_decay):
    """The explorer shows the single exact fit of these settings, and reports its numbers."""
    loss = explorer.controls["loss"].value
    reference = hl.solve_linear(
        explorer.X, explorer.y, loss=loss, margin=margin, weight_decay=weight_decay
    )
    w, b = reference.weight, reference.bias
    torch.testing.assert_close(explorer.weight, w, atol=1e-6, rtol=1e-6)
    on_line = drawn_boundary_points(explorer.figure.axes[0])
    torch.testing.assert_close(
        on_line @ w + b, torch.zeros(len(on_line), dtype=w.dtype), atol=1e-4, rtol=0
    )
    stats, X, y = explorer.stats, explorer.X.double(), explorer.y
    m = hl.functional_margins(w, b, X, y)
    assert stats["margin_width"] == pytest.approx(hl.margin_width(w, margin=margin), rel=1e-6)
    inside = margin * (1 - 1e-3) if loss == "hinge" else margin  # on the margin is not inside
    assert stats["violators"] == int((m < inside).sum())
    assert stats["accuracy"] == pytest.approx(float((m > 0).double().mean()))
    assert 0 <= stats["gap"] <= 1e-9 * reference.objective.item() + 1e-15
    title = explorer.figure.axes[0].get_title()
    assert f"= {stats['margin_width']:.2f}, duality gap ≤ " in title
    if loss == "logistic":  # no support vectors: none ringed, none counted
        assert stats["support_vectors"] is None and "(no support vectors)" in title
        assert f"{stats['violators']} point" in title
        assert "support vectors" not in marks(explorer.figure.axes[0])
    else:
        ring = hl.support_vectors(w, b, X, y, margin=margin, loss=loss)
        assert stats["support_vectors"] == int(ring.sum())
        assert len(marks(explorer.figure.axes[0])["support vectors"]) == int(ring.sum())
        assert f"{stats['support_vectors']} support vector" in title
    assert "duality gap ≤" in explorer.status.value


def marks(ax):
    """The scatter collections of ``ax`` by label."""
    return {c.get_label(): c.get_offsets() for c in ax.collections if c.get_label()}


def test_explorer_builds_headless_and_names_every_control():
    explorer = small_explorer()
    assert set(explorer.controls) == {
        "loss",
        "dataset",
        "margin",
        "weight_decay",
        "add_class",
        "reset",
    }
    assert explorer.live.widget in explorer.children
    assert bytes(explorer.live.widget.value).startswith(b"\x89PNG")
    assert repr(explorer) == (
        "DecisionBoundaryExplorer(loss='hinge', dataset='separable', margin=1.0, "
        "weight_decay=0.01, add_class=1.0)"
    )
    assert_shows_the_fit_of(explorer, 1.0, 0.01)


def test_weight_decay_slider_looks_up_the_fit_and_a_larger_lambda_never_narrows_the_margin():
    explorer = small_explorer()
    grid = explorer.grid
    widths = []
    for lam in EXPLORER_WEIGHT_DECAYS[::3]:
        explorer.controls["weight_decay"].value = lam
        assert explorer.grid is grid  # a lookup, not a new solve
        widths.append(explorer.stats["margin_width"])
    assert widths == sorted(widths) and widths[-1] > 1.5 * widths[0]
    assert_shows_the_fit_of(explorer, 1.0, EXPLORER_WEIGHT_DECAYS[::3][-1])


def test_margin_slider_moves_the_margin_lines_to_plus_minus_delta():
    explorer = small_explorer()
    for delta in (EXPLORER_MARGINS[0], EXPLORER_MARGINS[-1]):
        explorer.controls["margin"].value = delta
        assert drawn_levels(explorer.figure.axes[0]) == [-delta, 0.0, delta]
        assert_shows_the_fit_of(explorer, delta, 0.01)


def test_loss_buttons_solve_for_that_loss_and_draw_its_curve():
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


def test_the_explorer_has_no_training_settings_its_fits_are_exact():
    explorer = small_explorer()
    assert not {"lr", "epochs"} & set(explorer.controls)
    with pytest.raises(TypeError, match="epochs"):
        small_explorer(epochs=500)
    assert explorer.grid.weight.shape == (len(GRID), 2)
    assert (explorer.grid.gap <= 1e-9 * explorer.grid.objective + 1e-15).all()


def click(explorer, ax, x, y, button=MouseButton.LEFT):
    """A mouse press at data coordinates (x, y) of ``ax``, through matplotlib's event system."""
    px, py = ax.transData.transform((x, y))
    canvas = explorer.figure.canvas
    canvas.callbacks.process(
        "button_press_event", MouseEvent("button_press_event", canvas, px, py, button=button)
    )


def test_a_click_adds_a_point_of_the_chosen_class_and_solves_again():
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


def test_the_squared_hinge_rings_the_points_inside_the_margin():
    explorer = small_explorer(dataset="overlapping", loss="squared_hinge")
    assert "support vectors ($m < \\Delta$)" in explorer.figure.axes[0].get_title()
    assert explorer.stats["support_vectors"] == explorer.stats["violators"]
    assert_shows_the_fit_of(explorer, 1.0, 0.01)


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
        "hl.decision_boundary_explorer(n=30, canvas='ipympl'); "
        "hl.training_animation(n=30, epochs=5, canvas='ipympl'); "
        "assert dict(matplotlib.rcParams) == before; "
        "assert type(plt.figure().canvas).__name__ == 'FigureCanvasAgg'; print('clean')"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "clean", result.stderr


def svc_objective(X, y, weight_decay, margin):
    """J at SVC's minimiser, margin times the one at (weight_decay * margin, 1), from scratch."""
    X64 = X.double()
    svc = SVC(kernel="linear", C=1 / (len(y) * weight_decay * margin), tol=1e-10)
    svc.fit(X64.numpy(), y.numpy())
    w, b = margin * torch.tensor(svc.coef_[0]), margin * float(svc.intercept_[0])
    return weight_decay / 2 * float(w @ w) + float(torch.relu(margin - y * (X64 @ w + b)).mean())


def test_every_fit_the_explorer_can_show_at_its_defaults_is_within_1e3_of_the_optimum():
    # every loss, every data set, every (Delta, lambda) pair of the sliders, 200 points
    explorer = hl.decision_boundary_explorer(canvas="image")
    for dataset in DATASETS:
        explorer.controls["dataset"].value = dataset
        for loss in EXPLORER_LOSSES:
            explorer.controls["loss"].value = loss
            grid, X, y = explorer.grid, explorer.X, explorer.y
            assert len(y) == 200 and grid.loss_name == loss
            # the certificate: J - min J <= gap, for any loss
            gaps = hl.duality_gap(
                X, y, grid.weight, grid.bias, loss=loss, margin=GRID[:, 0], weight_decay=GRID[:, 1]
            )
            assert (gaps <= 1e-3 * grid.objective).all(), (dataset, loss)
            if loss != "hinge":
                continue
            for i, (delta, lam) in enumerate(GRID.tolist()):  # and SVC where it applies
                reference = svc_objective(X, y, lam, delta)
                assert grid.objective[i].item() <= reference * (1 + 1e-3), (dataset, delta, lam)


@pytest.mark.parametrize("loss", EXPLORER_LOSSES)
def test_every_axes_labels_stay_inside_the_frozen_layout_after_a_loss_change(loss):
    """The layout is frozen on the first (hinge) frame; a later loss's wider tick labels (the
    logistic panel's "15.0" at the right edge) must still fit inside the figure."""
    explorer = hl.decision_boundary_explorer(canvas="image")  # the book's 200 points
    explorer.controls["loss"].value = loss
    figure = explorer.figure
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        drawn = ax.get_tightbbox(renderer)  # the axes with the tick labels it draws
        assert drawn.x0 >= 0 and drawn.x1 <= figure.bbox.width, f"{loss}: {drawn} leaves the figure"
