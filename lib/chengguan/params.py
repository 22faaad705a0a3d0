"""Notebook parameters: declared by the notebook, constrained by the manifest, checked in both places.

One source of truth for each fact:

- the notebook's cell tagged ``parameters`` gives each parameter's name, default (a literal, whose
  type is the parameter's type), optionally that type as an annotation (``lang: str = "zh"``, which
  must agree with the literal; papermill's ``--help-notebook`` shows it) and help (the comment at
  the end of its line) — the format ``papermill.inspect_notebook`` reads;
- ``reports.toml`` adds only constraints, under ``[notebooks.<stem>.parameters.<name>]``:
  ``choices`` (a list, or a vocabulary read from the data tables) and ``min``/``max``.

The same validation runs in two places: in the build engine before any kernel starts, and in each
notebook's first cell after ``parameters``::

    from chengguan.params import check_parameters
    P = check_parameters("<stem>", globals())

so a bad value given to ``papermill`` directly fails early with the same message. The kernel finds
``reports.toml`` and the notebook from the project root (``chengguan.paths.project_root``); nothing is
passed to it through the environment.

This module is imported inside every kernel, so it stays light: ``ast``, ``json``, ``tomllib`` and the
tables' CSV reader (``chengguan.tables.io``) only.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import math
import tokenize
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from chengguan.paths import project_root

TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
}
CONSTRAINT_KEYS = frozenset({"choices", "min", "max"})
PARAMETERS_TAG = "parameters"
DEFAULT_NOTEBOOKS_DIR = "notebooks"

# papermill's injected cell starts with this comment line (its default `comment="Parameters"`).
INJECTED_CELL_MARKER = "# Parameters"


class ParameterError(ValueError):
    """A parameter value is unknown, mistyped or outside its allowed values."""


class SpecError(ValueError):
    """A parameter declaration (the notebook's cell or the manifest's constraints) is malformed."""


# -- vocabularies ------------------------------------------------------------------------------


def _read_csv(root: Path, name: str) -> list[dict[str, str]]:
    from chengguan.tables.io import TableReadError, read_csv

    path = root / "data" / name
    if not path.is_file():
        raise ParameterError(f"cannot read the allowed values: {path} does not exist")
    try:  # the tables' reader: the same encoding rule and messages as the validator
        return [row.cells for row in read_csv(path)]
    except TableReadError as error:
        raise ParameterError(f"cannot read the allowed values: {error}") from None


def _languages(root: Path) -> list[str]:
    return ["zh", "en"]


def _scopes(root: Path) -> list[str]:
    return [row["scope_id"] for row in _read_csv(root, "scopes.csv")]


def _districts(root: Path) -> list[str]:
    return [row["scope_id"] for row in _read_csv(root, "scopes.csv") if row["kind"] == "district"]


def _years(root: Path) -> list[int]:
    """Years that hold at least one observation (a period overlapping the year)."""
    years: set[int] = set()
    for row in _read_csv(root, "observations.csv"):
        start, end = int(row["period_start"][:4]), int(row["period_end"][:4])
        years.update(range(start, end + 1))
    return sorted(years)


VOCABULARIES: dict[str, Callable[[Path], list[Any]]] = {
    "languages": _languages,
    "districts": _districts,
    "scopes": _scopes,
    "years": _years,
}


@cache
def _vocabulary_cached(name: str, root: Path) -> tuple[Any, ...]:
    # Keyed by the project root, so a build on a copy (--root) never sees another copy's values.
    return tuple(VOCABULARIES[name](root))


def vocabulary(name: str, root: Path | None = None) -> tuple[Any, ...]:
    """The values of a named vocabulary, read lazily (and once) from ``root``'s data tables."""
    if name not in VOCABULARIES:
        raise SpecError(f"unknown vocabulary {name!r} (known: {', '.join(sorted(VOCABULARIES))})")
    return _vocabulary_cached(name, Path(root or project_root()).resolve())


# -- the notebook's parameters cell ------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """One assignment of a ``parameters`` cell."""

    name: str
    default: Any
    help: str


def read_parameters_cell(source: str, where: str = "the parameters cell") -> dict[str, Declared]:
    """Names, literal defaults and help (each line's trailing comment) of a ``parameters`` cell.

    Each line is ``name = literal  # help`` or, annotated, ``name: type = literal  # help`` with type
    one of ``str``, ``int``, ``float``, ``bool`` (the annotation is what ``papermill --help-notebook``
    shows as the type; without it papermill says "Unknown type"). The annotation must agree with the
    literal (an int literal under ``float`` is read as a float). Agrees with
    ``papermill.inspect_notebook`` on the project's notebooks (tested); stricter in that every
    statement must assign one ``str``, ``int``, ``float`` or ``bool`` literal to one name.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise SpecError(f"{where}: not valid Python: {err.msg} (line {err.lineno})") from None
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    declared: dict[str, Declared] = {}
    for node in tree.body:
        target: ast.expr | None = None
        expression: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, expression = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, expression = node.target, node.value
        if not isinstance(target, ast.Name) or expression is None:
            raise SpecError(f"{where}, line {node.lineno}: expected `name = value  # help` "
                            "or `name: type = value  # help`")
        try:
            value = ast.literal_eval(expression)
        except ValueError:
            raise SpecError(f"{where}, line {node.lineno}: the default of {target.id!r} must be a literal") from None
        if type(value) not in (str, int, float, bool):
            raise SpecError(f"{where}, line {node.lineno}: the default of {target.id!r} must be a str, int, "
                            f"float or bool, got {type(value).__name__}")
        if isinstance(node, ast.AnnAssign):
            value = _annotated(node.annotation, value, f"{where}, line {node.lineno}", target.id)
        declared[target.id] = Declared(target.id, value, comments.get(node.end_lineno or node.lineno, ""))
    return declared


def _annotated(annotation: ast.expr, value: Any, where: str, name: str) -> Any:
    """``value`` as the type its annotation names; SpecError when the two disagree."""
    kind = annotation.id if isinstance(annotation, ast.Name) else ast.unparse(annotation)
    if kind not in TYPES:
        raise SpecError(f"{where}: the annotation of {name!r} must be one of {', '.join(TYPES)}, got {kind!r}")
    # bool is a subclass of int, so the literal's exact type decides; float alone also takes an int.
    if type(value) is not TYPES[kind][0] and not (kind == "float" and type(value) is int):
        raise SpecError(f"{where}: {name!r} is annotated {kind} but its default {_show(value)} "
                        f"is of type {type(value).__name__}")
    return float(cast(float, value)) if kind == "float" else value


def parameters_cell_source(nb: Mapping[str, Any]) -> str | None:
    """The source of a notebook's (JSON as a dict) cell tagged ``parameters``; None when it has none."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    return None


def read_notebook_parameters(path: Path) -> dict[str, Declared]:
    """The parameters a notebook file declares (none when it has no ``parameters`` cell)."""
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except FileNotFoundError:
        raise SpecError(f"{path}: no such notebook") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise SpecError(f"{path}: not a notebook (invalid JSON: {err})") from None
    source = parameters_cell_source(nb)
    return {} if source is None else read_parameters_cell(source, f"{path.name}, cell tagged 'parameters'")


# -- specs: the declaration plus the manifest's constraints -------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    """One notebook parameter: declared by the notebook, constrained by the manifest."""

    name: str
    type: str
    default: Any
    help: str = ""
    choices: tuple[Any, ...] | str | None = None  # a list of values, or a vocabulary name
    min: float | None = None
    max: float | None = None

    def allowed(self, root: Path | None = None) -> tuple[Any, ...] | None:
        """The allowed values, resolving a vocabulary name from ``root``'s data (may read files)."""
        if isinstance(self.choices, str):
            return vocabulary(self.choices, root)
        return self.choices

    def describe(self, root: Path | None = None) -> str:
        """One line: name, type, default, allowed values and help."""
        parts = [f"{self.name}: {self.type} = {_show(self.default)}"]
        if self.choices is not None:
            parts.append(f"one of {self._describe_choices(root)}")
        if self.min is not None or self.max is not None:
            low = "" if self.min is None else f"{_show(self.min)} <= "
            high = "" if self.max is None else f" <= {_show(self.max)}"
            parts.append(f"{low}{self.name}{high}")
        line = "; ".join(parts)
        return f"{line} -- {self.help}" if self.help else line

    def _describe_choices(self, root: Path | None) -> str:
        try:
            values = ", ".join(_show(v) for v in self.allowed(root) or ())
        except ParameterError as err:
            values = f"<unavailable: {err}>"
        if isinstance(self.choices, str):
            return f"{values} (vocabulary {self.choices!r})"
        return values

    def check(self, value: Any, root: Path | None = None) -> tuple[Any, str | None]:
        """``(coerced value, None)`` when valid, else ``(value, problem)``."""
        accepted = TYPES[self.type]
        if isinstance(value, bool) and self.type != "bool" or not isinstance(value, accepted):
            return value, f"expected {self.type}, got {type(value).__name__} {_show(value)}"
        if self.type == "float":
            value = float(cast(float, value))  # an int or a float (checked above)
            if not math.isfinite(value):
                return value, f"expected a finite number, got {_show(value)}"
        if self.min is not None and value < self.min:
            return value, f"{_show(value)} is below the minimum {_show(self.min)}"
        if self.max is not None and value > self.max:
            return value, f"{_show(value)} is above the maximum {_show(self.max)}"
        if self.choices is not None:
            allowed = self.allowed(root) or ()
            if value not in allowed:
                return value, f"{_show(value)} is not one of {', '.join(_show(v) for v in allowed)}"
        return value, None


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def make_spec(stem: str, declared: Declared, constraints: Any = None) -> ParamSpec:
    """The spec of one declared parameter with its manifest constraints (a table, or None)."""
    where = f"notebooks.{stem}.parameters.{declared.name}"
    table = {} if constraints is None else constraints
    if not isinstance(table, dict):
        raise SpecError(f"{where}: expected a table of constraints")
    unknown = sorted(set(table) - CONSTRAINT_KEYS)
    if unknown:
        hint = (" (name, default and help belong in the notebook's parameters cell)"
                if set(unknown) & {"type", "default", "help"} else "")
        raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)} "
                        f"(allowed: {', '.join(sorted(CONSTRAINT_KEYS))}){hint}")
    kind = type(declared.default).__name__
    choices = table.get("choices")
    if isinstance(choices, list):
        choices = tuple(choices)
    elif isinstance(choices, str):
        if choices not in VOCABULARIES:
            raise SpecError(f"{where}: unknown vocabulary {choices!r} (known: {', '.join(sorted(VOCABULARIES))})")
    elif choices is not None:
        raise SpecError(f"{where}: choices must be a list or a vocabulary name")
    for key in ("min", "max"):
        if key in table:
            if kind not in ("int", "float"):
                raise SpecError(f"{where}: min/max apply to int and float parameters only "
                                f"(the notebook's default is {_show(declared.default)})")
            if isinstance(table[key], bool) or not isinstance(table[key], int | float):
                raise SpecError(f"{where}: {key} must be a number")
    spec = ParamSpec(name=declared.name, type=kind, default=declared.default, help=declared.help,
                     choices=choices, min=table.get("min"), max=table.get("max"))
    # The default's bounds and listed choices are checked here; vocabulary membership needs the
    # data, so it is left to validation time.
    probe = ParamSpec(spec.name, spec.type, spec.default, min=spec.min, max=spec.max,
                      choices=spec.choices if isinstance(spec.choices, tuple) else None)
    _, problem = probe.check(spec.default)
    if problem:
        raise SpecError(f"{where}: the notebook's default {_show(spec.default)} is invalid: {problem}")
    return spec


def make_specs(stem: str, declared: Mapping[str, Declared], constraints: Any) -> dict[str, ParamSpec]:
    """Every parameter of notebook ``stem``, in the order of its parameters cell."""
    table = {} if constraints is None else constraints
    if not isinstance(table, dict):
        raise SpecError(f"notebooks.{stem}.parameters: expected a table")
    undeclared = [name for name in table if name not in declared]
    if undeclared:
        names = ", ".join(declared) or "none"
        raise SpecError(f"notebooks.{stem}.parameters: {', '.join(map(repr, undeclared))} constrained in the "
                        f"manifest but not assigned in the notebook's parameters cell (it assigns: {names})")
    return {name: make_spec(stem, d, table.get(name)) for name, d in declared.items()}


def load_specs(stem: str, manifest: Path | None = None) -> dict[str, ParamSpec]:
    """The specs of notebook ``stem``: its parameters cell plus the constraints in ``manifest``.

    ``manifest`` defaults to the project's ``reports.toml``; the notebook is found in that folder's
    ``[build] notebooks_dir`` (default ``notebooks/``).
    """
    path = manifest or project_root() / "reports.toml"
    with open(path, "rb") as f:
        data = tomllib.load(f)
    notebooks_dir = data.get("build", {}).get("notebooks_dir", DEFAULT_NOTEBOOKS_DIR)
    constraints = data.get("notebooks", {}).get(stem, {}).get("parameters")
    notebook = path.parent / notebooks_dir / f"{stem}.ipynb"
    if not notebook.is_file():
        raise ParameterError(f"no notebook {stem!r}: {notebook} does not exist")
    return make_specs(stem, read_notebook_parameters(notebook), constraints)


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

    def _ipython_display_(self) -> None:
        """Nothing: a notebook's ``check_parameters(...)`` line checks; the values are for code."""


def describe_parameters(stem: str, specs: Mapping[str, ParamSpec], root: Path | None = None) -> str:
    """The notebook's parameters, one per line, for error messages and listings."""
    if not specs:
        return f"notebook {stem!r} takes no parameters"
    lines = [f"parameters of notebook {stem!r}:"]
    lines += [f"  {spec.describe(root)}" for spec in specs.values()]
    return "\n".join(lines)


def validate(stem: str, values: Mapping[str, Any], specs: Mapping[str, ParamSpec],
             root: Path | None = None) -> Parameters:
    """Check ``values`` against ``specs`` and fill in defaults; vocabularies come from ``root``'s data.

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
            resolved[name], problem = spec.check(value, root)
        except ParameterError as err:  # the vocabulary could not be read
            problem = str(err)
        if problem:
            problems.append(f"{name}: {problem}")
    if problems:
        message = [f"invalid parameters for notebook {stem!r}:"]
        message += [f"  - {p}" for p in problems]
        message.append(describe_parameters(stem, specs, root))
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

    The declared names come from the notebook's parameters cell, the constraints from ``manifest``
    (default: the project's ``reports.toml``). Names injected by papermill that the notebook does
    not declare are refused as unknown (papermill itself injects anything it is given).
    """
    path = manifest or project_root() / "reports.toml"
    specs = load_specs(stem, path)
    values = {name: namespace[name] for name in specs if name in namespace}
    missing = [name for name in specs if name not in namespace]
    if missing:
        raise ParameterError(
            f"notebook {stem!r}: the parameters cell has not run (no value for {', '.join(missing)})\n"
            + describe_parameters(stem, specs, path.parent)
        )
    for name in sorted(_injected_names(namespace) or ()):
        if name not in specs:
            values[name] = namespace.get(name)
    return validate(stem, values, specs, path.parent)
