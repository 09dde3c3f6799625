"""The standard-cost arithmetic (regulations/costs.py)."""

from decimal import Decimal

from regulations.costs import CostInputs, cost_per_dossier, cost_per_year, saving, share_percent


def test_cost_per_dossier_is_time_times_hourly_cost_plus_fees_plus_outside():
    # 6.5 h × 25,000 đ + 100,000 đ fee + 30,000 đ copies and certification
    c = CostInputs(hours=Decimal("6.5"), hourly_cost=25_000, fees=100_000, outside=30_000)
    assert cost_per_dossier(c) == 292_500


def test_cost_per_year_multiplies_by_the_dossiers_of_a_year():
    c = CostInputs(hours=Decimal("6.5"), hourly_cost=25_000, fees=100_000, outside=30_000)
    assert cost_per_year(c, 1_200) == 351_000_000
    assert cost_per_year(c, 0) == 0


def test_half_dong_rounds_up():
    c = CostInputs(hours=Decimal("0.5"), hourly_cost=3, fees=0, outside=0)
    assert cost_per_dossier(c) == 2


def test_saving_and_its_share():
    before = CostInputs(hours=Decimal(8), hourly_cost=25_000, fees=200_000, outside=50_000)
    after = CostInputs(hours=Decimal(4), hourly_cost=25_000, fees=100_000, outside=0)
    s = saving(before, after, 100)
    assert (s.before, s.after, s.saved) == (45_000_000, 20_000_000, 25_000_000)
    assert s.percent == 55.6


def test_a_change_that_costs_more_saves_a_negative_amount():
    before = CostInputs(hours=Decimal(1), hourly_cost=10_000, fees=0, outside=0)
    after = CostInputs(hours=Decimal(2), hourly_cost=10_000, fees=0, outside=0)
    s = saving(before, after, 10)
    assert s.saved == -100_000 and s.percent == -100.0


def test_no_cost_before_has_no_percent():
    zero = CostInputs(hours=Decimal(0), hourly_cost=0, fees=0, outside=0)
    assert saving(zero, zero, 50).percent is None
    assert share_percent(1, 0) is None and share_percent(1, 5) == 20.0
