"""hingelib.kernels against scikit-learn: the RBF kernel, random Fourier features and SMO.

``SVC`` runs LIBSVM, which stores kernel values in single precision: its alpha can differ from an
exact float64 solution by far more than ``tol`` where the kernel matrix is nearly singular. The
tests compare alpha tightly with ``SVC`` run on the same kernel rounded to float32, and otherwise
compare what float32 does not blur: support sets, biases, dual objectives and predictions.
"""

import numpy as np
import pytest
import torch
from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel
from sklearn.svm import SVC

import hingelib as hl


@pytest.fixture(scope="module")
def moons():
    X, y = hl.two_moons(200, noise=0.1, seed=0)
    X_test, _ = hl.two_moons(500, noise=0.1, seed=1)
    return X.double(), y.double(), X_test.double()


def svc_alpha(fit, n, y):
    alpha = np.zeros(n)
    alpha[fit.support_] = fit.dual_coef_[0] * y.numpy()[fit.support_]
    return alpha


def dual_objective(alpha, K, y):
    Q = (y[:, None] * y[None, :] * K).numpy()
    return alpha.sum() - 0.5 * alpha @ Q @ alpha


def test_rbf_kernel_matches_scikit_learn(moons):
    X, _, X_test = moons
    for gamma in (0.1, 2.0, 30.0):
        ours = hl.rbf_kernel(X_test, X, gamma=gamma)
        theirs = sklearn_rbf_kernel(X_test.numpy(), X.numpy(), gamma=gamma)
        np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-12, atol=1e-14)
    K = hl.rbf_kernel(X, gamma=2.0)
    assert torch.equal(K, K.T) and torch.all(K.diagonal() == 1.0)


def test_random_fourier_features_approximate_the_rbf_kernel_at_rate_one_over_sqrt_d(moons):
    X, _, X_test = moons
    K = hl.rbf_kernel(X_test[:100], X[:100], gamma=2.0)
    errors = []
    for D in (100, 10_000):
        Z = hl.random_fourier_features(X[:100], n_features=D, gamma=2.0, seed=1)
        Z_test = hl.random_fourier_features(X_test[:100], n_features=D, gamma=2.0, seed=1)
        errors.append(float((Z_test @ Z.T - K).abs().max()))
    assert errors[1] < 0.05 and errors[0] / errors[1] > 4  # 100 x the features: ~10 x smaller


def test_random_fourier_features_depend_on_the_seed_not_on_the_rows(moons):
    X, _, _ = moons
    whole = hl.random_fourier_features(X, n_features=50, gamma=1.0, seed=3)
    part = hl.random_fourier_features(X[:7], n_features=50, gamma=1.0, seed=3)
    torch.testing.assert_close(whole[:7], part, rtol=0, atol=1e-14)  # same W, b
    other = hl.random_fourier_features(X[:7], n_features=50, gamma=1.0, seed=4)
    assert not torch.allclose(part, other)
    state = torch.random.get_rng_state()
    hl.random_fourier_features(X, n_features=5, gamma=1.0, seed=0)
    assert torch.equal(torch.random.get_rng_state(), state)  # its own generator


@pytest.mark.parametrize("gamma, C", [(0.5, 0.1), (0.5, 10.0), (2.0, 1.0), (20.0, 10.0)])
def test_solve_dual_matches_svc_with_the_rbf_kernel(moons, gamma, C):
    X, y, X_test = moons
    K = hl.rbf_kernel(X, gamma=gamma)
    fit = hl.solve_dual(K, y, C=C, tol=1e-10)
    svc = SVC(kernel="rbf", gamma=gamma, C=C, tol=1e-10).fit(X.numpy(), y.numpy())
    assert fit.violation <= 1e-10
    assert set(fit.support.tolist()) == set(svc.support_)
    assert abs(fit.bias - svc.intercept_[0]) < 1e-5
    alpha_svc = svc_alpha(svc, len(X), y)
    assert abs(fit.objective - dual_objective(alpha_svc, K, y)) < 1e-8 * max(fit.objective, 1)
    assert abs(fit.objective - dual_objective(fit.alpha.numpy(), K, y)) < 1e-10
    np.testing.assert_allclose(fit.alpha.numpy(), alpha_svc, atol=1e-4)
    f = hl.rbf_kernel(X_test, X, gamma=gamma) @ (fit.alpha * y) + fit.bias
    np.testing.assert_allclose(f.numpy(), svc.decision_function(X_test.numpy()), atol=1e-5)
    # SVC's alpha, to 1e-8, is the exact solution for its single-precision kernel
    single = hl.solve_dual(K.float().double(), y, C=C, tol=1e-10)
    np.testing.assert_allclose(single.alpha.numpy(), alpha_svc, atol=1e-8)


def test_solve_dual_matches_svc_on_a_precomputed_kernel(moons):
    X, y, _ = moons
    K = (1 + X @ X.T) ** 2
    fit = hl.solve_dual(K, y, C=1.0, tol=1e-10)
    svc = SVC(kernel="precomputed", C=1.0, tol=1e-10).fit(K.numpy(), y.numpy())
    assert set(fit.support.tolist()) == set(svc.support_)
    np.testing.assert_allclose(fit.alpha.numpy(), svc_alpha(svc, len(X), y), atol=1e-5)
    assert abs(fit.bias - svc.intercept_[0]) < 1e-5


def test_the_linear_kernel_gives_back_svc_coef_and_the_exact_primal_minimiser():
    X, y = hl.overlapping_blobs(100)
    X, y = X.double(), y.double()
    lam = 0.01
    C = 1 / (len(X) * lam)
    fit = hl.solve_dual(X @ X.T, y, C=C, tol=1e-10)
    w = (fit.alpha * y) @ X  # w = sum_i alpha_i y_i x_i
    svc = SVC(kernel="linear", C=C, tol=1e-10).fit(X.numpy(), y.numpy())
    np.testing.assert_allclose(w.numpy(), svc.coef_[0], atol=1e-6)
    assert abs(fit.bias - svc.intercept_[0]) < 1e-6
    assert set(fit.support.tolist()) == set(svc.support_)
    exact = hl.solve_linear(X, y, weight_decay=lam)
    torch.testing.assert_close(w, exact.weight, atol=1e-6, rtol=0)
    assert abs(fit.bias - float(exact.bias)) < 1e-6
    assert abs(lam * fit.objective - float(exact.objective)) < 1e-9  # min J = lambda max D


def test_solve_dual_keeps_the_constraints_and_its_bias_rule_without_free_points():
    X = torch.tensor([[1.0, 0.0], [-1.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([1.0, -1.0], dtype=torch.float64)
    fit = hl.solve_dual(X @ X.T, y, C=0.2)  # both points at the cap: none free
    assert fit.alpha.tolist() == [0.2, 0.2] and fit.bias == 0.0  # the middle of [-0.6, 0.6]
    X, y = hl.overlapping_blobs(60, seed=2)
    fit = hl.solve_dual(hl.rbf_kernel(X.double(), gamma=1.0), y, C=0.5)
    assert abs(float(fit.alpha @ y.double())) < 1e-12
    assert fit.alpha.min() >= 0 and fit.alpha.max() <= 0.5


def test_solve_dual_warns_when_it_runs_out_of_steps(moons):
    X, y, _ = moons
    with pytest.warns(RuntimeWarning, match="raise max_steps"):
        fit = hl.solve_dual(hl.rbf_kernel(X, gamma=2.0), y, C=1.0, max_steps=3)
    assert fit.steps == 3 and fit.violation > 1e-8
