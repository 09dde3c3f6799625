"""Re-forward: the unit an item was forwarded to passes a misrouted item on to a third unit,
within its own 5 working days (feedback/states.py "reforward", docs/feedback.md)."""

from datetime import datetime

import pytest
from django.urls import reverse

from dossiers.tests.conftest import at
from feedback.models import FeedbackEvent, State
from feedback.selectors import feedback_visible
from feedback.services import feedback_act
from motcua.errors import DomainError, NotAllowed

REASON = "Nội dung thuộc thẩm quyền của UBND xã, không phải Sở."


def _forwarded(pakn, make_item, when: str = "2026-03-03 09:00"):
    item = make_item(State.RECEIVED)  # received Mon 02/03 09:00, forward due Mon 09/03 09:00
    return feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                        data={"kind": "outside", "unit": pakn.dept.pk}, at=at(when))


def test_the_holder_passes_it_on_within_its_own_five_working_days(pakn, make_item):
    item = _forwarded(pakn, make_item)  # the department gets it Tue 03/03 09:00
    item = feedback_act(feedback=item, actor=pakn.officer, action="reforward", reason=REASON,
                        data={"unit": pakn.other.pk}, at=at("2026-03-10 08:59"))
    assert (item.state, item.handling_unit) == (State.FORWARDED, pakn.other)
    # The receiving unit's first forward stays what the statistics count.
    assert item.forwarded_at == at("2026-03-03 09:00")
    event = FeedbackEvent.objects.get(feedback=item, action="reforward")
    assert (event.from_state, event.to_state, event.to_unit, event.actor_unit) == (
        State.FORWARDED, State.FORWARDED, pakn.other, pakn.dept)
    assert event.note == REASON and event.timing == "on_time"
    # Five working days from Tue 03/03 09:00: Tue 10/03 09:00.
    assert datetime.fromisoformat(event.data["due_at"]) == at("2026-03-10 09:00")
    assert (event.data["unit"], event.data["from_unit"]) == (pakn.other.code, pakn.dept.code)
    # The third unit takes it; its answer clock starts then. The department still sees it.
    item = feedback_act(feedback=item, actor=pakn.outsider, action="take",
                        at=at("2026-03-11 09:00"))
    assert item.state == State.ACCEPTED and item.answer_due_at > at("2026-03-11 09:00")
    assert feedback_visible(pakn.officer).filter(pk=item.pk).exists()


def test_after_five_working_days_it_is_recorded_late(pakn, make_item):
    item = _forwarded(pakn, make_item)
    feedback_act(feedback=item, actor=pakn.officer, action="reforward", reason=REASON,
                 data={"unit": pakn.other.pk}, at=at("2026-03-10 09:01"))
    assert FeedbackEvent.objects.get(feedback=item, action="reforward").timing == "late"


def test_a_second_reforward_counts_from_its_own_arrival(pakn, make_item):
    item = _forwarded(pakn, make_item)
    item = feedback_act(feedback=item, actor=pakn.officer, action="reforward", reason=REASON,
                        data={"unit": pakn.other.pk}, at=at("2026-03-05 09:00"))
    # The commune got it Thu 05/03 09:00: its five working days end Thu 12/03 09:00.
    item = feedback_act(feedback=item, actor=pakn.outsider, action="reforward",
                        reason="Thuộc Sở Tư pháp? Không: thuộc Trung tâm.",
                        data={"unit": pakn.province.pk}, at=at("2026-03-11 09:00"))
    event = FeedbackEvent.objects.filter(feedback=item, action="reforward").last()
    assert datetime.fromisoformat(event.data["due_at"]) == at("2026-03-12 09:00")
    assert event.timing == "on_time" and item.handling_unit == pakn.province


def test_bad_input_names_the_field_and_changes_nothing(pakn, make_item):
    item = _forwarded(pakn, make_item)
    cases = [("", {"unit": pakn.other.pk}, "reason"),
             (REASON, {}, "unit"),
             (REASON, {"unit": pakn.dept.pk}, "unit"),     # the holder itself
             (REASON, {"unit": pakn.centre.pk}, "unit")]   # back to the receiving unit
    for reason, data, field in cases:
        with pytest.raises(DomainError) as caught:
            feedback_act(feedback=item, actor=pakn.officer, action="reforward", reason=reason,
                         data=data)
        assert field in caught.value.fields
    item.refresh_from_db()
    assert (item.state, item.handling_unit) == (State.FORWARDED, pakn.dept)
    assert not FeedbackEvent.objects.filter(feedback=item, action="reforward").exists()


def test_only_the_holder_may_reforward(pakn, make_item):
    item = _forwarded(pakn, make_item)
    for actor in (pakn.receiver, pakn.outsider):
        with pytest.raises(NotAllowed) as caught:
            feedback_act(feedback=item, actor=actor, action="reforward", reason=REASON,
                         data={"unit": pakn.other.pk})
        assert caught.value.http_status == 403


def test_the_staff_page_offers_it_and_performs_it(client, pakn, make_item):
    item = _forwarded(pakn, make_item)
    client.force_login(pakn.officer)
    page = client.get(reverse("feedback:staff_detail", args=[item.code])).content.decode()
    assert 'data-action="reforward"' in page and 'id="unit-reforward"' in page
    url = reverse("feedback:staff_act", args=[item.code, "reforward"])
    kept = client.post(url, {"unit": str(pakn.other.pk), "reason": ""})
    html = kept.content.decode()
    assert kept.status_code == 400 and "Cần nhập lý do." in html
    assert f'<option value="{pakn.other.pk}" selected>' in html  # the choice is kept
    done = client.post(url, {"unit": str(pakn.other.pk), "reason": REASON})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.handling_unit == pakn.other


def test_no_item_is_forwarded_to_a_closed_unit_through_the_api(pakn):
    """audit7: the page offered active units only, but the API took any unit's code; an item
    forwarded to a unit closed down waited where no one works."""
    from rest_framework.test import APIClient

    from feedback.models import Feedback
    from feedback.services import feedback_submit

    item = feedback_submit(title="Vướng mắc", content="Nội dung", sender_name="Bích",
                           sender_phone="0914222333", channel="portal", unit=pakn.centre)
    pakn.other.is_active = False
    pakn.other.save(update_fields=["is_active"])
    api = APIClient()
    api.force_authenticate(pakn.receiver)
    r = api.post(f"/api/v1/feedback/items/{item.code}/actions/forward/",
                 {"kind": "outside", "unit": pakn.other.code}, format="json")
    assert r.status_code == 400 and "unit" in r.json()["error"]["fields"]
    assert Feedback.objects.get(pk=item.pk).handling_unit == pakn.centre
    r = api.post(f"/api/v1/feedback/items/{item.code}/actions/forward/",
                 {"kind": "outside", "unit": pakn.dept.code}, format="json")
    assert r.status_code == 200 and r.json()["handling_unit"] == pakn.dept.code
