"""Street environment (街面环境) and city-wide order control (面上环境秩序): measures side by side.

Issues, ratios and campaign figures are named by indicator id; every value comes from the
observations table. Bounded values (余 = more than, 以上 = at least) are handled as bounds; the
one assumption that turns them into ranges (a value printed "168 万余" lies below the next step of
its last digit, 169 万) is an explicit argument, as in
:func:`chengguan.analysis.nonsite.nonsite_share`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from chengguan.analysis import common
from chengguan.analysis.common import (
    BOUND_WORDS,
    BOUNDED,
    bound_of_ratio,
    format_value,
    indicator_label,
    pick,
    resolution,
    single,
)
from chengguan.stats import poisson_rate, proportion

DOMAIN = "street_environment"
ORDER_DOMAIN = "citywide_order"
ALL_CASES = "all_cases"


@dataclass(frozen=True)
class Issue:
    """One street-order problem: the cases filed on it and what else the report counts for it."""

    key: str
    name_zh: str
    name_en: str
    case_indicator: str
    outcomes: tuple[str, ...] = ()


ISSUES: tuple[Issue, ...] = (
    Issue("vending", "无序设摊", "Street vending", "street_vending_cases",
          ("street_vending_sites_cleared",)),
    Issue("cross_door", "跨门经营", "Cross-door business", "cross_door_business_cases"),
    Issue("flyers", "非法小广告", "Illegal flyers", "illegal_flyer_cases",
          ("flyer_phone_numbers_suspended", "flyer_phone_numbers_restored")),
    Issue("outdoor_ads", "户外广告与店招", "Outdoor ads and shop signs", "outdoor_ad_facility_cases",
          ("outdoor_ad_facilities_removed", "signboards_removed")),
    Issue("stacking", "占道堆物", "Goods stacked on the road", "road_occupation_stacking_cases"),
    Issue("facades", "破坏房屋外貌", "Facade damage", "facade_damage_cases"),
    Issue("shared_bikes", "共享单车乱停放", "Shared-bike parking", "shared_bike_parking_cases"),
)


def measures(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """Every city-wide street measure of ``year``, grouped by issue.

    Columns: issue, issue_label, indicator_id, label, role ("case" or "outcome"), value, unit,
    qualifier, source_id, share_of_street_cases (cases only: the issue's share of the street
    cases of all issues).
    """
    rows = []
    for issue in ISSUES:
        for role, indicator_id in [("case", issue.case_indicator)] + [("outcome", i) for i in
                                                                        issue.outcomes]:
            r = single(obs, indicator_id, year=year)
            rows.append({
                "issue": issue.key,
                "issue_label": pick(lang, issue.name_zh, issue.name_en),
                "indicator_id": indicator_id,
                "label": indicator_label(r, lang),
                "role": role,
                "value": float(r["value"]),
                "unit": r["unit"],
                "qualifier": r["qualifier"],
                "source_id": r["source_id"],
            })
    out = pd.DataFrame(rows)
    cases = out["role"] == "case"
    out["share_of_street_cases"] = np.where(cases, out["value"] / out.loc[cases, "value"].sum(),
                                            np.nan)
    return out


def measures_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`measures` as a readable table."""
    roles = {"case": pick(lang, "立案查处", "cases"), "outcome": pick(lang, "处置结果", "outcome")}
    return pd.DataFrame({
        pick(lang, "问题", "issue"): table["issue_label"],
        pick(lang, "指标", "measure"): table["label"],
        pick(lang, "类型", "kind"): table["role"].map(roles),
        pick(lang, "数值", "value"): [format_value(v, q, u, lang) for v, q, u in
                                    zip(table["value"], table["qualifier"], table["unit"])],
        pick(lang, "占街面案件", "share of street cases"): table["share_of_street_cases"].map(
            lambda v: "" if pd.isna(v) else f"{v:.1%}"),
    })


def plot_measures(table: pd.DataFrame, lang: str) -> Figure:
    """Horizontal bars of every measure on a log axis, cases dark and outcomes light, by issue."""
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(table) + 1.4))
    colours = {"case": "#0072B2", "outcome": "#9ecae1"}
    y = np.arange(len(table))[::-1]
    labels = [row["label"] if row["role"] == "case" else "    " + row["label"]
              for _, row in table.iterrows()]
    ax.barh(y, table["value"], color=[colours[r] for r in table["role"]])
    ax.set_xscale("log")
    ax.set_yticks(y, labels, fontsize=8.5)
    for yi, (_, row) in zip(y, table.iterrows()):
        ax.text(row["value"] * 1.1, yi, format_value(row["value"], row["qualifier"], row["unit"], lang),
                va="center", fontsize=8)
    ax.set_xlim(right=table["value"].max() * 20)
    ax.set_xlabel(pick(lang, "数量（对数坐标；单位见各行：起、处、块）",
                       "count (log scale; units per row: cases, sites, panels)"), fontsize=9)
    ax.set_title(pick(lang, "2022 年街面环境执法：各项并列", "Street-order enforcement, 2022, side by side"))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, [pick(lang, "立案查处（起）", "cases"), pick(lang, "处置结果（缩进）",
                                                              "outcomes (indented)")],
              loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


@dataclass(frozen=True)
class StreetRatio:
    """A ratio with a meaningful denominator.

    ``kind`` "proportion": the numerator is a subset of the denominator (binomial interval);
    "rate": the numerator is counted per unit of the denominator (exact Poisson interval of the
    numerator, the denominator taken as known).
    """

    key: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str
    kind: str
    note_zh: str
    note_en: str


RATIOS: tuple[StreetRatio, ...] = (
    StreetRatio("sites_cleared_per_vending_case", "每起无序设摊案件取缔摊点（处）",
                "vending sites cleared per vending case", "street_vending_sites_cleared",
                "street_vending_cases", "rate",
                "取缔不一定伴随立案，一起案件可涉及多处", "a clearance need not come with a case; a case "
                "can cover several sites"),
    StreetRatio("numbers_restored_share", "暂停的通信号码中恢复的比例", "share of suspended numbers restored",
                "flyer_phone_numbers_restored", "flyer_phone_numbers_suspended", "proportion",
                "恢复的号码可能是往年暂停的", "restored numbers may have been suspended in an earlier year"),
    StreetRatio("suspensions_per_flyer_case", "每起小广告案件暂停号码（起）",
                "number suspensions per flyer case", "flyer_phone_numbers_suspended",
                "illegal_flyer_cases", "rate",
                "暂停号码是另一程序，不必对应一起小广告案件", "suspension is a separate procedure, not "
                "necessarily tied to one flyer case"),
    StreetRatio("ad_facilities_removed_per_ad_case", "每起户外广告案件拆除设施（处）",
                "outdoor-ad facilities removed per outdoor-ad case", "outdoor_ad_facilities_removed",
                "outdoor_ad_facility_cases", "rate",
                "拆除可不经立案；店招店牌（块）另计", "a removal can happen without a case; shop signs "
                "(panels) are counted apart"),
)


def ratios(obs: pd.DataFrame, confidence: float = 0.95, year: int = 2022,
           lang: str = "en") -> pd.DataFrame:
    """Every :data:`RATIOS` entry of ``year`` with its interval at ``confidence``.

    Columns: key, label, kind, numerator_id, denominator_id, numerator, denominator, value, low,
    high, method, bound, note.
    """
    rows = []
    for r in RATIOS:
        num = single(obs, r.numerator, year=year)
        den = single(obs, r.denominator, year=year)
        if r.kind == "proportion":
            rate = proportion(num["value"], den["value"], confidence)
        else:
            rate = poisson_rate(num["value"], den["value"], confidence)
        rows.append({
            "key": r.key,
            "label": pick(lang, r.name_zh, r.name_en),
            "kind": r.kind,
            "numerator_id": r.numerator,
            "denominator_id": r.denominator,
            "numerator": rate.numerator,
            "denominator": rate.denominator,
            "value": rate.value,
            "low": rate.low,
            "high": rate.high,
            "method": rate.method,
            "bound": bound_of_ratio(num["qualifier"], den["qualifier"]),
            "note": pick(lang, r.note_zh, r.note_en),
        })
    return pd.DataFrame(rows)


def ratios_table(table: pd.DataFrame, lang: str, confidence: float) -> pd.DataFrame:
    """:func:`ratios` as a readable table."""
    kinds = {"proportion": pick(lang, "比例（二项）", "proportion (binomial)"),
             "rate": pick(lang, "比率（Poisson）", "rate (Poisson)")}
    pct = common.confidence_label(confidence)
    return pd.DataFrame({
        pick(lang, "比值", "ratio"): table["label"],
        pick(lang, "计算", "computed as"): [f"{n:,.0f} / {d:,.0f}" for n, d in
                                          zip(table["numerator"], table["denominator"])],
        pick(lang, "结果", "value"): table["value"].map(lambda v: f"{v:.3f}"),
        pick(lang, f"{pct} 区间", f"{pct} interval"): [f"{lo:.3f}–{hi:.3f}" for lo, hi in
                                                     zip(table["low"], table["high"])],
        pick(lang, "类型", "kind"): table["kind"].map(kinds),
        pick(lang, "注意", "caveat"): table["note"],
    })


def plot_ratios(table: pd.DataFrame, lang: str, confidence: float) -> Figure:
    """Each ratio as a point with its interval (proportions as circles, rates as squares)."""
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(table) + 1.3))
    y = np.arange(len(table))[::-1]
    for yi, (_, r) in zip(y, table.iterrows()):
        marker = "o" if r["kind"] == "proportion" else "s"
        ax.errorbar(r["value"], yi, xerr=[[r["value"] - r["low"]], [r["high"] - r["value"]]],
                    fmt=marker, color="#0072B2", capsize=4, ms=6)
        ax.text(r["high"] + 0.02, yi, f"{r['value']:.3f}  ({r['numerator']:,.0f}/{r['denominator']:,.0f})",
                va="center", fontsize=8)
    ax.axvline(1.0, color="#999999", lw=0.8, ls="--")
    ax.set_yticks(y, table["label"], fontsize=8.5)
    ax.set_xlim(0, max(1.2, float(table["high"].max()) * 1.35))
    pct = common.confidence_label(confidence)
    ax.set_title(pick(lang, f"有意义分母的比值（{pct} 区间；圆：比例，方：比率）",
                      f"Ratios with a meaningful denominator ({pct} intervals; ○ proportion, □ rate)"),
                 fontsize=10)
    fig.tight_layout()
    return fig


def street_share_of_all_cases(obs: pd.DataFrame, year: int = 2022,
                              assume_below_next_step: bool = True) -> pd.DataFrame:
    """The street cases of all issues as a share of the whole system's cases, as bounds.

    The system total is printed "10.8 万余起" (more than 108,000), so the street cases over it is
    an *upper* bound. Under ``assume_below_next_step`` the total is below 108,000 + the step of
    its last digit, which gives a lower bound too (:func:`common.share_of_all_cases`).
    Columns: quantity, value, note.
    """
    table = measures(obs, year)
    street = float(table.loc[table["role"] == "case", "value"].sum())
    return common.share_of_all_cases("street_cases", street, single(obs, ALL_CASES, year=year),
                                     assume_below_next_step=assume_below_next_step)


SHARE_WORDS: dict[str, tuple[str, str]] = {
    **common.SHARE_WORDS,
    "street_cases": ("街面七类案件合计", "street cases, seven issues together"),
    "all_cases_printed": ("全系统案件（印刷值）", "all cases of the system (as printed)"),
    "assumed_all_cases_max": ("假设：全系统案件上限", "ASSUMPTION: all cases at most"),
}


def share_table(share: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`street_share_of_all_cases` as a readable table."""
    return common.share_table(share, SHARE_WORDS, lang, digits=2)


# -- the city-wide order campaign (二（九）) -------------------------------------------------------

ORDER_FIGURES: tuple[tuple[str, str], ...] = (
    ("citywide_joint_operations", "input"),
    ("citywide_person_times", "input"),
    ("citywide_patrols", "input"),
    ("citywide_education_persuasion", "output"),
    (ALL_CASES, "output"),
)
"""The figures of the city-wide order section, each an input (effort) or an output."""


def order_figures(obs: pd.DataFrame, year: int = 2022, lang: str = "en",
                  assume_below_next_step: bool = True) -> pd.DataFrame:
    """The city-wide order figures with the range each printed value allows.

    ``low`` is the printed value; ``high`` is the printed value for an exact figure and, for a
    "more than" figure, the next step of its last digit under ``assume_below_next_step``
    (infinite otherwise). Columns: indicator_id, label, role, value, qualifier, unit, number_text,
    low, high, source_id.
    """
    rows = []
    for indicator_id, role in ORDER_FIGURES:
        r = single(obs, indicator_id, year=year)
        value = float(r["value"])
        if r["qualifier"] in BOUNDED:
            high = value + resolution(str(r["number_text"])) if assume_below_next_step else math.inf
        else:
            high = value
        rows.append({
            "indicator_id": indicator_id,
            "label": indicator_label(r, lang),
            "role": role,
            "value": value,
            "qualifier": r["qualifier"],
            "unit": r["unit"],
            "number_text": r["number_text"],
            "low": value,
            "high": high,
            "source_id": r["source_id"],
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class OrderRatio:
    """A ratio between two city-wide order figures (``per``: a multiplier, e.g. per 1,000)."""

    key: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str
    per: float = 1.0


ORDER_RATIOS: tuple[OrderRatio, ...] = (
    OrderRatio("patrols_per_person_time", "每人次巡查（次）", "patrols per person-time",
               "citywide_patrols", "citywide_person_times"),
    OrderRatio("education_per_person_time", "每人次教育劝阻（人次）",
               "education/persuasion per person-time", "citywide_education_persuasion",
               "citywide_person_times"),
    OrderRatio("cases_per_1000_person_times", "每千人次查处案件（起）", "cases per 1,000 person-times",
               ALL_CASES, "citywide_person_times", 1000.0),
    OrderRatio("education_per_case", "每起案件对应教育劝阻（人次）", "education/persuasion per case",
               "citywide_education_persuasion", ALL_CASES),
)


def order_ratios(figures: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Every :data:`ORDER_RATIOS` ratio: the printed ratio, what it bounds, and its range.

    ``low``/``high`` divide the extreme ends of the figures' ranges (``high`` is infinite when a
    "more than" numerator has no assumed ceiling). Columns: key, label, value, bound, low, high.
    """
    by = figures.set_index("indicator_id")
    rows = []
    for r in ORDER_RATIOS:
        num, den = by.loc[r.numerator], by.loc[r.denominator]
        rows.append({
            "key": r.key,
            "label": pick(lang, r.name_zh, r.name_en),
            "numerator": num["value"],
            "denominator": den["value"],
            "value": num["value"] / den["value"] * r.per,
            "bound": bound_of_ratio(num["qualifier"], den["qualifier"]),
            "low": num["low"] / den["high"] * r.per,
            "high": num["high"] / den["low"] * r.per,
        })
    return pd.DataFrame(rows)


def order_figures_table(figures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`order_figures` as a readable table."""
    roles = {"input": pick(lang, "投入", "input"), "output": pick(lang, "产出", "output")}
    return pd.DataFrame({
        pick(lang, "指标", "figure"): figures["label"],
        pick(lang, "类型", "kind"): figures["role"].map(roles),
        pick(lang, "原文数字", "as printed"): figures["number_text"],
        pick(lang, "数值", "value"): [format_value(v, q, u, lang) for v, q, u in
                                    zip(figures["value"], figures["qualifier"], figures["unit"])],
        pick(lang, "可能范围", "range"): [_range(lo, hi) for lo, hi in
                                       zip(figures["low"], figures["high"])],
    })


def _range(low: float, high: float, digits: int | None = None) -> str:
    def show(v: float) -> str:
        if math.isinf(v):
            return "∞"
        return f"{v:,.{digits}f}" if digits is not None else f"{v:,.0f}"
    return show(low) if low == high else f"{show(low)} – {show(high)}"


def order_ratios_table(ratios_: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`order_ratios` as a readable table."""
    words = BOUND_WORDS["zh" if lang == "zh" else "en"]
    return pd.DataFrame({
        pick(lang, "比值", "ratio"): ratios_["label"],
        pick(lang, "按印刷值", "from printed values"): ratios_["value"].map(lambda v: f"{v:,.3g}"),
        pick(lang, "性质", "reading"): ratios_["bound"].map(lambda b: words[b] or pick(lang, "点值",
                                                                                       "point")),
        pick(lang, "可能范围（在假设下）", "range (under the assumption)"): [
            _range(lo, hi, 3) for lo, hi in zip(ratios_["low"], ratios_["high"])],
    })


def plot_order(figures: pd.DataFrame, lang: str) -> Figure:
    """The campaign's inputs and outputs as bars on a log axis; ">" marks lower bounds."""
    fig, ax = plt.subplots(figsize=(8.5, 3.6))
    colours = {"input": "#E69F00", "output": "#009E73"}
    y = np.arange(len(figures))[::-1]
    ax.barh(y, figures["value"], color=[colours[r] for r in figures["role"]])
    for yi, (_, r) in zip(y, figures.iterrows()):
        if math.isfinite(r["high"]) and r["high"] > r["value"]:
            ax.plot([r["value"], r["high"]], [yi, yi], color="black", lw=3, solid_capstyle="butt")
        ax.text(r["value"] * 1.15, yi, format_value(r["value"], r["qualifier"], r["unit"], lang),
                va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_yticks(y, figures["label"], fontsize=8.5)
    ax.set_xlim(right=figures["value"].max() * 15)
    ax.set_title(pick(lang, "2022 年面上环境秩序管控：投入与产出", "City-wide order control, 2022: inputs and outputs"))
    ax.set_xlabel(pick(lang, "数量（对数坐标）；黑色：“余”允许的范围（在假设下）",
                       "count (log scale); black: range a 'more than' value allows (under the assumption)"),
                  fontsize=8.5)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, [pick(lang, "投入", "input"), pick(lang, "产出", "output")], loc="lower right",
              fontsize=8)
    fig.tight_layout()
    return fig


# -- recognitions, plan, provenance -----------------------------------------------------------------

RECOGNITION_KEYWORDS: tuple[str, ...] = ("街面",)
PLAN_KEYWORDS: tuple[str, ...] = ("街面", "设摊", "小广告", "户外广告", "跨门", "店招", "市容")


def recognized(recognitions: pd.DataFrame) -> pd.DataFrame:
    """Recognitions of both domains, plus any other that names the street (街面)."""
    return common.recognitions_matching(recognitions, (DOMAIN, ORDER_DOMAIN), RECOGNITION_KEYWORDS)


def observations_used(obs: pd.DataFrame) -> pd.DataFrame:
    """Every observation of the two domains (all periods, scopes and statuses)."""
    return obs[obs["domain_id"].isin([DOMAIN, ORDER_DOMAIN])].reset_index(drop=True)


def targets(obs: pd.DataFrame) -> pd.DataFrame:
    """The 2023 plan's numeric targets in the two domains."""
    used = observations_used(obs)
    return used[used["status"] == "target"].reset_index(drop=True)


def findings(table: pd.DataFrame, ratio_table: pd.DataFrame, share: pd.DataFrame,
             order: pd.DataFrame, lang: str) -> str:
    """Markdown bullets with the headline numbers, in ``lang``."""
    cases = table[table["role"] == "case"].sort_values("value", ascending=False)
    top = cases.iloc[0]
    r = ratio_table.set_index("key")
    s = share.set_index("quantity")["value"]
    o = order.set_index("key")
    restored, cleared = r.loc["numbers_restored_share"], r.loc["sites_cleared_per_vending_case"]
    low = s.get("share_lower_bound")
    share_text = (f"{low:.1%}–{s['share_upper_bound']:.1%}" if low is not None
                  else f"≤ {s['share_upper_bound']:.1%}")
    return "\n".join([
        pick(lang,
             f"- 街面七类案件合计 {s['street_cases']:,.0f} 起，其中{top['label']}最多（{top['value']:,.0f} 起，"
             f"占 {top['share_of_street_cases']:.1%}）；约占全系统案件的 {share_text}。",
             f"- The seven street issues add up to {s['street_cases']:,.0f} cases; {top['label']} "
             f"is the largest ({top['value']:,.0f}, {top['share_of_street_cases']:.1%}). That is "
             f"{share_text} of all cases of the system."),
        pick(lang,
             f"- 每起无序设摊案件对应取缔 {cleared['value']:.2f} 处摊点（区间 {cleared['low']:.2f}–"
             f"{cleared['high']:.2f}）。",
             f"- {cleared['value']:.2f} vending sites were cleared per vending case (interval "
             f"{cleared['low']:.2f}–{cleared['high']:.2f})."),
        pick(lang,
             f"- 暂停的通信号码中 {restored['value']:.1%} 已恢复（{restored['numerator']:,.0f}/"
             f"{restored['denominator']:,.0f}，区间 {restored['low']:.1%}–{restored['high']:.1%}）。",
             f"- {restored['value']:.1%} of suspended phone numbers were restored "
             f"({restored['numerator']:,.0f}/{restored['denominator']:,.0f}, interval "
             f"{restored['low']:.1%}–{restored['high']:.1%})."),
        pick(lang,
             f"- 面上秩序管控：每千人次查处案件 {o.loc['cases_per_1000_person_times', 'low']:.1f}–"
             f"{o.loc['cases_per_1000_person_times', 'high']:.1f} 起；每起案件对应教育劝阻 "
             f"{o.loc['education_per_case', 'low']:.2f}–{o.loc['education_per_case', 'high']:.2f} 人次"
             f"（“余”按假设取范围）。",
             f"- City-wide order control: {o.loc['cases_per_1000_person_times', 'low']:.1f}–"
             f"{o.loc['cases_per_1000_person_times', 'high']:.1f} cases per 1,000 person-times; "
             f"{o.loc['education_per_case', 'low']:.2f}–{o.loc['education_per_case', 'high']:.2f} "
             f"education/persuasion acts per case ('more than' values read as ranges under the "
             f"assumption)."),
    ])


def plan_statement(plan_targets: pd.DataFrame, lang: str) -> str:
    """What the 2023 plan says about street order: its numeric targets and sentences, counted."""
    return common.plan_statement(plan_targets, PLAN_KEYWORDS, lang, domain_en="these domains")


def key_results(obs: pd.DataFrame, recognitions: pd.DataFrame, confidence: float,
                lang: str) -> dict[str, float | int | str]:
    """The headline numbers of the notebook, for its last cell (and the tests)."""
    table = measures(obs, lang=lang)
    r = ratios(obs, confidence, lang=lang).set_index("key")
    s = street_share_of_all_cases(obs).set_index("quantity")["value"]
    o = order_ratios(order_figures(obs, lang=lang), lang).set_index("key")
    rec = recognized(recognitions)
    out: dict[str, float | int | str] = {
        "lang": lang,
        "confidence": confidence,
        "street_measures": len(table),
        "street_cases": s["street_cases"],
        "street_share_upper_bound": s["share_upper_bound"],
        "street_share_lower_bound": s["share_lower_bound"],
    }
    for key in r.index:
        out[key] = r.loc[key, "value"]
        out[f"{key}_low"] = r.loc[key, "low"]
        out[f"{key}_high"] = r.loc[key, "high"]
    for key in o.index:
        out[f"order_{key}_low"] = o.loc[key, "low"]
        out[f"order_{key}_high"] = o.loc[key, "high"]
    out["recognized_street"] = ", ".join(rec.loc[rec["domain_id"] == DOMAIN, "scope_id"])
    out["recognized_order"] = ", ".join(rec.loc[rec["domain_id"] == ORDER_DOMAIN, "scope_id"])
    out["targets_2023"] = len(targets(obs))
    return out
