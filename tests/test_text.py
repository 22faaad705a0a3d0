"""The words of the notebooks (chengguan.text): the files beside the notebooks, and filling them in."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from chengguan.text import LANGUAGES, Markdown, TextError, fields, load_text, read_text, text_path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# T("key"), T.say("a", "b"), T.chart("key"), T.md("key"): every literal key a notebook uses
_CALL = re.compile(r"\bT(?:\.(?:say|chart|md))?\(")


def _write(folder: Path, body: str) -> Path:
    path = folder / "nb.text.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_fills_values_with_attribute_access_and_format_specs(tmp_path: Path) -> None:
    _write(tmp_path, "[share]\nzh = '份额 {row.share:.1f}%，至 {day:%Y-%m-%d}'\n"
                     "en = 'share {row.share:.1f}% to {day:%Y-%m-%d}'\n")
    row = pd.Series({"share": 16.605})
    zh = load_text("nb", "zh", folder=tmp_path)
    en = load_text("nb", "en", folder=tmp_path)
    day = pd.Timestamp("2022-12-31")
    assert zh("share", row=row, day=day) == "份额 16.6%，至 2022-12-31"
    assert en("share", row=row, day=day) == "share 16.6% to 2022-12-31"


def test_markdown_escapes_data_text_but_not_markdown_the_notebook_built(tmp_path: Path) -> None:
    _write(tmp_path, "[name]\nzh = '**{name}** {items}'\nen = '**{name}** {items}'\n")
    t = load_text("nb", "en", folder=tmp_path)
    shown = t.md("name", name="<b>x</b> *y*", items=Markdown("- a\n- b"))
    assert shown == r"**&lt;b&gt;x&lt;/b&gt; \*y\*** - a" "\n- b"
    # plain text (chart labels, headers) is not escaped: matplotlib and the table helper escape it
    assert t("name", name="a*b", items="c") == "**a*b** c"


def test_chart_words_follow_the_chart_language(tmp_path: Path) -> None:
    _write(tmp_path, "[axis]\nzh = '每天立案数'\nen = 'cases per day'\n")
    assert load_text("nb", "zh", "en", folder=tmp_path).chart("axis") == "cases per day"
    assert load_text("nb", "zh", folder=tmp_path).chart("axis") == "每天立案数"


def test_lists_are_filled_item_by_item(tmp_path: Path) -> None:
    _write(tmp_path, "[headers]\nzh = ['时期', '{n} 起']\nen = ['period', '{n} cases']\n")
    assert load_text("nb", "en", folder=tmp_path)("headers", n=3) == ["period", "3 cases"]


@pytest.mark.parametrize("body, message", [
    ("[a]\nzh = 'x'\n", "must have exactly the keys zh and en"),
    ("[a]\nzh = 'x'\nen = 'y'\nfr = 'z'\n", "must have exactly the keys zh and en"),
    ("[a]\nzh = ['x']\nen = 'y'\n", "both be strings or lists of one length"),
    ("[a]\nzh = 1\nen = 'y'\n", "must be a string or a list of strings"),
    ("[a\nzh = 'x'\n", "nb.text.toml"),
])
def test_malformed_files_are_refused_naming_the_file(tmp_path: Path, body: str, message: str) -> None:
    _write(tmp_path, body)
    with pytest.raises(TextError, match=re.escape(message)):
        load_text("nb", "zh", folder=tmp_path)


def test_a_missing_entry_or_value_names_the_entry(tmp_path: Path) -> None:
    _write(tmp_path, "[a]\nzh = '{x}'\nen = '{x}'\n")
    t = load_text("nb", "en", folder=tmp_path)
    with pytest.raises(TextError, match=r"no entry \[b\]"):
        t("b")
    with pytest.raises(TextError, match=r"\[a\] en: no value for 'x'"):
        t("a")
    with pytest.raises(TextError, match="language must be one of"):
        load_text("nb", "fr", folder=tmp_path)


def test_chinese_lines_join_but_a_heading_ends_its_line(tmp_path: Path) -> None:
    # a wrapped Chinese line would show a space where it was broken; a heading ends at its line end
    _write(tmp_path, "[t]\nzh = \"\"\"# 标题：一行\n说明在下一行，\n继续。\"\"\"\nen = '# Title'\n")
    assert load_text("nb", "zh", folder=tmp_path).md("t") == "# 标题：一行\n说明在下一行，继续。"


def test_fields_are_the_names_a_template_needs() -> None:
    assert fields("{row.value:.1f} of {total:,} ({share[0]}) {{braces}}") == {"row", "total", "share"}
    with pytest.raises(TextError, match="must name a value"):
        fields("{} and {0}")


# --- the project's notebooks and their words ----------------------------------------------------


def _code(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def _used_keys(code: str) -> tuple[set[str], set[str]]:
    """The keys passed to T(...), T.say(...), T.chart(...), T.md(...) in the notebook: literal keys
    (also the branches of ``"a" if c else "b"``), and the prefixes of computed ones
    (``f"set_aside_{id}"``, ``"reading_" + basis``), which stand for every entry they begin."""
    keys: set[str] = set()
    prefixes: set[str] = set()

    def key_of(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            keys.add(node.value)
        elif isinstance(node, ast.IfExp):
            key_of(node.body)
            key_of(node.orelse)
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            prefixes.add(str(node.values[0].value))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant):
            prefixes.add(str(node.left.value))

    for node in ast.walk(ast.parse(re.sub(r"^\s*%.*$", "", code, flags=re.M))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_t = (isinstance(func, ast.Name) and func.id == "T") or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "T"
            and func.attr in ("say", "chart", "md"))
        if is_t:
            for arg in node.args:
                key_of(arg)
    return keys, prefixes


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_its_words_and_uses_all_of_them(nb_path: Path) -> None:
    entries = read_text(text_path(nb_path.stem, nb_path.parent))
    keys, prefixes = _used_keys(_code(nb_path))
    assert sorted(keys - set(entries)) == [], "keys the notebook says that its text file lacks"
    assert sorted(p for p in prefixes if not any(e.startswith(p) for e in entries)) == [], \
        "computed keys whose prefix no entry has"
    unused = [e for e in entries if e not in keys and not any(e.startswith(p) for p in prefixes)]
    assert unused == [], "entries of the text file no cell says"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_both_languages_fill_in_the_same_values(nb_path: Path) -> None:
    entries = read_text(text_path(nb_path.stem, nb_path.parent))
    for key, entry in entries.items():
        texts = {lang: entry[lang] if isinstance(entry[lang], list) else [entry[lang]] for lang in LANGUAGES}
        zh, en = (set().union(*(fields(t) for t in texts[lang])) for lang in LANGUAGES)
        assert zh == en, f"[{key}]: zh fills {sorted(zh)}, en fills {sorted(en)}"


def test_a_line_break_inside_a_chinese_paragraph_is_no_space(tmp_path: Path) -> None:
    _write(tmp_path, "[p]\nzh = '''第一行\n第二行。\n\n- 列表\n- 项'''\nen = '''one\ntwo'''\n")
    assert load_text("nb", "zh", folder=tmp_path).md("p") == "第一行第二行。\n\n- 列表\n- 项"
    assert load_text("nb", "en", folder=tmp_path).md("p") == "one\ntwo"
