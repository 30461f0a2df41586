"""Drop sphinx-thebe from every page: the book launches chapters on Binder and Colab, never in-page.

jupyter-book always loads sphinx-thebe, even with ``launch_buttons.thebe`` off. Its page assets
point at thebe on unpkg.com (a request outside the site, were it ever triggered), declare
``const THEBE_JS_URL`` twice, which the browser reports as a console error on every page, and add
a ``text/x-thebe-config`` block naming a Binder repository that is not the book's. This extension
removes the scripts, the stylesheet and the config block; nothing on the page uses them.
"""

from __future__ import annotations

from docutils import nodes

THEBE_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")
THEBE_MARKERS = ("THEBE_JS_URL", "text/x-thebe-config", "kernelName =")


def is_thebe_asset(asset) -> bool:
    filename = str(getattr(asset, "filename", None) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return filename.endswith(THEBE_FILES) or any(marker in body for marker in THEBE_MARKERS)


def drop_thebe_config(app, doctree, docname) -> None:
    """Remove the raw HTML blocks sphinx-thebe appended to the page (runs after it)."""
    for raw in list(doctree.findall(nodes.raw)):
        if any(marker in raw.astext() for marker in THEBE_MARKERS):
            raw.parent.remove(raw)


def drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not is_thebe_asset(asset)]


def setup(app):
    app.connect("doctree-resolved", drop_thebe_config, priority=900)  # sphinx-thebe uses 500
    app.connect("html-page-context", drop_thebe_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
