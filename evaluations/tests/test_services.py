"""Recording evaluations: once per dossier, after the result, raw answers, follow-ups."""

import pytest
from django.db import IntegrityError, transaction

from dossiers.models import State
from evaluations.criteria import band_for
from evaluations.models import Evaluation, FollowUp
from evaluations.services import evaluation_submit, follow_up_close
from evaluations.tests.conftest import answers
from motcua.errors import DomainError, NotAllowed
from notifications.models import Kind, Notification

ONLINE, KIOSK = Evaluation.Channel.ONLINE, Evaluation.Channel.KIOSK


def test_applicant_evaluates_online_and_answers_are_stored_raw(org, returned):
    e = evaluation_submit(dossier=returned, actor=org.citizen, channel=ONLINE,
                          answers=answers(2, attitude=1, contacts=0, comment=" Cán bộ tận tình "))
    e.refresh_from_db()
    assert (e.attitude, e.contacts, e.total_time) == (1, 0, 2)
    assert e.points == 15 and e.comment == "Cán bộ tận tình"
    assert e.unit == org.dept  # the competent unit is the one rated
    assert e.overall_rating == "very_satisfied" and e.ease_rating == "satisfied"
    assert not FollowUp.objects.exists()


def test_one_evaluation_per_dossier_with_a_clear_message(org, returned):
    evaluation_submit(dossier=returned, actor=org.citizen, channel=ONLINE, answers=answers())
    with pytest.raises(NotAllowed) as refused:
        evaluation_submit(dossier=returned, actor=org.desk, channel=KIOSK, answers=answers(0))
    assert refused.value.code == "already_evaluated"
    assert "đã được đánh giá" in refused.value.message and refused.value.http_status == 409
    # The database itself refuses a second row, whatever path it comes by.
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(dossier=returned, unit=org.dept, channel=KIOSK,
                                  **{k: v for k, v in answers().items()})
    assert Evaluation.objects.count() == 1


def test_only_after_the_result_is_returned(org, make_dossier):
    d = make_dossier()
    assert d.state == State.RECEIVED
    with pytest.raises(NotAllowed) as refused:
        evaluation_submit(dossier=d, actor=org.desk, channel=KIOSK, answers=answers())
    assert refused.value.code == "not_returned"


def test_incomplete_or_out_of_range_answers_name_the_question(org, returned):
    bad = answers() | {"attitude": 3, "overall_rating": "bình thường"}
    del bad["contacts"]
    with pytest.raises(DomainError) as refused:
        evaluation_submit(dossier=returned, actor=org.citizen, channel=ONLINE, answers=bad)
    assert set(refused.value.fields) == {"attitude", "contacts", "overall_rating"}
    assert not Evaluation.objects.exists()


def test_who_may_evaluate(org, returned):
    # Online: the applicant's own account (or a visitor who passed the lookup's factor: None).
    with pytest.raises(NotAllowed):
        evaluation_submit(dossier=returned, actor=org.specialist, channel=ONLINE,
                          answers=answers())
    # Kiosk: a desk officer of the receiving unit, not another unit's desk.
    with pytest.raises(NotAllowed):
        evaluation_submit(dossier=returned, actor=org.other_desk, channel=KIOSK,
                          answers=answers())
    e = evaluation_submit(dossier=returned, actor=org.desk, channel=KIOSK, answers=answers())
    assert e.channel == KIOSK and e.submitted_by == org.desk


def test_unsatisfied_opens_a_follow_up_the_head_closes(org, returned):
    org.head.email = "lanhdao@sotuphap.example.vn"
    org.head.save()
    e = evaluation_submit(dossier=returned, actor=None, channel=ONLINE,
                          answers=answers(0, overall="unsatisfied", comment="Phải đi lại 3 lần"))
    follow_up = FollowUp.objects.get(evaluation=e)
    assert follow_up.unit == org.dept and follow_up.status == FollowUp.Status.OPEN
    told = Notification.objects.get(kind=Kind.STAFF, channel="email")
    assert told.recipient == org.head.email and returned.code in told.subject
    # The applicant's comment is on the heads' page, never in an e-mail or SMS (audit7).
    assert "Phải đi lại 3 lần" not in told.body and "Theo dõi đánh giá" in told.body
    page = Notification.objects.get(kind=Kind.STAFF, channel="web", recipient_user=org.head)
    assert "Phải đi lại 3 lần" in page.body

    with pytest.raises(NotAllowed):
        follow_up_close(follow_up=follow_up, actor=org.specialist, note="Đã gọi lại")
    with pytest.raises(DomainError):
        follow_up_close(follow_up=follow_up, actor=org.head, note="  ")
    closed = follow_up_close(follow_up=follow_up, actor=org.head,
                             note="Đã gọi điện xin lỗi, nhắc nhở bộ phận")
    assert closed.status == FollowUp.Status.CLOSED and closed.closed_by == org.head
    with pytest.raises(NotAllowed):
        follow_up_close(follow_up=closed, actor=org.head, note="lần nữa")


def test_bands_are_configuration(settings):
    assert [band_for(p) for p in (18, 16, 15, 12, 9, 8, 0)] == [
        "Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Kém", "Kém"]
    settings.MOTCUA_EVALUATION_BANDS = [{"name": "Đạt", "min": 10}, {"name": "Chưa đạt",
                                                                       "min": 0}]
    assert band_for(10) == "Đạt" and band_for(9) == "Chưa đạt"
