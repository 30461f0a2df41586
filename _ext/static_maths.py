"""Typeset every formula when the book is built, with KaTeX under Node: pages carry no maths script.

MathJax in the browser showed raw TeX first and then reflowed the page as it typeset (a layout
shift of up to 0.26), made every formula a tab stop, and weighed 1.3 MB. Here each page's formulas
are sent in one batch to ``katex_render.js`` (KaTeX from ``node_modules``, installed by ``npm ci``
from ``package-lock.json``) when the page's doctree is resolved; the HTML translator then writes
KaTeX's HTML, which carries MathML for screen readers, in the same ``span.math`` and ``div.math``
(with the equation number and its permalink) that Sphinx's MathJax output used. Only pages with
maths link KaTeX's stylesheet; its fonts are served from ``_static/katex``. Pages with display maths
also load ``static_maths.js`` (1 KB), which makes a formula wider than a phone's screen, and only
such a formula, a tab stop, so that a keyboard can scroll it.

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
SCRIPT = "static_maths.js"  # makes a display formula a tab stop only while it scrolls sideways
#: KaTeX's fonts, by the classes of its HTML that use them (from katex.min.css). A page preloads
#: the fonts its formulas use: a font that arrived after the first layout reflowed the text.
FONTS = {
    "Main-Regular": r"katex",
    "Math-Italic": r"\bmathnormal\b",
    "Main-Italic": r"\b(?:mathit|textit)\b",
    "Main-Bold": r"\b(?:mathbf|textbf)\b",
    "Math-BoldItalic": r"\bboldsymbol\b",
    "AMS-Regular": r"\b(?:amsrm|mathbb|textbb)\b",
    "Caligraphic-Regular": r"\bmathcal\b",
    "Typewriter-Regular": r"\b(?:mathtt|texttt)\b",
    "SansSerif-Regular": r"\b(?:mathsf|textsf)\b",
    "Script-Regular": r"\b(?:mathscr|textscr)\b",
    "Fraktur-Regular": r"\b(?:mathfrak|textfrak)\b",
    "Size1-Regular": r"delimsizing size1|delim-size1|small-op",
    "Size2-Regular": r"delimsizing size2|large-op",
    "Size3-Regular": r"delimsizing size3",
    "Size4-Regular": r"delimsizing size4|delim-size4",
}
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


def fonts_used(body: str) -> list[str]:
    """The KaTeX fonts that the formulas in a page's HTML use."""
    if 'class="katex"' not in body:
        return []
    return [font for font, used in FONTS.items() if re.search(used, body)]


def add_assets(app, pagename, templatename, context, doctree) -> None:
    """On the pages that show maths: KaTeX's stylesheet, a preload of each font their formulas
    use (so that no font swaps in after the first layout and moves the text), and the script that
    lets a keyboard scroll a display formula wider than the screen."""
    if app.builder.format != "html":
        return
    body = context.get("body", "")
    if has_maths(doctree) or 'class="katex"' in body:
        app.add_css_file(CSS)
    fonts = [context["pathto"](f"_static/katex/fonts/KaTeX_{f}.woff2", 1) for f in fonts_used(body)]
    preloads = [
        f'<link rel="preload" href="{href}" as="font" type="font/woff2" crossorigin>'
        for href in fonts
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(preloads)
    if 'class="katex-display"' in body:
        app.add_js_file(SCRIPT, loading_method="defer")


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
    shutil.copy2(HERE / SCRIPT, Path(app.outdir) / "_static" / SCRIPT)


def setup(app):
    check_katex()  # fail early, with the fix
    app.add_html_math_renderer(NAME, (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", choose_renderer)
    app.connect("doctree-resolved", typeset_page)
    app.connect("html-page-context", add_assets)
    app.connect("build-finished", copy_katex)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
