"""hingelib: the companion library of the hinge-loss book.

Modules, one concern each:

- ``losses``: binary losses of the margin y f(x); ``multiclass``: Weston-Watkins, Crammer-Singer;
- ``modules``: nn.Module wrappers; ``data``: seeded 2-D toy sets;
- ``train`` and ``train_multiclass``: SVM-style linear training by full-batch subgradient descent;
- ``solve``: the exact minimiser of the same objective, and the duality gap of any fit;
- ``kernels``: the RBF kernel, random Fourier features and an SMO solver of the SVM's dual;
- ``hinge_family``: Carlini and Wagner's margin attack and the GAN losses (hinge and original);
- ``train_network``: mini-batch SGD of a network, or of many at once, with a ``DataLoader``;
- ``geometry``: margins and support vectors; ``plot``: matplotlib helpers that take and return an
  ``ax``; ``widgets`` and ``animation``: live explorers built from them; ``legibility``: how large
  a figure's text is on a phone; ``book``: ``glue`` and ``show_figure`` for the chapters.
"""

import importlib

from .book import glue, show_figure
from .data import (
    blobs_with_outliers,
    overlapping_blobs,
    ring_of_gaussians,
    three_class_blobs,
    two_blobs,
    two_moons,
)
from .geometry import functional_margins, geometric_margins, margin_width, support_vectors
from .hinge_family import (
    GAN_LOSSES,
    AttackResult,
    carlini_wagner_l2,
    cw_margin,
    gan_discriminator_loss,
    gan_generator_loss,
    linear_flip_distance,
)
from .kernels import DualSolution, random_fourier_features, rbf_kernel, solve_dual
from .legibility import MIN_TEXT_PX, PHONE_COLUMN_PX, saved_width_px, smallest_text_px
from .losses import (
    BINARY_LOSSES,
    hinge_loss,
    logistic_loss,
    loss_of_margin,
    modified_huber_loss,
    perceptron_loss,
    squared_hinge_loss,
    zero_one_loss,
)
from .modules import HingeLoss, MultiClassHingeLoss, SquaredHingeLoss
from .multiclass import MULTICLASS_VARIANTS, multiclass_hinge_loss
from .plot import (
    CLASS_COLOURS,
    LOSS_COLOURS,
    LOSS_LABELS,
    LOSS_LINESTYLES,
    plot_decision_boundary,
    plot_decision_regions,
    plot_explorer_frame,
    plot_losses,
    plot_margins_on_loss,
    plot_training_frame,
)
from .solve import SOLVABLE_LOSSES, Solution, duality_gap, solve_linear
from .train import SCHEDULES, History, fit_linear
from .train_multiclass import fit_linear_multiclass
from .train_network import NetworkHistory, fit_network

__version__ = "0.1.0"

#: The live explorers (``widgets``, ``animation``) load ipywidgets, IPython and matplotlib, which
#: nothing else needs: they are imported on first use, as ``hl.decision_boundary_explorer`` etc.
_LAZY = {
    "DecisionBoundaryExplorer": "widgets",
    "TrainingAnimation": "widgets",
    "decision_boundary_explorer": "widgets",
    "training_animation": "widgets",
    "widgets": None,
    "animation": None,
}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'hingelib' has no attribute {name!r}")
    module = importlib.import_module(f".{_LAZY[name] or name}", __name__)
    return module if _LAZY[name] is None else getattr(module, name)


__all__ = [
    "BINARY_LOSSES",
    "CLASS_COLOURS",
    "GAN_LOSSES",
    "LOSS_COLOURS",
    "LOSS_LABELS",
    "LOSS_LINESTYLES",
    "MIN_TEXT_PX",
    "MULTICLASS_VARIANTS",
    "PHONE_COLUMN_PX",
    "SCHEDULES",
    "SOLVABLE_LOSSES",
    "AttackResult",
    "DecisionBoundaryExplorer",
    "DualSolution",
    "HingeLoss",
    "History",
    "MultiClassHingeLoss",
    "NetworkHistory",
    "Solution",
    "SquaredHingeLoss",
    "TrainingAnimation",
    "blobs_with_outliers",
    "carlini_wagner_l2",
    "cw_margin",
    "decision_boundary_explorer",
    "duality_gap",
    "fit_linear",
    "fit_linear_multiclass",
    "fit_network",
    "functional_margins",
    "gan_discriminator_loss",
    "gan_generator_loss",
    "geometric_margins",
    "glue",
    "hinge_loss",
    "linear_flip_distance",
    "logistic_loss",
    "loss_of_margin",
    "margin_width",
    "modified_huber_loss",
    "multiclass_hinge_loss",
    "overlapping_blobs",
    "perceptron_loss",
    "plot_decision_boundary",
    "plot_decision_regions",
    "plot_explorer_frame",
    "plot_losses",
    "plot_margins_on_loss",
    "plot_training_frame",
    "random_fourier_features",
    "rbf_kernel",
    "ring_of_gaussians",
    "saved_width_px",
    "show_figure",
    "smallest_text_px",
    "solve_dual",
    "solve_linear",
    "squared_hinge_loss",
    "support_vectors",
    "three_class_blobs",
    "training_animation",
    "two_blobs",
    "two_moons",
    "zero_one_loss",
]
