"""The PAR Index arithmetic: points under each kind of answer, totals, rank and group."""

from decimal import Decimal as D

import pytest

from motcua.errors import DomainError
from reform.par.scoring import group_for, points_for, ranks, total

SCALE = [{"from": 100, "points": 4}, {"from": 98, "points": 3}, {"from": 95, "points": 2},
         {"from": 90, "points": 1}, {"from": 0, "points": 0}]


@pytest.mark.parametrize("kind, value, points", [
    ("yes_no", "yes", D("2.00")), ("yes_no", "no", D("0.00")), ("yes_no", "na", None),
    ("percent", "100", D("4.00")), ("percent", "99.99", D("3.00")), ("percent", "98", D("3.00")),
    ("percent", "94,9", D("1.00")), ("percent", "12", D("0.00")), ("percent", "na", None),
    ("points", "1.5", D("1.50")), ("number", "3", D("3.00")),
])
def test_points_under_each_kind(kind, value, points):
    scale = SCALE if kind != "number" else [{"from": 3, "points": 3}, {"from": 0, "points": 0}]
    assert points_for(kind=kind, value=value, max_points=D(2) if kind == "yes_no" else D(4),
                      scale=scale) == points


@pytest.mark.parametrize("kind, value", [("yes_no", "co"), ("percent", "101"),
                                         ("percent", "abc"), ("points", "5"),
                                         ("number", "-1"), ("percent", "NaN")])
def test_values_that_do_not_fit_are_refused_naming_the_field(kind, value):
    with pytest.raises(DomainError) as caught:
        points_for(kind=kind, value=value, max_points=D(4), scale=SCALE)
    assert caught.value.fields == {"value": ["invalid"]}


def test_not_applicable_leaves_the_total_and_rescales():
    t = total([(D(4), D(3)), (D(2), None), (D(4), D("4.5"))])
    assert (t.points, t.max_points, t.percent) == (D("7.50"), D("8.00"), D("93.75"))
    assert total([(D(2), None)]).percent is None


def test_groups_and_competition_ranks(settings):
    settings.MOTCUA_PAR_GROUPS = [("A", 90), ("B", 80), ("C", 70), ("D", 0)]
    assert [group_for(D(p)) for p in ("90", "89.99", "80", "70", "12")] == list("ABBCD")
    assert group_for(None) == ""
    assert ranks([D(80), D(95), D(80), None, D(70)]) == [2, 1, 2, None, 4]
