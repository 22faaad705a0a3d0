"""chengguan.tables.schema: the declarations are consistent with each other and the contracts."""

from __future__ import annotations

import pytest

from chengguan import units
from chengguan.quantities import QUALIFIERS
from chengguan.tables import schema


def test_every_table_has_its_primary_key_as_a_required_unique_id() -> None:
    for table in schema.TABLES:
        key = table.field(table.primary_key)
        assert (key.required, key.unique) == (True, True), table.name
        # supplementary_map is keyed by the line of its raw row, every other table by an id
        assert key.type == ("integer" if table is schema.SUPPLEMENTARY_MAP else "string")


def test_column_names_are_unique_within_a_table() -> None:
    for table in schema.TABLES:
        assert len(set(table.columns)) == len(table.columns), table.name


def test_foreign_keys_point_to_declared_primary_keys_of_earlier_tables() -> None:
    seen: set[str] = set()
    for table in schema.TABLES:
        for key in table.foreign_keys:
            target = schema.table(key.target_table)
            assert key.target_column == target.primary_key
            assert key.column in table.columns
            assert key.target_table in seen | {table.name}, f"{table.name} -> {key.target_table}"
        seen.add(table.name)


def test_the_columns_of_the_architecture_contract() -> None:
    assert schema.OBSERVATIONS.columns == (
        "observation_id", "indicator_id", "source_id", "scope_id", "period_start", "period_end",
        "status", "value", "qualifier", "number_text", "quote", "section", "note_zh", "note_en")
    assert schema.INDICATORS.columns == (
        "indicator_id", "domain_id", "name_zh", "name_en", "unit", "description", "parent_id",
        "note_zh", "note_en", "series_id")
    assert schema.SERIES.columns == (
        "series_id", "domain_id", "name_zh", "name_en", "unit", "definition_zh", "definition_en",
        "note_zh", "note_en")
    assert schema.EVENTS.columns[:2] == ("event_id", "kind")
    assert schema.SOURCES.columns == (
        "source_id", "title", "title_zh", "title_en", "issuer", "issuer_zh", "issuer_en", "doc_number", "issued", "url", "scope_id", "kind",
        "reliability", "reliability_note_zh", "reliability_note_en", "raw_path", "sha256")


def test_units_and_qualifiers_are_those_of_the_parser() -> None:
    assert set(schema.UNITS) == units.UNIT_IDS
    assert set(schema.QUALIFIERS) == set(QUALIFIERS.values()) | {"exact"}


def test_an_unknown_table_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown table 'observation'; tables: scopes, sources"):
        schema.table("observation")
    with pytest.raises(KeyError, match="observations has no column 'values'"):
        schema.OBSERVATIONS.field("values")
