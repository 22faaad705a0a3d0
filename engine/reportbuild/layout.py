"""Where a build reads its inputs and writes its outputs (all overridable, so tests use copies)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def find_root(start: Path | None = None) -> Path:
    """The nearest folder holding ``reports.toml``, from ``start`` (default: the working directory) up."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "reports.toml").is_file():
            return folder
    raise FileNotFoundError(f"no reports.toml in {here} or above it; pass --root")


@dataclass(frozen=True)
class Layout:
    root: Path
    manifest: Path
    outputs: Path
    # Source trees of the libraries the notebooks import; None: the manifest's `[build] libraries`,
    # found where Python would import them from.
    libraries: tuple[Path, ...] | None = None

    @classmethod
    def create(
        cls,
        root: Path | None = None,
        manifest: Path | None = None,
        outputs: Path | None = None,
        libraries: tuple[Path, ...] | None = None,
    ) -> Layout:
        root = Path(root).resolve() if root else find_root()
        return cls(
            root=root,
            manifest=Path(manifest or root / "reports.toml").resolve(),
            outputs=Path(outputs or root / "outputs").resolve(),
            libraries=None if libraries is None else tuple(Path(p).resolve() for p in libraries),
        )

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def build_dir(self) -> Path:
        return self.outputs / ".build"

    @property
    def state_file(self) -> Path:
        return self.build_dir / "state.json"

    @property
    def lock_file(self) -> Path:
        return self.build_dir / "build.lock"

    def ipynb(self, run: str) -> Path:
        return self.outputs / f"{run}.ipynb"

    def html(self, run: str) -> Path:
        return self.outputs / f"{run}.html"

    def failed(self, run: str) -> Path:
        return self.outputs / f"{run}.failed.ipynb"

    def results(self, run: str) -> Path:
        return self.outputs / f"{run}.results.json"

    @property
    def downloads(self) -> Path:
        """The data downloads (``chengguan-data export``), which the site and reports link."""
        return self.outputs / "data"

    def outputs_of(self, run: str) -> tuple[Path, ...]:
        """Every file a run may write: no two runs may share one."""
        return (self.ipynb(run), self.html(run), self.failed(run), self.results(run))

    @property
    def index(self) -> Path:
        return self.outputs / "index.html"

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root when inside it (for messages), else as is."""
        try:
            return os.path.relpath(path, self.root) if path.is_relative_to(self.root) else str(path)
        except ValueError:
            return str(path)
