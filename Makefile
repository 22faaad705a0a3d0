# Two commands: `make reports` builds every report, `make test` runs the tests.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: reports test venv kernel lab clean-outputs bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name chengguan --display-name "Python (chengguan)" >/dev/null
	touch $(STAMP)

reports: $(STAMP)
	$(BIN)/chengguan-build $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name chengguan --display-name "Python (chengguan)"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py $(ARGS)
