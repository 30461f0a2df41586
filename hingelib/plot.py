"""Plot helpers: each takes a matplotlib ``ax``, draws on it and returns it (callers compose)."""

from __future__ import annotations

import numpy as np
import torch

from .geometry import support_vectors
from .losses import loss_of_margin

__all__ = [
    "plot_decision_boundary",
    "plot_decision_regions",
    "plot_losses",
    "LOSS_LABELS",
    "CLASS_COLOURS",
]

#: Line labels as the book writes them.
LOSS_LABELS = {
    "zero_one": "0-1",
    "hinge": "hinge",
    "squared_hinge": "squared hinge",
    "logistic": "logistic",
    "perceptron": "perceptron",
}
#: Okabe-Ito colours (colour-blind safe): class k is CLASS_COLOURS[k]; label +1 is [0], -1 is [1].
CLASS_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def plot_decision_boundary(ax, weight, bias, X, y, *, margin=1.0, tol=1e-3, grid=200):
    """Draw the points, the boundary f(x) = 0, the margin lines f(x) = +-margin and its band,
    and ring the support vectors (``y f(x) <= margin + tol``). Returns ``ax``.
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
        ring = support_vectors(weight, bias, X, y, margin=margin, tol=tol).numpy()
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
        style = {"drawstyle": "steps-post", "color": "k"} if name == "zero_one" else {}
        ax.plot(m.numpy(), values, label=LOSS_LABELS[name], linewidth=2, **style)
    ax.axvline(margin, color="0.6", linestyle=":", linewidth=1)
    ax.set_xlabel("margin $m = y\\,f(x)$")
    ax.set_ylabel("loss")
    ax.set_xlim(*m_range)
    ax.set_ylim(-0.1, margin - m_range[0] + 1.0)  # room for the hinge; squared hinge runs off
    ax.legend(frameon=False)
    return ax
