"""The committed notebooks are clean sources: no outputs, one papermill ``parameters`` cell, and the
parameter check right after it (see docs/architecture.md, "Notebook parameters")."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def problems(nb: NotebookNode, stem: str) -> list[str]:
    """Every way ``nb`` (the notebook ``<stem>.ipynb``) breaks the rules; empty when clean."""
    found: list[str] = []
    if nb.get("nbformat") != 4:
        found.append(f"nbformat is {nb.get('nbformat')}, not 4")
    if "papermill" in nb.get("metadata", {}):
        found.append("notebook metadata has a 'papermill' entry: an executed copy was committed")

    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i} has execution_count {cell.execution_count}")

    tagged = [i for i, cell in enumerate(nb.cells) if "parameters" in tags(cell)]
    if len(tagged) != 1:
        found.append(f"{len(tagged)} cells tagged 'parameters' (cells {tagged}), not exactly one")
        return found
    (i,) = tagged
    if nb.cells[i].cell_type != "code":
        found.append(f"the 'parameters' cell {i} is a {nb.cells[i].cell_type} cell")
    after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
    if after is None or after.cell_type != "code" or "check_parameters(" not in after.source:
        found.append(f"cell {i + 1}, after the 'parameters' cell, does not call check_parameters(")
    elif not re.search(r"check_parameters\(\s*[\"']" + re.escape(stem) + r"[\"']", after.source):
        found.append(f"cell {i + 1} checks the parameters of another notebook, not {stem!r}")
    return found


def test_notebooks_exist() -> None:
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file"


# What a failure says to do: saved outputs are stripped by one command (nbstripout, see the Makefile).
STRIP_HINT = ("strip outputs with `make strip` (nbstripout); `make nbstripout` (run by `make lab`) "
              "makes git strip them on every commit")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)  # raises ValidationError naming the offending part
    assert problems(nb, path.stem) == [], STRIP_HINT


def test_make_strip_and_the_git_filter_remove_what_a_saved_notebook_carries(tmp_path: Path) -> None:
    """The two commands the hint names, on a clone: `make strip` cleans the file, and with the filter
    `make nbstripout` installs, `git add` stages a notebook saved with outputs without them."""
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("needs git and make")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    for name in ("Makefile", ".gitattributes"):  # as in this work tree, committed or not
        shutil.copy(ROOT / name, clone / name)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    # Files checked out in the second the index was written are "racily clean": git would run the
    # filter on every one of them to compare. Dated back and refreshed first, only the edited one is.
    for notebook in clone.rglob("*.ipynb"):
        os.utime(notebook, (time.time() - 60, time.time() - 60))
    subprocess.run(["git", "-C", str(clone), "update-index", "-q", "--refresh"], timeout=120)
    make = ["make", "-s", "-C", str(clone), "-o", ".venv/.installed"]  # the venv is this one's

    def saved_with_outputs(path: Path) -> NotebookNode:
        nb = nbformat.read(path, as_version=4)
        nb.metadata["papermill"] = {"parameters": {"lang": "en"}}
        for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
            cell.execution_count = count
            cell.outputs = [new_output("stream", name="stdout", text=f"output {count}\n")]
        nbformat.write(nb, path)
        return nb

    path = clone / "notebooks" / NOTEBOOKS[0].name
    clean = nbformat.read(path, as_version=4)
    assert problems(saved_with_outputs(path), path.stem) != []
    subprocess.run([*make, "strip"], check=True, timeout=300, capture_output=True)
    assert problems(nbformat.read(path, as_version=4), path.stem) == []
    assert nbformat.read(path, as_version=4) == clean  # nothing else changed, cell ids included

    subprocess.run([*make, "nbstripout"], check=True, timeout=120, capture_output=True)
    saved = saved_with_outputs(path)
    subprocess.run(["git", "-C", str(clone), "add", str(path)], check=True, timeout=120)
    staged = subprocess.run(["git", "-C", str(clone), "show", f":notebooks/{path.name}"], check=True,
                            timeout=120, capture_output=True, text=True).stdout
    assert problems(nbformat.reads(staged, as_version=4), path.stem) == []
    assert nbformat.reads(staged, as_version=4) == clean
    assert nbformat.read(path, as_version=4) == saved  # the file in the lab keeps its outputs


# --- the checker itself, on notebooks made here: it passes a clean one and names each fault ---------


def clean_notebook(stem: str = "garbage") -> NotebookNode:
    params = new_code_cell('lang = "zh"\nyear = 2023', metadata={"tags": ["parameters"]})
    check = new_code_cell(
        f'from chengguan.params import check_parameters\nP = check_parameters("{stem}", globals())'
    )
    title = new_markdown_cell("# 生活垃圾分类")
    return new_notebook(cells=[title, params, check, new_code_cell("P")])


def test_checker_accepts_a_clean_notebook() -> None:
    nb = clean_notebook()
    nbformat.validate(nb)
    assert problems(nb, "garbage") == []


def test_checker_reports_outputs_and_execution_counts() -> None:
    nb = clean_notebook()
    nb.cells[3].outputs = [new_output("stream", name="stdout", text="hello\n")]
    nb.cells[1].execution_count = 1
    assert problems(nb, "garbage") == ["cell 1 has execution_count 1", "cell 3 has outputs"]


def test_checker_reports_executed_copies() -> None:
    nb = clean_notebook()
    nb.metadata["papermill"] = {"parameters": {}}
    assert problems(nb, "garbage") == [
        "notebook metadata has a 'papermill' entry: an executed copy was committed"
    ]


@pytest.mark.parametrize("tagged_cells", [[], [1, 3]])
def test_checker_requires_exactly_one_parameters_cell(tagged_cells: list[int]) -> None:
    nb = clean_notebook()
    for i, cell in enumerate(nb.cells):
        cell.metadata["tags"] = ["parameters"] if i in tagged_cells else []
    assert problems(nb, "garbage") == [
        f"{len(tagged_cells)} cells tagged 'parameters' (cells {tagged_cells}), not exactly one"
    ]


def test_checker_requires_check_parameters_right_after() -> None:
    nb = clean_notebook()
    nb.cells[2], nb.cells[3] = nb.cells[3], nb.cells[2]
    assert problems(nb, "garbage") == [
        "cell 2, after the 'parameters' cell, does not call check_parameters("
    ]

    nb = clean_notebook()
    del nb.cells[2:]  # the parameters cell is the last one
    assert problems(nb, "garbage") == [
        "cell 2, after the 'parameters' cell, does not call check_parameters("
    ]


def test_checker_requires_the_notebooks_own_stem() -> None:
    nb = clean_notebook("demolition")  # copied from another notebook and not adapted
    assert problems(nb, "garbage") == [
        "cell 2 checks the parameters of another notebook, not 'garbage'"
    ]


def test_file_check_reads_and_validates_a_written_notebook(tmp_path: Path) -> None:
    path = tmp_path / "garbage.ipynb"
    nbformat.write(clean_notebook(), path)
    test_notebook_is_clean(path)

    nb = clean_notebook()
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="2023\n")]
    nbformat.write(nb, path)
    with pytest.raises(AssertionError, match="cell 1 has outputs"):
        test_notebook_is_clean(path)
