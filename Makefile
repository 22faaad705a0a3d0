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

.PHONY: reports test test-quick venv lock lock-upgrade kernel lab strip nbstripout bench check

venv: $(STAMP)

# The bytecode of what is imported is written once, here (tools/compile_imports.py imports it: the
# kernels' stack and the engine's and tests' stack, in two processes at once). Without it every
# process (each test worker, kernel and engine worker) compiles pandas, matplotlib and statsmodels
# from source at import, about 4 s of CPU each, and keeps doing so where PYTHONDONTWRITEBYTECODE is
# set. Compiling every installed file instead (uv's --compile-bytecode) takes 2.5 times as long.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name chengguan --display-name "Python (chengguan)" >/dev/null
	$(BIN)/python -Xfrozen_modules=off tools/compile_imports.py kernel & kernel=$$!; \
	$(BIN)/python tools/compile_imports.py tools && wait $$kernel
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

# The tests run on every core (pytest-xdist; all of a file's tests on one worker, so a module's
# fixtures are made once), and the notebooks and the site are built once per session, shared by
# the workers (tests/notebook_runs.py). `make test-quick` is the inner loop: every test but those
# that execute notebooks or drive the browser (markers in pyproject.toml). TEST_WORKERS=0: one process.
# Files are handed out in the order conftest.py gives them (the slow ones first), not by test count.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
test: $(STAMP)
	$(PYTEST) $(ARGS)

test-quick: $(STAMP)
	$(PYTEST) -m "not notebooks and not browser" $(ARGS)

# Lint and type checks (run by .ci/run).
check: $(STAMP)
	$(BIN)/ruff check lib engine tools
	$(BIN)/mypy

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name chengguan --display-name "Python (chengguan)"

# Jupyter refuses to start as root without --allow-root (containers, CI machines): given then.
# `make lab ARGS='--port 8890 --no-browser'` passes options on. It also installs the git filter below.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP) nbstripout
	$(BIN)/jupyter lab notebooks/ $(if $(filter --allow-root,$(ARGS)),,$(LAB_ROOT)) $(ARGS)

# Notebooks are committed without outputs (tests/test_notebooks_clean.py). `make strip` removes
# outputs, execution counts and papermill's metadata from every notebook in place (nbstripout;
# cell ids are kept so that a strip makes no diff of its own).
STRIP_KEYS := metadata.papermill cell.metadata.papermill
NBSTRIPOUT := $(BIN)/python -m nbstripout --keep-id
strip: $(STAMP)
	$(NBSTRIPOUT) --extra-keys "$(STRIP_KEYS)" notebooks/*.ipynb

# nbstripout as this clone's git filter for *.ipynb (.gitattributes names it): git strips each
# notebook as it stages it, so a commit cannot carry outputs even when the saved file has them, and
# `git diff` compares notebooks without them. Git's config is not versioned, hence this target
# (a copy that is not a git checkout has nothing to install).
nbstripout: $(STAMP)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '"$(CURDIR)/$(BIN)/python" -m nbstripout --keep-id' && \
	  git config filter.nbstripout.smudge cat && \
	  git config filter.nbstripout.required true && \
	  git config filter.nbstripout.extrakeys '$(STRIP_KEYS)' && \
	  git config diff.ipynb.textconv '"$(CURDIR)/$(BIN)/python" -m nbstripout --keep-id -t' && \
	  echo "nbstripout: git strips notebook outputs on commit in this clone ($$(git rev-parse --show-toplevel))"; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py $(ARGS)
