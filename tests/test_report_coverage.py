"""Every observation of the primary source appears, with its quote, in at least one report."""

from __future__ import annotations

import re

from notebook_runs import html_outputs, reports

import chengguan.display as show
from chengguan.sources import PRIMARY_SOURCE_ID
from chengguan.tables import load_observations

_SHOWN = re.compile(r'<code class="obs-id">([^<]+)</code>')


def test_every_primary_observation_is_in_some_report() -> None:
    shown: dict[str, str] = {}
    for name, nb in reports().items():
        html = html_outputs(nb)
        for observation_id in _SHOWN.findall(html):
            shown.setdefault(observation_id, html)
    obs = load_observations(source=PRIMARY_SOURCE_ID)
    missing = [row.observation_id for row in obs.itertuples()
               if row.observation_id not in shown
               or show.esc(row.quote) not in shown[row.observation_id]]
    assert not missing, f"{len(missing)} of {len(obs)} observations in no report: {missing}"
