"""The book's in-browser explorers: which exist, the data and settings each starts from, its poster.

A live ipywidgets explorer needs a Python kernel, which the published website does not have. There
``hinge_explorer.js`` trains the same linear classifier in the reader's browser instead;
``browser_explorers.py`` (the Sphinx side) puts it on the page. This module says, for each explorer,
what the page's component starts from: the data set hingelib draws, the seeded start of
``hl.fit_linear`` and the live call's settings (``config``), and draws one poster, the picture a
reader without JavaScript sees (``draw_poster``).

To put a chapter's explorer on the website, add an entry to ``EXPLORERS`` below, made from the same
keyword arguments as the live call (``hl.decision_boundary_explorer(dataset="outliers")`` becomes
``BoundaryExplorer.of("<title>", dataset="outliers")``), and tag the explorer's code cell
``twin-<entry name>``. The build checks that the cell's call and the entry agree, so the website
starts where a reader running the cell starts.
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

#: Poster size: two panels stacked, 5 x 8.4 inches at 80 dpi, 400 x 672 pixels. A phone shrinks it
#: to its 342 px column and the 10 pt text to 9.5 CSS px (tests/test_browser_explorers.py measures).
FIGSIZE, DPI = (5.0, 8.4), 80
#: Colours per poster: a palette PNG is about a third of the size of a full-colour one.
PALETTE = 64
#: The boundary explorer's live call solves exactly and takes no step size; the component's
#: gradient descent (its play button) starts with these.
BOUNDARY_TRAINING = {"lr": 0.1, "epochs": 2000}
NOTE = (
    "It runs in your browser: drag a point, add or remove one, move the sliders. The "
    "decision-boundary explorer shows the exact optimum, and its Play runs gradient descent toward "
    "it; a training explorer's Play steps through the epochs. "
    "The notebook's own explorer, trained by hingelib in PyTorch, runs on Binder or Colab "
    "(rocket button at the top of the page)."
)


@dataclass(frozen=True)
class Explorer:
    """The website's version of the live call ``hl.<function>(**settings)``; ``settings`` holds
    every keyword argument of the function (its defaults filled in), as sorted (name, value) pairs.
    """

    function: ClassVar[str]  # the live explorer in hingelib.widgets
    kind: ClassVar[str]  # the component's data-explorer: "boundary" or "training"
    description: ClassVar[str]  # what the poster shows, for its alt text

    title: str
    settings: tuple

    @classmethod
    def of(cls, title: str, **settings):
        """The explorer of ``hl.<cls.function>(**settings)``: pass the live cell's arguments."""
        defaults = function_defaults(cls.function)
        unknown = sorted(set(settings) - set(defaults))
        if unknown:
            raise TypeError(f"hl.{cls.function} has no argument {unknown}; use {sorted(defaults)}")
        return cls(title, tuple(sorted({**defaults, **settings}.items())))

    @property
    def kwargs(self) -> dict:
        return dict(self.settings)

    def data(self):
        kwargs = self.kwargs
        return load_dataset(kwargs["dataset"], kwargs["n"], kwargs["seed"])

    def config(self) -> dict:
        """What the page's component starts from, every number a float64 (``json.dumps``).

        ``points`` are hingelib's data set, ``w0, b0`` the start of ``hl.fit_linear`` (its seeded
        ``0.01 N(0, 1)`` draws, the first row of its history), which the live explorers train
        from: ``fit_linear``'s default seed, as they call it.
        """
        X, y = self.data()
        kwargs = self.kwargs
        start = hl.fit_linear(X.double(), y, epochs=1).weight[0]
        return {
            "kind": self.kind,
            "title": self.title,
            "points": [[*x, label] for x, label in zip(X.double().tolist(), y.double().tolist())],
            "w0": start.tolist(),
            "b0": 0.0,
            **self.losses(),
            "delta": float(kwargs["margin"]),
            "lambda": float(kwargs["weight_decay"]),
            **self.training(),
        }

    def alt(self) -> str:
        return f"{self.title}. {self.description}"


def function_defaults(function: str) -> dict:
    """The keyword arguments of ``hingelib.widgets.<function>`` and their defaults, except
    ``canvas``, which changes how the live figure is shown, not what it shows."""
    parameters = inspect.signature(getattr(live, function)).parameters.values()
    return {p.name: p.default for p in parameters if p.name != "canvas"}


def call_mismatches(explorer: Explorer, source: str) -> list[str]:
    """Where the cell ``source`` calls ``explorer.function`` with settings the entry lacks.

    The call's keyword values must be literals (numbers, strings, tuples), so that they can be
    compared without running the cell.
    """
    function = explorer.function
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        tree = ast.parse(TransformerManager().transform_cell(source))  # %magics become calls
    except SyntaxError as error:
        return [f"the cell does not parse: {error}"]
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == function
    ]
    if len(calls) != 1:
        return [f"the cell should call hl.{function}(...) once, found {len(calls)} calls"]
    try:
        called = {k.arg: ast.literal_eval(k.value) for k in calls[0].keywords if k.arg}
    except (ValueError, TypeError, SyntaxError):
        return [f"hl.{function}(...) must be called with literal keyword values"]
    if calls[0].args or any(k.arg is None for k in calls[0].keywords):
        return [f"hl.{function}(...) takes keyword arguments only (no *args, **kwargs)"]
    called = {k: tuple(v) if isinstance(v, list) else v for k, v in called.items()}
    unknown = sorted(set(called) - set(function_defaults(function)) - {"canvas"})
    if unknown:
        return [f"hl.{function} has no argument {', '.join(unknown)}"]
    expected, called = explorer.kwargs, {**function_defaults(function), **called}
    called.pop("canvas", None)
    return [
        f"{name}={called[name]!r} in the cell but {name}={expected.get(name)!r} in the explorer"
        for name in sorted(called)
        if called[name] != expected.get(name)
    ]


@dataclass(frozen=True)
class BoundaryExplorer(Explorer):
    """``hl.decision_boundary_explorer``: the optimum for any (Delta, lambda), any points."""

    function = "decision_boundary_explorer"
    kind = "boundary"
    description = (
        "Above, the training points with the optimal decision boundary, its margin band and the "
        "ringed support vectors, titled with the margin width, the duality gap that certifies "
        "the optimum and the counts of support vectors and margin violators; below, each "
        "point's loss plotted against its margin."
    )

    def losses(self) -> dict:
        return {"loss": self.kwargs["loss"]}

    def training(self) -> dict:
        return dict(BOUNDARY_TRAINING)

    def draw(self, figure) -> None:
        """The optimum at the explorer's first settings, as its first frame shows it."""
        kwargs, (X, y) = self.kwargs, self.data()
        margin, loss = kwargs["margin"], kwargs["loss"]
        fit = hl.solve_linear(X, y, loss=loss, margin=margin, weight_decay=kwargs["weight_decay"])
        axes = figure.subplots(2, 1, squeeze=False)[:, 0]  # stacked: read on phones
        hl.plot_explorer_frame(
            axes, X, y, fit.weight, fit.bias, loss=loss, margin=margin, gap=fit.gap
        )


@dataclass(frozen=True)
class TrainingExplorer(Explorer):
    """``hl.training_animation``: each loss's gradient descent, epoch by epoch."""

    function = "training_animation"
    kind = "training"
    description = (
        "One panel per loss, showing the training points with the decision boundary and its "
        "margin band after the last epoch of training, titled with the loss, the epoch and the "
        "number of points that still have a gradient."
    )

    def losses(self) -> dict:
        return {"losses": list(self.kwargs["losses"])}

    def training(self) -> dict:
        return {"lr": float(self.kwargs["lr"]), "epochs": int(self.kwargs["epochs"])}

    def draw(self, figure) -> None:
        """The last epoch: where training arrives (epoch 0 is a near-zero start, no picture)."""
        kwargs, (X, y) = self.kwargs, self.data()
        training = {k: kwargs[k] for k in ("margin", "weight_decay", "lr", "epochs")}
        histories = [hl.fit_linear(X, y, loss=loss, **training) for loss in kwargs["losses"]]
        axes = figure.subplots(len(histories), 1, squeeze=False)[:, 0]
        hl.plot_training_frame(axes, X, y, histories, kwargs["epochs"], margin=kwargs["margin"])


#: Every explorer, by the name its cell tag uses: the cell tagged ``twin-decision-boundary`` shows
#: ``EXPLORERS["decision-boundary"]`` (the tag names the website's twin of the live widget). Pass
#: ``of`` the same keyword arguments as the live cell's call (the build checks that they agree).
EXPLORERS = {
    "decision-boundary": BoundaryExplorer.of(
        "The decision boundary and the margins, for any margin Δ, weight decay λ and points"
    ),
    "training": TrainingExplorer.of(
        "Training epoch by epoch, hinge and logistic losses side by side", dataset="overlapping"
    ),
    "training-outliers": TrainingExplorer.of(
        "Training on blobs with mislabelled points, hinge and logistic losses side by side",
        dataset="outliers",
    ),
}


def cache_key(explorer: Explorer) -> str:
    """Changes whenever the poster could: the settings, the code that draws it (here and in
    hingelib), matplotlib, torch and Pillow."""
    import matplotlib
    import PIL
    import torch

    datasets = {name: function.__name__ for name, function in DATASETS.items()}
    versions = (matplotlib.__version__, torch.__version__, PIL.__version__)
    settings = (type(explorer).__name__, explorer.settings)  # not the title: it is not drawn
    digest = hashlib.sha256(repr((settings, FIGSIZE, DPI, PALETTE, datasets, versions)).encode())
    for code in (type(explorer), draw_poster):
        digest.update(inspect.getsource(code).encode())
    for source in sorted(Path(hl.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def draw_poster(explorer: Explorer, path: Path):
    """Draw ``explorer``'s poster into ``path`` as a palette PNG, outside pyplot (no global state,
    no backend switch), training with one torch thread. Returns the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained", facecolor="white")
    canvas = FigureCanvasAgg(figure)
    with one_thread():
        explorer.draw(figure)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    palette = image.convert("RGB").quantize(
        PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    palette.save(path, format="png")
    return figure
