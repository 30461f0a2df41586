"""The explorers' drawing functions, which the website's static figures also use."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.contour import ContourSet

import hingelib as hl


@pytest.fixture
def two_axes():
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    yield axes
    plt.close(fig)


def marks(ax):
    """The scatter collections of ``ax`` by label, as (n, 2) arrays of their points."""
    return {c.get_label(): np.asarray(c.get_offsets()) for c in ax.collections}


def test_plot_margins_on_loss_puts_each_margin_on_the_loss_curve_coloured_by_class(two_axes):
    ax = two_axes[0]
    margins, y = torch.tensor([-1.0, 0.5, 1.0, 3.0]), torch.tensor([1.0, -1.0, 1.0, -1.0])
    assert hl.plot_margins_on_loss(ax, margins, y, loss="squared_hinge", margin=1.5) is ax
    points = marks(ax)
    expected = hl.loss_of_margin("squared_hinge", margins.double(), margin=1.5)
    np.testing.assert_allclose(points["y = +1"], np.stack([margins, expected], 1)[y > 0])
    np.testing.assert_allclose(points["y = -1"], np.stack([margins, expected], 1)[y < 0])
    curve = ax.get_lines()[0]
    m = torch.as_tensor(curve.get_xdata())
    torch.testing.assert_close(torch.as_tensor(curve.get_ydata()), torch.relu(1.5 - m) ** 2)
    assert m.min() <= margins.min() and m.max() >= margins.max() and "margin" in ax.get_xlabel()


def test_plot_margins_on_loss_without_labels_and_with_a_given_range(two_axes):
    ax = two_axes[0]
    hl.plot_margins_on_loss(ax, torch.tensor([0.0, 2.0]), loss="logistic", m_range=(-4, 4))
    assert list(marks(ax)) == ["samples"] and ax.get_xlim() == (-4, 4)


def test_the_default_margin_range_is_round_and_holds_every_margin(two_axes):
    ax = two_axes[0]
    hl.plot_margins_on_loss(ax, torch.tensor([-3.2, 0.0, 6.1]))
    assert ax.get_xlim() == (-4.0, 8.0)


def test_plot_explorer_frame_reports_width_support_vectors_and_violators(two_axes):
    X, y = hl.blobs_with_outliers(100, seed=1)
    weight, bias, delta = torch.tensor([0.8, 0.7]), -0.1, 1.5
    assert hl.plot_explorer_frame(two_axes, X, y, weight, bias, loss="hinge", margin=delta) is (
        two_axes
    )
    plane, losses = two_axes
    m = hl.functional_margins(weight, bias, X.double(), y)
    ring = hl.support_vectors(weight, bias, X.double(), y, margin=delta)
    title = plane.get_title()
    assert f"= {hl.margin_width(weight, margin=delta):.2f}" in title
    inside = int((m < delta * (1 - 1e-3)).sum())
    assert (
        f"{int(ring.sum())} support vectors ($m \\leq \\Delta$), {inside} margin violators" in title
    )
    assert "duality gap" not in title  # only when a gap is given
    assert len(marks(plane)["support vectors"]) == int(ring.sum())
    on_loss = np.concatenate([marks(losses)["y = +1"], marks(losses)["y = -1"]])
    np.testing.assert_allclose(np.sort(on_loss[:, 0]), np.sort(m.numpy()), rtol=1e-6)
    assert "hinge" in losses.get_title()


def test_the_frame_of_an_exact_fit_gives_its_duality_gap_rounded_up(two_axes):
    X, y = hl.overlapping_blobs(100, seed=1)
    fit = hl.solve_linear(X, y, weight_decay=0.05)
    hl.plot_explorer_frame(two_axes, X, y, fit.weight, fit.bias, gap=2.7e-10)
    assert ", duality gap ≤ 3e-10\n" in two_axes[0].get_title()
    assert hl.plot.gap_text(-1e-17) == "< 1e-15" and hl.plot.gap_text(9.99e-10) == "≤ 1e-09"


def test_the_logistic_frame_rings_and_counts_no_support_vectors(two_axes):
    X, y = hl.blobs_with_outliers(100, seed=1)
    fit = hl.solve_linear(X, y, loss="logistic", weight_decay=0.01)
    hl.plot_explorer_frame(two_axes, X, y, fit.weight, fit.bias, loss="logistic", gap=fit.gap)
    plane = two_axes[0]
    m = hl.functional_margins(fit.weight, fit.bias, X.double(), y)
    assert "support vectors" not in marks(plane)
    assert (
        f"{int((m < 1).sum())} points with $m < \\Delta$ (no support vectors)" in plane.get_title()
    )
    numbers = hl.plot.margin_numbers(X, y, fit.weight, fit.bias, loss="logistic")
    assert numbers["support_vectors"] is None
    with pytest.raises(ValueError, match="logistic loss has no support vectors"):
        hl.support_vectors(fit.weight, fit.bias, X, y, loss="logistic")


def test_the_squared_hinge_frame_rings_the_points_inside_the_margin(two_axes):
    X, y = hl.blobs_with_outliers(100, seed=1)
    fit = hl.solve_linear(X, y, loss="squared_hinge", margin=1.5, weight_decay=0.01)
    hl.plot_explorer_frame(
        two_axes, X, y, fit.weight, fit.bias, loss="squared_hinge", margin=1.5, gap=fit.gap
    )
    m = hl.functional_margins(fit.weight, fit.bias, X.double(), y)
    assert len(marks(two_axes[0])["support vectors"]) == int((m < 1.5).sum()) > 0
    assert f"{int((m < 1.5).sum())} support vectors ($m < \\Delta$)" in two_axes[0].get_title()


def test_plot_training_frame_shows_each_history_at_the_epoch_with_its_active_count(two_axes):
    X, y = hl.two_blobs(60, seed=2)
    fits = [hl.fit_linear(X, y, loss=loss, epochs=12) for loss in ("hinge", "logistic")]
    assert hl.plot_training_frame(two_axes, X, y, fits, 7) is two_axes
    for ax, history in zip(two_axes, fits):
        active = int(history.violators[7])
        assert ax.get_title().startswith(f"{hl.LOSS_LABELS[history.loss_name]}, epoch 7\n{active} ")
        (lines,) = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
        on_boundary = torch.as_tensor(np.concatenate(lines.allsegs[1])).float()
        residual = on_boundary @ history.weight[7] + history.bias[7]
        torch.testing.assert_close(residual, torch.zeros(len(residual)), atol=1e-4, rtol=0)
    assert "all 60 have a gradient" in two_axes[1].get_title()
