"""Static twins: on the website, each live explorer is replaced by frames that HTML sliders swap.

The published book has no Python kernel, so an ipywidgets slider there would be frozen. A
chapter code cell that shows a live explorer carries the tag ``twin-<name>``; on the website this
extension replaces the cell's output (the frozen widget) with the twin
``twin_registry.TWINS[name]``: an image, one range input per setting (plus play and step buttons
for an animation), and a one-line note that the live explorer runs on Binder or Colab. Jupyter,
Binder and Colab show the live widget itself.

The frames are drawn with hingelib when the book is built, cached under ``_build/.static_twins``
(keyed by a hash of the twin's settings, the registry and hingelib's source, so a rebuild redraws
nothing unless one of them changed) and copied to ``_static/twins/<name>-<key>/``.
``static_twins.js`` loads a frame only when a slider shows it (and its neighbours once the reader
moves a slider), so a page loads one frame per twin.

A cell that shows a live widget without a twin is a build warning: on a page without a kernel,
every control a reader sees must work. The ipywidgets state and loaders myst-nb would fetch from a
CDN are dropped: the site stays offline.
"""

from __future__ import annotations

import html
import json
import posixpath
import shutil
import time
from functools import cache
from pathlib import Path

import twin_registry
from docutils import nodes
from sphinx.util import logging
from twin_registry import TWINS

logger = logging.getLogger(__name__)

TAG_PREFIX = "twin-"
ASSETS = ("static_twins.js", "static_twins.css")
HERE = Path(__file__).resolve().parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DONE = "done"  # written last into a cache folder: its frames are complete
FRAME_WIDTH, FRAME_HEIGHT = (round(side * twin_registry.DPI) for side in twin_registry.FIGSIZE)


class static_twin(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """Placeholder for a twin's HTML; ``name`` is its key in ``TWINS``."""


@cache
def cache_key(name: str) -> str:
    return twin_registry.cache_key(TWINS[name])


def twin_names(cell) -> list[str]:
    tags = cell.get("cell_metadata", {}).get("tags", [])
    return [tag[len(TAG_PREFIX) :] for tag in tags if tag.startswith(TAG_PREFIX)]


def replace_live_outputs(app, doctree) -> None:
    """Swap the output of every ``twin-*`` cell for its twin; warn about any other live widget."""
    env, used = app.env, {}
    for cell in list(doctree.findall(nodes.container)):
        names = twin_names(cell) if cell.get("nb_element") == "cell_code" else []
        known = [name for name in names if name in TWINS]
        for name in sorted(set(names) - set(known)):
            logger.warning(
                f"unknown static twin {name!r} in tag '{TAG_PREFIX}{name}'; "
                f"use one of {', '.join(TAG_PREFIX + key for key in TWINS)} "
                "or add an entry to TWINS in _ext/twin_registry.py",
                location=cell,
                type="static_twins",
                subtype="unknown",
            )
        if not known:
            continue
        source = cell_source(env, cell)
        for name in known:
            for problem in twin_registry.call_mismatches(TWINS[name], source):
                logger.warning(
                    f"static twin {name!r} does not draw what the cell shows: {problem}; make "
                    f"TWINS[{name!r}] in _ext/twin_registry.py and the cell's call agree",
                    location=cell,
                    type="static_twins",
                    subtype="mismatch",
                )
        for child in list(cell.children):
            if child.get("nb_element") == "cell_code_output":
                cell.remove(child)
        for name in known:
            count = used[name] = used.get(name, 0) + 1
            node = static_twin(name=name)
            node["ids"].append(f"static-twin-{name}" + (f"-{count}" if count > 1 else ""))
            cell += node
    for raw in doctree.findall(nodes.raw):
        if WIDGET_VIEW in raw.astext():
            logger.warning(
                "this cell shows a live ipywidgets widget, which is frozen on the website (no "
                f"kernel): tag the cell '{TAG_PREFIX}<name>' to show its static twin "
                "(_ext/twin_registry.py), or 'remove-output' to hide it",
                location=raw,
                type="static_twins",
                subtype="frozen_widget",
            )
    env.static_twins[env.docname] = {name: cache_key(name) for name in used}
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
    if not hasattr(env, "static_twins"):
        env.static_twins = {}  # docname -> {twin name: cache key} of the twins the page shows


def purge_doc(app, env, docname) -> None:
    getattr(env, "static_twins", {}).pop(docname, None)


def merge_env(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in other.static_twins:
            env.static_twins[docname] = other.static_twins[docname]


def outdated_pages(app, env, added, changed, removed) -> list[str]:
    """Pages whose twins' frames changed (new settings or hingelib source) must be rewritten."""
    return [
        docname
        for docname, keys in getattr(env, "static_twins", {}).items()
        if any(name not in TWINS or cache_key(name) != key for name, key in keys.items())
    ]


def cache_folder(app) -> Path:
    return Path(app.doctreedir).parent / ".static_twins"


def prepare_frames(app, env) -> list[str]:
    """Draw the frames of every twin a page shows (or take them from the cache) into _static."""
    if app.builder.format != "html":
        return []
    names = sorted({name for keys in env.static_twins.values() for name in keys})
    folders = {name: f"{name}-{cache_key(name)}" for name in names}  # a key has no "-"
    cache, site = cache_folder(app), Path(app.outdir) / "_static" / "twins"
    for name, folder in folders.items():
        if not (cache / folder / DONE).is_file():
            draw_into(cache / folder, name)
        for stale in cache.glob(f"{name}-*"):  # the same twin's frames under an older key
            if stale.name != folder and stale.name.rsplit("-", 1)[0] == name:
                shutil.rmtree(stale)
        ignore = shutil.ignore_patterns(DONE)
        shutil.copytree(cache / folder, site / folder, dirs_exist_ok=True, ignore=ignore)
    for published in site.glob("*") if site.is_dir() else []:
        if published.name not in folders.values():  # no page shows it any more
            shutil.rmtree(published)
    return []


def draw_into(folder: Path, name: str) -> None:
    twin = TWINS[name]
    count = twin_registry.frame_count(twin)
    logger.info(f"static twins: drawing the {count} frames of {name!r}...", nonl=True)
    start = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    twin_registry.render(twin, folder)
    missing = [i for i in range(count) if not (folder / twin_registry.frame_name(i)).is_file()]
    if missing:
        raise RuntimeError(f"static twin {name!r} drew no frame for indices {missing[:5]}...")
    size = sum(path.stat().st_size for path in folder.glob("*.png"))
    (folder / DONE).write_text(f"{count} frames, {size} bytes\n")
    logger.info(f" {time.perf_counter() - start:.1f} s, {size / 1024:.0f} KiB")


def copy_assets(app) -> None:
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        shutil.copy2(HERE / asset, static / asset)


def add_assets(app, pagename, templatename, context, doctree) -> None:
    if getattr(app.env, "static_twins", {}).get(pagename):
        app.add_css_file("static_twins.css")
        app.add_js_file("static_twins.js", loading_method="defer")


def visit_static_twin_html(self, node) -> None:
    twin, name = TWINS[node["name"]], node["name"]
    static = posixpath.join(posixpath.dirname(self.builder.imgpath), "_static")
    base = f"{static}/twins/{name}-{cache_key(name)}/"
    self.body.append(twin_html(twin, node["ids"][0], base))
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode


def frame_alt(twin, shown: list[str]) -> str:
    """The alt text of a frame: what the twin draws, then the slider values it was drawn for.

    static_twins.js writes the same sentence when a slider moves.
    """
    return f"{twin.title}. {twin.description} Shown for {', '.join(shown)}."


def twin_help(twin) -> str:
    """The figure's accessible description: what it is and how its controls work."""
    sliders = ", ".join(control.label for control in twin.controls())
    text = (
        f"Interactive figure with precomputed frames. {twin.description} "
        f"Each slider ({sliders}) redraws the figure for its value; the image's text "
        "alternative names the values shown."
    )
    if twin.player:
        text += " Step back, play or pause, and step forward move through the frames."
    return text


def twin_html(twin, uid: str, base: str) -> str:
    """The figure: the initial frame, the (hidden until the script runs) controls, the note."""
    controls = twin.controls()
    index = 0
    for control in controls:
        index = index * len(control.values) + control.initial
    attr = html.escape
    src = base + twin_registry.frame_name(index)
    shown_now = [f"{c.label} = {c.shown(c.values[c.initial])}" for c in controls]
    about = f"{uid}-about"
    lines = [
        f'<figure class="static-twin" id="{uid}" data-base="{attr(base)}" '
        f'data-description="{attr(twin.title)}. {attr(twin.description)}" '
        f'aria-label="{attr(twin.title)}" aria-describedby="{about}">',
        f'<p class="visually-hidden" id="{about}">{attr(twin_help(twin))}</p>',
        f'<img class="static-twin-frame" src="{attr(src)}" width="{FRAME_WIDTH}" '
        f'height="{FRAME_HEIGHT}" alt="{attr(frame_alt(twin, shown_now))}">',
        # Laid out but invisible until the script works (pydata's pst-js-only: gone without
        # JavaScript): showing them then moves nothing below, however late the script runs.
        '<div class="static-twin-controls static-twin-pending pst-js-only">',
    ]
    for control in controls:
        shown = [control.shown(value) for value in control.values]
        cid, current = f"{uid}-{control.name}", shown[control.initial]
        lines += [
            '<div class="static-twin-control">',
            f'<label for="{cid}">{attr(control.label)}</label>',
            f'<input type="range" id="{cid}" min="0" max="{len(shown) - 1}" step="1" '
            f'value="{control.initial}" aria-valuetext="{attr(current)}" '
            f'data-values="{attr(json.dumps(shown))}">',
            # Not a live region: the slider announces its value; a readout that spoke on every
            # frame would chatter through an animation.
            f'<output for="{cid}" aria-live="off">{attr(current)}</output>',
            "</div>",
        ]
    if twin.player:
        # One way to announce play and pause: the button's name is the word it shows.
        lines += [
            '<div class="static-twin-player">',
            '<button type="button" class="btn btn-sm" data-step="-1">'
            '<i class="fa-solid fa-backward-step"></i> step back</button>',
            '<button type="button" class="btn btn-sm" data-play data-playing="false">'
            '<span class="static-twin-play"><i class="fa-solid fa-play"></i> play</span>'
            '<span class="static-twin-pause"><i class="fa-solid fa-pause"></i> pause</span>'
            "</button>",
            '<button type="button" class="btn btn-sm" data-step="1">'
            'step forward <i class="fa-solid fa-forward-step"></i></button>',
            "</div>",
        ]
    lines += [
        "</div>",
        '<figcaption class="static-twin-note"><i class="fa-solid fa-rocket"></i> '
        f"{attr(twin_registry.LIVE_NOTE)}</figcaption>",
        "</figure>",
    ]
    return "\n".join(lines) + "\n"


def setup(app):
    app.add_node(
        static_twin,
        html=(visit_static_twin_html, None),
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
    app.connect("env-updated", prepare_frames)
    app.connect("builder-inited", copy_assets)
    app.connect("html-page-context", add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
