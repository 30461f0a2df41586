"""hingelib's promises: a flat API, no global side effects, loose bounds that Colab accepts."""

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import torch

import hingelib as hl

ROOT = Path(__file__).resolve().parents[1]
#: Every module of hingelib but the private ones and the live explorers, which load lazily.
MODULES = sorted(
    path.stem
    for path in Path(hl.__file__).parent.glob("*.py")
    if not path.stem.startswith("_") and path.stem not in ("widgets", "animation")
)


@pytest.mark.parametrize("module", MODULES)
def test_every_public_name_of_every_module_is_re_exported_flat(module):
    names = importlib.import_module(f"hingelib.{module}").__all__
    assert set(names) <= set(hl.__all__), set(names) - set(hl.__all__)
    for name in names:
        assert getattr(hl, name) is getattr(importlib.import_module(f"hingelib.{module}"), name)


def test_importing_hingelib_changes_no_matplotlib_settings_and_draws_no_random_numbers():
    script = (
        "import matplotlib, torch; before = dict(matplotlib.rcParams); "
        "state = torch.random.get_rng_state(); import hingelib; "
        "assert dict(matplotlib.rcParams) == before; "
        "assert torch.equal(torch.random.get_rng_state(), state); print('clean')"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "clean", result.stderr


def test_data_and_training_use_their_own_generators_not_the_global_one():
    state = torch.random.get_rng_state()
    X, y = hl.blobs_with_outliers(50, seed=3)
    hl.three_class_blobs(30, seed=3)
    hl.fit_linear(X, y, epochs=3, seed=3)
    assert torch.equal(torch.random.get_rng_state(), state)


def test_hingelib_requires_only_loose_lower_bounds_so_colab_keeps_its_own_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds = dict(re.match(r"([\w-]+)(.*)", d).groups() for d in project["dependencies"])
    assert bounds == {"torch": ">=2.1", "numpy": "", "matplotlib": ">=3.7", "ipywidgets": ">=7.6"}


def test_the_book_toolchain_pins_torch_cpu_and_jupyter_book_one():
    lines = [
        line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    assert "torch==2.13.0" in lines
    assert "jupyter-book>=1.0.4.post1,<2" in lines
    assert lines[-1] == "-e ." or "-e ." in lines
    unpinned = [
        line for line in lines if line and line != "-e ." and "==" not in line and "<" not in line
    ]
    assert unpinned == []
