"""Multi-class linear training: class scores ``s = W x + b``, one row of ``W`` per class.

    J(W, b) = weight_decay / 2 * ||W||_F^2 + mean_i loss(s_i, y_i)

with the Weston-Watkins or Crammer-Singer hinge of :mod:`hingelib.multiclass`. With
``variant="crammer_singer"`` and ``regularize_bias=True`` this is the problem that
``sklearn.svm.LinearSVC(multi_class="crammer_singer", C=1 / (n * weight_decay))`` solves.
"""

from __future__ import annotations

import torch

from ._checks import (
    check_choice,
    check_class_indices,
    check_class_targets,
    check_int,
    check_margin,
)
from .multiclass import MULTICLASS_VARIANTS, per_sample_multiclass_hinge
from .train import (
    History,
    check_features,
    check_finite_training,
    check_schedule,
    descend,
    detached_row,
)

__all__ = ["fit_linear_multiclass"]


def fit_linear_multiclass(
    X,
    y,
    *,
    variant="weston_watkins",
    margin=1.0,
    weight_decay=0.01,
    lr=None,
    epochs=1000,
    schedule="constant",
    regularize_bias=False,
    n_classes=None,
    seed=0,
) -> History:
    """Minimise ``weight_decay/2 ||W||^2 + mean multi-class hinge`` by full-batch descent.

    Args:
        X: float tensor (n, d); y: integer class indices (n,) in [0, K).
        variant: 'weston_watkins' or 'crammer_singer'.
        margin, weight_decay, lr, epochs, schedule, regularize_bias, seed: numbers and options as
            in :func:`hingelib.fit_linear` (no batched settings here).
        n_classes: K; by default ``y.max() + 1``.
    Returns:
        A :class:`History` with weight (E+1, K, d) and bias (E+1, K); ``violators`` counts the
        samples with a positive loss and ``accuracy`` the share whose top score is their class.
    """
    X = check_features(X)
    y = check_class_indices(y, name="y")
    if n_classes is not None:
        check_int("n_classes", n_classes, minimum=2)
    k = int(y.max()) + 1 if n_classes is None and y.numel() else n_classes
    y = check_class_targets(y, X.new_empty(len(X), k or 0), name="y", scores_name="W x + b")
    check_choice("variant", variant, MULTICLASS_VARIANTS)
    margin = check_margin(margin)
    lam, lr, pegasos = check_schedule(schedule, weight_decay, lr, epochs)
    if lam.ndim:
        raise ValueError("multi-class training takes one weight_decay; loop over the values")
    lam = float(lam)

    generator = torch.Generator().manual_seed(seed)
    w0 = 0.01 * torch.randn(k, X.shape[1], generator=generator, dtype=torch.float64)
    W = w0.to(X.dtype).requires_grad_(True)
    b = torch.zeros(k, dtype=X.dtype, requires_grad=True)

    def evaluate():
        scores = X @ W.T + b  # (n, K)
        per_sample = per_sample_multiclass_hinge(scores, y, margin, variant)
        data_loss = per_sample.mean()
        penalty = (W * W).sum() + ((b * b).sum() if regularize_bias else 0.0)
        objective = lam / 2 * penalty + data_loss
        accuracy = (scores.argmax(dim=1) == y).to(X.dtype).mean()
        violators = (per_sample > 0).sum()
        return objective, detached_row(W, b, data_loss, objective, violators, accuracy)

    per_epoch = descend((W, b), evaluate, epochs=epochs, lr=lr, weight_decay=lam, pegasos=pegasos)
    check_finite_training(per_epoch[3], lr=lr, pegasos=pegasos)
    settings = torch.tensor(lam, dtype=X.dtype), torch.tensor(margin, dtype=X.dtype)
    return History(*per_epoch, *settings, loss_name=variant)
