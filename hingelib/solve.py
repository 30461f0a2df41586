"""The exact minimiser of the objective ``fit_linear`` descends, and a certificate for any fit.

    J(w, b) = weight_decay / 2 * ||w||^2 + mean_i loss(m_i),   m_i = y_i (w^T x_i + b)

(the bias is not penalised). Each margin loss is a maximum over the point's *pull* u >= 0:

    loss(m) = max_{0 <= u <= cap} u (Delta - m) - s u^2 / 2,   at u = clamp((Delta - m) / s, 0, cap)

with (s, cap) = (0, 1) for the hinge (u = 1 where m < Delta, 0 where m > Delta), (1/2, inf) for
the squared hinge and (1/2, 4) for the modified Huber loss; the logistic loss is
``max_{0 <= u <= 1} -u m + H(u)`` (H the binary entropy), at u = sigmoid(-m). So u = -loss'(m).
Swapping the min over (w, b) and the max over u gives the Fenchel dual: for pulls u in
[0, cap] with ``sum_i u_i y_i = 0``,

    D(u) = mean_i phi(u_i) - 1 / (2 weight_decay) * || mean_i u_i y_i x_i ||^2  <=  min J

with phi(u) = Delta u - s u^2 / 2 (logistic: H(u)). Hence, for every (w, b) and feasible u,

    J(w, b) - min J  <=  J(w, b) - D(u)     (the duality gap),

and with the optimum's pulls the gap at the optimum is 0. The pulls over N are the dual weights
(``SVC``'s alpha_i = C u_i): the hinge's support vectors are the points with u_i > 0 (all with
m < Delta, some with m = Delta), the squared hinge's those with m < Delta; under the logistic
loss every point has u_i > 0.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, fields
from functools import partial

import torch

from ._checks import check_binary_targets, check_choice, check_margin, check_number, check_tensor
from .losses import BINARY_LOSSES
from .train import as_settings, check_features, paired_settings

__all__ = ["solve_linear", "duality_gap", "Solution", "SOLVABLE_LOSSES"]

SOLVABLE_LOSSES = ("hinge", "squared_hinge", "logistic", "modified_huber")
#: (s, cap) of each margin loss written as max_{0 <= u <= cap} u (Delta - m) - s u^2 / 2.
HUBER_FORM = {"hinge": (0.0, 1.0), "squared_hinge": (0.5, math.inf), "modified_huber": (0.5, 4.0)}
#: Widths (of smoothing, or of "on the margin") that the hinge's duality gap tries: 1 ... 1e-12.
WIDTHS = tuple(10 ** (-k / 2) for k in range(25))
FIRST_MU, MIN_MU, MAX_STEPS, LINE_SEARCH_TRIES = 1.0, 1e-13, 300, 8


@dataclass
class Solution:
    """The minimiser for each setting: ``weight`` ([B,] d), ``bias``, ``objective`` J, ``gap``
    (a certified bound on J - min J) and Newton ``iterations``, each ([B]), and the settings.
    ``solution[i]`` selects setting i of a batched solve."""

    weight: torch.Tensor
    bias: torch.Tensor
    objective: torch.Tensor
    gap: torch.Tensor
    iterations: torch.Tensor
    weight_decay: torch.Tensor
    margin: torch.Tensor
    loss_name: str

    def __getitem__(self, index) -> Solution:
        if self.objective.ndim == 0:
            raise IndexError("this Solution is not batched; index its fields directly")
        return Solution(*(getattr(self, f.name)[index] for f in fields(self)[:-1]), self.loss_name)


def primal(m, theta, lam, delta, loss):
    """J at margins m (B, n) and theta = (w, b) (B, d + 1), with the exact loss."""
    w = theta[:, :-1]
    return lam[:, 0] / 2 * (w * w).sum(1) + exact_loss(m, delta, loss).mean(1)


def exact_loss(m, delta, loss):
    """The per-point loss; the logistic's as log(1 + e^-m) to the last digit, where F.softplus
    (``BINARY_LOSSES``) returns -m from -m > 20 on, up to e^-20 = 2e-9 short: a certificate to
    1e-9 cannot afford that."""
    if loss == "logistic":
        return torch.logaddexp(torch.zeros_like(m), -m)
    return BINARY_LOSSES[loss](m, delta)


def dual(u, Z, lam, delta, loss, s=None):
    """D(u) once u is feasible: the larger class's total pull is scaled down to the smaller's (so
    sum_i u_i y_i = 0, and u stays in [0, cap]). Z = y [X, 1]; ``s`` replaces the loss's own."""
    y, n = Z[:, -1], len(Z)
    total = {c: (u * (y == c)).sum(1, keepdim=True) for c in (1, -1)}
    scale = {c: torch.where(total[c] > total[-c], total[-c] / total[c], 1.0) for c in (1, -1)}
    u = u * torch.where(y > 0, scale[1], scale[-1])
    if loss == "logistic":
        phi = -(torch.xlogy(u, u) + torch.xlogy(1 - u, 1 - u))
    else:
        phi = delta * u - (HUBER_FORM[loss][0] if s is None else s) * u * u / 2
    v = u @ Z[:, :-1] / n  # mean_i u_i y_i x_i
    return phi.mean(1) - (v * v).sum(1) / (2 * lam[:, 0])


def margin_pulls(z, near, theta, Z, lam, rounds=3):
    """The hinge's pulls at z = Delta - m: 1 inside the margin, 0 outside, and for the points
    ``near`` it (a mask) the least-squares pulls that best meet stationarity,
    ``lam (w, 0) = mean_i u_i y_i (x_i, 1)``; a pull outside [0, 1] is clipped and fixed, and the
    rest solved again (``rounds`` times)."""
    n, u, free = len(Z), ((z > 0) & ~near).to(Z.dtype), near
    target = lam * torch.cat([theta[:, :-1], 0 * theta[:, -1:]], 1)
    for _ in range(rounds):
        missing = target - torch.where(free, 0.0, u) @ Z / n
        M = torch.einsum("bn,ni,nj->bij", free.to(Z.dtype), Z, Z) / n**2
        c = (torch.linalg.pinv(M, hermitian=True) @ missing[..., None])[..., 0]
        u = torch.where(free, (c @ Z.T) / n, u)
        free, kept, u = free & (u >= 0) & (u <= 1), free, u.clamp(0, 1)
        if torch.equal(free, kept):  # none clipped: the pulls meet stationarity
            break
    return u


def smoothed(m, delta, loss, mu):
    """Per point: the loss (the hinge smoothed with s = mu), its pull and its curvature."""
    if loss == "logistic":
        u = torch.sigmoid(-m)
        return exact_loss(m, delta, loss), u, u * (1 - u)
    s, cap = HUBER_FORM[loss]
    s, z = mu if loss == "hinge" else s, delta - m
    u = torch.clamp(z / s, 0, cap)
    return u * (z - s * u / 2), u, ((z > 0) & (z < s * cap)).to(m.dtype) / s


def line_search(theta, p, Z, lam, delta, loss, mu):
    """A step t along p for phi(t) = J_mu(theta + t p), which is convex: safeguarded Newton steps
    on phi'(t), else bisection of the bracket (or t grown or cut a hundredfold while it has no
    end). Returned: the largest t seen with phi'(t) <= 0, so phi falls all the way from 0 to t
    (t = 0 if none): the step never raises the objective, and slopes stay exact where values
    differ only by rounding."""
    m0, q, w, pw = theta @ Z.T, p @ Z.T, theta[:, :-1], p[:, :-1]  # margins m0 + t q
    low, high, t = torch.zeros_like(lam), torch.full_like(lam, math.inf), torch.ones_like(lam)
    for _ in range(LINE_SEARCH_TRIES):
        _, u, curvature = smoothed(m0 + t * q, delta, loss, mu)
        slope = lam * ((w + t * pw) * pw).sum(1, keepdim=True) - (u * q).mean(1, keepdim=True)
        curvature = lam * (pw * pw).sum(1, keepdim=True) + (curvature * q * q).mean(1, keepdim=True)
        low, high = torch.where(slope <= 0, t, low), torch.where(slope <= 0, high, t)
        newton = t - slope / curvature
        cut = torch.where(low == 0, t / 100, (low + high) / 2)
        step = torch.where(high == math.inf, 100 * t, cut)
        t, last = torch.where((newton > low) & (newton < high), newton, step), t
        if torch.equal(t, last):  # Newton has converged for every setting
            break
    return low


def problem(X, y, loss, margin, weight_decay):
    """Checked float64 inputs: Z = y [X, 1] (so m = Z theta), and the settings as (B, 1)."""
    X = check_features(X).double()
    y = check_binary_targets(y, X[:, 0], name="y", scores_name="X[:, 0]")
    check_choice("loss", loss, SOLVABLE_LOSSES)
    try:
        check = partial(check_number, "weight_decay", positive=True)
        lam = as_settings("weight_decay", weight_decay, check)
    except ValueError as error:
        raise ValueError(
            f"{error}: the exact fit needs weight_decay > 0 (without it the minimiser can lie "
            "infinitely far away, on separable data), so use a small one such as 1e-3"
        ) from None
    lam, delta, batched = paired_settings(lam, as_settings("margin", margin, check_margin), X.dtype)
    return y[:, None] * torch.cat([X, X.new_ones(len(X), 1)], 1), lam, delta, batched


def solve_linear(X, y, *, loss="hinge", margin=1.0, weight_decay=0.01, tol=1e-9) -> Solution:
    """The minimiser of ``weight_decay/2 ||w||^2 + mean loss(y (X w + b))``, certified.

    Newton's method on theta = (w, b): the direction solves ``(H + nu I) p = -g``, damped
    Levenberg-Marquardt style (nu shrinks after a full step, grows after a short one, and keeps
    p defined where H is singular, as in b when no point is on the loss's curved part), and a line
    search along p (:func:`line_search`) takes a step that never raises the objective. The hinge
    has no curvature: it is replaced by the hinge smoothed with s = mu (quadratic within mu of
    the kink; ``hinge - mu/2 <= smoothed <= hinge``), mu = Delta, Delta/10, ..., each level
    warm-started from the last and left once the smoothing holds most of the gap open. A setting
    stops once its duality gap is at most ``tol * J`` (or 1e-14 of J at (0, 0), float64's
    resolution), with the loss's slopes as pulls, and for the hinge also :func:`margin_pulls` of
    the points within mu of the margin: J is then certified within that of the optimum.

    Args: as :func:`~hingelib.fit_linear` (``margin``, ``weight_decay``: numbers or paired 1-D
        tensors; weight_decay > 0); loss: 'hinge', 'squared_hinge', 'logistic' or
        'modified_huber'; tol: the relative duality gap to reach.
    Returns: a :class:`Solution` in float64.

    >>> from hingelib import overlapping_blobs
    >>> fit = solve_linear(*overlapping_blobs(200), weight_decay=0.01)
    >>> round(fit.objective.item(), 4), bool(fit.gap <= 1e-9 * fit.objective)
    (0.3394, True)
    """
    Z, lam, delta, batched = problem(X, y, loss, margin, weight_decay)
    tol = check_number("tol", tol, positive=True)
    scale = torch.where(delta > 0, delta, 1.0)  # margins scale with Delta: so does mu
    theta, mu, nu = Z.new_zeros(len(lam), Z.shape[1]), FIRST_MU * scale, 1e-3 + 0 * lam
    floor = 1e-14 * primal(Z.new_zeros(len(lam), len(Z)), theta, lam, delta, loss)  # J(0, 0)
    objective, gap = torch.zeros_like(lam[:, 0]), torch.zeros_like(lam[:, 0])
    active, steps = torch.ones(len(lam), dtype=torch.bool), torch.zeros(len(lam), dtype=torch.long)
    for _ in range(MAX_STEPS):  # each step works on the settings not yet certified
        i = active.nonzero()[:, 0]
        if len(i) == 0:
            break
        objective[i], gap[i], *stepped = newton_step(
            theta[i], nu[i], Z, lam[i], delta[i], loss, mu[i]
        )
        active[i] = go = gap[i] > tol * objective[i] + floor[i]  # a certified setting stays put
        theta[i], mu[i], nu[i] = (
            torch.where(go[:, None], new, old)
            for new, old in zip(stepped, (theta[i], mu[i], nu[i]))
        )
        mu[i] = torch.maximum(mu[i], MIN_MU * scale[i])
        steps[i] += go
    if active.any():
        i = active.nonzero()[:, 0]
        objective[i], gap[i] = certify(theta[i], Z, lam[i], delta[i], loss, mu[i])[:2]
        warnings.warn(
            f"solve_linear: {int(active.sum())} of {len(lam)} settings reached only a duality "
            f"gap of {float(gap.max()):.1e} in {MAX_STEPS} steps (tol={tol}); their .gap says "
            "how far from the optimum they may be",
            RuntimeWarning,
            stacklevel=2,
        )
    solution = Solution(theta[:, :-1], theta[:, -1], objective, gap, steps, *lam.T, *delta.T, loss)
    return solution if batched else solution[0]


def certify(theta, Z, lam, delta, loss, mu):
    """J, the duality gap at theta, the slopes' gap, and the smoothed loss, pulls, curvature."""
    m = theta @ Z.T
    value, u, curvature = smoothed(m, delta, loss, mu)
    objective, lower = primal(m, theta, lam, delta, loss), dual(u, Z, lam, delta, loss)
    slope_gap = objective - lower
    if loss == "hinge":
        pulls = margin_pulls(delta - m, (delta - m).abs() < mu, theta, Z, lam)
        lower = torch.maximum(lower, dual(pulls, Z, lam, delta, loss))
    return objective, objective - lower, slope_gap, value, u, curvature


def newton_step(theta, nu, Z, lam, delta, loss, mu):
    """J and the gap at theta, then one damped Newton step: the new theta, mu and nu."""
    objective, gap, slope_gap, value, u, curvature = certify(theta, Z, lam, delta, loss, mu)
    (n, k), penalised = Z.shape, torch.cat([torch.ones(Z.shape[1] - 1), torch.zeros(1)])
    g = lam * penalised * theta - u @ Z / n  # the bias is not penalised
    H = torch.diag_embed(lam * penalised) + torch.einsum("bn,ni,nj->bij", curvature, Z, Z) / n
    damping = torch.maximum(nu, 1e-13 * H.diagonal(dim1=1, dim2=2).amax(1, keepdim=True))
    p = -torch.linalg.solve(H + damping[:, :, None] * torch.eye(k), g)
    t = line_search(theta, p, Z, lam, delta, loss, mu)
    nu = torch.where(t > 0.5, nu / 10, torch.where(t < 0.1, nu * 10, nu)).clamp(1e-12, 1e12)
    if loss == "hinge":  # smooth less once the smoothing holds most of the slopes' gap open,
        # or once Newton can lower the smoothed objective no further in float64
        smooth = lam[:, 0] / 2 * (theta[:, :-1] ** 2).sum(1) + value.mean(1)
        level_gap = smooth - dual(u, Z, lam, delta, loss, s=mu)
        leave = (level_gap <= slope_gap / 2) | (-(g * p).sum(1) <= 1e-14 * objective)
        mu = torch.where(leave[:, None], mu / 10, mu)
    return objective, gap, theta + t * p, mu, nu


def duality_gap(X, y, weight, bias, *, loss="hinge", margin=1.0, weight_decay=0.01):
    """An upper bound on ``J(w, b) - min J`` for any (w, b), such as a training run's iterate.

    ``gap = J(w, b) - D(u)`` (the module docstring) with each point's pull at (w, b):
    ``u_i = -loss'(m_i)``, the loss's slope (the logistic: ``sigmoid(-m_i)``; the squared hinge:
    ``2 max(0, Delta - m_i)``). The hinge's slope jumps from 1 to 0 at m = Delta, and at the
    optimum the points on the margin have pulls in between; so for the hinge the smallest gap
    over these pulls is returned: the smoothed slope ``clamp((Delta - m_i) / mu, 0, 1)`` for each
    mu in ``WIDTHS`` and 0, and :func:`margin_pulls` with the points within each of ``WIDTHS`` of
    the margin. Every candidate u is feasible, so each gap is an upper bound. So is the
    zero-pull candidate u = 0, with D(0) = 0 (every loss is at least 0, so min J >= 0): the gap
    returned is the smaller of the best candidate's and J itself, never more than J. The gap is
    never negative (weak duality, up to rounding) and goes to 0 at the optimum.

    Args: X (n, d), y (n,) in {-1, +1}; weight (d,) or (B, d); bias a number, () or (B,); loss,
        margin, weight_decay as in :func:`solve_linear` (numbers or (B,) tensors).
    Returns: a 0-d tensor, or (B,) for batched input, in float64.

    The stopping rule of a training run, one gap per epoch:

    >>> from hingelib import fit_linear, overlapping_blobs
    >>> X, y = overlapping_blobs(200)
    >>> run = fit_linear(X, y, weight_decay=0.01, epochs=500)
    >>> gaps = duality_gap(X, y, run.weight, run.bias, weight_decay=0.01)
    >>> [f"{gap:.1e}" for gap in gaps[[0, 50, 500]].tolist()]
    ['9.9e-01', '1.8e-02', '7.1e-07']
    """
    Z, lam, delta, batched = problem(X, y, loss, margin, weight_decay)
    weight = check_tensor("weight", weight, dtype="torch.float64").detach().double()
    bias = torch.as_tensor(bias, dtype=torch.float64).detach()
    if weight.ndim not in (1, 2) or weight.shape[-1] != Z.shape[1] - 1 or bias.ndim > 1:
        raise ValueError(
            f"weight must have shape (d,) or (B, d) with d = {Z.shape[1] - 1} features and bias "
            f"shape () or (B,), got {tuple(weight.shape)} and {tuple(bias.shape)}"
        )
    shape = torch.broadcast_shapes(weight.shape[:-1], bias.shape, lam.shape[:1])
    theta = torch.cat([weight.expand(*shape, -1), bias.expand(shape)[:, None]], 1)
    lam, delta, m = lam.expand(*shape, 1), delta.expand(*shape, 1), theta @ Z.T
    z = delta - m
    if loss == "logistic":
        candidates = [torch.sigmoid(-m)]
    elif loss == "hinge":
        candidates = [(z > 0).to(z.dtype)] + [torch.clamp(z / mu, 0, 1) for mu in WIDTHS]
        candidates += [margin_pulls(z, z.abs() <= eps, theta, Z, lam) for eps in WIDTHS]
    else:
        candidates = [torch.clamp(z / HUBER_FORM[loss][0], 0, HUBER_FORM[loss][1])]
    lower = torch.stack([dual(u, Z, lam, delta, loss) for u in candidates]).max(0).values
    objective = primal(m, theta, lam, delta, loss)
    gap = torch.minimum(objective - lower, objective)  # u = 0: D(0) = 0, so gap <= J always
    return gap if batched or weight.ndim == 2 or bias.ndim == 1 else gap[0]
