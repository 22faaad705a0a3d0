"""A small, real data directory for the table tests: a few rows quoting the real sources.

The tests of validation, loading and coverage build it in ``tmp_path`` instead of using
``data/*.csv``, so that each one can break exactly one cell and assert the exact message. The
primary source is a byte-for-byte copy of the project's; the supplementary figures are the first
page's five rows of the project's file (header included, lines 1-6), all mapped to observations.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

from chengguan import paths
from chengguan.tables import schema

PRIMARY = "cgzf_2022_summary"
PRIMARY_RAW = "raw/000_9eaa17e5f8f0eda1.txt"
PRIMARY_SHA256 = "53311b495e105ee6c5cace12c72eeb87b6f130d823d9321269647392bb2344ae"
SUPPLEMENTARY_RAW = "raw/supplementary_figures.csv"
FIRST_DAY_URL = "https://3g.d1xz.net/wenhua/chengshi/art311394.aspx"

YEAR_2022 = ("2022-01-01", "2022-12-31")

TABLES: dict[str, list[dict[str, str]]] = {
    "scopes": [
        {"scope_id": "city", "kind": "city", "name_zh": "上海市", "name_en": "Shanghai"},
        {"scope_id": "fengxian", "kind": "district", "name_zh": "奉贤区", "name_en": "Fengxian"},
    ],
    "sources": [
        {"source_id": PRIMARY, "title": "城管执法系统2022年工作总结和2023年工作计划",
         "issuer": "上海市城市管理行政执法局", "doc_number": "沪城管执〔2023〕14号",
         "issued": "2023-01-30",
         "url": "https://cgzf.sh.gov.cn/channel_rszh/20230403/34cac781bb7144c5bc7c4c339d98321c.html",
         "scope_id": "city", "kind": "official_report", "reliability": "high",
         "reliability_note_zh": "市局自己的年度总结", "reliability_note_en": "the bureau's own annual summary",
         "raw_path": PRIMARY_RAW,
         "sha256": PRIMARY_SHA256},
        {"source_id": "supp_2019_first_day", "title": "上海垃圾分类第一天", "issuer": "d1xz.net",
         "doc_number": "", "issued": "", "url": FIRST_DAY_URL, "scope_id": "city",
         "kind": "reprint", "reliability": "low", "reliability_note_zh": "第三方转载",
         "reliability_note_en": "third-party reprint",
         "raw_path": SUPPLEMENTARY_RAW, "sha256": ""},  # filled in by make_data_dir
    ],
    "domains": [
        {"domain_id": "ecological_environment", "name_zh": "生态环境", "name_en": "Ecology",
         "part": "二", "description": ""},
        {"domain_id": "garbage_sorting", "name_zh": "生活垃圾分类", "name_en": "Garbage sorting",
         "part": "二", "description": ""},
        {"domain_id": "epidemic_duty", "name_zh": "疫情防控", "name_en": "Epidemic duty",
         "part": "一", "description": ""},
    ],
    "indicators": [
        {"indicator_id": "illegal_building_cases", "domain_id": "ecological_environment",
         "name_zh": "违法建筑案件", "name_en": "Illegal building cases", "unit": "case",
         "description": "", "parent_id": ""},
        {"indicator_id": "illegal_building_area_demolished", "domain_id": "ecological_environment",
         "name_zh": "拆除违法建筑面积", "name_en": "Illegal building area demolished", "unit": "m2",
         "description": "", "parent_id": ""},
        {"indicator_id": "garbage_enforcement_person_times", "domain_id": "garbage_sorting",
         "name_zh": "垃圾分类执法出动人次", "name_en": "Garbage enforcement person-times",
         "unit": "person_time", "description": "", "parent_id": ""},
        {"indicator_id": "garbage_education_persuasion", "domain_id": "garbage_sorting",
         "name_zh": "教育劝阻", "name_en": "Education and persuasion", "unit": "case",
         "description": "", "parent_id": ""},
        {"indicator_id": "garbage_sorting_cases", "domain_id": "garbage_sorting",
         "name_zh": "垃圾分类案件", "name_en": "Garbage sorting cases", "unit": "case",
         "description": "", "parent_id": ""},
        {"indicator_id": "littering_cases", "domain_id": "garbage_sorting",
         "name_zh": "乱扔垃圾类案件", "name_en": "Littering cases", "unit": "case",
         "description": "synthetic breakdown, for the tests", "parent_id": "garbage_sorting_cases"},
        {"indicator_id": "garbage_units_inspected", "domain_id": "garbage_sorting",
         "name_zh": "检查各类单位", "name_en": "Units inspected", "unit": "establishment",
         "description": "", "parent_id": ""},
        {"indicator_id": "garbage_rectification_orders", "domain_id": "garbage_sorting",
         "name_zh": "责令整改", "name_en": "Rectification orders", "unit": "case",
         "description": "", "parent_id": ""},
        {"indicator_id": "epidemic_disinfection_problems", "domain_id": "epidemic_duty",
         "name_zh": "消杀检查发现问题", "name_en": "Problems found", "unit": "unit",
         "description": "", "parent_id": ""},
    ],
    "observations": [
        {"observation_id": "illegal_building_cases_2022", "indicator_id": "illegal_building_cases",
         "source_id": PRIMARY, "scope_id": "city", "period_start": YEAR_2022[0],
         "period_end": YEAR_2022[1], "status": "actual", "value": "5334", "qualifier": "exact",
         "number_text": "5334 起", "quote": "依法查处违法建筑案件 5334 起", "section": "二（一）"},
        {"observation_id": "illegal_building_area_2022",
         "indicator_id": "illegal_building_area_demolished", "source_id": PRIMARY,
         "scope_id": "city", "period_start": YEAR_2022[0], "period_end": YEAR_2022[1],
         "status": "actual", "value": "2504700", "qualifier": "exact",
         "number_text": "250.47 万平方米", "quote": "拆除违法建筑 250.47 万平方米",
         "section": "二（一）"},
        {"observation_id": "garbage_person_times_2022",
         "indicator_id": "garbage_enforcement_person_times", "source_id": PRIMARY,
         "scope_id": "city", "period_start": YEAR_2022[0], "period_end": YEAR_2022[1],
         "status": "actual", "value": "225000", "qualifier": "exact",
         "number_text": "22.5 万人次", "quote": "出动 22.5 万人次，开展执法检查",
         "section": "二（六）"},
        {"observation_id": "garbage_education_2022", "indicator_id": "garbage_education_persuasion",
         "source_id": PRIMARY, "scope_id": "city", "period_start": YEAR_2022[0],
         "period_end": YEAR_2022[1], "status": "actual", "value": "54339", "qualifier": "exact",
         "number_text": "54339 起", "quote": "教育劝阻 54339 起", "section": "二（六）"},
        {"observation_id": "garbage_sorting_cases_2022", "indicator_id": "garbage_sorting_cases",
         "source_id": PRIMARY, "scope_id": "city", "period_start": YEAR_2022[0],
         "period_end": YEAR_2022[1], "status": "actual", "value": "17747", "qualifier": "exact",
         "number_text": "17747 起", "quote": "依法查处垃圾分类案件 17747 起",
         "section": "二（六）"},
        {"observation_id": "littering_cases_2022", "indicator_id": "littering_cases",
         "source_id": PRIMARY, "scope_id": "city", "period_start": YEAR_2022[0],
         "period_end": YEAR_2022[1], "status": "actual", "value": "8803", "qualifier": "exact",
         "number_text": "8803 起", "quote": "依法查处乱扔垃圾类案件 8803 起",
         "section": "二（六）"},
        # The raw text breaks the page inside "问题": the quote is the normalized sentence.
        {"observation_id": "epidemic_problems_2022",
         "indicator_id": "epidemic_disinfection_problems", "source_id": PRIMARY, "scope_id": "city", "period_start": YEAR_2022[0],
         "period_end": YEAR_2022[1], "status": "actual", "value": "4382", "qualifier": "exact",
         "number_text": "4382 个", "quote": "发现并当场督促整改问题 4382 个", "section": "一（二）"},
        {"observation_id": "garbage_person_times_2019_07_01",
         "indicator_id": "garbage_enforcement_person_times", "source_id": "supp_2019_first_day",
         "scope_id": "city", "period_start": "2019-07-01", "period_end": "2019-07-01",
         "status": "actual", "value": "3600", "qualifier": "exact", "number_text": "3600人次",
         "quote": "共出动执法人员3600人次", "section": "",
         "note_zh": "一天的数字。", "note_en": "One day's figure."},
        *(
            {"observation_id": oid, "indicator_id": indicator, "source_id": "supp_2019_first_day",
             "scope_id": "city", "period_start": "2019-07-01", "period_end": "2019-07-01",
             "status": "actual", "value": value, "qualifier": "exact", "number_text": number,
             "quote": quote, "section": ""}
            for oid, indicator, value, number, quote in (
                ("garbage_units_2019_07_01", "garbage_units_inspected", "4216", "4216家",
                 "检查各类单位4216家"),
                ("garbage_education_2019_07_01", "garbage_education_persuasion", "881", "881起",
                 "共教育劝阻相对人881起"),
                ("garbage_rectification_2019_07_01", "garbage_rectification_orders", "623",
                 "623起", "责令当场或限期整改623起"),
                ("garbage_sorting_cases_2019_07_01", "garbage_sorting_cases", "20", "20起",
                 "共依法立案查处生活垃圾分类违法行为20起"),
            )
        ),
    ],
    "exclusions": [
        {"exclusion_id": "notice_date", "source_id": PRIMARY, "quote": "2023 年 1 月 30 日",
         "reason": "date", "note": "the date of the notice,\nnot a figure"},  # two lines
    ],
    "recognitions": [
        {"recognition_id": "fengxian_site_meeting", "source_id": PRIMARY, "scope_id": "fengxian",
         "domain_id": "ecological_environment", "kind": "hosted_meeting", "bold": "true",
         "period_start": YEAR_2022[0], "period_end": YEAR_2022[1],
         "quote": "在奉贤区召开全市城管执法系统建筑工地综合治理现场推进会", "note": ""},
    ],
    "supplementary_map": [
        {"raw_line": str(line), "indicator_id": indicator, "source_id": "supp_2019_first_day",
         "observation_id": oid, "note": ""}
        for line, indicator, oid in (
            (2, "garbage_enforcement_person_times", "garbage_person_times_2019_07_01"),
            (3, "garbage_units_inspected", "garbage_units_2019_07_01"),
            (4, "garbage_education_persuasion", "garbage_education_2019_07_01"),
            (5, "garbage_rectification_orders", "garbage_rectification_2019_07_01"),
            (6, "garbage_sorting_cases", "garbage_sorting_cases_2019_07_01"),
        )
    ],
}


def make_data_dir(tmp_path: Path) -> Path:
    """Write the synthetic tables and copies of the raw files to ``tmp_path/data``."""
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copyfile(paths.data_dir() / PRIMARY_RAW, data / PRIMARY_RAW)
    with open(paths.data_dir() / SUPPLEMENTARY_RAW, "rb") as whole:
        (data / SUPPLEMENTARY_RAW).write_bytes(b"".join(whole.readlines()[:6]))
    tables = {name: [dict(row) for row in rows] for name, rows in TABLES.items()}
    # Each synthetic indicator is a series of its own (a test that groups two sets series_id).
    for indicator in tables["indicators"]:
        indicator.setdefault("series_id", indicator["indicator_id"])
    tables["series"] = [
        {"series_id": i["indicator_id"], "domain_id": i["domain_id"], "name_zh": i["name_zh"],
         "name_en": i["name_en"], "unit": i["unit"]} for i in tables["indicators"]]
    tables["sources"][1]["sha256"] = hashlib.sha256(
        (data / SUPPLEMENTARY_RAW).read_bytes()).hexdigest()
    for name, rows in tables.items():
        write_table(data, name, rows)
    # Vocabularies and events carry no synthetic variation: the real ones serve.
    for name in ("labels", "events"):
        shutil.copyfile(paths.data_dir() / f"{name}.csv", data / f"{name}.csv")
    return data


def read_table(data: Path, name: str) -> list[dict[str, str]]:
    with open(data / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_table(data: Path, name: str, rows: list[dict[str, str]]) -> None:
    columns = schema.table(name).columns
    with open(data / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(data: Path, name: str, key: str, column: str, value: str) -> None:
    """Set one cell of the row whose primary key is ``key``."""
    rows = read_table(data, name)
    primary = schema.table(name).primary_key
    (row,) = [r for r in rows if r[primary] == key]
    row[column] = value
    write_table(data, name, rows)


def add_row(data: Path, name: str, row: dict[str, str]) -> None:
    write_table(data, name, read_table(data, name) + [row])
