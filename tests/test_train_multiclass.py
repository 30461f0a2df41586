"""fit_linear_multiclass against LinearSVC (Crammer-Singer) and a QP solver (Weston-Watkins)."""

import numpy as np
import pytest
import torch
from scipy.optimize import minimize
from sklearn.svm import LinearSVC

import hingelib as hl

LAM = 0.05


def objective(W, b, X, y, variant, regularize_bias):
    W, b = torch.as_tensor(W, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    penalty = (W * W).sum() + ((b * b).sum() if regularize_bias else 0.0)
    scores = X.double() @ W.T + b
    return (LAM / 2 * penalty + hl.multiclass_hinge_loss(scores, y, variant=variant)).item()


def weston_watkins_by_quadratic_programming(X, y, k):
    """min LAM/2 ||W||^2 + mean sum_k xi_ik  s.t.  xi_ik >= s_k - s_y + 1, xi_ik >= 0 (SLSQP)."""
    X, y = X.double().numpy(), y.numpy()
    n, d = X.shape
    wrong = [(i, c) for i in range(n) for c in range(k) if c != y[i]]
    size = k * d + k + len(wrong)  # W, b, one slack per (sample, wrong class)
    A = np.zeros((len(wrong), size))
    for j, (i, c) in enumerate(wrong):  # xi_j - (w_c - w_y) x_i - (b_c - b_y) >= 1
        A[j, k * d + k + j] = 1.0
        A[j, c * d : (c + 1) * d] -= X[i]
        A[j, y[i] * d : (y[i] + 1) * d] += X[i]
        A[j, k * d + c] -= 1.0
        A[j, k * d + y[i]] += 1.0
    gradient = np.r_[np.zeros(k * d + k), np.full(len(wrong), 1 / n)]
    result = minimize(
        lambda z: LAM / 2 * z[: k * d] @ z[: k * d] + z[k * d + k :].sum() / n,
        np.zeros(size),
        jac=lambda z: gradient + np.r_[LAM * z[: k * d], np.zeros(size - k * d)],
        constraints=[{"type": "ineq", "fun": lambda z: A @ z - 1.0, "jac": lambda z: A}],
        bounds=[(None, None)] * (k * d + k) + [(0, None)] * len(wrong),
        method="SLSQP",
        options={"ftol": 1e-12, "maxiter": 1000},
    )
    assert result.success, result.message
    return result.x[: k * d].reshape(k, d), result.x[k * d : k * d + k]


def test_crammer_singer_with_regularised_bias_reaches_linear_svc_objective():
    X, y = hl.three_class_blobs(60)
    svm = LinearSVC(multi_class="crammer_singer", C=1 / (len(y) * LAM), tol=1e-10, max_iter=10**6)
    svm.fit(X.double().numpy(), y.numpy())
    reference = objective(svm.coef_, svm.intercept_, X, y, "crammer_singer", True)
    h = hl.fit_linear_multiclass(
        X,
        y,
        variant="crammer_singer",
        weight_decay=LAM,
        regularize_bias=True,
        schedule="pegasos",
        epochs=2000,
    )
    assert objective(h.weight[-1], h.bias[-1], X, y, "crammer_singer", True) == pytest.approx(
        reference, rel=1e-3
    )


def test_weston_watkins_reaches_the_quadratic_program_optimum():
    X, y = hl.three_class_blobs(60)
    W, b = weston_watkins_by_quadratic_programming(X, y, k=3)
    reference = objective(W, b, X, y, "weston_watkins", False)
    h = hl.fit_linear_multiclass(X, y, weight_decay=LAM, schedule="pegasos", epochs=2000)
    ours = objective(h.weight[-1], h.bias[-1], X, y, "weston_watkins", False)
    assert ours == pytest.approx(reference, rel=1e-3)
    assert h.objective[-1].item() == pytest.approx(ours, rel=1e-5)


def test_history_shapes_and_metrics_agree_with_the_recorded_weights():
    X, y = hl.three_class_blobs(30)
    h = hl.fit_linear_multiclass(X, y, variant="crammer_singer", margin=2.0, epochs=20)
    assert h.weight.shape == (21, 3, 2) and h.bias.shape == (21, 3) and h.loss.shape == (21,)
    scores = X @ h.weight[20].T + h.bias[20]
    per_sample = hl.multiclass_hinge_loss(
        scores, y, margin=2.0, variant="crammer_singer", reduction="none"
    )
    torch.testing.assert_close(h.loss[20], per_sample.mean())
    assert h.violators[20] == (per_sample > 0).sum()
    torch.testing.assert_close(h.accuracy[20], (scores.argmax(1) == y).float().mean())
    assert h.loss_name == "crammer_singer" and h.margin.item() == 2.0
    with pytest.raises(IndexError, match="not batched"):
        h[0]


def test_n_classes_adds_classes_that_have_no_samples():
    X, y = hl.three_class_blobs(30)
    h = hl.fit_linear_multiclass(X, y, n_classes=4, epochs=2)
    assert h.weight.shape == (3, 4, 2)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"y": "float"}, TypeError, r"y must be integer class indices.*y\.long\(\)"),
        ({"n_classes": 2}, ValueError, r"y must be class indices in \[0, 2\)"),
        ({"weight_decay": torch.tensor([0.1, 1.0])}, ValueError, "one weight_decay"),
        ({"variant": "one_vs_rest"}, ValueError, "'weston_watkins', 'crammer_singer'"),
        ({"margin": -1.0}, ValueError, "margin must be >= 0"),
    ],
)
def test_bad_input_is_rejected_with_a_hint(kwargs, error, message):
    X, y = hl.three_class_blobs(30)
    if kwargs.pop("y", None) == "float":
        y = y.float()
    with pytest.raises(error, match=message):
        hl.fit_linear_multiclass(X, y, epochs=1, **kwargs)
