"""Run one chapter as Colab does: the notebook alone in an empty folder, top to bottom, in a kernel.

    .venv-colab/bin/python tests/colab/run_alone.py CHAPTER.ipynb EXECUTED.ipynb

tests/test_colab_like.py runs this with the Colab-like environment's Python (.venv-colab, from
tests/colab/requirements.txt), so the kernel is that Python too. The notebook is copied alone into
a fresh temporary folder, the kernel's working directory, so that a chapter cannot read the
repository's files. EXECUTED.ipynb receives the outputs and the widget state, also when a cell
fails, and, if every cell ran, what the kernel ran with in ``metadata.colab_like`` (a last cell,
added to ask the kernel, and then removed).

Exit status: 0 if every cell ran, 1 if one raised (its error is in EXECUTED.ipynb).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

#: The last cell: what the kernel ran with, printed as JSON.
PROBE = """\
import json, os, sys, sysconfig
import IPython, ipywidgets, hingelib
print(json.dumps({
    "prefix": sys.prefix,
    "ipywidgets": ipywidgets.__version__,
    "ipython": IPython.__version__,
    "hingelib": hingelib.__file__,
    "site_packages": sysconfig.get_paths()["purelib"],
    "cwd": os.getcwd(),
    "cwd_files": sorted(os.listdir()),
}))
"""
CELL_TIMEOUT = 600  # seconds; a chapter's slowest cell takes about 20


def kernel_manager(spec_dir: Path):
    """A kernel manager whose kernel is this Python, whatever kernelspecs the machine has."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = spec_dir / "colab-like"
    spec.mkdir()
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Colab-like", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    specs = KernelSpecManager(kernel_dirs=[str(spec_dir)])
    return KernelManager(kernel_name="colab-like", kernel_spec_manager=specs)


def run_alone(chapter: Path, executed: Path) -> bool:
    """Execute ``chapter`` alone and write it to ``executed``; True if no cell raised."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory() as alone, tempfile.TemporaryDirectory() as specs:
        copy = Path(alone) / chapter.name
        shutil.copyfile(chapter, copy)
        notebook = nbformat.read(copy, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
        km = kernel_manager(Path(specs))
        client = NotebookClient(
            notebook, km=km, timeout=CELL_TIMEOUT, resources={"metadata": {"path": alone}}
        )
        try:
            client.execute()
        except CellExecutionError:
            nbformat.write(notebook, executed)
            return False
        finally:
            if km.has_kernel:  # nbclient shuts down only the kernels it started itself
                km.shutdown_kernel()
        probe = notebook.cells.pop()
        stdout = [out.text for out in probe.outputs if out.get("name") == "stdout"]
        notebook.metadata["colab_like"] = json.loads("".join(stdout))
        nbformat.write(notebook, executed)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    chapter, executed = Path(argv[0]), Path(argv[1])
    if chapter.suffix != ".ipynb" or not chapter.is_file():
        print(f"{chapter}: not a notebook file; pass a chapters/*.ipynb", file=sys.stderr)
        return 2
    return 0 if run_alone(chapter, executed) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
