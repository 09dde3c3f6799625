"""Filing an item: contact required, attachments checked like a dossier's, procedure and dossier
links, staff recording letters and calls; what other apps read about a procedure."""

import pytest

from feedback.models import Channel, FeedbackEvent, NationalOutbox, State
from feedback.selectors import feedback_for_procedure
from feedback.services import feedback_submit
from feedback.services.submit import Upload
from motcua.errors import DomainError, NotAllowed
from notifications.models import Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _send(**kwargs):
    values = dict(title="Giấy tờ thừa", content="Yêu cầu bản sao không có trong danh mục.",
                  sender_name="Trần Thị Bích", sender_phone="0914 222 333",
                  channel=Channel.PORTAL)
    values.update(kwargs)
    return feedback_submit(**values)


def test_contact_is_required_and_fields_are_named(pakn):
    with pytest.raises(DomainError) as caught:
        _send(sender_phone="", sender_email="", title="")
    assert {"sender_phone", "title"} <= set(caught.value.fields)
    with pytest.raises(DomainError) as caught:
        _send(sender_phone="", sender_email="khong-phai-email")
    assert "sender_email" in caught.value.fields


def test_item_gets_code_secret_event_outbox_and_tells_the_unit(pakn):
    item = _send(unit=pakn.centre)
    assert item.code.startswith("PAKN-") and len(item.lookup_secret) == 8
    assert item.state == State.RECEIVED and item.forward_due_at is not None
    event = FeedbackEvent.objects.get(feedback=item)
    assert (event.action, event.to_state, event.actor_name) == ("submit", State.RECEIVED,
                                                                 "Trần Thị Bích")
    assert NationalOutbox.objects.filter(feedback=item, message="item").count() == 1
    told = set(Notification.objects.filter(channel="web").values_list("recipient", flat=True))
    assert told == {"pakn.trungtam", "lanhdao.trungtam"}


def test_from_a_procedure_goes_to_its_competent_unit(pakn):
    item = _send(procedure_code=pakn.procedure.code)
    assert item.receiving_unit == pakn.dept
    assert item.procedure_name == pakn.procedure.name
    rows = feedback_for_procedure(pakn.procedure.code)
    assert [r.code for r in rows] == [item.code]
    assert not hasattr(rows[0], "sender_name") and not hasattr(rows[0], "sender_phone")
    assert feedback_for_procedure("9.999999") == []
    # The regulations' page links an item only for an officer who may open it.
    assert feedback_for_procedure(pakn.procedure.code, user=pakn.officer)[0].staff_readable
    assert not feedback_for_procedure(pakn.procedure.code, user=pakn.outsider)[0].staff_readable
    assert not rows[0].staff_readable


def test_from_my_dossier_links_the_dossier(pakn, make_dossier):
    dossier = make_dossier()
    item = _send(dossier=dossier)
    assert item.dossier == dossier and item.receiving_unit == pakn.centre
    assert item.procedure_code == pakn.procedure.code


def test_attachments_use_the_upload_checks(pakn):
    item = _send(unit=pakn.centre, files=[Upload("don.pdf", PDF)])
    assert item.attachments.get().content_type == "application/pdf"
    with pytest.raises(DomainError) as caught:
        _send(unit=pakn.centre, files=[Upload("virus.pdf", b"MZ\x90\x00 not a pdf")])
    assert "virus.pdf" in caught.value.message


def test_staff_record_letters_only_for_their_unit(pakn):
    item = _send(channel=Channel.PHONE, unit=pakn.centre, recorded_by=pakn.receiver)
    assert item.recorded_by == pakn.receiver
    assert FeedbackEvent.objects.get(feedback=item).actor == pakn.receiver
    with pytest.raises(NotAllowed):
        _send(channel=Channel.LETTER, unit=pakn.dept, recorded_by=pakn.receiver)


def test_sender_gets_a_receipt_with_the_secret_and_later_the_answer(pakn):
    item = _send(unit=pakn.centre, sender_email="bich@example.vn")
    receipt = Notification.objects.get(channel="email", recipient="bich@example.vn")
    assert item.lookup_secret in receipt.body and item.code in receipt.subject
    from feedback.services import feedback_act

    item = feedback_act(feedback=item, actor=pakn.receiver, action="refuse",
                        reason="Là khiếu nại, giải quyết theo Luật Khiếu nại.")
    told = Notification.objects.filter(channel="email").exclude(pk=receipt.pk).get()
    assert "Luật Khiếu nại" in told.body


def test_the_receipt_does_not_carry_what_the_sender_typed(pakn):
    """audit5: the anonymous form sends a receipt to whatever address was typed, at once, from
    the authority's mailer; it quoted the title, so anyone made the system mail their own text
    (a link, "your account is locked") to anyone. The receipt names the code, the unit and the
    secret only."""
    bait = "Tài khoản của ông/bà bị khóa, xác minh tại https://vneid-xacminh.example/"
    item = _send(unit=pakn.centre, title=bait, sender_email="nan.nhan@example.vn",
                 sender_name="Bộ phận hỗ trợ https://vneid-xacminh.example/")
    for receipt in Notification.objects.filter(recipient__in=["nan.nhan@example.vn",
                                                              "0914222333"]):
        assert "example" not in receipt.body + receipt.subject, receipt.channel
        assert item.code in receipt.body + receipt.subject
    receipt = Notification.objects.get(channel="email", recipient="nan.nhan@example.vn")
    assert item.lookup_secret in receipt.body and pakn.centre.name in receipt.body
    # The unit's officers still read the title on their page.
    assert Notification.objects.filter(channel="web", body__contains=bait).exists()


def test_a_sent_receipt_keeps_no_lookup_secret(pakn, settings,
                                               django_capture_on_commit_callbacks):
    """audit9: the receipt carries the item's lookup secret to the sender; the outbox row that
    sent it keeps the text without it (notifications/redaction.py) — an administrator reading
    the outbox does not get every sender's key to their item and its answer."""
    from django.core import mail

    settings.MOTCUA_NOTIFY_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        item = _send(unit=pakn.centre, sender_email="bich@example.vn")
    [email] = [m for m in mail.outbox if m.to == ["bich@example.vn"]]
    assert item.lookup_secret in email.body
    receipt = Notification.objects.get(channel="email", recipient="bich@example.vn")
    assert receipt.status == Notification.Status.SENT and receipt.secrets == []
    assert item.lookup_secret not in receipt.body and item.code in receipt.body


def test_what_the_sender_typed_reaches_officers_on_their_page_only(pakn, settings):
    """audit7: the unit's officers and heads are told of a new item by e-mail and SMS too, and
    the message quoted its title — anyone could have the authority's gateway carry their text
    (a link, "xác minh tài khoản tại …") to every officer's phone. The title, and the note of a
    rating, stay on the officers' "Thông báo" page."""
    from feedback.services import feedback_act
    from feedback.states import SenderActor

    settings.MOTCUA_SMS_URL = "http://127.0.0.1:9/sms"  # queued only: nothing is sent here
    pakn.officer.memberships.create(unit=pakn.dept, role="head")  # approves its own draft
    for user, phone in ((pakn.receiver, "0905000111"), (pakn.receiver_head, "0905000222"),
                        (pakn.officer, "0905000333")):
        user.email, user.phone = f"{user.username}@example.vn", phone
        user.save()
    bait = "Tài khoản cán bộ bị khóa, xác minh tại https://dvc-xacminh.example/"
    item = _send(unit=pakn.centre, title=bait)
    outside = Notification.objects.filter(recipient_user__in=[pakn.receiver,
                                                              pakn.receiver_head],
                                          channel__in=["email", "sms"])
    assert {n.channel for n in outside} == {"email", "sms"} and outside.count() == 4
    for n in outside:
        assert "example" not in n.body + n.subject and item.code in n.subject + n.body
    assert Notification.objects.filter(recipient_user=pakn.receiver, channel="web",
                                       body__contains=bait).exists()
    feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                 data={"kind": "outside", "unit": pakn.dept})
    feedback_act(feedback=item, actor=pakn.officer, action="take")
    feedback_act(feedback=item, actor=pakn.officer, action="assign",
                 data={"assignee": pakn.officer})
    feedback_act(feedback=item, actor=pakn.officer, action="draft", data={"answer": "Đã sửa."})
    feedback_act(feedback=item, actor=pakn.officer, action="approve")
    feedback_act(feedback=item, actor=SenderActor(code=item.code), action="rate",
                 reason=bait, data={"rating": "not_satisfied"})
    told = Notification.objects.filter(recipient_user=pakn.officer)
    assert told.filter(channel="web", body__contains=bait).exists()
    assert told.filter(channel__in=["email", "sms"]).count() >= 6
    assert not told.filter(channel__in=["email", "sms"], body__contains="example").exists()
