"""Quantity phrases of Chinese government reports, read into exact values.

A mention is an Arabic numeral with the words that qualify it, in this order; every part but the
numeral is optional, and whitespace (page-break newlines included) may stand between parts:

- leading qualifier: 约, 近, 超过, 逾, 不少于, 至少, 不超过
- the numeral: 250.47, 12,201, 89.4
- 余 or 多 ("odd"), before or after the multiplier: "10 多万元", "1.55 万余人次"
- multiplier: 万 (10^4), 亿 (10^8)
- counting unit, longest match first (see ``chengguan.units``): 平方米, 人次, 起, % ...
- trailing qualifier: 以上, 以下, 以内, 左右

A numeral with no counting unit after it has unit "count": the first year of "2021—2023 年", the
"7" and "15" of "7·15", document numbers such as "〔2023〕14号".

>>> parse_quantity("1.55 万余人次").value
Decimal('15500')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chengguan.units import COUNT, unit_for, unit_label, written_forms

Qualifier = Literal["exact", "more_than", "at_least", "approximate", "at_most"]

QUALIFIERS: dict[str, Qualifier] = {
    "余": "more_than",
    "多": "more_than",
    "以上": "more_than",
    "超过": "more_than",
    "逾": "more_than",
    "不少于": "at_least",
    "至少": "at_least",
    "近": "approximate",
    "约": "approximate",
    "左右": "approximate",
    "不超过": "at_most",
    "以下": "at_most",
    "以内": "at_most",
}

MULTIPLIERS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}


class QuantityParseError(ValueError):
    """A text that is not exactly one quantity mention; ``.text`` is the offending input."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"cannot parse quantity {text!r}: {reason}")
        self.text = text


@dataclass(frozen=True)
class Quantity:
    """One quantity mention; ``input[span[0]:span[1]] == text``."""

    text: str
    span: tuple[int, int]
    number: Decimal
    multiplier: int
    value: Decimal
    unit: str
    unit_text: str
    qualifier: Qualifier

    def __str__(self) -> str:
        return f"{' '.join(self.text.split())} = {format_value(self)}"


_QUALIFIER_WORDS: dict[str, dict[str, str]] = {
    "en": {"exact": "", "more_than": "more than ", "at_least": "at least ",
           "approximate": "about ", "at_most": "at most "},
    "zh": {"exact": "", "more_than": "超过", "at_least": "不少于",
           "approximate": "约", "at_most": "不超过"},
}
_CALENDAR_UNITS = frozenset({"year", "month", "date_day"})
# 近 before a span of time reads "the past ..." (近 3 年 = the last three years), not "nearly".
_RECENT_UNITS = frozenset({"year", "month", "day", "date_day"})

_D = "[0-9０-９]"
_UNIT = "|".join(map(re.escape, written_forms()))
_MULT = "|".join(MULTIPLIERS)

# Characters that turn a qualifier character into part of another word: 最近 (recent), 附近 (nearby),
# 节约 (save), 预约 (book) ... are not "approximately".
_PATTERN = re.compile(
    rf"""
    (?:(?P<lead>不少于|不超过|至少|超过|逾|(?<![最附])近|(?<![预合条节契签制邀公])约)\s*)?
    (?P<num>(?:{_D}{{1,3}}(?:,{_D}{{3}})+(?!{_D})|{_D}+)(?:\.{_D}+)?)
    (?:\s*(?P<odd1>余|多(?=\s*(?:{_MULT}|{_UNIT}))))?
    (?:\s*(?P<mult>{_MULT}))?
    (?:\s*(?P<odd2>余|多(?=\s*(?:{_UNIT}))))?
    (?:\s*(?P<unit>{_UNIT}))?
    (?:\s*(?P<trail>以上|以下|以内|左右))?
    """,
    re.VERBOSE,
)


def find_quantities(text: str) -> list[Quantity]:
    """Every Arabic-numeral mention in ``text``, in order, with its span.

    Years, dates, ranges and document numbers are mentions too ("2021—2023 年" gives two), so that
    callers can account for every numeral of a source.
    """
    return [_quantity(m, text) for m in _PATTERN.finditer(text)]


def parse_quantity(text: str) -> Quantity:
    """The one quantity that ``text`` consists of (surrounding whitespace aside).

    Raises ``QuantityParseError`` when there is no mention, several, or other words around it.
    """
    found = find_quantities(text)
    if not found:
        raise QuantityParseError(text, "no Arabic numeral")
    if len(found) > 1:
        raise QuantityParseError(text, f"{len(found)} quantities, expected one")
    q = found[0]
    before, after = text[: q.span[0]], text[q.span[1] :]
    if before.strip() or after.strip():
        raise QuantityParseError(text, f"words outside the quantity {q.text!r}")
    return q


def format_value(q: Quantity, lang: str = "en") -> str:
    """A short reading of the value for humans: "more than 15,500 person-time(s)", "超过15500人次"."""
    if lang not in _QUALIFIER_WORDS:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(_QUALIFIER_WORDS)}")
    # Thousands separators help with counts but make years read oddly ("2,022 year").
    grouped = lang == "en" and q.unit not in _CALENDAR_UNITS
    number = f"{q.value:,}" if grouped else str(q.value)
    label = "" if q.unit == COUNT else unit_label(q.unit, lang)
    sep = " " if lang == "en" and label and q.unit != "percent" else ""
    return f"{_QUALIFIER_WORDS[lang][q.qualifier]}{number}{sep}{label}"


def _quantity(m: re.Match[str], text: str) -> Quantity:
    unit_text = m.group("unit") or ""
    unit = unit_for(unit_text).id if unit_text else COUNT
    qualifier, start, end = _qualifier(m, unit)
    number = Decimal(m.group("num").replace(",", ""))
    multiplier = MULTIPLIERS.get(m.group("mult") or "", 1)
    return Quantity(
        text=text[start:end],
        span=(start, end),
        number=number,
        multiplier=multiplier,
        value=_exact(number * multiplier),
        unit=unit,
        unit_text=unit_text,
        qualifier=qualifier,
    )


def _qualifier(m: re.Match[str], unit: str) -> tuple[Qualifier, int, int]:
    """The mention's qualifier and its span, which leaves out qualifier words that do not apply."""
    start, end = m.span()
    lead = m.group("lead")
    if lead == "近" and unit in _RECENT_UNITS:
        start, lead = m.start("num"), None
    words = [w for w in (lead, m.group("odd1"), m.group("odd2")) if w]
    qualifier: Qualifier = QUALIFIERS[words[0]] if words else "exact"
    trail = m.group("trail")
    if trail and qualifier in ("exact", QUALIFIERS[trail]):
        qualifier = QUALIFIERS[trail]
    elif trail:
        # "约 300 起以上" says two different things; the trailing word stays outside the mention
        # rather than silently overruling the leading one.
        end = max(m.end(g) for g in ("num", "odd1", "mult", "odd2", "unit") if m.group(g))
    return qualifier, start, end


def _exact(value: Decimal) -> Decimal:
    """``value`` without trailing fractional zeros and never in exponent form: 2504700.00 -> 2504700."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
