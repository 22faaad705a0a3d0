"""The district profile: figures first, ratios with the rounding of printed figures, mentions as text."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, reports, results

RUNS = {"minhang": "district-minhang-zh", "pudong": "district-pudong-en", "putuo": "district-putuo-zh",
        "changning": "district-changning-en"}


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    runs = reports(list(RUNS.values()))
    return {district: runs[name] for district, name in RUNS.items()}


@pytest.mark.parametrize("district", list(RUNS))
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      district: str) -> None:
    assert_clean_report(executed[district], RUNS[district].rsplit("-", 1)[1])


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
    change = k["cases_concluded_change"]
    assert change["value"] == pytest.approx((886 / 336) / (3062 / 366) * 100 - 100)
    assert "per day" in change["label"]
    # "截至目前" in a report issued on 2 December: 336 days at most, so -68.5% is the largest fall
    assert change["upper"] is None and "largest possible fall" in change["label"]
    text = markdown_text(executed["changning"])
    assert "a fall of at most 68.5%" in text
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
    assert share["upper"] == pytest.approx(10383 / 256250 * 100)
    assert share["display"].startswith("4.05") and share["label"].startswith("Existing")
    assert k["area_per_existing_site_2023"]["value"] == pytest.approx(1340400 / 10383)
    assert k["figures"]["value"] >= 6
    assert "Pudong New Area" in markdown_text(executed["pudong"])


def test_a_district_without_figures_gets_what_the_text_says(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    nb = executed["putuo"]
    k = results(nb)
    assert k["figures"]["value"] == 0 and not k["figures"]["headline"]
    assert k["summary_sentences"]["value"] == 2 and k["summary_sentences"]["headline"]
    text = markdown_text(nb)
    assert "数据中没有归属普陀区的数字" in text
    assert "putuo" not in text  # names, never ids, in the prose
    assert "普陀区举办集体学" in html_outputs(nb)
    # no ratio or change sections for a district with no figures
    assert "由这些数字计算的比率" not in text and "跨年变化" not in text


def test_no_ranking_by_times_named(executed: dict[str, nbformat.NotebookNode]) -> None:
    for nb in executed.values():
        assert not {"rank", "ranked_by_mentions"} & set(results(nb))
        assert "of 16" not in markdown_text(nb)


def test_each_page_names_its_district_and_what_it_can_answer(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # the title names the district; a district without figures is not asked about fines per case
    assert markdown_text(executed["minhang"]).lstrip().startswith("# 闵行区：数据中的 13 个数字")
    putuo = markdown_text(executed["putuo"])
    assert putuo.lstrip().startswith("# 普陀区：数据中没有该区的数字")
    assert "每件案件的罚款" not in putuo
    # Minhang's two reports straddle the revised Administrative Penalty Law (in force 15 July 2021)
    assert "2021 年 7 月 15 日" in markdown_text(executed["minhang"])
    assert "15 July 2021" not in markdown_text(executed["changning"])
