"""The 5-working-day forward deadline (Decree 20/2008 as amended by Decree 92/2017) is computed
by the deadline engine on the receiving unit's calendar: Tết and weekends do not count."""

from feedback.deadlines import answer_due, forward_due
from feedback.models import Channel, FeedbackEvent, State
from feedback.selectors import feedback_inbox, feedback_statistics
from feedback.services import feedback_act, feedback_submit

from .conftest import at


def test_forward_deadline_skips_tet_2026(pakn):
    # Thu 12/02/2026 09:00: Fri 13 is day 1; 14–22/02 are the weekend, Tết (16–20/02) and the
    # weekend again; Mon 23 … Thu 26 are days 2–5.
    assert forward_due(received_at=at("2026-02-12 09:00"), unit=pakn.centre) == at(
        "2026-02-26 09:00")
    # The same count in an ordinary week ends a calendar week later.
    assert forward_due(received_at=at("2026-03-05 09:00"), unit=pakn.centre) == at(
        "2026-03-12 09:00")


def test_received_outside_office_hours_starts_at_next_opening(pakn):
    # Fri 13/02 20:00: the clock starts Mon 23/02 07:30 (after Tết); five whole working days
    # end at the close of Fri 27/02.
    assert forward_due(received_at=at("2026-02-13 20:00"), unit=pakn.centre) == at(
        "2026-02-27 17:00")


def test_late_forward_across_tet_is_recorded_and_shown(pakn):
    item = feedback_submit(title="Vướng mắc", content="Nội dung", sender_name="Bích",
                           sender_phone="0914222333", channel=Channel.PORTAL, unit=pakn.centre,
                           at=at("2026-02-12 09:00"))
    assert item.forward_due_at == at("2026-02-26 09:00")
    feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                 data={"kind": "outside", "unit": pakn.dept.pk}, at=at("2026-02-27 10:00"))
    event = FeedbackEvent.objects.get(feedback=item, action="forward")
    assert event.timing == "late"
    assert item in feedback_inbox(user=pakn.receiver, box="late_forward")
    total, _rows = feedback_statistics(start=at("2026-02-01 00:00"), end=at("2026-03-01 00:00"))
    assert (total.forwarded, total.forwarded_late) == (1, 1)


def test_forward_on_the_last_day_is_on_time(pakn):
    item = feedback_submit(title="Vướng mắc", content="Nội dung", sender_name="Bích",
                           sender_email="bich@example.vn", channel=Channel.PORTAL,
                           unit=pakn.centre, at=at("2026-02-12 09:00"))
    feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                 data={"kind": "outside", "unit": pakn.dept.pk}, at=at("2026-02-26 08:59"))
    assert FeedbackEvent.objects.get(feedback=item, action="forward").timing == "on_time"
    item.refresh_from_db()
    assert item.state == State.FORWARDED and item.handling_unit == pakn.dept


def test_answer_limit_per_class_is_a_setting(pakn, settings):
    settings.MOTCUA_FEEDBACK_ANSWER_DAYS = {"difficulty": 2, "within": 5, "outside": 5}
    assert answer_due(start=at("2026-03-02 09:00"), kind="difficulty", unit=pakn.dept) == at(
        "2026-03-04 09:00")
    assert answer_due(start=at("2026-03-02 09:00"), kind="within", unit=pakn.dept) == at(
        "2026-03-09 09:00")
