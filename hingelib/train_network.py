"""Mini-batch training of a network, or of several networks of one architecture at once.

Stochastic gradient descent on

    J(theta) = weight_decay / 2 * ||W||^2 + mean_i loss(model(x_i), y_i)

over the batches of a seeded ``DataLoader``, where ``||W||^2`` adds up the squares of the weight
matrices (every parameter with two or more dimensions) and, with ``decay_bias=True``, of the
biases too. The step is ``torch.optim.SGD``'s, with its ``momentum`` and ``weight_decay``.

A list of models is trained in one vectorised run (``torch.func.stack_module_state``): every
model sees the same batches, and each has its own loss, ``lr`` and ``weight_decay``. That is how
a chapter trains a grid of settings, several heads and several initialisations within seconds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch.func import functional_call, stack_module_state, vmap
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset

from ._checks import check_int, check_number, check_tensor

__all__ = ["fit_network", "NetworkHistory"]


@dataclass
class NetworkHistory:
    """Row ``e`` is epoch ``e + 1``, measured on each batch as it was used, before its step.

    Shapes (E,) for one model and (E, M) for a list of M models: ``loss`` is the epoch's mean
    batch loss (without the penalty), ``error`` the share of its samples misclassified, and
    ``zero_gradient`` the share whose loss had a gradient of exactly 0 in their scores.
    """

    loss: torch.Tensor
    error: torch.Tensor
    zero_gradient: torch.Tensor


def fit_network(
    model,
    X,
    y,
    *,
    loss,
    lr,
    weight_decay=0.0,
    epochs=10,
    batch_size=64,
    seed=0,
    momentum=0.0,
    decay_bias=False,
) -> NetworkHistory:
    """Train ``model`` (or a list of models) in place by mini-batch SGD; see the module docstring.

    Args:
        model: an ``nn.Module``, or a list of modules of one architecture (no batch norm or
            dropout), mapping X (B, ...) to scores (B, K) or binary scores (B,).
        X, y: float inputs (N, ...) and their N targets, batched by a ``DataLoader`` whose
            shuffling is seeded by ``seed``.
        loss: a functional loss ``loss(scores, targets, reduction=...)`` such as
            ``F.cross_entropy`` or ``hl.multiclass_hinge_loss``, or a list, one per model.
        lr, weight_decay: numbers, or lists of numbers, one per model.
        epochs, batch_size, momentum, decay_bias: as in the module docstring.
    Returns:
        A :class:`NetworkHistory`. A model of a list whose scores or loss stop being finite
        stops there, its rows NaN from that epoch on; a single model raises instead.
    """
    models = [model] if isinstance(model, torch.nn.Module) else list(model)
    if not models or not all(isinstance(m, torch.nn.Module) for m in models):
        raise TypeError("model must be an nn.Module or a non-empty list of nn.Modules")
    count = len(models)
    losses = _one_per_model("loss", loss, count)
    for fn in losses:
        _check_loss(fn)
    lr = _numbers("lr", lr, count, positive=True)
    weight_decay = _numbers("weight_decay", weight_decay, count)
    X, y = _check_data(X, y)
    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    momentum = check_number("momentum", momentum)

    params, buffers = _stack(models)
    decayed = {name: decay_bias or value.ndim > 2 for name, value in params.items()}
    scores_of = vmap(_forward(models[0], buffers), in_dims=(0, None))
    velocity = {name: torch.zeros_like(value) for name, value in params.items()}
    alive = torch.ones(count, dtype=torch.bool)
    loader = _loader(X, y, batch_size, seed)
    rows = []
    for _ in range(epochs):
        totals = torch.zeros(3, count)
        for xb, yb in loader:
            scores = scores_of(params, xb)  # (M, B, ...)
            scores.retain_grad()
            alive &= torch.isfinite(scores.detach()).flatten(1).all(dim=1)
            per_model = torch.full((count,), float("nan"), dtype=scores.dtype)
            for fn, members in _groups(losses, alive).items():
                s, targets = scores[members].flatten(0, 1), yb.repeat(len(members))
                per_sample = fn(s, targets, reduction="none")
                per_model[members] = per_sample.reshape(len(members), -1).mean(dim=1)
            alive &= torch.isfinite(per_model.detach())
            if not alive.any():
                _diverged(len(rows) + 1, lr)
            per_model[alive].sum().backward()
            zero = scores.grad.reshape(count, len(yb), -1).eq(0).all(dim=2)
            totals[0] += per_model.detach().masked_fill(~alive, float("nan")) * len(yb)
            totals[1] += _wrong(scores.detach(), yb).sum(dim=1)
            totals[2] += zero.sum(dim=1)
            _step(params, velocity, decayed, lr * alive, weight_decay, momentum)
        rows.append(totals / len(X))
    _write_back(models, params)
    loss_, error, zero = torch.stack(rows).unbind(dim=1)
    if isinstance(model, torch.nn.Module):
        return NetworkHistory(loss_[:, 0], error[:, 0], zero[:, 0])
    return NetworkHistory(loss_, error, zero)


def _diverged(epoch, lr):
    """Raise once no model is left: a NaN is a wrong number, never a result."""
    which = "the scores or loss are" if len(lr) == 1 else "every model's scores or loss are"
    got = f"{lr.item():g}" if len(lr) == 1 else f"{[round(v, 6) for v in lr.tolist()]}"
    raise ValueError(
        f"training diverged: {which} not finite in epoch {epoch}; lower lr (got {got})"
    )


def _loader(X, y, batch_size, seed):
    """The batches of ``DataLoader(TensorDataset(X, y), batch_size, shuffle=True,
    generator=torch.Generator().manual_seed(seed))``, each indexed in one go."""
    generator = torch.Generator().manual_seed(seed)
    dataset = TensorDataset(X, y)
    order = RandomSampler(dataset, generator=generator)
    batches = BatchSampler(order, batch_size, drop_last=False)
    return DataLoader(dataset, batch_size=None, sampler=batches, generator=generator)


def _groups(losses, alive):
    """The models still training, grouped by loss function (one call per group)."""
    groups = {}
    for index, fn in enumerate(losses):
        if alive[index]:
            groups.setdefault(fn, []).append(index)
    return groups


def _one_per_model(name, value, count):
    values = list(value) if isinstance(value, (list, tuple)) else [value] * count
    if len(values) != count:
        raise ValueError(f"{name} has {len(values)} entries for {count} models; give one each")
    return values


def _numbers(name, value, count, positive=False):
    values = _one_per_model(name, value, count)
    return torch.tensor([check_number(name, v, positive=positive) for v in values])


def _check_loss(fn):
    if isinstance(fn, torch.nn.Module) or not callable(fn):
        raise TypeError(
            f"loss must be a loss function that takes reduction=, got {fn!r}; pass the "
            "functional form, e.g. F.cross_entropy for nn.CrossEntropyLoss() or "
            "functools.partial(F.multi_margin_loss, p=2) for nn.MultiMarginLoss(p=2)"
        )


def _check_data(X, y):
    X = check_tensor("X", X)
    if not isinstance(y, torch.Tensor):
        raise TypeError(
            f"y must be a torch.Tensor, got {type(y).__name__}; convert with "
            "torch.as_tensor(y): class indices as torch.long, labels -1/+1 as torch.float32"
        )
    if not X.is_floating_point():
        raise TypeError(f"X must be floating point, got {X.dtype}; convert with X.float()")
    if X.ndim < 2 or len(X) == 0 or len(y) != len(X):
        raise ValueError(
            f"X must have shape (N, ...) with N >= 1 and y one target per row, got "
            f"{tuple(X.shape)} and {tuple(y.shape)}"
        )
    return X, y


def _stack(models):
    try:
        params, buffers = stack_module_state(models)
    except RuntimeError as error:
        raise ValueError(f"the models must share one architecture: {error}") from None
    return params, buffers


def _forward(model, buffers):
    base = copy.deepcopy(model).to("meta")

    def forward(params, x):
        return functional_call(base, (params, buffers), (x,))

    return forward


def _wrong(scores, targets):
    """(M, B): 1 where a model's prediction misses: argmax for (K) scores, sign for binary."""
    if scores.ndim == 2:
        return (scores * targets <= 0).float()
    return (scores.argmax(dim=-1) != targets).float()


@torch.no_grad()
def _step(params, velocity, decayed, lr, decay, momentum):
    """One step of torch.optim.SGD (dampening 0), with one lr and weight decay per model.
    A model whose lr is 0 (one that diverged) stays where it is."""
    for name, value in params.items():
        shape = (-1,) + (1,) * (value.ndim - 1)
        direction = value.grad
        if decayed[name]:
            direction = direction + decay.view(shape).to(value.dtype) * value
        if momentum:
            direction = velocity[name].mul_(momentum).add_(direction)
        value -= lr.view(shape).to(value.dtype) * direction
        value.grad = None


@torch.no_grad()
def _write_back(models, params):
    for index, model in enumerate(models):
        for name, value in model.named_parameters():
            value.copy_(params[name][index])
