"""Demolition of illegal construction and removals (违法建筑, 拆违): programmes side by side.

Programmes and their measures are named by indicator id; values come from the observations.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from chengguan.analysis.common import format_value, pick, select, single, single_or_none
from chengguan.units import unit_label


@dataclass(frozen=True)
class Programme:
    """A demolition or removal programme of the 2022 report.

    ``area_indicator``: its floor area (m²), if reported; ``area_kind`` says what was done to that
    area ("demolished", "rectify_ordered", "restored"). ``count_indicator``: the count the area is
    divided by (cases or sites), when the report gives both for the same work.
    ``other_indicators``: further measures of the programme (removals, annotations, checks).
    """

    key: str
    name_zh: str
    name_en: str
    area_indicator: str | None = None
    area_kind: str = "demolished"
    count_indicator: str | None = None
    other_indicators: tuple[str, ...] = ()


CITYWIDE = "citywide"

PROGRAMMES: tuple[Programme, ...] = (
    Programme(CITYWIDE, "全市违法建筑", "City-wide illegal buildings",
              "illegal_building_area_demolished", "demolished", "illegal_building_cases"),
    Programme("residential", "小区违建", "Residential communities",
              "residential_illegal_building_area_demolished", "demolished", None,
              ("residential_illegal_building_annotations",)),
    Programme("riverside", "“一江一河”滨水区域", "Riverside (Huangpu River, Suzhou Creek)",
              "riverside_illegal_building_area_demolished", "demolished", None,
              ("riverside_signboards_removed", "riverside_outdoor_ad_facilities_removed",
               "riverside_kiosks_removed")),
    Programme("self_built_new", "自建房：拆除新建", "Self-built housing: new builds demolished",
              "self_built_new_demolished_area", "demolished", "self_built_new_demolished_sites"),
    Programme("self_built_inserted_floors", "自建房：恢复插层",
              "Self-built housing: inserted floors removed",
              "self_built_inserted_floors_restored_area", "restored",
              "self_built_inserted_floors_restored_sites"),
    Programme("self_built_extensions", "自建房：存量改扩建责令整改",
              "Self-built housing: extensions ordered to rectify",
              "self_built_extensions_rectify_area", "rectify_ordered",
              "self_built_extensions_rectify_sites"),
    Programme("self_built_campaign", "自建房百日攻坚：检查与查处",
              "Self-built housing campaign: checks and cases", None, "demolished", None,
              ("self_built_housing_checked", "self_built_housing_cases",
               "self_built_housing_annotations", "self_built_main_structures")),
    Programme("street", "街面户外广告与店招", "Street: outdoor advertising and shop signs",
              None, "demolished", None,
              ("outdoor_ad_facility_cases", "outdoor_ad_facilities_removed", "signboards_removed")),
)

AREA_KIND_WORDS = {
    "zh": {"demolished": "拆除", "restored": "恢复（拆除插层）", "rectify_ordered": "责令整改（未必拆除）"},
    "en": {"demolished": "demolished", "restored": "restored (inserted floors removed)",
           "rectify_ordered": "ordered to rectify (not necessarily demolished)"},
}


def _name(p: Programme, lang: str) -> str:
    return pick(lang, p.name_zh, p.name_en)


def measures(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """Every demolition and removal measure of ``year``, one row each, grouped by programme."""
    rows = []
    for p in PROGRAMMES:
        ids = [i for i in (p.area_indicator, p.count_indicator) if i] + list(p.other_indicators)
        for indicator_id in ids:
            r = single(obs, indicator_id, year=year)
            rows.append(
                {
                    "programme": p.key,
                    "programme_label": _name(p, lang),
                    "indicator_id": indicator_id,
                    "label": r["indicator_zh"] if lang == "zh" else r["indicator_en"],
                    "value": float(r["value"]),
                    "unit": r["unit"],
                    "qualifier": r["qualifier"],
                    "source_id": r["source_id"],
                }
            )
    return pd.DataFrame(rows)


def measures_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`measures` as a readable table."""
    return pd.DataFrame(
        {
            pick(lang, "项目", "programme"): table["programme_label"],
            pick(lang, "指标", "measure"): table["label"],
            pick(lang, "数值", "value"): [format_value(v, q, u, lang) for v, q, u in
                                        zip(table["value"], table["qualifier"], table["unit"])],
        }
    )


def areas(obs: pd.DataFrame, year: int = 2022, lang: str = "en") -> pd.DataFrame:
    """Floor area of each programme, area per case/site where both exist, share of the city total.

    ``share_of_citywide`` divides by the city-wide demolished area. The programmes are not
    disjoint parts of it: the residential and riverside areas are most likely *included* in the
    city-wide total, so shares must not be added up.
    """
    total = float(single(obs, PROGRAMMES[0].area_indicator or "", year=year)["value"])
    rows = []
    for p in PROGRAMMES:
        if p.area_indicator is None:
            continue
        area = single(obs, p.area_indicator, year=year)
        count = single_or_none(obs, p.count_indicator, year=year)
        value = float(area["value"])
        rows.append(
            {
                "programme": p.key,
                "programme_label": _name(p, lang),
                "area_kind": p.area_kind,
                "area_kind_label": AREA_KIND_WORDS["zh" if lang == "zh" else "en"][p.area_kind],
                "area_m2": value,
                "area_qualifier": area["qualifier"],
                "count_indicator": p.count_indicator,
                "count": float(count["value"]) if count is not None else np.nan,
                "count_unit": count["unit"] if count is not None else None,
                "area_per_count": value / float(count["value"]) if count is not None else np.nan,
                "share_of_citywide": value / total,
            }
        )
    return pd.DataFrame(rows)


def areas_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`areas` as a readable table."""
    per = []
    for v, u in zip(table["area_per_count"], table["count_unit"]):
        per.append("" if pd.isna(v) else
                   f"{v:,.1f} " + pick(lang, f"平方米/{unit_label(u, 'zh')}", f"m² per {u}"))
    return pd.DataFrame(
        {
            pick(lang, "项目", "programme"): table["programme_label"],
            pick(lang, "面积处理方式", "what was done"): table["area_kind_label"],
            pick(lang, "面积（平方米）", "area (m²)"): table["area_m2"].map(lambda v: f"{v:,.0f}"),
            pick(lang, "件数/处数", "cases/sites"): [
                "" if pd.isna(c) else format_value(c, "exact", u, lang)
                for c, u in zip(table["count"], table["count_unit"])
            ],
            pick(lang, "单位面积", "area per case/site"): per,
            pick(lang, "占全市拆违面积", "share of city-wide area"): table["share_of_citywide"].map(
                lambda v: f"{v:.2%}"
            ),
        }
    )


def plot_programmes(area_table: pd.DataFrame, measure_table: pd.DataFrame, lang: str,
                    log_scale: bool = True) -> Figure:
    """Top: floor area per programme with its share of the city-wide total. Bottom: counts of
    every removal measure, coloured by unit. A log axis keeps the small programmes visible."""
    counts = measure_table[measure_table["unit"] != "m2"].iloc[::-1]
    fig, (ax1, ax2) = plt.subplots(
        2, 1, figsize=(10, 3.2 + 0.3 * (len(area_table) + len(counts))),
        gridspec_kw={"height_ratios": [len(area_table) + 1.5, len(counts) + 1.5]},
    )
    kinds = {"demolished": "#b5472b", "restored": "#e39b5b", "rectify_ordered": "#9aa7b1"}
    a = area_table.iloc[::-1]
    ax1.barh(a["programme_label"], a["area_m2"], color=[kinds[k] for k in a["area_kind"]])
    for y, (_, r) in enumerate(a.iterrows()):
        x = r["area_m2"] * 1.12 if log_scale else r["area_m2"] + a["area_m2"].max() * 0.01
        ax1.text(x, y, f"{r['area_m2']:,.0f}  ({r['share_of_citywide']:.2%})", va="center",
                 fontsize=8)
    ax1.set_xlabel(pick(lang, "面积（平方米）；括号内为占全市拆违面积之比（子项目可能包含在全市总数内）",
                        "area (m²); in brackets: share of the city-wide demolished area "
                        "(sub-programmes may be part of it)"), fontsize=9)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in kinds.values()]
    ax1.legend(handles, list(AREA_KIND_WORDS["zh" if lang == "zh" else "en"].values()),
               fontsize=8, loc="lower right")
    units = list(dict.fromkeys(counts["unit"]))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colour = {u: palette[i % len(palette)] for i, u in enumerate(units)}
    ax2.barh(range(len(counts)), counts["value"], color=[colour[u] for u in counts["unit"]])
    ax2.set_yticks(range(len(counts)), list(counts["label"]), fontsize=8.5)
    programmes = list(counts["programme"])
    for y in range(1, len(programmes)):
        if programmes[y] != programmes[y - 1]:  # a dotted line between programmes
            ax2.axhline(y - 0.5, color="grey", lw=0.8, ls=":")
    for y, (_, r) in enumerate(counts.iterrows()):
        x = r["value"] * 1.12 if log_scale else r["value"] + counts["value"].max() * 0.01
        ax2.text(x, y, format_value(r["value"], r["qualifier"], r["unit"], lang), va="center",
                 fontsize=8)
    ax2.legend([plt.Rectangle((0, 0), 1, 1, color=colour[u]) for u in units],
               [unit_label(u, "zh" if lang == "zh" else "en") for u in units], fontsize=8,
               loc="lower right", title=pick(lang, "单位", "unit"), title_fontsize=8)
    ax2.set_xlabel(pick(lang, "数量（单位各异，见图例；不可相加）",
                        "count (units differ, see legend; not to be added)"), fontsize=9)
    for ax, top in ((ax1, area_table["area_m2"].max()), (ax2, counts["value"].max())):
        if log_scale:
            ax.set_xscale("log")
            ax.set_xlim(right=top * 60)
        else:
            ax.set_xlim(right=top * 1.35)
    scale = pick(lang, "对数坐标", "log scale") if log_scale else pick(lang, "线性坐标", "linear scale")
    ax1.set_title(pick(lang, f"各项目面积（{scale}）", f"Floor area by programme ({scale})"),
                  fontsize=10)
    ax2.set_title(pick(lang, f"拆除、整治、检查与查处数量（{scale}）",
                       f"Removals, rectifications, checks and cases ({scale})"), fontsize=10)
    fig.tight_layout()
    return fig


@dataclass(frozen=True)
class Reading:
    """One reading of which 2022 figure the 2023 target should be compared with."""

    key: str
    name_zh: str
    name_en: str
    base_indicators: tuple[str, ...]


AD_TARGET = "outdoor_ad_facilities_removed_panels"

AD_READINGS: tuple[Reading, ...] = (
    Reading("citywide_sites", "全市拆除违法户外广告设施（处）", "city-wide facilities removed (sites)",
            ("outdoor_ad_facilities_removed",)),
    Reading("riverside_panels", "“一江一河”拆除违法户外广告设施（块）",
            "riverside facilities removed (panels)", ("riverside_outdoor_ad_facilities_removed",)),
    Reading("sum_if_disjoint", "两者相加（假设互不重叠）", "both added (if they did not overlap)",
            ("outdoor_ad_facilities_removed", "riverside_outdoor_ad_facilities_removed")),
)


def target_growth(obs: pd.DataFrame, target_year: int = 2023, lang: str = "en") -> pd.DataFrame:
    """Growth over 2022 that the outdoor-advertising target requires, under each reading.

    ``required_ratio`` = target / base; ``required_growth`` = ratio - 1. ``same_unit`` is False
    when a base is counted in other units (处, sites) than the target (块, panels).
    """
    target = single(obs, AD_TARGET, status="target", year=target_year)
    rows = []
    for reading in AD_READINGS:
        bases = [single(obs, i, year=target_year - 1) for i in reading.base_indicators]
        base = sum(float(b["value"]) for b in bases)
        units = sorted({b["unit"] for b in bases})
        rows.append(
            {
                "reading": reading.key,
                "reading_label": pick(lang, reading.name_zh, reading.name_en),
                "base": base,
                "base_units": "+".join(units),
                "target": float(target["value"]),
                "target_unit": target["unit"],
                "target_qualifier": target["qualifier"],
                "required_ratio": float(target["value"]) / base,
                "required_growth": float(target["value"]) / base - 1.0,
                "same_unit": units == [target["unit"]],
            }
        )
    return pd.DataFrame(rows)


def growth_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`target_growth` as a readable table."""
    lz = "zh" if lang == "zh" else "en"
    return pd.DataFrame(
        {
            pick(lang, "口径", "reading"): table["reading_label"],
            pick(lang, "2022 年基数", "2022 base"): [
                f"{b:,.0f} " + "+".join(unit_label(u, lz) for u in us.split("+"))
                for b, us in zip(table["base"], table["base_units"])
            ],
            pick(lang, "2023 年目标", "2023 target"): [
                format_value(t, q, u, lang)
                for t, q, u in zip(table["target"], table["target_qualifier"], table["target_unit"])
            ],
            pick(lang, "所需增幅", "growth required"): table["required_growth"].map(
                lambda v: f"{v:+.1%}"
            ),
            pick(lang, "单位一致", "same unit"): table["same_unit"].map(
                {True: pick(lang, "是", "yes"), False: pick(lang, "否", "no")}
            ),
        }
    )


DISTRICT_INDICATORS: tuple[str, ...] = (
    "existing_illegal_buildings_registered",
    "existing_illegal_buildings_registered_area",
    "existing_illegal_buildings_demolished_sites",
    "existing_illegal_buildings_demolished_area",
    "new_illegal_buildings_demolished_sites",
    "new_illegal_buildings_demolished_area",
    "illegal_buildings_regularized_sites",
    "illegal_buildings_regularized_area",
    "ordinary_procedure_demolition_cases",
    "ordinary_procedure_cases",
    "cases_concluded",
)
"""District figures on illegal buildings from the supplementary district reports (other years)."""


@dataclass(frozen=True)
class DistrictRatio:
    """A ratio within one district report: ``numerator / denominator`` of the same scope and year.

    ``kind``: "share" (a part of a whole, shown as %) or "per" (m² per site and the like).
    """

    key: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str
    kind: str


DISTRICT_RATIOS: tuple[DistrictRatio, ...] = (
    DistrictRatio("stock_sites_demolished_share", "拆除存量违建占入库存量（处）",
                  "stock demolished as a share of the register (sites)",
                  "existing_illegal_buildings_demolished_sites",
                  "existing_illegal_buildings_registered", "share"),
    DistrictRatio("stock_area_demolished_share", "拆除存量违建占入库存量（面积）",
                  "stock demolished as a share of the register (area)",
                  "existing_illegal_buildings_demolished_area",
                  "existing_illegal_buildings_registered_area", "share"),
    DistrictRatio("stock_area_per_site", "拆除存量违建每处面积", "m² per stock site demolished",
                  "existing_illegal_buildings_demolished_area",
                  "existing_illegal_buildings_demolished_sites", "per"),
    DistrictRatio("new_area_per_site", "拆除新增违建每处面积", "m² per new site demolished",
                  "new_illegal_buildings_demolished_area", "new_illegal_buildings_demolished_sites",
                  "per"),
    DistrictRatio("demolition_share_of_ordinary_cases", "拆违案件占普通程序案件",
                  "demolition cases as a share of ordinary-procedure cases",
                  "ordinary_procedure_demolition_cases", "ordinary_procedure_cases", "share"),
    DistrictRatio("demolition_share_of_all_cases", "拆违案件占办结案件",
                  "demolition cases as a share of all cases concluded",
                  "ordinary_procedure_demolition_cases", "cases_concluded", "share"),
)


def district_context(obs: pd.DataFrame, indicator_ids: tuple[str, ...] = DISTRICT_INDICATORS,
                     lang: str = "en") -> pd.DataFrame:
    """District observations of ``indicator_ids`` (any year), labelled with scope and period."""
    rows = select(obs, indicator_ids, scope=None)
    rows = rows[rows["scope_kind"] == "district"].sort_values(
        ["scope_id", "period_start", "indicator_id"])
    return pd.DataFrame(
        {
            "scope_id": rows["scope_id"],
            "scope_name": rows["scope_name"],
            "year": rows["period_start"].dt.year,
            "indicator_id": rows["indicator_id"],
            "label": rows["indicator_zh"] if lang == "zh" else rows["indicator_en"],
            "value": rows["value"],
            "unit": rows["unit"],
            "qualifier": rows["qualifier"],
            "source_id": rows["source_id"],
            "reliability": rows["reliability"],
        }
    ).reset_index(drop=True)


def district_table(context: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`district_context` as a readable table, each row labelled with its year and scope."""
    return pd.DataFrame(
        {
            pick(lang, "区", "district"): context["scope_name"],
            pick(lang, "年份", "year"): context["year"],
            pick(lang, "指标", "indicator"): context["label"],
            pick(lang, "数值", "value"): [
                format_value(v, q, u, lang)
                for v, q, u in zip(context["value"], context["qualifier"], context["unit"])
            ],
            pick(lang, "来源", "source"): context["source_id"],
        }
    )


def district_ratios(obs: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Every :data:`DISTRICT_RATIOS` ratio in every district and year that has both figures."""
    rows = []
    for ratio in DISTRICT_RATIOS:
        num = select(obs, ratio.numerator, scope=None)
        den = select(obs, ratio.denominator, scope=None)
        both = num.merge(den, on=["scope_id", "period_start", "period_end"], suffixes=("_n", "_d"))
        for _, r in both.iterrows():
            value = float(r["value_n"]) / float(r["value_d"])
            rows.append(
                {
                    "scope_id": r["scope_id"],
                    "district": r["scope_name_n"],
                    "year": r["period_start"].year,
                    "ratio": ratio.key,
                    "label": pick(lang, ratio.name_zh, ratio.name_en),
                    "numerator": float(r["value_n"]),
                    "denominator": float(r["value_d"]),
                    "value": value,
                    "shown": f"{value:.2%}" if ratio.kind == "share" else f"{value:,.1f}",
                }
            )
    return pd.DataFrame(rows)


def observations_used(obs: pd.DataFrame, year: int = 2022) -> pd.DataFrame:
    """The observations behind the notebook: the programmes, the target, the district figures."""
    ids: set[str] = {AD_TARGET}
    for p in PROGRAMMES:
        ids |= {i for i in (p.area_indicator, p.count_indicator) if i} | set(p.other_indicators)
    city = obs[obs["indicator_id"].isin(ids) & (obs["scope_id"] == "city")
               & obs["period_start"].dt.year.isin([year, year + 1])]
    district = obs[obs["indicator_id"].isin(DISTRICT_INDICATORS)
                   & (obs["scope_kind"] == "district")]
    return pd.concat([city, district]).reset_index(drop=True)


def findings(area_table: pd.DataFrame, growth: pd.DataFrame, ratios: pd.DataFrame,
             lang: str) -> str:
    """Headline findings as Markdown bullets in ``lang``."""
    a = area_table.set_index("programme")
    city = a.loc[CITYWIDE]
    others = a.drop(index=CITYWIDE)
    biggest = others.sort_values("area_m2").iloc[-1]
    g = growth.set_index("reading")
    lines = [
        pick(lang,
             f"- 全市拆除违法建筑 {city['area_m2']:,.0f} 平方米，每起违法建筑案件合 "
             f"{city['area_per_count']:,.0f} 平方米。",
             f"- City-wide, {city['area_m2']:,.0f} m² of illegal buildings were demolished, "
             f"{city['area_per_count']:,.0f} m² per illegal-building case."),
        pick(lang,
             f"- 其余项目中面积最大的是{biggest['programme_label']}（{biggest['area_m2']:,.0f} 平方米，"
             f"相当于全市总数的 {biggest['share_of_citywide']:.1%}，很可能包含在总数之内）。",
             f"- The largest of the other programmes is {biggest['programme_label']} "
             f"({biggest['area_m2']:,.0f} m², {biggest['share_of_citywide']:.1%} of the city-wide "
             f"figure, most likely included in it)."),
        pick(lang,
             f"- 2023 年户外广告设施目标：若以全市 2022 年拆除数（处）为基数，需增长 "
             f"{g.loc['citywide_sites', 'required_growth']:.0%}；若以“一江一河”拆除数（块）为基数，需增长 "
             f"{g.loc['riverside_panels', 'required_growth']:.0%}。",
             f"- The 2023 outdoor-advertising target requires "
             f"{g.loc['citywide_sites', 'required_growth']:+.0%} over the city-wide 2022 removals "
             f"(counted in sites) or {g.loc['riverside_panels', 'required_growth']:+.0%} over the "
             f"riverside removals (counted in panels)."),
    ]
    for _, r in ratios[ratios["ratio"].isin(["stock_sites_demolished_share",
                                             "demolition_share_of_ordinary_cases"])].iterrows():
        lines.append(f"- {r['district']} {r['year']}: {r['label']} {r['shown']}")
    return "\n".join(lines)


def key_results(obs: pd.DataFrame, lang: str) -> dict[str, float | int | str]:
    """The headline numbers of the notebook, for its last cell (and the tests)."""
    a = areas(obs, lang=lang).set_index("programme")
    g = target_growth(obs, lang=lang).set_index("reading")
    r = district_ratios(obs, lang=lang)
    out: dict[str, float | int | str] = {
        "lang": lang,
        "measures": len(measures(obs, lang=lang)),
        "citywide_area_m2": a.loc[CITYWIDE, "area_m2"],
        "citywide_area_per_case": a.loc[CITYWIDE, "area_per_count"],
        "residential_share_of_citywide": a.loc["residential", "share_of_citywide"],
        "riverside_share_of_citywide": a.loc["riverside", "share_of_citywide"],
        "self_built_new_area_per_site": a.loc["self_built_new", "area_per_count"],
        "ad_growth_citywide_sites": g.loc["citywide_sites", "required_growth"],
        "ad_growth_riverside_panels": g.loc["riverside_panels", "required_growth"],
        "ad_growth_sum_if_disjoint": g.loc["sum_if_disjoint", "required_growth"],
    }
    for _, row in r.iterrows():
        out[f"{row['scope_id']}_{row['year']}_{row['ratio']}"] = row["value"]
    return out


def district_ratios_table(ratios: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`district_ratios` as a readable table."""
    return pd.DataFrame(
        {
            pick(lang, "区", "district"): ratios["district"],
            pick(lang, "年份", "year"): ratios["year"],
            pick(lang, "比值", "ratio"): ratios["label"],
            pick(lang, "计算", "computed as"): [f"{n:,.2f} / {d:,.2f}".replace(".00", "")
                                              for n, d in zip(ratios["numerator"],
                                                              ratios["denominator"])],
            pick(lang, "结果", "value"): ratios["shown"],
        }
    )
