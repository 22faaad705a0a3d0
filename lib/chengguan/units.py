"""Counting units of Chinese report text and their canonical ids.

A Chinese count is written as numeral + counting unit (量词): "5334 起", "24.4 万平方米", "89.4%".
This module has one job: map each written unit to a canonical unit id, and give every id a label
for tables and plots. Several written forms may share one id ("名" and "人" both count persons).

The order of ``UNITS`` matters in one way only: the first written form of an id is its Chinese label.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "count"
"""The unit of a number that has no counting unit after it ("19.6万沿街商户")."""


@dataclass(frozen=True)
class Unit:
    """One written counting unit: its characters, its canonical id and the id's English label."""

    zh: str
    id: str
    en_label: str


UNITS: tuple[Unit, ...] = (
    Unit("起", "case", "case(s)"),
    Unit("件", "item", "item(s)"),
    Unit("处", "site", "site(s)"),
    Unit("个", "unit", "unit(s)"),
    Unit("个次", "unit_visit", "unit visit(s)"),
    Unit("家", "establishment", "establishment(s)"),
    Unit("家次", "establishment_visit", "establishment visit(s)"),
    Unit("人次", "person_time", "person-time(s)"),
    Unit("次", "time", "time(s)"),
    Unit("条次", "road_time", "road-time(s)"),
    Unit("人", "person", "person(s)"),
    Unit("名", "person", "person(s)"),
    Unit("条", "record", "record(s)"),
    Unit("块", "panel", "panel(s)"),
    Unit("张", "sheet", "sheet(s)"),
    Unit("辆", "vehicle", "vehicle(s)"),
    Unit("套", "dwelling", "dwelling(s)"),
    Unit("类", "category", "category(-ies)"),
    Unit("项", "entry", "entry(-ies)"),
    Unit("篇", "article", "article(s)"),
    Unit("篇次", "article", "article(s)"),
    Unit("期", "issue", "issue(s)"),
    Unit("集", "episode", "episode(s)"),
    Unit("本", "volume", "volume(s)"),
    Unit("批", "batch", "batch(es)"),
    Unit("批次", "batch", "batch(es)"),
    Unit("份", "copy", "copy(-ies)"),
    Unit("平方米", "m2", "m²"),
    Unit("公斤", "kg", "kg"),
    Unit("元", "yuan", "yuan"),
    Unit("%", "percent", "%"),
    Unit("％", "percent", "%"),
    Unit("天", "day", "day(s)"),
    Unit("年", "year", "year"),
    Unit("月", "month", "month"),
    Unit("日", "date_day", "day of month"),
    Unit("羽", "bird", "bird(s)"),
    Unit("户", "household", "household(s)"),
    Unit("小时", "hour", "hour(s)"),
    Unit("学时", "hour", "hour(s)"),
    Unit("学分", "credit", "credit(s)"),
    Unit("周", "week", "week(s)"),
    Unit("场", "session", "session(s)"),
    Unit("轮", "round", "round(s)"),
    Unit("支", "team", "team(s)"),
    Unit("枚", "piece", "piece(s)"),
    Unit("分", "point", "point(s)"),  # a score (综合评分 89.47分)
    Unit("分钟", "minute", "minute(s)"),  # so that 分钟 is never read as a score
    Unit("平米", "m2", "m²"),
    # Counting words of the few foreign-language pages among the supplementary sources: English
    # nouns that are units ("74,000 cases"), and the Japanese counter カ所 (= 处, places).
    Unit("カ所", "site", "site(s)"),
    Unit("cases", "case", "case(s)"),
    Unit("case", "case", "case(s)"),
    Unit("inspections", "time", "time(s)"),
    Unit("square meters", "m2", "m²"),
    Unit("square metres", "m2", "m²"),
    Unit("percent", "percent", "%"),
    Unit("yuan", "yuan", "yuan"),
)

_BY_ZH: dict[str, Unit] = {u.zh: u for u in UNITS}

_LABELS: dict[str, dict[str, str]] = {"en": {COUNT: "count"}, "zh": {COUNT: "数量"}}
for _u in UNITS:
    _LABELS["en"].setdefault(_u.id, _u.en_label)
    _LABELS["zh"].setdefault(_u.id, _u.zh)

UNIT_IDS: frozenset[str] = frozenset(_LABELS["en"])
"""Every canonical unit id, including ``"count"``."""


def is_word(zh: str) -> bool:
    """Whether a written unit is a word of letters ("cases"), which must end at a word boundary."""
    return all(c.isascii() and (c.isalpha() or c == " ") for c in zh)


def written_forms() -> list[str]:
    """All written units, longest first, so that a regex alternation takes "人次" before "人"."""
    return sorted(_BY_ZH, key=len, reverse=True)


def unit_for(zh: str) -> Unit:
    """The unit written as ``zh`` ("人次" -> person_time); ``KeyError`` for an unknown unit."""
    try:
        return _BY_ZH[zh]
    except KeyError:
        raise KeyError(f"unknown counting unit {zh!r}") from None


def unit_label(unit_id: str, lang: str = "en", count: float | None = None) -> str:
    """A label for a canonical unit id: ``"m2"`` -> ``"m²"`` (en) or ``"平方米"`` (zh).

    Without ``count`` the English label covers both numbers ("case(s)", for a column of units);
    with it, the label agrees with that number: 1 case, 74,000 cases, 1.5 cases.
    """
    if lang not in _LABELS:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(_LABELS)}")
    try:
        label = _LABELS[lang][unit_id]
    except KeyError:
        raise KeyError(f"unknown unit id {unit_id!r}") from None
    return label if count is None or lang != "en" else _inflected(label, count == 1)


def _inflected(label: str, singular: bool) -> str:
    """"case(s)" -> "case" or "cases"; "batch(es)" -> "batches"; "entry(-ies)" -> "entries"."""
    if label.endswith("(-ies)"):
        stem = label[: -len("(-ies)")]
        return stem if singular else stem[:-1] + "ies"
    for ending in ("(es)", "(s)"):
        if label.endswith(ending):
            stem = label[: -len(ending)]
            return stem if singular else stem + ending[1:-1]
    return label
