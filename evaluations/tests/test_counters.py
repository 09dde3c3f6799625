"""Evaluation counters: counted with the evaluation, rebuilt the same, read by the service index."""

from decimal import Decimal

from django.core.management import call_command

from dossiers.tests.conftest import at
from evaluations.counters import (
    evaluation_counters_from_table,
    evaluation_counters_rebuild,
    evaluation_counters_table,
)
from evaluations.models import Evaluation, EvaluationCounter
from evaluations.services import evaluation_submit
from evaluations.tests.conftest import answers, returned_dossier
from metrics.counters import counters_table
from metrics.periods import Period
from metrics.selectors import unit_report

NOW = at("2026-03-31 12:00")


def _evaluate(org, make_dossier, day: str, overall: str, points: int) -> Evaluation:
    d = returned_dossier(org, make_dossier, day=day)
    # The applicant's own answers (the lookup's visitor online): a desk officer's kiosk entry
    # counts only once confirmed (audit8, test_officer_entered.py).
    return evaluation_submit(dossier=d, actor=None, channel=Evaluation.Channel.ONLINE,
                             answers=answers(points, overall=overall), at=at(f"{day} 14:00"))


def test_counted_per_vietnam_day_and_competent_unit(org, make_dossier, settings):
    settings.MOTCUA_SMS_URL = ""
    _evaluate(org, make_dossier, "2026-03-02", "very_satisfied", 2)
    _evaluate(org, make_dossier, "2026-03-02", "unsatisfied", 1)
    e = _evaluate(org, make_dossier, "2026-03-03", "satisfied", 0)
    # 06:30 in Vietnam is the previous day in UTC: the counter is on the Vietnam day.
    Evaluation.objects.filter(pk=e.pk).update(created_at=at("2026-03-03 06:30"))
    rows = evaluation_counters_table()
    day1 = rows[(at("2026-03-02 00:00").date(), org.dept.pk)]
    assert day1 == {"evaluated": 2, "very_satisfied": 1, "satisfied": 0, "unsatisfied": 1,
                    "points": 27, "officer_unconfirmed": 0}
    assert rows[(at("2026-03-03 00:00").date(), org.dept.pk)]["satisfied"] == 1

    # Rebuild = incremental, also through the service index's rebuild command; the dossier
    # counters are untouched by it.
    assert evaluation_counters_from_table() == rows
    dossier_rows = counters_table()
    assert evaluation_counters_rebuild() == 2
    assert evaluation_counters_table() == rows
    EvaluationCounter.objects.all().delete()
    call_command("metrics_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert evaluation_counters_table() == rows
    assert counters_table() == dossier_rows


def test_satisfaction_rate_in_the_service_index(org, make_dossier, settings):
    settings.MOTCUA_SMS_URL = ""
    march = Period("thang", 2026, 3)
    before = unit_report(org.province, march, NOW)
    assert before.values["satisfaction_rate"] is None  # 0 of 0 is "no data", not 0 %
    assert before.score.groups[4].points is None

    _evaluate(org, make_dossier, "2026-03-02", "very_satisfied", 2)
    _evaluate(org, make_dossier, "2026-03-03", "satisfied", 2)
    _evaluate(org, make_dossier, "2026-03-04", "unsatisfied", 0)
    report = unit_report(org.province, march, NOW)  # the province: sum over its subtree
    assert (report.figures.evaluated, report.figures.satisfied) == (3, 2)
    assert report.values["satisfaction_rate"] == Decimal("66.67")
    satisfaction = next(g for g in report.score.groups if g.key == "satisfaction")
    assert satisfaction.points == Decimal("12.00")  # 18 × 66.67 %
    # Another unit's subtree and another month see none of them.
    assert unit_report(org.other, march, NOW).values["satisfaction_rate"] is None
    assert unit_report(org.province, Period("thang", 2026, 4), NOW).figures.evaluated == 0
