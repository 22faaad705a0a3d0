"""Household-garbage sorting enforcement (生活垃圾分类): the 2022 funnel and 2019–2022 rates.

The definitions below name indicators by id only; every number comes from the observations table.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from chengguan.analysis import common
from chengguan.analysis.common import (
    BOUND_WORDS,
    bound_of_ratio,
    format_value,
    indicator_label,
    period_label,
    pick,
    select,
)
from chengguan.stats import poisson_rate

DOMAIN = "garbage_sorting"


@dataclass(frozen=True)
class FunnelStep:
    """One step of the enforcement chain.

    ``kind``: "chain" (the main sequence), "stage" (units inspected at one stage of the
    投收运处 chain, a breakdown of the inspections) or "beside" (shown next to the chain).
    ``relative_to``: the indicator the step's ratio is taken against.
    """

    indicator_id: str
    kind: str
    relative_to: str | None


FUNNEL: tuple[FunnelStep, ...] = (
    FunnelStep("garbage_enforcement_person_times", "chain", None),
    FunnelStep("garbage_inspections", "chain", "garbage_enforcement_person_times"),
    FunnelStep("garbage_depositing_units_inspected", "stage", "garbage_inspections"),
    FunnelStep("garbage_collection_transport_units_inspected", "stage", "garbage_inspections"),
    FunnelStep("garbage_transfer_disposal_units_inspected", "stage", "garbage_inspections"),
    FunnelStep("garbage_education_persuasion", "chain", "garbage_inspections"),
    FunnelStep("garbage_rectification_orders", "chain", "garbage_education_persuasion"),
    FunnelStep("garbage_sorting_cases", "chain", "garbage_rectification_orders"),
    FunnelStep("littering_cases", "beside", "garbage_sorting_cases"),
)


def funnel(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """The enforcement chain of ``year`` (city-wide), each step with its ratio to the step before.

    Columns: step, indicator_id, label, kind, value, unit, qualifier, relative_to,
    relative_to_label, ratio (value / value of ``relative_to``), ratio_bound, source_id.
    """
    rows = []
    found: dict[str, pd.Series] = {}
    for number, step in enumerate(FUNNEL, start=1):
        matches = select(obs, step.indicator_id, year=year)
        if len(matches) != 1:
            raise LookupError(f"{len(matches)} city-wide {year} observations of "
                              f"{step.indicator_id!r}; the funnel needs exactly one")
        row = matches.iloc[0]
        found[step.indicator_id] = row
        base = found.get(step.relative_to) if step.relative_to else None
        rows.append(
            {
                "step": number,
                "indicator_id": step.indicator_id,
                "label": indicator_label(row, lang),
                "kind": step.kind,
                "value": float(row["value"]),
                "unit": row["unit"],
                "qualifier": row["qualifier"],
                "relative_to": step.relative_to,
                "relative_to_label": indicator_label(base, lang) if base is not None else None,
                "ratio": float(row["value"]) / float(base["value"]) if base is not None else None,
                "ratio_bound": (bound_of_ratio(row["qualifier"], base["qualifier"])
                                if base is not None else None),
                "source_id": row["source_id"],
            }
        )
    return pd.DataFrame(rows)


def funnel_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`funnel` as a readable table."""
    kinds = {"chain": pick(lang, "主链条", "main chain"), "stage": pick(lang, "分环节", "stage"),
             "beside": pick(lang, "并列", "beside")}
    return pd.DataFrame(
        {
            pick(lang, "步骤", "step"): table["label"],
            pick(lang, "类型", "kind"): table["kind"].map(kinds),
            pick(lang, "数值", "value"): [format_value(v, q, u, lang) for v, q, u in
                                        zip(table["value"], table["qualifier"], table["unit"])],
            pick(lang, "参照步骤", "reference step"): table["relative_to_label"].fillna(""),
            pick(lang, "比值", "ratio"): table["ratio"].map(
                lambda v: "" if pd.isna(v) else f"{v:.4g}"),
        }
    )


def periods_table(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`periods` as a readable table: each period's length, sources and their reliability."""
    p = periods(obs)
    return pd.DataFrame(
        {
            pick(lang, "时期", "period"): [period_label(a, b, lang)
                                         for a, b in zip(p["period_start"], p["period_end"])],
            pick(lang, "天数", "days"): p["days"],
            pick(lang, "指标数", "indicators"): p["indicators"],
            pick(lang, "来源", "sources"): p["sources"],
            pick(lang, "可靠性", "reliability"): p["reliability"].map(
                lambda r: ", ".join(common.vocab(common.RELIABILITY_WORDS, lang, x)
                                    for x in r.split(", "))),
        }
    )


def plot_funnel(table: pd.DataFrame, lang: str) -> Figure:
    """Horizontal bars of the funnel on a log axis, each annotated with its ratio."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    colours = {"chain": "#2b6a99", "stage": "#8fb8d8", "beside": "#a0a0a0"}
    y = list(range(len(table)))[::-1]
    labels = [
        ("    " if kind == "stage" else "") + label
        for label, kind in zip(table["label"], table["kind"])
    ]
    ax.barh(y, table["value"], color=[colours[k] for k in table["kind"]])
    ax.set_xscale("log")
    ax.set_yticks(y, labels)
    for yi, (_, row) in zip(y, table.iterrows()):
        text = format_value(row["value"], row["qualifier"], row["unit"], lang)
        if row["ratio"] is not None and pd.notna(row["ratio"]):
            text += f"   ×{row['ratio']:.3g}"
        ax.text(row["value"] * 1.08, yi, text, va="center", fontsize=8.5)
    ax.set_xlim(right=table["value"].max() * 100)
    ax.set_xlabel(pick(lang, "数量（对数坐标；单位见各行）。×：与参照步骤之比（主链条：上一步；分环节：执法检查；"
                            "乱扔垃圾：分类案件）",
                       "count (log scale; units per row). ×: ratio to the reference step (main "
                       "chain: the step before; stages: inspections; littering: sorting cases)"),
                  fontsize=8.5)
    ax.set_title(pick(lang, "2022 年生活垃圾分类执法链条", "Household-garbage enforcement chain, 2022"))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, [pick(lang, "主链条", "main chain"), pick(lang, "分环节检查", "units by stage"),
                        pick(lang, "并列：乱扔垃圾", "beside: littering")],
              loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


@dataclass(frozen=True)
class PeriodMeasure:
    """A rate compared across periods.

    ``numerator``: indicator ids in order of preference; an id after the first is a substitute
    with a different definition (e.g. penalty tickets for cases) and is marked as such.
    ``denominator``: an indicator id, or ``None`` for the length of the period in days.
    """

    key: str
    name_zh: str
    name_en: str
    numerator: tuple[str, ...]
    denominator: str | None
    per: float = 1.0


CASES = ("garbage_sorting_cases", "garbage_sorting_penalty_tickets")

PERIOD_MEASURES: tuple[PeriodMeasure, ...] = (
    PeriodMeasure("cases_per_day", "日均查处案件", "cases per day", CASES, None),
    PeriodMeasure("cases_per_1000_person_times", "每千人次查处案件", "cases per 1,000 person-times",
                  CASES, "garbage_enforcement_person_times", 1000.0),
    PeriodMeasure("cases_per_1000_inspections", "每千次检查查处案件", "cases per 1,000 inspections",
                  CASES, "garbage_inspections", 1000.0),
    PeriodMeasure("orders_per_education", "责令整改 ÷ 教育劝阻", "orders per education/persuasion",
                  ("garbage_rectification_orders",), "garbage_education_persuasion"),
    PeriodMeasure("cases_per_education", "查处案件 ÷ 教育劝阻", "cases per education/persuasion",
                  CASES, "garbage_education_persuasion"),
)


def periods(obs: pd.DataFrame) -> pd.DataFrame:
    """The distinct city-wide periods with garbage-sorting figures, earliest first."""
    rows = obs[(obs["domain_id"] == DOMAIN) & (obs["scope_id"] == "city")
               & (obs["status"] == "actual")]
    out = rows.groupby(["period_start", "period_end"], as_index=False).agg(
        indicators=("indicator_id", "nunique"),
        sources=("source_id", lambda s: ", ".join(sorted(set(s)))),
        reliability=("reliability", lambda s: ", ".join(sorted(set(s)))),
    )
    out["days"] = (out["period_end"] - out["period_start"]).dt.days + 1
    return out.sort_values(["period_start", "days"]).reset_index(drop=True)


def period_comparison(obs: pd.DataFrame, confidence: float = 0.95,
                      lang: str = "en") -> pd.DataFrame:
    """Each :data:`PERIOD_MEASURES` rate in every period that has its figures, with intervals.

    Intervals are exact Poisson intervals of the numerator over a fixed exposure (days,
    person-times, inspections, education acts): a case need not come out of a counted
    inspection, so these are rates, not proportions. ``substitute`` marks a numerator with a
    different definition; ``bound`` says whether the value is a point or a bound
    (see :func:`chengguan.analysis.common.bound_of_ratio`).
    """
    base = obs[(obs["scope_id"] == "city") & (obs["status"] == "actual")]
    rows = []
    for _, period in periods(obs).iterrows():
        in_period = base[(base["period_start"] == period["period_start"])
                         & (base["period_end"] == period["period_end"])]
        by_id = {r["indicator_id"]: r for _, r in in_period.iterrows()}
        for measure in PERIOD_MEASURES:
            num_id = next((i for i in measure.numerator if i in by_id), None)
            if num_id is None:
                continue
            num = by_id[num_id]
            if measure.denominator is None:
                exposure, den_q, den_source = float(period["days"]), "exact", ""
            elif measure.denominator in by_id:
                den = by_id[measure.denominator]
                exposure, den_q = float(den["value"]), den["qualifier"]
                den_source = den["source_id"]
            else:
                continue
            substitute = num_id != measure.numerator[0]
            rate = poisson_rate(num["value"], exposure, confidence, per=measure.per)
            rows.append(
                {
                    "measure": measure.key,
                    "measure_label": pick(lang, measure.name_zh, measure.name_en),
                    "period_start": period["period_start"],
                    "period_end": period["period_end"],
                    "days": int(period["days"]),
                    "period": period_label(period["period_start"], period["period_end"], lang),
                    "numerator_id": num_id,
                    "numerator": rate.numerator,
                    "denominator_id": measure.denominator or "days",
                    "denominator": rate.denominator,
                    "per": measure.per,
                    "value": rate.value,
                    "low": rate.low,
                    "high": rate.high,
                    "method": rate.method,
                    "substitute": substitute,
                    "bound": bound_of_ratio(num["qualifier"], den_q),
                    "sources": ", ".join(sorted({num["source_id"], den_source} - {""})),
                    "reliability": ", ".join(sorted(set(in_period["reliability"]))),
                }
            )
    return pd.DataFrame(rows)


def comparison_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`period_comparison` as a readable table (value with interval, marks), grouped by
    measure in the order of :data:`PERIOD_MEASURES`, periods in time order within each."""
    order = {m.key: i for i, m in enumerate(PERIOD_MEASURES)}
    table = table.assign(_order=table["measure"].map(order)).sort_values(
        ["_order", "period_start", "period_end"], kind="stable")
    marks = []
    for _, r in table.iterrows():
        notes = []
        if r["substitute"]:
            notes.append(pick(lang, "分子为罚单数（口径不同）", "numerator = penalty tickets "
                              "(different definition)"))
        if r["bound"] != "point":
            notes.append(BOUND_WORDS["zh" if lang == "zh" else "en"][r["bound"]])
        marks.append("; ".join(notes))
    ci = pick(lang, "区间", "interval")
    return pd.DataFrame(
        {
            pick(lang, "指标", "measure"): table["measure_label"],
            pick(lang, "时期", "period"): table["period"],
            pick(lang, "分子", "numerator"): table["numerator"].map(lambda v: f"{v:,.0f}"),
            pick(lang, "分母", "denominator"): table["denominator"].map(lambda v: f"{v:,.0f}"),
            pick(lang, "比率", "rate"): table["value"].map(lambda v: f"{v:.3g}"),
            ci: [f"{lo:.3g}–{hi:.3g}" for lo, hi in zip(table["low"], table["high"])],
            pick(lang, "备注", "note"): marks,
            pick(lang, "来源", "sources"): table["sources"],
        }
    )


def plot_period_comparison(table: pd.DataFrame, lang: str, confidence: float) -> Figure:
    """One row per measure; each period a segment spanning its real dates, with its interval.

    Left: the whole time axis (2019–2022); right: the first weeks after 2019-07-01 enlarged, so
    the one-day and six-day periods are visible. Hollow markers: substitute numerators; triangles:
    bounds (▲ lower, ▼ upper).
    """
    present = set(table["measure"])
    measures = [m.key for m in PERIOD_MEASURES if m.key in present]
    fig, axes = plt.subplots(len(measures), 2, figsize=(10, 2.1 * len(measures) + 0.6),
                             gridspec_kw={"width_ratios": [3, 1.2]}, squeeze=False)
    first = table["period_start"].min()
    zoom = (first - pd.Timedelta(days=1), first + pd.Timedelta(days=23))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    starts = sorted(set(zip(table["period_start"], table["period_end"])))
    colour = {p: palette[i % len(palette)] for i, p in enumerate(starts)}
    for row, key in enumerate(measures):
        part = table[table["measure"] == key]
        for col, ax in enumerate(axes[row]):
            for _, r in part.iterrows():
                start, end = r["period_start"], r["period_end"] + pd.Timedelta(days=1)
                c = colour[(r["period_start"], r["period_end"])]
                ax.fill_between([start, end], r["low"], r["high"], color=c, alpha=0.25, lw=0)
                ax.plot([start, end], [r["value"]] * 2, color=c, lw=2.2)
                mid = start + (end - start) / 2
                marker = {"lower": "^", "upper": "v"}.get(r["bound"], "o")
                ax.plot([mid], [r["value"]], marker=marker, color=c, ms=6,
                        mfc="white" if r["substitute"] else c)
            if col == 1:
                ax.set_xlim(*zoom)
                ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 7, 14, 21]))
                ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
            else:
                ax.xaxis.set_major_locator(mdates.YearLocator())
                ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
                ax.set_ylabel(part["measure_label"].iloc[0], fontsize=9)
            ax.set_ylim(bottom=0)
            ax.tick_params(labelsize=8)
    pct = common.confidence_label(confidence)
    axes[0][0].set_title(pick(lang, f"按真实时期长度绘制（阴影：{pct} 精确 Poisson 区间）",
                              f"Each period drawn over its real dates (band: {pct} exact Poisson)"),
                         fontsize=10)
    axes[0][1].set_title(pick(lang, "2019 年 7 月前三周放大", "First three weeks of July 2019"),
                         fontsize=10)
    handles = [plt.Line2D([], [], color=colour[p], lw=2.2,
                          label=period_label(p[0], p[1], lang)) for p in starts]
    handles.append(plt.Line2D([], [], marker="o", mfc="white", color="black", lw=0,
                              label=pick(lang, "空心：以罚单数代替案件数", "hollow: penalty tickets "
                                         "instead of cases")))
    if (table["bound"].isin(["lower", "upper"])).any():
        handles.append(plt.Line2D([], [], marker="^", color="black", lw=0,
                                  label=pick(lang, "三角：界值（“余”）",
                                             "triangle: bound (\"more than\")")))
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    return fig


def observations_used(obs: pd.DataFrame) -> pd.DataFrame:
    """Every observation of the domain (all periods, scopes and statuses)."""
    return obs[obs["domain_id"] == DOMAIN].reset_index(drop=True)


def targets(obs: pd.DataFrame, domain_id: str = DOMAIN) -> pd.DataFrame:
    """The plan's numeric targets in ``domain_id`` (observations with status "target")."""
    return obs[(obs["domain_id"] == domain_id) & (obs["status"] == "target")].reset_index(drop=True)


def findings(funnel_table: pd.DataFrame, comparison: pd.DataFrame, lang: str) -> str:
    """Markdown bullets with the headline numbers, in ``lang``: the 2022 chain, then every
    compared rate period by period († marks a substitute numerator)."""
    by = funnel_table.set_index("indicator_id")
    edu = by.loc["garbage_education_persuasion", "ratio"]
    orders = by.loc["garbage_rectification_orders", "ratio"]
    cases = by.loc["garbage_sorting_cases", "ratio"]
    lines = [pick(
        lang,
        f"- 2022 年：每次执法检查对应 {edu:.2f} 起教育劝阻；每起教育劝阻对应 {orders:.2f} 起责令整改；"
        f"每起责令整改对应 {cases:.2f} 起立案查处。",
        f"- 2022: {edu:.2f} education/persuasion acts per inspection, {orders:.2f} rectification "
        f"orders per education act, {cases:.2f} cases per order.",
    )]
    for measure in PERIOD_MEASURES:
        part = comparison[comparison["measure"] == measure.key]
        if part.empty:
            continue
        values = [f"{r['period']} **{r['value']:.3g}**{' †' if r['substitute'] else ''}"
                  for _, r in part.iterrows()]
        lines.append(f"- {pick(lang, measure.name_zh, measure.name_en)}: " + "; ".join(values))
    if comparison["substitute"].any():
        lines.append(pick(lang, "\n† 以罚单数（张）代替案件数（起）：口径不同。",
                          "\n† penalty tickets (张) instead of cases (起): a different definition."))
    return "\n".join(lines)


PLAN_KEYWORDS: tuple[str, ...] = ("生活垃圾", "垃圾分类")
"""Words that mark a sentence of the 2023 plan as being about household garbage."""


def plan_statement(plan_targets: pd.DataFrame, lang: str) -> str:
    """What the 2023 plan says about this domain: its numeric targets and sentences, counted."""
    sentences = common.plan_sentences(PLAN_KEYWORDS)
    n = len(plan_targets)
    keys = "、".join(PLAN_KEYWORDS)
    if lang == "zh":
        text = (f"2023 年计划中本领域的数值目标：{n} 项（状态为 target 的观测）。"
                f"计划部分含“{keys}”的句子：{len(sentences)} 句。")
    else:
        text = (f"Numeric targets of the 2023 plan in this domain: {n} (observations with status "
                f"`target`). Sentences of the plan naming {', '.join(PLAN_KEYWORDS)}: "
                f"{len(sentences)}.")
    if sentences:
        text += "\n\n" + common.quoted(sentences)
    return text


def key_results(obs: pd.DataFrame, recognitions: pd.DataFrame, confidence: float,
                lang: str) -> dict[str, float | int | str]:
    """The headline numbers of the notebook, for its last cell (and the tests)."""
    chain = funnel(obs, lang=lang).set_index("indicator_id")
    comparison = period_comparison(obs, confidence, lang)
    per_day = comparison[comparison["measure"] == "cases_per_day"]
    last = per_day.iloc[-1]
    yield_row = comparison[(comparison["measure"] == "cases_per_1000_person_times")
                           & (comparison["period_end"] == last["period_end"])].iloc[0]
    recognized = common.recognitions_for(recognitions, DOMAIN)
    return {
        "lang": lang,
        "confidence": confidence,
        "inspections_per_person_time": chain.loc["garbage_inspections", "ratio"],
        "education_per_inspection": chain.loc["garbage_education_persuasion", "ratio"],
        "orders_per_education": chain.loc["garbage_rectification_orders", "ratio"],
        "cases_per_order": chain.loc["garbage_sorting_cases", "ratio"],
        "littering_per_sorting_case": chain.loc["littering_cases", "ratio"],
        "cases_per_1000_person_times_2022": yield_row["value"],
        "cases_per_day_2022": last["value"],
        "cases_per_day_2022_low": last["low"],
        "cases_per_day_2022_high": last["high"],
        "cases_per_day_first_period": per_day.iloc[0]["value"],
        "periods_compared": len(comparison[["period_start", "period_end"]].drop_duplicates()),
        "substitute_rows": int(comparison["substitute"].sum()),
        "targets_2023": len(targets(obs)),
        "plan_sentences": len(common.plan_sentences(PLAN_KEYWORDS)),
        "recognized_scopes": ", ".join(recognized["scope_id"]),
    }
