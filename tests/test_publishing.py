"""The publishing set-up: the GitHub Actions workflow that tests and deploys the book, and Binder.

``.github/workflows/book.yml`` must test every pull request with the README's test command and
deploy to GitHub Pages only from main, exactly the site that command built; every action is pinned
to a commit, only the deploy job may write, and the pip cache is keyed on every requirements file.
``binder/`` must run the chapters with the toolchain's own versions: each pin equals the root
``requirements.txt``, and everything a chapter or hingelib imports gets installed. Files are only
read: nothing here needs the network.
"""

import ast
import importlib.metadata
import json
import os
import re
import sys
import tomllib
from pathlib import Path

import yaml
from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW_PATH = ROOT / ".github" / "workflows" / "book.yml"
WORKFLOW_TEXT = WORKFLOW_PATH.read_text()
WORKFLOW = yaml.safe_load(WORKFLOW_TEXT)
JOBS = WORKFLOW["jobs"]
BINDER = ROOT / "binder"
CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"
CI_RUN = "bash .ci/run"  # what CI runs: the README's test command, `make test`
UPLOAD_PAGES, DEPLOY_PAGES = "actions/upload-pages-artifact", "actions/deploy-pages"
ON_MAIN = "github.ref == 'refs/heads/main'"  # false for pull requests (their ref is refs/pull/...)
#: Imported only on Colab, by the install cell that runs there alone.
COLAB_ONLY = "google.colab"
#: Not part of the repository: folders that a walk for its requirements files skips.
NOT_TRACKED = {"_build", "node_modules"}
#: Exceptions whose handler makes the imports in its `try` optional.
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def triggers(workflow):
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(job):
    return job.get("steps", [])


def steps_using(job, action):
    return [step for step in steps(job) if step.get("uses", "").split("@")[0] == action]


def job_with_step(action):
    """The name of the one job that uses ``action``."""
    names = [name for name, job in JOBS.items() if steps_using(job, action)]
    assert len(names) == 1, f"{action} should be used by exactly one job, not {names}"
    return names[0]


def job_running(command):
    names = [
        name for name, job in JOBS.items() for step in steps(job) if step.get("run") == command
    ]
    assert len(names) == 1, f"`{command}` should be run by exactly one job, not {names}"
    return names[0]


def non_comment_lines(path):
    lines = (line.split(" #")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def pins(path):
    """Package name -> version specifier (maybe empty) of every requirement in the file."""
    found = {}
    for line in non_comment_lines(path):
        if line.startswith("-") or line == ".":  # options, `-e .` and the repository itself
            continue
        requirement = Requirement(line)
        found[canonicalize_name(requirement.name)] = str(requirement.specifier)
    return found


def glob_regex(pattern):
    """A regex for a hashFiles() glob: ``**/`` is any number of folders, ``*`` stays in one."""
    parts = re.split(r"(\*\*/|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts) + r"\Z")


def requirements_files():
    """Every requirements*.txt in the repository (not in .venv, _build or other hidden folders)."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d not in NOT_TRACKED]
        for name in files:
            if re.fullmatch(r"requirements.*\.txt", name):
                yield (Path(folder) / name).relative_to(ROOT).as_posix()


def catches_import_error(handler):
    if handler.type is None:  # a bare `except:`
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(t, ast.Name) and t.id in IMPORT_ERRORS for t in types)


def imported_modules(source):
    """Dotted names that ``source`` imports, except optional ones (in a try for ImportError)."""
    found = set()

    def visit(node, optional):
        if isinstance(node, ast.Try) and any(map(catches_import_error, node.handlers)):
            for child in node.body:
                visit(child, True)
            for child in node.handlers + node.orelse + node.finalbody:
                visit(child, optional)
            return
        if not optional and isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        if not optional and isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child, optional)

    visit(ast.parse(source), False)
    return found


def chapter_and_hingelib_imports():
    """Dotted module name -> the files that import it, from every chapter code cell and hingelib."""
    sources = [(path.name, path.read_text()) for path in sorted((ROOT / "hingelib").glob("*.py"))]
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":  # %pip and other magics become Python first
                code = TransformerManager().transform_cell("".join(cell["source"]))
                sources.append((path.name, code))
    found = {}
    for name, source in sources:
        for module in imported_modules(source):
            found.setdefault(module, set()).add(name)
    return found


# The workflow


def test_workflow_runs_on_pull_requests_pushes_to_main_and_by_hand():
    on = triggers(WORKFLOW)
    assert "pull_request" in on
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on


def test_every_action_is_pinned_to_a_commit_sha_with_its_release_in_a_comment():
    uses_lines = [line.strip() for line in WORKFLOW_TEXT.splitlines() if "uses:" in line]
    pinned = re.compile(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")
    assert [line for line in uses_lines if not pinned.fullmatch(line)] == []
    parsed = [step["uses"] for job in JOBS.values() for step in steps(job) if "uses" in step]
    assert len(parsed) == len(uses_lines), "every `uses:` should stand on its own line"


def test_workflow_permissions_are_read_only_except_pages_for_the_deploy_job():
    top = WORKFLOW["permissions"]
    assert isinstance(top, dict), f"top-level permissions should name scopes, not {top!r}"
    assert set(top.values()) <= {"read", "none"}
    writes = {}
    for name, job in JOBS.items():
        granted = job.get("permissions", {})
        assert isinstance(granted, dict), f"job {name}: permissions should name scopes"
        writes[name] = {scope for scope, level in granted.items() if level == "write"}
    deploy = job_with_step(DEPLOY_PAGES)
    assert writes == {name: set() for name in JOBS} | {deploy: {"pages", "id-token"}}


def test_deploy_job_deploys_the_uploaded_site_to_the_github_pages_environment():
    deploy = job_with_step(DEPLOY_PAGES)
    job = JOBS[deploy]
    assert job["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert [step.get("id") for step in steps_using(job, DEPLOY_PAGES)] == ["deployment"]
    needs = job["needs"] if isinstance(job["needs"], list) else [job["needs"]]
    assert job_with_step(UPLOAD_PAGES) in needs
    assert job["concurrency"]["cancel-in-progress"] is False  # a running deployment finishes


def test_site_is_uploaded_and_deployed_only_from_main():
    [upload] = steps_using(JOBS[job_with_step(UPLOAD_PAGES)], UPLOAD_PAGES)
    assert ON_MAIN in upload.get("if", "")
    assert ON_MAIN in JOBS[job_with_step(DEPLOY_PAGES)].get("if", "")


def test_test_job_runs_the_readme_test_command_in_a_debian_container_on_every_event():
    name = job_running(CI_RUN)
    job = JOBS[name]
    assert "if" not in job, "the tests run on pull requests too"
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make test +# what CI runs", readme, re.MULTILINE)
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)
    image = job["container"] if isinstance(job["container"], str) else job["container"]["image"]
    # .ci/run apt-installs chromium: Debian's is the browser; Ubuntu's is a shim for a snap.
    assert re.fullmatch(r"python:3\.(1[1-9])-(bookworm|trixie)", image), image


def test_every_job_has_a_timeout():
    assert [name for name, job in JOBS.items() if "timeout-minutes" not in job] == []


def test_pages_artifact_is_the_site_the_tested_build_wrote():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    build = next(line for line in recipe.splitlines() if "jupyter-book build" in line)
    # Without --path-output or --builder, `jupyter-book build .` writes HTML into ./_build/html.
    assert "jupyter-book build . " in build
    assert "--path-output" not in build and "--builder" not in build
    name = job_with_step(UPLOAD_PAGES)
    assert name == job_running(CI_RUN), "deploy the site the tests ran against"
    job_steps = steps(JOBS[name])
    upload = steps_using(JOBS[name], UPLOAD_PAGES)[0]
    assert os.path.normpath(upload["with"]["path"]) == os.path.join("_build", "html")
    ran = next(i for i, step in enumerate(job_steps) if step.get("run") == CI_RUN)
    assert job_steps.index(upload) > ran


def test_screenshots_are_kept_after_every_run_that_was_not_cancelled():
    job = JOBS[job_running(CI_RUN)]
    [upload] = steps_using(job, "actions/upload-artifact")
    assert os.path.normpath(upload["with"]["path"]) == os.path.join("_build", "screenshots")
    assert upload["with"]["if-no-files-found"] == "warn"
    assert upload["if"] == "${{ !cancelled() }}"


def test_pip_cache_is_keyed_on_every_requirements_file_and_pyproject():
    job = JOBS[job_running(CI_RUN)]
    [cache] = steps_using(job, "actions/cache")
    assert cache["with"]["path"] == job["env"]["PIP_CACHE_DIR"]
    hashed = re.search(r"hashFiles\(([^)]*)\)", cache["with"]["key"]).group(1)
    patterns = [glob_regex(pattern) for pattern in re.findall(r"'([^']+)'", hashed)]
    files = [*requirements_files(), "pyproject.toml"]
    assert "requirements.txt" in files and "binder/requirements.txt" in files
    assert [file for file in files if not any(p.match(file) for p in patterns)] == []


def test_hashfiles_glob_matches_like_github_does():
    pattern = glob_regex("**/requirements*.txt")
    assert pattern.match("requirements.txt") and pattern.match("tests/colab/requirements.txt")
    assert not pattern.match("requirements.txt.orig") and not pattern.match("docs/reqs.txt")
    assert not glob_regex("*.txt").match("binder/requirements.txt")


# Binder


def test_binder_runs_python_3_12_which_hingelib_supports():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.12"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "3.12" in SpecifierSet(project["requires-python"])


def test_binder_takes_torch_from_the_cpu_index_and_installs_the_repository_last():
    lines = non_comment_lines(BINDER / "requirements.txt")
    assert lines[0] == CPU_INDEX
    assert lines[-1] == "."
    assert "torch" in pins(BINDER / "requirements.txt")


def test_binder_pins_are_the_toolchain_pins():
    binder, toolchain = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    toolchain_pins = {name: spec for name, spec in toolchain.items() if spec.startswith("==")}
    differ = {
        name: (spec, toolchain_pins.get(name, "unpinned"))
        for name, spec in binder.items()
        if (spec or name in toolchain_pins) and spec != toolchain_pins.get(name)
    }
    assert differ == {}, "binder pin, toolchain pin"


def test_binder_installs_every_package_the_chapters_and_hingelib_import():
    binder = set(pins(BINDER / "requirements.txt"))
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, files in sorted(chapter_and_hingelib_imports().items()):
        top = module.split(".")[0]
        if module.startswith(COLAB_ONLY) or top in sys.stdlib_module_names or top == "hingelib":
            continue
        provided_by = {canonicalize_name(name) for name in distributions.get(top, [])}
        if not provided_by & binder:
            missing[module] = (sorted(provided_by) or "not installed", sorted(files))
    assert missing == {}, "module: (its distributions, importing files)"


def test_optional_imports_are_told_apart_from_required_ones():
    source = (
        "import torch.nn\nfrom os import path\nfrom . import losses\n"
        "try:\n    import myst_nb\nexcept ImportError:\n    import IPython\n"
        "def f():\n    from PIL import Image\n"
    )
    assert imported_modules(source) == {"torch.nn", "os", "IPython", "PIL"}


def test_the_how_to_use_page_clones_the_repository_the_book_names():
    # how_to_use.md spells the clone command out; it must follow _config.yml's repository.url
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    clones = re.findall(r"git clone (\S+)", (ROOT / "how_to_use.md").read_text())
    assert clones == [f"{url}.git"], f"how_to_use.md should say `git clone {url}.git`"
    folder = url.rstrip("/").rsplit("/", 1)[1]
    assert f"cd {folder}\n" in (ROOT / "how_to_use.md").read_text()
