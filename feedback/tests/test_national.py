"""The national PAKN adapter against its simulator running as a real server: items and answers
go out, items sent there come in once, and a system that is down loses nothing."""

from datetime import timedelta

from django.utils import timezone

from feedback.models import Channel, Feedback, NationalOutbox, State
from feedback.national import national_receive, national_send, national_sync
from feedback.services import feedback_act, feedback_submit


def _item(pakn):
    return feedback_submit(title="Thời hạn không đúng", content="Trả kết quả chậm.",
                           sender_name="Lê Văn An", sender_phone="0905111222",
                           channel=Channel.PORTAL, unit=pakn.centre)


def test_item_and_answer_reach_the_national_system(pakn, national):
    item = _item(pakn)
    result = national_sync()
    assert (result.sent, result.failed) == (1, 0)
    item.refresh_from_db()
    sent = national.state()["items"]
    assert [(i["id"], i["ref"], i["unit_code"]) for i in sent] == [
        (item.national_id, item.code, pakn.centre.code)]
    # Forwarded, answered by the department: the answer follows the item.
    item = feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                        data={"kind": "outside", "unit": pakn.dept.pk})
    item = feedback_act(feedback=item, actor=pakn.officer, action="take")
    item = feedback_act(feedback=item, actor=pakn.head, action="assign",
                        data={"assignee": pakn.officer.pk})
    item = feedback_act(feedback=item, actor=pakn.officer, action="draft",
                        data={"answer": "Đã xử lý."})
    item = feedback_act(feedback=item, actor=pakn.head, action="approve")
    assert national_send().sent == 1
    assert national.state()["items"][0]["answer"] == "Đã xử lý."
    assert not NationalOutbox.objects.filter(status="pending").exists()


def test_system_down_keeps_everything_and_retries_later(pakn, national):
    national.control(fail=True)
    item = _item(pakn)
    result = national_sync()
    assert (result.sent, result.failed) == (0, 1)
    row = NationalOutbox.objects.get(feedback=item)
    assert row.status == "pending" and row.tries == 1 and "503" in row.last_error
    assert row.next_try_at > timezone.now()
    # Not due yet: nothing is tried while the back-off runs.
    national.control(fail=False)
    assert national_send().sent == 0
    # Later it goes, once.
    assert national_send(now=timezone.now() + timedelta(hours=2)).sent == 1
    assert len(national.state()["items"]) == 1
    item.refresh_from_db()
    assert item.national_id


def test_items_sent_on_the_national_portal_are_filed_once(pakn, national):
    national.control(inbox=[{
        "id": "QG-900001", "title": "Phí cao", "content": "Lệ phí cao hơn niêm yết.",
        "unit_code": pakn.dept.code, "procedure_code": pakn.procedure.code,
        "received_at": "2026-03-02T09:00:00+07:00",
        "sender": {"name": "Ngô Thị Hoa", "phone": "0911000111"}}])
    assert national_receive().received == 1
    item = Feedback.objects.get(national_id="QG-900001")
    assert (item.channel, item.state, item.receiving_unit) == (Channel.NATIONAL,
                                                               State.RECEIVED, pakn.dept)
    assert item.events.get().actor_name == "Hệ thống PAKN quốc gia"
    # Acknowledged: not listed again, not filed twice; no item message is sent back.
    assert national_receive().received == 0
    assert Feedback.objects.filter(national_id="QG-900001").count() == 1
    assert not NationalOutbox.objects.filter(feedback=item, message="item").exists()


def test_receive_while_down_loses_nothing(pakn, national):
    national.control(inbox=[{"id": "QG-900002", "title": "Chậm", "content": "Chậm trả.",
                             "unit_code": pakn.centre.code,
                             "sender": {"name": "Hoa", "email": "hoa@example.vn"}}],
                     fail=True)
    result = national_receive()
    assert result.received == 0 and result.errors
    assert not Feedback.objects.exists()
    national.control(fail=False)
    assert national_receive().received == 1


def test_an_impossible_date_skips_that_item_only(pakn, national):
    """The national system once sent 30 February: the import stopped at that item and the
    items after it waited. Now that item is skipped, counted and named, the others filed."""
    good = {"title": "Phí cao", "content": "Lệ phí cao.", "unit_code": pakn.dept.code,
            "sender": {"name": "Ngô Thị Hoa", "phone": "0911000111"}}
    national.control(inbox=[
        good | {"id": "QG-900010", "received_at": "2026-02-30T09:00:00+07:00"},
        good | {"id": "QG-900011", "received_at": "2026-03-02T09:00:00+07:00"},
        good | {"id": "QG-900012", "received_at": "2026-03-02T25:61:00"},
        good | {"id": "QG-900013", "received_at": "2026-03-03T08:30:00"}])
    result = national_receive()
    assert (result.received, result.skipped) == (2, 2)
    assert result.errors == [
        "Bỏ qua mục QG-900010: ngày nhận không hợp lệ (2026-02-30T09:00:00+07:00).",
        "Bỏ qua mục QG-900012: ngày nhận không hợp lệ (2026-03-02T25:61:00)."]
    filed = Feedback.objects.filter(channel=Channel.NATIONAL).order_by("national_id")
    assert [(f.national_id, timezone.localtime(f.received_at).isoformat()) for f in filed] == [
        ("QG-900011", "2026-03-02T09:00:00+07:00"), ("QG-900013", "2026-03-03T08:30:00+07:00")]
    # Not acknowledged: they come back, still refused, until the national side corrects them.
    again = national_receive()
    assert (again.received, again.skipped) == (0, 2)
