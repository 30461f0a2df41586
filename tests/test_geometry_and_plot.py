"""Margins, support vectors and the plot helpers (drawn on an Agg canvas and inspected)."""

import math

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.contour import ContourSet
from sklearn.svm import SVC

import hingelib as hl


def test_hard_margin_svm_width_is_two_over_norm_w_and_equals_twice_the_smallest_distance():
    X, y = hl.two_blobs()
    svc = SVC(kernel="linear", C=1e6, tol=1e-10).fit(X.double().numpy(), y.numpy())
    w, b = torch.tensor(svc.coef_[0]), float(svc.intercept_[0])
    width = hl.margin_width(w)
    assert width == pytest.approx(2 / math.hypot(*svc.coef_[0]))
    distances = hl.geometric_margins(w, b, X.double(), y)
    assert width == pytest.approx(2 * distances.min().item(), rel=1e-6)
    ring = hl.support_vectors(w, b, X.double(), y)
    assert set(torch.nonzero(ring).squeeze(1).tolist()) == set(svc.support_.tolist())


def test_the_hinges_support_vectors_are_the_same_points_at_every_delta_with_the_same_product():
    # the optimum at (Delta, lambda) is Delta times the one at (1, lambda Delta): the tolerance
    # is relative to the margin, so the same points are ringed
    X, y = hl.overlapping_blobs(150, seed=2)
    deltas = torch.tensor([0.25, 1.0, 2.0])
    fits = hl.solve_linear(X, y, margin=deltas, weight_decay=0.02 / deltas)
    rings = [
        hl.support_vectors(fits.weight[i], fits.bias[i], X.double(), y, margin=float(d))
        for i, d in enumerate(deltas)
    ]
    assert torch.equal(rings[0], rings[1]) and torch.equal(rings[1], rings[2])
    m = hl.functional_margins(fits.weight[1], fits.bias[1], X.double(), y)
    assert torch.equal(rings[1], m <= 1.001)


def test_support_vectors_of_the_squared_hinge_are_the_points_inside_and_logistic_has_none():
    X, y = hl.blobs_with_outliers(60, seed=3)
    weight, bias = torch.tensor([0.6, 0.6]), 0.1
    m = hl.functional_margins(weight, bias, X, y)
    sv = hl.support_vectors(weight, bias, X, y, margin=1.5, loss="squared_hinge")
    assert torch.equal(sv, m < 1.5)
    with pytest.raises(ValueError, match="no support vectors.*m < margin"):
        hl.support_vectors(weight, bias, X, y, loss="logistic")
    with pytest.raises(ValueError, match="unknown loss 'perceptron'"):
        hl.support_vectors(weight, bias, X, y, loss="perceptron")


def test_margin_width_scales_with_delta_and_is_infinite_for_zero_weight():
    assert hl.margin_width(torch.tensor([3.0, 4.0]), margin=2.5) == pytest.approx(1.0)
    assert hl.margin_width(torch.zeros(2)) == math.inf
    with pytest.raises(ValueError, match="no decision boundary"):
        hl.geometric_margins(torch.zeros(2), 0.0, torch.ones(3, 2), torch.ones(3))


def test_plot_decision_boundary_draws_three_lines_a_band_and_rings_the_support_vectors():
    X, y = hl.two_blobs()
    weight, bias = torch.tensor([0.6, 0.6]), 0.1
    fig, ax = plt.subplots()
    assert hl.plot_decision_boundary(ax, weight, bias, X, y) is ax
    rings = [c for c in ax.collections if c.get_label() == "support vectors"]
    expected = int(hl.support_vectors(weight, bias, X, y).sum())
    assert len(rings) == 1 and len(rings[0].get_offsets()) == expected > 0
    line_sets = [c for c in ax.collections if isinstance(c, ContourSet) and not c.filled]
    assert [list(c.levels) for c in line_sets] == [[-1.0, 0.0, 1.0]]
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    plt.close(fig)


def test_plot_decision_boundary_with_zero_weight_draws_points_but_no_boundary():
    X, y = hl.two_blobs(20)
    fig, ax = plt.subplots()
    hl.plot_decision_boundary(ax, torch.zeros(2), 0.0, X, y)
    assert not [c for c in ax.collections if isinstance(c, ContourSet)]
    assert {c.get_label() for c in ax.collections} == {"y = +1", "y = -1"}
    plt.close(fig)


def test_plot_losses_draws_each_named_loss_with_its_values():
    fig, ax = plt.subplots()
    assert hl.plot_losses(ax, margin=1.0, losses=("hinge", "logistic")) is ax
    hinge, logistic = ax.get_lines()[:2]
    assert hinge.get_label() == "hinge" and logistic.get_label() == "logistic"
    m = torch.as_tensor(hinge.get_xdata())
    torch.testing.assert_close(torch.as_tensor(hinge.get_ydata()), torch.relu(1 - m))
    assert "margin" in ax.get_xlabel()
    plt.close(fig)


def test_plot_decision_regions_shades_the_argmax_class_and_draws_each_class():
    X, y = hl.three_class_blobs(60)
    weight = torch.tensor([[0.0, 1.0], [-1.0, -0.5], [1.0, -0.5]])
    fig, ax = plt.subplots()
    assert hl.plot_decision_regions(ax, weight, torch.zeros(3), X, y) is ax
    filled = [c for c in ax.collections if isinstance(c, ContourSet) and c.filled]
    assert len(filled) == 1 and list(filled[0].levels) == [-0.5, 0.5, 1.5, 2.5]
    labels = [c.get_label() for c in ax.collections if not isinstance(c, ContourSet)]
    assert labels == ["class 0", "class 1", "class 2"]
    plt.close(fig)
