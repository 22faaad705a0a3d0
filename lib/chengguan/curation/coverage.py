"""Which numerals of a source the tables account for (docs/architecture.md, coverage rule).

Every mention the parser finds in the *raw* text, Arabic ("5334 起") or Chinese ("十类", the 一 of
进一步), is one of:

- covered: it lies inside the raw region of an observation's quote of that source, and its text
  (normalized) is the observation's ``number_text``;
- excluded: it lies inside the raw region of any occurrence of an exclusion's quote;
- uncovered: neither; a number of the source that no table row explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from chengguan import paths, sources
from chengguan.tables.io import read_csv

Status = Literal["covered", "excluded", "uncovered"]
Numeral = Literal["arabic", "chinese"]
NUMERAL_NAMES: dict[str, str] = {"arabic": "Arabic numerals", "chinese": "Chinese numerals"}
CONTEXT = 15  # characters shown on each side of an uncovered mention


@dataclass(frozen=True)
class Mention:
    """One numeral of the raw text and how the tables account for it."""

    text: str  # as in the raw file (may hold a page break)
    span: tuple[int, int]  # raw offsets
    line: int  # line of the raw file where it starts
    status: Status
    by: str | None  # the observation_id or exclusion_id that accounts for it
    context: str  # the mention in ⟦ ⟧ with up to CONTEXT raw characters on each side, one line
    numeral: Numeral = "arabic"  # Arabic ("5334 起") or Chinese ("十类") numeral


@dataclass(frozen=True)
class CoverageReport:
    source_id: str
    mentions: tuple[Mention, ...]

    def _with(self, status: Status) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.status == status)

    def of(self, numeral: Numeral) -> CoverageReport:
        """The same report restricted to Arabic or to Chinese numerals."""
        return CoverageReport(self.source_id, tuple(m for m in self.mentions
                                                    if m.numeral == numeral))

    @property
    def covered(self) -> tuple[Mention, ...]:
        return self._with("covered")

    @property
    def excluded(self) -> tuple[Mention, ...]:
        return self._with("excluded")

    @property
    def uncovered(self) -> tuple[Mention, ...]:
        return self._with("uncovered")

    @property
    def complete(self) -> bool:
        return not self.uncovered

    def counts(self) -> str:
        """'170 mentions: 130 covered, 40 excluded, 0 uncovered'."""
        return (f"{len(self.mentions)} mentions: {len(self.covered)} covered, "
                f"{len(self.excluded)} excluded, {len(self.uncovered)} uncovered")

    def summary(self) -> str:
        """Counts for the source, then for its Arabic and its Chinese numerals, one line each::

            cgzf_2022_summary: 422 mentions: 250 covered, 172 excluded, 0 uncovered
              Arabic numerals: 211 mentions: 180 covered, 31 excluded, 0 uncovered
              Chinese numerals: 211 mentions: 70 covered, 141 excluded, 0 uncovered
        """
        lines = [f"{self.source_id}: {self.counts()}"]
        lines += [f"  {NUMERAL_NAMES[n]}: {self.of(n).counts()}" for n in ("arabic", "chinese")]
        return "\n".join(lines)


def coverage(source_id: str = sources.PRIMARY_SOURCE_ID,
             data_dir: Path | str | None = None) -> CoverageReport:
    """Account for every numeral of ``source_id`` with the observations and exclusions."""
    from chengguan.quantities import find_quantities  # the parser: only when computing coverage

    base = Path(data_dir) if data_dir is not None else paths.data_dir()
    text = sources.normalized_text(source_id, base)
    # (raw region, number_text, observation_id) of every occurrence of every quote
    observed = [
        (region, row["number_text"], row["observation_id"])
        for row in read_csv(base / "observations.csv")
        if row["source_id"] == source_id
        for region in text.raw_regions(row["quote"])
    ]
    excluded = [
        (region, row["exclusion_id"])
        for row in read_csv(base / "exclusions.csv")
        if row["source_id"] == source_id
        for region in text.raw_regions(row["quote"])
    ]
    mentions = []
    for quantity in find_quantities(text.raw):
        span = quantity.span
        normalized, _ = sources.normalize(quantity.text)
        by = next((oid for region, number_text, oid in observed
                   if _inside(span, region) and normalized == number_text), None)
        status: Status = "covered"
        if by is None:
            by = next((eid for region, eid in excluded if _inside(span, region)), None)
            status = "uncovered" if by is None else "excluded"
        mentions.append(Mention(quantity.text, span, text.line_of(span[0]), status, by,
                                _context(text.raw, span), quantity.numeral))
    return CoverageReport(source_id, tuple(mentions))


def _inside(span: tuple[int, int], region: tuple[int, int]) -> bool:
    return region[0] <= span[0] and span[1] <= region[1]


def _context(raw: str, span: tuple[int, int]) -> str:
    start, end = span
    shown = (raw[max(0, start - CONTEXT):start] + "⟦" + raw[start:end] + "⟧"
             + raw[end:end + CONTEXT])
    return shown.replace("\n", "⏎")
