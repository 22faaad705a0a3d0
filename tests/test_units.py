"""Counting units: written forms -> canonical ids and labels."""

import pytest

from chengguan.units import COUNT, UNIT_IDS, UNITS, Unit, unit_for, unit_label, written_forms

CANONICAL_IDS = {
    "case", "item", "site", "unit", "establishment", "establishment_visit", "person_time", "time",
    "road_time", "unit_visit", "person", "record", "panel", "sheet", "vehicle", "dwelling",
    "category", "entry", "article", "issue", "episode", "volume", "batch", "copy", "m2", "kg",
    "yuan", "percent", "day", "year", "month", "date_day", "bird", "household", "hour", "count",
    "credit", "week", "session", "round", "team", "piece", "point", "minute",
}  # fmt: skip


def test_ids_are_exactly_the_documented_set() -> None:
    assert UNIT_IDS == CANONICAL_IDS


def test_each_written_form_appears_once() -> None:
    forms = [u.zh for u in UNITS]
    assert len(forms) == len(set(forms))


@pytest.mark.parametrize(
    ("zh", "unit_id"),
    [
        ("起", "case"), ("件", "item"), ("处", "site"), ("个", "unit"), ("个次", "unit_visit"),
        ("家", "establishment"), ("家次", "establishment_visit"), ("人次", "person_time"),
        ("次", "time"), ("条次", "road_time"), ("名", "person"), ("人", "person"),
        ("条", "record"), ("块", "panel"), ("篇次", "article"), ("批次", "batch"),
        ("学分", "credit"), ("周", "week"), ("场", "session"), ("轮", "round"), ("支", "team"),
        ("枚", "piece"), ("平米", "m2"), ("カ所", "site"), ("cases", "case"),
        ("square meters", "m2"), ("percent", "percent"), ("inspections", "time"),
        ("分", "point"), ("分钟", "minute"),
        ("平方米", "m2"), ("公斤", "kg"), ("%", "percent"), ("％", "percent"),
        ("日", "date_day"), ("学时", "hour"), ("小时", "hour"),
    ],
)  # fmt: skip
def test_unit_for(zh: str, unit_id: str) -> None:
    assert unit_for(zh).id == unit_id


def test_unit_for_unknown_names_the_unit() -> None:
    with pytest.raises(KeyError, match="平方"):
        unit_for("平方")


def test_written_forms_put_longer_units_first() -> None:
    forms = written_forms()
    for long, short in [("人次", "人"), ("家次", "家"), ("个次", "个"), ("条次", "条"),
                        ("篇次", "篇"), ("批次", "批")]:  # fmt: skip
        assert forms.index(long) < forms.index(short)
    assert [len(f) for f in forms] == sorted((len(f) for f in forms), reverse=True)


@pytest.mark.parametrize(
    ("unit_id", "lang", "label"),
    [
        ("case", "en", "case(s)"),
        ("m2", "en", "m²"),
        ("m2", "zh", "平方米"),
        ("person", "zh", "人"),  # the first written form is the label
        ("case", "zh", "起"),  # never an English form
        ("percent", "zh", "%"),
        (COUNT, "en", "count"),
        (COUNT, "zh", "数量"),
    ],
)
def test_unit_label(unit_id: str, lang: str, label: str) -> None:
    assert unit_label(unit_id, lang) == label


@pytest.mark.parametrize(
    ("unit_id", "count", "label"),
    [("case", 1, "case"), ("case", 74000, "cases"), ("case", 1.5, "cases"), ("case", 0, "cases"),
     ("person_time", 17800, "person-times"), ("batch", 2, "batches"), ("category", 1, "category"),
     ("category", 10, "categories"), ("m2", 1, "m²"), ("percent", 1, "%")],
)
def test_unit_label_agrees_with_a_count_in_english(unit_id: str, count: float, label: str) -> None:
    assert unit_label(unit_id, "en", count=count) == label
    assert unit_label(unit_id, "zh", count=count) == unit_label(unit_id, "zh")


def test_every_counted_english_label_is_a_plain_word() -> None:
    for unit_id in UNIT_IDS:
        for count in (1, 2):
            assert "(" not in unit_label(unit_id, "en", count=count)


def test_every_id_has_both_labels() -> None:
    for unit_id in UNIT_IDS:
        assert unit_label(unit_id, "en") and unit_label(unit_id, "zh")


def test_unit_label_rejects_unknown_id_and_language() -> None:
    with pytest.raises(KeyError, match="furlong"):
        unit_label("furlong")
    with pytest.raises(ValueError, match="fr"):
        unit_label("case", "fr")


def test_unit_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Unit("起", "case", "case(s)").id = "x"  # type: ignore[misc]
