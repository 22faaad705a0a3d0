"""How the notebooks are written, measured: what a maintainer pays for two languages.

Run it as a script to print the counts (``python tests/notebook_shape.py [notebook ...]``);
``tests/test_notebook_shape.py`` holds the notebooks to them. Counted per notebook:

- language-tagged cells (``lang-zh`` / ``lang-en``), markdown and code: each is a paragraph or a
  computation written twice;
- computation lines repeated between language cells: a non-blank code line (not a comment, not a
  line of words) found in a ``lang-zh`` cell and in a ``lang-en`` cell of the same notebook;
- inline language dictionaries ``{"zh": ..., "en": ...}``, split by what indexes them: ``[L]`` (the
  charts' language: a chart label) or anything else (words that belong in the text file);
- the library's lines: the notebook-facing part and the curation tools.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANG_TAGS = {"lang-zh", "lang-en"}
_WORDS = re.compile(r"""^\s*(f?["']|\)|display\(|Markdown\()""")  # lines that only carry text


@dataclass
class Shape:
    tagged_markdown: int = 0
    tagged_code: int = 0
    repeated_lines: int = 0
    chart_dicts: int = 0
    other_dicts: int = 0


def _is_language_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) and {k.value for k in node.keys if isinstance(k, ast.Constant)} == {"zh", "en"}


def _language_dicts(code: str) -> tuple[int, int]:
    """``(indexed by L, other)`` counts of ``{"zh": ..., "en": ...}`` literals in ``code``."""
    try:
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", code, flags=re.M))
    except SyntaxError:
        return 0, 0
    chart, other = 0, 0
    indexed_by_l = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Subscript) and _is_language_dict(node.value)
                and isinstance(node.slice, ast.Name) and node.slice.id == "L"):
            indexed_by_l.add(id(node.value))
    for node in ast.walk(tree):
        if _is_language_dict(node):
            if id(node) in indexed_by_l:
                chart += 1
            else:
                other += 1
    return chart, other


def _computation_lines(source: str) -> set[str]:
    lines = set()
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _WORDS.match(line):
            continue
        lines.add(stripped)
    return lines


def measure(path: Path) -> Shape:
    """The shape of one notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shape = Shape()
    by_lang: dict[str, set[str]] = {"lang-zh": set(), "lang-en": set()}
    for cell in cells:
        source = "".join(cell["source"])
        tags = LANG_TAGS & set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "markdown":
            shape.tagged_markdown += bool(tags)
            continue
        if cell["cell_type"] != "code":
            continue
        shape.tagged_code += bool(tags)
        for tag in tags:
            by_lang[tag] |= _computation_lines(source)
        chart, other = _language_dicts(source)
        shape.chart_dicts += chart
        shape.other_dicts += other
    shape.repeated_lines = len(by_lang["lang-zh"] & by_lang["lang-en"])
    return shape


def library_lines(root: Path = ROOT) -> dict[str, int]:
    """Lines of the notebook-facing library and of the curation tools (``chengguan.curation``)."""
    package = root / "lib" / "chengguan"
    counts = {"notebook-facing": 0, "curation": 0}
    for path in package.rglob("*.py"):
        part = "curation" if "curation" in path.relative_to(package).parts else "notebook-facing"
        counts[part] += len(path.read_text(encoding="utf-8").splitlines())
    return counts


def main(paths: list[str]) -> None:
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = Shape()
    print(f"{'notebook':32} tagged md  tagged code  repeated lines  dicts [L]  other dicts")
    for path in notebooks:
        shape = measure(path)
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(shape, name))
        print(f"{path.stem:32} {shape.tagged_markdown:9} {shape.tagged_code:12} {shape.repeated_lines:15}"
              f" {shape.chart_dicts:10} {shape.other_dicts:12}")
    print(f"{'total':32} {total.tagged_markdown:9} {total.tagged_code:12} {total.repeated_lines:15}"
          f" {total.chart_dicts:10} {total.other_dicts:12}")
    print("library lines:", library_lines())


if __name__ == "__main__":
    main(sys.argv[1:])
