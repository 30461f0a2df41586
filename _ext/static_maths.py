"""Typeset every formula when the book is built, with KaTeX under Node: pages carry no maths script.

MathJax in the browser showed raw TeX first and then reflowed the page as it typeset (a layout
shift of up to 0.26), made every formula a tab stop, and weighed 1.3 MB. Here each page's formulas
are sent in one batch to ``katex_render.js`` (KaTeX from ``node_modules``, installed by ``npm ci``
from ``package-lock.json``) when the page's doctree is resolved; the HTML translator then writes
KaTeX's HTML, which carries MathML for screen readers, in the same ``span.math`` and ``div.math``
(with the equation number and its permalink) that Sphinx's MathJax output used. Only pages with
maths link KaTeX's stylesheet; its fonts are served from ``_static/katex``.

A formula KaTeX cannot typeset, or would only typeset with a warning (an unknown command, a
character without font metrics), is a build warning with the page and line: the strict build
(``-W``) fails on it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
RENDERER = HERE / "katex_render.js"
KATEX = HERE.parent / "node_modules" / "katex" / "dist"
NAME = "katex_static"
CSS = "katex/katex.min.css"
#: KaTeX's HTML for (TeX, display), filled a page at a time; the sidebar and the page contents
#: show section titles again, and they hit it too.
TYPESET: dict[tuple[str, bool], str] = {}


def check_katex() -> None:
    if not (KATEX / "katex.min.js").is_file() or shutil.which("node") is None:
        raise ExtensionError(
            "KaTeX is missing: the book typesets its maths at build time with Node; install Node "
            "(Debian: apt-get install nodejs npm) and run `npm ci` in the repository (make does)"
        )


def tex_of(node) -> tuple[str, bool]:
    """The TeX KaTeX typesets for a math node, and whether it is display maths.

    A display block of several equations separated by blank lines becomes one ``aligned``
    block, and an equation that breaks lines with ``\\\\`` a ``split``, as Sphinx does for MathJax.
    """
    if isinstance(node, nodes.math):
        return node.astext(), False
    if node.get("nowrap"):
        return node.astext(), True
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    parts = [rf"\begin{{split}}{p}\end{{split}}" if r"\\" in p else p for p in parts]
    if len(parts) > 1:
        return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}", True
    return (parts[0] if parts else ""), True


def typeset(formulas: list[tuple[str, bool]]) -> list[str | Exception]:
    """KaTeX's HTML for each (TeX, display) pair, or a ``ValueError`` saying why it failed."""
    check_katex()
    todo = sorted({f for f in formulas if f not in TYPESET})
    if todo:
        request = json.dumps([{"tex": tex, "display": display} for tex, display in todo])
        done = subprocess.run(
            ["node", str(RENDERER)], input=request, capture_output=True, text=True, cwd=HERE
        )
        if done.returncode != 0:
            raise ExtensionError(f"katex_render.js failed: {done.stderr.strip()}")
        for formula, result in zip(todo, json.loads(done.stdout), strict=True):
            TYPESET[formula] = result.get("html") or ValueError(result["error"])
    return [TYPESET[f] for f in formulas]


def typeset_page(app, doctree, docname) -> None:
    """Typeset every formula of a page in one call to Node; warn about those that fail."""
    if app.builder.format != "html":
        return
    found = list(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))))
    for node, result in zip(found, typeset([tex_of(node) for node in found]), strict=True):
        if isinstance(result, Exception):
            logger.warning(
                f"KaTeX cannot typeset {tex_of(node)[0]!r}: {result}",
                location=node,
                type="static_maths",
                subtype="katex",
            )


def rendered(node) -> str:
    result = typeset([tex_of(node)])[0]
    if isinstance(result, Exception):  # already a warning: show the TeX, as MathJax would
        return f'<code class="math-error">{html.escape(tex_of(node)[0])}</code>'
    return result


def visit_math(self, node) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(rendered(node) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(rendered(node) + "</div>\n")
    raise nodes.SkipNode


def has_maths(doctree) -> bool:
    return doctree is not None and any(
        doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))
    )


def add_stylesheet(app, pagename, templatename, context, doctree) -> None:
    """KaTeX's stylesheet on the pages that show maths (section titles in the sidebar too)."""
    if app.builder.format == "html" and (has_maths(doctree) or "katex" in context.get("body", "")):
        app.add_css_file(CSS)


def choose_renderer(app, config) -> None:
    config.html_math_renderer = NAME


def copy_katex(app, exception) -> None:
    """KaTeX's stylesheet, its woff2 fonts (what every current browser loads) and its licence."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = (KATEX / "katex.min.css").read_text()
    # Only woff2 is shipped: drop the woff and ttf fallbacks, so no rule names a missing file.
    css = re.sub(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)', "", css)
    (target / "katex.min.css").write_text(css)
    for font in (KATEX / "fonts").glob("*.woff2"):
        shutil.copy2(font, target / "fonts" / font.name)
    shutil.copy2(KATEX.parent / "LICENSE", target / "LICENSE")


def setup(app):
    check_katex()  # fail early, with the fix
    app.add_html_math_renderer(NAME, (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", choose_renderer)
    app.connect("doctree-resolved", typeset_page)
    app.connect("html-page-context", add_stylesheet)
    app.connect("build-finished", copy_katex)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
