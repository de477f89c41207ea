# Two commands do all set-up on a machine with Python 3.11+:
#   make report   creates .venv, installs smkit, builds the sample store, runs every playbook
#   make test     the same set-up (with the spark extra, so the Spark tests run), then lint, format check, the docs build and the whole test suite
#   make docs     the documentation site (Chinese and English) into site/, strictly
# For the edit-test loop: make test-fast (the unit layer: no sample store, no kernel).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install store report test test-fast lint format docs bench clean

# uv installs the packages faster than pip (bytecode compiled, as pip does); pip is the fallback where uv cannot be had or reach
# the index (uv reads PyPI and UV_INDEX_URL, not pip's configuration).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("smkit needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	( $(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev,spark]' ) \
	  || ( $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[dev,spark]' )
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

store: install
	$(BIN)/smkit init-store

report: store
	$(BIN)/smkit run --all --jobs 2 --overwrite

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Strict: a broken link, a missing page or a missing translation fails the build.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

test: lint docs
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -n 2 --dist loadgroup -p no:cacheprovider

test-fast: install
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -m "not slow" -p no:cacheprovider

bench: store
	for script in scripts/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) site data/smkit.duckdb data/sample data/quarantine data/ingest_reports data/cache
