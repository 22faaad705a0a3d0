"""Parameterize a notebook with papermill and execute it with nbclient on a given kernel."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from reportbuild.kernels import Kernel, traced_reads
from reportbuild.messages import Failure

INJECTED_TAG = "injected-parameters"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# IPython names the cell's own frame "Cell In[7], line 3"; the first such frame is the cell.
_CELL_FRAME = re.compile(r"Cell In\[\d+\], line (\d+)")


def load_source(path: str) -> nbformat.NotebookNode:
    """The notebook as papermill loads it (v4, with the metadata papermill expects on every cell)."""
    return load_notebook_node(path)


LANG_TAG_PREFIX = "lang-"


def select_language(nb: nbformat.NotebookNode, lang: Any) -> tuple[nbformat.NotebookNode, list[int]]:
    """A copy of ``nb`` without the cells tagged for another language, and the (0-based) source
    positions of the cells kept, so that messages can name cells as the author numbers them.

    A cell tagged ``lang-zh`` or ``lang-en`` belongs to that language only; untagged cells belong
    to every language. Without a ``lang`` parameter (``lang`` not a string) every cell is kept.
    """

    def belongs(cell: Any) -> bool:
        tagged = {t[len(LANG_TAG_PREFIX):] for t in cell.get("metadata", {}).get("tags", [])
                  if t.startswith(LANG_TAG_PREFIX)}
        return not tagged or not isinstance(lang, str) or lang in tagged

    kept = [i for i, cell in enumerate(nb.cells) if belongs(cell)]
    selected = copy.deepcopy(nb)
    selected.cells = [selected.cells[i] for i in kept]
    return selected, kept


def parameterize(nb: nbformat.NotebookNode, parameters: dict[str, Any], kernel_name: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with papermill's ``injected-parameters`` cell after the ``parameters`` cell."""
    nb = parameterize_notebook(copy.deepcopy(nb), parameters, kernel_name=kernel_name, language="python")
    nb.metadata.kernelspec = {"name": kernel_name, "language": "python",
                              "display_name": nb.metadata.get("kernelspec", {}).get("display_name", kernel_name)}
    return nb


def source_cell_number(nb: nbformat.NotebookNode, index: int, positions: list[int] | None = None) -> int:
    """1-based position in the source notebook of executed cell ``index``: skips the injected
    cell, and maps through ``positions`` (from :func:`select_language`) when cells were dropped."""
    injected = sum(1 for cell in nb.cells[:index] if INJECTED_TAG in cell.metadata.get("tags", []))
    at = index - injected
    if positions is not None and 0 <= at < len(positions):
        at = positions[at]
    return at + 1


@dataclass
class Execution:
    nb: nbformat.NotebookNode
    failure: Failure | None
    reads: tuple[str, ...] | None = None  # data files the notebook read (None: not traced)


def _failure_in_cell(nb: nbformat.NotebookNode, index: int, notebook: str, kind: str, message: str,
                     positions: list[int] | None) -> Failure:
    cell = nb.cells[index]
    line = None
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            match = _CELL_FRAME.search(_ANSI.sub("", "\n".join(output.get("traceback", []))))
            if match:
                line = int(match.group(1))
            break
    lines = cell.source.splitlines()
    source_line = lines[line - 1] if line and line <= len(lines) else None
    return Failure(notebook=notebook, kind=kind, message=message, cell=source_cell_number(nb, index, positions),
                   line=line, source_line=source_line)


async def execute(nb: nbformat.NotebookNode, kernel: Kernel, *, notebook: str, timeout: float,
                  cwd: str, positions: list[int] | None = None) -> Execution:
    """Run every code cell of ``nb`` in order on ``kernel``; stop at the first failure.

    ``positions`` maps cells to the source notebook's numbering (see :func:`select_language`).

    Mirrors ``NotebookClient.async_execute`` (language_info, execution counts, widget state),
    with our own cell loop so a failure is reported by cell.
    """
    if not timeout > 0:
        raise ValueError(f"the per-cell timeout must be positive, got {timeout!r}")
    # nbclient's `timeout` trait is an integer (0.5 would become 0: no timeout at all); its
    # `timeout_func` may return a float, which it uses as is.
    client = NotebookClient(nb, km=kernel.km, timeout_func=lambda cell: timeout,
                            resources={"metadata": {"path": cwd}})
    client.kc = kernel.kc
    client.reset_execution_trackers()
    info = await client.async_wait_for_reply(await ensure_async(kernel.kc.kernel_info()))
    if info is not None:
        nb.metadata["language_info"] = info["content"]["language_info"]
    for index, cell in enumerate(nb.cells):
        try:
            await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        except CellTimeoutError:
            message = f"the cell did not finish within {timeout:g} s (per-cell timeout)"
            return Execution(nb, _failure_in_cell(nb, index, notebook, "timeout", message, positions))
        except DeadKernelError as err:
            message = f"the kernel died: {err}"
            return Execution(nb, _failure_in_cell(nb, index, notebook, "dead kernel", message, positions))
        except CellExecutionError as err:
            message = f"{err.ename}: {err.evalue}"
            return Execution(nb, _failure_in_cell(nb, index, notebook, "error", message, positions))
    client.set_widgets_metadata()
    return Execution(nb, None, await traced_reads(kernel))


def merge_markdown(source: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The stored executed notebook with the source's current non-code cells.

    Sound only when the code cells are unchanged (the caller checks the code digest): the result
    is the source notebook with papermill's injected cell and each code cell's outputs, execution
    count and metadata copied over in order.
    """
    merged = copy.deepcopy(source)
    old_code = [c for c in executed.cells if c.cell_type == "code" and INJECTED_TAG not in c.metadata.get("tags", [])]
    new_code = [c for c in merged.cells if c.cell_type == "code"]
    if len(old_code) != len(new_code) or any(a.source != b.source for a, b in zip(old_code, new_code)):
        raise ValueError("code cells differ from the stored notebook; it must be executed again")
    for old, new in zip(old_code, new_code):
        new.outputs = old.outputs
        new.execution_count = old.execution_count
        new.metadata = old.metadata
    injected = [c for c in executed.cells if INJECTED_TAG in c.metadata.get("tags", [])]
    if injected:
        params_at = next((i for i, c in enumerate(merged.cells) if "parameters" in c.metadata.get("tags", [])), -1)
        merged.cells.insert(params_at + 1, injected[0])
    merged.metadata = executed.metadata
    return merged
