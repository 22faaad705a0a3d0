"""Non-site enforcement, risk-graded supervision and enforcement yield (非现场执法, 分级分类监管).

Campaigns and populations are named by indicator id; values come from the observations table.
Assumptions (inspection frequencies, how a rounded number is read) are explicit arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from chengguan.analysis import common
from chengguan.analysis.common import (
    BOUND_WORDS,
    bound_of_ratio,
    format_value,
    pick,
    resolution,
    rounding_range,
    single,
    single_or_none,
)
from chengguan.stats import implied_count_range, poisson_rate, proportion

NONSITE_CASES = "nonsite_cases"
ALL_CASES = "all_cases"


def nonsite_share(obs: pd.DataFrame, year: int = 2022, assume_all_cases_below_next_step: bool = True
                  ) -> pd.DataFrame:
    """Non-site cases as a share of all cases, as the bounds the printed figures allow.

    The total is printed as "10.8 万余起" (more than 108,000), so 4119/108000 is an *upper* bound
    of the share. With the named assumption ``assume_all_cases_below_next_step`` the total is
    also taken to be below the next step of its last written digit (108,000 + 1,000): "10.8 万余"
    would otherwise have been written "10.9 万". That gives a lower bound too
    (:func:`common.share_of_all_cases`). Columns: quantity, value, note.
    """
    nonsite = single(obs, NONSITE_CASES, year=year)
    return common.share_of_all_cases(
        "nonsite_cases", float(nonsite["value"]), single(obs, ALL_CASES, year=year),
        part_note=nonsite["qualifier"], assume_below_next_step=assume_all_cases_below_next_step)


SHARE_WORDS: dict[str, tuple[str, str]] = {
    **common.SHARE_WORDS,
    "nonsite_cases": ("非现场执法案件", "non-site cases"),
    "all_cases_printed": ("全部案件（印刷值）", "all cases (as printed)"),
    "assumed_all_cases_max": ("假设：全部案件上限", "ASSUMPTION: all cases at most"),
}


def share_table(share: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`nonsite_share` as a readable table (shares as percentages)."""
    return common.share_table(share, SHARE_WORDS, lang, digits=3)


@dataclass(frozen=True)
class Population:
    """A supervised population and the share of it graded low-risk."""

    key: str
    name_zh: str
    name_en: str
    population_indicator: str
    low_risk_share_indicator: str


POPULATIONS: tuple[Population, ...] = (
    Population("shopfronts", "沿街商户", "shop fronts", "shopfront_population",
               "shopfront_low_risk_share"),
    Population("construction_sites", "建筑工地", "construction sites",
               "construction_site_population", "construction_site_low_risk_share"),
)


def risk_grades(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """Implied counts of low-risk and other units, with the ranges rounding leaves open.

    A population printed with a multiplier ("19.6万") is read as rounded to its last digit, so it
    stands for a range; the share ("89.4%") likewise. ``*_min``/``*_max`` span every combination
    (for an exact population, the share range is that of the whole counts it can stand for).
    """
    rows = []
    for p in POPULATIONS:
        pop = single(obs, p.population_indicator, year=year)
        share = single(obs, p.low_risk_share_indicator, year=year)
        n = float(pop["value"])
        s = float(share["value"]) / 100.0
        exact_pop = resolution(str(pop["number_text"])) == 1.0
        n_lo, n_hi = (n, n) if exact_pop else rounding_range(str(pop["number_text"]))
        s_lo, s_hi = (x / 100.0 for x in rounding_range(str(share["number_text"])))
        if exact_pop:
            decimals = max(0, -int(np.floor(np.log10(resolution(str(share["number_text"]))))))
            low_min, low_max = implied_count_range(float(share["value"]), n, decimals)
            s_lo, s_hi = low_min / n, low_max / n
            other_min, other_max = n - low_max, n - low_min
        else:
            low_min, low_max = int(np.ceil(n_lo * s_lo)), int(np.floor(n_hi * s_hi))
            other_min, other_max = int(np.ceil(n_lo * (1 - s_hi))), int(np.floor(n_hi * (1 - s_lo)))
        rows.append(
            {
                "population": p.key,
                "label": pick(lang, p.name_zh, p.name_en),
                "units": n,
                "units_min": n_lo,
                "units_max": n_hi,
                "low_risk_share": s,
                "low_risk_share_min": s_lo,
                "low_risk_share_max": s_hi,
                "low_risk": n * s,
                "low_risk_min": float(low_min),
                "low_risk_max": float(low_max),
                "other": n * (1 - s),
                "other_min": float(other_min),
                "other_max": float(other_max),
            }
        )
    return pd.DataFrame(rows)


def grades_table(grades: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`risk_grades` as a readable table, each count with its rounding range."""

    def rng(v: float, lo: float, hi: float) -> str:
        return f"{v:,.0f}" if lo == hi else f"{v:,.0f} ({lo:,.0f}–{hi:,.0f})"

    return pd.DataFrame(
        {
            pick(lang, "对象", "population"): grades["label"],
            pick(lang, "总数（范围）", "units (range)"): [
                rng(*x) for x in zip(grades["units"], grades["units_min"], grades["units_max"])],
            pick(lang, "低风险占比", "low-risk share"): grades["low_risk_share"].map(
                lambda v: f"{v:.1%}"),
            pick(lang, "低风险（范围）", "low-risk (range)"): [
                rng(*x) for x in zip(grades["low_risk"], grades["low_risk_min"],
                                     grades["low_risk_max"])],
            pick(lang, "中高风险（范围）", "medium/high-risk (range)"): [
                rng(*x) for x in zip(grades["other"], grades["other_min"], grades["other_max"])],
        }
    )


def workloads_table(load: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`workloads` as a readable table."""
    return pd.DataFrame(
        {
            pick(lang, "对象", "population"): load["label"],
            pick(lang, "分级频次：年检查次数", "graded: inspections a year"): [
                f"{v:,.0f} ({lo:,.0f}–{hi:,.0f})"
                for v, lo, hi in zip(load["graded"], load["graded_min"], load["graded_max"])],
            pick(lang, "统一频次：年检查次数", "uniform: inspections a year"): [
                f"{v:,.0f} ({lo:,.0f}–{hi:,.0f})"
                for v, lo, hi in zip(load["uniform"], load["uniform_min"], load["uniform_max"])],
            pick(lang, "分级比统一少", "graded saves"): load["saving"].map(
                lambda v: "" if pd.isna(v) else f"{v:.1%}"),
        }
    )


def workloads(grades: pd.DataFrame, low_per_year: float, other_per_year: float,
              uniform_per_year: float) -> pd.DataFrame:
    """Inspections a year under a risk-graded policy versus a uniform one.

    Risk-graded: low-risk units ``low_per_year`` times, other units ``other_per_year`` times.
    Uniform: every unit ``uniform_per_year`` times. Ranges follow the rounding ranges of
    :func:`risk_grades`. ``saving`` = 1 - graded / uniform (NaN when the uniform load is 0).
    """
    out = grades[["population", "label"]].copy()
    out["graded"] = grades["low_risk"] * low_per_year + grades["other"] * other_per_year

    def graded(units: pd.Series, share: pd.Series) -> pd.Series:
        return units * (share * low_per_year + (1 - share) * other_per_year)

    # linear in the number of units and in the share: the extremes lie at the corners
    ends = [graded(grades[f"units_{a}"], grades[f"low_risk_share_{b}"])
            for a in ("min", "max") for b in ("min", "max")]
    out["graded_min"] = np.minimum.reduce(ends)
    out["graded_max"] = np.maximum.reduce(ends)
    out["uniform"] = grades["units"] * uniform_per_year
    out["uniform_min"] = grades["units_min"] * uniform_per_year
    out["uniform_max"] = grades["units_max"] * uniform_per_year
    with np.errstate(divide="ignore", invalid="ignore"):
        out["saving"] = np.where(out["uniform"] > 0, 1 - out["graded"] / out["uniform"], np.nan)
    return out


def plot_workloads(table: pd.DataFrame, lang: str, low_per_year: float, other_per_year: float,
                   uniform_per_year: float) -> Figure:
    """One panel per population (each on its own linear axis): inspections a year under the
    risk-graded and the uniform policy, with the ranges left open by rounding."""
    fig, axes = plt.subplots(1, len(table), figsize=(4.2 * len(table), 3.8), squeeze=False)
    names = [pick(lang, "分级频次", "graded"), pick(lang, "统一频次", "uniform")]
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (_, r) in zip(axes[0], table.iterrows()):
        values = [r["graded"], r["uniform"]]
        err = [[r["graded"] - r["graded_min"], r["uniform"] - r["uniform_min"]],
               [r["graded_max"] - r["graded"], r["uniform_max"] - r["uniform"]]]
        ax.bar(names, values, yerr=err, capsize=4, color=palette[:2], width=0.6)
        top = max(r["graded_max"], r["uniform_max"], 1)
        for x, (v, up) in enumerate(zip(values, err[1])):
            ax.text(x, v + up + top * 0.015, f"{v:,.0f}", ha="center", va="bottom", fontsize=8.5)
        if pd.notna(r["saving"]):
            ax.set_title(pick(lang, f"{r['label']}：分级比统一少 {r['saving']:.0%}",
                              f"{r['label']}: graded {r['saving']:.0%} fewer"), fontsize=10)
        else:
            ax.set_title(r["label"], fontsize=10)
        ax.set_ylim(0, top * 1.15)
        ax.ticklabel_format(axis="y", style="plain")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axes[0][0].set_ylabel(pick(lang, "每年检查次数", "inspections a year"))
    fig.suptitle(pick(lang,
                      f"假设频次：分级——低风险 {low_per_year:g} 次/年、其他 {other_per_year:g} 次/年；"
                      f"统一——每家 {uniform_per_year:g} 次/年",
                      f"Assumed frequencies: graded — low-risk {low_per_year:g}/yr, others "
                      f"{other_per_year:g}/yr; uniform — every unit {uniform_per_year:g}/yr"),
                 fontsize=9.5)
    fig.tight_layout()
    return fig


@dataclass(frozen=True)
class Campaign:
    """A campaign that reports inputs (person-times, inspections) and outputs (cases, problems).

    Indicator ids only; ``None`` where the report gives no such figure. ``output_kind`` is
    "cases" or "problems" (problems found and reported, not cases filed).
    """

    key: str
    name_zh: str
    name_en: str
    person_times_indicator: str | None
    inspections_indicator: str | None
    outputs_indicator: str
    output_kind: str


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("garbage", "生活垃圾分类", "household-garbage sorting",
             "garbage_enforcement_person_times", "garbage_inspections", "garbage_sorting_cases",
             "cases"),
    Campaign("ciie", "进博会保障", "CIIE operation", "ciie_person_times", "ciie_inspections",
             "ciie_cases", "cases"),
    Campaign("riverside", "“一江一河”", "riverside operation", "riverside_person_times",
             "riverside_inspections", "riverside_cases", "cases"),
    Campaign("citywide", "面上环境秩序（全系统案件）", "city-wide order (all cases of the system)",
             "citywide_person_times", "citywide_patrols", "all_cases", "cases"),
    Campaign("disinfection", "环境清洁消杀检查", "epidemic cleaning/disinfection checks",
             "epidemic_disinfection_person_times", "epidemic_disinfection_inspections",
             "epidemic_disinfection_problems", "problems"),
    # 检查街面寄递人员 counts the people checked (人次), so it is a person-times input.
    Campaign("couriers", "街面寄递人员检查", "epidemic courier checks", "epidemic_couriers_checked",
             None, "epidemic_courier_problems", "problems"),
    Campaign("site_code", "“场所码”核查", "epidemic site-code checks", None,
             "epidemic_site_code_checks", "epidemic_site_code_problems", "problems"),
    Campaign("self_built", "自建房百日攻坚", "self-built housing campaign", None,
             "self_built_housing_checked", "self_built_housing_cases", "cases"),
)

OUTPUT_WORDS = {"zh": {"cases": "案件", "problems": "问题"}, "en": {"cases": "cases",
                                                                 "problems": "problems"}}


def yields(obs: pd.DataFrame, confidence: float = 0.95, year: int = 2022,
           lang: str = "en") -> pd.DataFrame:
    """Outputs per 1,000 person-times and per 1,000 inspections of every campaign in
    :data:`CAMPAIGNS`, with exact Poisson intervals and the bound each ratio is.

    One row per campaign and input ("person_times" or "inspections"); the numerator is the
    campaign's outputs. ``bound``: "point", "lower", "upper" or "unknown"
    (:func:`chengguan.analysis.common.bound_of_ratio`).
    """
    rows = []
    for c in CAMPAIGNS:
        out = single(obs, c.outputs_indicator, year=year)
        for input_kind, indicator_id in (("person_times", c.person_times_indicator),
                                         ("inspections", c.inspections_indicator)):
            den = single_or_none(obs, indicator_id, year=year)
            if den is None:
                continue
            rate = poisson_rate(out["value"], den["value"], confidence, per=1000.0)
            rows.append(
                {
                    "campaign": c.key,
                    "label": pick(lang, c.name_zh, c.name_en),
                    "input": input_kind,
                    "input_indicator": indicator_id,
                    "input_label": den["indicator_zh"] if lang == "zh" else den["indicator_en"],
                    "input_value": float(den["value"]),
                    "input_qualifier": den["qualifier"],
                    "output_indicator": c.outputs_indicator,
                    "output_kind": c.output_kind,
                    "output_value": float(out["value"]),
                    "output_qualifier": out["qualifier"],
                    "per_1000": rate.value,
                    "low": rate.low,
                    "high": rate.high,
                    "bound": bound_of_ratio(out["qualifier"], den["qualifier"]),
                }
            )
    return pd.DataFrame(rows)


def yields_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`yields` as a readable table."""
    lz = "zh" if lang == "zh" else "en"
    return pd.DataFrame(
        {
            pick(lang, "行动", "campaign"): table["label"],
            pick(lang, "投入", "input"): [
                f"{lab} {format_value(v, q, None, lang)}"
                for lab, v, q in zip(table["input_label"], table["input_value"],
                                     table["input_qualifier"])
            ],
            pick(lang, "产出", "output"): [
                f"{OUTPUT_WORDS[lz][k]} {format_value(v, q, None, lang)}"
                for k, v, q in zip(table["output_kind"], table["output_value"],
                                   table["output_qualifier"])
            ],
            pick(lang, "每千", "per 1,000"): table["per_1000"].map(lambda v: f"{v:.3g}"),
            pick(lang, "区间", "interval"): [f"{a:.3g}–{b:.3g}" for a, b in
                                           zip(table["low"], table["high"])],
            pick(lang, "性质", "bound"): table["bound"].map(BOUND_WORDS[lz]),
        }
    )


def plot_yields(table: pd.DataFrame, lang: str, confidence: float) -> Figure:
    """Two ranked panels: outputs per 1,000 person-times, outputs per 1,000 inspections.

    Hatched bars are bounds (the arrow-like mark says which way); solid bars are points.
    """
    lz = "zh" if lang == "zh" else "en"
    inputs = [("person_times", pick(lang, "每千人次", "per 1,000 person-times")),
              ("inspections", pick(lang, "每千次检查/巡查/核查", "per 1,000 inspections/checks"))]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    marks = {"point": "", "lower": " ≥", "upper": " ≤", "unknown": " ?", "approximate": " ≈"}
    colours = {"cases": "#2b6a99", "problems": "#d08a2e"}
    for ax, (kind, title) in zip(axes, inputs):
        part = table[table["input"] == kind].sort_values("per_1000")
        y = np.arange(len(part))
        err = [part["per_1000"] - part["low"], part["high"] - part["per_1000"]]
        bars = ax.barh(y, part["per_1000"], xerr=err, capsize=2,
                       color=[colours[k] for k in part["output_kind"]])
        for bar, bound in zip(bars, part["bound"]):
            if bound != "point":
                bar.set_hatch("///")
                bar.set_edgecolor("white")
        ax.set_yticks(y, [f"{lab}{marks[b]}" for lab, b in zip(part["label"], part["bound"])],
                      fontsize=8.5)
        for yi, v, hi in zip(y, part["per_1000"], part["high"]):
            ax.text(hi * 1.12, yi, f"{v:.3g}", va="center", fontsize=8)
        ax.set_xscale("log")
        ax.set_xlim(right=part["high"].max() * 6)
        ax.set_title(title, fontsize=10)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="grey", hatch="///", edgecolor="white"))
    fig.legend(handles, [OUTPUT_WORDS[lz]["cases"], OUTPUT_WORDS[lz]["problems"],
                         pick(lang, "界值（≥ 下限，≤ 上限，? 方向不定）",
                              "bound (≥ lower, ≤ upper, ? direction unknown)")],
               loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(pick(lang, f"各专项行动的产出率（对数坐标，{common.confidence_label(confidence)} 精确 Poisson 区间）",
                      f"Yield of each campaign (log scale, {common.confidence_label(confidence)} exact Poisson "
                      "intervals)"),
                 fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def accuracy_table(accuracy: pd.DataFrame, lang: str, confidence: float) -> pd.DataFrame:
    """:func:`record_accuracy` as a readable table."""
    a = accuracy.iloc[0]
    pct = common.confidence_label(confidence)
    rows = [
        (pick(lang, "核查记录数", "records checked"), f"{a['records_checked']:,.0f}"),
        (pick(lang, "公布准确率", "accuracy as printed"), f"{a['accuracy_printed']:.0%}"),
        (pick(lang, "与之相符的准确记录数", "accurate records consistent with it"),
         f"{int(a['accurate_min']):,}–{int(a['accurate_max']):,}"),
        (pick(lang, f"{pct} Wilson 区间（下端）", f"{pct} Wilson interval at the low end"),
         f"{a['wilson_at_min_low']:.2%}–{a['wilson_at_min_high']:.2%}"),
        (pick(lang, f"{pct} Wilson 区间（上端）", f"{pct} Wilson interval at the high end"),
         f"{a['wilson_at_max_low']:.2%}–{a['wilson_at_max_high']:.2%}"),
        (pick(lang, "合并区间", "combined"), f"{a['low']:.2%}–{a['high']:.2%}"),
    ]
    return pd.DataFrame(rows, columns=[pick(lang, "量", "quantity"), pick(lang, "数值", "value")])


DIGITAL_INDICATORS: tuple[str, ...] = (
    "e_licence_interfaces",
    "enforcement_object_records_checked",
    "enforcement_object_records_accuracy",
    "inspection_records_published",
    "data_analysis_reports",
    "nonsite_cases",
)


def record_accuracy(obs: pd.DataFrame, confidence: float = 0.95, year: int = 2022
                    ) -> pd.DataFrame:
    """The accuracy of checked enforcement-object records, with the rounding made explicit.

    "准确率90%" of 6052 records is consistent with a range of whole counts of accurate records
    (:func:`chengguan.stats.implied_count_range`); the Wilson interval is given at both ends of
    that range, and ``low``/``high`` cover both.
    """
    checked = single(obs, "enforcement_object_records_checked", year=year)
    accuracy = single(obs, "enforcement_object_records_accuracy", year=year)
    n = float(checked["value"])
    step = resolution(str(accuracy["number_text"]))
    decimals = max(0, -int(np.floor(np.log10(step))))
    k_min, k_max = implied_count_range(float(accuracy["value"]), n, decimals)
    at_min = proportion(k_min, n, confidence, "wilson")
    at_max = proportion(k_max, n, confidence, "wilson")
    return pd.DataFrame(
        [
            {"records_checked": n, "accuracy_printed": float(accuracy["value"]) / 100.0,
             "accurate_min": int(k_min), "accurate_max": int(k_max),
             "wilson_at_min_low": at_min.low, "wilson_at_min_high": at_min.high,
             "wilson_at_max_low": at_max.low, "wilson_at_max_high": at_max.high,
             "low": at_min.low, "high": at_max.high}
        ]
    )


RECOGNITION_DOMAINS: tuple[str, ...] = ("digital_enforcement",)
"""Domains whose recognitions (districts singled out) the notebook shows."""

RECOGNITION_KEYWORDS: tuple[str, ...] = ("非现场", "分级分类")
"""Recognitions of other domains are shown too when their sentence names one of these."""


def observations_used(obs: pd.DataFrame, year: int = 2022) -> pd.DataFrame:
    """The observations behind the notebook: shares, populations, campaigns, digital indicators."""
    ids: set[str] = {NONSITE_CASES, ALL_CASES, *DIGITAL_INDICATORS}
    for p in POPULATIONS:
        ids |= {p.population_indicator, p.low_risk_share_indicator}
    for c in CAMPAIGNS:
        ids |= {i for i in (c.person_times_indicator, c.inspections_indicator,
                            c.outputs_indicator) if i}
    rows = obs[obs["indicator_id"].isin(ids) & (obs["scope_id"] == "city")
               & (obs["period_start"].dt.year == year)]
    return rows.reset_index(drop=True)


def share_statement(share: pd.DataFrame, lang: str) -> str:
    """The non-site share as a sentence: the upper bound, and the lower one under the assumption."""
    v = share.set_index("quantity")["value"]
    if "share" in v:
        return pick(lang, f"非现场执法案件占全部案件的 {v['share']:.2%}。",
                    f"Non-site cases were {v['share']:.2%} of all cases.")
    upper = v["share_upper_bound"]
    if "share_lower_bound" in v:
        lower, top = v["share_lower_bound"], v["assumed_all_cases_max"]
        return pick(
            lang,
            f"非现场执法案件 {v['nonsite_cases']:,.0f} 起，全部案件“{v['all_cases_printed']:,.0f} 余起”："
            f"占比**不超过 {upper:.2%}**；若假设全部案件少于 {top:,.0f} 起（命名假设），则占比不低于 "
            f"{lower:.2%}。",
            f"{v['nonsite_cases']:,.0f} non-site cases out of more than "
            f"{v['all_cases_printed']:,.0f}: "
            f"the share is **at most {upper:.2%}**; under the named assumption that all cases were "
            f"fewer than {top:,.0f}, it is at least {lower:.2%}.",
        )
    return pick(lang, f"占比不超过 {upper:.2%}。", f"The share is at most {upper:.2%}.")


def digital_table(obs: pd.DataFrame, lang: str, year: int = 2022) -> pd.DataFrame:
    """The digital-enforcement indicators of ``year`` with their values and quotes."""
    rows = [single(obs, i, year=year) for i in DIGITAL_INDICATORS]
    return pd.DataFrame(
        {
            pick(lang, "指标", "indicator"): [r["indicator_zh"] if lang == "zh" else
                                            r["indicator_en"] for r in rows],
            pick(lang, "数值", "value"): [format_value(r["value"], r["qualifier"], r["unit"], lang)
                                        for r in rows],
            pick(lang, "原文", "quote"): [r["quote"] for r in rows],
        }
    )


def findings(share: pd.DataFrame, load: pd.DataFrame, yield_table: pd.DataFrame,
             accuracy: pd.DataFrame, lang: str) -> str:
    """Headline findings of the notebook as Markdown bullets in ``lang``."""
    lines = ["- " + share_statement(share, lang)]
    for _, r in load.iterrows():
        if pd.notna(r["saving"]):
            lines.append("- " + pick(
                lang,
                f"{r['label']}：分级频次下每年约 {r['graded']:,.0f} 次检查（{r['graded_min']:,.0f}–"
                f"{r['graded_max']:,.0f}），统一频次下 {r['uniform']:,.0f} 次，少 {r['saving']:.0%}。",
                f"{r['label']}: about {r['graded']:,.0f} inspections a year under the graded "
                "policy "
                f"({r['graded_min']:,.0f}–{r['graded_max']:,.0f}) against {r['uniform']:,.0f} "
                f"under the uniform one, {r['saving']:.0%} fewer.",
            ))
    points = yield_table[(yield_table["input"] == "person_times")
                         & (yield_table["bound"] == "point")].sort_values("per_1000")
    if len(points) >= 2:
        lo, hi = points.iloc[0], points.iloc[-1]
        lines.append("- " + pick(
            lang,
            f"每千人次产出（仅点值）：最高为{hi['label']} {hi['per_1000']:.3g}，最低为{lo['label']} "
            f"{lo['per_1000']:.3g}。",
            f"Outputs per 1,000 person-times (point values only): highest {hi['label']} "
            f"{hi['per_1000']:.3g}, lowest {lo['label']} {lo['per_1000']:.3g}.",
        ))
    a = accuracy.iloc[0]
    lines.append("- " + pick(
        lang,
        f"执法对象数据核查：准确记录约 {int(a['accurate_min']):,}–{int(a['accurate_max']):,} 条，"
        f"Wilson 区间合并为 {a['low']:.1%}–{a['high']:.1%}。",
        f"Record check: {int(a['accurate_min']):,}–{int(a['accurate_max']):,} accurate records; "
        "combined "
        f"Wilson interval {a['low']:.1%}–{a['high']:.1%}.",
    ))
    return "\n".join(lines)


def key_results(obs: pd.DataFrame, confidence: float, low_per_year: float, other_per_year: float,
                uniform_per_year: float, lang: str) -> dict[str, float | int | str]:
    """The headline numbers of the notebook, for its last cell (and the tests)."""
    share = nonsite_share(obs).set_index("quantity")["value"]
    grades = risk_grades(obs, lang=lang).set_index("population")
    load = workloads(grades.reset_index(), low_per_year, other_per_year,
                     uniform_per_year).set_index("population")
    y = yields(obs, confidence, lang=lang)
    garbage_row = y[(y["campaign"] == "garbage") & (y["input"] == "person_times")].iloc[0]
    acc = record_accuracy(obs, confidence).iloc[0]
    out: dict[str, float | int | str] = {
        "lang": lang,
        "confidence": confidence,
        "nonsite_share_upper_bound": share["share_upper_bound"],
        "nonsite_share_lower_bound": share.get("share_lower_bound", float("nan")),
        "garbage_cases_per_1000_person_times": garbage_row["per_1000"],
        "campaign_rates": len(y),
        "bounded_rates": int((y["bound"] != "point").sum()),
        "accurate_records_min": int(acc["accurate_min"]),
        "accurate_records_max": int(acc["accurate_max"]),
        "accuracy_low": acc["low"],
        "accuracy_high": acc["high"],
    }
    for key in grades.index:
        out[f"{key}_low_risk"] = grades.loc[key, "low_risk"]
        out[f"{key}_graded_inspections"] = load.loc[key, "graded"]
        out[f"{key}_uniform_inspections"] = load.loc[key, "uniform"]
    return out
