"""pyproject.toml, requirements.lock and environment.yml declare one environment, and this one is it.

`make` installs the exact versions of requirements.lock (resolved from pyproject.toml by uv), conda
users install from environment.yml; the lock is refreshed by `make lock` and environment.yml is kept
by hand, so these tests catch one being edited without the others.
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
# Entries that are not Python packages of the project: the interpreter, pip (plus its sub-list), and
# the CJK font conda installs (pip users install one from their system's packages).
NOT_DEPENDENCIES = {"python", "pip", "font-ttf-noto-cjk"}
LOCK = ROOT / "requirements.lock"
# The command in the lock's header; README and the Makefile's `lock` target say the same.
LOCK_COMMAND = "uv pip compile pyproject.toml --all-extras --universal --python-version 3.11"
# Packages whose internals the build engine uses: each needs an upper bound.
ENGINE_INTERNALS = ("nbclient", "papermill", "nbconvert", "ipykernel", "jupyter-client")


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
    """The dependencies and every extra's (the lock and environment.yml cover them all)."""
    project = pyproject()["project"]
    declared = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return [Requirement(r) for r in declared]


@cache
def locked() -> dict[str, tuple[Version, str]]:
    """Name -> (exact version, environment marker or '') of every entry of requirements.lock."""
    pins: dict[str, tuple[Version, str]] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"requirements.lock: {line!r} is not an exact pin"
        pins[normalize(requirement.name)] = (Version(spec.version), str(requirement.marker or ""))
    return pins


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


def test_both_files_declare_the_same_bounds() -> None:
    conda = {name: SpecifierSet(spec.replace(" ", "")) for name, spec in conda_specs().items()
             if name not in NOT_DEPENDENCIES}
    differing = {
        name: (str(r.specifier), str(conda[name]))
        for r in pyproject_requirements()
        if (name := normalize(r.name)) in conda and r.specifier != conda[name]
    }
    assert differing == {}, "name: (pyproject.toml, environment.yml)"


def test_the_engines_jupyter_dependencies_have_upper_bounds() -> None:
    bounded = {normalize(r.name) for r in pyproject_requirements() if any(s.operator == "<" for s in r.specifier)}
    assert [name for name in ENGINE_INTERNALS if name not in bounded] == []


def test_the_lock_pins_every_declared_package_within_its_bounds() -> None:
    """A dependency added to pyproject.toml without `make lock` fails here."""
    pins = locked()
    missing = [r.name for r in pyproject_requirements() if normalize(r.name) not in pins]
    assert missing == [], "not in requirements.lock: run `make lock`"
    outside = {r.name: str(pins[normalize(r.name)][0]) for r in pyproject_requirements()
               if not r.specifier.contains(pins[normalize(r.name)][0], prereleases=True)}
    assert outside == {}, "locked versions outside pyproject.toml's bounds: run `make lock`"


def test_the_locked_versions_satisfy_environment_yml() -> None:
    pins = locked()
    outside = {name: (str(pins[name][0]), spec) for name, spec in conda_specs().items()
               if name not in NOT_DEPENDENCIES and not SpecifierSet(spec.replace(" ", "")).contains(pins[name][0])}
    assert outside == {}, "name: (locked, environment.yml)"


def test_the_lock_says_how_it_was_made() -> None:
    header = LOCK.read_text(encoding="utf-8").splitlines()[:2]
    assert header[1].strip("# ").startswith(LOCK_COMMAND)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert LOCK_COMMAND in makefile
    assert "uv pip sync" in makefile and "requirements.lock" in makefile


def test_this_environment_is_the_locked_one() -> None:
    """`make` installed exactly the lock (every entry whose marker applies to this Python)."""
    from packaging.markers import Marker

    differing = {}
    for name, (version, marker) in locked().items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = Version(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            differing[name] = (str(version), None)
            continue
        if installed != version:
            differing[name] = (str(version), str(installed))
    assert differing == {}, "name: (locked, installed); run `make venv`"


def test_conda_installs_a_cjk_font() -> None:
    assert "font-ttf-noto-cjk" in conda_specs()


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
        pytest.fail(f"{requirement.name} is not installed; run `make venv`")
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{requirement.name} {installed} is installed, the project needs {requirement.specifier}"
    )

    modules = import_names(requirement.name)
    assert modules, f"{requirement.name} installs no importable top-level module"
    main = normalize(requirement.name).replace("-", "_")
    # Import the package's own module when it has one (e.g. "papermill"), else its first module.
    importlib.import_module(main if main in modules else modules[0])


def test_make_reports_says_how_to_get_a_cjk_font_before_building(monkeypatch, capsys) -> None:
    from chengguan import theme

    monkeypatch.setattr(theme, "find_cjk_font", lambda *a, **k: None)
    assert theme.main(["--check-cjk"]) == 0
    said = capsys.readouterr().err
    assert "no CJK font is installed" in said
    assert "apt-get install fonts-noto-cjk" in said and "font-ttf-noto-cjk" in said
    monkeypatch.setattr(theme, "find_cjk_font", lambda *a, **k: theme.FontChoice("Noto Sans CJK SC", "x", True))
    theme.main(["--check-cjk"])
    assert capsys.readouterr().err == ""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nreports:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("chengguan.theme --check-cjk") < recipe.index("chengguan-build")
