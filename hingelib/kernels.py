"""Kernels and the SVM's dual: the RBF kernel, random Fourier features and an SMO solver.

The dual of the soft-margin SVM (chapter 1's eq-dual) with a kernel matrix K, as ``SVC`` solves it:

    max_alpha  D(alpha) = sum_i alpha_i - 1/2 sum_ij alpha_i alpha_j y_i y_j K_ij
    subject to 0 <= alpha_i <= C  and  sum_i alpha_i y_i = 0,

with the score f(x) = sum_i alpha_i y_i k(x_i, x) + b. With K = X X^T it is the dual of the linear
SVM, and w = sum_i alpha_i y_i x_i; C = 1 / (N weight_decay) maps it to the book's objective J.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import torch

from ._checks import check_binary_targets, check_int, check_number, check_tensor
from .train import check_features

__all__ = ["rbf_kernel", "random_fourier_features", "solve_dual", "DualSolution"]


def rbf_kernel(X, Z=None, *, gamma) -> torch.Tensor:
    """The RBF (Gaussian) kernel matrix ``K_ij = exp(-gamma ||x_i - z_j||^2)``.

    Args: X (n, d) and Z (m, d) float tensors (Z defaults to X); gamma > 0, as in
        ``SVC(kernel="rbf", gamma=...)``.
    Returns: (n, m) in the dtype of X.

    >>> rbf_kernel(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), gamma=0.5)
    tensor([[1.0000, 0.3679],
            [0.3679, 1.0000]])
    """
    X = check_features(X)
    Z = X if Z is None else check_features(Z).to(X.dtype)
    gamma = check_number("gamma", gamma, positive=True)
    if Z.shape[1] != X.shape[1]:
        raise ValueError(
            f"X and Z must have the same number of features, got {X.shape[1]} and {Z.shape[1]}"
        )
    squared = (X * X).sum(1)[:, None] + (Z * Z).sum(1)[None, :] - 2 * X @ Z.T
    return torch.exp(-gamma * squared.clamp(min=0))  # clamp: rounding can make it -1e-16


def random_fourier_features(X, *, n_features, gamma, seed=0) -> torch.Tensor:
    """Rahimi and Recht's random features of the RBF kernel: ``z(x) = sqrt(2/D) cos(W x + b)``.

    The D rows of W are drawn from N(0, 2 gamma I) and b from U[0, 2 pi], so that
    ``E[z(x)^T z(x')] = exp(-gamma ||x - x'||^2)`` (Bochner's theorem). The draw depends only on
    ``seed``, ``n_features`` and the number of columns of X, never on the rows: call it with the
    same seed for the training and the test points, so that both get the same map.

    Args: X (n, d) float tensor; n_features: D >= 1; gamma > 0 as in :func:`rbf_kernel`; seed: an
        int for the generator of (W, b).
    Returns: (n, D) in the dtype of X.
    """
    X = check_features(X)
    D = check_int("n_features", n_features, minimum=1)
    gamma = check_number("gamma", gamma, positive=True)
    seed = check_int("seed", seed)
    generator = torch.Generator().manual_seed(seed)
    W = math.sqrt(2 * gamma) * torch.randn(D, X.shape[1], generator=generator, dtype=X.dtype)
    b = 2 * math.pi * torch.rand(D, generator=generator, dtype=X.dtype)
    return math.sqrt(2 / D) * torch.cos(X @ W.T + b)


@dataclass
class DualSolution:
    """``alpha`` (n,), the ``bias`` b, the dual ``objective`` D(alpha), the KKT ``violation``
    (LIBSVM's stopping measure, below ``tol`` once solved) and the number of ``steps``."""

    alpha: torch.Tensor
    bias: float
    objective: float
    violation: float
    steps: int

    @property
    def support(self) -> torch.Tensor:
        """The indices of the support vectors, alpha_i > 0, in increasing order."""
        return torch.nonzero(self.alpha > 0)[:, 0]


def check_kernel_matrix(K, y):
    K = check_tensor("K", K, dtype="torch.float64")
    if K.dtype == torch.bool or not K.is_floating_point():
        raise TypeError(f"K must be floating point, got {K.dtype}; convert with K.float()")
    if not torch.isfinite(K).all():
        raise ValueError("K contains NaN or infinite values; check the kernel's inputs")
    K = K.double()
    if K.ndim != 2 or K.shape[0] != K.shape[1] or len(K) == 0:
        raise ValueError(
            f"K must be a square kernel matrix (n, n), got {tuple(K.shape)}; for a kernel "
            "between two sets use the training points twice, e.g. rbf_kernel(X, X, gamma=...)"
        )
    asymmetry = float((K - K.T).abs().max())
    if asymmetry > 1e-10 * max(float(K.abs().max()), 1.0):
        raise ValueError(
            f"K must be symmetric, but |K - K^T| reaches {asymmetry:.1e}; "
            "symmetrise with (K + K.T) / 2"
        )
    y = check_binary_targets(y, K[:, 0], name="y", scores_name="K[:, 0]")
    if (y > 0).all() or (y < 0).all():
        raise ValueError(
            "y holds a single class; the dual's constraint sum_i alpha_i y_i = 0 then forces "
            "alpha = 0 and leaves the bias undefined: give points of both labels -1 and +1"
        )
    return K, y


def solve_dual(K, y, *, C, tol=1e-8, max_steps=100_000) -> DualSolution:
    """The SVM's dual (module docstring) by SMO, the two-variable step of Platt (1998).

    Each step picks the pair that violates the KKT conditions most to first order (i) and gains
    most to second order (j), as LIBSVM does (Fan, Chen and Lin 2005), and moves
    ``alpha_i += y_i t, alpha_j -= y_j t``, which keeps ``sum_i alpha_i y_i = 0``; t maximises D
    along that line, clipped to the box [0, C]. With v_i = y_i - (f(x_i) - b), the violation is
    ``max v_i`` over the points whose alpha may move up along y_i minus ``min v_j`` over those
    whose alpha may move down; it stops when that is at most ``tol``. The bias is LIBSVM's: the
    mean of v_i over the free points (0 < alpha_i < C), or the middle of the interval the KKT
    conditions allow if none is free.

    Args: K (n, n) symmetric kernel matrix; y (n,) labels in {-1, +1}, both present; C > 0 as in
        ``SVC(C=...)``; tol > 0; max_steps >= 1 (a RuntimeWarning says if they ran out).
    Returns: a :class:`DualSolution`, alpha in float64.

    >>> X = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])
    >>> fit = solve_dual(X @ X.T, torch.tensor([1.0, -1.0]), C=10.0)
    >>> fit.alpha.tolist(), fit.bias
    ([0.5, 0.5], 0.0)
    """
    K, y = check_kernel_matrix(K, y)
    C = check_number("C", C, positive=True)
    tol = check_number("tol", tol, positive=True)
    max_steps = check_int("max_steps", max_steps, minimum=1)
    K, y = K.numpy(), y.numpy()
    n, diagonal = len(y), np.diag(K).copy()
    alpha, grad = np.zeros(n), -np.ones(n)  # grad of 1/2 a^T Q a - sum a, Q = y y^T * K
    positive = y > 0
    for step in range(max_steps + 1):
        v = -y * grad
        up = np.where(positive, alpha < C, alpha > 0)  # alpha_i can move along +y_i
        down = np.where(positive, alpha > 0, alpha < C)
        i = int(np.argmax(np.where(up, v, -np.inf)))
        low = np.where(down, v, np.inf)
        violation = v[i] - low.min()
        if violation <= tol or step == max_steps:
            break
        curvature = np.maximum(diagonal[i] + diagonal - 2 * K[i], 1e-12)
        gain = np.where(down & (low < v[i]), (v[i] - low) ** 2 / curvature, -np.inf)
        j = int(np.argmax(gain))
        room_i = C - alpha[i] if positive[i] else alpha[i]
        room_j = alpha[j] if positive[j] else C - alpha[j]
        t = min((v[i] - v[j]) / curvature[j], room_i, room_j)
        old_i, old_j = alpha[i], alpha[j]
        alpha[i] = (C if positive[i] else 0.0) if t == room_i else old_i + y[i] * t
        alpha[j] = (0.0 if positive[j] else C) if t == room_j else old_j - y[j] * t
        grad += y * (K[:, i] * (alpha[i] - old_i) * y[i] + K[:, j] * (alpha[j] - old_j) * y[j])
    if violation > tol:
        warnings.warn(
            f"solve_dual: the KKT violation is still {violation:.1e} after {max_steps} steps "
            f"(tol={tol}); raise max_steps or loosen tol",
            RuntimeWarning,
            stacklevel=2,
        )
    free = (alpha > 0) & (alpha < C)
    if free.any():
        bias = float(v[free].mean())
    else:  # the KKT conditions leave b in [max over `up`, min over `down`]: take the middle
        bias = float((v[i] + low.min()) / 2)
    objective = float(alpha.sum() - 0.5 * alpha @ (grad + 1))  # Q alpha = grad + 1
    return DualSolution(torch.from_numpy(alpha), bias, objective, float(violation), step)
