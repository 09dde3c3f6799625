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
    assert points == {"publicity": D("12.86"), "progress": D("15.00"), "online": D("1.71"),
                      "payment": None, "satisfaction": None, "digitisation": D("8.25")}
    # publicity 18 × 71.43 % (5 of 7 synced) = 12.8574 → 12.86 (the only publicity indicator
    # with data); 20 × 75 % = 15; 12 × (14.29 + 14.29) / 2 % = 1.7148 → 1.71; digitisation
    # 22 × (50 + 25) / 2 % = 8.25; 37.82 of 18 + 20 + 12 + 22 = 72 → 52.53.
    assert (s.points, s.max_points, s.scaled, s.band) == (D("37.82"), D(72), D("52.53"),
                                                          "Trung bình")


def test_data_that_does_not_exist_is_none_not_zero(org, month):
    v = report(org.dept).values
    for key in ("online_payment_share", "satisfaction_rate", "publicity_rate"):
        assert v[key] is None
    # The commune settled nothing in April: its digitisation shares are "—", not 0 %; it
    # received nothing either, so its sync share is "—" too.
    april = report(org.other, APRIL).values
    for key in ("synced_share", "digitised_share", "digitised_papers_share", "e_result_share",
                "reused_share"):
        assert april[key] is None


def test_commune_march(org, month):
    r = report(org.other)
    v = r.values
    assert (v["received"], v["received_counter"], v["received_online"]) == (2, 1, 1)
    assert (v["settled"], v["settled_on_time"], v["settled_on_time_rate"]) == (1, 1, D("100.00"))
    assert v["online_share"] == D("50.00")
    assert v["full_online_share"] is None   # the commune has no end-to-end online procedure
    assert (v["open_on_time"], v["open_overdue"]) == (0, 1)
    assert (v["synced_share"], v["digitised_share"], v["e_result_share"]) \
        == (D("50.00"), D("50.00"), D("100.00"))
    # publicity 18 × 50 % = 9; progress 20; online 12 × 50 % = 6 (only the online share has
    # data); digitisation 22 × (50 + 0) / 2 % = 5.5; 40.50 / 72 → 56.25.
    assert (r.score.points, r.score.scaled, r.score.band) == (D("40.50"), D("56.25"),
                                                              "Trung bình")


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
    assert v["synced_share"] == D("66.67")      # 6 of 9 (the centre resolves none)
    # publicity 18 × 66.67 % = 12.0006 → 12.00; progress 16.00; online 12 × (22.22 + 14.29) /
    # 200 = 2.1906 → 2.19; digitisation 22 × (50 + 20) / 200 = 7.70; 37.89 / 72 = 52.63.
    assert (r.score.points, r.score.scaled, r.score.band) == (D("37.89"), D("52.63"),
                                                              "Trung bình")


def test_a_province_that_holds_every_unit_is_read_without_a_unit_list(org, month):
    from accounts.models import Unit

    tree = selectors.unit_tree()
    assert tree.scope(org.province.pk) is None
    assert tree.scope(org.dept.pk) == {org.dept.pk}
    whole = report(org.province).values
    # Another root (a second province in the same installation) and an inactive unit: the
    # province is then read through the list of its units, and its figures are the same.
    Unit.objects.create(code="000.00.00.H98", name="UBND tỉnh Bên cạnh", kind=Unit.Kind.PROVINCE)
    Unit.objects.create(code="000.00.16.H99", name="Sở đã giải thể", parent=org.province,
                        kind=Unit.Kind.DEPARTMENT, is_active=False)
    tree = selectors.unit_tree()
    assert tree.scope(org.province.pk) == {org.province.pk, org.centre.pk, org.dept.pk,
                                           org.other.pk}
    assert report(org.province).values == whole


def test_april_carries_over_the_open_march_dossiers(org, month):
    r = report(org.dept, APRIL)
    v = r.values
    assert v["carried_over"] == 2        # F and H: 7 received − 5 closed (A, B, C, D, E)
    assert (v["received"], v["settled"], v["settled_late"]) == (1, 1, 1)
    assert v["settled_on_time_rate"] == D("0.00")
    # I's messages all acknowledged: publicity 18; everything else 0; 18 / 72 = 25.00.
    assert (r.score.points, r.score.scaled, r.score.band) == (D("18.00"), D("25.00"), "Yếu")


def test_quarter_is_the_sum_of_its_months(org, month):
    assert report(org.dept, Q1).values == report(org.dept, MARCH).values
    year = report(org.dept, Period("nam", 2026)).values
    assert year["received"] == 8 and year["settled"] == 5 and year["settled_late"] == 2


def test_ranking_of_children(org, month):
    ranking = selectors.unit_ranking(org.province, MARCH, NOW)
    assert [r.unit for r in ranking][:2] == [org.other, org.dept]   # 56.25 before 52.53
    assert ranking[-1].score.scaled is None                          # the centre resolves none


@pytest.mark.parametrize("metric", list(selectors.DRILL_LABELS))
def test_every_number_has_its_list(org, month, metric):
    for unit in (org.dept, org.other, org.province):
        for period in (MARCH, APRIL):
            # The province's scope is every unit (None): its lists take no unit condition.
            ids = selectors.unit_tree().scope(unit.pk)
            rows = selectors.dossier_drill(unit_ids=ids, period=period, metric=metric, now=NOW)
            r = selectors.unit_report(unit, period, NOW)
            f = r.figures
            expected = {
                "received_full_online": f.received_full_online_procedure_online,
                "not_synced": f.sync_waiting,
            }.get(metric, r.values.get(metric, getattr(f, metric, None)))
            assert rows.count() == expected, (unit, period, metric)


def test_late_list_names_the_dossiers(org, month):
    ids = selectors.unit_subtree_ids(org.dept.pk)
    late = selectors.dossier_drill(unit_ids=ids, period=MARCH, metric="settled_late", now=NOW)
    assert [d.pk for d in late] == [month["C"].pk]
    overdue = selectors.dossier_drill(unit_ids=ids, period=MARCH, metric="open_overdue", now=NOW)
    assert [d.pk for d in overdue] == [month["F"].pk]
