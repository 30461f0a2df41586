"""Plot helpers: each takes a matplotlib ``ax``, draws on it and returns it (callers compose)."""

from __future__ import annotations

import math

import numpy as np
import torch

from .geometry import functional_margins, margin_width, support_vectors
from .losses import loss_of_margin

__all__ = [
    "plot_decision_boundary",
    "plot_decision_regions",
    "plot_losses",
    "plot_margins_on_loss",
    "plot_explorer_frame",
    "plot_training_frame",
    "LOSS_LABELS",
    "LOSS_COLOURS",
    "LOSS_LINESTYLES",
    "CLASS_COLOURS",
]

#: Line labels as the book writes them.
LOSS_LABELS = {
    "zero_one": "0-1",
    "hinge": "hinge",
    "squared_hinge": "squared hinge",
    "logistic": "logistic",
    "perceptron": "perceptron",
    "modified_huber": "modified Huber",
}
#: Okabe-Ito colours (colour-blind safe): class k is CLASS_COLOURS[k]; label +1 is [0], -1 is [1].
CLASS_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
#: One colour per loss across the book, from Okabe-Ito but never the two class colours (blue and
#: vermillion), so a loss curve cannot be read as a class; grey for the sixth, which the palette
#: lacks once yellow (too pale on white) is left out.
LOSS_COLOURS = {
    "zero_one": "#000000",
    "hinge": "#009E73",
    "squared_hinge": "#CC79A7",
    "logistic": "#E69F00",
    "perceptron": "#56B4E9",
    "modified_huber": "#7F7F7F",
}
#: A line style per loss too, so the curves differ in print and without colour.
LOSS_LINESTYLES = {
    "zero_one": "-",
    "hinge": "-",
    "squared_hinge": "--",
    "logistic": "-.",
    "perceptron": ":",
    "modified_huber": (0, (6, 2, 1, 2)),
}


def plot_decision_boundary(ax, weight, bias, X, y, *, margin=1.0, loss="hinge", tol=1e-3, grid=200):
    """Draw the points, the boundary f(x) = 0, the margin lines f(x) = +-margin and its band,
    and ring the support vectors of ``loss`` (:func:`~hingelib.support_vectors`; for the hinge
    ``y f(x) <= margin (1 + tol)``; none for the logistic and perceptron losses). Returns ``ax``.
    """
    X, y = torch.as_tensor(X).detach().double(), torch.as_tensor(y).detach()
    weight, bias = torch.as_tensor(weight).detach().double(), float(bias)
    for label, marker, colour in ((1, "o", CLASS_COLOURS[0]), (-1, "s", CLASS_COLOURS[1])):
        x1, x2 = X[y == label].numpy().T
        ax.scatter(x1, x2, s=22, c=colour, marker=marker, label=f"y = {label:+d}", zorder=3)
    g1, g2 = _plane(ax, X, grid)
    if torch.linalg.vector_norm(weight) > 0:
        f = weight[0].item() * g1 + weight[1].item() * g2 + bias
        ax.contourf(g1, g2, f, levels=[-margin, margin], colors=["0.85"], alpha=0.6, zorder=1)
        styles = {"colors": "k", "linestyles": ["--", "-", "--"], "linewidths": [1, 1.8, 1]}
        ax.contour(g1, g2, f, levels=[-margin, 0.0, margin], zorder=2, **styles)
        if loss not in _WITH_SUPPORT_VECTORS:
            return _label_plane(ax)
        ring = support_vectors(weight, bias, X, y, margin=margin, loss=loss, tol=tol).numpy()
        x1, x2 = X.numpy()[ring].T
        ax.scatter(
            x1,
            x2,
            s=110,
            facecolors="none",
            edgecolors="k",
            linewidths=1.2,
            label="support vectors",
            zorder=4,
        )
    return _label_plane(ax)


def plot_decision_regions(ax, weight, bias, X, y, *, grid=300):
    """Shade the region where each class scores highest (``argmax_k w_k^T x + b_k``) and draw
    the points coloured by class; ``weight`` is (K, d), ``bias`` (K,). Returns ``ax``.
    """
    X, y = torch.as_tensor(X).detach().double(), torch.as_tensor(y).detach()
    weight = torch.as_tensor(weight).detach().double()
    bias = torch.as_tensor(bias).detach().double()
    k = weight.shape[0]
    g1, g2 = _plane(ax, X, grid)
    plane = torch.from_numpy(np.stack([g1.ravel(), g2.ravel()], axis=1))
    winner = (plane @ weight.T + bias).argmax(dim=1).reshape(g1.shape).numpy()
    colours = CLASS_COLOURS[:k]
    ax.contourf(g1, g2, winner, levels=np.arange(k + 1) - 0.5, colors=colours, alpha=0.18)
    ax.contour(g1, g2, winner, levels=np.arange(k) + 0.5, colors="k", linewidths=1)
    for c in range(k):
        x1, x2 = X[y == c].numpy().T
        ax.scatter(x1, x2, s=22, c=colours[c], label=f"class {c}", zorder=3)
    return _label_plane(ax)


def _plane(ax, X, grid):
    """Set the limits to the data plus a border and return a (grid, grid) mesh over them."""
    low, high = (X.min(dim=0).values - 0.5).tolist(), (X.max(dim=0).values + 0.5).tolist()
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    return np.meshgrid(np.linspace(low[0], high[0], grid), np.linspace(low[1], high[1], grid))


def _label_plane(ax):
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal", adjustable="box")
    return ax


DEFAULT_LOSSES = ("zero_one", "hinge", "squared_hinge", "logistic")


def plot_losses(ax, *, margin=1.0, losses=DEFAULT_LOSSES, m_range=(-2.0, 3.0)):
    """Draw each loss against the margin ``m = y f(x)`` over ``m_range``. Returns ``ax``.

    The 0-1 loss is drawn as a step with its jump at m = 0; the hinge's kink sits at m = margin.
    """
    m = torch.linspace(*m_range, 1001, dtype=torch.float64)
    for name in losses:
        values = loss_of_margin(name, m, margin=margin).numpy()
        style = {"drawstyle": "steps-post"} if name == "zero_one" else {}
        style.update(color=LOSS_COLOURS[name], linestyle=LOSS_LINESTYLES[name])
        ax.plot(m.numpy(), values, label=LOSS_LABELS[name], linewidth=2, **style)
    ax.axvline(margin, color="0.6", linestyle=":", linewidth=1)
    ax.set_xlabel("margin $m = y\\,f(x)$")
    ax.set_ylabel("loss")
    ax.set_xlim(*m_range)
    ax.set_ylim(-0.1, margin - m_range[0] + 1.0)  # room for the hinge; squared hinge runs off
    ax.legend(frameon=False)
    return ax


def plot_margins_on_loss(ax, margins, y=None, *, loss="hinge", margin=1.0, m_range=None):
    """Draw ``loss(m)`` against the margin m and mark each point's margin ``m_i = y_i f(x_i)`` on
    the curve, coloured by class when the labels ``y`` are given. Returns ``ax``.

    ``m_range`` defaults to a round range (ends such as +-2, 3, 4, 5, 6, 8, 10, 15) that holds
    every margin and [-1.5, margin + 1.5]: it changes rarely as the margins move.
    """
    margins = torch.as_tensor(margins).detach().double().reshape(-1)
    m_range = _round_range(margins, margin) if m_range is None else m_range
    m = torch.linspace(*m_range, 501, dtype=torch.float64)
    curve = loss_of_margin(loss, m, margin=margin)
    style = {"color": LOSS_COLOURS[loss], "linestyle": LOSS_LINESTYLES[loss], "linewidth": 1.5}
    ax.plot(m.numpy(), curve.numpy(), label=LOSS_LABELS[loss], zorder=2, **style)
    values = loss_of_margin(loss, margins, margin=margin).numpy()
    labels = None if y is None else torch.as_tensor(y).detach().reshape(-1)
    for label, marker, colour, name in _CLASS_STYLES if y is not None else _NO_CLASS_STYLE:
        keep = slice(None) if label is None else (labels == label).numpy()
        style = {"s": 28, "edgecolors": "white", "linewidths": 0.5, "alpha": 0.75, "zorder": 3}
        ax.scatter(
            margins.numpy()[keep], values[keep], marker=marker, c=colour, label=name, **style
        )
    ax.axvline(margin, color="0.6", linestyle=":", linewidth=1, label="$m = \\Delta$")
    top = _round_up(max(0.98 * curve.max().item(), 1.0))  # a round top changes rarely too
    ax.set(
        xlim=m_range, ylim=(-0.05 * top, 1.05 * top), xlabel="margin $m = y\\,f(x)$", ylabel="loss"
    )
    ax.legend(frameon=False, loc="upper right")
    return ax


def plot_explorer_frame(
    axes, X, y, weight, bias, *, loss="hinge", margin=1.0, m_range=None, gap=None
):
    """``axes = (ax_plane, ax_loss)``. Left: :func:`plot_decision_boundary`, titled with the margin
    width ``2 Delta / ||w||``, the duality ``gap`` if given (it certifies how close the fit is to
    the optimum: :func:`~hingelib.duality_gap`) and the counts of :func:`margin_numbers`: support
    vectors and margin violators for the hinge, support vectors (``m < Delta``) for the squared
    hinge, the points with ``m < Delta`` for the logistic loss (it has no support vectors); right:
    :func:`plot_margins_on_loss` (over ``m_range`` if given). Returns ``axes``.
    """
    ax_plane, ax_loss = axes
    X, y = torch.as_tensor(X).detach().double(), torch.as_tensor(y).detach()
    weight = torch.as_tensor(weight).detach().double()
    plot_decision_boundary(ax_plane, weight, bias, X, y, margin=margin, loss=loss, grid=_EXACT_GRID)
    numbers = margin_numbers(X, y, weight, bias, margin=margin, loss=loss)
    width = f"margin width $2\\Delta/\\|w\\|$ = {numbers['margin_width']:.2f}"
    if gap is not None:
        width += f", duality gap {gap_text(gap)}"
    sv, inside = numbers["support_vectors"], numbers["violators"]
    counts = {
        "hinge": f"{_count(sv, 'support vector')} ($m \\leq \\Delta$), "
        f"{_count(inside, 'margin violator')}",
        "squared_hinge": f"{_count(sv, 'support vector')} ($m < \\Delta$)",
        "logistic": f"{_count(inside, 'point')} with $m < \\Delta$ (no support vectors)",
    }
    shown = loss if loss in counts else ("logistic" if sv is None else "squared_hinge")
    ax_plane.set_title(f"{width}\n{counts[shown]}", fontsize="medium")
    m = functional_margins(weight, bias, X, y)
    plot_margins_on_loss(ax_loss, m, y, loss=loss, margin=margin, m_range=m_range)
    ax_loss.set_title(f"{LOSS_LABELS[loss]} loss at each point's margin", fontsize="medium")
    return axes


def _count(number, noun) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def gap_text(gap) -> str:
    """ "≤ 3e-10" for a duality gap of 2.7e-10 (rounded up: it is a bound); '< 1e-15' for a gap
    that rounding leaves at or a hair below 0."""
    gap = float(gap)
    if gap < 1e-15:
        return "< 1e-15"
    exponent = math.floor(math.log10(gap))
    digit = math.ceil(gap / 10**exponent - 1e-9)  # 1 ... 10
    exponent, digit = (exponent + 1, 1) if digit == 10 else (exponent, digit)
    return f"≤ {digit}e{exponent:+03d}"


def plot_training_frame(axes, X, y, histories, epoch, *, margin=1.0):
    """One ax per :class:`~hingelib.History` in ``histories`` (e.g. hinge and logistic fits of the
    same data): each shows the boundary and band at row ``epoch`` of its history, titled with the
    loss, the epoch and the active-sample count ``History.violators`` (``m < Delta``; the logistic
    loss's gradient is never 0, so its title says that every point has one). Returns axes.
    """
    for ax, history in zip(axes, histories):
        weight, bias = history.weight[epoch], history.bias[epoch]
        plot_decision_boundary(
            ax, weight, bias, X, y, margin=margin, loss=history.loss_name, grid=_EXACT_GRID
        )
        active = int(history.violators[epoch])
        count = f"{active} active ($m < \\Delta$)"
        if history.loss_name == "logistic":  # its gradient is never 0: every point pulls
            count = f"{active} with $m < \\Delta$; all {len(y)} have a gradient"
        ax.set_title(f"{LOSS_LABELS[history.loss_name]}, epoch {epoch}\n{count}", fontsize="medium")
    return axes


def margin_numbers(X, y, weight, bias, *, margin=1.0, loss="hinge", tol=1e-3) -> dict:
    """What :func:`plot_explorer_frame` reports: the margin width, the number of support vectors
    (:func:`~hingelib.support_vectors`; None for the logistic and perceptron losses) and
    of margin violators (``m < margin``; for the hinge ``m < margin (1 - tol)``: at its optimum
    many points sit on the margin, a rounding error either side of it), and the accuracy."""
    X, y = torch.as_tensor(X).detach().double(), torch.as_tensor(y).detach()
    weight = torch.as_tensor(weight).detach().double()
    m, counted = functional_margins(weight, bias, X, y), loss in _WITH_SUPPORT_VECTORS
    ring = (
        support_vectors(weight, bias, X, y, margin=margin, loss=loss, tol=tol) if counted else None
    )
    inside = margin * (1 - tol) if loss == "hinge" else margin
    return {
        "margin_width": margin_width(weight, margin=margin),
        "support_vectors": int(ring.sum()) if counted else None,
        "violators": int((m < inside).sum()),
        "accuracy": float((m > 0).double().mean()),
    }


def _round_range(margins, margin):
    """(-a, b) with a, b the first round numbers (2, 3, 4, 5, 6, 8, 10, ...) past the margins."""
    margins = margins[torch.isfinite(margins)]
    low = max(1.5, -margins.min().item() if len(margins) else 0.0) + 0.25
    high = max(margin + 1.5, margins.max().item() if len(margins) else 0.0) + 0.25
    return -_round_up(low), _round_up(high)


def _round_up(x):
    step = 10 ** math.floor(math.log10(x))
    return next(k * step for k in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if k * step >= x)


#: The score is linear, so contour lines on a coarse grid are already exact: a small grid is fast.
_EXACT_GRID = 3
#: The losses whose support vectors :func:`~hingelib.support_vectors` can mark.
_WITH_SUPPORT_VECTORS = ("hinge", "squared_hinge", "modified_huber")
_CLASS_STYLES = ((1, "o", CLASS_COLOURS[0], "y = +1"), (-1, "s", CLASS_COLOURS[1], "y = -1"))
_NO_CLASS_STYLE = ((None, "o", "0.4", "samples"),)
