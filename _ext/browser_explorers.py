"""Browser explorers: on the website, each live explorer is a component that trains in the page.

The published book has no Python kernel, so an ipywidgets slider there would be frozen. A chapter
code cell that shows a live explorer carries the tag ``twin-<name>``; on the website this extension
replaces the cell's output (the frozen widget) with the element that ``hinge_explorer.js`` mounts:

    <figure class="hinge-explorer" id="explorer-NAME" data-explorer="boundary" aria-label="TITLE">
      <script type="application/json" class="hinge-explorer-config">{...}</script>
      <noscript><img src="poster.png" alt="..." width="400" height="672"></noscript>
      <figcaption class="hinge-explorer-note">TITLE. NOTE</figcaption>
    </figure>

The config (``explorer_registry.EXPLORERS[name].config()``) is hingelib's data set and the live
call's settings, written in full float64 when the book is built; the component trains from it
with the same objective as ``hl.fit_linear``. Jupyter, Binder and Colab show the live widget itself.

The poster, the picture a reader without JavaScript (or a printout) gets, is drawn with hingelib's
own plot functions, cached under ``_build/.browser_explorers`` by a hash of the settings, the
registry and hingelib's source (a rebuild draws nothing unless one of them changed), and copied to
``_images/explorers/``. ``hinge_explorer.js`` and ``hinge_explorer.css`` are copied from ``_ext/``
into ``_static/`` and loaded only by the pages that show an explorer.

A cell that shows a live widget without an explorer is a build warning: on a page without a kernel,
every control a reader sees must work. The ipywidgets state and loaders myst-nb would fetch from a
CDN are dropped: the site stays offline.
"""

from __future__ import annotations

import html
import json
import posixpath
import shutil
from functools import cache
from pathlib import Path

import explorer_registry
from docutils import nodes
from explorer_registry import EXPLORERS
from sphinx.util import logging

logger = logging.getLogger(__name__)

TAG_PREFIX = "twin-"
SCRIPT, STYLE = "hinge_explorer.js", "hinge_explorer.css"
HERE = Path(__file__).resolve().parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
POSTERS = "explorers"  # the posters' folder under _images
POSTER_WIDTH, POSTER_HEIGHT = (
    round(side * explorer_registry.DPI) for side in explorer_registry.FIGSIZE
)


class browser_explorer(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """Placeholder for an explorer's HTML; ``name`` is its key in ``EXPLORERS``."""


@cache
def cache_key(name: str) -> str:
    return explorer_registry.cache_key(EXPLORERS[name])


def poster_name(name: str) -> str:
    return f"{name}-{cache_key(name)}.png"  # a key has no "-"


def explorer_names(cell) -> list[str]:
    tags = cell.get("cell_metadata", {}).get("tags", [])
    return [tag[len(TAG_PREFIX) :] for tag in tags if tag.startswith(TAG_PREFIX)]


def warn(message: str, location, subtype: str) -> None:
    logger.warning(message, location=location, type="browser_explorers", subtype=subtype)


def replace_live_outputs(app, doctree) -> None:
    """Swap the output of every ``twin-*`` cell for its explorer; warn about any other widget."""
    env, used = app.env, {}
    for cell in list(doctree.findall(nodes.container)):
        names = explorer_names(cell) if cell.get("nb_element") == "cell_code" else []
        known = [name for name in names if name in EXPLORERS]
        for name in sorted(set(names) - set(known)):
            warn(
                f"unknown explorer {name!r} in tag '{TAG_PREFIX}{name}'; use one of "
                f"{', '.join(TAG_PREFIX + key for key in EXPLORERS)} or add an entry to "
                "EXPLORERS in _ext/explorer_registry.py",
                cell,
                "unknown",
            )
        if not known:
            continue
        source = cell_source(env, cell)
        for name in known:
            for problem in explorer_registry.call_mismatches(EXPLORERS[name], source):
                warn(
                    f"the website's explorer {name!r} does not start where the cell does: "
                    f"{problem}; make EXPLORERS[{name!r}] in _ext/explorer_registry.py and the "
                    "cell's call agree",
                    cell,
                    "mismatch",
                )
        for child in list(cell.children):
            if child.get("nb_element") == "cell_code_output":
                cell.remove(child)
        for name in known:
            count = used[name] = used.get(name, 0) + 1
            node = browser_explorer(name=name)
            node["ids"].append(f"explorer-{name}" + (f"-{count}" if count > 1 else ""))
            cell += node
    for raw in doctree.findall(nodes.raw):
        if WIDGET_VIEW in raw.astext():
            warn(
                "this cell shows a live ipywidgets widget, which is frozen on the website (no "
                f"kernel): tag the cell '{TAG_PREFIX}<name>' to show its in-browser explorer "
                "(_ext/explorer_registry.py), or 'remove-output' to hide it",
                raw,
                "frozen_widget",
            )
    env.browser_explorers[env.docname] = {name: cache_key(name) for name in used}
    drop_widget_loaders(env, env.docname)


def cell_source(env, cell) -> str:
    """The code of a notebook cell, from the notebook itself (the page may hide the input)."""
    path = Path(env.doc2path(env.docname))
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "".join(cells[cell["cell_index"]]["source"])
    return "".join(node.astext() for node in cell.findall(nodes.literal_block))


def drop_widget_loaders(env, docname: str) -> None:
    """Forget the ipywidgets state and CDN scripts myst-nb registered for the page."""
    js_files = getattr(env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    for key in [key for key in js_files if key.startswith("ipywidgets")]:
        del js_files[key]


def init_env(app, env, docnames) -> None:
    if not hasattr(env, "browser_explorers"):
        env.browser_explorers = {}  # docname -> {explorer name: cache key} of its explorers


def purge_doc(app, env, docname) -> None:
    getattr(env, "browser_explorers", {}).pop(docname, None)


def merge_env(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in other.browser_explorers:
            env.browser_explorers[docname] = other.browser_explorers[docname]


def outdated_pages(app, env, added, changed, removed) -> list[str]:
    """Pages whose explorers changed (new settings, data or hingelib source) must be rewritten."""
    return [
        docname
        for docname, keys in getattr(env, "browser_explorers", {}).items()
        if any(name not in EXPLORERS or cache_key(name) != key for name, key in keys.items())
    ]


def prepare_posters(app, env) -> list[str]:
    """Draw the poster of every explorer a page shows (or take it from the cache) into _images."""
    if app.builder.format != "html":
        return []
    names = sorted({name for keys in env.browser_explorers.values() for name in keys})
    wanted = {poster_name(name) for name in names}
    cache_dir = Path(app.doctreedir).parent / ".browser_explorers"
    site = Path(app.outdir) / "_images" / POSTERS
    site.mkdir(parents=True, exist_ok=True)
    for name in names:
        cached = cache_dir / poster_name(name)
        if not cached.is_file():
            logger.info(f"browser explorers: drawing the poster of {name!r}")
            partial = cached.with_suffix(".part")
            explorer_registry.draw_poster(EXPLORERS[name], partial)
            partial.replace(cached)  # only a finished poster is ever cached
        shutil.copy2(cached, site / cached.name)
    for folder in (cache_dir, site):
        for stale in folder.glob("*.png"):  # older keys, or explorers no page shows any more
            if stale.name not in wanted:
                stale.unlink()
    return []


def copy_assets(app) -> None:
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for asset in (SCRIPT, STYLE):
        if (HERE / asset).is_file():
            shutil.copy2(HERE / asset, static / asset)
        else:
            logger.warning(
                f"_ext/{asset} is missing: the pages' explorers cannot run without it",
                type="browser_explorers",
                subtype="asset",
            )


def add_assets(app, pagename, templatename, context, doctree) -> None:
    """The component's script and style, on the pages that show an explorer only."""
    if getattr(app.env, "browser_explorers", {}).get(pagename):
        app.add_css_file(STYLE)
        app.add_js_file(SCRIPT, loading_method="defer")


def visit_browser_explorer_html(self, node) -> None:
    name = node["name"]
    poster = posixpath.join(self.builder.imgpath, POSTERS, poster_name(name))
    self.body.append(explorer_html(EXPLORERS[name], node["ids"][0], poster))
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def config_json(explorer) -> str:
    """The explorer's config as JSON that cannot end its ``<script>`` element early."""
    return json.dumps(explorer.config()).replace("</", "<\\/")


def explorer_html(explorer, uid: str, poster: str) -> str:
    """The element ``hinge_explorer.js`` mounts: config, poster without JavaScript, note."""
    attr = html.escape
    return (
        f'<figure class="hinge-explorer" id="{uid}" data-explorer="{explorer.kind}" '
        f'aria-label="{attr(explorer.title)}">\n'
        f'<script type="application/json" class="hinge-explorer-config">'
        f"{config_json(explorer)}</script>\n"
        f'<noscript><img src="{attr(poster)}" alt="{attr(explorer.alt())}" '
        f'width="{POSTER_WIDTH}" height="{POSTER_HEIGHT}"></noscript>\n'
        f'<figcaption class="hinge-explorer-note">{attr(explorer.title)}. '
        f"{attr(explorer_registry.NOTE)}</figcaption>\n"
        "</figure>\n"
    )


def setup(app):
    app.add_node(
        browser_explorer,
        html=(visit_browser_explorer_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_env)
    app.connect("env-get-outdated", outdated_pages)
    app.connect("doctree-read", replace_live_outputs)
    app.connect("env-updated", prepare_posters)
    app.connect("builder-inited", copy_assets)
    app.connect("html-page-context", add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
