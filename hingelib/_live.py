"""What the live explorers share: a figure that redraws fast, the data sets by name, one thread.

``LiveFigure`` is a matplotlib figure inside a widget that redraws only what changed (blitting).

Live in a notebook with ipympl installed, the figure's canvas is ipympl's widget: it receives
clicks, and only the changed pixels go to the browser. Anywhere else (no ipympl, a script, pytest)
the canvas is Agg and the widget an ``ipywidgets.Image`` showing the figure as a PNG. Neither
changes matplotlib's global backend or registers the figure with pyplot.

A frame is drawn by a function of the axes (``draw(axes)``, built from :mod:`hingelib.plot`). The
artists it adds are the frame's; the axes themselves (frame, ticks, labels) are the background,
rendered once for each set of axes limits met and kept: a new frame restores its background and
draws only the frame's artists on top, several times faster than a full draw.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import io
import sys
import warnings
from contextlib import contextmanager

import ipywidgets as widgets
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from ._checks import check_choice
from .data import blobs_with_outliers, overlapping_blobs, two_blobs

CANVASES = ("auto", "ipympl", "image")
MAX_BACKGROUNDS = 32  # kept per axes limits: a slider moved back and forth redraws none again
#: The explorers' data sets by name, each a function of (n, seed=...).
DATASETS = {
    "separable": two_blobs,
    "overlapping": overlapping_blobs,
    "outliers": blobs_with_outliers,
}
#: The data set menu: ``{label: name}``.
DATASET_CHOICES = {
    "separable": "separable",
    "overlapping": "overlapping",
    "with outliers": "outliers",
}


def load_dataset(name: str, n: int, seed: int):
    check_choice("dataset", name, tuple(DATASETS))
    return DATASETS[name](n, seed=seed)


@contextmanager
def one_thread():
    """Solve or train on one thread: for a few hundred points, threads cost more than they save
    (and on a busy machine much more). The previous setting is restored afterwards."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def choice(kind, argument: str, value, options: dict, description: str, **extra):
    """A selection widget (``kind``) of the ``{label: value}`` options, set to ``value`` (the
    explorer's keyword ``argument``, named in the error if the value is not offered)."""
    if value not in options.values():
        allowed = ", ".join(repr(v) if isinstance(v, str) else f"{v:.4g}" for v in options.values())
        raise ValueError(
            f"{argument}={value!r} is not offered by the explorer; use one of {allowed}"
        )
    style = {"description_width": "initial"}
    return kind(
        options=list(options.items()), value=value, description=description, style=style, **extra
    )


def live_kernel() -> bool:
    """True inside a running Jupyter kernel (where ipympl's widget can reach a browser)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def ipympl_available() -> bool:
    return importlib.util.find_spec("ipympl") is not None


def ipympl_canvas(figure):
    """ipympl's canvas widget for ``figure``, leaving matplotlib's global backend alone.

    Importing the ``ipympl`` package switches matplotlib's backend to ipympl whenever matplotlib
    is loaded (so every later ``plt.subplots`` would make a widget too); it is imported here with
    matplotlib hidden from it. ipympl's modules themselves have no such side effect.
    """
    if "ipympl" not in sys.modules:
        matplotlib = sys.modules.pop("matplotlib")
        try:
            importlib.import_module("ipympl")
        finally:
            sys.modules["matplotlib"] = matplotlib
    from ipympl.backend_nbagg import Canvas, FigureManager

    canvas = Canvas(figure)
    with warnings.catch_warnings():  # ipympl's toolbar passes traitlets an extra argument
        warnings.filterwarnings("ignore", "Passing unrecognized", DeprecationWarning)
        FigureManager(canvas, 0)  # the canvas talks to the browser through its manager
    canvas.header_visible = False
    return canvas


#: Share of a live figure's width kept free at its right edge (about 13 px of 840).
RIGHT_SPARE = 0.015


class LiveFigure:
    """A figure of ``ncols`` axes in a row and the widget that shows it (``.widget``).

    ``canvas``: 'ipympl' (interactive, needs ipympl), 'image' (a PNG in an ``ipywidgets.Image``)
    or 'auto' (ipympl inside a live kernel when it is installed, else the image).
    """

    def __init__(self, ncols: int = 2, *, figsize=(8.4, 3.6), canvas: str = "auto"):
        check_choice("canvas", canvas, CANVASES)
        if canvas == "auto":
            canvas = "ipympl" if live_kernel() and ipympl_available() else "image"
        self.canvas_kind = canvas
        # 840 pixels wide at 100 dpi: it fits a notebook's output area beside JupyterLab's sidebar.
        # The layout is frozen after the first frame, so keep RIGHT_SPARE of the width free: a later
        # frame's last tick label (the logistic loss panel's "15.0") overhangs the axes' edge.
        layout = ConstrainedLayoutEngine(rect=(0, 0, 1 - RIGHT_SPARE, 1))
        self.figure = Figure(figsize=figsize, layout=layout)
        if canvas == "ipympl":
            self.widget = ipympl_canvas(self.figure)
        else:
            FigureCanvasAgg(self.figure)
            self.widget = widgets.Image(format="png")
        self.axes = tuple(self.figure.subplots(1, ncols, squeeze=False)[0])
        self._frame, self._backgrounds, self._own_draw = [], {}, False
        self.figure.canvas.mpl_connect("draw_event", self._on_draw)

    def show(self, draw) -> None:
        """Replace the previous frame's artists by those ``draw(axes)`` adds, and display them."""
        for artist in self._frame:
            artist.remove()
        draw(self.axes)
        self._frame = [artist for ax in self.axes for artist in frame_artists(ax)]
        if self.limits() not in self._backgrounds:
            self._draw_background()
        self.figure.canvas.restore_region(self._backgrounds[self.limits()])
        for artist in self._frame + [ax.title for ax in self.axes]:
            self.figure.draw_artist(artist)
        if self.canvas_kind == "image":
            self.widget.value = self.png()
        elif self.widget.syncing_data_url:
            # No browser view yet: sending image diffs now races the view's creation and can
            # leave it blank. Keep a still PNG instead; ipympl draws in full once a view connects.
            self.widget._data_url = base64.b64encode(self.png()).decode("ascii")
        else:
            self.figure.canvas.blit(self.figure.bbox)

    def limits(self) -> tuple:
        """What the background depends on: the figure's size in pixels, and each axes' limits
        (hence its ticks) and labels."""
        view = [self.figure.bbox.bounds] + [
            (*ax.get_xlim(), *ax.get_ylim(), ax.get_xlabel(), ax.get_ylabel()) for ax in self.axes
        ]
        return tuple(v if isinstance(v, str) else float(v) for part in view for v in part)

    def png(self) -> bytes:
        """The canvas as it stands, as PNG bytes (fast, lightly compressed)."""
        from PIL import Image

        canvas = self.figure.canvas
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        with io.BytesIO() as buffer:
            image.save(buffer, format="png", compress_level=1)
            return buffer.getvalue()

    def _draw_background(self) -> None:
        """Render everything but the frame; the first time, lay the figure out and freeze it."""
        if isinstance(self.figure.get_layout_engine(), ConstrainedLayoutEngine):
            FigureCanvasAgg.draw(self.figure.canvas)  # lay out, titles included
            self.figure.set_layout_engine("none")
        titles = [(ax.title, ax.title.get_text()) for ax in self.axes]
        for artist in self._frame:
            artist.set_visible(False)
        for title, _ in titles:
            title.set_text("")  # not hidden: a hidden title would be moved off the axes
        self._own_draw = True
        try:
            FigureCanvasAgg.draw(self.figure.canvas)  # not ipympl's draw: no half frame is sent
        finally:
            self._own_draw = False
            for artist in self._frame:
                artist.set_visible(True)
            for title, text in titles:
                title.set_text(text)

    def _on_draw(self, event) -> None:
        """Keep the background of our own draws; any other draw (a resize) invalidates it."""
        if self._own_draw:
            if len(self._backgrounds) >= MAX_BACKGROUNDS:
                self._backgrounds.clear()
            self._backgrounds[self.limits()] = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self._backgrounds.clear()


def frame_artists(ax) -> list:
    """What plot helpers add to ``ax``: collections, lines, patches, texts, images, legend."""
    found = [*ax.collections, *ax.lines, *ax.patches, *ax.texts, *ax.images]
    return sorted(found + ([ax.legend_] if ax.legend_ else []), key=lambda a: a.get_zorder())
