"""SVM-style training of a linear score ``f(x) = w^T x + b`` by full-batch (sub)gradient descent.

The objective is the primal soft-margin SVM when ``loss="hinge"``:

    J(w, b) = weight_decay / 2 * ||w||^2 + mean_i loss(y_i f(x_i))

which ``sklearn.svm.SVC(kernel="linear", C=1 / (n * weight_decay))`` minimises in the form
1/2 ||w||^2 + C sum_i loss_i, that is J / weight_decay: the same minimiser. The bias is not
penalised unless ``regularize_bias=True``.

A 1-D tensor of ``weight_decay`` (or ``margin``) values trains all of them in one vectorised run:
every tensor gets a leading batch axis, so a regularisation path costs about one fit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial

import torch

from ._checks import (
    check_binary_targets,
    check_choice,
    check_int,
    check_margin,
    check_number,
    check_tensor,
)
from .losses import BINARY_LOSSES

__all__ = ["fit_linear", "History", "SCHEDULES"]

SCHEDULES = ("constant", "pegasos")
TRAINABLE_LOSSES = ("hinge", "squared_hinge", "logistic", "perceptron", "modified_huber")


@dataclass
class History:
    """Row ``t`` of every per-epoch field is the state after ``t`` epochs (row 0: the start).

    Shapes for ``E`` epochs and ``d`` features, with ``[B]`` the settings of a batched run and
    ``[K]`` the classes of a multi-class fit: weight (E+1, [B,] [K,] d); bias (E+1, [B,] [K]);
    loss, objective, violators, accuracy (E+1, [B]).
    """

    weight: torch.Tensor
    bias: torch.Tensor
    loss: torch.Tensor  # mean data loss
    objective: torch.Tensor  # weight_decay/2 ||w||^2 (+ b^2 if regularised) + mean loss
    violators: torch.Tensor  # samples with a positive hinge: inside the margin or wrong
    accuracy: torch.Tensor  # fraction predicted right
    weight_decay: torch.Tensor  # 0-d, or (B,) for a batched run
    margin: torch.Tensor
    loss_name: str

    @property
    def epochs(self) -> int:
        return self.weight.shape[0] - 1

    def __getitem__(self, index) -> History:
        """Select settings of a batched run: ``history[3]`` is the fourth weight decay's fit."""
        if self.weight_decay.ndim == 0:
            raise IndexError("this History is not batched; index its fields directly")
        per_epoch = {f.name: getattr(self, f.name)[:, index] for f in fields(self)[:6]}
        settings = {"weight_decay": self.weight_decay[index], "margin": self.margin[index]}
        return History(**per_epoch, **settings, loss_name=self.loss_name)


def descend(parameters, evaluate, *, epochs, lr, weight_decay, pegasos) -> list[torch.Tensor]:
    """Full-batch (sub)gradient descent; returns the stacked rows that ``evaluate`` records.

    ``evaluate()`` returns the objective (one value per setting) at the current parameters and a
    History row. The step is ``lr``, or ``lr / (weight_decay * t)`` at epoch t under Pegasos.
    """
    rows = []
    for t in range(epochs + 1):
        objective, row = evaluate()
        rows.append(row)
        if t == epochs:
            break
        gradients = torch.autograd.grad(objective.sum(), parameters)
        step = lr / (weight_decay * (t + 1)) if pegasos else lr
        with torch.no_grad():
            for parameter, gradient in zip(parameters, gradients):
                parameter -= step * gradient
    return [torch.stack(column) for column in zip(*rows)]


def check_finite_training(objective, *, lr, pegasos) -> None:
    """Raise if training diverged: a NaN or infinite objective is a wrong number, never a result."""
    finite = torch.isfinite(objective)
    if finite.all():
        return
    first = int((~finite).nonzero()[0, 0])
    why = (
        "; the Pegasos step lr / (weight_decay * t) starts at lr / weight_decay, too long for a "
        "loss whose gradient grows with the violation: use schedule='constant'"
        if pegasos
        else ""
    )
    raise ValueError(
        f"training diverged: the objective is not finite from epoch {first} on; "
        f"lower lr (got {lr}){why}"
    )


def detached_row(weight, bias, data_loss, objective, violators, accuracy):
    """One History row, cut from the autograd graph so the History holds plain tensors."""
    row = (weight, bias, data_loss, objective, violators, accuracy)
    return tuple(value.detach().clone() for value in row)


def as_settings(name: str, value, check) -> torch.Tensor:
    """A number, or a non-empty 1-D tensor of numbers, each passing ``check``; as float64."""
    if isinstance(value, torch.Tensor) and value.ndim > 0:
        if value.ndim > 1 or value.numel() == 0:
            raise ValueError(f"{name} must be a number or a non-empty 1-D tensor of values")
        return torch.tensor([check(v) for v in value.detach().double()], dtype=torch.float64)
    return torch.tensor(check(value), dtype=torch.float64)


def paired_settings(lam, delta, dtype):
    """Weight decays and margins (0-d or 1-D) as paired (B, 1) columns, and whether either was
    a batch. Two 1-D tensors must have the same length: they are paired element by element."""
    if lam.ndim == delta.ndim == 1 and len(lam) != len(delta):
        raise ValueError(
            f"weight_decay and margin tensors must have the same length to be paired, "
            f"got {len(lam)} and {len(delta)}; pass one of them as a number"
        )
    columns = (t.to(dtype).reshape(-1, 1) for t in torch.broadcast_tensors(lam, delta))
    return *columns, lam.ndim == 1 or delta.ndim == 1


def check_features(X) -> torch.Tensor:
    X = check_tensor("X", X)
    if X.dtype == torch.bool or not X.is_floating_point():
        raise TypeError(f"X must be floating point, got {X.dtype}; convert with X.float()")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n, d) with n >= 1, got {tuple(X.shape)}")
    if not torch.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values; remove or impute them first")
    return X


def check_schedule(schedule, weight_decay, lr, epochs):
    """Validate the optimisation settings; returns (weight decays as float64, lr, pegasos?)."""
    check_choice("schedule", schedule, SCHEDULES)
    check_int("epochs", epochs, minimum=1)
    pegasos = schedule == "pegasos"
    try:
        check = partial(check_number, "weight_decay", positive=pegasos)
        lam = as_settings("weight_decay", weight_decay, check)
    except ValueError as error:
        why = " for schedule='pegasos', whose step lr / (weight_decay * t) divides by it"
        raise ValueError(f"{error}{why if pegasos else ''}") from None
    lr = (1.0 if pegasos else 0.1) if lr is None else check_number("lr", lr, positive=True)
    return lam, lr, pegasos


def fit_linear(
    X,
    y,
    *,
    loss="hinge",
    margin=1.0,
    weight_decay=0.01,
    lr=None,
    epochs=1000,
    schedule="constant",
    regularize_bias=False,
    seed=0,
) -> History:
    """Minimise ``weight_decay/2 ||w||^2 + mean loss(y (X w + b))`` by full-batch gradient descent.

    Args:
        X: float tensor (n, d); y: labels (n,) in {-1, +1}.
        loss: 'hinge', 'squared_hinge', 'logistic', 'perceptron' or 'modified_huber'.
        margin, weight_decay: numbers, or 1-D tensors of settings trained together (if both are
            tensors they must have the same length and are paired element by element). The
            logistic and perceptron losses ignore the margin except to count violators.
        lr: step size for 'constant' (default 0.1); for 'pegasos' the step at epoch t is
            ``lr / (weight_decay * t)`` (default lr=1, the step of Shalev-Shwartz et al. 2011).
            The free bias takes the same long first steps: on data far from the origin
            Pegasos converges slowly; use 'constant' there.
        epochs: number of full-batch steps.
        regularize_bias: also penalise ``weight_decay/2 * b^2``, as ``SGD(weight_decay=...)`` does.
        seed: seeds the initial weight, drawn from N(0, 0.01^2) and shared by every setting.
    Returns:
        A :class:`History` of the weights and metrics after each epoch.
    Raises:
        ValueError: if a single fit diverges (the objective is not finite: lower ``lr``). In a
            batched run a diverged setting is kept, with NaN or inf in its rows.
    """
    X = check_features(X)
    y = check_binary_targets(y, X[:, 0], name="y", scores_name="X[:, 0]")
    untrainable = " (its gradient is 0 almost everywhere)" if loss == "zero_one" else ""
    check_choice("loss", loss, TRAINABLE_LOSSES, why=untrainable)
    lam, lr, pegasos = check_schedule(schedule, weight_decay, lr, epochs)
    if pegasos and loss == "squared_hinge":
        raise ValueError(
            "schedule='pegasos' needs bounded (sub)gradients; the squared hinge's grow with the "
            "violation, so its first steps of lr / weight_decay diverge: use schedule='constant'"
        )
    lam, delta, batched = paired_settings(lam, as_settings("margin", margin, check_margin), X.dtype)

    generator = torch.Generator().manual_seed(seed)
    w0 = 0.01 * torch.randn(X.shape[1], generator=generator, dtype=torch.float64)
    w = w0.to(X.dtype).expand(len(lam), -1).clone().requires_grad_(True)
    b = torch.zeros(len(lam), 1, dtype=X.dtype, requires_grad=True)

    def evaluate():
        m = y * (w @ X.T + b)  # (B, n): the margins y f(x) under every setting
        data_loss = BINARY_LOSSES[loss](m, delta).mean(dim=1)
        penalty = (w * w).sum(dim=1) + (b[:, 0] ** 2 if regularize_bias else 0.0)
        objective = lam[:, 0] / 2 * penalty + data_loss
        accuracy = (m > 0).to(m.dtype).mean(dim=1)
        return objective, detached_row(
            w, b[:, 0], data_loss, objective, (m < delta).sum(1), accuracy
        )

    per_epoch = descend((w, b), evaluate, epochs=epochs, lr=lr, weight_decay=lam, pegasos=pegasos)
    settings = [lam[:, 0], delta[:, 0]]
    if not batched:  # a batched run returns every setting; one that diverged holds NaN or inf
        check_finite_training(per_epoch[3], lr=lr, pegasos=pegasos)
        per_epoch, settings = [f[:, 0] for f in per_epoch], [s[0] for s in settings]
    return History(*per_epoch, *settings, loss_name=loss)
