"""Residential communities (住宅小区): housing-management cases, rectification, green space.

The breakdown of housing-management cases (房屋管理类案件) follows the ``parent_id`` links of the
indicator catalog: the source lists parts after 其中, and the parts need not add up to the total.
What the listed parts leave unexplained is computed, never typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from chengguan.analysis import common, demolition
from chengguan.analysis.common import format_value, indicator_label, pick, select, single
from chengguan.stats import poisson_rate, proportion

DOMAIN = "residential_communities"
HOUSING_CASES = "housing_management_cases"
REMAINDER = "remainder"
CASE_EXAMPLE = "minimum_rental_unit_penalty_example"


def housing_breakdown(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """The housing-management total, its listed parts (largest first) and the remainder.

    Parts are the city-wide observations of ``year`` whose indicator has the total as parent.
    ``remainder`` = total − sum of the listed parts: cases of other kinds, or of no listed kind
    (negative would mean the parts overlap). Columns: indicator_id, label, kind ("total", "part",
    "remainder"), value, share (of the total), source_id.
    """
    total = single(obs, HOUSING_CASES, year=year)
    ids = obs.loc[obs["parent_id"] == HOUSING_CASES, "indicator_id"].unique().tolist()
    parts = select(obs, ids, year=year).sort_values("value", ascending=False)
    if parts.empty:
        raise LookupError(f"no listed parts of {HOUSING_CASES!r} in {year}")
    t = float(total["value"])
    rows = [{"indicator_id": HOUSING_CASES, "label": indicator_label(total, lang), "kind": "total",
             "value": t, "share": 1.0, "source_id": total["source_id"]}]
    for _, p in parts.iterrows():
        rows.append({"indicator_id": p["indicator_id"], "label": indicator_label(p, lang), "kind": "part",
                     "value": float(p["value"]), "share": float(p["value"]) / t,
                     "source_id": p["source_id"]})
    rest = t - float(parts["value"].sum())
    rows.append({"indicator_id": REMAINDER,
                 "label": pick(lang, "未列明部分（总数减各列明项，计算所得）",
                               "not listed (total minus the listed parts, computed)"),
                 "kind": "remainder", "value": rest, "share": rest / t, "source_id": ""})
    return pd.DataFrame(rows)


def breakdown_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`housing_breakdown` as a readable table."""
    kinds = {"total": pick(lang, "总数", "total"), "part": pick(lang, "其中", "of which"),
             "remainder": pick(lang, "计算", "computed")}
    return pd.DataFrame({
        pick(lang, "类别", "category"): table["label"],
        pick(lang, "类型", "kind"): table["kind"].map(kinds),
        pick(lang, "案件（起）", "cases"): table["value"].map(lambda v: f"{v:,.0f}"),
        pick(lang, "占总数", "share of total"): table["share"].map(lambda v: f"{v:.1%}"),
        pick(lang, "来源", "source"): table["source_id"],
    })


def plot_breakdown(table: pd.DataFrame, lang: str) -> Figure:
    """Top: the total as one strip divided into its parts and the remainder (hatched).
    Bottom: the same parts as bars, largest first, with the total for scale."""
    parts = table[table["kind"] != "total"].reset_index(drop=True)
    total = float(table.loc[table["kind"] == "total", "value"].iloc[0])
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colours = [("#d0d0d0" if k == "remainder" else palette[i % len(palette)])
               for i, k in enumerate(parts["kind"])]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.2), gridspec_kw={"height_ratios": [1, 3.2]})
    left = 0.0
    for (_, p), c in zip(parts.iterrows(), colours):
        top.barh(0, p["value"], left=left, color=c, edgecolor="white",
                 hatch="//" if p["kind"] == "remainder" else None)
        if p["share"] >= 0.05:
            top.text(left + p["value"] / 2, 0, f"{p['share']:.0%}", ha="center", va="center",
                     fontsize=8.5, color="black")
        left += max(p["value"], 0.0)
    top.set_xlim(0, max(total, left))
    top.set_yticks([])
    top.set_title(pick(lang, f"房屋管理类案件 {total:,.0f} 起：各列明项与未列明部分",
                       f"Housing-management cases ({total:,.0f}): listed parts and the rest"),
                  fontsize=10)
    y = np.arange(len(parts))[::-1]
    bottom.barh(y, parts["value"], color=colours,
                edgecolor=["#777777" if k == "remainder" else c for k, c in zip(parts["kind"], colours)])
    for yi, (_, p) in zip(y, parts.iterrows()):
        bottom.text(p["value"] + total * 0.01, yi, f"{p['value']:,.0f}  ({p['share']:.1%})",
                    va="center", fontsize=8)
    bottom.set_yticks(y, parts["label"], fontsize=8.5)
    bottom.set_xlim(0, parts["value"].max() * 1.3)
    bottom.set_xlabel(pick(lang, "案件（起）；括号内为占总数之比", "cases; in brackets: share of the total"),
                      fontsize=9)
    fig.tight_layout()
    return fig


@dataclass(frozen=True)
class Rectification:
    """Rectified sites (or annotated dwellings) against the cases of one violation."""

    key: str
    name_zh: str
    name_en: str
    cases: str
    outcome: str
    kind: str = "proportion"  # "proportion" (binomial) or "rate" (Poisson)


RECTIFICATIONS: tuple[Rectification, ...] = (
    Rectification("green_space", "占绿毁绿：整改处 ÷ 案件", "green space: sites rectified per case",
                  "green_space_encroachment_cases", "green_space_encroachment_rectified"),
    Rectification("load_bearing", "损坏承重结构：整改处 ÷ 案件", "load-bearing: sites rectified per case",
                  "load_bearing_structure_cases", "load_bearing_structure_rectified"),
    Rectification("use_change", "改变使用性质：整改处 ÷ 案件", "change of use: sites rectified per case",
                  "use_change_cases", "use_change_rectified"),
    Rectification("load_bearing_annotated", "损坏承重结构：注记套 ÷ 案件",
                  "load-bearing: dwellings annotated per case",
                  "load_bearing_structure_cases", "load_bearing_structure_annotations", "rate"),
)


def rectification(obs: pd.DataFrame, confidence: float = 0.95, year: int = 2022,
                  lang: str = "en") -> pd.DataFrame:
    """Each :data:`RECTIFICATIONS` ratio with its interval at ``confidence``.

    Rectified sites (处) are set against cases (起) as a proportion, assuming one site per case;
    the interval is Clopper-Pearson. Annotated dwellings per case are a Poisson rate. Columns:
    key, label, kind, cases, outcome, value, low, high, method, gap (cases − outcome).
    """
    rows = []
    for r in RECTIFICATIONS:
        cases, outcome = single(obs, r.cases, year=year), single(obs, r.outcome, year=year)
        n, k = float(cases["value"]), float(outcome["value"])
        rate = proportion(k, n, confidence) if r.kind == "proportion" else poisson_rate(k, n, confidence)
        rows.append({"key": r.key, "label": pick(lang, r.name_zh, r.name_en), "kind": r.kind,
                     "cases": n, "outcome": k, "value": rate.value, "low": rate.low,
                     "high": rate.high, "method": rate.method, "gap": n - k})
    return pd.DataFrame(rows)


def rectification_table(table: pd.DataFrame, lang: str, confidence: float) -> pd.DataFrame:
    """:func:`rectification` as a readable table."""
    pct = common.confidence_label(confidence)
    return pd.DataFrame({
        pick(lang, "比值", "ratio"): table["label"],
        pick(lang, "计算", "computed as"): [f"{k:,.0f} / {n:,.0f}" for k, n in
                                          zip(table["outcome"], table["cases"])],
        pick(lang, "结果", "value"): table["value"].map(lambda v: f"{v:.1%}"),
        pick(lang, f"{pct} 区间", f"{pct} interval"): [f"{lo:.1%}–{hi:.1%}" for lo, hi in
                                                     zip(table["low"], table["high"])],
        pick(lang, "方法", "method"): table["method"],
    })


def plot_rectification(table: pd.DataFrame, lang: str, confidence: float) -> Figure:
    """Each ratio as a point with its interval, on a 0–100% axis."""
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.2))
    y = np.arange(len(table))[::-1]
    for yi, (_, r) in zip(y, table.iterrows()):
        ax.errorbar(r["value"], yi, xerr=[[r["value"] - r["low"]], [r["high"] - r["value"]]],
                    fmt="o" if r["kind"] == "proportion" else "s", color="#009E73", capsize=4)
        text = f"{r['value']:.1%} ({r['outcome']:,.0f}/{r['cases']:,.0f})"
        ax.text(min(r["high"] + 0.02, 1.0), yi + 0.22, text, fontsize=8,
                ha="right" if r["high"] > 0.85 else "left")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(-0.6, len(table) - 0.1)  # room for the label above the top row
    ax.set_yticks(y, table["label"], fontsize=8.5)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.set_title(pick(lang, f"整改与注记（{common.confidence_label(confidence)} 区间；整改可能落在以后的时期）",
                      f"Rectification and annotation ({common.confidence_label(confidence)} intervals; rectification "
                      "may fall in a later period)"), fontsize=10)
    fig.tight_layout()
    return fig


def residential_demolition(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """Residential illegal structures demolished and dwellings annotated, with the area's ratio to
    the city-wide demolished area (from :func:`chengguan.analysis.demolition.areas`; most likely a
    part of it, not an addition). Columns: label, value, unit, qualifier, note."""
    area = single(obs, "residential_illegal_building_area_demolished", year=year)
    notes = single(obs, "residential_illegal_building_annotations", year=year)
    a = demolition.areas(obs, year, lang).set_index("programme")
    share = float(a.loc["residential", "share_of_citywide"])
    city = float(a.loc[demolition.CITYWIDE, "area_m2"])
    return pd.DataFrame([
        {"label": indicator_label(area, lang), "value": float(area["value"]), "unit": area["unit"],
         "qualifier": area["qualifier"], "note": ""},
        {"label": indicator_label(notes, lang), "value": float(notes["value"]), "unit": notes["unit"],
         "qualifier": notes["qualifier"], "note": ""},
        {"label": pick(lang, "小区拆违面积 ÷ 全市拆违面积", "residential area ÷ city-wide demolished area"),
         "value": share, "unit": "ratio", "qualifier": "exact",
         "note": pick(lang, f"全市 {city:,.0f} 平方米；小区部分很可能包含在内",
                      f"city-wide {city:,.0f} m²; the residential part is most likely included")},
    ])


def demolition_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`residential_demolition` as a readable table."""
    shown = [f"{v:.1%}" if u == "ratio" else format_value(v, q, u, lang)
             for v, u, q in zip(table["value"], table["unit"], table["qualifier"])]
    return pd.DataFrame({pick(lang, "指标", "measure"): table["label"],
                         pick(lang, "数值", "value"): shown,
                         pick(lang, "说明", "note"): table["note"]})


RECOGNITION_KEYWORDS: tuple[str, ...] = ("房地产经纪", "群租", "物业")
"""Words that tie a recognition of another domain to housing management."""

PLAN_KEYWORDS: tuple[str, ...] = ("小区", "房屋", "群租", "住宅", "物业")


def recognized(recognitions: pd.DataFrame) -> pd.DataFrame:
    """Recognitions of the domain, plus those of any domain naming a housing-management word."""
    return common.recognitions_matching(recognitions, (DOMAIN,), RECOGNITION_KEYWORDS)


def recognized_table(recognitions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`common.recognitions_table` with the domain each statement belongs to."""
    table = common.recognitions_table(recognitions, lang)
    table.insert(2, pick(lang, "领域", "domain"), recognitions["domain_name"].to_numpy())
    return table


def case_example(obs: pd.DataFrame, recognitions: pd.DataFrame, lang: str,
                 year: int = 2022) -> str:
    """The case the report cites (Xuhui, minimum rental unit rule) as Markdown: fine and quote."""
    fine = single(obs, CASE_EXAMPLE, scope=None, year=year)
    recs = recognitions[(recognitions["domain_id"] == DOMAIN)
                        & (recognitions["kind"] == "case_example")]
    quote = recs["quote"].iloc[0] if len(recs) else fine["quote"]
    value = format_value(float(fine["value"]), fine["qualifier"], fine["unit"], lang)
    return pick(
        lang,
        f"**{fine['scope_name']}**：罚款 {value}（一起案件，不是总数）。\n\n> {common.escape(quote)}",
        f"**{fine['scope_name']}**: a fine of {value} (one case, not a total).\n\n"
        f"> {common.escape(quote)}",
    )


def observations_used(obs: pd.DataFrame) -> pd.DataFrame:
    """Every observation of the domain, and the city-wide demolished area the share divides by."""
    own = obs[obs["domain_id"] == DOMAIN]
    city_area = obs[(obs["indicator_id"] == "illegal_building_area_demolished")
                    & (obs["scope_id"] == "city")]
    return pd.concat([own, city_area]).reset_index(drop=True)


def targets(obs: pd.DataFrame) -> pd.DataFrame:
    """The 2023 plan's numeric targets in the domain."""
    own = obs[obs["domain_id"] == DOMAIN]
    return own[own["status"] == "target"].reset_index(drop=True)


def plan_statement(plan_targets: pd.DataFrame, lang: str) -> str:
    """What the 2023 plan says about residential communities: targets and sentences, counted."""
    return common.plan_statement(plan_targets, PLAN_KEYWORDS, lang)


def findings(breakdown: pd.DataFrame, rect: pd.DataFrame, lang: str) -> str:
    """Markdown bullets with the headline numbers, in ``lang``."""
    b = breakdown.set_index("indicator_id")
    total, rest = b.loc[HOUSING_CASES], b.loc[REMAINDER]
    parts = breakdown[breakdown["kind"] == "part"]
    biggest = parts.iloc[0]
    r = rect.set_index("key")
    lines = [pick(
        lang,
        f"- 房屋管理类案件 {total['value']:,.0f} 起；列明的 {len(parts)} 类合计 {parts['value'].sum():,.0f} 起，"
        f"余下 {rest['value']:,.0f} 起（{rest['share']:.1%}）未列明类别。最大一类是{biggest['label']}"
        f"（{biggest['share']:.1%}）。",
        f"- {total['value']:,.0f} housing-management cases; the {len(parts)} listed kinds add up to "
        f"{parts['value'].sum():,.0f}, leaving {rest['value']:,.0f} ({rest['share']:.1%}) of no "
        f"listed kind. The largest listed kind is {biggest['label']} ({biggest['share']:.1%}).",
    )]
    for key, row in r.iterrows():
        lines.append(f"- {row['label']}: **{row['value']:.1%}** ({row['outcome']:,.0f}/"
                     f"{row['cases']:,.0f}; {row['low']:.1%}–{row['high']:.1%})")
    return "\n".join(lines)


def key_results(obs: pd.DataFrame, recognitions: pd.DataFrame, confidence: float,
                lang: str) -> dict[str, float | int | str]:
    """The headline numbers of the notebook, for its last cell (and the tests)."""
    b = housing_breakdown(obs, lang=lang)
    by = b.set_index("indicator_id")
    r = rectification(obs, confidence, lang=lang).set_index("key")
    d = residential_demolition(obs, lang=lang)
    rec = recognized(recognitions)
    out: dict[str, float | int | str] = {
        "lang": lang,
        "confidence": confidence,
        "housing_cases": by.loc[HOUSING_CASES, "value"],
        "listed_parts": int((b["kind"] == "part").sum()),
        "listed_sum": float(b.loc[b["kind"] == "part", "value"].sum()),
        "remainder": by.loc[REMAINDER, "value"],
        "remainder_share": by.loc[REMAINDER, "share"],
    }
    for key in r.index:
        out[f"{key}_ratio"] = r.loc[key, "value"]
        out[f"{key}_low"] = r.loc[key, "low"]
        out[f"{key}_high"] = r.loc[key, "high"]
    out["residential_share_of_citywide_area"] = float(d["value"].iloc[-1])
    out["top_ranked"] = ", ".join(rec.loc[(rec["kind"] == "top_ranked")
                                          & (rec["domain_id"] == DOMAIN), "scope_id"])
    out["case_example_fine"] = float(single(obs, CASE_EXAMPLE, scope=None)["value"])
    out["targets_2023"] = len(targets(obs))
    return out
