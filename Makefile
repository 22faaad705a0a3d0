# Two commands: `make reports` builds every report, `make test` runs the tests.
# Both create the virtual environment in .venv on first use, with the exact versions of
# requirements.lock (installed by uv; `make lock` refreshes the lock after pyproject.toml changes).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
# uv installs the environment; its version is the one the lock pins.
UV_VERSION := $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' $(LOCK))

.PHONY: reports test venv lock lock-upgrade kernel lab bench check

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name chengguan --display-name "Python (chengguan)" >/dev/null
	touch $(STAMP)

# Resolve every dependency (all extras, every platform) into the lock: `lock` keeps the pinned
# versions that still fit pyproject.toml (after adding or changing a dependency), `lock-upgrade`
# moves everything to the newest versions pyproject.toml allows.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 --quiet -o $(LOCK)

lock-upgrade: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 --upgrade --quiet -o $(LOCK)

# The engine's exit code is make's: 0 built, 1 a run failed, 2 refused, 130/129/143 interrupted.
reports: $(STAMP)
	@$(BIN)/python -m chengguan.theme --check-cjk
	$(BIN)/chengguan-build $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

# Lint and type checks (run by .ci/run).
check: $(STAMP)
	$(BIN)/ruff check lib engine
	$(BIN)/mypy

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name chengguan --display-name "Python (chengguan)"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py $(ARGS)
