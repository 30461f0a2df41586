# The book's commands: `make book` builds the website, `make test` checks everything CI checks.
# Every target runs the tools in .venv, which the first target that needs it creates.

PY ?= python3
# The book's problems are tiny (hundreds of points): extra BLAS/OpenMP threads only add overhead,
# and on a busy 2-core machine they made a small batched fit 14-23x slower. Override with OMP_NUM_THREADS=2.
export OMP_NUM_THREADS ?= 1
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHAPTERS := $(wildcard chapters/*.ipynb)
SANITIZE := chapters/nbval_sanitize.cfg
# Python that ruff checks; wildcard skips a folder that does not exist yet.
PYTHON_PATHS := $(wildcard hingelib tests benchmarks chapters _ext)

.PHONY: help venv .venv book test bench lab notebooks clean distclean
.DELETE_ON_ERROR:

help:
	@echo "make book       build the website into _build/html"
	@echo "make test       lint, unit tests, re-run the chapters (nbval), strict website build"
	@echo "make lab        open the chapters in JupyterLab"
	@echo "make notebooks  re-execute every chapter in place (commit the outputs)"
	@echo "make bench      run the benchmarks"
	@echo "make clean      remove _build; make distclean also removes .venv"

# The virtual environment, reinstalled whenever the pinned toolchain or hingelib's metadata change.
venv .venv: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

book: $(INSTALLED)
	$(BIN)/jupyter-book build .
	@echo "Book built: file://$(CURDIR)/_build/html/index.html"

test: $(INSTALLED)
	$(BIN)/ruff check $(PYTHON_PATHS)
	$(BIN)/ruff format --check $(PYTHON_PATHS)
	$(BIN)/jupyter-book build . --all --warningiserror --nitpick --keep-going
	$(BIN)/pytest  # unit tests, the doctests in hingelib/ and checks on the site just built
	$(BIN)/pytest --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) chapters/

bench: $(INSTALLED)
	$(BIN)/python benchmarks/run.py

lab: $(INSTALLED)
	$(BIN)/jupyter lab chapters/

notebooks: $(INSTALLED)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.store_widget_state=False $(CHAPTERS)  # clean diffs, small files

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV)
