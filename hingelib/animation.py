"""Training played back: the boundary and margin band of several losses, epoch by epoch.

``training_animation()`` fits each loss once on the same data with :func:`~hingelib.fit_linear`
(which keeps every epoch's weights) and shows epoch ``t`` of each fit side by side with
:func:`~hingelib.plot_training_frame`; a play button and a slider step through the epochs.
"""

from __future__ import annotations

import ipywidgets as widgets

from ._checks import check_choice, check_int
from ._live import DATASET_CHOICES, LiveFigure, choice, load_dataset, one_thread
from .plot import plot_training_frame
from .train import TRAINABLE_LOSSES, fit_linear

__all__ = ["training_animation", "TrainingAnimation"]


class TrainingAnimation(widgets.VBox):
    """The animation's widget: ``controls`` ('epoch', 'play', 'dataset'), ``figure``,
    ``histories`` (one :class:`~hingelib.History` per loss) and ``stats`` of the epoch on show."""

    def __init__(self, *, dataset, n, seed, losses, margin, weight_decay, lr, epochs, canvas):
        super().__init__()
        self.losses = tuple(check_choice("loss", loss, TRAINABLE_LOSSES) for loss in losses)
        self.n, self.seed, self.margin = check_int("n", n, minimum=2), seed, margin
        self.settings = {"margin": margin, "weight_decay": weight_decay, "lr": lr, "epochs": epochs}
        self.live = LiveFigure(len(self.losses), canvas=canvas)
        self.figure = self.live.figure
        steps = {"min": 0, "max": check_int("epochs", epochs, minimum=1), "value": 0}
        self.controls = {
            "play": widgets.Play(interval=60, step=1, **steps),  # a frame every 60 ms
            "epoch": widgets.IntSlider(description="epoch", continuous_update=True, **steps),
            "dataset": choice(widgets.Dropdown, "dataset", dataset, DATASET_CHOICES, "data"),
        }
        c = self.controls
        widgets.link((c["play"], "value"), (c["epoch"], "value"))
        c["epoch"].observe(lambda change: self.show(), names="value")
        c["dataset"].observe(lambda change: self.retrain(), names="value")
        self.children = [widgets.HBox([c["play"], c["epoch"], c["dataset"]]), self.live.widget]
        self.retrain()

    @one_thread()
    def retrain(self) -> None:
        """Fit every loss on the chosen data set, keeping every epoch, and show the epoch chosen."""
        self.X, self.y = load_dataset(self.controls["dataset"].value, self.n, self.seed)
        self.histories = [
            fit_linear(self.X, self.y, loss=loss, **self.settings) for loss in self.losses
        ]
        self.show()

    @one_thread()
    def show(self) -> None:
        """Draw epoch ``controls['epoch'].value`` of every fit."""
        epoch = self.controls["epoch"].value
        self.stats = {"epoch": epoch, "active": [int(h.violators[epoch]) for h in self.histories]}
        self.live.show(
            lambda axes: plot_training_frame(
                axes, self.X, self.y, self.histories, epoch, margin=self.margin
            )
        )

    def __repr__(self) -> str:  # short and stable, for notebooks whose outputs are compared
        return (
            f"TrainingAnimation(losses={self.losses}, dataset={self.controls['dataset'].value!r})"
        )


def training_animation(
    *,
    dataset="separable",
    n=200,
    seed=0,
    losses=("hinge", "logistic"),
    margin=1.0,
    weight_decay=0.01,
    lr=0.1,
    epochs=200,
    canvas="auto",
) -> TrainingAnimation:
    """Play the training of each of ``losses`` on the same data, side by side, epoch by epoch.

    Args:
        dataset: 'separable', 'overlapping' or 'outliers'; n, seed: its size and seed.
        losses: the losses to compare (each one of :func:`~hingelib.fit_linear`'s).
        margin, weight_decay, lr, epochs: :func:`~hingelib.fit_linear`'s settings, shared.
        canvas: 'auto', 'ipympl' or 'image' (see :mod:`hingelib.widgets`).
    Returns:
        A :class:`TrainingAnimation` (an ``ipywidgets.VBox``): display it and press play.
    """
    return TrainingAnimation(
        dataset=dataset,
        n=n,
        seed=seed,
        losses=losses,
        margin=margin,
        weight_decay=weight_decay,
        lr=lr,
        epochs=epochs,
        canvas=canvas,
    )
