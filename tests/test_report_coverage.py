"""Every observation of every source appears, with its quote, in at least one report."""

from __future__ import annotations

import re
from collections import defaultdict

from notebook_runs import html_outputs, reports

import chengguan.display as show
from chengguan.tables import load_observations

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_SHOWN = re.compile(r'<code class="obs-id">([^<]+)</code>')


def shown_rows(html: str) -> dict[str, list[str]]:
    """The table rows of ``html`` that name an observation (``show.figures`` rows), by its id."""
    rows: dict[str, list[str]] = defaultdict(list)
    for row in _ROW.findall(html):
        for observation_id in _SHOWN.findall(row):
            rows[observation_id].append(row)
    return rows


def quote_shown(quote: str, rows: list[str]) -> bool:
    """Whether one of ``rows`` carries ``quote`` as the display helpers write data text: escaped by
    ``show.esc`` (an apostrophe becomes ``&#x27;``), so the comparison is like with like."""
    return any(show.esc(quote) in row for row in rows)


def test_a_quote_is_compared_as_the_display_helpers_escape_it() -> None:
    obs = load_observations(source="fengxian_en_2018_12_03")
    html = str(show.figures(obs, "en").html)
    rows = shown_rows(html)
    row = obs.iloc[0]
    # "the city's urban environment": the page carries the escaped apostrophe, not the raw one
    assert "city's" in row.quote and "city&#x27;s" in html and "city's" not in html
    assert quote_shown(row.quote, rows[row.observation_id])
    # the same row without its quote, or the quote under another observation, does not count
    assert not quote_shown(row.quote, [r.replace(show.esc(row.quote), "") for r in rows[row.observation_id]])
    assert not rows.get("cgzf2022_0001")


def test_every_observation_is_in_some_report() -> None:
    shown: dict[str, list[str]] = defaultdict(list)
    for nb in reports().values():
        for observation_id, rows in shown_rows(html_outputs(nb)).items():
            shown[observation_id].extend(rows)
    obs = load_observations()
    missing = obs[[not quote_shown(row.quote, shown.get(row.observation_id, []))
                   for row in obs.itertuples()]]
    by_source = {source: list(group.observation_id) for source, group in missing.groupby("source_id")}
    assert missing.empty, (f"{len(missing)} of {len(obs)} observations shown with their quote in no "
                           f"report, by source: {by_source}")
