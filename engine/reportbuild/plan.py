"""What each run depends on (fingerprints) and what to do with it: execute, only re-render, or skip.

A run's fingerprint has one digest per kind of input, so a changed digest names the reason to
rebuild. Tree digests reuse a stat cache (size, mtime_ns) -> sha256 kept in the build state, so
unchanged files are never read again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from importlib import metadata
from pathlib import Path
from typing import Any

from chengguan.text import TEXT_SUFFIX
from reportbuild.layout import Layout
from reportbuild.manifest import Manifest, ManifestError, Run
from reportbuild.state import EXECUTION_REASONS, BuildState, Fingerprint

# Distributions whose versions can change what a notebook computes or how it executes.
EXECUTION_PACKAGES = (
    "ipykernel", "ipython", "jupyter_client", "matplotlib", "matplotlib-inline", "nbclient",
    "nbformat", "numpy", "pandas", "papermill", "scipy", "seaborn", "statsmodels",
)
# Distributions that only change the HTML rendering (a change re-renders, never re-executes).
RENDER_PACKAGES = ("nbconvert", "mistune", "pygments", "jupyterlab_pygments", "bleach")


def digest(value: Any) -> str:
    """sha256 of a JSON-serializable value (keys sorted), shortened: these are not secrets."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


StatCache = MutableMapping[str, list[Any]]  # path -> [size, mtime_ns, ctime_ns, inode, sha256]


def file_sha256(path: Path, cache: StatCache | None = None) -> str:
    """Content hash of one file, reusing ``cache`` when its stat is unchanged.

    The stat includes the inode's change time, which every write sets and no tool can set back
    (unlike the mtime, which `touch -d` or an editor can restore): a same-size edit with its mtime
    restored is still seen and hashed again.
    """
    st = path.stat()
    key = str(path)
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    hit = cache.get(key) if cache is not None else None
    if hit and len(hit) == 5 and hit[:4] == stamp:
        return str(hit[4])
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    sha = h.hexdigest()
    if cache is not None:
        cache[key] = [*stamp, sha]
    return sha


def _walk(root: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        # Skip caches and hidden folders; they do not change what a notebook computes.
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and d != "__pycache__"
        )
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith((".pyc", ".pyo")):
                yield Path(dirpath) / name


def tree_digest(root: Path, cache: StatCache | None = None) -> str:
    """Digest of every file's relative path and content under ``root`` (a file: its content)."""
    if root.is_file():
        return digest([root.name, file_sha256(root, cache)])
    if not root.is_dir():
        return digest(None)
    entries = [(path.relative_to(root).as_posix(), file_sha256(path, cache)) for path in _walk(root)]
    return digest(entries)


def notebook_digests(nb: Mapping[str, Any]) -> tuple[str, str]:
    """``(code, markdown)`` digests of a notebook's JSON.

    Code covers what execution sees: code cell sources in order and their tags (the
    ``parameters`` tag decides where papermill injects). Markdown covers everything else shown.
    """
    code, other = [], []
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "code":
            code.append([source, sorted(cell.get("metadata", {}).get("tags", []))])
        else:
            other.append([cell.get("cell_type"), source, cell.get("attachments")])
    return digest(code), digest(other)


def companion_text(notebook: Path) -> Path:
    """The notebook's words beside it, ``<stem>.text.toml`` (read by ``chengguan.text`` when it runs)."""
    return notebook.with_name(notebook.stem + TEXT_SUFFIX)


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def package_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Installed versions (None when a distribution is absent).

    Read from the ``<name>-<version>.dist-info`` folder names on ``sys.path`` (first wins, as
    for imports): one listing per folder instead of parsing every distribution's METADATA, which
    takes most of a no-op build. ``importlib.metadata`` answers for the rest.
    """
    names = list(names)
    wanted = {_normal(name): name for name in names}
    versions: dict[str, str | None] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listing:
            if item.endswith(".dist-info"):
                name, _, version = item[: -len(".dist-info")].partition("-")
                original = wanted.get(_normal(name))
                if original is not None and original not in versions and version:
                    versions[original] = version
    for name in names:
        if name not in versions:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = None
    return versions


def kernelspec_file(name: str) -> Path | None:
    """The ``kernel.json`` of kernel ``name`` (found without importing jupyter_client)."""
    from jupyter_core.paths import jupyter_path  # light: no server stack

    for base in jupyter_path("kernels"):
        candidate = Path(base) / name / "kernel.json"
        if candidate.is_file():
            return candidate
    return None


def font_files() -> list[str]:
    """The installed font files, as fontconfig lists them (else the usual font folders' files).

    Charts draw their labels with these: installing a CJK font must rebuild a Chinese report
    that was built without one (and labelled in English), so the list is part of every fingerprint.
    """
    import shutil
    import subprocess

    exe = shutil.which("fc-list")
    if exe is not None:
        try:
            done = subprocess.run([exe, "--format=%{file}\\n"], capture_output=True, text=True, timeout=20)
            if done.returncode == 0:
                return sorted(set(line.strip() for line in done.stdout.splitlines() if line.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
               Path.home() / ".local/share/fonts", Path("/System/Library/Fonts"), Path("/Library/Fonts"),
               Path.home() / "Library/Fonts", Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
               Path(sys.prefix) / "fonts"]
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [str(p) for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".ttc", ".otf")]
    return sorted(found)


def kernel_digest(name: str) -> str:
    """Digest of the kernelspec (its command line and environment) and this Python."""
    spec = kernelspec_file(name)
    text = spec.read_text(encoding="utf-8") if spec else None
    return digest([name, text, sys.version])


# -- the plan --------------------------------------------------------------------------------


# The renderer's own source: editing it re-renders every report (kernels never import the engine,
# so the engine's other modules are no input of a report). The key results are written on render.
RENDERER_SOURCES = tuple(Path(__file__).with_name(name) for name in ("render.py", "results.py", "templates"))


class Action(Enum):
    EXECUTE = "execute"
    RENDER = "render"
    SKIP = "skip"


@dataclass(frozen=True)
class Decision:
    run: Run
    action: Action
    reasons: tuple[str, ...]
    fingerprint: Fingerprint
    parameters: dict[str, Any]  # resolved (defaults filled in)
    links: dict[str, str | None] = field(default_factory=dict)  # the report's top bar (site.page_links)

    def describe(self) -> str:
        if self.action is Action.EXECUTE:
            return "would run: " + ", ".join(self.reasons)
        if self.action is Action.RENDER:
            return "re-render: " + ", ".join(self.reasons)
        return "up to date"


def fingerprints(
    runs: Sequence[Run],
    parameters: Mapping[str, dict[str, Any]],
    manifest: Manifest,
    layout: Layout,
    state: BuildState,
    versions: Mapping[str, str | None] | None = None,
    links: Mapping[str, Any] | None = None,
) -> dict[str, Fingerprint]:
    """The current fingerprint of each run. ``versions`` overrides the installed versions (tests);
    ``links`` are the reports' top-bar links (a new counterpart re-renders)."""
    cache = state.files
    if versions is None:
        versions = package_versions(EXECUTION_PACKAGES + RENDER_PACKAGES)
    shared = {
        "data": tree_digest(layout.data, cache),
        "library": digest([tree_digest(path, cache) for path in library_sources(manifest, layout)]),
        "packages": digest({k: versions.get(k) for k in EXECUTION_PACKAGES}),
        "kernel": kernel_digest(manifest.build.kernel),
        "fonts": digest(font_files()),
    }
    renderer = [
        {k: versions.get(k) for k in RENDER_PACKAGES},
        [tree_digest(path, cache) for path in RENDERER_SOURCES],
    ]
    notebooks: dict[Path, tuple[str, str]] = {}
    result = {}
    for run in runs:
        if run.notebook_path not in notebooks:
            with run.notebook_path.open(encoding="utf-8") as f:
                code, markdown = notebook_digests(json.load(f))
            # The words the notebook says (chengguan.text) are filled in when it runs: part of its code.
            words = companion_text(run.notebook_path)
            if words.is_file():
                code = digest([code, file_sha256(words, cache)])
            notebooks[run.notebook_path] = (code, markdown)
        code, markdown = notebooks[run.notebook_path]
        params = parameters[run.name]
        result[run.name] = Fingerprint(
            code=code,
            markdown=markdown,
            params=digest(params),
            render=digest([renderer, run.title, run.description, run.show_code, params,
                           (links or {}).get(run.name)]),
            **shared,
        )
    return result


def library_sources(manifest: Manifest, layout: Layout) -> list[Path]:
    """Source folders (or files) of the manifest's libraries, found as Python would import them."""
    if layout.libraries is not None:
        return list(layout.libraries)
    found = []
    for name in manifest.build.libraries:
        spec = importlib.util.find_spec(name)  # finds without importing (a top-level name)
        if spec is None:
            raise LibraryNotFound(f"library {name!r} (reports.toml [build] libraries) is not importable")
        if spec.submodule_search_locations:
            found += [Path(p).resolve() for p in spec.submodule_search_locations]
        elif spec.origin:
            found.append(Path(spec.origin).resolve())
    return found


class LibraryNotFound(ManifestError):
    """A library named in the manifest cannot be found."""


def read_digests(reads: Sequence[str], layout: Layout, state: BuildState) -> dict[str, str | None]:
    """The current digest of each data file a run read (a folder: of its listing; None: gone)."""
    digests: dict[str, str | None] = {}
    for rel in reads:
        path = layout.data / rel.rstrip("/") if rel.strip("/") else layout.data
        if rel.endswith("/"):
            digests[rel] = digest(sorted(os.listdir(path))) if path.is_dir() else None
        else:
            digests[rel] = file_sha256(path, state.files) if path.is_file() else None
    return digests


def changed_reads(record_reads: Mapping[str, str | None], layout: Layout, state: BuildState) -> list[str]:
    """The data files (of those a run read) whose content changed since."""
    now = read_digests(list(record_reads), layout, state)
    return [rel for rel, old in record_reads.items() if now[rel] != old]


def _data_reason(changed: Sequence[str]) -> str:
    shown = ", ".join(f"data/{rel}" if rel != "/" else "data/" for rel in changed[:3])
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return f"{EXECUTION_REASONS['data']}: {shown}{more}"


def decide(run: Run, fp: Fingerprint, params: dict[str, Any], state: BuildState, layout: Layout,
           force: bool = False, links: Mapping[str, str | None] | None = None) -> Decision:
    """What to do with one run, given its current fingerprint and the saved state."""

    def decision(action: Action, *reasons: str) -> Decision:
        return Decision(run, action, reasons, fp, params, dict(links or {}))

    if force:
        return decision(Action.EXECUTE, "forced")
    record = state.runs.get(run.name)
    if record is not None and record.status == "failed":
        return decision(Action.EXECUTE, "previous run failed")
    old = record.fp() if record else None
    if old is None or not layout.ipynb(run.name).is_file():
        return decision(Action.EXECUTE, "no previous output")
    changes = fp.execution_changes(old)
    data_reason = EXECUTION_REASONS["data"]
    if data_reason in changes and record is not None and record.reads is not None:
        # Something under data/ changed; the run depends only on the files it read.
        changed = changed_reads(record.reads, layout, state)
        at = changes.index(data_reason)
        changes[at:at + 1] = [_data_reason(changed)] if changed else []
    if changes:
        return decision(Action.EXECUTE, *changes)
    rerender = fp.render_changes(old)
    if not layout.html(run.name).is_file():
        rerender.append("HTML missing")
    elif not layout.results(run.name).is_file():
        rerender.append("key results missing")
    if rerender:
        return decision(Action.RENDER, *rerender)
    return decision(Action.SKIP)


def plan(runs: Sequence[Run], parameters: Mapping[str, dict[str, Any]], manifest: Manifest, layout: Layout,
         state: BuildState, force: bool = False,
         versions: Mapping[str, str | None] | None = None) -> list[Decision]:
    links = report_links(manifest, parameters, layout)
    fps = fingerprints(runs, parameters, manifest, layout, state, versions, links)
    return [decide(run, fps[run.name], parameters[run.name], state, layout, force, links[run.name]) for run in runs]


def report_links(manifest: Manifest, parameters: Mapping[str, dict[str, Any]], layout: Layout) -> dict[str, dict]:
    """Each report's top-bar links (site.page_links); they depend on every run of the manifest."""
    from chengguan.params import ParameterError
    from reportbuild.site import all_links

    def resolved(run: Run) -> Mapping[str, Any]:
        if run.name in parameters:
            return parameters[run.name]
        try:
            return run.resolved()
        except ParameterError:
            return run.parameters

    return all_links([(run.name, run.notebook, resolved(run)) for run in manifest.runs], layout.downloads)
