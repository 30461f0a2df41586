# The book's commands: `make book` builds the website, `make test` checks everything CI checks.
# Every target runs the tools in .venv, which the first target that needs it creates.

PY ?= python3
# The book's problems are tiny (hundreds of points): extra BLAS/OpenMP threads only add overhead,
# and on a busy 2-core machine they made a small batched fit 14-23x slower. Override with OMP_NUM_THREADS=2.
export OMP_NUM_THREADS ?= 1
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# A second environment like Colab's (ipywidgets 7.7.1, IPython 7.34), to run each chapter alone.
COLAB_VENV := .venv-colab
COLAB_INSTALLED := $(COLAB_VENV)/.installed
COLAB_TEST := tests/test_colab_like.py
CHAPTERS := $(wildcard chapters/*.ipynb)
SANITIZE := chapters/nbval_sanitize.cfg
# The website's Node tools, from package-lock.json: KaTeX typesets the maths at build time, Font
# Awesome's SVG files become inline icons, axe-core audits the pages in the browser tests.
NODE_INSTALLED := node_modules/.installed
# Python that ruff checks; wildcard skips a folder that does not exist yet.
PYTHON_PATHS := $(wildcard hingelib tests benchmarks chapters _ext)

.PHONY: help venv .venv node colab-env book test colab bench lab notebooks clean distclean
.DELETE_ON_ERROR:

help:
	@echo "make book       build the website into _build/html"
	@echo "make test       lint, unit tests, re-run the chapters (nbval), strict website build,"
	@echo "                every chapter run alone in a Colab-like environment (make colab)"
	@echo "make colab      run every chapter alone in .venv-colab: ipywidgets 7.7.1, as on Colab"
	@echo "make lab        open the chapters in JupyterLab"
	@echo "make notebooks  re-execute every chapter in place (commit the outputs)"
	@echo "make bench      run the benchmarks"
	@echo "make clean      remove _build; make distclean also removes .venv, .venv-colab, node_modules"

# The virtual environment, reinstalled whenever the pinned toolchain or hingelib's metadata change.
venv .venv: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

# npm ci installs exactly the lock file's versions, again whenever package.json or the lock change.
node: $(NODE_INSTALLED)

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The Colab-like environment: tests/colab/requirements.txt, then hingelib from a copy of its source,
# not editable (a chapter must not reach the repository), reinstalled whenever hingelib/ changes.
# The copy keeps setuptools' build/ folder out of the repository.
colab-env: $(COLAB_INSTALLED)

$(COLAB_INSTALLED): tests/colab/requirements.txt pyproject.toml hingelib $(wildcard hingelib/*.py)
	test -x $(COLAB_VENV)/bin/python || $(PY) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --upgrade pip
	$(COLAB_VENV)/bin/python -m pip install -r tests/colab/requirements.txt
	rm -rf $(COLAB_VENV)/src && mkdir $(COLAB_VENV)/src
	cp -R pyproject.toml README.md hingelib $(COLAB_VENV)/src/
	$(COLAB_VENV)/bin/python -m pip install --force-reinstall --no-deps $(COLAB_VENV)/src
	rm -rf $(COLAB_VENV)/src
	touch $@

book: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/jupyter-book build .
	@echo "Book built: file://$(CURDIR)/_build/html/index.html"

test: $(INSTALLED) $(NODE_INSTALLED) $(COLAB_INSTALLED)
	$(BIN)/ruff check $(PYTHON_PATHS)
	$(BIN)/ruff format --check $(PYTHON_PATHS)
	$(BIN)/jupyter-book build . --all --warningiserror --nitpick --keep-going
	$(BIN)/pytest --ignore=$(COLAB_TEST)  # unit tests, hingelib's doctests, the site just built
	$(BIN)/pytest --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) chapters/
	$(BIN)/pytest $(COLAB_TEST)  # every chapter alone in .venv-colab, as Colab runs it

# Every chapter run alone, top to bottom, in the Colab-like environment (the end of `make test`).
colab: $(INSTALLED) $(COLAB_INSTALLED)
	$(BIN)/pytest $(COLAB_TEST)

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
	rm -rf $(VENV) $(COLAB_VENV) node_modules
