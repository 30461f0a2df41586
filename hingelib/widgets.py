"""Live explorers: move the margin Delta and the weight decay lambda and watch the classifier move.

``decision_boundary_explorer()`` solves the whole grid of (Delta, lambda) pairs exactly for the
chosen loss and data set, in one batched :func:`~hingelib.solve_linear` (each fit certified by
its duality gap), so that the Delta and lambda sliders only look a fit up and redraw it with
:func:`~hingelib.plot_explorer_frame`: every frame is the optimum of its objective, not where a
training run stopped (``training_animation()``, :mod:`hingelib.animation`, plays training back).
Clicking on the left panel adds a point of the chosen class and solves the grid again.

Both show their figure through ipympl's canvas when they run in a live kernel with ipympl
installed (clicks need it), and as a PNG image anywhere else; matplotlib's global backend is left
alone, so no ``%matplotlib`` line is needed. On Colab, ipympl needs
``google.colab.output.enable_custom_widget_manager()`` first.
"""

from __future__ import annotations

from functools import partial
from itertools import product

import ipywidgets as widgets
import torch
from matplotlib.backend_bases import MouseButton

from ._checks import check_choice, check_int
from ._live import DATASET_CHOICES, LiveFigure, choice, load_dataset, one_thread
from .animation import TrainingAnimation, training_animation
from .plot import LOSS_LABELS, gap_text, margin_numbers, plot_explorer_frame
from .solve import solve_linear

__all__ = [
    "decision_boundary_explorer",
    "training_animation",
    "DecisionBoundaryExplorer",
    "TrainingAnimation",
]

#: The grid the explorer solves in one batched run; its sliders step through these values.
EXPLORER_LOSSES = ("hinge", "squared_hinge", "logistic")
EXPLORER_MARGINS = (0.25, 0.5, 1.0, 1.5, 2.0)
EXPLORER_WEIGHT_DECAYS = tuple(10 ** (k / 4) for k in range(-12, 1))  # 1e-3 ... 1, 4 a decade
#: Every (Delta, lambda) pair of the grid, Delta-major, and the index of each pair in it.
GRID = torch.cartesian_prod(
    torch.tensor(EXPLORER_MARGINS, dtype=torch.float64),
    torch.tensor(EXPLORER_WEIGHT_DECAYS, dtype=torch.float64),
)
GRID_INDEX = {pair: i for i, pair in enumerate(product(EXPLORER_MARGINS, EXPLORER_WEIGHT_DECAYS))}


class DecisionBoundaryExplorer(widgets.VBox):
    """The explorer's widget. ``controls`` by name, ``figure``, ``status`` (a label), the data
    ``X``, ``y``, the solved ``grid`` (a batched :class:`~hingelib.Solution`, one fit per pair of
    ``GRID``) and, for the fit on show, ``weight``, ``bias`` and ``stats`` (margin width, support
    vectors, margin violators, accuracy, duality gap)."""

    def __init__(self, *, dataset, n, seed, loss, margin, weight_decay, canvas):
        super().__init__()
        check_choice("loss", loss, EXPLORER_LOSSES)
        self.n, self.seed = check_int("n", n, minimum=2), seed
        self.live = LiveFigure(2, canvas=canvas)
        self.figure = self.live.figure
        slider = partial(choice, widgets.SelectionSlider, layout={"width": "380px"})
        lambdas = {f"{v:.2g}": v for v in EXPLORER_WEIGHT_DECAYS}
        c = self.controls = {
            "loss": choice(
                widgets.ToggleButtons, "loss", loss, _named(EXPLORER_LOSSES, LOSS_LABELS), "loss"
            ),
            "dataset": choice(widgets.Dropdown, "dataset", dataset, DATASET_CHOICES, "data"),
            "margin": slider("margin", margin, _named(EXPLORER_MARGINS), "margin Δ"),
            "weight_decay": slider("weight_decay", weight_decay, lambdas, "weight decay λ"),
            "add_class": choice(
                widgets.ToggleButtons, "add_class", 1.0, {"+1": 1.0, "-1": -1.0}, "a click adds"
            ),
            "reset": widgets.Button(description="remove added points", layout={"width": "auto"}),
        }
        self.status = widgets.Label()
        rows = [("loss", "dataset"), ("margin", "weight_decay"), ("add_class", "reset")]
        rows = [widgets.HBox([c[name] for name in row]) for row in rows]
        rows[-1].children += (self.status,)
        self.children = [*rows, self.live.widget]
        actions = {"margin": self.show, "weight_decay": self.show, "dataset": self.reset}
        for name in ("margin", "weight_decay", "loss", "dataset"):
            action = actions.get(name, self.solve)
            c[name].observe(lambda change, action=action: action(), names="value")
        c["reset"].on_click(lambda button: self.reset())
        self.figure.canvas.mpl_connect("button_press_event", self.on_click)
        self.reset()

    def reset(self) -> None:
        """Load the chosen data set afresh (dropping clicked points), solve and redraw."""
        self.X, self.y = load_dataset(self.controls["dataset"].value, self.n, self.seed)
        self.solve()

    @one_thread()
    def solve(self) -> None:
        """Solve the whole (Delta, lambda) grid in one batched run, then show the sliders' pair."""
        self.status.value = "solving ..."
        self.grid = solve_linear(
            self.X,
            self.y,
            loss=self.controls["loss"].value,
            margin=GRID[:, 0],
            weight_decay=GRID[:, 1],
        )
        self.show()

    @one_thread()
    def show(self) -> None:
        """Look up the fit for the sliders' (Delta, lambda) and redraw it."""
        loss, margin, lam = (self.controls[k].value for k in ("loss", "margin", "weight_decay"))
        fit = self.grid[GRID_INDEX[margin, lam]]
        self.weight, self.bias = fit.weight, fit.bias
        numbers = margin_numbers(self.X, self.y, fit.weight, fit.bias, margin=margin, loss=loss)
        self.stats = {**numbers, "gap": float(fit.gap)}
        self.status.value = (
            f"{len(GRID)} (Δ, λ) pairs solved exactly on {len(self.y)} points; every duality "
            f"gap {gap_text(self.grid.gap.max())}"
        )
        self.live.show(
            lambda axes: plot_explorer_frame(
                axes, self.X, self.y, fit.weight, fit.bias, loss=loss, margin=margin, gap=fit.gap
            )
        )

    def on_click(self, event) -> None:
        """A left click on the data panel adds a point of the chosen class there and solves."""
        zooming = getattr(getattr(self.figure.canvas, "toolbar", None), "mode", "")
        if event.inaxes is not self.live.axes[0] or event.button != MouseButton.LEFT or zooming:
            return
        self.X = torch.cat([self.X, self.X.new_tensor([[event.xdata, event.ydata]])])
        self.y = torch.cat([self.y, self.y.new_tensor([self.controls["add_class"].value])])
        self.solve()

    def __repr__(self) -> str:  # short and stable, for notebooks whose outputs are compared
        values = ", ".join(f"{k}={w.value!r}" for k, w in self.controls.items() if k != "reset")
        return f"DecisionBoundaryExplorer({values})"


def decision_boundary_explorer(
    *,
    dataset="separable",
    n=200,
    seed=0,
    loss="hinge",
    margin=1.0,
    weight_decay=0.01,
    canvas="auto",
) -> DecisionBoundaryExplorer:
    """Sliders for the margin Delta and the weight decay lambda over a solved grid of linear fits.

    Each fit is the exact minimiser of ``lambda/2 ||w||^2 + mean loss(y f(x))`` at its pair
    (:func:`~hingelib.solve_linear`), and the frame gives its duality gap.

    Args:
        dataset: 'separable', 'overlapping' or 'outliers' (:mod:`hingelib.data`), ``n`` points
            drawn with ``seed``.
        loss: 'hinge', 'squared_hinge' or 'logistic'. margin, weight_decay: where the sliders
            start, each one of their values (``EXPLORER_MARGINS``, ``EXPLORER_WEIGHT_DECAYS``).
        canvas: 'auto', 'ipympl' or 'image' (see the module docstring).
    Returns:
        A :class:`DecisionBoundaryExplorer` (an ``ipywidgets.VBox``): display it.
    """
    return DecisionBoundaryExplorer(
        dataset=dataset,
        n=n,
        seed=seed,
        loss=loss,
        margin=margin,
        weight_decay=weight_decay,
        canvas=canvas,
    )


def _named(values, labels=None) -> dict:
    """``{label: value}`` for a selection widget, labelled by ``labels`` or as numbers."""
    return {(labels[v] if labels else f"{v:g}"): v for v in values}
