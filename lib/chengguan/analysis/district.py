"""One district (or unit) at a time: what the 2022 summary says about it, the figures attributed to
it, district-report figures of other years, and how often it is singled out compared with its peers.

Everything is computed from the tables for the scope id given; a scope with no figure or no
recognition gets empty tables and a statement that says so.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from chengguan.analysis import common
from chengguan.analysis.common import (
    BOUND_WORDS,
    RELIABILITY_WORDS,
    bound_of_ratio,
    format_value,
    period_label,
    pick,
)
from chengguan.sources import PRIMARY_SOURCE_ID
from chengguan.units import unit_label

KINDS: tuple[str, ...] = ("top_ranked", "hosted_meeting", "good_practice", "case_example", "initiative")
"""Recognition kinds, from the strongest statement to the weakest (the order of the bars)."""

def _kind_word(kind: str, lang: str) -> str:
    return common.RECOGNITION_KIND_WORDS["zh" if lang == "zh" else "en"].get(kind, kind)


def _shown(value: float, qualifier: str, unit: str | None, lang: str) -> str:
    """:func:`format_value`, with two decimals for a value printed with decimals (61603.83)."""
    digits = None if float(value).is_integer() or abs(value) < 1000 else 2
    return format_value(value, qualifier, unit, lang, digits=digits)


def scope_info(scopes: pd.DataFrame, scope: str) -> pd.Series:
    """The row of ``scopes`` (``load_scopes()``) for ``scope``; ``KeyError`` if unknown."""
    rows = scopes[scopes["scope_id"] == scope]
    if rows.empty:
        raise KeyError(f"unknown scope {scope!r}")
    return rows.iloc[0]


def scope_name(scopes: pd.DataFrame, scope: str, lang: str) -> str:
    """The scope's name in ``lang``."""
    row = scope_info(scopes, scope)
    return str(row["name_zh"] if lang == "zh" else row["name_en"])


# -- recognitions --------------------------------------------------------------------------------


def recognitions_of(recognitions: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Every recognition of ``scope``, strongest kind first, then in report order."""
    rows = recognitions[recognitions["scope_id"] == scope]
    order = rows["kind"].map({k: i for i, k in enumerate(KINDS)}).fillna(len(KINDS))
    return rows.assign(_order=order).sort_values(["_order", "recognition_id"]).drop(
        columns="_order").reset_index(drop=True)


def recognitions_table(recs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`recognitions_of` as a readable table: domain, kind, bold, period, sentence."""
    return pd.DataFrame({
        pick(lang, "领域", "domain"): recs["domain_name"],
        pick(lang, "类型", "kind"): recs["kind"].map(lambda k: _kind_word(k, lang)),
        pick(lang, "加粗", "bold"): recs["bold"].map({True: pick(lang, "是", "yes"),
                                                   False: pick(lang, "否", "no")}),
        pick(lang, "时期", "period"): [period_label(s, e, lang) for s, e in
                                     zip(recs["period_start"], recs["period_end"])],
        pick(lang, "原文", "quote"): recs["quote"],
        pick(lang, "来源", "source"): recs["source_id"],
    })


def recognition_counts(recognitions: pd.DataFrame, scopes: pd.DataFrame, obs: pd.DataFrame,
                       kind: str = "district", lang: str = "en") -> pd.DataFrame:
    """Recognitions per scope of ``kind`` (every such scope, zeros included), most first.

    Columns: scope_id, name, one column per recognition kind, total, observations (figures
    attributed to the scope, any source), rank (1 = most; tied scopes share the best rank).
    """
    peers = scopes[scopes["kind"] == kind]
    recs = recognitions[recognitions["scope_id"].isin(peers["scope_id"])]
    counts = pd.crosstab(recs["scope_id"], recs["kind"]).reindex(
        index=peers["scope_id"], columns=list(KINDS), fill_value=0)
    counts = counts.fillna(0).astype(int)
    out = counts.reset_index().rename(columns={"index": "scope_id"})
    out.insert(1, "name", (peers["name_zh"] if lang == "zh" else peers["name_en"]).to_numpy())
    out["total"] = out[list(KINDS)].sum(axis=1)
    n_obs = obs["scope_id"].value_counts()
    out["observations"] = out["scope_id"].map(n_obs).fillna(0).astype(int)
    out = out.sort_values(["total", "top_ranked", "scope_id"], ascending=[False, False, True])
    out["rank"] = out["total"].rank(method="min", ascending=False).astype(int)
    return out.reset_index(drop=True)


def counts_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`recognition_counts` as a readable table."""
    table = pd.DataFrame({pick(lang, "名次", "rank"): counts["rank"],
                          pick(lang, "区/单位", "district/unit"): counts["name"]})
    for k in KINDS:
        table[_kind_word(k, lang)] = counts[k]
    table[pick(lang, "合计", "total")] = counts["total"]
    table[pick(lang, "归属该区的数字", "figures attributed")] = counts["observations"]
    return table


def plot_recognition_counts(counts: pd.DataFrame, scope: str, lang: str) -> Figure:
    """Stacked bars of recognitions by kind for every peer, ranked; ``scope`` highlighted."""
    fig, ax = plt.subplots(figsize=(8.5, 0.32 * len(counts) + 1.5))
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    y = np.arange(len(counts))[::-1]
    chosen = (counts["scope_id"] == scope).to_numpy()
    left = np.zeros(len(counts))
    for i, k in enumerate(KINDS):
        values = counts[k].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=palette[i % len(palette)], label=_kind_word(k, lang),
                edgecolor=["black" if c else "none" for c in chosen],
                linewidth=[1.4 if c else 0 for c in chosen])
        left += values
    ax.set_yticks(y, counts["name"], fontsize=8.5)
    # Highlight by colour and a band, not bold: CJK fonts often ship one weight only.
    for tick, c in zip(ax.get_yticklabels(), chosen):
        if c:
            tick.set_color("#D55E00")
    for yi, total, c in zip(y, counts["total"], chosen):
        if c:
            ax.axhspan(yi - 0.5, yi + 0.5, color="#D55E00", alpha=0.12, zorder=0)
        ax.text(total + 0.1, yi, str(total), va="center", fontsize=8,
                color="#D55E00" if c else "black")
    ax.set_xlim(0, max(1, counts["total"].max()) * 1.15 + 0.5)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set_xlabel(pick(lang, "2022 年总结点名次数（一句一次）", "times named in the 2022 summary (one per sentence)"),
                  fontsize=9)
    ax.set_title(pick(lang, "各区被点名次数（按类型）", "Times each district is named, by kind"), fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


# -- figures attributed to the scope --------------------------------------------------------------


def observations_of(obs: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Every observation attributed to ``scope`` (2022 summary and other sources), by period."""
    rows = obs[obs["scope_id"] == scope]
    return rows.sort_values(["period_start", "source_id", "observation_id"]).reset_index(drop=True)


def observations_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`observations_of` as a readable table: origin, period, figure, quote, reliability."""
    words = RELIABILITY_WORDS["zh" if lang == "zh" else "en"]
    origin = rows["source_id"].map(lambda s: pick(lang, "2022 年总结", "2022 summary")
                                   if s == PRIMARY_SOURCE_ID else pick(lang, "补充来源", "supplementary"))
    label = "indicator_zh" if lang == "zh" else "indicator_en"
    return pd.DataFrame({
        pick(lang, "出处", "origin"): origin,
        pick(lang, "时期", "period"): [period_label(s, e, lang) for s, e in
                                     zip(rows["period_start"], rows["period_end"])],
        pick(lang, "领域", "domain"): rows["domain_name"],
        pick(lang, "指标", "indicator"): rows[label],
        pick(lang, "数值", "value"): [_shown(v, q, u, lang) for v, q, u in
                                    zip(rows["value"], rows["qualifier"], rows["unit"])],
        pick(lang, "原文", "quote"): rows["quote"],
        pick(lang, "来源", "source"): rows["source_id"],
        pick(lang, "可靠性", "reliability"): rows["reliability"].map(words),
    })


def district_report_figures(obs: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The scope's figures from its own district reports (any year), with a ``year`` column."""
    rows = observations_of(obs, scope)
    rows = rows[rows["source_kind"] == "district_report"].copy()
    rows["year"] = rows["period_start"].dt.year
    return rows.reset_index(drop=True)


def years_table(rows: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """District-report figures as indicator × year, each cell the value as printed (with its
    qualifier mark), plus the indicator's definition. Empty when there are none."""
    if rows.empty:
        return pd.DataFrame()
    label = "indicator_zh" if lang == "zh" else "indicator_en"
    shown = rows.assign(
        shown=[_shown(v, q, u, lang) for v, q, u in
               zip(rows["value"], rows["qualifier"], rows["unit"])],
        period=[period_label(s, e, lang) for s, e in zip(rows["period_start"], rows["period_end"])],
    )
    pivot = shown.pivot_table(index=["indicator_id", label], columns="period", values="shown",
                              aggfunc="first").fillna("—")
    pivot = pivot.reset_index()
    definitions = indicators.set_index("indicator_id")["description"]
    pivot.insert(2, pick(lang, "口径（英文）", "definition"), pivot["indicator_id"].map(definitions))
    pivot = pivot.drop(columns="indicator_id").rename(columns={label: pick(lang, "指标", "indicator")})
    pivot.columns.name = None
    return pivot


def year_changes(rows: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Indicators the scope's reports give in two or more years: first and last value, change.

    Columns: indicator_id, label, unit, first_year, last_year, first, last, first_qualifier,
    last_qualifier, change (last/first − 1), bound (of the change, from the qualifiers), years.
    """
    columns = ["indicator_id", "label", "unit", "first_year", "last_year", "first", "last",
               "first_qualifier", "last_qualifier", "change", "bound", "years"]
    out = []
    if rows.empty:
        return pd.DataFrame(columns=columns)
    for indicator_id, part in rows.groupby("indicator_id", sort=False):
        if part["year"].nunique() < 2:
            continue
        part = part.sort_values("period_start")
        a, b = part.iloc[0], part.iloc[-1]
        out.append({
            "indicator_id": indicator_id,
            "label": a["indicator_zh"] if lang == "zh" else a["indicator_en"],
            "unit": a["unit"],
            "first_year": int(a["year"]),
            "last_year": int(b["year"]),
            "first": float(a["value"]),
            "last": float(b["value"]),
            "first_qualifier": a["qualifier"],
            "last_qualifier": b["qualifier"],
            "change": float(b["value"]) / float(a["value"]) - 1.0,
            "bound": bound_of_ratio(b["qualifier"], a["qualifier"]),
            "years": ", ".join(str(y) for y in sorted(part["year"].unique())),
        })
    return pd.DataFrame(out, columns=columns)


def changes_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`year_changes` as a readable table."""
    words = BOUND_WORDS["zh" if lang == "zh" else "en"]
    return pd.DataFrame({
        pick(lang, "指标", "indicator"): changes["label"],
        pick(lang, "年份", "years"): changes["years"],
        pick(lang, "首年", "first"): [f"{y}: {_shown(v, q, u, lang)}" for y, v, q, u in
                                    zip(changes["first_year"], changes["first"],
                                        changes["first_qualifier"], changes["unit"])],
        pick(lang, "末年", "last"): [f"{y}: {_shown(v, q, u, lang)}" for y, v, q, u in
                                   zip(changes["last_year"], changes["last"],
                                       changes["last_qualifier"], changes["unit"])],
        pick(lang, "变化", "change"): changes["change"].map(lambda v: f"{v:+.1%}"),
        pick(lang, "性质", "reading"): changes["bound"].map(lambda b: words[b]),
    })


def changes_statement(changes: pd.DataFrame, reports: pd.DataFrame, name: str, lang: str) -> str:
    """One Markdown paragraph on what can be compared across years (says so when nothing can)."""
    if reports.empty:
        return pick(lang, f"项目收集的来源中没有{name}的区级报告，因此没有跨年比较。",
                    f"The project's sources hold no district report of {name}, so there is no "
                    f"comparison across years.")
    if changes.empty:
        years = "、".join(str(y) for y in sorted(reports["year"].unique()))
        return pick(lang, f"{name}的区级报告数字来自 {years} 年，但没有一个指标出现在两个年份，无法比较变化。",
                    f"{name}'s district-report figures are from {years.replace('、', ', ')}, but "
                    f"no indicator appears in two years, so no change can be computed.")
    lines = [pick(lang, f"{name}的区级报告在两个以上年份给出同一指标的有 {len(changes)} 项：",
                  f"{name}'s district reports give {len(changes)} indicator(s) in two or more years:")]
    words = BOUND_WORDS["zh" if lang == "zh" else "en"]
    for _, c in changes.iterrows():
        note = f"（{words[c['bound']]}）" if lang == "zh" and words[c["bound"]] else (
            f" ({words[c['bound']]})" if words[c["bound"]] else "")
        lines.append(f"- {c['label']}: {c['first_year']}→{c['last_year']} **{c['change']:+.1%}**{note}")
    return "\n".join(lines)


def plot_years(rows: pd.DataFrame, changes: pd.DataFrame, lang: str) -> Figure | None:
    """One small panel per indicator given in two or more years: a bar per year. ``None`` when
    no indicator is given twice (nothing to compare)."""
    if changes.empty:
        return None
    n = len(changes)
    cols = min(3, n)
    nrows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(nrows, cols, figsize=(3.3 * cols, 2.6 * nrows + 0.6), squeeze=False)
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (_, c) in zip(axes.flat, changes.iterrows()):
        part = rows[rows["indicator_id"] == c["indicator_id"]].sort_values("period_start")
        years = part["year"].astype(str).tolist()
        ax.bar(years, part["value"], color=[palette[i % len(palette)] for i in range(len(part))])
        for x, (_, r) in enumerate(part.iterrows()):
            ax.text(x, r["value"], format_value(r["value"], r["qualifier"], None, lang), ha="center",
                    va="bottom", fontsize=7.5)
        unit = unit_label(c["unit"], "zh" if lang == "zh" else "en")
        ax.set_title(f"{c['label']}\n({unit})", fontsize=8)
        ax.set_ylim(0, part["value"].max() * 1.2)
        ax.tick_params(labelsize=7.5)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(pick(lang, "区级报告中两年以上都有的指标（各年口径见上表）",
                      "Indicators the district reports give in two or more years (definitions above)"),
                 fontsize=10)
    fig.tight_layout()
    return fig


# -- the statement --------------------------------------------------------------------------------


def profile_statement(name: str, recs: pd.DataFrame, own: pd.DataFrame, counts: pd.DataFrame,
                      scope: str, lang: str, kind: str = "district") -> str:
    """Markdown sentences summarising the profile, written from the computed tables.

    Says plainly when the scope has no recognition or no figure. ``counts`` is
    :func:`recognition_counts` for the scope's peers (of ``kind``).
    """
    row = counts[counts["scope_id"] == scope]
    peers = len(counts)
    primary = own[own["source_id"] == PRIMARY_SOURCE_ID]
    other = own[own["source_id"] != PRIMARY_SOURCE_ID]
    lines: list[str] = []
    if recs.empty:
        lines.append(pick(lang, f"- 2022 年总结没有点名{name}。",
                          f"- The 2022 summary does not name {name}."))
    else:
        kinds = recs["kind"].value_counts()
        parts = "、".join(f"{_kind_word(k, 'zh')} {kinds[k]} 次" for k in KINDS if k in kinds)
        parts_en = ", ".join(f"{_kind_word(k, 'en')} {kinds[k]}" for k in KINDS if k in kinds)
        domains = recs["domain_name"].nunique()
        lines.append(pick(lang,
                          f"- 2022 年总结点名{name} {len(recs)} 次，涉及 {domains} 个领域（{parts}）。",
                          f"- The 2022 summary names {name} {len(recs)} times, in {domains} "
                          f"domain(s) ({parts_en})."))
    if not row.empty:
        rank, total = int(row["rank"].iloc[0]), int(row["total"].iloc[0])
        tied = int((counts["total"] == total).sum())
        best = int(counts["total"].max())
        leaders = counts.loc[counts["total"] == best, "name"].tolist()
        group = pick(lang, "区" if kind == "district" else "单位",
                     "districts" if kind == "district" else "units")
        tie = pick(lang, f"（与另外 {tied - 1} 个并列）" if tied > 1 else "",
                   f" (tied with {tied - 1} other(s))" if tied > 1 else "")
        lines.append(pick(lang,
                          f"- 按点名次数，在 {peers} 个{group}中排第 {rank} 位{tie}；点名最多的是"
                          f"{'、'.join(leaders)}（{'各 ' if len(leaders) > 1 else ''}{best} 次）。",
                          f"- By times named it ranks {rank} of {peers} {group}{tie}; the most named "
                          f"{'are' if len(leaders) > 1 else 'is'} {', '.join(leaders)} "
                          f"({best}{' each' if len(leaders) > 1 else ''})."))
    if primary.empty:
        lines.append(pick(lang, f"- 2022 年总结没有把任何数字归于{name}（总结的数字几乎都是全市合计）。",
                          f"- The 2022 summary attributes no figure to {name} (nearly all its figures "
                          f"are city-wide totals)."))
    else:
        lines.append(pick(lang, f"- 2022 年总结中归于{name}的数字：{len(primary)} 个。",
                          f"- Figures the 2022 summary attributes to {name}: {len(primary)}."))
    if other.empty:
        lines.append(pick(lang, f"- 项目收集的补充来源中没有{name}的区级报告数字。",
                          f"- The supplementary sources the project holds have no district-report "
                          f"figure for {name}."))
    else:
        years = ", ".join(str(y) for y in sorted(other["period_start"].dt.year.unique()))
        lines.append(pick(lang, f"- 补充来源中{name}的数字：{len(other)} 个（年份：{years}）。",
                          f"- Supplementary figures for {name}: {len(other)} (years: {years})."))
    return "\n".join(lines)


def sources_of(own: pd.DataFrame, recs: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sources behind the scope's figures and recognitions (:func:`common.sources_used`)."""
    ids = pd.DataFrame({"source_id": pd.concat([own["source_id"], recs["source_id"]]).unique()})
    return common.sources_used(ids, sources, lang)


def key_results(obs: pd.DataFrame, recognitions: pd.DataFrame, scopes: pd.DataFrame, scope: str,
                lang: str) -> dict[str, float | int | str]:
    """The headline numbers of the profile, for its last cell (and the tests)."""
    info = scope_info(scopes, scope)
    recs = recognitions_of(recognitions, scope)
    own = observations_of(obs, scope)
    counts = recognition_counts(recognitions, scopes, obs, str(info["kind"]), lang)
    row = counts[counts["scope_id"] == scope].iloc[0]
    reports = district_report_figures(obs, scope)
    changes = year_changes(reports, lang)
    out: dict[str, float | int | str] = {
        "lang": lang,
        "scope": scope,
        "recognitions": len(recs),
        "top_ranked": int((recs["kind"] == "top_ranked").sum()),
        "recognition_domains": ", ".join(sorted(recs["domain_id"].unique())),
        "rank": int(row["rank"]),
        "peers": len(counts),
        "observations": len(own),
        "observations_2022_summary": int((own["source_id"] == PRIMARY_SOURCE_ID).sum()),
        "observations_supplementary": int((own["source_id"] != PRIMARY_SOURCE_ID).sum()),
        "report_years": ", ".join(str(y) for y in sorted(reports["year"].unique())),
        "indicators_compared": len(changes),
    }
    for _, c in changes.iterrows():
        out[f"change_{c['indicator_id']}"] = c["change"]
    return out
