"""The toy data sets: shapes, dtypes, labels, seeding and the geometry each one promises."""

import numpy as np
import pytest
import torch
from scipy.optimize import linprog

import hingelib as hl

BINARY = [hl.two_blobs, hl.overlapping_blobs, hl.blobs_with_outliers]


@pytest.mark.parametrize("make", BINARY)
def test_binary_sets_are_float32_with_balanced_plus_minus_one_labels(make):
    X, y = make(100)
    assert X.shape == (100, 2) and X.dtype == torch.float32 and y.dtype == torch.float32
    assert set(y.unique().tolist()) == {-1.0, 1.0}
    assert 40 <= int((y > 0).sum()) <= 60


@pytest.mark.parametrize("make", [*BINARY, hl.three_class_blobs])
def test_same_seed_same_points_other_seed_other_points(make):
    X1, y1 = make(seed=7)
    X2, y2 = make(seed=7)
    assert torch.equal(X1, X2) and torch.equal(y1, y2)
    assert not torch.equal(make(seed=8)[0], X1)


def test_two_blobs_sit_at_plus_and_minus_two_two_with_unit_variance():
    X, y = hl.two_blobs(4000, seed=1)
    for label, centre in [(1.0, [2.0, 2.0]), (-1.0, [-2.0, -2.0])]:
        points = X[y == label]
        torch.testing.assert_close(points.mean(0), torch.tensor(centre), atol=0.08, rtol=0)
        torch.testing.assert_close(points.std(0), torch.ones(2), atol=0.05, rtol=0)


def linearly_separable(X, y) -> bool:
    """Is there (w, b) with y_i (w.x_i + b) >= 1 for every i? Linear-programming feasibility."""
    X, y = X.double().numpy(), y.double().numpy()
    constraints = -y[:, None] * np.hstack([X, np.ones((len(y), 1))])
    result = linprog(np.zeros(3), A_ub=constraints, b_ub=-np.ones(len(y)), bounds=(None, None))
    assert result.status in (0, 2), result.message  # 0: feasible, 2: infeasible
    return result.status == 0


def test_default_two_blobs_are_separable_and_the_others_are_not():
    assert linearly_separable(*hl.two_blobs())
    assert not linearly_separable(*hl.overlapping_blobs())
    assert not linearly_separable(*hl.blobs_with_outliers())


def test_outliers_are_the_deepest_negative_points_relabelled_positive():
    X, y = hl.two_blobs()
    X_out, y_out = hl.blobs_with_outliers(n_outliers=3)
    assert torch.equal(X, X_out)
    flipped = torch.nonzero(y != y_out).squeeze(1)
    assert len(flipped) == 3 and (y[flipped] == -1).all() and (y_out[flipped] == 1).all()
    deepest = (-X[y == -1].sum(1)).sort(descending=True).values[:3]
    torch.testing.assert_close((-X[flipped].sum(1)).sort(descending=True).values, deepest)


def test_three_class_blobs_have_int64_labels_zero_one_two_in_equal_shares():
    X, y = hl.three_class_blobs(150)
    assert X.shape == (150, 2) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert torch.bincount(y).tolist() == [50, 50, 50]


def test_noise_free_two_moons_are_scikit_learns_make_moons_points():
    from sklearn.datasets import make_moons

    for n in (7, 100):
        X, y = hl.two_moons(n, noise=0.0, seed=3)
        X_ref, label = make_moons(n, noise=0.0, shuffle=False)
        for ours, theirs in ((X[y > 0], X_ref[label == 0]), (X[y < 0], X_ref[label == 1])):
            ours = ours.double().numpy()
            ours, theirs = (a[np.lexsort(a.T[::-1])] for a in (ours, theirs))
            np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_two_moons_noise_is_gaussian_with_the_given_standard_deviation():
    X, y = hl.two_moons(20000, noise=0.2, seed=5)
    clean, y_clean = hl.two_moons(20000, noise=0.0, seed=5)  # same seed: same shuffle
    assert torch.equal(y, y_clean) and X.dtype == torch.float32 and y.dtype == torch.float32
    residual = (X - clean).double()
    torch.testing.assert_close(
        residual.mean(0), torch.zeros(2, dtype=torch.float64), atol=0.005, rtol=0
    )
    torch.testing.assert_close(
        residual.std(0), torch.full((2,), 0.2, dtype=torch.float64), atol=0.005, rtol=0
    )


def test_two_moons_are_not_linearly_separable_but_balanced_and_seeded():
    X, y = hl.two_moons(200, noise=0.1, seed=0)
    assert not linearly_separable(X, y)
    assert int((y > 0).sum()) == 100 and set(y.unique().tolist()) == {-1.0, 1.0}
    assert torch.equal(hl.two_moons(200, noise=0.1, seed=0)[0], X)
    assert not torch.equal(hl.two_moons(200, noise=0.1, seed=1)[0], X)
