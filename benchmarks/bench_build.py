"""Benchmark: the plain papermill + nbconvert way against chengguan-build.

Builds the same set of runs (a) the plain way, papermill CLI then `jupyter nbconvert --to html`
per run, one after another; (b) with the engine from cold (empty outputs); (c) with the engine
when nothing changed; (d) after a code change to one notebook. Prints times and ratios to (a).

Everything happens in a temporary copy of the project (notebooks, data, a benchmark manifest);
the real outputs/ is never touched. By default the set is the real manifest's runs (every report
the project builds); --domain builds 12 runs of the core notebooks instead (garbage sorting and
non-site enforcement over two languages and two values of one parameter, illegal construction and
street environment over two languages), --fixtures 12 runs of the small test notebook.

    .venv/bin/python benchmarks/bench_build.py [--domain | --fixtures] [--touch STEM] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

DOMAIN_RUNS = """
[[runs]]
name = "garbage_sorting-{lang}-{confidence}"
notebook = "garbage_sorting"
title = "garbage {lang} {confidence}"
matrix = { lang = ["zh", "en"], confidence = [0.9, 0.99] }

[[runs]]
name = "illegal_construction-{lang}-{panels_per_site}"
notebook = "illegal_construction"
title = "illegal {lang} {panels_per_site}"
matrix = { lang = ["zh", "en"], panels_per_site = [1.0, 2.0] }

[[runs]]
name = "street_environment-{lang}"
notebook = "street_environment"
title = "street {lang}"
matrix = { lang = ["zh", "en"] }

[[runs]]
name = "nonsite_enforcement-{lang}-{uniform_inspections_per_year}"
notebook = "nonsite_enforcement"
title = "nonsite {lang} {uniform_inspections_per_year}"
matrix = { lang = ["zh", "en"], uniform_inspections_per_year = [2.0, 4.0] }
"""

# Fixture mode: six copies of the small test notebook, each in both languages.
FIXTURE_COPIES = [f"small_{i}" for i in range(1, 7)]
FIXTURE_RUNS = "".join(f"""
[[runs]]
name = "{stem}-{{lang}}"
notebook = "{stem}"
title = "{stem} {{lang}}"
matrix = {{ lang = ["zh", "en"] }}
""" for stem in FIXTURE_COPIES)


def make_project(dest: Path, mode: str) -> Path:
    """A temporary project: notebooks, data and a manifest of 12+ runs."""
    fixtures = mode == "fixtures"
    source = ROOT / "tests" / "fixtures" if fixtures else ROOT
    shutil.copytree(source / "notebooks", dest / "notebooks")
    shutil.copytree(ROOT / "data", dest / "data")
    # A snapshot of the library, imported through PYTHONPATH, so edits made to the checkout while
    # the benchmark runs cannot turn (c) into a rebuild.
    shutil.copytree(ROOT / "lib", dest.parent / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    if mode == "real":
        shutil.copy2(ROOT / "reports.toml", dest / "reports.toml")
        return dest
    declared = tomllib.loads((source / "reports.toml").read_text(encoding="utf-8"))
    notebooks = declared["notebooks"]
    if fixtures:
        good = (dest / "notebooks" / "good.ipynb").read_text(encoding="utf-8")
        for stem in FIXTURE_COPIES:
            (dest / "notebooks" / f"{stem}.ipynb").write_text(good.replace('\\"good\\"', f'\\"{stem}\\"'), encoding="utf-8")
            notebooks[stem] = notebooks["good"]
    specs = _toml_tables({"build": declared.get("build", {})})
    specs += _toml_tables({f"notebooks.{stem}.parameters.{name}": spec
                           for stem, table in notebooks.items() for name, spec in table["parameters"].items()})
    (dest / "reports.toml").write_text(specs + (FIXTURE_RUNS if fixtures else DOMAIN_RUNS), encoding="utf-8")
    return dest


def _toml_tables(tables: dict[str, dict]) -> str:
    """TOML for flat tables of strings, numbers, booleans and lists (JSON writes those the TOML way)."""
    return "".join(
        f"[{name}]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in table.items()) + "\n"
        for name, table in tables.items()
    )


def runs_of(project: Path) -> list[tuple[str, str, dict]]:
    from reportbuild.manifest import load_manifest

    manifest = load_manifest(project / "reports.toml", project)
    return [(r.name, r.notebook, r.resolved()) for r in manifest.runs]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def plain_one(project: Path, out: Path, name: str, stem: str, params: dict, env: dict) -> float:
    args = [str(BIN / "papermill"), str(project / "notebooks" / f"{stem}.ipynb"), str(out / f"{name}.ipynb"),
            "-k", "chengguan", "--cwd", str(project / "notebooks"), "--no-progress-bar"]
    for key, value in params.items():
        args += ["-y", json.dumps({key: value})]
    start = time.perf_counter()
    subprocess.run(args, env=env, check=False, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out / f"{name}.ipynb")],
                   env=env, check=False, capture_output=True)
    return time.perf_counter() - start


def engine(project: Path, outputs: Path, env: dict, *extra: str) -> float:
    args = [str(BIN / "chengguan-build"), "--root", str(project), "--outputs", str(outputs), *extra]

    def run() -> None:
        result = subprocess.run(args, env=env, capture_output=True, text=True)
        if result.returncode not in (0, 1):
            sys.exit(f"chengguan-build failed:\n{result.stdout}\n{result.stderr}")
        engine.last_output = result.stdout  # type: ignore[attr-defined]

    return timed(run)


def touch_code(notebook: Path) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", []))
    code["source"] = ["".join(code["source"]) + "\n_benchmark_touch = 1"]
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--domain", action="store_true", help="12 runs of the three core notebooks")
    which.add_argument("--fixtures", action="store_true", help="12 runs of the small fixture notebook")
    parser.add_argument("--touch", metavar="STEM", default="nonsite_enforcement",
                        help="the notebook to edit for (d) (default: %(default)s, or the last run's)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()
    mode = "domain" if args.domain else "fixtures" if args.fixtures else "real"

    tmp = Path(tempfile.mkdtemp(prefix="chengguan-bench-"))
    project = make_project(tmp / "project", mode)
    # Kernels start in the copy's notebooks/ and find the copy from there (chengguan.paths).
    env = {key: value for key, value in os.environ.items() if key != "CHENGGUAN_ROOT"}
    env["PYTHONPATH"] = str(tmp / "lib")
    runs = runs_of(project)
    print(f"{len(runs)} runs ({mode} set) on {os.cpu_count()} CPUs, project copy in {tmp}")
    for name, _, params in runs:
        print(f"  {name}: {params}")

    plain_out = tmp / "plain"
    plain_out.mkdir()
    per_run = {}
    for name, stem, params in runs:
        per_run[name] = plain_one(project, plain_out, name, stem, params, env)
        print(f"  (a) {name}: {per_run[name]:.2f} s", flush=True)
    a = sum(per_run.values())
    outputs = tmp / "outputs"
    b = engine(project, outputs, env)
    print(engine.last_output)  # type: ignore[attr-defined]
    cold_runs = [float(line.split()[2]) for line in engine.last_output.splitlines()[1:]  # type: ignore[attr-defined]
                 if len(line.split()) == 3 and line.split()[1] == "ran"]
    c = engine(project, outputs, env)
    if "skipped" not in engine.last_output:  # type: ignore[attr-defined]
        print("(c) unexpectedly rebuilt:\n" + engine.last_output)  # type: ignore[attr-defined]
    stems = [stem for _, stem, _ in runs]
    touched_stem = args.touch if args.touch in stems else stems[-1]
    touch_code(project / "notebooks" / f"{touched_stem}.ipynb")
    touched = [name for name, stem, _ in runs if stem == touched_stem]
    d = engine(project, outputs, env)
    one = touched[0]
    alone = engine(project, tmp / "alone", env, one)
    print(f"(d) touched {touched_stem}.ipynb: {len(touched)} run(s) to re-execute")

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"{label:<48} {seconds:8.2f} s   {a / seconds:6.1f}x faster than (a){note}")

    print()
    print(f"{'(a) plain: papermill CLI + nbconvert CLI, serial':<48} {a:8.2f} s")
    line("(b) engine, cold", b, "   target >= 8x (issue 19, --domain)" if mode == "domain" else "")
    line("(c) engine, nothing changed", c, "   target < 0.5 s")
    if cold_runs:
        print(f"{'    per-run median in (b), each in its own kernel':<48} {statistics.median(cold_runs):8.2f} s   "
              f"(plain way: {statistics.median(per_run.values()):.2f} s)")
    print(f"{'(d) engine, one notebook code change':<48} {d:8.2f} s   "
          f"{d / alone:6.2f}x one run alone with the engine ({alone:.2f} s), "
          f"{d / per_run[one]:.2f}x that run the plain way ({per_run[one]:.2f} s); target < 2x")
    if not args.keep:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
