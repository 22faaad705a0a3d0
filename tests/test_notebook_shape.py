"""Every notebook says each thing once: no language-tagged copies, no words in the code.

The counts come from ``tests/notebook_shape.py`` (run it as a script to see them per notebook). A
paragraph or a computation written once per language drifts: a fix made in one copy misses the other.
Words live in ``notebooks/<stem>.text.toml``; a notebook's cells pick them by key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from notebook_shape import ROOT, Shape, measure

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_cell_is_written_once(path: Path) -> None:
    shape = measure(path)
    assert (shape.tagged_markdown, shape.tagged_code) == (0, 0), "cells written once per language"
    assert shape.repeated_lines == 0, "computation lines copied between language cells"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_words_live_in_the_text_file(path: Path) -> None:
    shape = measure(path)
    assert (shape.chart_dicts, shape.other_dicts) == (0, 0), \
        'inline {"zh": ..., "en": ...} words: they belong in the notebook\'s .text.toml'


def test_the_measure_sees_a_copied_cell(tmp_path: Path) -> None:
    import json
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {**cell, "metadata": {"tags": ["lang-zh"]}, "source": "x = total / cases\nprint('总')"},
        {**cell, "metadata": {"tags": ["lang-en"]}, "source": "x = total / cases\nprint('all')"},
        {**cell, "source": 'label = {"zh": "案件", "en": "cases"}[L]\nnote = {"zh": "注", "en": "note"}[lang]'},
    ]}
    path = tmp_path / "copied.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert measure(path) == Shape(tagged_markdown=0, tagged_code=2, repeated_lines=1, chart_dicts=1, other_dicts=1)
