"""A notebook run with a bad parameter fails in its check cell, and nothing runs after it.

(The domain notebooks' own runs are in ``tests/test_notebook_<stem>.py``.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest
from notebook_runs import execute

pytestmark = pytest.mark.notebooks  # starts kernels: `make test-quick` leaves this module out


def test_bad_parameter_fails_in_the_check_cell(tmp_path: Path) -> None:
    output = tmp_path / "bad.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute("garbage_sorting", {"lang": "fr"}, output)
    assert caught.value.ename == "ParameterError"
    assert "lang" in caught.value.evalue and "fr" in caught.value.evalue
    code = [c for c in nbformat.read(output, as_version=4).cells if c.cell_type == "code"]
    failing = [i for i, c in enumerate(code)
               if any(o["output_type"] == "error" for o in c.get("outputs", []))]
    assert len(failing) == 1
    (i,) = failing
    # the first cell after the parameters (and papermill's injected ones) is the one that fails
    assert "check_parameters(" in code[i].source
    assert "injected-parameters" in code[i - 1].metadata.get("tags", [])
    assert "parameters" in code[i - 2].metadata.get("tags", [])
    assert all(not c.get("outputs") for c in code[i + 1:])  # nothing ran after it
