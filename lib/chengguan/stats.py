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
from dataclasses import asdict, dataclass
from typing import Literal

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
