"""fit_linear against scikit-learn's solvers of the same objectives, and its own bookkeeping."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC, LinearSVC

import hingelib as hl


def as_float64(values):
    if isinstance(values, torch.Tensor):
        return values.detach().double()
    return torch.tensor(values, dtype=torch.float64)


def primal_objective(weight, bias, X, y, weight_decay, loss="hinge", regularize_bias=False):
    """weight_decay/2 (||w||^2 [+ b^2]) + mean loss, in float64 from scratch."""
    w, X, y = (as_float64(t) for t in (weight, X, y))
    m = y * (X @ w + float(bias))
    penalty = (w @ w).item() + (float(bias) ** 2 if regularize_bias else 0.0)
    return weight_decay / 2 * penalty + hl.loss_of_margin(loss, m).mean().item()


def svc_solution(X, y, weight_decay):
    n = len(y)
    svc = SVC(kernel="linear", C=1 / (n * weight_decay), tol=1e-10).fit(X.double().numpy(), y)
    return svc.coef_[0], svc.intercept_[0], set(svc.support_.tolist())


@pytest.mark.parametrize(
    "make_data, weight_decay",
    [
        (hl.two_blobs, 0.1),
        (hl.two_blobs, 0.01),
        (hl.overlapping_blobs, 0.1),
        (hl.overlapping_blobs, 0.01),
    ],
)
def test_pegasos_reaches_the_svc_primal_objective_with_the_same_support_vectors(
    make_data, weight_decay
):
    X, y = make_data(100)
    coef, intercept, svc_support = svc_solution(X, y, weight_decay)
    history = hl.fit_linear(X, y, weight_decay=weight_decay, schedule="pegasos", epochs=4000)
    ours = primal_objective(history.weight[-1], history.bias[-1], X, y, weight_decay)
    reference = primal_objective(coef, intercept, X, y, weight_decay)
    assert ours == pytest.approx(reference, rel=1e-3)
    ring = hl.support_vectors(history.weight[-1], history.bias[-1], X, y, tol=1e-3)
    assert set(torch.nonzero(ring).squeeze(1).tolist()) == svc_support


def test_regularizing_the_bias_solves_liblinears_problem_and_shrinks_the_bias():
    X, y = hl.two_blobs(100, seed=3)
    X = X + torch.tensor([3.0, 3.0])  # an offset makes the bias matter
    lam = 0.05
    free = hl.fit_linear(X, y, weight_decay=lam, schedule="pegasos", epochs=4000)
    tied = hl.fit_linear(
        X, y, weight_decay=lam, schedule="pegasos", epochs=4000, regularize_bias=True
    )
    svm = LinearSVC(loss="hinge", C=1 / (len(y) * lam), tol=1e-10, max_iter=10**6).fit(X, y)
    reference = primal_objective(svm.coef_[0], svm.intercept_[0], X, y, lam, regularize_bias=True)
    ours = primal_objective(tied.weight[-1], tied.bias[-1], X, y, lam, regularize_bias=True)
    assert ours == pytest.approx(reference, rel=1e-3)
    assert abs(tied.bias[-1]) < 0.5 * abs(free.bias[-1])


def test_squared_hinge_with_constant_steps_matches_linear_svc_squared_hinge():
    X, y = hl.overlapping_blobs(100, seed=1)
    lam = 0.1
    history = hl.fit_linear(
        X.double(),
        y.double(),
        loss="squared_hinge",
        weight_decay=lam,
        lr=0.2,
        epochs=3000,
        regularize_bias=True,
    )
    svm = LinearSVC(loss="squared_hinge", C=1 / (len(y) * lam), tol=1e-12, max_iter=10**6)
    svm.fit(X.double(), y)
    torch.testing.assert_close(history.weight[-1], torch.tensor(svm.coef_[0]), atol=1e-5, rtol=0)
    assert history.bias[-1].item() == pytest.approx(svm.intercept_[0], abs=1e-5)


def test_logistic_with_constant_steps_matches_logistic_regression():
    X, y = hl.overlapping_blobs(100, seed=2)
    lam = 0.1
    history = hl.fit_linear(
        X.double(), y.double(), loss="logistic", weight_decay=lam, lr=1.0, epochs=3000
    )
    reference = LogisticRegression(C=1 / (len(y) * lam), tol=1e-12, max_iter=10**4)
    reference.fit(X.double(), y)
    torch.testing.assert_close(
        history.weight[-1], torch.tensor(reference.coef_[0]), atol=1e-5, rtol=0
    )
    assert history.bias[-1].item() == pytest.approx(reference.intercept_[0], abs=1e-5)


def test_batched_weight_decays_and_margins_match_separate_fits():
    X, y = hl.overlapping_blobs(60, seed=4)
    X, y = X.double(), y.double()
    decays = torch.tensor([0.001, 0.01, 0.1, 1.0])
    margins = torch.tensor([0.5, 1.0, 1.5, 2.0])
    for schedule in hl.SCHEDULES:
        batched = hl.fit_linear(
            X, y, weight_decay=decays, margin=margins, epochs=200, schedule=schedule
        )
        assert batched.weight.shape == (201, 4, 2) and batched.objective.shape == (201, 4)
        for i, (lam, delta) in enumerate(zip(decays.tolist(), margins.tolist())):
            single = hl.fit_linear(
                X, y, weight_decay=lam, margin=delta, epochs=200, schedule=schedule
            )
            for field in ("weight", "bias", "loss", "objective", "violators", "accuracy"):
                torch.testing.assert_close(getattr(batched[i], field), getattr(single, field))
            assert batched[i].weight_decay.item() == pytest.approx(lam)


def test_a_scalar_setting_broadcasts_against_a_batch_of_the_other():
    X, y = hl.two_blobs(40)
    history = hl.fit_linear(X, y, weight_decay=torch.logspace(-3, 0, 5), margin=2.0, epochs=5)
    assert history.margin.tolist() == [2.0] * 5
    with pytest.raises(IndexError, match="not batched"):
        hl.fit_linear(X, y, epochs=5)[0]


def test_history_rows_agree_with_the_weights_they_record():
    X, y = hl.overlapping_blobs(80)
    h = hl.fit_linear(X, y, margin=1.5, weight_decay=0.05, epochs=50)
    for t in (0, 10, 50):
        m = hl.functional_margins(h.weight[t], h.bias[t], X, y)
        hinge = torch.relu(1.5 - m).mean()
        torch.testing.assert_close(h.loss[t], hinge)
        torch.testing.assert_close(h.objective[t], 0.025 * (h.weight[t] ** 2).sum() + hinge)
        assert h.violators[t] == (m < 1.5).sum()
        torch.testing.assert_close(h.accuracy[t], (m > 0).float().mean())
    assert h.epochs == 50 and h.bias[0] == 0


def test_history_holds_plain_tensors_not_the_autograd_graph():
    X, y = hl.two_blobs(20)
    h = hl.fit_linear(X, y, weight_decay=torch.tensor([0.1, 1.0]), epochs=3)
    for field in ("weight", "bias", "loss", "objective", "violators", "accuracy"):
        value = getattr(h, field)
        assert not value.requires_grad and value.grad_fn is None, field


@pytest.mark.parametrize("schedule, step", [("constant", 0.3), ("pegasos", 0.3 / 0.05)])
def test_first_step_is_the_stated_subgradient_step(schedule, step):
    X, y = hl.two_blobs(30, seed=5)
    X, y = X.double(), y.double()
    h = hl.fit_linear(X, y, weight_decay=0.05, lr=0.3, epochs=1, schedule=schedule)
    w0 = h.weight[0]
    active = (y * (X @ w0) < 1).double()
    grad_w = 0.05 * w0 - (active * y) @ X / len(y)
    grad_b = -(active * y).sum() / len(y)
    torch.testing.assert_close(h.weight[1], w0 - step * grad_w)
    torch.testing.assert_close(h.bias[1], -step * grad_b)


def test_same_seed_same_history_and_other_seed_other_start():
    X, y = hl.two_blobs(30)
    a, b = hl.fit_linear(X, y, epochs=20, seed=1), hl.fit_linear(X, y, epochs=20, seed=1)
    assert torch.equal(a.weight, b.weight)
    assert not torch.equal(a.weight[0], hl.fit_linear(X, y, epochs=1, seed=2).weight[0])


def test_training_reduces_the_objective_for_every_loss():
    X, y = hl.blobs_with_outliers(100)
    for loss in ("hinge", "squared_hinge", "logistic"):
        h = hl.fit_linear(X, y, loss=loss, epochs=200, lr=0.05)
        assert h.objective[-1] < h.objective[0], loss
        assert h.accuracy[-1] > 0.85, loss


def test_numpy_arrays_are_accepted_only_as_tensors():
    X, y = hl.two_blobs(20)
    with pytest.raises(TypeError, match="torch.as_tensor"):
        hl.fit_linear(np.asarray(X), y)
