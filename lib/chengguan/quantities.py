"""Quantity phrases of Chinese government reports, read into exact values.

A mention is a numeral with the words that qualify it, in this order; every part but the numeral
is optional, and whitespace (page-break newlines included) may stand between parts:

- leading qualifier: 约, 近, 超过, 逾, 不少于, 不低于, 至少, 不超过, 不高于, 达到; on English pages
  "more than", "over", "at least", "about", "nearly", "almost", "up to", "no more than"
- the numeral, Arabic (250.47, 12,201, 89.4) or Chinese (一 … 九, 十, 十一, 二十, 九十九, 两,
  一百零五, 两千: up to 9999)
- 余 or 多 ("odd"), before or after the multiplier: "10 多万元", "1.55 万余人次", "十余次"
- multiplier: 万 (10^4), 亿 (10^8)
- counting unit, longest match first (see ``chengguan.units``): 平方米, 人次, 起, % ...
- trailing qualifier: 以上, 以下, 以内, 左右

Floors and ceilings follow Chinese legal usage (《中华人民共和国刑法》第九十九条: "本法所称以上、
以下、以内，包括本数"): 以上, 不少于, 不低于 and 至少 include the number (``at_least``, >=), as 以下,
以内, 不超过 and 不高于 do (``at_most``, <=); 余, 多, 超过 and 逾 mean strictly more
(``more_than``). 达到 ("reach") is a floor only in a target: ``find_quantities(text, target=True)``
reads "达到 98%" as at least 98%, while a report of results reads it as the value reached. A
leading floor or ceiling governs the next number of the same clause when 和/及/与 joins them:
"不少于9家新创和7家复检" reads at least 9 and at least 7 (the reading that is true whichever number
the writer meant the word for).

A numeral with no counting unit after it has unit "count": the first year of "2021—2023 年", the
"7" and "15" of "7·15", document numbers such as "〔2023〕14号", and Chinese numerals inside words
and names (进一步, 一江一河, 二十大 …), which are mentions too so that a source can be accounted
for numeral by numeral. 大 ("major", as in 六大主题库) is not a counting unit. A bare 百 or 千 is a
numeral only before a counting unit (百日 is, 百姓 is not).

A standard written as a sum in quotation marks, with one unit per term after it, gives each term
its unit in order: "“60+24”学时学分" is 60 学时 and 24 学分; each term's text is its numeral.

>>> parse_quantity("1.55 万余人次").value
Decimal('15500')
>>> parse_quantity("二十个").value
Decimal('20')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from chengguan.units import COUNT, is_word, unit_for, unit_label, written_forms

Qualifier = Literal["exact", "more_than", "at_least", "approximate", "at_most"]
Numeral = Literal["arabic", "chinese"]

QUALIFIERS: dict[str, Qualifier] = {
    "余": "more_than",
    "多": "more_than",
    "超过": "more_than",
    "逾": "more_than",
    "以上": "at_least",
    "不少于": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
    "近": "approximate",
    "约": "approximate",
    "左右": "approximate",
    "不超过": "at_most",
    "不高于": "at_most",
    "以下": "at_most",
    "以内": "at_most",
    # English pages (lower case, one space between words)
    "more than": "more_than",
    "over": "more_than",
    "at least": "at_least",
    "about": "approximate",
    "nearly": "approximate",
    "almost": "approximate",
    "around": "approximate",
    "approximately": "approximate",
    "no more than": "at_most",
    "up to": "at_most",
}
"""How each qualifier word reads (see the module docstring for the legal rule on floors)."""

TARGET_FLOORS: dict[str, Qualifier] = {"达到": "at_least"}
"""Words that are part of a mention but qualify it only in a target: "达到 98%" is a floor there."""

# A leading floor or ceiling that also governs the next number joined by 和/及/与.
_DISTRIBUTING = frozenset({"不少于", "不低于", "至少", "不超过", "不高于"})

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
    numeral: Numeral = "arabic"

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
_ARABIC = rf"(?:{_D}{{1,3}}(?:,{_D}{{3}})+(?!{_D})|{_D}+)(?:\.{_D}+)?"

# Chinese numerals up to 9999, longest forms first. 两 stands before 千 and 百 (两千, 两百) and
# alone, not before 十 or as the ones digit (二十, 十二). 零 marks a skipped place (一百零五).
_CN_LEAD = "[一二两三四五六七八九]"
_CN_ONE = "[一二三四五六七八九]"
_CHINESE = rf"""(?:
    {_CN_LEAD}?千(?:零?{_CN_LEAD}百)?(?:零?{_CN_ONE}?十)?(?:零?{_CN_ONE})?
  | {_CN_LEAD}?百(?:零?{_CN_ONE}?十)?(?:零?{_CN_ONE})?
  | {_CN_ONE}?十{_CN_ONE}?
  | [零〇一二两三四五六七八九])"""
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_PLACES = {"十": 10, "百": 100, "千": 1000}

_UNIT = "|".join(re.escape(f) + ("(?![A-Za-z])" if is_word(f) else "") for f in written_forms())
_MULT = "|".join(MULTIPLIERS)
_ENGLISH_LEADS = "|".join(
    w.replace(" ", r"\s+") for w in sorted(QUALIFIERS, key=len, reverse=True) if w.isascii()
)

# Characters that turn a qualifier character into part of another word: 最近 (recent), 附近 (nearby),
# 节约 (save), 预约 (book) ... are not "approximately".
_PATTERN = re.compile(
    rf"""
    (?:(?P<lead>不少于|不低于|不超过|不高于|至少|超过|逾|达到|(?<![最附])近
        |(?<![预合条节契签制邀公])约|(?<![A-Za-z])(?i:{_ENGLISH_LEADS})(?![A-Za-z]))\s*)?
    (?:(?P<num>{_ARABIC})|(?P<cn>{_CHINESE}))
    (?:\s*(?P<odd1>余|多(?=\s*(?:{_MULT}|{_UNIT}))))?
    (?:\s*(?P<mult>{_MULT}))?
    (?:\s*(?P<odd2>余|多(?=\s*(?:{_UNIT}))))?
    (?:\s*(?P<unit>{_UNIT}))?
    (?:\s*(?P<trail>以上|以下|以内|左右))?
    """,
    re.VERBOSE,
)

# A standard written as a sum in quotation marks, one unit per term after it: “60+24”学时学分.
_FORMULA = re.compile(rf"[“\"](?P<terms>{_ARABIC}(?:\+{_ARABIC})+)[”\"](?P<units>(?:{_UNIT})+)")
_JOINED = re.compile(r"[^\s，。；,;:：、（）()]{0,8}(?:和|及|与)\s*")


def find_quantities(text: str, *, target: bool = False) -> list[Quantity]:
    """Every numeral mention in ``text``, Arabic and Chinese, in order, with its span.

    Years, dates, ranges, document numbers and Chinese numerals inside words are mentions too
    ("2021—2023 年" gives two, 进一步 one), so that callers can account for every numeral of a
    source. ``target``: the text states a target, so 达到 before a number makes it a floor.
    """
    found = []
    for m in _PATTERN.finditer(text):
        q = _quantity(m, text, target)
        if q is not None:
            found.append(q)
    return _formulas(_distribute(found, text), text)


def parse_quantity(text: str, *, target: bool = False) -> Quantity:
    """The one quantity that ``text`` consists of (surrounding whitespace aside).

    Raises ``QuantityParseError`` when there is no mention, several, or other words around it.
    """
    found = find_quantities(text, target=target)
    if not found:
        raise QuantityParseError(text, "no numeral")
    if len(found) > 1:
        raise QuantityParseError(text, f"{len(found)} quantities, expected one")
    q = found[0]
    before, after = text[: q.span[0]], text[q.span[1] :]
    if before.strip() or after.strip():
        raise QuantityParseError(text, f"words outside the quantity {q.text!r}")
    return q


def format_value(q: Quantity, lang: str = "en") -> str:
    """A short reading of the value for humans: "more than 15,500 person-times", "超过15500人次"."""
    if lang not in _QUALIFIER_WORDS:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(_QUALIFIER_WORDS)}")
    # Thousands separators help with counts but make years read oddly ("2,022 year").
    grouped = lang == "en" and q.unit not in _CALENDAR_UNITS
    number = f"{q.value:,}" if grouped else str(q.value)
    label = "" if q.unit == COUNT else unit_label(q.unit, lang, count=float(q.value))
    sep = " " if lang == "en" and label and q.unit != "percent" else ""
    return f"{_QUALIFIER_WORDS[lang][q.qualifier]}{number}{sep}{label}"


def _quantity(m: re.Match[str], text: str, target: bool) -> Quantity | None:
    unit_text = m.group("unit") or ""
    cn = m.group("cn")
    if cn and cn[0] in "百千" and not unit_text:
        return None  # a bare 百/千 is a numeral only before a unit: 百日, not 百姓
    unit = unit_for(unit_text).id if unit_text else COUNT
    qualifier, start, end = _qualifier(m, unit, target)
    number = Decimal(chinese_numeral(cn)) if cn else Decimal(m.group("num").replace(",", ""))
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
        numeral="chinese" if cn else "arabic",
    )


def chinese_numeral(numeral: str) -> int:
    """The value of a well-formed Chinese numeral: 十一 -> 11, 二十 -> 20, 一百零五 -> 105.

    The one parser of Chinese numerals: quantities, the source's section numbers (一、, （十二）)
    and the notebooks all read them here. Raises ValueError on a character that is not a numeral.
    """
    unknown = set(numeral) - set(_CN_DIGITS) - set(_CN_PLACES)
    if not numeral or unknown:
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    total, digit = 0, 0
    for ch in numeral:
        if ch in _CN_PLACES:
            total += (digit or 1) * _CN_PLACES[ch]
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


def _lead_reading(lead: str, target: bool) -> Qualifier | None:
    """How a leading word qualifies the number; None when it does not (达到 outside a target)."""
    if lead in TARGET_FLOORS:
        return TARGET_FLOORS[lead] if target else None
    return QUALIFIERS[" ".join(lead.lower().split())]


def _qualifier(m: re.Match[str], unit: str, target: bool) -> tuple[Qualifier, int, int]:
    """The mention's qualifier and its span, which leaves out qualifier words that do not apply."""
    start, end = m.span()
    lead = m.group("lead")
    if lead == "近" and unit in _RECENT_UNITS:
        start, lead = m.start("num") if m.group("num") else m.start("cn"), None
    readings = [_lead_reading(lead, target)] if lead else []
    readings += [QUALIFIERS[w] for w in (m.group("odd1"), m.group("odd2")) if w]
    words = [r for r in readings if r is not None]
    qualifier: Qualifier = words[0] if words else "exact"
    trail = m.group("trail")
    if trail and qualifier in ("exact", QUALIFIERS[trail]):
        qualifier = QUALIFIERS[trail]
    elif trail:
        # "约 300 起以上" says two different things; the trailing word stays outside the mention
        # rather than silently overruling the leading one.
        end = max(m.end(g) for g in ("num", "cn", "odd1", "mult", "odd2", "unit") if m.group(g))
    return qualifier, start, end


def _distribute(found: list[Quantity], text: str) -> list[Quantity]:
    """A leading floor or ceiling also governs the next number joined to it by 和/及/与."""
    out = list(found)
    for i in range(1, len(out)):
        before, q = out[i - 1], out[i]
        lead = next((w for w in _DISTRIBUTING if before.text.startswith(w)), None)
        if (lead and q.qualifier == "exact" and q.numeral == before.numeral
                and _JOINED.fullmatch(text, before.span[1], q.span[0])):
            out[i] = replace(q, qualifier=QUALIFIERS[lead])
    return out


def _formulas(found: list[Quantity], text: str) -> list[Quantity]:
    """Give each term of a quoted sum ("“60+24”学时学分") the unit that stands for it."""
    by_start = {q.span[0]: i for i, q in enumerate(found)}
    out = list(found)
    for m in _FORMULA.finditer(text):
        units = re.findall(_UNIT, m.group("units"))
        terms = list(re.finditer(_ARABIC, m.group("terms")))
        if len(units) != len(terms):
            continue  # not one unit per term: leave the numerals as they are
        for term, unit_text in zip(terms, units):
            i = by_start.get(m.start("terms") + term.start())
            if i is not None:
                out[i] = replace(out[i], unit=unit_for(unit_text).id, unit_text=unit_text)
    return out


def _exact(value: Decimal) -> Decimal:
    """``value`` without trailing fractional zeros and never in exponent form: 2504700.00 -> 2504700."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
