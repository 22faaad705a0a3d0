"""pyproject.toml and environment.yml declare the same environment, and this one satisfies it.

pip users install from pyproject.toml, conda users from environment.yml; the two lists are kept by
hand, so these tests catch one being edited without the other.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

# A conda match spec as environment.yml writes them: "pandas>=3.1", "python=3.11".
CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>.*)$")
# Entries that are not packages of the project: the interpreter, and pip (plus its sub-list).
NOT_DEPENDENCIES = {"python", "pip"}


def normalize(name: str) -> str:
    """PyPI and conda-forge spell names differently ("PyYAML", "pyyaml", "ruamel_yaml")."""
    return canonicalize_name(name.replace("_", "-"))


def lower_bound(spec: str | SpecifierSet) -> Version | None:
    """The version of the ``>=`` clause of ``spec``, if it has one."""
    bounds = [Version(s.version) for s in SpecifierSet(str(spec)) if s.operator == ">="]
    return max(bounds) if bounds else None


@cache
def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


@cache
def conda_environment() -> dict:
    with open(ROOT / "environment.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def pyproject_requirements() -> list[Requirement]:
    project = pyproject()["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return [Requirement(r) for r in declared]


def pyproject_bounds() -> dict[str, Version | None]:
    return {normalize(r.name): lower_bound(r.specifier) for r in pyproject_requirements()}


def conda_specs() -> dict[str, str]:
    """Package name -> version spec of environment.yml's conda entries (the pip: list is skipped)."""
    specs: dict[str, str] = {}
    for entry in conda_environment()["dependencies"]:
        if not isinstance(entry, str):
            continue  # {"pip": [...]}: what pip installs into the env, i.e. the project itself
        match = CONDA_SPEC.match(entry.strip())
        assert match, f"environment.yml: cannot read dependency {entry!r}"
        name = normalize(match["name"])
        assert name not in specs, f"environment.yml lists {name} twice"
        specs[name] = match["spec"].strip()
    return specs


def conda_bounds() -> dict[str, Version | None]:
    return {
        name: lower_bound(spec)
        for name, spec in conda_specs().items()
        if name not in NOT_DEPENDENCIES
    }


def test_both_files_declare_the_same_packages() -> None:
    ours, theirs = set(pyproject_bounds()), set(conda_bounds())
    assert ours - theirs == set(), "in pyproject.toml but not in environment.yml"
    assert theirs - ours == set(), "in environment.yml but not in pyproject.toml"


def test_both_files_declare_the_same_lower_bounds() -> None:
    conda = conda_bounds()
    differing = {
        name: (bound, conda[name])
        for name, bound in pyproject_bounds().items()
        if name in conda and bound != conda[name]
    }
    assert differing == {}, "name: (pyproject.toml, environment.yml)"


def test_every_dependency_has_a_lower_bound() -> None:
    # Without one the agreement above is vacuous and an old install passes silently.
    assert [name for name, bound in pyproject_bounds().items() if bound is None] == []
    assert [name for name, bound in conda_bounds().items() if bound is None] == []


def test_python_versions_agree() -> None:
    requires = SpecifierSet(pyproject()["project"]["requires-python"])
    conda_python = conda_specs()["python"]
    # conda's "=3.11" means any 3.11.x; it must be the floor that requires-python names.
    assert conda_python.startswith("=") and not conda_python.startswith("=="), conda_python
    pinned = Version(conda_python.lstrip("="))
    assert lower_bound(requires) == pinned
    assert requires.contains(pinned)


def test_environment_yml_installs_the_project_itself() -> None:
    pip_lists = [e["pip"] for e in conda_environment()["dependencies"] if isinstance(e, dict)]
    assert pip_lists == [["-e ."]]


def test_lower_bound_reading() -> None:
    assert lower_bound(">=0.13.2") == Version("0.13.2")
    assert lower_bound(">=1.0,<2") == Version("1.0")
    assert lower_bound("==1.0") is None
    assert normalize("PyYAML") == normalize("pyyaml") == "pyyaml"
    assert normalize("ruamel_yaml") == "ruamel-yaml"


@cache
def packages_distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()  # scans every installed distribution


def import_names(distribution: str) -> list[str]:
    """The top-level modules a distribution installs ("pyyaml" -> ["yaml"])."""
    wanted = normalize(distribution)
    return sorted(
        module
        for module, dists in packages_distributions().items()
        if any(normalize(d) == wanted for d in dists) and not module.startswith("_")
    )


@pytest.mark.parametrize("requirement", pyproject_requirements(), ids=str)
def test_dependency_is_installed_recent_enough_and_importable(requirement: Requirement) -> None:
    try:
        installed = Version(importlib.metadata.version(requirement.name))
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed; run `pip install -e '.[dev]'`")
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is installed, the project needs {requirement.specifier}"
    )

    modules = import_names(requirement.name)
    assert modules, f"{requirement.name} installs no importable top-level module"
    main = normalize(requirement.name).replace("-", "_")
    # Import the package's own module when it has one (e.g. "papermill"), else its first module.
    importlib.import_module(main if main in modules else modules[0])
