"""The markup every page of the website ends with: icons, image sizes and names that assistive
technology can use. Fixed here, for every page, where the theme, MyST-NB and docutils write it.

After the build, every HTML page is rewritten (``build-finished``; each rewrite leaves an already
rewritten page as it is):

- **Icons.** pydata-sphinx-theme loads Font Awesome's whole script (1.5 MB) to turn a dozen
  ``<i class="fa-solid fa-bars">`` into SVG after the page has loaded, so every icon popped in late.
  Each such element becomes that inline ``<svg>`` when the book is built, from the SVG files of the
  ``@fortawesome/fontawesome-free`` npm package (``npm ci``), hidden from screen readers (the button
  or link around it carries the name), and the script is dropped. An unknown icon fails the build.
- **Image sizes.** Every figure image (``_images/``) gets its ``width`` and ``height`` in pixels, so
  the browser reserves its box before the file arrives: the text no longer jumps down as figures
  load (``book.css`` keeps the height automatic, so a narrow screen still scales them).
- **Names.** A control's name must contain the words it shows (WCAG 2.5.3, axe's
  ``label-content-name-mismatch``): the search field buttons, which read "Search Ctrl+K", lose their
  ``aria-label="Search"``, and MyST-NB's "Show code cell source" toggles their "Toggle hidden
  content". docutils marks each bibliography entry ``role="doc-biblioentry"``, a role that ARIA 1.2
  deprecated, inside a ``role="list"``, which then has no list items: they become list items.

Scripts that only act once the page has loaded (Sphinx's highlighting, the copy, toggle, tab and
full-screen buttons) are loaded with ``defer``, so they no longer hold up the first paint; only
``documentation_options.js`` and ``doctools.js``, which inline scripts and search.html's search
tools use at once, still run in place.

``templates/`` (added to ``templates_path``) holds the layout without the empty top bar, so the
article header's menu and contents buttons work on phones, and the sidebar's title link.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ICONS = HERE.parent / "node_modules" / "@fortawesome" / "fontawesome-free" / "svgs"
STYLES = {"fa-solid": "solid", "fas": "solid", "fa-brands": "brands", "fab": "brands"}
STYLES |= {"fa-regular": "regular", "far": "regular"}
#: Font Awesome's modifier classes, which size or animate an icon rather than name it.
MODIFIERS = {"fa-lg", "fa-sm", "fa-xs", "fa-fw", "fa-xl", "fa-2x", "fa-spin", "fa-pulse"}
ICON = re.compile(r'<(i|span) class="([^"]*\bfa[a-z-]*\b[^"]*)"([^>]*)>\s*</\1>')
FONTAWESOME_SCRIPT = re.compile(r'\s*<script[^>]*src="[^"]*scripts/fontawesome\.js[^"]*"></script>')
IMAGE = re.compile(r"<img\b[^>]*>")
#: Scripts that wait for the page anyway (DOMContentLoaded or a click): safe to defer. Not
#: doctools.js: search.html's searchtools.js calls its ``_ready`` as it loads.
DEFERRABLE = (
    "sphinx_highlight.js",
    "clipboard.min.js",
    "copybutton.js",
    "sphinx-book-theme.js",
    "togglebutton.js",
    "design-tabs.js",
)


@cache
def icon_svg(style: str, name: str) -> tuple[str, list[str]]:
    """The viewBox and path data of Font Awesome's ``style/name`` icon."""
    path = ICONS / style / f"{name}.svg"
    if not path.is_file():
        raise ExtensionError(
            f"no Font Awesome icon {style}/{name} in {ICONS}: run `npm ci`, or use an icon that "
            "@fortawesome/fontawesome-free has"
        )
    svg = path.read_text()
    return re.search(r'viewBox="([^"]+)"', svg)[1], re.findall(r'<path[^>]*\sd="([^"]+)"', svg)


def inline_icon(match: re.Match) -> str:
    """The inline SVG for one ``<i class="fa-...">`` element, keeping its other classes and data
    attributes (the theme's CSS shows the colour-mode icons by ``data-mode``)."""
    classes, attributes = match[2].split(), match[3]
    style = next((STYLES[c] for c in classes if c in STYLES), "solid")
    names = [c for c in classes if c.startswith("fa-") and c not in STYLES and c not in MODIFIERS]
    if len(names) != 1:
        return match[0]  # not an icon (a class that merely starts with "fa")
    box = icon_svg(style, names[0][3:])
    width = int(box[0].split()[2]) / int(box[0].split()[3])
    kept = " ".join(c for c in classes if c not in STYLES)
    data = "".join(f" {a}" for a in re.findall(r'data-[a-z-]+="[^"]*"', attributes))
    paths = "".join(f'<path fill="currentColor" d="{d}"/>' for d in box[1])
    return (
        f'<svg class="svg-inline--fa {kept}"{data} aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="{box[0]}" width="{width:.4g}em" '
        f'height="1em">{paths}</svg>'
    )


def inline_icons(page: str) -> str:
    return FONTAWESOME_SCRIPT.sub("", ICON.sub(inline_icon, page))


def image_size(path: Path) -> tuple[int, int] | None:
    if not path.is_file():
        return None
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except OSError:  # not a raster image (an SVG): leave it to the browser
        return None


def size_images(page: str, folder: Path) -> str:
    """``width`` and ``height`` on every figure image (``_images/``) that has neither."""

    def sized(match: re.Match) -> str:
        tag, src = match[0], re.search(r'\ssrc="([^"]+)"', match[0])
        if not src or "_images/" not in src[1] or re.search(r"\s(width|height)=", tag):
            return tag
        size = image_size((folder / src[1].split("?")[0]).resolve())
        return f'<img width="{size[0]}" height="{size[1]}"{tag[4:]}' if size else tag

    return IMAGE.sub(sized, page)


def name_controls(page: str) -> str:
    """Names that contain what the controls show; list items where a list needs them."""
    page = re.sub(
        r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"', r"\1", page
    )
    page = page.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    return page.replace('role="doc-biblioentry"', 'role="listitem"')


def rewrite(page: str, folder: Path) -> str:
    return name_controls(size_images(inline_icons(page), folder))


def rewrite_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if "_static" in path.relative_to(outdir).parts:
            continue
        page = path.read_text(encoding="utf-8")
        new = rewrite(page, path.parent)
        if new != page:
            path.write_text(new, encoding="utf-8")


def defer_scripts(app, pagename, templatename, context, doctree) -> None:
    from sphinx.builders.html._assets import _JavaScript

    scripts = []
    for script in context.get("script_files", []):
        name = str(getattr(script, "filename", "") or "")
        attributes = dict(getattr(script, "attributes", {}))
        if name.endswith(DEFERRABLE) and "async" not in attributes:
            attributes["defer"] = "defer"
            script = _JavaScript(script.filename, priority=script.priority, **attributes)
        scripts.append(script)
    context["script_files"] = scripts


def add_templates(app, config) -> None:
    config.templates_path = [str(HERE / "templates"), *config.templates_path]


def setup(app):
    if not ICONS.is_dir():
        raise ExtensionError(f"{ICONS} is missing: run `npm ci` in the repository (make does)")
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", defer_scripts, priority=950)
    app.connect("build-finished", rewrite_pages, priority=900)  # after the other extensions
    return {"parallel_read_safe": True, "parallel_write_safe": True}
