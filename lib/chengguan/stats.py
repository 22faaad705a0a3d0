"""Intervals for counts and proportions, and rates that always carry their denominator.

Every figure of the reports is a count over some exposure (days, inspections, person-times) or a
share of a known whole, so two exact methods cover nearly everything:

- counts and rates per exposure: the exact (Garwood) Poisson interval, via ``statsmodels``'
  ``confint_poisson(method="exact-c")``;
- proportions: Clopper-Pearson ("beta") or Wilson, via ``statsmodels``' ``proportion_confint``.

A :class:`Rate` keeps numerator and denominator next to the value, so a notebook can always show
what a ratio was computed from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

import pandas as pd
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

ProportionMethod = Literal["beta", "wilson"]

_METHOD_NAMES = {
    "poisson": "exact Poisson (Garwood)",
    "beta": "exact binomial (Clopper-Pearson)",
    "wilson": "Wilson score",
}


def _alpha(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return 1.0 - confidence


def _count(value: float, what: str) -> int:
    """``value`` as a non-negative whole number (counts read from the tables are floats)."""
    if value < 0 or not math.isfinite(value) or value != round(value):
        raise ValueError(f"{what} must be a non-negative whole number, got {value!r}")
    return int(round(value))


def poisson_interval(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact two-sided interval for the mean of a Poisson variable observed as ``count``.

    The lower limit is 0 when ``count`` is 0.
    """
    k = _count(count, "count")
    alpha = _alpha(confidence)
    low, high = confint_poisson(k, 1, method="exact-c", alpha=alpha)
    return float(low), float(high)


def proportion_interval(
    successes: float, trials: float, confidence: float = 0.95, method: ProportionMethod = "beta"
) -> tuple[float, float]:
    """Interval for a proportion: ``"beta"`` (Clopper-Pearson, exact) or ``"wilson"``."""
    k = _count(successes, "successes")
    n = _count(trials, "trials")
    if n == 0 or k > n:
        raise ValueError(f"need 0 <= successes <= trials and trials > 0, got {k}/{n}")
    if method not in ("beta", "wilson"):
        raise ValueError(f"method must be 'beta' or 'wilson', got {method!r}")
    low, high = proportion_confint(k, n, alpha=_alpha(confidence), method=method)
    return float(low), float(high)


@dataclass(frozen=True)
class Rate:
    """A ratio with its interval and everything it was computed from.

    ``value``, ``low`` and ``high`` are already multiplied by ``per`` (e.g. per 1,000 inspections).
    ``note`` says anything a reader must know (bounds, different definitions, rounding).
    """

    numerator: float
    denominator: float
    value: float
    low: float
    high: float
    method: str
    confidence: float
    per: float = 1.0
    note: str = ""

    def as_dict(self) -> dict[str, float | str]:
        """The fields as a plain dict (for building DataFrames)."""
        return asdict(self)

    def __str__(self) -> str:
        pct = round(self.confidence * 100, 1)
        per = "" if self.per == 1 else f" per {self.per:g}"
        text = (
            f"{self.value:.4g}{per} ({self.numerator:g}/{self.denominator:g}; "
            f"{pct:g}% CI {self.low:.4g}–{self.high:.4g}, {self.method})"
        )
        return f"{text} [{self.note}]" if self.note else text


def poisson_rate(
    count: float,
    exposure: float,
    confidence: float = 0.95,
    *,
    per: float = 1.0,
    note: str = "",
) -> Rate:
    """``count / exposure * per`` with the exact Poisson interval of the count scaled alike.

    The exposure (days, inspections, person-times) is taken as known without error.
    """
    if not exposure > 0:
        raise ValueError(f"exposure must be positive, got {exposure!r}")
    low, high = poisson_interval(count, confidence)
    scale = per / exposure
    return Rate(
        numerator=float(count),
        denominator=float(exposure),
        value=float(count) * scale,
        low=low * scale,
        high=high * scale,
        method=_METHOD_NAMES["poisson"],
        confidence=confidence,
        per=per,
        note=note,
    )


def proportion(
    successes: float,
    trials: float,
    confidence: float = 0.95,
    method: ProportionMethod = "beta",
    *,
    per: float = 1.0,
    note: str = "",
) -> Rate:
    """``successes / trials * per`` with a Clopper-Pearson or Wilson interval."""
    low, high = proportion_interval(successes, trials, confidence, method)
    return Rate(
        numerator=float(successes),
        denominator=float(trials),
        value=float(successes) / float(trials) * per,
        low=low * per,
        high=high * per,
        method=_METHOD_NAMES[method],
        confidence=confidence,
        per=per,
        note=note,
    )


def implied_count_range(share_percent: float, total: float, decimals: int) -> tuple[int, int]:
    """Whole counts ``k`` out of ``total`` whose share rounds to ``share_percent``.

    A share printed as "90%" (``decimals=0``) means anything in [89.5%, 90.5%); the result is the
    smallest and largest ``k`` with ``k/total`` in that half-open interval. Raises ``ValueError``
    when no whole count fits.
    """
    n = _count(total, "total")
    half = 0.5 * 10.0 ** (-decimals)
    lo_share, hi_share = (share_percent - half) / 100.0, (share_percent + half) / 100.0
    low = math.ceil(lo_share * n - 1e-9)
    high = math.ceil(hi_share * n - 1e-9) - 1  # strictly below the upper edge
    low, high = max(low, 0), min(high, n)
    if low > high:
        raise ValueError(f"no whole count out of {n} rounds to {share_percent}%")
    return low, high


# -- what a printed figure stands for ---------------------------------------------------------
#
# A figure such as "22.5万" is rounded: it stands for every true value that prints that way. The
# interval is the largest uncertainty of most figures in these reports, far larger than counting
# noise, so the notebooks carry it through every ratio (``ratio_bounds``).

_UNBOUNDED_ABOVE = ("以上", "超过", "逾", "不少于", "至少", "达到", "more than", "over",
                    "at least")
_NEARLY = ("近", "nearly", "almost")


# "330万余": the remainder follows the unit, so it is less than one of that unit.
_REMAINDER_AFTER_UNIT = re.compile(r"[万亿]\s*[余多]")


def rounding_step(number_text: str) -> float:
    """The place value of the last printed digit of a figure: "22.5万" -> 1000, "89.4%" -> 0.1.

    A whole number written in full ("5334 起", "十类", "74,000 cases") has step 1. For "余" figures
    the step of an integer is that of its last non-zero digit ("4000 余" -> 1000, "330余万" -> 10万),
    the reading of "余" as "and a remainder below the next unit"; written after the unit, the
    remainder is below that unit ("330万余" -> 1万). The figure is read by the quantity parser, so
    Chinese numerals and thousands separators count as they are written.
    """
    from chengguan.quantities import QuantityParseError, parse_quantity

    try:
        quantity = parse_quantity(number_text)
    except QuantityParseError as error:
        raise ValueError(f"no figure in {number_text!r}: {error}") from None
    exponent = quantity.number.as_tuple().exponent
    assert isinstance(exponent, int)
    scale = quantity.multiplier
    if exponent < 0:
        return scale * 10.0 ** exponent
    if _REMAINDER_AFTER_UNIT.search(number_text):
        return float(scale)
    if "余" in number_text or "多" in number_text:
        return _last_nonzero_step(quantity.number, scale)
    return float(scale)


def _last_nonzero_step(number: Decimal, scale: int) -> float:
    """The place value of the last non-zero digit of a whole number ("4000" -> 1000)."""
    whole = str(int(number))
    return scale * 10.0 ** (len(whole) - len(whole.rstrip("0")))


def printed_bounds(value: float, qualifier: str, number_text: str) -> tuple[float, float]:
    """The closed interval ``[low, high]`` of true values that a printed figure stands for.

    - exact: the rounding interval, ``value ± step/2`` (a whole number written in full is exact:
      ``[value, value]``, since counts are whole; a whole percentage is rounded: "90%" is 89.5–90.5);
    - more_than: "余"/"多" mean a remainder below the next unit of the last printed digit
      (``(value, value + step)``, returned closed); "超过"/"逾"/"more than" give no upper bound
      (``inf``);
    - at_least (以上, 不少于, 至少, 达到): ``[value, inf)``;
    - at_most: ``[0, value]``;
    - approximate: "近" (nearly) ``[value - step, value]``; otherwise the rounding interval, a
      round number rounded at its last non-zero digit ("about 8,000": 7,500-8,500).
    """
    step = rounding_step(number_text)
    # A count printed in full is exact; a decimal, a rounded 万 figure or a percentage is rounded.
    rounded = step > 1 or "." in number_text or "%" in number_text or "％" in number_text
    half = step / 2 if rounded else 0.0
    if qualifier == "exact":
        return float(value - half), float(value + half)
    words = number_text.lower()
    if qualifier == "more_than":
        if any(word in words for word in _UNBOUNDED_ABOVE):
            return float(value), math.inf
        return float(value), float(value + step)
    if qualifier == "at_least":
        return float(value), math.inf
    if qualifier == "at_most":
        return 0.0, float(value)
    if qualifier == "approximate":
        if any(word in words for word in _NEARLY):
            return float(value - step), float(value)
        # "约 8000", "about 8,000": a round number said to be approximate is rounded at its last
        # non-zero digit, as 余 is read (about 8,000 is 7,500-8,500, not 7,999.5-8,000.5).
        from chengguan.quantities import parse_quantity

        quantity = parse_quantity(number_text)
        exponent = quantity.number.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            step = max(step, _last_nonzero_step(quantity.number, quantity.multiplier))
        return float(value - step / 2), float(value + step / 2)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def bounds(obs: pd.DataFrame) -> pd.DataFrame:
    """``low`` and ``high`` for each observation row (``value``, ``qualifier``, ``number_text``).

    Keyed by the rows' index (and ``observation_id`` when present), so it joins back to ``obs``.
    """
    pairs = [printed_bounds(float(v), q, t)
             for v, q, t in zip(obs["value"], obs["qualifier"], obs["number_text"])]
    out = pd.DataFrame(pairs, columns=["low", "high"], index=obs.index, dtype="float64")
    if "observation_id" in obs:
        out.insert(0, "observation_id", obs["observation_id"])
    return out


def ratio_bounds(num_low: float, num_high: float, den_low: float, den_high: float,
                 *, per: float = 1.0) -> tuple[float, float]:
    """Smallest and largest ``num / den * per`` over the two intervals (positive denominators)."""
    if not den_low > 0:
        raise ValueError(f"the denominator interval must be positive, got [{den_low}, {den_high}]")
    low = num_low / den_high * per
    high = math.inf if math.isinf(num_high) else num_high / den_low * per
    return low, high


def count_ratio(numerator: float, denominator: float, confidence: float = 0.95, *,
                per: float = 1.0, note: str = "") -> Rate:
    """``numerator / denominator * per`` where both are counts (e.g. cases per inspection).

    The interval is the exact conditional (Clopper-Pearson on ``k1 / (k1 + k2)``) one for the
    ratio of two Poisson means:
    both counts are read as draws from processes with unknown means, the reading under which an
    interval on a complete administrative count means anything at all.
    """
    k1 = _count(numerator, "numerator")
    k2 = _count(denominator, "denominator")
    if k2 == 0:
        raise ValueError("the denominator count must be positive")
    # Given k1 + k2, k1 is binomial with p = r / (1 + r): the Clopper-Pearson interval of p maps
    # to an exact interval of the ratio r.
    p_low, p_high = proportion_confint(k1, k1 + k2, alpha=_alpha(confidence), method="beta")
    low = p_low / (1 - p_low)
    high = math.inf if p_high >= 1 else p_high / (1 - p_high)
    return Rate(
        numerator=float(k1), denominator=float(k2), value=k1 / k2 * per,
        low=float(low) * per, high=float(high) * per,
        method="exact conditional ratio of two Poisson counts", confidence=confidence,
        per=per, note=note,
    )


RATIO_KEY = ("source_id", "scope_id", "period_start", "period_end")
"""Rows of one source, scope and period: the figures a ratio may pair (same count, same time)."""


def paired_ratios(obs: pd.DataFrame, pairs: Sequence[tuple[str, str, str, float]], *,
                  key: Sequence[str] = RATIO_KEY) -> pd.DataFrame:
    """``numerator / denominator * per`` wherever one group of ``obs`` holds both indicators.

    ``obs`` are rows of ``load_observations``; ``pairs`` are ``(ratio_id, numerator indicator_id,
    denominator indicator_id, per)``. A group is one value of ``key`` (by default one source, scope
    and period, so that a ratio never mixes sources or years). Columns: ratio_id, the ``key``
    columns, numerator_id and denominator_id (the observation ids), value, and low and high, the
    range the two printed figures allow (``printed_bounds`` through ``ratio_bounds``). A group
    holding an indicator twice is an error: the ratio would be ambiguous.
    """
    columns = ["ratio_id", *key, "numerator_id", "denominator_id", "value", "low", "high"]
    # low and high are always recomputed from the printed figures (a frame may carry older ones)
    with_bounds = obs.drop(columns=["low", "high"], errors="ignore").join(bounds(obs)[["low", "high"]])
    rows = []
    for group_key, group in with_bounds.groupby(list(key), sort=True):
        duplicated = group.indicator_id[group.indicator_id.duplicated()]
        by_indicator = group.set_index("indicator_id")
        for ratio_id, numerator, denominator, per in pairs:
            if numerator not in by_indicator.index or denominator not in by_indicator.index:
                continue
            if numerator in set(duplicated) or denominator in set(duplicated):
                raise ValueError(f"{ratio_id}: several rows of one indicator in the group {group_key}")
            num, den = by_indicator.loc[numerator], by_indicator.loc[denominator]
            low, high = ratio_bounds(num.low, num.high, den.low, den.high, per=per)
            rows.append([ratio_id, *(group_key if isinstance(group_key, tuple) else (group_key,)),
                         num.observation_id, den.observation_id, num.value / den.value * per, low, high])
    # typed even when empty, so that callers can use .dt on the periods of no ratio at all
    types = {**{k: obs[k].dtype for k in key}, "value": "float64", "low": "float64", "high": "float64"}
    return pd.DataFrame(rows, columns=columns).astype(types)
