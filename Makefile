# relextract: `make run` extracts from data/raw into data/out; `make test` runs the checks.
# Everything runs in the virtual environment .venv (created when missing).

VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
INPUT  ?= data/raw
OUTPUT ?= data/out

.PHONY: run test lint models install dev clean

$(PY):
	python3 -m venv $(VENV)

# stamps: reinstall only when pyproject.toml changed
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

run: install
	$(BIN)/relextract run $(INPUT) -o $(OUTPUT) --force

lint: dev
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

# models/it and models/en from ../shared/corpora (see training/README.md)
models: dev
	$(PY) -m pip install -e '.[dev,train]'
	PYTHON=$(abspath $(PY)) bash training/train_all.sh

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
