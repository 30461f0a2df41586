"""The static twins of the book's live explorers: which exist, and how their frames are drawn.

A live ipywidgets explorer needs a Python kernel, which the published website does not have. Its
static twin is a set of frames precomputed at build time over a grid of the explorer's settings;
``static_twins.py`` (the Sphinx side) shows them with HTML sliders that swap the frames.

To give a chapter's explorer a twin, add an entry to ``TWINS`` below, made from the same keyword
arguments as the live call (``hl.decision_boundary_explorer(dataset="outliers")`` becomes
``DecisionBoundaryTwin.of("<title>", dataset="outliers")``), and tag the explorer's code cell
``twin-<entry name>``. The build checks that the cell's call and the entry agree, so the website
shows what a reader running the cell would see first.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import hingelib as hl
from hingelib import widgets as live
from hingelib._live import DATASETS, load_dataset, one_thread  # the explorers' own

#: Frame size: two panels stacked, 5 x 8.4 inches at 80 dpi, 400 x 672 pixels. A phone shrinks it
#: to its 342 px column and the 10 pt text to 9.5 CSS px (tests/test_static_twins.py measures it);
#: side by side, 800 px wide, the text shrank to under 5 px.
FIGSIZE, DPI = (5.0, 8.4), 80
#: Colours per PNG frame: a palette image is about a third of the size of a full-colour one.
PALETTE = 64
#: Frames of a training animation: epochs shown between 0 and the explorer's ``epochs``.
ANIMATION_FRAMES = 60
LIVE_NOTE = "Static version. Run it live on Binder or Colab: rocket button at the top of the page."


@dataclass(frozen=True)
class Control:
    """One setting the reader moves: a slider over ``values``, labelled ``label`` (plain text)."""

    name: str
    label: str
    values: tuple
    fmt: str = "{:g}"
    initial: int = 0

    def shown(self, value) -> str:
        return self.fmt.format(value)


class FrameWriter:
    """Draws a twin's frames into ``folder`` as palette PNGs, each figure outside pyplot (no
    global state, no backend switch). The first frame is laid out by matplotlib's constrained
    layout and the others reuse its axes positions: no jitter when frames swap, and a layout is
    the slowest part of a frame.
    """

    def __init__(self, folder: Path):
        self.folder, self.positions, self.figure = folder, None, None

    def axes(self, panels: int):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        layout = "constrained" if self.positions is None else None
        self.figure = Figure(figsize=FIGSIZE, dpi=DPI, layout=layout, facecolor="white")
        FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(panels, 1, squeeze=False)[:, 0]  # stacked: read on phones
        for ax, position in zip(axes, self.positions or []):
            ax.set_position(position)
        return axes

    def save(self, index: int) -> None:
        """Render the figure and write it as a palette PNG (fast octree: 64 colours suffice)."""
        from PIL import Image

        canvas = self.figure.canvas
        canvas.draw()
        if self.positions is None:
            self.positions = [ax.get_position(original=True) for ax in self.figure.axes]
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        palette = image.convert("RGB").quantize(
            PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        palette.save(self.folder / frame_name(index), format="png")


@dataclass(frozen=True)
class Twin:
    """The twin of the live call ``hl.<explorer>(**settings)``; ``settings`` holds every keyword
    argument of the explorer (its defaults filled in), as sorted (name, value) pairs.
    """

    explorer: ClassVar[str]  # the function in hingelib.widgets
    player: ClassVar[bool]  # play and step buttons animate the first slider
    description: ClassVar[str]  # what every frame shows, for the image's alt text

    title: str
    settings: tuple

    @classmethod
    def of(cls, title: str, **settings):
        """The twin of ``hl.<cls.explorer>(**settings)``: pass the live cell's keyword arguments."""
        defaults = explorer_defaults(cls.explorer)
        unknown = sorted(set(settings) - set(defaults))
        if unknown:
            raise TypeError(f"hl.{cls.explorer} has no argument {unknown}; use {sorted(defaults)}")
        return cls(title, tuple(sorted({**defaults, **settings}.items())))

    @property
    def kwargs(self) -> dict:
        return dict(self.settings)

    def data(self):
        kwargs = self.kwargs
        return load_dataset(kwargs["dataset"], kwargs["n"], kwargs["seed"])


def explorer_defaults(explorer: str) -> dict:
    """The keyword arguments of ``hingelib.widgets.<explorer>`` and their defaults, except
    ``canvas``, which changes how the live figure is shown, not what it shows."""
    parameters = inspect.signature(getattr(live, explorer)).parameters.values()
    return {p.name: p.default for p in parameters if p.name != "canvas"}


def call_mismatches(twin: Twin, source: str) -> list[str]:
    """Where the cell ``source`` calls ``twin.explorer`` with settings the twin does not draw.

    The call's keyword values must be literals (numbers, strings, tuples), so that they can be
    compared without running the cell.
    """
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        tree = ast.parse(TransformerManager().transform_cell(source))  # %magics become calls
    except SyntaxError as error:
        return [f"the cell does not parse: {error}"]
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == twin.explorer
    ]
    if len(calls) != 1:
        return [f"the cell should call hl.{twin.explorer}(...) once, found {len(calls)} calls"]
    try:
        called = {k.arg: ast.literal_eval(k.value) for k in calls[0].keywords if k.arg}
    except (ValueError, TypeError, SyntaxError):
        return [f"hl.{twin.explorer}(...) must be called with literal keyword values"]
    if calls[0].args or any(k.arg is None for k in calls[0].keywords):
        return [f"hl.{twin.explorer}(...) takes keyword arguments only (no *args, **kwargs)"]
    called = {k: tuple(v) if isinstance(v, list) else v for k, v in called.items()}
    expected, called = twin.kwargs, {**explorer_defaults(twin.explorer), **called}
    called.pop("canvas", None)
    return [
        f"{name}={called[name]!r} in the cell but {name}={expected.get(name)!r} in the twin"
        for name in sorted(called)
        if called[name] != expected.get(name)
    ]


@dataclass(frozen=True)
class DecisionBoundaryTwin(Twin):
    """``hl.decision_boundary_explorer``: one frame per (Delta, lambda) pair of its sliders.

    The grid is solved as the explorer solves it: one batched ``hl.solve_linear`` over the pairs
    (1-D ``margin`` and ``weight_decay`` tensors of the same length are paired element-wise),
    each fit the optimum, certified by the duality gap its frame gives.
    """

    explorer = "decision_boundary_explorer"
    player = False
    description = (
        "Above, the training points with the optimal decision boundary, its margin band and the "
        "ringed support vectors, titled with the margin width, the duality gap that certifies "
        "the optimum and the counts of support vectors and margin violators; below, each "
        "point's loss plotted against its margin."
    )

    def controls(self) -> tuple[Control, ...]:
        margins, lams, kwargs = live.EXPLORER_MARGINS, live.EXPLORER_WEIGHT_DECAYS, self.kwargs
        return (
            Control("margin", "margin Δ", margins, "{:g}", margins.index(kwargs["margin"])),
            Control(
                "weight_decay", "weight decay λ", lams, "{:.2g}", lams.index(kwargs["weight_decay"])
            ),
        )

    def draw(self, frames: FrameWriter) -> None:
        kwargs, (X, y), pairs = self.kwargs, self.data(), live.GRID
        grid = hl.solve_linear(
            X, y, loss=kwargs["loss"], margin=pairs[:, 0], weight_decay=pairs[:, 1]
        )
        for index, margin in enumerate(pairs[:, 0].tolist()):
            fit = grid[index]
            hl.plot_explorer_frame(
                frames.axes(2),
                X,
                y,
                fit.weight,
                fit.bias,
                loss=kwargs["loss"],
                margin=margin,
                gap=fit.gap,
            )
            frames.save(index)


@dataclass(frozen=True)
class TrainingTwin(Twin):
    """``hl.training_animation``: each loss's boundary, epoch by epoch, at ``FRAMES`` epochs."""

    explorer = "training_animation"
    player = True
    description = (
        "One panel per loss, showing the training points with the decision boundary and its "
        "margin band at the current epoch, titled with the loss, the epoch and the number of "
        "points that still have a gradient."
    )

    def shown_epochs(self) -> tuple[int, ...]:
        """``ANIMATION_FRAMES`` epochs from 0 to ``epochs``, denser early on, where the boundary
        moves most (fewer if the early ones coincide)."""
        last, count = self.kwargs["epochs"], ANIMATION_FRAMES
        return tuple(sorted({round(last * (k / (count - 1)) ** 2) for k in range(count)}))

    def controls(self) -> tuple[Control, ...]:
        return (Control("epoch", "epoch", self.shown_epochs(), "{:d}"),)

    def draw(self, frames: FrameWriter) -> None:
        kwargs, (X, y) = self.kwargs, self.data()
        training = {k: kwargs[k] for k in ("margin", "weight_decay", "lr", "epochs")}
        histories = [hl.fit_linear(X, y, loss=loss, **training) for loss in kwargs["losses"]]
        for index, epoch in enumerate(self.shown_epochs()):
            axes = frames.axes(len(histories))
            hl.plot_training_frame(axes, X, y, histories, epoch, margin=kwargs["margin"])
            frames.save(index)


#: Every twin, by the name its cell tag uses: the cell tagged ``twin-decision-boundary`` shows
#: ``TWINS["decision-boundary"]``. Pass ``of`` the same keyword arguments as the live cell's call
#: (the build checks that they agree).
TWINS = {
    "decision-boundary": DecisionBoundaryTwin.of(
        "The decision boundary and the margins, for each margin Δ and weight decay λ"
    ),
    "training": TrainingTwin.of(
        "Training epoch by epoch, hinge and logistic losses side by side", dataset="overlapping"
    ),
    "training-outliers": TrainingTwin.of(
        "Training on blobs with mislabelled points, hinge and logistic losses side by side",
        dataset="outliers",
    ),
}


def frame_count(twin) -> int:
    count = 1
    for control in twin.controls():
        count *= len(control.values)
    return count


def cache_key(twin) -> str:
    """Changes whenever the frames could: the twin's settings, the code that draws them (here
    and in hingelib), matplotlib, torch and Pillow."""
    import matplotlib
    import PIL
    import torch

    datasets = {name: function.__name__ for name, function in DATASETS.items()}
    drawing = (FIGSIZE, DPI, PALETTE, ANIMATION_FRAMES, datasets)
    versions = (matplotlib.__version__, torch.__version__, PIL.__version__)
    settings = (type(twin).__name__, twin.settings)  # not the title: it is not drawn
    digest = hashlib.sha256(repr((settings, drawing, versions)).encode())
    for code in (FrameWriter, Twin, type(twin), render):
        digest.update(inspect.getsource(code).encode())
    for source in sorted(Path(hl.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def frame_name(index: int) -> str:
    return f"f{index:03d}.png"


def render(twin, folder: Path) -> None:
    """Draw every frame of ``twin`` into ``folder``, training with one torch thread."""
    with one_thread():
        twin.draw(FrameWriter(folder))
