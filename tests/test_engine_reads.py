"""Narrower rebuilds: the engine records which data files each notebook read, and a change to one
file re-runs only the reports that read it (`--dry-run` names the file)."""

from __future__ import annotations

import nbformat
import pytest
from fixtures.project import run_build
from nbformat import v4

from reportbuild.layout import Layout
from reportbuild.state import BuildState

pytestmark = pytest.mark.notebooks  # starts kernels: `make test-quick` leaves this module out

MANIFEST = """
[build]
kernel = "chengguan"
timeout = 120
preload = ["pandas"]
libraries = ["chengguan"]

[[runs]]
name = "reads-a"
notebook = "reads_a"
title = "A"

[[runs]]
name = "reads-b"
notebook = "reads_b"
title = "B"

[[runs]]
name = "lists"
notebook = "lists"
title = "Lists the data folder"
"""


def notebook(path, code: str) -> None:
    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("lang = 'zh'  # language", metadata={"tags": ["parameters"]}),
                v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "chengguan", "language": "python", "display_name": "chengguan"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("reads")
    (root / "notebooks").mkdir()
    (root / "data").mkdir()
    (root / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "data" / "b.csv").write_text("x\n2\n", encoding="utf-8")
    (root / "data" / "unread.csv").write_text("x\n3\n", encoding="utf-8")
    notebook(root / "notebooks" / "reads_a.ipynb", "import pandas as pd\npd.read_csv('../data/a.csv')")
    # Opened through the project library's way of finding data, by absolute path.
    notebook(root / "notebooks" / "reads_b.ipynb",
             "from pathlib import Path\nprint(Path.cwd().parent.joinpath('data', 'b.csv').read_text())")
    notebook(root / "notebooks" / "lists.ipynb", "import os\nsorted(os.listdir('../data'))")
    (root / "reports.toml").write_text(MANIFEST, encoding="utf-8")
    (root / "lib").mkdir()
    (root / "lib" / "lib.py").write_text("X = 1\n", encoding="utf-8")
    layout = Layout.create(root=root, libraries=(root / "lib",))
    code, out, err = run_build(layout, jobs=2)
    assert code == 0, out + err
    return layout


def said(layout) -> dict[str, str]:
    code, out, err = run_build(layout, dry_run=True)
    assert code == 0, err
    return dict(line.split(None, 1) for line in out.splitlines())


def test_each_run_records_the_data_files_it_read(built):
    runs = BuildState.load(built.state_file).runs
    assert set(runs["reads-a"].reads) == {"a.csv"}
    assert set(runs["reads-b"].reads) == {"b.csv"}
    assert set(runs["lists"].reads) == {"/"}  # the folder's listing, not the files in it


def test_a_change_to_one_table_reruns_only_the_reports_that_read_it(built):
    (built.data / "b.csv").write_text("x\n22\n", encoding="utf-8")
    assert said(built) == {"reads-a": "up to date", "reads-b": "would run: data changed: data/b.csv",
                           "lists": "up to date"}
    code, out, _ = run_build(built, jobs=1)
    assert code == 0
    status = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:4]}
    assert status == {"reads-a": "skipped", "reads-b": "ran", "lists": "skipped"}


def test_a_file_nobody_read_reruns_nothing(built):
    (built.data / "unread.csv").write_text("x\n33\n", encoding="utf-8")
    assert set(said(built).values()) == {"up to date"}


def test_a_new_file_in_a_listed_folder_reruns_the_report_that_listed_it(built):
    (built.data / "new.csv").write_text("x\n4\n", encoding="utf-8")
    assert said(built) == {"reads-a": "up to date", "reads-b": "up to date",
                           "lists": "would run: data changed: data/"}
    (built.data / "new.csv").unlink()
