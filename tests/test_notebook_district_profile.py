"""The district profile: figures first, ratios with the rounding of printed figures, mentions as text."""

from __future__ import annotations

import re

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, reports, results

RUNS = {"minhang": "district-minhang-zh", "pudong": "district-pudong-en", "others": "district-others-zh",
        "changning": "district-changning-en", "baoshan": "district-baoshan-zh", "hongkou": "district-hongkou-en"}


def plain(nb: nbformat.NotebookNode) -> str:
    """The prose as a reader sees it: the Markdown escapes of data text removed."""
    return markdown_text(nb).replace("\\", "")


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    runs = reports(list(RUNS.values()))
    return {district: runs[name] for district, name in RUNS.items()}


@pytest.mark.parametrize("district", list(RUNS))
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      district: str) -> None:
    assert_clean_report(executed[district], RUNS[district].rsplit("-", 1)[1])


@pytest.mark.parametrize("district", list(RUNS))
def test_tables_print_rounded_numbers(executed: dict[str, nbformat.NotebookNode], district: str) -> None:
    # the ratios table's value, low and high columns once reached the table as objects and printed raw floats
    # ("1077.726975832789"): every table cell is rounded
    html = html_outputs(executed[district])
    assert not re.search(r"\d\.\d{6,}", html)


def test_minhang_fines_per_case_and_their_change(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = results(executed["minhang"])
    assert k["penalty_per_case_2021"]["value"] == pytest.approx(2790000 / 12201)
    # 约279万元 stands for 2,785,000-2,795,000 yuan
    assert k["penalty_per_case_2021"]["lower"] == pytest.approx(2785000 / 12201)
    assert k["penalty_per_case_2021"]["upper"] == pytest.approx(2795000 / 12201)
    change = k["penalty_per_case_change"]
    assert change["headline"]
    assert change["value"] == pytest.approx((4082700 / 11113) / (2790000 / 12201) * 100 - 100)
    assert change["lower"] == pytest.approx((4082650 / 11113) / (2795000 / 12201) * 100 - 100)
    assert k["summary_share_2023"]["value"] == pytest.approx(5345 / 11113 * 100)
    assert k["cases_concluded_change"]["value"] == pytest.approx((11113 / 12201 - 1) * 100)
    # the change in the fine per case is split into the procedure mix and the within-procedure change
    # (in the text: a share of a change is no key result)
    html = html_outputs(executed["minhang"])
    assert "程序构成的变化" in html
    s0, summary_0, ordinary_0 = 6486 / 12201, 260000 / 6486, 2530000 / 5715
    within = s0 * (230900 / 5345 - summary_0) + (1 - s0) * (3851800 / 5768 - ordinary_0)
    total = 4082700 / 11113 - 2790000 / 12201
    assert f"（{within / total * 100:.0f}%）来自各程序内部" in markdown_text(executed["minhang"])
    assert "penalty_per_case_change_within_procedure" not in k
    # a share changes by percentage points; the caveat names this district's own wording of the procedure
    text = markdown_text(executed["minhang"])
    assert f"{(5345 / 11113 - 6486 / 12201) * 100:+.1f} 个百分点" in text
    assert "2021 年为“普通程序”" in text and "2023 年为“一般程序”" in text


def test_counts_over_periods_of_different_length_compare_per_day(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # Changning: the whole of 2024 (366 days) against 2025 to 2 December (336 days)
    k = results(executed["changning"])
    # two documents, the later with 29% of the earlier's cases: a share per day, not read as a change
    assert "cases_concluded_change" not in k
    share = k["cases_concluded_per_day_share"]
    assert share["value"] == pytest.approx((886 / 336) / (3062 / 366) * 100)
    assert "per day" in share["label"] and "not read as a change" in share["label"]
    # "截至目前" in a report issued on 2 December: 336 days at most, so 31.5% is the smallest share
    assert share["upper"] is None and share["display"].startswith("at least 31.5")
    text = plain(executed["changning"])
    assert "a fall of at most 68.5%" in text
    # the rounding range as in the key result, not "+51% to +52%"
    assert "+51.0% to +51.5%" in text
    # the documents named in English first
    assert "two different documents, the 2024 report and the 2025 report (" in text
    # the events of data/events.csv within the periods, the 2025 recall of sub-district powers included
    assert "(from 1 October 2025) fell within the 2025 period" in text
    # the ratios table: fine per case 2024, its rounding ends 1,078-1,081, as numbers rounded
    assert "1077.72" not in html_outputs(executed["changning"]) and ">1,081<" in html_outputs(executed["changning"])
    # the headline's label says two documents and leaves the laws and reforms to the finding (the home card)
    assert k["penalty_per_case_change"]["label"] == (
        "Change in fine per case, 2024 to 2025 (to 2 December); two documents; laws and reforms in between: see the finding")
    # the changes table's "high" column is formatted like its other cells
    assert "51.53957" not in html_outputs(executed["changning"]) and "51.5" in html_outputs(executed["changning"])
    # rounding examples from Changning's own figures only
    assert "330万余元 stands for" in text and "约279万元" not in text
    assert "Scope first" in text  # a year-end summary against a report to date
    assert "+2.3 percentage points" in text
    # the caveat comes from Changning's own reports, not Minhang's
    assert "普通程序 in 2021" not in text and "up to now" in text
    # a ratio is compared as it is: 144.6万余元 / 886 cases against 330万余元 / 3,062 cases
    assert k["penalty_per_case_change"]["value"] == pytest.approx((1446000 / 886) / (3300000 / 3062) * 100 - 100)


def test_pudong_share_of_the_registered_stock(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = results(executed["pudong"])
    share = k["stock_sites_demolished_share_2023"]
    assert share["headline"] and share["value"] == pytest.approx(10383 / 256300 * 100)
    # the stock's date is unknown: if 25.63万处 is what remained after the demolitions, the share is
    # 10,383 / (256,350 + 10,383) at the low end
    assert share["lower"] == pytest.approx(10383 / (256350 + 10383) * 100)
    # "at most 4.052%" (a ceiling printed so that it stays true): the rounding of 25.63万 moves the top in the fourth digit only
    assert share["upper"] == pytest.approx(share["value"])
    assert share["display"].startswith("at most 4.052") and "3.89" in share["display"]
    assert share["label"].startswith("Existing")
    text = plain(executed["pudong"])
    # the area share above the site share under every reading: the larger structures went first
    assert "6.46% of the registered stock by area" in text and "the larger structures went first" in text
    assert "Changning 172 m² in 2024" in text  # beside the other districts' area per existing structure
    # no paragraph about case counts on a page with none; no question the page cannot answer
    assert "count administrative cases" not in text and "how did they change" not in text
    assert k["area_per_existing_site_2023"]["value"] == pytest.approx(1340400 / 10383)
    assert "figures" not in k  # a count of figures is no finding
    assert "Pudong New Area" in markdown_text(executed["pudong"])


def test_districts_without_figures_of_their_own_share_one_page(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    nb = executed["others"]
    k = results(nb)
    # the headline is the finding (11 of 16 districts have under two figures from sources of their own),
    # not a count of sentences
    # the headline is a finding, not the count of districts on the page: 7 of the 8 districts ranked "near
    # the top" have no figures of their own, so those rankings cannot be checked
    assert list(k) == ["ranked_without_own_figures"]
    assert k["ranked_without_own_figures"]["value"] == 7 and k["ranked_without_own_figures"]["headline"]
    assert "8 个区中" in k["ranked_without_own_figures"]["label"]
    text = markdown_text(nb)
    assert "点名这些区共" in text
    assert text.lstrip().startswith("# 其他 11 个区：“位居全市前列”的 8 个区中 7 个在数据里没有自己的数字")
    assert "金山区" in text and "徐汇区" in text
    assert "jinshan" not in text and "others" not in text  # names, never ids, in the prose
    html = html_outputs(nb)
    assert "普陀区举办集体学" in html  # every mention of each sharing district, with its district
    # no fine, ratio or change is asked of districts without figures of their own
    assert "每件案件的罚款" not in text and "跨年变化" not in text


def test_the_manifest_gives_a_page_to_the_districts_with_figures_of_their_own() -> None:
    """The ``district`` matrix of reports.toml: each district with two figures or more from sources of its
    own (not the city's documents), then "others"; fails when new data give another district its page."""
    import tomllib
    from pathlib import Path

    from chengguan.tables import load_observations, load_scopes

    root = Path(__file__).resolve().parents[1]
    manifest = tomllib.loads((root / "reports.toml").read_text(encoding="utf-8"))
    matrix = next(run["matrix"]["district"] for run in manifest["runs"] if run["notebook"] == "district_profile")
    scopes = load_scopes()
    districts = list(scopes.scope_id[scopes.kind == "district"])
    obs = load_observations()
    own = obs[obs.scope_id.isin(districts) & ~obs.source_kind.isin(["official_report", "reprint"])].scope_id.value_counts()
    assert matrix == [d for d in districts if own.get(d, 0) >= 2] + ["others"]


def test_each_title_says_its_finding(executed: dict[str, nbformat.NotebookNode]) -> None:
    assert markdown_text(executed["baoshan"]).lstrip().startswith(
        "# 宝山区（来源可靠性低）：2021 年办理的普通程序案件每件罚款 2,600 元，简易程序 75 元")
    # the third procedure and the totals of all three; the same-year comparison with Minhang
    baoshan = results(executed["baoshan"])
    assert baoshan["summed_penalty_per_case_2021"]["value"] == pytest.approx(14307870.44 / 8700)
    assert baoshan["summed_summary_share_2021"]["value"] == pytest.approx(3398 / 8700 * 100)
    baoshan_text = plain(executed["baoshan"])
    assert "拆违程序单列，每件罚款 3,224 元" in baoshan_text and "普通程序每件罚款为 2,651 元" in baoshan_text
    # only Minhang's 2021 report counts demolition cases in its ordinary procedure (not "the other districts")
    assert "若像闵行区 2021 年的报告那样把拆违计入普通程序" in baoshan_text and "其他区的报告" not in baoshan_text
    assert "是闵行区（40.1 元）的 1.87 倍" in baoshan_text and "宝山区的来源可靠性低" in baoshan_text
    assert "跨年份如何变化" not in baoshan_text  # the question is the page's own
    assert results(executed["baoshan"])["ordinary_penalty_per_case_2021"]["value"] == pytest.approx(12676280.64 / 4875)
    assert results(executed["baoshan"])["ordinary_penalty_per_case_2021"]["headline"]
    assert "“办理”的行政执法案件" in markdown_text(executed["baoshan"])  # Baoshan counts cases handled
    hongkou = results(executed["hongkou"])["area_per_site_2019"]
    assert hongkou["headline"] and hongkou["value"] == pytest.approx(130000 / 1629)
    assert hongkou["lower"] == pytest.approx(125000 / 1629)  # 13万平米 stands for 125,000-135,000 m2
    assert markdown_text(executed["hongkou"]).lstrip().startswith(
        "# Hongkou (虹口区; low-reliability source): 1,629 illegal-structure sites demolished in 2019, about 80 m² per site")
    hongkou_text = plain(executed["hongkou"])
    assert "below every one of them" in hongkou_text and "how did they change" not in hongkou_text
    assert "another 9" in hongkou_text  # the items the source counts apart
    # two documents, 29% of the cases: the title says the scope may differ
    assert markdown_text(executed["changning"]).lstrip().startswith(
        "# Changning (长宁区): fines per case 51% higher in 2025 (to 2 December) than 2024, on 29% of the cases")
    for nb in executed.values():
        k = results(nb)
        assert sum(r["headline"] for r in k.values()) == 1
        assert not {"figures", "summary_sentences"} & set(k)  # counts of figures or sentences are no findings


def test_no_ranking_by_times_named(executed: dict[str, nbformat.NotebookNode]) -> None:
    for nb in executed.values():
        assert not {"rank", "ranked_by_mentions"} & set(results(nb))
        assert "of 16" not in markdown_text(nb)


def test_each_page_names_its_district_and_what_it_can_answer(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # the title names the district and its finding, and the penalty-law revision its fines per case cross
    assert markdown_text(executed["minhang"]).lstrip().startswith(
        "# 闵行区：每件案件罚款 2023 年比 2021 年高约 61%，其间有行政处罚法修订和街道执法改革")
    # the events of data/events.csv, where they fall: the 2021 figures straddle the revised Administrative
    # Penalty Law (in force 15 July 2021), not "between the two periods"
    minhang_text = plain(executed["minhang"])
    assert ("2021 年的数字本身跨越了修订后的《行政处罚法》施行（2021 年 7 月 15 日）和街道办事处成为执法主体"
            "（2021 年 8 月 1 日）；两期之间有上海春季封控") in minhang_text
    assert "两期之间，修订后的《行政处罚法》" not in minhang_text
    k = results(executed["minhang"])
    for name in ("penalty_per_case_change", "cases_concluded_change"):
        assert all(e in k[name]["label"] for e in ("行政处罚法", "街道办事处成为执法主体", "春季封控", "乙类乙管"))
    assert "同年比较" in minhang_text and "宝山区" in minhang_text  # the one same-year benchmark
    assert "330万余元" not in minhang_text  # rounding examples of its own figures
    assert "15 July 2021" not in markdown_text(executed["changning"])
