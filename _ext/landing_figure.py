"""``{losses-figure}``: the landing page's one figure, the 0-1 loss and its convex surrogates.

Drawn with hingelib's own ``plot_losses`` when the book is built (never a downloaded or committed
image), so the landing page and the chapters draw the losses alike. The PNG is drawn at twice its
CSS size for sharp screens into ``_static/landing/``; its ``width`` and ``height`` are in the HTML,
so the page does not jump when it loads. At 400 CSS px wide, a phone's 342 px column shows its
10 pt text at about 9.5 px, the book's smallest (``hingelib.MIN_TEXT_PX``).
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

FIGSIZE, DPI, DENSITY = (5.0, 3.2), 80, 2  # 400 x 256 CSS px, drawn at 800 x 512
FILE = "landing/losses.png"
ALT = (
    "Four losses against the margin m = y f(x) from -2 to 3: the 0-1 loss is a step from 1 down "
    "to 0 at m = 0; the hinge falls in a straight line to zero at m = 1 and stays there; the "
    "squared hinge falls along a parabola to zero at m = 1; the logistic loss falls smoothly and "
    "never quite reaches zero. The hinge and the squared hinge lie on or above the 0-1 loss."
)


def draw(target: Path) -> None:
    """The figure, outside pyplot (no global state), with the book's loss colours and styles."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    import hingelib as hl

    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained", facecolor="white")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    hl.plot_losses(ax)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=DPI * DENSITY, facecolor="white")


class LossesFigure(SphinxDirective):
    """The figure with its alt text and a caption (the directive's content, one paragraph)."""

    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self):
        depth = self.env.docname.count("/")
        src = posixpath.join(*([".."] * depth), "_static", FILE) if depth else f"_static/{FILE}"
        width, height = (round(side * DPI) for side in FIGSIZE)
        caption = nodes.paragraph()
        self.state.nested_parse(self.content, self.content_offset, caption)
        uid = self.options.get("name", "landing-figure")
        before = (
            f'<figure class="align-default landing-figure" id="{html.escape(uid)}">\n'
            f'<img src="{src}" width="{width}" height="{height}" alt="{html.escape(ALT)}">\n'
            "<figcaption>"
        )
        return [
            nodes.raw("", before, format="html"),
            *caption.children,
            nodes.raw("", "</figcaption>\n</figure>\n", format="html"),
        ]


def draw_figure(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        draw(Path(app.outdir) / "_static" / FILE)


def setup(app):
    app.add_directive("losses-figure", LossesFigure)
    app.connect("build-finished", draw_figure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
