"""Hand-checked figures, points and bands of the month in conftest.py (docs/metrics.md)."""

from decimal import Decimal as D

import pytest

from metrics import selectors
from metrics.periods import Period
from metrics.tests.conftest import NOW

MARCH, APRIL, Q1 = Period("thang", 2026, 3), Period("thang", 2026, 4), Period("quy", 2026, 1)


def report(unit, period=MARCH):
    return selectors.unit_report(unit, period, NOW)


def test_department_march_counts(org, month):
    v = report(org.dept).values
    assert (v["received"], v["received_counter"], v["received_online"], v["received_post"]) \
        == (7, 5, 1, 1)
    assert (v["settled"], v["settled_early"], v["settled_on_time"], v["settled_late"]) \
        == (4, 2, 1, 1)
    assert (v["refused"], v["withdrawn"], v["stopped"], v["apologised"]) == (1, 1, 0, 1)
    assert v["carried_over"] == 0
    # F is overdue at NOW; H waits for a supplement, its clock stands still: on time.
    assert (v["open_on_time"], v["open_overdue"]) == (1, 1)
    assert v["settled_on_time_rate"] == D("75.00")          # (2 + 1) / 4
    assert v["online_share"] == D("14.29")                  # 1 online / 7 of online procedures
    assert v["full_online_share"] == D("14.29")


def test_department_march_points_and_band(org, month):
    s = report(org.dept).score
    points = {g.key: g.points for g in s.groups}
    assert points == {"publicity": None, "progress": D("15.00"), "online": D("1.71"),
                      "payment": None, "satisfaction": None, "digitisation": None}
    # 20 × 75 % = 15; 12 × (14.29 + 14.29) / 2 % = 1.7148 → 1.71; 16.71 of 32 → 52.22.
    assert (s.points, s.max_points, s.scaled, s.band) == (D("16.71"), D(32), D("52.22"),
                                                          "Trung bình")


def test_data_that_does_not_exist_is_none_not_zero(org, month):
    v = report(org.dept).values
    for key in ("online_payment_share", "satisfaction_rate", "publicity_rate", "synced_share",
                "digitised_share", "reused_share"):
        assert v[key] is None


def test_commune_march(org, month):
    r = report(org.other)
    v = r.values
    assert (v["received"], v["received_counter"], v["received_online"]) == (2, 1, 1)
    assert (v["settled"], v["settled_on_time"], v["settled_on_time_rate"]) == (1, 1, D("100.00"))
    assert v["online_share"] == D("50.00")
    assert v["full_online_share"] is None   # the commune has no end-to-end online procedure
    assert (v["open_on_time"], v["open_overdue"]) == (0, 1)
    # progress 20; online 12 × 50 % = 6 (only the online share has data); 26 / 32 → 81.25.
    assert (r.score.points, r.score.scaled, r.score.band) == (D("26.00"), D("81.25"), "Tốt")


def test_province_is_the_sum_of_its_subtree(org, month):
    r = report(org.province)
    v = r.values
    assert (v["received"], v["received_counter"], v["received_online"], v["received_post"]) \
        == (9, 6, 2, 1)
    assert (v["settled"], v["settled_early"], v["settled_on_time"], v["settled_late"]) \
        == (5, 2, 2, 1)
    assert v["settled_on_time_rate"] == D("80.00")
    assert v["online_share"] == D("22.22")     # 2 / 9
    assert v["full_online_share"] == D("14.29")  # 1 / 7
    assert (v["open_on_time"], v["open_overdue"]) == (1, 2)
    # 16.00 + 12 × (22.22 + 14.29) / 200 = 2.1906 → 2.19; 18.19 / 32 = 56.84.
    assert (r.score.points, r.score.scaled, r.score.band) == (D("18.19"), D("56.84"),
                                                              "Trung bình")


def test_april_carries_over_the_open_march_dossiers(org, month):
    r = report(org.dept, APRIL)
    v = r.values
    assert v["carried_over"] == 2        # F and H: 7 received − 5 closed (A, B, C, D, E)
    assert (v["received"], v["settled"], v["settled_late"]) == (1, 1, 1)
    assert v["settled_on_time_rate"] == D("0.00")
    assert (r.score.points, r.score.scaled, r.score.band) == (D("0.00"), D("0.00"), "Yếu")


def test_quarter_is_the_sum_of_its_months(org, month):
    assert report(org.dept, Q1).values == report(org.dept, MARCH).values
    year = report(org.dept, Period("nam", 2026)).values
    assert year["received"] == 8 and year["settled"] == 5 and year["settled_late"] == 2


def test_ranking_of_children(org, month):
    ranking = selectors.unit_ranking(org.province, MARCH, NOW)
    assert [r.unit for r in ranking][:2] == [org.other, org.dept]   # 81.25 before 52.22
    assert ranking[-1].score.scaled is None                          # the centre resolves none


@pytest.mark.parametrize("metric", list(selectors.DRILL_LABELS))
def test_every_number_has_its_list(org, month, metric):
    for unit in (org.dept, org.other, org.province):
        for period in (MARCH, APRIL):
            ids = selectors.unit_subtree_ids(unit.pk)
            rows = selectors.dossier_drill(unit_ids=ids, period=period, metric=metric, now=NOW)
            v = selectors.unit_report(unit, period, NOW).values
            expected = {"received_full_online": None}.get(metric, v.get(metric))
            if metric == "received_full_online":
                f = selectors.unit_report(unit, period, NOW).figures
                expected = f.received_full_online_procedure_online
            assert rows.count() == expected, (unit, period, metric)


def test_late_list_names_the_dossiers(org, month):
    ids = selectors.unit_subtree_ids(org.dept.pk)
    late = selectors.dossier_drill(unit_ids=ids, period=MARCH, metric="settled_late", now=NOW)
    assert [d.pk for d in late] == [month["C"].pk]
    overdue = selectors.dossier_drill(unit_ids=ids, period=MARCH, metric="open_overdue", now=NOW)
    assert [d.pk for d in overdue] == [month["F"].pk]
