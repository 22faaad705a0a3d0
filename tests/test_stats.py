"""Intervals against published reference values (Garwood 1936 tables; Wilson/Clopper-Pearson)."""

from __future__ import annotations

import pytest

from chengguan.stats import (
    Rate,
    implied_count_range,
    poisson_interval,
    poisson_rate,
    proportion,
    proportion_interval,
)


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (10, 4.7954, 18.3904)],
)
def test_exact_poisson_95(count: int, low: float, high: float) -> None:
    lo, hi = poisson_interval(count, 0.95)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_poisson_interval_narrows_with_lower_confidence() -> None:
    lo90, hi90 = poisson_interval(10, 0.90)
    lo95, hi95 = poisson_interval(10, 0.95)
    assert lo95 < lo90 < 10 < hi90 < hi95


def test_wilson_and_clopper_pearson_for_9_of_10() -> None:
    assert proportion_interval(9, 10, 0.95, "wilson") == pytest.approx((0.5958, 0.9821), abs=1e-4)
    assert proportion_interval(9, 10, 0.95, "beta") == pytest.approx((0.5550, 0.9975), abs=1e-4)


def test_rate_carries_its_denominator_and_scales_interval() -> None:
    rate = poisson_rate(17747, 225000, 0.95, per=1000)
    assert isinstance(rate, Rate)
    assert (rate.numerator, rate.denominator, rate.per) == (17747, 225000, 1000)
    assert rate.value == pytest.approx(78.8756, abs=1e-4)
    lo, hi = poisson_interval(17747, 0.95)
    assert rate.low == pytest.approx(lo / 225)
    assert rate.high == pytest.approx(hi / 225)
    assert "Poisson" in rate.method
    assert "17747/225000" in str(rate)


def test_proportion_rate_uses_the_chosen_method() -> None:
    rate = proportion(9, 10, method="wilson", note="rounded")
    assert rate.value == pytest.approx(0.9)
    assert rate.method.startswith("Wilson")
    assert rate.note == "rounded"
    assert rate.as_dict()["denominator"] == 10


@pytest.mark.parametrize("bad", [(-1, 10), (11, 10), (1.5, 10), (0, 0)])
def test_proportion_rejects_impossible_counts(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError):
        proportion_interval(*bad)


def test_rejects_bad_confidence_and_exposure() -> None:
    with pytest.raises(ValueError):
        poisson_interval(3, 1.0)
    with pytest.raises(ValueError):
        poisson_rate(3, 0)


def test_implied_count_range_of_a_rounded_share() -> None:
    # 90% of 6052 printed without decimals: 89.5% <= k/6052 < 90.5%.
    assert implied_count_range(90, 6052, 0) == (5417, 5477)
    # 52.3% of 4295 with one decimal: 52.25% <= k/4295 < 52.35%.
    assert implied_count_range(52.3, 4295, 1) == (2245, 2248)
    # an exact edge is excluded at the top: 181/200 = 90.5% rounds (half-up) to 91%.
    assert implied_count_range(90, 200, 0) == (179, 180)
    with pytest.raises(ValueError):
        implied_count_range(50, 1, 0)
