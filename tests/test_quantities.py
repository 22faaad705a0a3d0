"""Quantity phrases -> exact values, and finding every numeral of the primary source."""

import re
from decimal import Decimal

import pytest

from chengguan.paths import raw_dir
from chengguan.quantities import (
    Quantity,
    QuantityParseError,
    chinese_numeral,
    find_quantities,
    format_value,
    parse_quantity,
)

PRIMARY = "000_9eaa17e5f8f0eda1.txt"

# text, number, multiplier, value, unit, unit_text, qualifier
PARSE_CASES = [
    # multipliers and compound units, from the primary source
    ("250.47 万平方米", "250.47", 10_000, "2504700", "m2", "平方米", "exact"),
    ("24.4 万平方米", "24.4", 10_000, "244000", "m2", "平方米", "exact"),
    ("3.6 万人次", "3.6", 10_000, "36000", "person_time", "人次", "exact"),
    ("7 万条次", "7", 10_000, "70000", "road_time", "条次", "exact"),
    ("24.5 万家次", "24.5", 10_000, "245000", "establishment_visit", "家次", "exact"),
    ("2 万元", "2", 10_000, "20000", "yuan", "元", "exact"),
    ("17 万条", "17", 10_000, "170000", "record", "条", "exact"),
    ("19.6万", "19.6", 10_000, "196000", "count", "", "exact"),
    ("5 亿元", "5", 100_000_000, "500000000", "yuan", "元", "exact"),
    ("1.2亿人次", "1.2", 100_000_000, "120000000", "person_time", "人次", "exact"),
    # 余 / 多 between number and unit, before or after the multiplier
    ("1.55 万余人次", "1.55", 10_000, "15500", "person_time", "人次", "more_than"),
    ("10.8 万余起", "10.8", 10_000, "108000", "case", "起", "more_than"),
    ("8.7万余个", "8.7", 10_000, "87000", "unit", "个", "more_than"),
    ("330万余元", "330", 10_000, "3300000", "yuan", "元", "more_than"),
    ("400 余起", "400", 1, "400", "case", "起", "more_than"),
    ("40余期", "40", 1, "40", "issue", "期", "more_than"),
    ("7700 余名", "7700", 1, "7700", "person", "名", "more_than"),
    ("10 多次", "10", 1, "10", "time", "次", "more_than"),
    ("10 多万元", "10", 10_000, "100000", "yuan", "元", "more_than"),
    # trailing qualifiers
    # 以上 includes the number (刑法 第九十九条: 以上、以下、以内，包括本数)
    ("1200 块以上", "1200", 1, "1200", "panel", "块", "at_least"),
    ("90%以上", "90", 1, "90", "percent", "%", "at_least"),
    ("3 万元左右", "3", 10_000, "30000", "yuan", "元", "approximate"),
    ("5 天以内", "5", 1, "5", "day", "天", "at_most"),
    ("100 户以下", "100", 1, "100", "household", "户", "at_most"),
    # leading qualifiers
    ("约279万元", "279", 10_000, "2790000", "yuan", "元", "approximate"),
    ("近 3 万人", "3", 10_000, "30000", "person", "人", "approximate"),
    ("超过 500 家", "500", 1, "500", "establishment", "家", "more_than"),
    ("逾 2000 羽", "2000", 1, "2000", "bird", "羽", "more_than"),
    ("不少于15个", "15", 1, "15", "unit", "个", "at_least"),
    ("不少于 9 家", "9", 1, "9", "establishment", "家", "at_least"),
    ("至少 3 批", "3", 1, "3", "batch", "批", "at_least"),
    ("不低于 95%", "95", 1, "95", "percent", "%", "at_least"),
    ("不高于 5 次", "5", 1, "5", "time", "次", "at_most"),
    ("不超过 8 小时", "8", 1, "8", "hour", "小时", "at_most"),
    ("约 3 万元左右", "3", 10_000, "30000", "yuan", "元", "approximate"),
    # plain counts: spaces or not, decimals, separators, longest unit match
    ("5334 起", "5334", 1, "5334", "case", "起", "exact"),
    ("4119起", "4119", 1, "4119", "case", "起", "exact"),
    ("853 公斤", "853", 1, "853", "kg", "公斤", "exact"),
    ("11824 平方米", "11824", 1, "11824", "m2", "平方米", "exact"),
    ("820 篇次", "820", 1, "820", "article", "篇次", "exact"),
    ("4 批次", "4", 1, "4", "batch", "批次", "exact"),
    ("12,201 条", "12201", 1, "12201", "record", "条", "exact"),
    ("1,234.50 元", "1234.50", 1, "1234.5", "yuan", "元", "exact"),
    ("１２ 起", "12", 1, "12", "case", "起", "exact"),
    ("  18份  ", "18", 1, "18", "copy", "份", "exact"),
    # percent, ASCII and full-width
    ("89.4%", "89.4", 1, "89.4", "percent", "%", "exact"),
    ("99.32%", "99.32", 1, "99.32", "percent", "%", "exact"),
    ("67％", "67", 1, "67", "percent", "％", "exact"),
    # calendar
    ("2022 年", "2022", 1, "2022", "year", "年", "exact"),
    ("30 日", "30", 1, "30", "date_day", "日", "exact"),
    ("60 天", "60", 1, "60", "day", "天", "exact"),
    # page breaks of the primary source
    ("2\n\n件", "2", 1, "2", "item", "件", "exact"),
    ("2022\n\n年", "2022", 1, "2022", "year", "年", "exact"),
    ("1.55\n万余\n\n人次", "1.55", 10_000, "15500", "person_time", "人次", "more_than"),
    # Chinese numerals with a counting unit
    ("一个", "1", 1, "1", "unit", "个", "exact"),
    ("两家", "2", 1, "2", "establishment", "家", "exact"),
    ("九项", "9", 1, "9", "entry", "项", "exact"),
    ("十类", "10", 1, "10", "category", "类", "exact"),
    ("十一名", "11", 1, "11", "person", "名", "exact"),
    ("十九次", "19", 1, "19", "time", "次", "exact"),
    ("二十个", "20", 1, "20", "unit", "个", "exact"),
    ("二十一条", "21", 1, "21", "record", "条", "exact"),
    ("九十九批", "99", 1, "99", "batch", "批", "exact"),
    ("一百场", "100", 1, "100", "session", "场", "exact"),
    ("一百零五名", "105", 1, "105", "person", "名", "exact"),
    ("一百二十轮", "120", 1, "120", "round", "轮", "exact"),
    ("两百支", "200", 1, "200", "team", "支", "exact"),
    ("三千零八十一家", "3081", 1, "3081", "establishment", "家", "exact"),
    ("两千元", "2000", 1, "2000", "yuan", "元", "exact"),
    ("一周", "1", 1, "1", "week", "周", "exact"),
    ("百日", "100", 1, "100", "date_day", "日", "exact"),
    # Chinese numerals with a multiplier and qualifiers
    ("三万人次", "3", 10_000, "30000", "person_time", "人次", "exact"),
    ("十余次", "10", 1, "10", "time", "次", "more_than"),
    ("二十多个", "20", 1, "20", "unit", "个", "more_than"),
    ("近十万元", "10", 10_000, "100000", "yuan", "元", "approximate"),
    ("不少于三批", "3", 1, "3", "batch", "批", "at_least"),
    ("五家以上", "5", 1, "5", "establishment", "家", "at_least"),
    # Chinese numerals without a unit (inside words and names): unit count
    ("十", "10", 1, "10", "count", "", "exact"),
    ("十一", "11", 1, "11", "count", "", "exact"),
    ("二十", "20", 1, "20", "count", "", "exact"),
    ("两", "2", 1, "2", "count", "", "exact"),
    ("九十九", "99", 1, "99", "count", "", "exact"),
    ("零", "0", 1, "0", "count", "", "exact"),
    # English pages: leading words and the units that are nouns
    ("More than 3,100", "3100", 1, "3100", "count", "", "more_than"),
    ("more than 38,000 cases", "38000", 1, "38000", "case", "cases", "more_than"),
    ("over 500 cases", "500", 1, "500", "case", "cases", "more_than"),
    ("at least 7 cases", "7", 1, "7", "case", "cases", "at_least"),
    ("Nearly 2,400 cases", "2400", 1, "2400", "case", "cases", "approximate"),
    ("about 152,000 inspections", "152000", 1, "152000", "time", "inspections", "approximate"),
    ("192,000 square meters", "192000", 1, "192000", "m2", "square meters", "exact"),
    ("33.6 percent", "33.6", 1, "33.6", "percent", "percent", "exact"),
    ("up to 200 yuan", "200", 1, "200", "yuan", "yuan", "at_most"),
    # a Japanese page: 平米 (also Chinese) and the counter カ所
    ("13万平米", "13", 10_000, "130000", "m2", "平米", "exact"),
    ("1629カ所", "1629", 1, "1629", "site", "カ所", "exact"),
    # a score, and minutes that are not a score
    ("89.47分", "89.47", 1, "89.47", "point", "分", "exact"),
    ("15 分钟", "15", 1, "15", "minute", "分钟", "exact"),
]


@pytest.mark.parametrize(
    ("text", "number", "multiplier", "value", "unit", "unit_text", "qualifier"),
    PARSE_CASES,
    ids=[" ".join(case[0].split()) for case in PARSE_CASES],
)
def test_parse_quantity(
    text: str, number: str, multiplier: int, value: str, unit: str, unit_text: str, qualifier: str
) -> None:
    q = parse_quantity(text)
    assert q.text == text.strip()
    assert text[q.span[0] : q.span[1]] == q.text
    assert (q.number, q.multiplier, q.value) == (Decimal(number), multiplier, Decimal(value))
    assert str(q.value) == value  # exact and in plain notation, as the tables write it
    assert (q.unit, q.unit_text, q.qualifier) == (unit, unit_text, qualifier)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "no numeral"),
        ("", "no numeral"),
        ("百姓", "no numeral"),
        ("一江一河", "2 quantities"),
        ("3 起 4 起", "2 quantities"),
        ("2021—2023 年", "2 quantities"),
        ("共 3 起", "words outside"),
        ("3 起案件", "words outside"),
        ("约 300 起以上", "words outside"),  # two qualifiers that disagree
    ],
)
def test_parse_quantity_errors_name_the_text(text: str, reason: str) -> None:
    with pytest.raises(QuantityParseError, match=reason) as info:
        parse_quantity(text)
    assert repr(text) in str(info.value)
    assert info.value.text == text
    assert isinstance(info.value, ValueError)


# text -> the mentions found: (text, unit, value, qualifier)
FIND_CASES = [
    ("2023 年 1 月 30 日", [("2023 年", "year", "2023", "exact"), ("1 月", "month", "1", "exact"),
                           ("30 日", "date_day", "30", "exact")]),
    ("2023年1月30日印发", [("2023年", "year", "2023", "exact"), ("1月", "month", "1", "exact"),
                        ("30日", "date_day", "30", "exact")]),
    ("（2021—2023 年）", [("2021", "count", "2021", "exact"), ("2023 年", "year", "2023", "exact")]),
    ("（2022-2024 年）", [("2022", "count", "2022", "exact"), ("2024 年", "year", "2024", "exact")]),
    ("第八届7·15城管公众开放日", [("八", "count", "8", "exact"), ("7", "count", "7", "exact"),
                              ("15", "count", "15", "exact")]),
    ("沪城管执〔2023〕14号", [("2023", "count", "2023", "exact"), ("14", "count", "14", "exact")]),
    ("“60+24”学时", [("60", "count", "60", "exact"), ("24", "count", "24", "exact")]),
    ("平台5类17项体征", [("5类", "category", "5", "exact"), ("17项", "entry", "17", "exact")]),
    ("6340 名街面滞留人员", [("6340 名", "person", "6340", "exact")]),
    ("4295家建筑工地", [("4295家", "establishment", "4295", "exact")]),
    ("19.6万沿街商户", [("19.6万", "count", "196000", "exact")]),
    ("占比升至89.4%，4295家", [("89.4%", "percent", "89.4", "exact"),
                           ("4295家", "establishment", "4295", "exact")]),
    ("拆除新建 354 处 11236 平方米", [("354 处", "site", "354", "exact"),
                                 ("11236 平方米", "m2", "11236", "exact")]),
    ("3000 元提升到 5000 元", [("3000 元", "yuan", "3000", "exact"),
                          ("5000 元", "yuan", "5000", "exact")]),
    # a qualifier word earlier in the sentence is not the number's qualifier
    ("超过标准的 3 起", [("3 起", "case", "3", "exact")]),
    ("不少于上年，共 9 家", [("9 家", "establishment", "9", "exact")]),
    # 近 before a span of time means "the past", 最近/附近/节约 are other words
    ("近 3 年来", [("3 年", "year", "3", "exact")]),
    ("最近 5 天", [("5 天", "day", "5", "exact")]),
    ("附近 2 处", [("2 处", "site", "2", "exact")]),
    ("节约 3 万元", [("3 万元", "yuan", "30000", "exact")]),
    # 多 qualifies only when a multiplier or unit follows
    ("3 多", [("3", "count", "3", "exact")]),
    # "以上" after a conflicting leading qualifier stays outside the mention
    ("约 300 起以上", [("约 300 起", "case", "300", "approximate")]),
    # an ASCII period ends the number unless a digit follows
    ("共 3.", [("3", "count", "3", "exact")]),
    ("2022,2023", [("2022", "count", "2022", "exact"), ("2023", "count", "2023", "exact")]),
    # Chinese numerals: every one is a mention, the longest well-formed numeral at each place
    ("聚焦投收运处四个环节、城管执法十个事项", [("四个", "unit", "4", "exact"),
                                      ("十个", "unit", "10", "exact")]),
    ("围绕十类重点对象和十类突出违法违规行为", [("十类", "category", "10", "exact"),
                                      ("十类", "category", "10", "exact")]),
    ("进一步推动", [("一", "count", "1", "exact")]),
    ("“五一”“十一”等重要节假日", [("五", "count", "5", "exact"), ("一", "count", "1", "exact"),
                            ("十一", "count", "11", "exact")]),
    ("“十四五”规划", [("十四", "count", "14", "exact"), ("五", "count", "5", "exact")]),
    ("党的二十大精神", [("二十", "count", "20", "exact")]),
    ("六大主题库", [("六", "count", "6", "exact")]),  # 大 is not a counting unit
    ("千方百计", []),  # bare 千/百 without a unit are not numerals
    ("第二批 11 项", [("二批", "batch", "2", "exact"), ("11 项", "entry", "11", "exact")]),
    # one leading floor governs the next number of the clause joined by 和/及/与
    ("完成不少于9家新创和7家复检", [("不少于9家", "establishment", "9", "at_least"),
                              ("7家", "establishment", "7", "at_least")]),
    ("不超过3次及2次", [("不超过3次", "time", "3", "at_most"), ("2次", "time", "2", "at_most")]),
    ("不少于9家，完成7家", [("不少于9家", "establishment", "9", "at_least"),
                        ("7家", "establishment", "7", "exact")]),
    ("超过9家和7家", [("超过9家", "establishment", "9", "more_than"),
                  ("7家", "establishment", "7", "exact")]),  # 超过 is not a floor word
    # a quoted sum with one unit per term: each term takes its unit
    ("严格落实执法人员“60+24”学时学分制度", [("60", "hour", "60", "exact"),
                                     ("24", "credit", "24", "exact")]),
    # 达到 is part of the mention; outside a target it does not qualify the number
    ("创建率达到 98%", [("达到 98%", "percent", "98", "exact")]),
    ("综合评分达到89.47分，连续六期", [("达到89.47分", "point", "89.47", "exact"),
                                ("六期", "issue", "6", "exact")]),
    # English: a letter word is a unit only as a whole word; 'about' after a number is no lead
    ("7,000 about community environment", [("7,000", "count", "7000", "exact")]),
    ("5 casework", [("5", "count", "5", "exact")]),
    ("roundabout 5", [("5", "count", "5", "exact")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), FIND_CASES, ids=[c[0] for c in FIND_CASES])
def test_find_quantities(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    found = find_quantities(text)
    assert [(q.text, q.unit, str(q.value), q.qualifier) for q in found] == expected
    for q in found:
        assert text[q.span[0] : q.span[1]] == q.text


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("规范中队创建率达到 98%", "at_least"),
        ("示范中队创建率达到 40%", "at_least"),
        ("完成不少于9家", "at_least"),
        ("完成9家", "exact"),
    ],
)
def test_in_a_target_reach_is_a_floor(text: str, qualifier: str) -> None:
    (q,) = find_quantities(text, target=True)
    assert q.qualifier == qualifier
    assert find_quantities(text)[0].text == q.text  # the same mention in either reading


def test_every_mention_says_which_numeral_it_is() -> None:
    found = find_quantities("检查 5 次，十类行为，3.6 万人次")
    assert [q.numeral for q in found] == ["arabic", "chinese", "arabic"]


def test_spans_stop_at_the_last_part_not_at_trailing_space() -> None:
    text = "检查 5 次 \n\n，巡查 282 万余次 。"
    assert [q.text for q in find_quantities(text)] == ["5 次", "282 万余次"]


def test_quantity_is_frozen() -> None:
    q = parse_quantity("5334 起")
    with pytest.raises(AttributeError):
        q.value = Decimal(0)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "lang", "reading"),
    [
        ("1.55 万余人次", "en", "more than 15,500 person-times"),
        ("250.47 万平方米", "en", "2,504,700 m²"),
        ("89.4%", "en", "89.4%"),
        ("不少于 9 家", "en", "at least 9 establishments"),
        ("约279万元", "zh", "约2790000元"),
        ("2022 年", "en", "2022 year"),
        ("19.6万", "en", "196,000"),
    ],
)
def test_format_value(text: str, lang: str, reading: str) -> None:
    assert format_value(parse_quantity(text), lang) == reading


def test_str_shows_the_text_and_its_reading() -> None:
    assert str(parse_quantity("2\n\n件")) == "2 件 = 2 items"
    with pytest.raises(ValueError, match="xx"):
        format_value(parse_quantity("2 件"), "xx")


# ---------------------------------------------------------------------------- the primary source


@pytest.fixture(scope="module")
def source() -> str:
    return (raw_dir() / PRIMARY).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def mentions(source: str) -> list[Quantity]:
    return find_quantities(source)


def _one(mentions: list[Quantity], text: str) -> Quantity:
    hits = [q for q in mentions if q.text == text]
    assert len(hits) == 1, f"{text!r} found {len(hits)} times"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "context"),
    [
        ("250.47 万平方米", "2504700", "m2", "exact", "拆除违法建筑 "),
        ("4119起", "4119", "case", "exact", "非现场执法案件"),
        ("89.4%", "89.4", "percent", "exact", "占比升至"),
        ("10.8 万余起", "108000", "case", "more_than", "依法查处案件 "),
        ("1200 块以上", "1200", "panel", "at_least", "广告设施 "),
        ("1.55 万余人次", "15500", "person_time", "more_than", "寄递人员 "),
        ("7 万条次", "70000", "road_time", "exact", "巡查道路 "),
        ("不少于9家", "9", "establishment", "at_least", "完成"),
        ("2\n\n件", "2", "item", "exact", "诉讼情况，"),
        ("2022\n\n年", "2022", "year", "exact", "开展 "),
        ("102061条", "102061", "record", "exact", "检查信息"),
    ],
)
def test_known_mentions_of_the_source(
    source: str, mentions: list[Quantity], text: str, value: str, unit: str, qualifier: str,
    context: str,
) -> None:  # fmt: skip
    q = _one(mentions, text)
    assert source[q.span[0] : q.span[1]] == text
    assert source[q.span[0] - len(context) : q.span[0]] == context
    assert (str(q.value), q.unit, q.qualifier) == (value, unit, qualifier)


def test_every_digit_of_the_source_is_in_a_mention(source: str, mentions: list[Quantity]) -> None:
    covered = set()
    for q in mentions:
        covered.update(range(*q.span))
    missed = [m.start() for m in re.finditer("[0-9]", source) if m.start() not in covered]
    assert not missed, [source[i - 10 : i + 10] for i in missed]


def test_every_chinese_numeral_of_the_source_is_in_a_mention(
    source: str, mentions: list[Quantity]
) -> None:
    covered = set()
    for q in mentions:
        covered.update(range(*q.span))
    # 百 and 千 stand only in 百日 in this text, which is a mention
    missed = [m.start() for m in re.finditer("[零〇一二两三四五六七八九十百千]", source)
              if m.start() not in covered]
    assert not missed, [source[i - 10 : i + 10] for i in missed]


def test_source_mentions_are_ordered_and_disjoint(mentions: list[Quantity]) -> None:
    ends = [q.span[1] for q in mentions]
    starts = [q.span[0] for q in mentions]
    assert all(end <= start for end, start in zip(ends, starts[1:]))
    # the file is immutable, so the count is a regression check on the whole parser
    assert sum(q.numeral == "arabic" for q in mentions) == 211
    assert sum(q.numeral == "chinese" for q in mentions) == 211


@pytest.mark.parametrize("text, value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                         ("一百零五", 105), ("两千", 2000)])
def test_chinese_numeral_is_the_one_parser(text, value):
    assert chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["", "十a", "、", "万"])
def test_chinese_numeral_refuses_what_is_not_one(text):
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_numeral(text)
