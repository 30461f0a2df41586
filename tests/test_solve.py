"""solve_linear against scikit-learn's and scipy's solvers of the same objectives, and the duality
gap as a certificate: never negative, tight at the optimum, an upper bound for any iterate."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

import hingelib as hl
from hingelib._live import DATASETS
from hingelib.widgets import GRID

MARGIN_LOSSES = ("hinge", "squared_hinge", "modified_huber")


def objective(weight, bias, X, y, weight_decay, margin=1.0, loss="hinge"):
    """J = weight_decay/2 ||w||^2 + mean loss, in float64 from scratch (not hingelib's code)."""
    w, X, y = (torch.as_tensor(t, dtype=torch.float64) for t in (weight, X, y))
    m = y * (X @ w + float(bias))
    losses = {
        "hinge": torch.relu(margin - m),
        "squared_hinge": torch.relu(margin - m) ** 2,
        "modified_huber": torch.where(
            m >= margin - 2, torch.relu(margin - m) ** 2, 4 * (margin - 1 - m)
        ),
        "logistic": torch.log1p(torch.exp(-m)),
    }
    return weight_decay / 2 * float(w @ w) + float(losses[loss].mean())


def svc_fit(X, y, weight_decay, margin):
    """SVC's hinge minimiser at (weight_decay, margin): margin times its minimiser at
    (weight_decay * margin, 1), since J_{lambda, Delta}(Delta v) = Delta J_{lambda Delta, 1}(v)."""
    C = 1 / (len(y) * weight_decay * margin)
    svc = SVC(kernel="linear", C=C, tol=1e-10).fit(X.double().numpy(), y.numpy())
    return margin * svc.coef_[0], margin * svc.intercept_[0]


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_hinge_optimum_matches_svc_on_every_pair_of_the_explorers_grid(dataset):
    X, y = DATASETS[dataset](200, seed=0)
    solution = hl.solve_linear(X, y, margin=GRID[:, 0], weight_decay=GRID[:, 1])
    worst = 0.0
    for i, (delta, lam) in enumerate(GRID.tolist()):
        ours = objective(solution.weight[i], solution.bias[i], X, y, lam, delta)
        assert ours == pytest.approx(solution.objective[i].item(), rel=1e-12)
        reference = objective(*svc_fit(X, y, lam, delta), X, y, lam, delta)
        worst = max(worst, (ours - reference) / reference)
        # the certificate: min J >= J - gap, and SVC's J is at least min J
        assert reference >= ours - solution.gap[i].item() - 1e-12
    assert worst <= 1e-6  # measured: below 1e-9 on all three data sets


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("loss", hl.SOLVABLE_LOSSES)
def test_every_solution_of_the_grid_is_certified_by_a_small_duality_gap(dataset, loss):
    X, y = DATASETS[dataset](200, seed=0)
    solution = hl.solve_linear(X, y, loss=loss, margin=GRID[:, 0], weight_decay=GRID[:, 1])
    assert (solution.gap <= 1e-9 * solution.objective).all()  # the default tol
    assert (solution.gap >= -1e-14).all() and solution.gap.max() <= 1e-6
    again = hl.duality_gap(
        X, y, solution.weight, solution.bias, loss=loss, margin=GRID[:, 0], weight_decay=GRID[:, 1]
    )
    assert (again <= 1e-6).all() and (again >= -1e-14).all()


@pytest.mark.parametrize("make_data", [hl.overlapping_blobs, hl.blobs_with_outliers])
@pytest.mark.parametrize("weight_decay", [1e-3, 0.01, 0.3])
def test_the_logistic_optimum_matches_logistic_regression(make_data, weight_decay):
    X, y = make_data(200, seed=1)
    ours = hl.solve_linear(X, y, loss="logistic", weight_decay=weight_decay)
    reference = LogisticRegression(C=1 / (len(y) * weight_decay), tol=1e-12, max_iter=10**5)
    reference.fit(X.double().numpy(), y.numpy())  # lbfgs does not penalise the intercept
    torch.testing.assert_close(ours.weight, torch.tensor(reference.coef_[0]), atol=1e-5, rtol=0)
    assert ours.bias.item() == pytest.approx(reference.intercept_[0], abs=1e-5)
    J_ref = objective(
        reference.coef_[0], reference.intercept_[0], X, y, weight_decay, loss="logistic"
    )
    assert ours.objective.item() <= J_ref + ours.gap.item()


def scipy_minimiser(X, y, weight_decay, margin, loss):
    """BFGS on J with its analytic gradient (both losses are differentiable), from (0, 0)."""
    Z = y.double().numpy()[:, None] * np.c_[X.double().numpy(), np.ones(len(y))]

    def fun(theta):
        z = margin - Z @ theta
        if loss == "squared_hinge":
            value, slope = np.maximum(z, 0) ** 2, 2 * np.maximum(z, 0)
        else:  # modified Huber
            value = np.where(z <= 2, np.maximum(z, 0) ** 2, 4 * (z - 1))
            slope = np.clip(2 * z, 0, 4)
        penalised = np.r_[theta[:-1], 0.0]
        return (
            weight_decay / 2 * penalised @ penalised + value.mean(),
            weight_decay * penalised - slope @ Z / len(z),
        )

    result = minimize(fun, np.zeros(Z.shape[1]), jac=True, method="BFGS", options={"gtol": 1e-12})
    return result.x


@pytest.mark.parametrize("loss", ["squared_hinge", "modified_huber"])
@pytest.mark.parametrize("weight_decay, margin", [(1e-3, 1.0), (0.05, 0.5), (0.5, 2.0)])
def test_the_smooth_margin_losses_match_a_scipy_minimiser(loss, weight_decay, margin):
    X, y = hl.blobs_with_outliers(150, seed=2)
    ours = hl.solve_linear(X, y, loss=loss, margin=margin, weight_decay=weight_decay)
    theta = scipy_minimiser(X, y, weight_decay, margin, loss)
    torch.testing.assert_close(ours.weight, torch.tensor(theta[:-1]), atol=1e-5, rtol=0)
    assert ours.bias.item() == pytest.approx(theta[-1], abs=1e-5)
    J_ref = objective(theta[:-1], theta[-1], X, y, weight_decay, margin, loss)
    assert ours.objective.item() == pytest.approx(J_ref, rel=1e-9)


@pytest.mark.parametrize("loss", MARGIN_LOSSES)
def test_the_minimiser_at_delta_is_delta_times_the_one_at_lambda_delta_and_margin_one(loss):
    X, y = hl.overlapping_blobs(120, seed=3)
    deltas, lam = torch.tensor([0.5, 2.0]), 0.02
    scaled = hl.solve_linear(X, y, loss=loss, margin=deltas, weight_decay=lam / deltas)
    unit = hl.solve_linear(X, y, loss=loss, margin=1.0, weight_decay=lam)
    if loss == "hinge":  # the identity holds for the loss max(0, Delta - m) / Delta only
        for i, delta in enumerate(deltas.tolist()):
            torch.testing.assert_close(scaled.weight[i] / delta, unit.weight, atol=1e-6, rtol=0)
    else:  # (Delta - m)^2 scales by Delta^2: the band is not the same
        assert not torch.allclose(scaled.weight[0] / 0.5, unit.weight, atol=1e-3)


def test_a_batched_solve_is_the_separate_solves_and_a_single_one_is_not_batched():
    X, y = hl.blobs_with_outliers(80, seed=4)
    lams, deltas = torch.tensor([1e-3, 0.1, 1.0]), torch.tensor([0.5, 1.0, 2.0])
    batched = hl.solve_linear(X, y, margin=deltas, weight_decay=lams)
    assert batched.weight.shape == (3, 2) and batched.gap.shape == (3,)
    for i in range(3):
        single = hl.solve_linear(X, y, margin=float(deltas[i]), weight_decay=float(lams[i]))
        assert single.weight.shape == (2,) and single.objective.ndim == 0
        torch.testing.assert_close(batched[i].weight, single.weight, atol=1e-7, rtol=0)
        assert batched[i].weight_decay.item() == pytest.approx(lams[i].item())
    with pytest.raises(IndexError, match="not batched"):
        single[0]
    assert single.weight.dtype == torch.float64 and single.loss_name == "hinge"


@pytest.mark.parametrize("make_data", [hl.two_blobs, hl.overlapping_blobs, hl.blobs_with_outliers])
def test_the_gap_of_every_training_iterate_bounds_its_distance_to_svcs_optimum(make_data):
    X, y = make_data(100, seed=5)
    X, y, lam = X.double(), y.double(), 0.01
    history = hl.fit_linear(X, y, weight_decay=lam, epochs=300)
    gaps = hl.duality_gap(X, y, history.weight, history.bias, weight_decay=lam)
    J_svc = objective(*svc_fit(X, y, lam, 1.0), X, y, lam)
    for t in (0, 1, 10, 100, 300):
        J_t = objective(history.weight[t], history.bias[t], X, y, lam)
        assert gaps[t] >= J_t - J_svc - 1e-12, t
    # and it is tight enough to be a stopping rule: within a small factor of the true distance
    assert gaps[300] <= 10 * (objective(history.weight[300], history.bias[300], X, y, lam) - J_svc)


def test_the_hinge_gap_at_svcs_own_solution_is_small():
    # SVC's margin points sit exactly on the margin, where the hinge's slope says nothing; the
    # least-squares pulls of the points on the margin recover their dual weights
    X, y = hl.overlapping_blobs(200, seed=0)
    for lam in (1e-3, 0.01, 0.1):
        w, b = svc_fit(X, y, lam, 1.0)
        J = objective(w, b, X, y, lam)
        assert 0 <= hl.duality_gap(X, y, torch.tensor(w), b, weight_decay=lam) <= 1e-6 * J


def test_the_gap_never_exceeds_j_and_is_j_at_the_origin_when_zero_pulls_are_best():
    # every loss is >= 0, so u = 0 (D = 0) is a dual point: J - min J <= J, whatever (w, b)
    X, y = hl.overlapping_blobs(200, seed=0)
    X, y = X.double(), y.double()
    for loss in hl.SOLVABLE_LOSSES:
        settings_ = {"loss": loss, "margin": 0.73, "weight_decay": 0.0023}
        run = hl.fit_linear(X, y, lr=0.1, epochs=30, **settings_)
        gaps = hl.duality_gap(X, y, run.weight, run.bias, **settings_)
        assert (gaps <= run.objective * (1 + 1e-12)).all(), loss
    # at w = 0, b = 0 the hinge's J is Delta; with a tiny lambda every other candidate's D is
    # negative (the 1 / (2 lambda) ||.||^2 term), so the bound is J itself
    zero = torch.zeros(2, dtype=torch.float64)
    gap = hl.duality_gap(X, y, zero, 0.0, margin=1.0, weight_decay=1e-4)
    assert gap.item() == pytest.approx(1.0, rel=1e-12)


@st.composite
def problems(draw):
    n = draw(st.integers(2, 25))
    coords = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
    X = torch.tensor(draw(st.lists(coords, min_size=2 * n, max_size=2 * n))).reshape(n, 2)
    y = torch.tensor(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n)))
    w = torch.tensor(draw(st.lists(st.floats(-10, 10), min_size=2, max_size=2)))
    b = draw(st.floats(-10, 10))
    lam = draw(st.floats(1e-3, 10))
    margin = draw(st.one_of(st.just(0.0), st.floats(0.01, 3)))  # not 1e-300: float64 gives up
    return X, y, w, b, lam, margin, draw(st.sampled_from(hl.SOLVABLE_LOSSES))


@settings(max_examples=150, deadline=None)
@given(problems())
def test_the_gap_of_any_fit_is_never_negative_and_bounds_its_distance_to_the_optimum(problem):
    X, y, w, b, lam, margin, loss = problem
    settings_ = {"loss": loss, "margin": margin, "weight_decay": lam}
    gap = hl.duality_gap(X, y, w, b, **settings_).item()
    J = objective(w, b, X, y, lam, margin, loss)
    scale = 1e-12 * max(1.0, J)
    assert gap >= -scale
    best = hl.solve_linear(X, y, **settings_, tol=1e-6)  # duplicated points: a hard dual
    assert gap >= J - best.objective.item() - scale  # min J <= J(solution)
    assert gap <= J + scale  # the zero-pull candidate: D(0) = 0 <= min J
    assert best.gap.item() >= -scale and best.objective.item() <= J + scale
