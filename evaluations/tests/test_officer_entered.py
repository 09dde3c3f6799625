"""audit8: an evaluation a desk officer enters at the counter (the web kiosk in the officer's
session, the API's kiosk channel) is kept with who entered it and marked so; it counts in the
service index (Decision 766) and the PAR Index only once the applicant confirms it with the
one-time code sent to the dossier's contact. Before, nothing told such answers from the
applicant's own and they all counted. The evaluation screen facing the applicant is unchanged."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from evaluations.counters import evaluation_counters_from_table, evaluation_counters_table
from evaluations.models import Evaluation, EvaluationCounter
from evaluations.services import (
    evaluation_confirm,
    evaluation_confirm_resend,
    evaluation_submit,
)
from metrics.periods import Period
from metrics.selectors import unit_report
from motcua.errors import DomainError, NotAllowed
from notifications.models import Kind, Notification

from .conftest import answers

SMS_CODE = re.compile(r"Mã xác nhận đánh giá hồ sơ \S+: (\d{6})\.")


@pytest.fixture
def sms(settings):
    settings.MOTCUA_SMS_URL = "https://sms.example.vn/send"


def _code(dossier) -> str:
    sent = Notification.objects.filter(kind=Kind.EVALUATION_CONFIRM, channel="sms",
                                       body__contains=dossier.code).order_by("-pk").first()
    assert sent is not None and sent.recipient == "0914222333"
    return SMS_CODE.search(sent.body).group(1)


def _figures(org, dossier):
    day = dossier.evaluation.created_at
    # The year in Vietnam, as the counters file the evaluation: the stored moment is UTC, a year
    # behind between 00:00 and 07:00 on 1 January (the year's figures then read 0).
    year = timezone.localtime(day).year
    return unit_report(org.dept, Period("nam", year, None), day + timedelta(hours=1)).figures


def test_the_kiosk_keeps_it_apart_until_the_applicant_confirms(org, returned, sms, client_for):
    desk = client_for(org.desk)
    kiosk = reverse("evaluations:kiosk")
    page = desk.post(kiosk, answers(2, overall="very_satisfied") | {"ma": returned.code},
                     follow=True).content.decode()
    assert f"Xác nhận đánh giá hồ sơ {returned.code}" in page
    e = Evaluation.objects.get()
    assert (e.officer_entered, e.submitted_by, e.confirmed_at, e.counted) == (
        True, org.desk, None, False)
    code = _code(returned)
    # Only a keyed hash of the code is kept.
    assert e.confirm_code_hash and code not in e.confirm_code_hash
    # Counted apart: the satisfaction indicator does not see it, the dashboard says how many.
    counter = EvaluationCounter.objects.get()
    assert (counter.evaluated, counter.officer_unconfirmed) == (0, 1)
    figures = _figures(org, returned)
    assert (figures.evaluated, figures.evaluated_officer_unconfirmed) == (0, 1)
    # The kiosk lists it to be confirmed later.
    assert returned.code in desk.get(kiosk).content.decode()

    confirm = reverse("evaluations:kiosk_confirm")
    wrong = "000000" if code != "000000" else "111111"
    desk.post(confirm, {"ma": returned.code, "ma-xac-nhan": wrong})
    e.refresh_from_db()
    assert (e.confirm_tries, e.counted) == (1, False)
    done = desk.post(confirm, {"ma": returned.code, "ma-xac-nhan": code}, follow=True)
    assert f"Đã ghi nhận đánh giá hồ sơ {returned.code}" in done.content.decode()
    e.refresh_from_db()
    assert e.counted and e.confirmed_at is not None and not e.confirm_code_hash
    counter.refresh_from_db()
    assert (counter.evaluated, counter.very_satisfied, counter.points,
            counter.officer_unconfirmed) == (1, 1, 18, 0)
    assert _figures(org, returned).evaluated == 1
    # The rebuild reads the same rule.
    assert evaluation_counters_from_table() == evaluation_counters_table()
    # Another unit's desk officer confirms nothing.
    assert client_for(org.other_desk).post(confirm, {"ma": returned.code,
                                                     "ma-xac-nhan": code}).status_code == 404


def test_wrong_tries_and_time_end_a_code(org, returned, sms):
    e = evaluation_submit(dossier=returned, answers=answers(), channel=Evaluation.Channel.KIOSK,
                          actor=org.desk)
    code = _code(returned)
    for _ in range(5):
        with pytest.raises(DomainError) as wrong:
            evaluation_confirm(evaluation=e, actor=org.desk, code="999999" if code != "999999"
                               else "888888")
        assert wrong.value.code == "confirm_code_wrong"
    with pytest.raises(NotAllowed) as spent:
        evaluation_confirm(evaluation=e, actor=org.desk, code=code)
    assert spent.value.code == "confirm_code_expired"
    # A new code ends the old one; it lasts fifteen minutes.
    assert evaluation_confirm_resend(evaluation=e, actor=org.desk) == 1
    fresh = _code(returned)
    e.refresh_from_db()
    with pytest.raises(NotAllowed):
        evaluation_confirm(evaluation=e, actor=org.desk, code=fresh,
                           at=e.confirm_code_expires_at + timedelta(seconds=1))
    # Three codes at most.
    assert evaluation_confirm_resend(evaluation=e, actor=org.desk) == 1
    last = _code(returned)
    with pytest.raises(NotAllowed) as exhausted:
        evaluation_confirm_resend(evaluation=e, actor=org.desk)
    assert exhausted.value.code == "confirm_sends_exhausted"
    with pytest.raises(DomainError):
        evaluation_confirm(evaluation=e, actor=org.desk, code=fresh)  # replaced by `last`
    # Not the applicant's account, nor a specialist: only the receiving desk.
    for who in (org.citizen, org.specialist):
        with pytest.raises(NotAllowed) as refused:
            evaluation_confirm(evaluation=e, actor=who, code=last)
        assert refused.value.code == "permission_denied"
    assert evaluation_confirm(evaluation=e, actor=org.desk, code=last).counted


def test_without_a_contact_it_is_kept_and_never_counted(org, returned, settings):
    # No SMS gateway and no e-mail address: no code can reach the applicant.
    settings.MOTCUA_SMS_URL = ""
    org.citizen.email = ""
    org.citizen.save(update_fields=["email"])
    e = evaluation_submit(dossier=returned, answers=answers(overall="unsatisfied"),
                          channel=Evaluation.Channel.KIOSK, actor=org.desk)
    assert not e.confirm_code_hash and not Notification.objects.filter(
        kind=Kind.EVALUATION_CONFIRM).exists()
    with pytest.raises(NotAllowed):
        evaluation_confirm(evaluation=e, actor=org.desk, code="123456")
    # Kept and shown to the heads (the follow-up of an unsatisfied answer still opens).
    assert e.follow_up.status == "open"
    assert EvaluationCounter.objects.get().officer_unconfirmed == 1


def test_the_screen_facing_the_applicant_and_online_answers_count_at_once(org, returned,
                                                                         make_dossier, sms):
    from evaluations.tests.conftest import returned_dossier

    online = evaluation_submit(dossier=returned, answers=answers(), actor=org.citizen,
                               channel=Evaluation.Channel.ONLINE)
    second = returned_dossier(org, make_dossier, day="2026-03-03")
    screen = evaluation_submit(dossier=second, answers=answers(), actor=org.desk,
                               channel=Evaluation.Channel.KIOSK, on_screen=True)
    assert online.counted and screen.counted
    assert not (online.officer_entered or screen.officer_entered)
    assert not Notification.objects.filter(kind=Kind.EVALUATION_CONFIRM).exists()


def test_the_api_kiosk_channel_is_confirmed_through_the_api(org, returned, sms):
    api = APIClient()
    api.force_authenticate(org.desk)
    url = reverse("api:dossier-evaluation", args=[returned.code])
    made = api.post(url, answers(), format="json")
    assert made.status_code == 201
    assert (made.json()["officer_entered"], made.json()["counted"]) == (True, False)
    confirm = reverse("api:dossier-evaluation-confirm", args=[returned.code])
    code = _code(returned)
    assert api.post(confirm, {"code": "12345x"}, format="json").status_code == 400
    assert api.post(confirm, {"code": code}, format="json").json() == {"confirmed": True,
                                                                       "sent": 0}
    assert Evaluation.objects.get().counted
    # The applicant's own account may not confirm for the desk.
    own = APIClient()
    own.force_authenticate(org.citizen)
    assert own.post(confirm, {"code": code}, format="json").status_code in (403, 409)


def test_metrics_rebuild_keeps_them_apart(org, returned, sms):
    evaluation_submit(dossier=returned, answers=answers(), channel=Evaluation.Channel.KIOSK,
                      actor=org.desk)
    before = evaluation_counters_table()
    EvaluationCounter.objects.all().delete()
    call_command("metrics_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert evaluation_counters_table() == before
    assert next(iter(before.values()))["officer_unconfirmed"] == 1


def test_the_migration_marks_earlier_kiosk_entries_and_recounts(org, returned, make_dossier,
                                                                sms):
    """Kiosk evaluations made before audit8 outside the evaluation screen were typed in an
    officer's session: migration 0003 marks them officer-entered and takes them out of the
    counts; the screen's answers and online ones stay counted."""
    import importlib

    from django.apps import apps

    from evaluations.models import ScreenCall
    from evaluations.tests.conftest import returned_dossier

    typed = evaluation_submit(dossier=returned, answers=answers(), actor=org.desk,
                              channel=Evaluation.Channel.KIOSK, on_screen=True)
    on_screen_dossier = returned_dossier(org, make_dossier, day="2026-03-03")
    screen = evaluation_submit(dossier=on_screen_dossier, answers=answers(), actor=org.desk,
                               channel=Evaluation.Channel.KIOSK, on_screen=True)
    ScreenCall.objects.create(screen=org.desk, dossier=on_screen_dossier, called_by=org.desk,
                              called_at=screen.created_at, closed_at=screen.created_at,
                              outcome=ScreenCall.Outcome.ANSWERED)
    # As the rows stood before the migration: nothing marked, everything counted.
    assert sum(r["evaluated"] for r in evaluation_counters_table().values()) == 2
    migration = importlib.import_module(
        "evaluations.migrations.0003_officer_entered_confirmation")
    migration.mark_officer_entered(apps, None)
    typed.refresh_from_db()
    screen.refresh_from_db()
    assert (typed.officer_entered, typed.counted) == (True, False)
    assert (screen.officer_entered, screen.counted) == (False, True)
    assert evaluation_counters_table() == evaluation_counters_from_table()
    assert sum(r["evaluated"] for r in evaluation_counters_table().values()) == 1
    assert sum(r["officer_unconfirmed"] for r in evaluation_counters_table().values()) == 1
