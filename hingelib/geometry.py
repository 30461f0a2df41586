"""Margins of a linear classifier ``f(x) = w^T x + b``: the quantities the chapters plot.

functional margin  m_i = y_i f(x_i)
geometric margin   m_i / ||w||      (signed distance of x_i to the boundary f(x) = 0)
margin width       2 * margin / ||w||   (distance between f(x) = -margin and f(x) = +margin)
support vectors    the points with dual weight alpha_i > 0 at the optimum (chapter 1): for the
                   hinge among those with m_i <= margin, for the squared hinge those with
                   m_i < margin; under the logistic loss every point has alpha_i > 0
"""

from __future__ import annotations

import torch

from ._checks import check_choice, check_margin

__all__ = ["functional_margins", "geometric_margins", "margin_width", "support_vectors"]


def functional_margins(weight, bias, X, y) -> torch.Tensor:
    """``y * (X @ weight + bias)`` for one weight (d,) and bias: the margins m_i, shape (n,)."""
    weight = torch.as_tensor(weight, dtype=X.dtype)
    return y.to(X.dtype) * (X @ weight + torch.as_tensor(bias, dtype=X.dtype))


def geometric_margins(weight, bias, X, y) -> torch.Tensor:
    """Signed distances ``y f(x) / ||w||`` of the points to the decision boundary."""
    norm = torch.linalg.vector_norm(torch.as_tensor(weight, dtype=X.dtype))
    if norm == 0:
        raise ValueError("weight is zero, so there is no decision boundary to measure from")
    return functional_margins(weight, bias, X, y) / norm


def margin_width(weight, *, margin=1.0) -> float:
    """Width ``2 * margin / ||w||`` of the band between the two margin lines (inf if w = 0)."""
    norm = float(torch.linalg.vector_norm(torch.as_tensor(weight, dtype=torch.float64)))
    return 2 * check_margin(margin) / norm if norm > 0 else float("inf")


def support_vectors(weight, bias, X, y, *, margin=1.0, loss="hinge", tol=1e-3) -> torch.Tensor:
    """Boolean mask (n,) of the support vectors of an optimum (w, b), as its margins show them.

    Hinge: the points with ``y f(x) <= margin * (1 + tol)``, on the margin or inside it. Those
    with ``m < margin`` have alpha_i = C; those on the margin any alpha_i in [0, C], so a margin
    point with alpha_i = 0 is returned too. The tolerance is relative to the margin, so fits at
    (Delta, lambda) and (c Delta, lambda / c), the same boundary, ring the same points. Squared
    hinge and modified Huber: the points with ``m < margin``, whose pull 2 (margin - m) > 0.
    The logistic loss has none to show (every point has alpha_i > 0): it raises.

    Meaningful at a converged fit (:func:`~hingelib.solve_linear`'s). Away from the optimum the
    mask only says which points meet their margin at most: a support vector whose margin has
    not yet come within the tolerance is missed, however the tolerance is chosen.
    """
    if loss == "logistic":
        raise ValueError(
            "the logistic loss has no support vectors to mark: at its optimum every point has a "
            "dual weight alpha_i > 0; count the points with m < margin instead"
        )
    check_choice("loss", loss, ("hinge", "squared_hinge", "modified_huber"))
    margin, m = check_margin(margin), functional_margins(weight, bias, X, y)
    return m <= margin * (1 + tol) if loss == "hinge" else m < margin
