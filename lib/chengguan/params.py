"""Notebook parameter specs and their validation.

The specs live in ``reports.toml`` under ``[notebooks.<stem>.parameters.<name>]``. The same
validation runs in two places: in the build engine before any kernel starts, and in each
notebook's first cell after ``parameters``::

    from chengguan.params import check_parameters
    P = check_parameters("<stem>", globals())

so a bad value given to ``papermill`` directly fails early with the same message.

This module is imported inside every kernel, so it stays light: ``tomllib`` and the tables' CSV
reader (``chengguan.tables.io``) only.
"""

from __future__ import annotations

import ast
import difflib
import math
import os
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from chengguan.paths import data_dir, project_root

TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
}
SPEC_KEYS = frozenset({"type", "default", "choices", "min", "max", "help"})

# papermill's injected cell starts with this comment line (its default `comment="Parameters"`).
INJECTED_CELL_MARKER = "# Parameters"


class ParameterError(ValueError):
    """A parameter value is unknown, mistyped or outside its allowed values."""


class SpecError(ValueError):
    """A parameter spec in the manifest is malformed."""


# -- vocabularies ------------------------------------------------------------------------------


def _read_csv(name: str) -> list[dict[str, str]]:
    from chengguan.tables.io import TableReadError, read_csv

    path = data_dir() / name
    if not path.is_file():
        raise ParameterError(f"cannot read the allowed values: {path} does not exist")
    try:  # the tables' reader: the same encoding rule and messages as the validator
        return [row.cells for row in read_csv(path)]
    except TableReadError as error:
        raise ParameterError(f"cannot read the allowed values: {error}") from None


def _languages() -> list[str]:
    return ["zh", "en"]


def _scopes() -> list[str]:
    return [row["scope_id"] for row in _read_csv("scopes.csv")]


def _districts() -> list[str]:
    return [row["scope_id"] for row in _read_csv("scopes.csv") if row["kind"] == "district"]


def _years() -> list[int]:
    """Years that hold at least one observation (a period overlapping the year)."""
    years: set[int] = set()
    for row in _read_csv("observations.csv"):
        start, end = int(row["period_start"][:4]), int(row["period_end"][:4])
        years.update(range(start, end + 1))
    return sorted(years)


VOCABULARIES: dict[str, Callable[[], list[Any]]] = {
    "languages": _languages,
    "districts": _districts,
    "scopes": _scopes,
    "years": _years,
}


@cache
def _vocabulary_cached(name: str, root: Path) -> tuple[Any, ...]:
    # Keyed by the project root so tests working on copies (CHENGGUAN_ROOT) never see stale values.
    return tuple(VOCABULARIES[name]())


def vocabulary(name: str) -> tuple[Any, ...]:
    """The values of a named vocabulary, read lazily (and once) from the data tables."""
    if name not in VOCABULARIES:
        raise SpecError(f"unknown vocabulary {name!r} (known: {', '.join(sorted(VOCABULARIES))})")
    return _vocabulary_cached(name, project_root())


# -- specs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    """One declared notebook parameter."""

    name: str
    type: str
    default: Any
    help: str = ""
    choices: tuple[Any, ...] | str | None = None  # a list of values, or a vocabulary name
    min: float | None = None
    max: float | None = None

    def allowed(self) -> tuple[Any, ...] | None:
        """The allowed values, resolving a vocabulary name (may read data files)."""
        if isinstance(self.choices, str):
            return vocabulary(self.choices)
        return self.choices

    def describe(self) -> str:
        """One line: name, type, default, allowed values and help."""
        parts = [f"{self.name}: {self.type} = {_show(self.default)}"]
        if self.choices is not None:
            parts.append(f"one of {self._describe_choices()}")
        if self.min is not None or self.max is not None:
            low = "" if self.min is None else f"{_show(self.min)} <= "
            high = "" if self.max is None else f" <= {_show(self.max)}"
            parts.append(f"{low}{self.name}{high}")
        line = "; ".join(parts)
        return f"{line} -- {self.help}" if self.help else line

    def _describe_choices(self) -> str:
        try:
            values = ", ".join(_show(v) for v in self.allowed() or ())
        except ParameterError as err:
            values = f"<unavailable: {err}>"
        if isinstance(self.choices, str):
            return f"{values} (vocabulary {self.choices!r})"
        return values

    def check(self, value: Any) -> tuple[Any, str | None]:
        """``(coerced value, None)`` when valid, else ``(value, problem)``."""
        accepted = TYPES[self.type]
        if isinstance(value, bool) and self.type != "bool" or not isinstance(value, accepted):
            return value, f"expected {self.type}, got {type(value).__name__} {_show(value)}"
        if self.type == "float":
            value = float(value)
            if not math.isfinite(value):
                return value, f"expected a finite number, got {_show(value)}"
        if self.min is not None and value < self.min:
            return value, f"{_show(value)} is below the minimum {_show(self.min)}"
        if self.max is not None and value > self.max:
            return value, f"{_show(value)} is above the maximum {_show(self.max)}"
        if self.choices is not None:
            allowed = self.allowed() or ()
            if value not in allowed:
                return value, f"{_show(value)} is not one of {', '.join(_show(v) for v in allowed)}"
        return value, None


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def parse_spec(stem: str, name: str, table: Any) -> ParamSpec:
    """Build a spec from its manifest table, refusing unknown keys and inconsistent values."""
    where = f"notebooks.{stem}.parameters.{name}"
    if not isinstance(table, dict):
        raise SpecError(f"{where}: expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - SPEC_KEYS)
    if unknown:
        raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(SPEC_KEYS))})")
    for key in ("type", "default"):
        if key not in table:
            raise SpecError(f"{where}: missing {key!r}")
    if table["type"] not in TYPES:
        raise SpecError(f"{where}: type must be one of {', '.join(TYPES)}, got {table['type']!r}")
    choices = table.get("choices")
    if isinstance(choices, list):
        choices = tuple(choices)
    elif isinstance(choices, str):
        if choices not in VOCABULARIES:
            raise SpecError(f"{where}: unknown vocabulary {choices!r} (known: {', '.join(sorted(VOCABULARIES))})")
    elif choices is not None:
        raise SpecError(f"{where}: choices must be a list or a vocabulary name")
    if ("min" in table or "max" in table) and table["type"] not in ("int", "float"):
        raise SpecError(f"{where}: min/max apply to int and float parameters only")
    spec = ParamSpec(
        name=name,
        type=table["type"],
        default=table["default"],
        help=str(table.get("help", "")),
        choices=choices,
        min=table.get("min"),
        max=table.get("max"),
    )
    # The default's type and bounds are checked here; vocabulary membership needs the data,
    # so it is left to validation time.
    probe = ParamSpec(spec.name, spec.type, spec.default, min=spec.min, max=spec.max,
                      choices=spec.choices if isinstance(spec.choices, tuple) else None)
    _, problem = probe.check(spec.default)
    if problem:
        raise SpecError(f"{where}: default {_show(spec.default)} is invalid: {problem}")
    return spec


def parse_specs(stem: str, tables: Any) -> dict[str, ParamSpec]:
    """All parameter specs of one notebook, in manifest order."""
    if not isinstance(tables, dict):
        raise SpecError(f"notebooks.{stem}.parameters: expected a table")
    return {name: parse_spec(stem, name, table) for name, table in tables.items()}


def manifest_path() -> Path:
    """``reports.toml`` of the project; ``CHENGGUAN_MANIFEST`` overrides (the engine sets it)."""
    env = os.environ.get("CHENGGUAN_MANIFEST")
    return Path(env) if env else project_root() / "reports.toml"


def load_specs(stem: str, path: Path | None = None) -> dict[str, ParamSpec]:
    """The parameter specs of notebook ``stem`` as declared in the manifest."""
    path = path or manifest_path()
    with open(path, "rb") as f:
        notebooks = tomllib.load(f).get("notebooks", {})
    if stem not in notebooks:
        raise ParameterError(f"notebook {stem!r} is not declared in {path} (declared: {', '.join(sorted(notebooks))})")
    return parse_specs(stem, notebooks[stem].get("parameters", {}))


# -- validation --------------------------------------------------------------------------------


class Parameters(Mapping[str, Any]):
    """Validated parameter values: a read-only mapping that also allows ``P.name``."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no parameter {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Parameters({self._values!r})"


def describe_parameters(stem: str, specs: Mapping[str, ParamSpec]) -> str:
    """The notebook's parameters, one per line, for error messages and listings."""
    if not specs:
        return f"notebook {stem!r} takes no parameters"
    lines = [f"parameters of notebook {stem!r}:"]
    lines += [f"  {spec.describe()}" for spec in specs.values()]
    return "\n".join(lines)


def validate(stem: str, values: Mapping[str, Any], specs: Mapping[str, ParamSpec]) -> Parameters:
    """Check ``values`` against ``specs`` and fill in defaults.

    Raises ParameterError naming every problem, followed by the notebook's parameter list.
    """
    problems: list[str] = []
    for name in values:
        if name not in specs:
            hint = difflib.get_close_matches(name, list(specs), n=1)
            suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
            problems.append(f"{name}: unknown parameter{suffix}")
    resolved: dict[str, Any] = {}
    for name, spec in specs.items():
        value = values.get(name, spec.default)
        try:
            resolved[name], problem = spec.check(value)
        except ParameterError as err:  # the vocabulary could not be read
            problem = str(err)
        if problem:
            problems.append(f"{name}: {problem}")
    if problems:
        message = [f"invalid parameters for notebook {stem!r}:"]
        message += [f"  - {p}" for p in problems]
        message.append(describe_parameters(stem, specs))
        raise ParameterError("\n".join(message))
    return Parameters(resolved)


def _injected_names(namespace: Mapping[str, Any]) -> set[str] | None:
    """Names assigned by papermill's injected cell, read from IPython's input history."""
    history = namespace.get("In")
    if not isinstance(history, list):
        return None
    for source in reversed(history[:-1]):  # the last entry is the running cell
        if isinstance(source, str) and source.lstrip().startswith(INJECTED_CELL_MARKER):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                return None
            return {
                target.id
                for node in tree.body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
    return None


def check_parameters(stem: str, namespace: Mapping[str, Any], manifest: Path | None = None) -> Parameters:
    """Validate the parameters a notebook holds in ``namespace`` (its ``globals()``).

    Declared names are read from the namespace; names injected by papermill that are not
    declared are refused as unknown (papermill itself injects anything it is given).
    """
    specs = load_specs(stem, manifest)
    values = {name: namespace[name] for name in specs if name in namespace}
    missing = [name for name in specs if name not in namespace]
    if missing:
        raise ParameterError(
            f"notebook {stem!r}: the parameters cell does not define {', '.join(missing)}\n"
            + describe_parameters(stem, specs)
        )
    for name in sorted(_injected_names(namespace) or ()):
        if name not in specs:
            values[name] = namespace.get(name)
    return validate(stem, values, specs)


def parameters_cell_defaults(nb: Mapping[str, Any]) -> dict[str, Any]:
    """The literal assignments of a notebook's ``parameters`` cell (the notebook's JSON as a dict).

    Used to check that a notebook's defaults agree with its declared specs.
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell.get("source", "")))
            values = {}
            for node in tree.body:
                if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            values[target.id] = ast.literal_eval(node.value)
            return values
    raise ValueError("the notebook has no cell tagged 'parameters'")
