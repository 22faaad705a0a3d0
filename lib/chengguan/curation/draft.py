"""Draft table rows for the uncovered numerals of a new source, reusing what the catalog knows.

For every mention that ``coverage`` finds uncovered in a source, :func:`draft` proposes one row:

- an **observation of a known indicator** when the words right before the number end the same
  way as the words before the number in a quote already in the tables (one is the end of the
  other, or they share their last four characters or more), and the counting unit is the
  indicator's (e.g. "依法查处违法建筑案件 6120 起" matches "依法查处违法建筑案件 5334 起" →
  ``illegal_building_cases``). Among several candidates, one from a section with a similar
  heading wins, then the longest match; a tie between indicators is left for review. This is
  how recurring indicators fill themselves in for a new period;
- an **exclusion** for a date, a year, a document number or a plan period, and for a Chinese
  numeral that numbers a heading (（一）, 一、, 一是), an ordinal or edition (第二批, 第五届), or has
  no counting unit (the 一 of 进一步: drafted as a ``word`` for the reviewer to check);
- otherwise a **new indicator** (with a placeholder id, the words before the number as its
  Chinese name, its unit, the domain of its section's other rows) and its observation.

Quotes run from the start of the clause (after the last ，。；：！？) to the end of the mention,
widened clause by clause until they occur once in the normalized text, so that they pass the
validator's rules. Every drafted row carries a ``review`` note saying what it was matched on and
what to check. The draft is a folder of CSV files with the tables' columns plus ``review``; the
user edits them and appends them with ``chengguan-data append`` (:mod:`chengguan.curation.intake`).
A note the user adds (``note_zh``/``note_en`` of an observation or an indicator) goes in both
languages: the tables refuse a note given in one only, since each report shows its own.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from chengguan import paths, sources
from chengguan.curation.coverage import coverage
from chengguan.tables import schema
from chengguan.tables.io import read_csv

if TYPE_CHECKING:
    from chengguan.quantities import Quantity

CLAUSE_END = "，。；：！？,;:!?\n"
SECTION_SIMILAR = 0.6  # difflib ratio of two section headings that count as the same section
MIN_SHARED = 4  # last characters two phrases must share to match, unless one ends the other
NEW_PREFIX = "new"

_PART = re.compile(r"^[^，。；]{0,30}(工作总结|工作计划)$")
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")
_EXCLUDED = (  # (reason, pattern) tried in order on the normalized text around a mention
    ("document_number", re.compile(r"[\u4e00-\u9fff]{0,4}〔[0-9]{4}〕\s*[0-9]+\s*号")),
    ("date", re.compile(r"[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")),
    ("plan_period", re.compile(r"[（(][0-9]{4}\s*[—–\-－]\s*[0-9]{4}\s*年[）)]")),
)
_CN = "[零〇一二两三四五六七八九十百千]+"
_CHINESE_EXCLUDED = (  # the same, for Chinese numerals that are not figures
    ("heading", re.compile(rf"[（(]{_CN}[）)]")),  # （一）
    ("heading", re.compile(rf"{_CN}、[^、，。；]{{1,4}}")),  # 一、强化… (a part number)
    ("heading", re.compile(rf"(?<![^。；：\s]){_CN}是")),  # 一是… at the start of a clause
    ("edition", re.compile(rf"第{_CN}届")),
    ("ordinal", re.compile(rf"第{_CN}[^\s，。；、“”]?")),
)


@dataclass(frozen=True)
class Known:
    """What a quote already in the tables says just before its number."""

    indicator_id: str
    key: str  # the clause before the number, without spaces: "依法查处违法建筑案件"
    context: str  # all the quote says before the number, without numbers and spaces
    after: str  # what the quote says after the number, without spaces
    section: str  # last heading of its section, without ordinal: "有效提升生态环境质量"
    status: str
    observation_id: str
    quote: str


@dataclass
class Draft:
    """The drafted rows of each table, with their review notes."""

    source_id: str
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {"indicators": [], "observations": [], "exclusions": []})

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}

    def matched(self) -> list[dict[str, str]]:
        """Observations drafted onto indicators that were already in the catalog."""
        new = {row["indicator_id"] for row in self.rows["indicators"]}
        return [r for r in self.rows["observations"] if r["indicator_id"]
                and r["indicator_id"] not in new]

    def write(self, outdir: Path | str) -> list[Path]:
        """Write one CSV per table (``review`` first, then the table's columns)."""
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, rows in self.rows.items():
            path = out / f"{name}.csv"
            columns = ["review", *schema.table(name).columns]
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
            written.append(path)
        return written


def draft(source_id: str, year: int, data_dir: Path | str | None = None) -> Draft:
    """Draft rows for every uncovered mention of ``source_id``, whose figures are for ``year``.

    Figures under a heading of a work plan (…工作计划) are drafted as targets for ``year + 1``,
    all others as outcomes of ``year``; the scope is the source's.
    """
    from chengguan.quantities import find_quantities

    base = Path(data_dir) if data_dir is not None else paths.data_dir()
    text = sources.normalized_text(source_id, base)
    source_row = next(r for r in read_csv(base / "sources.csv") if r["source_id"] == source_id)
    indicators = {r["indicator_id"]: r.cells for r in read_csv(base / "indicators.csv")}
    known = _known(base, indicators)
    headings = _sections(text)
    raw_to_text = {raw: i for i, raw in enumerate(text.offsets)}
    result = Draft(source_id)
    excluded: list[tuple[int, int]] = []
    used: Counter[tuple[str, str]] = Counter()
    numbers = iter(range(1, 10_000))
    quantities = {q.span[0]: q for q in find_quantities(text.text)}
    for mention in coverage(source_id, base).uncovered:
        quantity = quantities.get(raw_to_text.get(mention.span[0], -1))
        if quantity is None:
            continue  # not a mention of the normalized text (cannot happen with page breaks)
        span = quantity.span
        if any(a <= span[0] and span[1] <= b for a, b in excluded):
            continue  # inside a date or document number drafted already
        section = _section_at(headings, span[0])
        exclusion = _exclusion(text.text, span, quantity)
        if exclusion is not None:
            reason, region = exclusion
            quote = text.text[region[0]:region[1]]
            if all(row["quote"] != quote for row in result.rows["exclusions"]):
                review = f"{reason}: excludes every occurrence of this quote"
                if reason == "word":
                    review += ("; CHECK: a Chinese numeral without a counting unit, part of a word "
                               "or a name? Figures such as 四阶段 become observations instead")
                result.rows["exclusions"].append({
                    "review": review,
                    "exclusion_id": f"{source_id}_x{len(result.rows['exclusions']) + 1:02d}",
                    "source_id": source_id, "quote": quote, "reason": reason, "note": ""})
            excluded += text.find_all(quote)
            continue
        floor = max((end for start, _, end in headings if end <= span[0]), default=0)
        quote = _quote(text, span, floor)
        number_text = _number_text(quote)
        status = "target" if "计划" in section.split(" > ")[0] else "actual"
        period_year = year + 1 if status == "target" else year
        key = _key(text.text[span[1] - len(quote):span[0]])
        sentence = text.text.rfind("。", 0, span[0]) + 1
        candidates = _candidates(known, key, _context(text.text[sentence:span[0]]),
                                 _after(text.text[span[1]:]), quantity.unit,
                                 _last_heading(section), status, indicators)
        observation = {
            "observation_id": f"{source_id}_{next(numbers):04d}",
            "indicator_id": "", "source_id": source_id, "scope_id": source_row["scope_id"],
            "period_start": f"{period_year}-01-01", "period_end": f"{period_year}-12-31",
            "status": status, "value": _decimal_text(quantity.value),
            "qualifier": quantity.qualifier, "number_text": number_text, "quote": quote,
            "section": section, "note_zh": "", "note_en": "",
        }
        if len(candidates) == 1 or (candidates and candidates[0][0] > candidates[1][0]):
            chosen = candidates[0][1]
            observation["indicator_id"] = chosen.indicator_id
            observation["review"] = (f"matched {chosen.indicator_id}: {chosen.observation_id} "
                                     f"says {chosen.quote!r}")
            if status == "target" and chosen.status == "plan_restatement":
                # the last plan restated this figure (a stock or a scope), so this one likely does
                observation["status"] = status = "plan_restatement"
                observation["review"] += ("; CHECK: drafted as plan_restatement like that row, "
                                          "make it a target if the plan sets it as a goal")
            used[(chosen.indicator_id, status)] += 1
            if used[(chosen.indicator_id, status)] > 1:
                observation["review"] += ("; CHECK: this indicator is drafted more than once "
                                          "for the period")
        else:
            new_id = f"{NEW_PREFIX}_{source_id}_{len(result.rows['indicators']) + 1:02d}"
            observation["indicator_id"] = new_id
            ties = ", ".join(sorted({c.indicator_id for _, c in candidates}))
            observation["review"] = (f"NEW indicator {new_id}" +
                                     (f" (ambiguous: {ties})" if ties else "") +
                                     "; or delete this row and add an exclusion")
            result.rows["indicators"].append({
                "review": "NEW: choose an id, fill in name_en, check name_zh and domain_id; "
                          "leave series_id empty for a series of its own, or name the series "
                          "(data/series.csv) whose measure it reports"
                          + (f"; or use one of {ties}" if ties else ""),
                "indicator_id": new_id,
                "domain_id": _domain_for(section, result, known, indicators),
                "name_zh": key or quote, "name_en": "", "unit": quantity.unit,
                "description": "", "parent_id": ""})
        result.rows["observations"].append(
            {"review": observation.pop("review"), **observation})
    return result


# -- what the tables know ----------------------------------------------------------------------


def _known(base: Path, indicators: dict[str, dict[str, str]]) -> list[Known]:
    from chengguan.quantities import find_quantities

    known = []
    for row in read_csv(base / "observations.csv"):
        mention = next((m for m in find_quantities(row["quote"])
                        if m.text == row["number_text"]), None)
        if mention is None or row["indicator_id"] not in indicators:
            continue
        before = row["quote"][:mention.span[0]]
        key = _key(before)
        if key:
            known.append(Known(row["indicator_id"], key, _context(before),
                               _after(row["quote"][mention.span[1]:]),
                               _last_heading(row["section"]), row["status"],
                               row["observation_id"], row["quote"]))
    return known


def _context(before: str) -> str:
    """Text before a number with numbers and spaces taken out, to compare wordings across years."""
    return re.sub(r"[\s0-9.．]+|万|亿", "", before)


def _after(after: str) -> str:
    """The words right after a number, up to the end of the clause, without spaces."""
    cut = min((i for i in (after.find(ch) for ch in CLAUSE_END) if i >= 0), default=len(after))
    return re.sub(r"\s+", "", after[:cut])


_FORMULA_STARTS = "=+-@ \t"  # and spaces between them (see chengguan.curation.validate)


def _key(before: str) -> str:
    """The clause right before a number, without spaces: what names the thing counted."""
    cut = max(before.rfind(ch) for ch in CLAUSE_END)
    return re.sub(r"\s+", "", before[cut + 1:]).lstrip(_FORMULA_STARTS)  # a name, not a formula


def _candidates(known: list[Known], key: str, context: str, after: str, unit: str,
                section: str, status: str,
                indicators: dict[str, dict[str, str]]) -> list[tuple[tuple, Known]]:
    """Known phrases that end like ``key``, best first, one per indicator (its best).

    Score: a similar section heading, then how much of the wording before the number agrees
    (numbers aside: "建筑垃圾案件 N 起，暂扣运输工具" tells the vehicles of building waste from
    those of kitchen waste), then the words after the number, then the same status.
    """
    best: dict[str, tuple[tuple, Known]] = {}
    if len(key) < 2:
        return []
    for entry in known:
        if indicators[entry.indicator_id]["unit"] != unit:
            continue
        overlap = _common_suffix(key, entry.key)
        # The whole of the shorter phrase, or at least MIN_SHARED characters of both.
        if overlap < min(MIN_SHARED, len(key), len(entry.key)) or overlap < 2:
            continue
        similar = bool(section) and difflib.SequenceMatcher(
            None, section, entry.section).ratio() >= SECTION_SIMILAR
        if overlap < MIN_SHARED and not similar:
            continue  # two or three words alike ("出动", "取缔") say little outside their section
        score = (similar, _common_suffix(context, entry.context),
                 len(os.path.commonprefix([after, entry.after])), entry.status == status)
        if entry.indicator_id not in best or score > best[entry.indicator_id][0]:
            best[entry.indicator_id] = (score, entry)
    return sorted(best.values(), key=lambda pair: pair[0], reverse=True)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _domain_for(section: str, draft: Draft, known: list[Known],
                indicators: dict[str, dict[str, str]]) -> str:
    """The domain of the other drafted rows in the same section (most often), or ""."""
    domains = Counter(
        indicators[row["indicator_id"]]["domain_id"] for row in draft.matched()
        if row["section"] == section and row["indicator_id"] in indicators)
    if domains:
        return domains.most_common(1)[0][0]
    heading = _last_heading(section)
    similar = Counter(indicators[k.indicator_id]["domain_id"] for k in known if heading and
                      difflib.SequenceMatcher(None, heading, k.section).ratio()
                      >= SECTION_SIMILAR)
    return similar.most_common(1)[0][0] if similar else ""


# -- the new source's text ---------------------------------------------------------------------


def _sections(text: sources.NormalizedText) -> list[tuple[int, str, int]]:
    """(normalized offset where it starts, section path, offset where its line ends) for every
    heading of the source.

    The path follows the tables' convention: part > level 1 > level 2, each heading cut at its
    first "，" (marked "…"); a level-2 heading ends at the first "。" of its paragraph. The end
    keeps a quote from running back into a heading line that has no punctuation to stop it.
    """
    found: list[tuple[int, str, int]] = []
    path: list[str] = []
    raw_offset = 0
    raw_to_text = {raw: i for i, raw in enumerate(text.offsets)}
    for line in text.raw.split("\n"):
        start = raw_offset
        raw_offset += len(line) + 1
        heading, _ = sources.normalize(line.strip())
        if not heading:
            continue
        if _PART.match(heading):
            path = [heading]
        elif _LEVEL1.match(heading):
            path = path[:1] + [_shorten(heading)]
        elif _LEVEL2.match(heading):
            path = path[:2] + [_shorten(heading.split("。")[0])]
        else:
            continue
        inside = [raw_to_text[i] for i in range(start, raw_offset) if i in raw_to_text]
        if inside:
            # a level-2 heading that runs on into its paragraph ends at its first "。"
            end = inside[0] + len(heading.split("。")[0]) + 1 if _LEVEL2.match(heading) and "。" in heading \
                else inside[-1] + 1
            found.append((inside[0], " > ".join(path), end))
    return found


def _shorten(heading: str) -> str:
    first, comma, _ = heading.partition("，")
    return first + ("…" if comma else "")


def _section_at(headings: list[tuple[int, str, int]], offset: int) -> str:
    current = ""
    for start, path, _ in headings:
        if start > offset:
            break
        current = path
    return current


def _last_heading(section: str) -> str:
    last = section.split(" > ")[-1] if section else ""
    return re.sub(r"^（[一二三四五六七八九十]+）|^[一二三四五六七八九十]+、|…$", "", last)


def _exclusion(text: str, span: tuple[int, int], quantity: Quantity
               ) -> tuple[str, tuple[int, int]] | None:
    """(reason, normalized region) when the mention is not a figure, else None."""
    window_start = max(0, span[0] - 30)
    for reason, pattern in _EXCLUDED:
        for match in pattern.finditer(text, window_start, span[1] + 30):
            if match.start() <= span[0] and span[1] <= match.end():
                return reason, match.span()
    if quantity.unit == "year":
        return "year", span
    if quantity.numeral == "chinese":
        for reason, pattern in _CHINESE_EXCLUDED:
            for match in pattern.finditer(text, window_start, span[1] + 30):
                if match.start() <= span[0] and span[1] <= match.end():
                    return reason, match.span()
        if quantity.unit == "count":
            # A Chinese numeral with no counting unit is most often part of a word or a name
            # (进一步, 一江一河); the reviewer turns the few figures (四阶段) into observations.
            return "word", (max(0, span[0] - 1), min(len(text), span[1] + 1))
    return None


def _quote(text: sources.NormalizedText, span: tuple[int, int], floor: int = 0) -> str:
    """The clause ending with the mention, widened until it occurs once in the text, never
    reaching back before ``floor`` (the end of the heading above it: a quote is a sentence of the
    text, not a heading glued to one)."""
    start = span[0]
    while True:
        start = max(floor, max(text.text.rfind(ch, 0, start) for ch in CLAUSE_END) + 1)
        # Not from a character a spreadsheet reads as a formula: the reviewer opens the draft in
        # one, and validation refuses such a quote (rule no-formula). A quote may start anywhere.
        quote = text.text[start:span[1]].lstrip().lstrip(_FORMULA_STARTS)
        if len(text.find_all(quote)) <= 1 or start <= max(1, floor):
            return quote
        start -= 1  # take in the previous clause


def _number_text(quote: str) -> str:
    from chengguan.quantities import find_quantities

    found = find_quantities(quote)
    return found[-1].text if found else ""


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")
