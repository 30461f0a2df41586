"""Maths typeset when the book is built (``_ext/static_maths.py``): KaTeX under Node renders every
form the chapters write, and a formula it cannot typeset fails the strict build."""

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from docutils import nodes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import static_maths  # noqa: E402 (the extension's folder is not a package)

if not (static_maths.KATEX / "katex.min.js").is_file() or shutil.which("node") is None:
    pytest.skip("KaTeX is not installed: run `npm ci` (make does)", allow_module_level=True)


@pytest.mark.parametrize(
    "tex, display",
    [
        (r"\max(0,\; 1 - y\,f(x))", False),  # $...$
        (r"\gamma = \frac{y\,f(x)}{\lVert w \rVert}", True),  # $$...$$ (label)
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True),
        (r"t \in \begin{cases} \{1\} & m < \Delta \\ [0, 1] & m = \Delta \end{cases}", True),
        (r"\begin{align} a &= b \\ c &= d \end{align}", True),  # amsmath, nowrap
        (r"\begin{equation} \mathbb{R}^{K \times d} \end{equation}", True),
        (r"\texttt{nn.MultiMarginLoss()}(s, y) = \tfrac{1}{N}\sum_i \operatorname{loss}", True),
    ],
)
def test_every_form_of_maths_the_chapters_write_is_typeset(tex, display):
    (rendered,) = static_maths.typeset([(tex, display)])
    assert isinstance(rendered, str), rendered
    assert rendered.startswith('<span class="katex')
    assert "<math" in rendered, "MathML for screen readers"
    assert ('class="katex-display"' in rendered) == display


def test_a_formula_katex_cannot_typeset_is_an_error_that_says_why():
    (broken,), (unknown,) = (
        static_maths.typeset([(tex, False)]) for tex in (r"\frac{1}{", r"\foo")
    )
    assert isinstance(broken, ValueError) and "end of input" in str(broken).lower()
    assert isinstance(unknown, ValueError) and r"\foo" in str(unknown)


def test_display_blocks_are_split_and_aligned_as_sphinx_does_for_mathjax():
    block = nodes.math_block("a = b\n\nc = d \\\\ e", "a = b\n\nc = d \\\\ e", nowrap=False)
    tex, display = static_maths.tex_of(block)
    assert (
        display and tex == r"\begin{aligned}a = b\\\begin{split}c = d \\ e\end{split}\end{aligned}"
    )
    inline = nodes.math("x", "x")
    assert static_maths.tex_of(inline) == ("x", False)


def test_a_page_preloads_only_the_fonts_its_formulas_use():
    (html,) = static_maths.typeset([(r"x + \left(\frac{1}{2}\right)", False)])
    fonts = static_maths.fonts_used(html)
    assert fonts[:2] == ["Main-Regular", "Math-Italic"] and "AMS-Regular" not in fonts
    assert static_maths.fonts_used("<p>no maths</p>") == []


def build(tmp_path: Path, formula: str) -> subprocess.CompletedProcess:
    """A one-page Sphinx project with the extension, built strictly (-W) as `make test` does."""
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\nextensions = ['static_maths']\n"
    )
    (tmp_path / "index.rst").write_text(
        textwrap.dedent(f"""\
            Page
            ====

            Inline :math:`{formula}` and a display:

            .. math::
               :label: eq-one

               a = b
            """)
    )
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", ".", "_build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )


def test_the_strict_build_fails_on_a_formula_that_cannot_be_typeset(tmp_path):
    done = build(tmp_path, r"\frac{1}{")
    assert done.returncode != 0
    assert "KaTeX cannot typeset" in done.stderr and "index.rst" in done.stderr


def test_a_page_with_maths_carries_no_maths_script(tmp_path):
    done = build(tmp_path, r"\max(0, 1 - m)")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "_build" / "index.html").read_text()
    assert page.count('<span class="katex">') == 2 and 'id="equation-eq-one"' in page
    assert "mathjax" not in page.lower() and "katex.min.js" not in page
    assert "_static/katex/katex.min.css" in page
    assert (
        tmp_path / "_build" / "_static" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2"
    ).is_file()
