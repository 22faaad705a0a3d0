"""Shared helpers of the domain analyses: picking observations, bilingual labels, provenance tables.

Every function takes the observations DataFrame of ``chengguan.tables.load_observations`` (or a
subset of it) and returns plain values or DataFrames, so the notebooks only load, call and show.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from chengguan.quantities import parse_quantity
from chengguan.units import unit_label

Lang = Literal["zh", "en"]

QUALIFIER_MARK: dict[str, str] = {
    "exact": "",
    "more_than": ">",
    "at_least": "≥",
    "approximate": "≈",
    "at_most": "≤",
}
"""A one-character mark put before a value that the source qualifies ("10.8 万余" -> ">108000")."""

RELIABILITY_WORDS: dict[str, dict[str, str]] = {
    "zh": {"high": "高", "medium": "中", "low": "低"},
    "en": {"high": "high", "medium": "medium", "low": "low"},
}

SOURCE_KIND_WORDS: dict[str, dict[str, str]] = {
    "zh": {"official_report": "官方报告", "district_report": "区级报告", "news_release": "新闻通报",
           "reprint": "转载", "compilation": "汇编"},
    "en": {"official_report": "official report", "district_report": "district report",
           "news_release": "news release", "reprint": "reprint", "compilation": "compilation"},
}

STATUS_WORDS: dict[str, dict[str, str]] = {
    "zh": {"actual": "实绩", "target": "目标", "plan_restatement": "计划中重申（非目标）"},
    "en": {"actual": "actual", "target": "target",
           "plan_restatement": "restated in the plan (not a target)"},
}
"""Labels of the observation statuses; only ``target`` rows are targets of the plan."""

RECOGNITION_KIND_WORDS: dict[str, dict[str, str]] = {
    "zh": {"top_ranked": "位居全市前列", "hosted_meeting": "承办现场会", "case_example": "案例",
           "initiative": "工作举措", "good_practice": "经验做法"},
    "en": {"top_ranked": "top-ranked", "hosted_meeting": "hosted a meeting",
           "case_example": "case example", "initiative": "initiative",
           "good_practice": "good practice"},
}


def vocab(table: dict[str, dict[str, str]], lang: str, key: str) -> str:
    """``key`` in ``lang`` from a vocabulary table; the key itself when it has no entry."""
    return table["zh" if lang == "zh" else "en"].get(key, key)


BOUNDED = frozenset({"more_than", "at_least"})  # lower bounds
UPPER_BOUNDED = frozenset({"at_most"})
"""Qualifiers that make the printed value a lower bound of the true one."""


class ObservationNotFound(LookupError):
    """No observation, or more than one, matches a request for a single figure."""


def pick(lang: str, zh: str, en: str) -> str:
    """``zh`` or ``en`` by language."""
    return zh if lang == "zh" else en


def confidence_label(confidence: float) -> str:
    """A confidence level as a percentage without spurious digits: 0.95 -> "95%", 0.975 -> "97.5%"."""
    return f"{round(confidence * 100, 3):g}%"


def indicator_label(row: pd.Series, lang: str) -> str:
    """The indicator name of an observation row in ``lang``."""
    return str(row["indicator_zh"] if lang == "zh" else row["indicator_en"])


def select(
    obs: pd.DataFrame,
    indicator_id: str | Iterable[str],
    *,
    scope: str | None = "city",
    status: str | None = "actual",
    year: int | None = None,
) -> pd.DataFrame:
    """Rows of ``obs`` for one or several indicators, optionally one scope, status and year.

    ``year`` keeps periods that start and end in that calendar year.
    """
    ids = [indicator_id] if isinstance(indicator_id, str) else list(indicator_id)
    mask = obs["indicator_id"].isin(ids)
    if scope is not None:
        mask &= obs["scope_id"] == scope
    if status is not None:
        mask &= obs["status"] == status
    if year is not None:
        mask &= (obs["period_start"].dt.year == year) & (obs["period_end"].dt.year == year)
    return obs[mask]


def single(
    obs: pd.DataFrame,
    indicator_id: str,
    *,
    scope: str | None = "city",
    status: str | None = "actual",
    year: int | None = None,
) -> pd.Series:
    """The one observation matching the filters; :class:`ObservationNotFound` otherwise."""
    rows = select(obs, indicator_id, scope=scope, status=status, year=year)
    if len(rows) != 1:
        raise ObservationNotFound(
            f"{len(rows)} observations of {indicator_id!r} "
            f"(scope={scope}, status={status}, year={year}); expected exactly one"
        )
    return rows.iloc[0]


def single_or_none(obs: pd.DataFrame, indicator_id: str | None, **filters: Any) -> pd.Series | None:
    """Like :func:`single`, but ``None`` when the indicator is ``None`` or has no observation."""
    if indicator_id is None:
        return None
    rows = select(obs, indicator_id, **filters)
    if rows.empty:
        return None
    if len(rows) > 1:
        raise ObservationNotFound(f"{len(rows)} observations of {indicator_id!r}; expected one")
    return rows.iloc[0]


def bound_of_ratio(numerator_qualifier: str, denominator_qualifier: str) -> str:
    """What a ratio of two qualified values is: "point", "lower" or "upper" bound, or "unknown".

    "More than N" in the numerator makes N/D a lower bound, in the denominator an upper bound;
    "at most" does the opposite. When the two sides push in opposite directions, the ratio could
    move either way. Approximate values give an "approximate" ratio.
    """
    pushes = set()
    if numerator_qualifier in BOUNDED or denominator_qualifier in UPPER_BOUNDED:
        pushes.add("lower")
    if numerator_qualifier in UPPER_BOUNDED or denominator_qualifier in BOUNDED:
        pushes.add("upper")
    if len(pushes) == 2:
        return "unknown"
    if pushes:
        return pushes.pop()
    if "approximate" in (numerator_qualifier, denominator_qualifier):
        return "approximate"
    return "point"


BOUND_WORDS: dict[str, dict[str, str]] = {
    "zh": {"point": "", "lower": "下限", "upper": "上限", "unknown": "方向不定",
           "approximate": "约数"},
    "en": {"point": "", "lower": "lower bound", "upper": "upper bound",
           "unknown": "direction unknown", "approximate": "approximate"},
}


def rounding_range(number_text: str) -> tuple[float, float]:
    """The half-open range of true values a printed number stands for, read as rounded.

    "19.6万" -> (195500, 196500): the last written digit is taken to be rounded to the nearest.
    """
    q = parse_quantity(number_text)
    exponent = q.number.as_tuple().exponent
    assert isinstance(exponent, int)
    step = Decimal(10) ** exponent * q.multiplier
    return float(q.value - step / 2), float(q.value + step / 2)


def resolution(number_text: str) -> float:
    """The step of the last written digit: "10.8 万余起" -> 1000, "4119起" -> 1."""
    q = parse_quantity(number_text)
    exponent = q.number.as_tuple().exponent
    assert isinstance(exponent, int)
    return float(Decimal(10) ** exponent * q.multiplier)


def format_value(value: float, qualifier: str = "exact", unit: str | None = None,
                 lang: str = "en", digits: int | None = None) -> str:
    """``value`` for text: thousands separators, qualifier mark, unit ("> 108,000 case(s)")."""
    if digits is not None:
        number = f"{value:,.{digits}f}"
    elif float(value).is_integer():
        number = f"{int(value):,}"
    else:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
    mark = QUALIFIER_MARK.get(qualifier, "")
    text = f"{mark}{number}" if mark else number
    if unit and unit != "count":
        label = unit_label(unit, "zh" if lang == "zh" else "en")
        text = f"{text}{'' if lang == 'zh' or unit == 'percent' else ' '}{label}"
    return text


def share_of_all_cases(part_key: str, part: float, total: pd.Series, *, part_note: str = "exact",
                       assume_below_next_step: bool = True) -> pd.DataFrame:
    """``part`` as a share of all cases (the observation ``total``), as the bounds it allows.

    A total printed "10.8 万余起" (more than 108,000) makes part/108000 an *upper* bound of the
    share. Under ``assume_below_next_step`` the total is also taken to be below the next step of
    its last written digit (108,000 + 1,000; "10.8 万余" would otherwise have been written
    "10.9 万"), which gives a lower bound too. Columns: quantity (``part_key``,
    "all_cases_printed", then the share rows of :data:`SHARE_WORDS`), value, note.
    """
    t = float(total["value"])
    rows = [{"quantity": part_key, "value": part, "note": part_note},
            {"quantity": "all_cases_printed", "value": t, "note": total["qualifier"]}]
    if total["qualifier"] in BOUNDED:
        rows.append({"quantity": "share_upper_bound", "value": part / t,
                     "note": "total is 'more than' the printed value"})
        if assume_below_next_step:
            top = t + resolution(str(total["number_text"]))
            rows.append({"quantity": "assumed_all_cases_max", "value": top,
                         "note": "ASSUMPTION: total below the next step of its last digit"})
            rows.append({"quantity": "share_lower_bound", "value": part / top,
                         "note": "under the assumption"})
    else:
        rows.append({"quantity": "share", "value": part / t, "note": "point"})
    return pd.DataFrame(rows)


SHARE_WORDS: dict[str, tuple[str, str]] = {
    "share_upper_bound": ("占比上限", "share: upper bound"),
    "share_lower_bound": ("占比下限（在假设下）", "share: lower bound (under the assumption)"),
    "share": ("占比", "share"),
}
"""(zh, en) names of the share rows of :func:`share_of_all_cases`; each domain adds its own
names of the part, the printed total and the assumed maximum."""


def share_table(share: pd.DataFrame, words: Mapping[str, tuple[str, str]], lang: str,
                digits: int = 2) -> pd.DataFrame:
    """:func:`share_of_all_cases` as a readable table: names from ``words``, shares as %.

    Only the printed total keeps its qualifier mark; the part and the assumed maximum are shown
    as plain counts.
    """
    shown = []
    for q, v, note in zip(share["quantity"], share["value"], share["note"]):
        if q.startswith("share"):
            shown.append(f"{v:.{digits}%}")
        else:
            shown.append(format_value(v, note if q == "all_cases_printed" else "exact", "case",
                                      lang))
    return pd.DataFrame({
        pick(lang, "量", "quantity"): [pick(lang, *words[q]) for q in share["quantity"]],
        pick(lang, "数值", "value"): shown,
    })


def period_label(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    """A short label of a period: a whole year as "2022", otherwise dates and its length."""
    days = (end - start).days + 1
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        if start.year == end.year:
            return str(start.year)
        return f"{start.year}–{end.year}"
    if days == 1:
        return f"{start:%Y-%m-%d}" + pick(lang, "（1 天）", " (1 day)")
    return f"{start:%Y-%m-%d}–{end:%Y-%m-%d}" + pick(lang, f"（{days} 天）", f" ({days} days)")


def indicator_notes(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The notes of the indicators in ``obs`` that join differently defined periods or sources.

    Columns: indicator (label in ``lang``), note (in ``lang``). One row per indicator with a note,
    in the order the indicators first appear; show it with every plot or table of the series.
    ``obs`` comes from ``load_observations`` in the same language (its ``indicator_note``).
    """
    label = "indicator_zh" if lang == "zh" else "indicator_en"
    rows = obs[obs["indicator_note"].fillna("") != ""].drop_duplicates("indicator_id")
    return pd.DataFrame({pick(lang, "指标", "indicator"): rows[label],
                         pick(lang, "口径说明", "note"): rows["indicator_note"]}
                        ).reset_index(drop=True)


def data_used(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The observations an analysis rests on, as a readable table with quotes and sources."""
    rows = obs.sort_values(["domain_id", "period_start", "indicator_id", "scope_id"])
    label = "indicator_zh" if lang == "zh" else "indicator_en"
    out = pd.DataFrame(
        {
            pick(lang, "指标", "indicator"): rows[label],
            pick(lang, "范围", "scope"): rows["scope_name"],
            pick(lang, "时期", "period"): [
                period_label(s, e, lang) for s, e in zip(rows["period_start"], rows["period_end"])
            ],
            pick(lang, "状态", "status"): rows["status"].map(
                lambda s: vocab(STATUS_WORDS, lang, s)
            ),
            pick(lang, "数值", "value"): [
                format_value(v, q, u, lang)
                for v, q, u in zip(rows["value"], rows["qualifier"], rows["unit"])
            ],
            pick(lang, "原文", "quote"): rows["quote"],
            pick(lang, "来源", "source"): rows["source_id"],
            pick(lang, "可靠性", "reliability"): rows["reliability"].map(
                RELIABILITY_WORDS["zh" if lang == "zh" else "en"]
            ),
        }
    )
    return out.reset_index(drop=True)


def sources_used(obs: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sources behind ``obs``: id, title, issuer, kind, url, reliability and its reason."""
    used = sources[sources["source_id"].isin(obs["source_id"].unique())]
    rank = used["reliability"].map({"high": 0, "medium": 1, "low": 2})
    used = used.assign(_rank=rank).sort_values(["_rank", "source_id"])
    words = RELIABILITY_WORDS["zh" if lang == "zh" else "en"]
    return pd.DataFrame(
        {
            pick(lang, "来源", "source"): used["source_id"],
            pick(lang, "标题", "title"): used["title"],
            pick(lang, "发布者", "issuer"): used["issuer"],
            pick(lang, "类型", "kind"): used["kind"].map(
                lambda k: vocab(SOURCE_KIND_WORDS, lang, k)),
            pick(lang, "可靠性", "reliability"): used["reliability"].map(words),
            pick(lang, "说明", "note"): used["reliability_note"].fillna(""),
            "url": used["url"].fillna(""),
        }
    ).reset_index(drop=True)


def recognitions_for(recognitions: pd.DataFrame, domain_id: str | Iterable[str]) -> pd.DataFrame:
    """Recognitions (districts or units singled out by the report) of one or several domains."""
    ids = [domain_id] if isinstance(domain_id, str) else list(domain_id)
    return recognitions[recognitions["domain_id"].isin(ids)].reset_index(drop=True)


def recognitions_table(recognitions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Readable table of recognitions: who, what kind, and the sentence."""
    name = "scope_name" if "scope_name" in recognitions.columns else "scope_id"
    return pd.DataFrame(
        {
            pick(lang, "区/单位", "district/unit"): recognitions[name],
            pick(lang, "类型", "kind"): recognitions["kind"].map(
                lambda k: vocab(RECOGNITION_KIND_WORDS, lang, k)),
            pick(lang, "原文", "quote"): recognitions["quote"],
        }
    ).reset_index(drop=True)


def show_key_results(results: Mapping[str, Any], lang: str) -> None:
    """Display key results as a small table that tests (and readers) can pick up.

    The output carries the values as ``application/json`` (for programs) next to HTML and plain
    text (for people).
    """
    from IPython.display import display

    clean = {k: (float(v) if hasattr(v, "__float__") and not isinstance(v, (int, bool)) else v)
             for k, v in results.items()}
    frame = pd.DataFrame({pick(lang, "数值", "value"): pd.Series(clean, dtype=object)})
    frame.index.name = pick(lang, "关键结果", "key result")
    display(
        {
            "application/json": json.loads(json.dumps(clean, default=str)),
            "text/html": frame.to_html(escape=True),
            "text/plain": frame.to_string(),
        },
        raw=True,
    )


def markdown(text: str) -> None:
    """Display ``text`` as Markdown (used for findings written from computed values).

    Names and quotes from the tables are interpolated into these texts, and Markdown passes raw
    HTML through to the page (nbconvert does not sanitize it), so every "<" is written as
    "&lt;": no tag can start, whatever the data holds, while Markdown syntax (``**``, ``-``,
    ``>`` quotes) and escaped text (``&lt;`` stays ``&lt;``) are untouched. The findings hold
    no HTML of their own.
    """
    from IPython.display import Markdown, display

    display(Markdown(text.replace("<", "&lt;")))


def escape(text: str) -> str:
    """HTML-escape a string for use inside generated Markdown."""
    return html.escape(text, quote=False)


PLAN_HEADING = "2023 年工作计划"
"""The line that opens the 2023 work plan in the primary source (everything after it is plan)."""


def plan_sentences(keywords: Iterable[str], source_id: str | None = None,
                   heading: str = PLAN_HEADING) -> list[str]:
    """Sentences of the work plan (the part of the source after ``heading``) naming a keyword.

    The plan part is normalized like quotes are (page breaks and bold markers removed) and split
    at 。 and ；. Raises ``LookupError`` when the heading is not a line of the source.
    """
    import re

    from chengguan.sources import PRIMARY_SOURCE_ID, normalize, raw_text

    raw = raw_text(source_id or PRIMARY_SOURCE_ID)
    lines = raw.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if at is None:
        raise LookupError(f"no line {heading!r} in source {source_id or PRIMARY_SOURCE_ID!r}")
    text, _ = normalize("".join(lines[at + 1:]))
    words = list(keywords)
    sentences = [s.strip() for s in re.split(r"(?<=[。；])", text) if s.strip()]
    return [s for s in sentences if any(w in s for w in words)]


def quoted(sentences: Iterable[str]) -> str:
    """``sentences`` as Markdown block quotes, HTML-escaped, one paragraph each."""
    return "\n".join(f"> {escape(s)}\n" for s in sentences)


def plan_statement(plan_targets: pd.DataFrame, keywords: Iterable[str], lang: str,
                   domain_en: str = "this domain") -> str:
    """What the 2023 plan says about a domain: its numeric targets and sentences, counted.

    ``plan_targets`` are the domain's observations with status "target"; the sentences are those
    of :func:`plan_sentences` naming one of ``keywords``, quoted after the counts. ``domain_en``
    names the domain(s) in English ("this domain", "these domains"); Chinese says 本领域 for both.
    """
    words = list(keywords)
    sentences = plan_sentences(words)
    text = pick(lang,
                f"2023 年计划中本领域的数值目标：{len(plan_targets)} 项。计划部分含“{'、'.join(words)}”"
                f"之一的句子：{len(sentences)} 句。",
                f"Numeric targets of the 2023 plan in {domain_en}: {len(plan_targets)}. Sentences "
                f"of the plan naming one of {', '.join(words)}: {len(sentences)}.")
    if sentences:
        text += "\n\n" + quoted(sentences)
    return text


def recognitions_matching(recognitions: pd.DataFrame, domain_ids: Iterable[str],
                          keywords: Iterable[str] = ()) -> pd.DataFrame:
    """Recognitions of ``domain_ids``, plus those of any domain whose quote names a keyword."""
    words = list(keywords)
    mask = recognitions["domain_id"].isin(list(domain_ids))
    if words:
        mask |= recognitions["quote"].map(lambda q: any(w in str(q) for w in words))
    return recognitions[mask].reset_index(drop=True)


def supplementary_notes(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How each supplementary figure in ``obs`` was read: the notes of ``supplementary_map.csv``.

    Only rows of ``obs`` that come from the supplementary pages appear; the note (English) says
    whether the figure's definition matches the 2022 summary's.
    """
    from chengguan.tables import load_supplementary_map

    notes = load_supplementary_map().set_index("observation_id")["note"].fillna("")
    rows = obs[obs["observation_id"].isin(notes.index)].sort_values(
        ["period_start", "period_end", "indicator_id"])
    label = "indicator_zh" if lang == "zh" else "indicator_en"
    return pd.DataFrame(
        {
            pick(lang, "时期", "period"): [period_label(s, e, lang) for s, e in
                                         zip(rows["period_start"], rows["period_end"])],
            pick(lang, "指标", "indicator"): rows[label],
            pick(lang, "数值", "value"): [format_value(v, q, u, lang) for v, q, u in
                                        zip(rows["value"], rows["qualifier"], rows["unit"])],
            pick(lang, "口径说明", "how it was read"): rows["observation_id"].map(notes),
        }
    ).reset_index(drop=True)
