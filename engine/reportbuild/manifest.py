"""The manifest of report runs (``reports.toml``): schema check, fan-out and selection."""

from __future__ import annotations

import fnmatch
import itertools
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chengguan.params import ParameterError, ParamSpec, SpecError, make_specs, read_notebook_parameters, validate

TOP_KEYS = frozenset({"build", "site", "notebooks", "runs"})
SITE_KEYS = frozenset({"primary_source", "downloads"})
BUILD_KEYS = frozenset({"kernel", "timeout", "show_code", "preload", "notebooks_dir", "libraries", "validate"})
NOTEBOOK_KEYS = frozenset({"parameters"})
RUN_KEYS = frozenset({"name", "notebook", "title", "description", "parameters", "matrix", "timeout", "show_code"})
RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
RESERVED_NAMES = frozenset({"index", "index.en", "build"})  # the site's own pages (site.py)

# Modules a warm kernel imports before it is handed a notebook (see kernels.py for why this is sound).
DEFAULT_PRELOAD = ("pandas", "matplotlib.pyplot", "seaborn", "statsmodels.api")


class ManifestError(ValueError):
    """The manifest is malformed; the message lists every problem found."""


@dataclass(frozen=True)
class BuildSettings:
    kernel: str = "chengguan"
    timeout: float = 600.0  # seconds per cell
    show_code: bool = False
    preload: tuple[str, ...] = DEFAULT_PRELOAD
    notebooks_dir: str = "notebooks"
    # Import names of the libraries the notebooks import whose source is part of the project:
    # a change to their files re-executes every run.
    libraries: tuple[str, ...] = ()
    # "module:function" called with the project root before anything runs; it returns the problems
    # of the data (empty when valid). Any problem refuses the build.
    validate: str = ""


@dataclass(frozen=True)
class SiteSettings:
    # The source_id (data/sources.csv) the home page names as the collection's source.
    primary_source: str | None = None
    # "module:function" that writes the data downloads: function(outdir, data_dir) -> files written.
    downloads: str | None = None


@dataclass(frozen=True)
class Run:
    """One report: a notebook executed with fixed parameters."""

    name: str
    notebook: str  # the stem
    notebook_path: Path
    parameters: dict[str, Any]  # explicit values only; see `resolved`
    title: str
    description: str
    timeout: float
    show_code: bool
    specs: Mapping[str, ParamSpec] = field(repr=False, compare=False)
    root: Path | None = field(default=None, repr=False, compare=False)  # where vocabularies are read

    def resolved(self) -> dict[str, Any]:
        """All parameters with defaults filled in; raises ParameterError when invalid."""
        return dict(validate(self.notebook, self.parameters, self.specs, self.root))


@dataclass(frozen=True)
class Manifest:
    path: Path
    root: Path
    build: BuildSettings
    notebooks: dict[str, dict[str, ParamSpec]]
    runs: list[Run]
    site: SiteSettings = SiteSettings()

    def select(self, patterns: Iterable[str]) -> list[Run]:
        """Runs whose name matches any glob (or names a notebook); all runs when none given."""
        patterns = list(patterns)
        if not patterns:
            return list(self.runs)
        unmatched = [p for p in patterns if not any(_matches(run, p) for run in self.runs)]
        if unmatched:
            names = ", ".join(run.name for run in self.runs)
            raise ManifestError(f"no run matches {', '.join(map(repr, unmatched))} (runs: {names})")
        return [run for run in self.runs if any(_matches(run, p) for p in patterns)]


def _matches(run: Run, pattern: str) -> bool:
    return fnmatch.fnmatchcase(run.name, pattern) or run.notebook == pattern


def load_manifest(path: Path, root: Path | None = None) -> Manifest:
    """Read and check ``path``; notebooks are resolved relative to ``root`` (default: its folder)."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such manifest") from None
    except tomllib.TOMLDecodeError as err:
        raise ManifestError(f"{path}: not valid TOML: {err}") from None
    return parse_manifest(data, path, root or path.parent)


def parse_manifest(data: Mapping[str, Any], path: Path, root: Path) -> Manifest:
    """Check the manifest's structure; collect every problem before raising."""
    problems: list[str] = []
    _unknown_keys(data, TOP_KEYS, "top level", problems)
    build = _parse_build(data.get("build", {}), problems)
    site = _parse_site(data.get("site", {}), problems)
    constraints = _table(data.get("notebooks", {}), "notebooks", problems)
    for stem, table in constraints.items():
        if not isinstance(table, dict):
            problems.append(f"notebooks.{stem}: expected a table")
            continue
        _unknown_keys(table, NOTEBOOK_KEYS, f"notebooks.{stem}", problems)
    entries = data.get("runs", [])
    if not isinstance(entries, list):
        problems.append("runs: expected an array of tables ([[runs]])")
        entries = []
    # A notebook's parameters: names, defaults and help from its parameters cell, constraints from here.
    stems = list(dict.fromkeys([*constraints, *(e["notebook"] for e in entries
                                                 if isinstance(e, dict) and isinstance(e.get("notebook"), str))]))
    notebooks: dict[str, dict[str, ParamSpec]] = {}
    for stem in stems:
        notebook = root / build.notebooks_dir / f"{stem}.ipynb"
        if not notebook.is_file():
            continue  # reported with the run (or as a constraint without a notebook below)
        table = constraints.get(stem, {})
        try:
            notebooks[stem] = make_specs(stem, read_notebook_parameters(notebook),
                                         table.get("parameters") if isinstance(table, dict) else None)
        except SpecError as err:
            problems.append(str(err))
    for stem in constraints:
        if not (root / build.notebooks_dir / f"{stem}.ipynb").is_file():
            problems.append(f"notebooks.{stem}: no notebook {build.notebooks_dir}/{stem}.ipynb")
    runs: list[Run] = []
    for i, entry in enumerate(entries, 1):
        runs += _parse_run(entry, i, build, notebooks, root, problems)
    seen: dict[str, int] = {}
    for run in runs:
        seen[run.name] = seen.get(run.name, 0) + 1
    problems += [f"run name {name!r} is used {n} times" for name, n in seen.items() if n > 1]
    if problems:
        raise ManifestError(f"{path}: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))
    return Manifest(path=path, root=root, build=build, notebooks=notebooks, runs=runs, site=site)


def _unknown_keys(table: Mapping[str, Any], allowed: frozenset[str], where: str, problems: list[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _table(value: Any, where: str, problems: list[str]) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    problems.append(f"{where}: expected a table")
    return {}


def _parse_build(table: Any, problems: list[str]) -> BuildSettings:
    table = _table(table, "build", problems)
    _unknown_keys(table, BUILD_KEYS, "build", problems)
    settings = BuildSettings()
    try:
        return BuildSettings(
            kernel=_typed(table, "kernel", str, settings.kernel),
            timeout=float(_typed(table, "timeout", (int, float), settings.timeout)),
            show_code=_typed(table, "show_code", bool, settings.show_code),
            preload=tuple(_typed(table, "preload", list, list(settings.preload))),
            notebooks_dir=_typed(table, "notebooks_dir", str, settings.notebooks_dir),
            libraries=tuple(_typed(table, "libraries", list, list(settings.libraries))),
            validate=_typed(table, "validate", str, settings.validate),
        )
    except TypeError as err:
        problems.append(f"build: {err}")
        return settings


def _parse_site(table: Any, problems: list[str]) -> SiteSettings:
    table = _table(table, "site", problems)
    _unknown_keys(table, SITE_KEYS, "site", problems)
    try:
        downloads = _typed(table, "downloads", (str, type(None)), None)
        if downloads is not None and not re.fullmatch(r"[\w.]+:\w+", downloads):
            problems.append(f"site: downloads must be 'module:function', not {downloads!r}")
            downloads = None
        return SiteSettings(primary_source=_typed(table, "primary_source", (str, type(None)), None),
                            downloads=downloads)
    except TypeError as err:
        problems.append(f"site: {err}")
        return SiteSettings()


def _typed(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = table.get(key, default)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise TypeError(f"{key} has the wrong type ({type(value).__name__})")
    return value


def _parse_run(
    entry: Any,
    index: int,
    build: BuildSettings,
    notebooks: Mapping[str, dict[str, ParamSpec]],
    root: Path,
    problems: list[str],
) -> list[Run]:
    where = f"runs[{index}]"
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected a table")
        return []
    where = f"runs[{index}] ({entry.get('name', '?')})"
    _unknown_keys(entry, RUN_KEYS, where, problems)
    before = len(problems)
    for key in ("name", "notebook", "title"):
        if not isinstance(entry.get(key), str):
            problems.append(f"{where}: {key!r} is required and must be a string")
    if len(problems) > before:
        return []
    stem = entry["notebook"]
    notebook_path = root / build.notebooks_dir / f"{stem}.ipynb"
    if not notebook_path.is_file():
        problems.append(f"{where}: notebook file {build.notebooks_dir}/{stem}.ipynb does not exist")
    before = len(problems)
    specs = notebooks.get(stem, {})
    fixed = _table(entry.get("parameters", {}), f"{where}.parameters", problems)
    matrix = _table(entry.get("matrix", {}), f"{where}.matrix", problems)
    for name in [*fixed, *matrix]:
        if stem in notebooks and name not in specs:
            declared = ", ".join(specs) or "none"
            problems.append(f"{where}: parameter {name!r} is not declared for {stem!r} (declared: {declared})")
    for name in set(fixed) & set(matrix):
        problems.append(f"{where}: {name!r} is in both parameters and matrix")
    for name, values in matrix.items():
        if not isinstance(values, list) or not values:
            problems.append(f"{where}: matrix.{name} must be a non-empty list")
    timeout = entry.get("timeout", build.timeout)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < math.inf:
        problems.append(f"{where}: timeout must be a positive number of seconds")
    if not isinstance(entry.get("show_code", build.show_code), bool):
        problems.append(f"{where}: show_code must be true or false")
    if len(problems) > before:
        return []
    runs = []
    names = list(matrix)
    for combo in itertools.product(*(matrix[n] for n in names)):
        params = {**fixed, **dict(zip(names, combo))}
        try:
            name = entry["name"].format(**params)
            title = entry["title"].format(**params)
            description = entry.get("description", "").format(**params)
        except (KeyError, IndexError, ValueError) as err:
            problems.append(f"{where}: cannot fill the name/title/description template: {err!r}")
            return []
        if not RUN_NAME.match(name) or name in RESERVED_NAMES:
            problems.append(f"{where}: run name {name!r} is not a valid file name (letters, digits, _ . -)")
            continue
        if matrix and name == entry["name"]:
            problems.append(f"{where}: with a matrix the name needs placeholders such as {{{names[0]}}}")
            return []
        runs.append(
            Run(
                name=name,
                notebook=stem,
                notebook_path=notebook_path,
                parameters=params,
                title=title,
                description=description,
                timeout=float(timeout),
                show_code=entry.get("show_code", build.show_code),
                specs=specs,
                root=root,
            )
        )
    return runs


def validate_runs(runs: Iterable[Run]) -> dict[str, dict[str, Any]]:
    """Resolved parameters per run; raises ParameterError naming every invalid run."""
    resolved: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for run in runs:
        try:
            resolved[run.name] = run.resolved()
        except ParameterError as err:
            errors.append(f"run {run.name!r}: {err}")
    if errors:
        raise ParameterError("\n".join(errors))
    return resolved
