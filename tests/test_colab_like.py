"""Every chapter runs alone, top to bottom, in a Colab-like kernel, and its explorers show ipympl.

Colab opens one notebook alone, in a runtime with ipywidgets 7.7.1 and IPython 7.34, older than
the book's toolchain. Here each chapter is copied alone into an empty folder and run by
``tests/colab/run_alone.py`` in a kernel of ``.venv-colab``: ``tests/colab/requirements.txt`` plus
hingelib installed from this repository into site-packages, not editable (``make colab-env``).
The chapters' Colab cell installs nothing here; ipympl is already there, as after that cell.

``make test`` runs this file in a step of its own, after nbval (the plain ``pytest`` step leaves
it out: it re-runs all the chapters). Without ``.venv-colab`` these tests skip, except under CI,
where that is a failure.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COLAB = ROOT / ".venv-colab"
COLAB_PYTHON = COLAB / "bin" / "python"
REQUIREMENTS = ROOT / "tests" / "colab" / "requirements.txt"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
#: Colab's matplotlib backend: figures appear inline, as PNGs
COLAB_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

if not COLAB_PYTHON.exists():
    reason = f"no Colab-like environment in {COLAB.name}: run `make colab-env`"
    if os.environ.get("CI"):
        raise RuntimeError(reason + " (`make test` creates it)")
    pytest.skip(reason, allow_module_level=True)


def pinned(package: str) -> str:
    """The version tests/colab/requirements.txt pins ``package`` to."""
    found = re.search(rf"^{package}==([\w.]+)", REQUIREMENTS.read_text(), re.MULTILINE)
    assert found, f"{REQUIREMENTS.name} pins no {package}"
    return found[1]


def tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def twin_cells(notebook) -> list:
    """(index, tag) of each cell tagged twin-*: a live explorer (the website shows its twin)."""
    return [
        (i, tag)
        for i, cell in enumerate(notebook["cells"])
        for tag in tags(cell)
        if tag.startswith("twin-")
    ]


EXPLORER_CHAPTERS = [c for c in CHAPTERS if twin_cells(json.loads(c.read_text()))]


class Run:
    """One chapter run alone: the executed notebook, whether every cell ran, the runner's stderr."""

    def __init__(self, chapter: Path, out_dir: Path):
        executed = out_dir / chapter.name
        env = {**os.environ, **COLAB_ENV}
        env.setdefault("OMP_NUM_THREADS", "1")  # as `make` sets it
        env.pop("PYTHONPATH", None)  # the kernel must find hingelib where Colab would, only
        done = subprocess.run(
            [COLAB_PYTHON, ROOT / "tests" / "colab" / "run_alone.py", chapter, executed],
            cwd=out_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        self.chapter, self.stderr = chapter.name, done.stderr
        if done.returncode not in (0, 1) or not executed.exists():
            pytest.fail(f"{chapter.name}: the runner failed ({done.returncode}):\n{done.stderr}")
        self.notebook = json.loads(executed.read_text())
        self.cells = self.notebook["cells"]
        self.completed = done.returncode == 0
        self.kernel = self.notebook["metadata"].get("colab_like")  # what the kernel ran with

    def require_completed(self):
        if not self.completed:
            pytest.skip(f"{self.chapter} stopped at a failing cell: see the test that runs it")


def text_of(output) -> str:
    """The text an output shows: a stream's, a result's text/plain, an error's traceback."""
    if output["output_type"] == "error":
        return ANSI.sub("", "\n".join(output["traceback"]))  # one line an item
    if output["output_type"] == "stream":
        text = output["text"]
    else:
        text = output.get("data", {}).get("text/plain", "")
    return ANSI.sub("", "".join(text) if isinstance(text, list) else text)


@pytest.fixture(scope="module")
def run_alone(tmp_path_factory):
    """Runs a chapter alone once; the tests below share each run."""
    runs = {}

    def run(chapter: Path) -> Run:
        if chapter not in runs:
            runs[chapter] = Run(chapter, tmp_path_factory.mktemp(chapter.stem))
        return runs[chapter]

    return run


def test_colab_env_holds_the_repositorys_current_hingelib():
    site_packages = COLAB.glob("lib/python*/site-packages/hingelib/*.py")
    installed = {p.name: p.read_text() for p in site_packages}
    source = {p.name: p.read_text() for p in (ROOT / "hingelib").glob("*.py")}
    differ = sorted(
        n for n in installed.keys() | source.keys() if installed.get(n) != source.get(n)
    )
    assert not differ, f"{COLAB.name}'s hingelib differs in {differ}: run `make colab-env`"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.name)
def test_every_cell_runs_without_error_when_the_chapter_runs_alone(chapter, run_alone):
    run = run_alone(chapter)
    for index, cell in enumerate(run.cells):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error" and "raises-exception" not in tags(cell):
                pytest.fail(
                    f"{run.chapter}, cell {index} (In [{cell.get('execution_count')}]) raised "
                    f"{output['ename']}: {output['evalue']}\n"
                    f"--- the cell ---\n{''.join(cell['source'])}\n"
                    f"--- its traceback ---\n{text_of(output)}"
                )
            assert "Traceback" not in text_of(output), (
                f"{run.chapter}, cell {index} printed a traceback:\n{text_of(output)}"
            )
    assert run.completed, f"{run.chapter} stopped early:\n{run.stderr}"
    assert "Traceback" not in run.stderr, f"{run.chapter}: the kernel logged:\n{run.stderr}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.name)
def test_the_kernel_is_colab_like_and_imports_hingelib_from_site_packages(chapter, run_alone):
    run = run_alone(chapter)
    run.require_completed()
    kernel = run.kernel
    assert Path(kernel["prefix"]).resolve() == COLAB.resolve(), "the kernel is not .venv-colab's"
    assert kernel["ipywidgets"] == pinned("ipywidgets")
    assert kernel["ipython"] == pinned("ipython")
    hingelib = Path(kernel["hingelib"])
    assert hingelib.is_relative_to(kernel["site_packages"]), f"hingelib came from {hingelib}"
    assert not Path(kernel["cwd"]).is_relative_to(ROOT), "the chapter ran in the repository"
    assert run.chapter in kernel["cwd_files"] and "hingelib" not in kernel["cwd_files"]


def test_the_explorer_chapters_are_found_by_their_twin_tags():
    assert EXPLORER_CHAPTERS, "no chapter has a cell tagged twin-*: were the tags renamed?"


@pytest.mark.parametrize("chapter", EXPLORER_CHAPTERS, ids=lambda path: path.name)
def test_each_explorer_cell_shows_a_widget_with_ipympls_canvas(chapter, run_alone):
    run = run_alone(chapter)
    run.require_completed()
    state = run.notebook["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for index, tag in twin_cells(run.notebook):
        views = [
            o["data"][WIDGET_VIEW]
            for o in run.cells[index]["outputs"]
            if WIDGET_VIEW in o.get("data", {})
        ]
        assert views, f"{run.chapter}, cell {index} ({tag}) displayed no widget"
        models = widget_tree(state, views[0]["model_id"])
        assert "MPLCanvasModel" in models, (
            f"{run.chapter}, cell {index} ({tag}) shows no ipympl canvas (clicks need it); "
            f"its widgets: {sorted(set(models))}"
        )


def widget_tree(state: dict, model_id: str) -> list:
    """The model names of a widget and of every widget it refers to (children, layout, ...)."""
    names, todo, seen = [], [model_id], set()
    while todo:
        current = todo.pop()
        if current in seen or current not in state:
            continue
        seen.add(current)
        names.append(state[current]["model_name"])
        values = state[current]["state"].values()
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith("IPY_MODEL_"):
                    todo.append(item.removeprefix("IPY_MODEL_"))
    return names
