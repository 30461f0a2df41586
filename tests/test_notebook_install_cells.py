"""Chapter notebooks agree with the book settings: the Colab install cell and the toc.

Colab opens one notebook alone, without the repository, so each chapter's first code cell installs
hingelib there, and only there, from the repository and branch that ``_config.yml`` names. The cell
is run here with a stand-in for IPython that records the ``%pip`` line instead of installing.
"""

import json
import shlex
import sys
import types
from pathlib import Path

import pytest
import yaml
from IPython.core.inputtransformer2 import TransformerManager

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from chapter_overview import toc_files  # noqa: E402 (the extension's folder is not a package)

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
PAGE_SUFFIXES = (".ipynb", ".md", ".rst")


class PipRecorder:
    """Stands in for ``get_ipython()``: records line magics instead of running them."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line, _stack_depth=1):
        self.magics.append((name, line))


def first_code_cell(notebook_path):
    cells = json.loads(notebook_path.read_text())["cells"]
    return next(cell for cell in cells if cell["cell_type"] == "code")


def run_install_cell(notebook_path, *, on_colab, monkeypatch):
    """Run the first code cell as IPython would and return the line magics and Colab calls made."""
    recorder = PipRecorder()
    if on_colab:
        colab = types.ModuleType("google.colab")
        colab.output = types.SimpleNamespace(
            enable_custom_widget_manager=lambda: recorder.magics.append(("colab", "widgets"))
        )
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    source = "".join(first_code_cell(notebook_path)["source"])
    exec(TransformerManager().transform_cell(source), {"get_ipython": lambda: recorder})
    return recorder.magics


def uses_live_explorers(notebook_path):
    cells = json.loads(notebook_path.read_text())["cells"]
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return "explorer(" in code or "animation(" in code


def page_exists(toc_path):
    path = ROOT / toc_path
    if path.suffix in PAGE_SUFFIXES:
        return path.is_file()
    return any(path.with_suffix(suffix).is_file() for suffix in PAGE_SUFFIXES)


TOC_FILES = [TOC["root"], *toc_files(TOC)]  # the walk {chapter-overview} uses


def test_the_book_has_chapter_notebooks():
    assert CHAPTERS, "no chapters/*.ipynb found"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_first_code_cell_is_tagged_remove_cell_so_the_website_hides_it(notebook):
    tags = first_code_cell(notebook).get("metadata", {}).get("tags", [])
    assert "remove-cell" in tags, f"{notebook.name}: tag the install cell 'remove-cell'"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_install_cell_installs_nothing_outside_colab(notebook, monkeypatch):
    assert run_install_cell(notebook, on_colab=False, monkeypatch=monkeypatch) == []


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_install_cell_on_colab_pip_installs_hingelib_from_the_configured_branch(
    notebook, monkeypatch
):
    repository = CONFIG["repository"]
    expected_url = f"git+{repository['url']}@{repository['branch']}"
    magics = run_install_cell(notebook, on_colab=True, monkeypatch=monkeypatch)
    magics = [magic for magic in magics if magic[0] != "colab"]
    assert len(magics) == 1 and magics[0][0] == "pip", f"{notebook.name}: one %pip line expected"
    args = shlex.split(magics[0][1])
    assert args[0] == "install"
    requirements = [arg for arg in args[1:] if not arg.startswith("-")]
    # Colab has no ipympl; a chapter with live explorers installs it for their clickable canvas
    extras = ["ipympl"] if uses_live_explorers(notebook) else []
    assert requirements == [f"hingelib @ {expected_url}", *extras]


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_chapters_with_live_explorers_enable_colabs_widget_manager(notebook, monkeypatch):
    # ipympl's canvas, and so clicking to add points, draws on Colab only with its custom manager
    calls = run_install_cell(notebook, on_colab=True, monkeypatch=monkeypatch)
    enabled = ("colab", "widgets") in calls
    assert enabled == uses_live_explorers(notebook), (
        f"{notebook.name}: call google.colab.output.enable_custom_widget_manager() in the Colab "
        "cell exactly when the chapter shows a live explorer"
    )


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_every_chapter_notebook_is_listed_in_the_toc(notebook):
    listed = {str(Path(path).with_suffix("")) for path in TOC_FILES}
    page = notebook.relative_to(ROOT).with_suffix("").as_posix()
    assert page in listed, f"add `- file: {page}` to _toc.yml"


@pytest.mark.parametrize("toc_path", TOC_FILES)
def test_every_toc_entry_points_to_an_existing_page(toc_path):
    assert page_exists(toc_path), f"_toc.yml lists {toc_path}, which has no .ipynb, .md or .rst"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_notebooks_store_no_widget_state(notebook):
    # ipympl keeps a PNG of every live figure in the widget state: hundreds of kB per chapter that
    # no reader sees (the website runs its own explorers). `make notebooks` does not store it.
    metadata = json.loads(notebook.read_text())["metadata"]
    assert "widgets" not in metadata, f"{notebook.name}: drop metadata.widgets (make notebooks)"
