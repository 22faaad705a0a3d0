"""A notebook's words in both languages, kept beside it as data: ``notebooks/<stem>.text.toml``.

A notebook computes every number once, in cells that run in both languages; its prose lives in
the text file, one entry per paragraph, the two languages side by side::

    [finding_mix]
    zh = '''**发现。** 2022 年立案占三种处置的 {last.case_share:.1f}%……'''
    en = '''**Finding.** In 2022 cases were {last.case_share:.1f}% of the three outcomes…'''

and the notebook says it with the values it computed::

    T = load_text("garbage_sorting", lang)
    T.say("finding_mix", last=last)

Placeholders are ``str.format`` fields: attribute and item access and format specs
(``{row.value:,.0f}``, ``{period[1]:%Y-%m-%d}``) but no expressions, so the text stays words.
Every string filled into prose is escaped for Markdown (data text never becomes markup), unless the
notebook marks it :class:`Markdown` (text it built itself, e.g. a list).

A value may also be a list (table headers) or a short label. :meth:`Text.chart` gives an entry in the
charts' language, which is English when no CJK font is installed (the build marks such a report).

The output of :meth:`Text.say` carries ``PROSE_METADATA`` so that the build engine shows a cell
that only says something as prose, without a "code" toggle (docs/architecture.md).
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from chengguan.paths import notebooks_dir

LANGUAGES = ("zh", "en")
TEXT_SUFFIX = ".text.toml"
PROSE_METADATA = "chengguan/prose"
"""Output metadata key of a display made by :meth:`Text.say` (read by the build engine)."""


class TextError(ValueError):
    """A text file is malformed, lacks an entry, or a placeholder has no value."""


class Markdown(str):
    """Markdown the notebook built itself: filled into prose as it is, not escaped."""


def text_path(stem: str, folder: Path | None = None) -> Path:
    """Where the words of notebook ``stem`` live."""
    return (folder or notebooks_dir()) / f"{stem}{TEXT_SUFFIX}"


def _md_escape(value: str) -> str:
    from chengguan.display import md_esc  # noqa: PLC0415 - display imports pandas

    return md_esc(value)


class _Formatter(string.Formatter):
    """``str.format`` that escapes every filled-in string for Markdown (``escape=True``)."""

    def __init__(self, escape: bool) -> None:
        self.escape = escape

    def format_field(self, value: Any, format_spec: str) -> Any:
        if self.escape and isinstance(value, str) and not isinstance(value, Markdown):
            value = _md_escape(value)
        return super().format_field(value, format_spec)


# A line break inside a Chinese paragraph is no space: Markdown would show one between the characters.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\n(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_HEADING_LINE = re.compile(r"^#{1,6}\s.*$", re.M)


def _join_cjk_lines(text: str) -> str:
    """Soft line breaks between Chinese characters removed (Markdown would show them as spaces);
    a heading's line end stays, since there it ends the heading, not a wrapped line."""
    heading_ends = {m.end() for m in _HEADING_LINE.finditer(text)}
    return _CJK_BREAK.sub(lambda m: m.group(0) if m.start() in heading_ends else "", text)


def fields(template: str) -> set[str]:
    """The top-level names a template fills in (``{row.value:.1f}`` -> ``row``)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is None:
            continue
        head = field.split(".", 1)[0].split("[", 1)[0]
        if not head or head.isdigit():
            raise TextError(f"placeholder {{{field}}} must name a value (positional fields are not allowed)")
        names.add(head)
    return names


@cache
def _read(path: Path, mtime_ns: int) -> dict[str, dict[str, Any]]:
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise TextError(f"{path}: no such text file") from None
    except tomllib.TOMLDecodeError as error:
        raise TextError(f"{path}: {error}") from None
    entries: dict[str, dict[str, Any]] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
            raise TextError(f"{path}: entry [{key}] must have exactly the keys zh and en")
        for lang in LANGUAGES:
            value = entry[lang]
            texts = value if isinstance(value, list) else [value]
            if not texts or not all(isinstance(t, str) for t in texts):
                raise TextError(f"{path}: [{key}] {lang} must be a string or a list of strings")
        if isinstance(entry["zh"], list) != isinstance(entry["en"], list) or (
                isinstance(entry["zh"], list) and len(entry["zh"]) != len(entry["en"])):
            raise TextError(f"{path}: [{key}] zh and en must both be strings or lists of one length")
        entries[key] = entry
    return entries


def read_text(path: Path) -> dict[str, dict[str, Any]]:
    """Every entry of a text file, checked: each has a zh and an en string (or equal-length lists)."""
    return _read(path, path.stat().st_mtime_ns if path.exists() else 0)


@dataclass(frozen=True)
class Text:
    """The words of one notebook in one language (and the charts' language)."""

    stem: str
    lang: str
    chart_lang: str
    entries: Mapping[str, Mapping[str, Any]]

    def _entry(self, key: str, lang: str) -> Any:
        try:
            return self.entries[key][lang]
        except KeyError:
            raise TextError(f"{self.stem}{TEXT_SUFFIX} has no entry [{key}]") from None

    def _fill(self, key: str, lang: str, values: Mapping[str, Any], escape: bool) -> Any:
        entry = self._entry(key, lang)
        formatter = _Formatter(escape)
        try:
            if isinstance(entry, list):
                return [formatter.vformat(t, (), values) for t in entry]
            return formatter.vformat(entry, (), values)
        except (KeyError, AttributeError, IndexError) as error:
            raise TextError(f"{self.stem}{TEXT_SUFFIX} [{key}] {lang}: no value for {error}") from None

    def __call__(self, key: str, **values: Any) -> Any:
        """The entry ``key`` in the report's language with ``values`` filled in (plain text, for
        table headers and alt text)."""
        return self._fill(key, self.lang, values, escape=False)

    def chart(self, key: str, **values: Any) -> Any:
        """The entry ``key`` in the charts' language (English when no CJK font is installed)."""
        return self._fill(key, self.chart_lang, values, escape=False)

    def md(self, key: str, **values: Any) -> Markdown:
        """The entry ``key`` as Markdown in the report's language, data text escaped."""
        return Markdown(_join_cjk_lines(self._fill(key, self.lang, values, escape=True)))

    def say(self, *keys: str, **values: Any) -> None:
        """Display the entries ``keys`` (one paragraph each) as prose in the report's language."""
        from IPython.display import display  # noqa: PLC0415

        body = "\n\n".join(self.md(key, **values) for key in keys)
        display({"text/markdown": body, "text/plain": body}, raw=True,
                 metadata={PROSE_METADATA: True})


def load_text(stem: str, lang: str, chart_lang: str | None = None, *, folder: Path | None = None) -> Text:
    """The words of notebook ``stem`` (``notebooks/<stem>.text.toml``) in ``lang``; ``chart_lang``
    (default ``lang``) is the language of chart labels, ``theme.lang``."""
    if lang not in LANGUAGES or (chart_lang or lang) not in LANGUAGES:
        raise TextError(f"language must be one of {LANGUAGES}, not {lang!r}")
    return Text(stem, lang, chart_lang or lang, read_text(text_path(stem, folder)))
