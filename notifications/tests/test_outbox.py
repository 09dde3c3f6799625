"""Notifications: written with the change, sent after commit, retried when the gateway fails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from dossiers.models import Dossier, State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from notifications.delivery import backoff_delay, notifications_deliver
from notifications.models import Channel, Kind, Notification
from notifications.outbox import notification_record
from notifications.redaction import text_redacted

REASON = "Thiếu bản chụp căn cước công dân"
Status = Notification.Status


def _act(dossier, actor, action, when, **kw):
    return dossier_act(dossier=dossier, actor=actor, action=action, at=at(when), **kw)


def test_acceptance_sends_sms_and_email_after_commit(org, make_dossier, sms, applicant,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        d = make_dossier(applicant=applicant)
    assert len(callbacks) == 1
    rows = list(Notification.objects.filter(dossier=d))
    assert sorted(r.channel for r in rows) == [Channel.EMAIL, Channel.SMS]
    assert all(r.status == Status.SENT and r.tries == 1 and r.kind == Kind.ACCEPTED
               for r in rows)

    [message] = sms.messages()
    assert message["to"] == "0914222333"
    text = message["text"]
    assert d.code in text and "đã tiếp nhận hồ sơ" in text
    # The due moment (3 working days from Mon 02/03 09:00) and the lookup link with the secret.
    assert "09:00 ngày 05/03/2026" in text
    assert f"https://motcua.example.vn/tra-cuu/?ma={d.code}#bi-mat={d.lookup_secret}" in text
    assert message["ref"] == str(next(r.pk for r in rows if r.channel == Channel.SMS))

    [email] = mail.outbox
    assert email.to == ["bich.tran@example.vn"]
    assert email.subject == f"Hồ sơ {d.code} đã được tiếp nhận"
    assert email.body.startswith("Kính gửi ông/bà,\n")
    assert d.lookup_secret in email.body


def test_the_email_does_not_quote_what_the_filer_typed(org, make_dossier, sms, applicant,
                                                       django_capture_on_commit_callbacks):
    """audit6: the greeting quoted the typed applicant name to the typed, unverified address:
    anyone filing online could have the authority's mailer send their own words to anyone."""
    bait = "Tài khoản bị khóa, xác minh tại https://gia-mao.example"
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier(applicant=applicant | {"name": bait})
    [email] = mail.outbox
    assert bait not in email.body and bait not in email.subject
    assert "gia-mao" not in email.body
    # Still useful: which dossier, which procedure, when, and how to look it up.
    assert d.code in email.body and d.procedure.name in email.body
    assert "09:00 ngày 05/03/2026" in email.body and d.lookup_secret in email.body
    [message] = sms.messages()
    assert "gia-mao" not in message["text"]


def test_nothing_is_written_before_acceptance_or_for_internal_steps(org, make_dossier, sms):
    d = make_dossier(accept=False)
    assert not Notification.objects.exists()  # submission: the receipt comes with acceptance
    d = _act(d, org.desk, "accept", "2026-03-02 09:00")
    _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    # The applicant has a phone but no e-mail: one SMS, for the acceptance only.
    assert list(Notification.objects.values_list("kind", "channel")) == [
        (Kind.ACCEPTED, Channel.SMS)]


def test_failed_send_keeps_the_change_and_the_retry_delivers(
        org, make_dossier, sms, applicant, settings, django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_BACKOFF_BASE = 60
    sms.control(fail=True)
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier(applicant=applicant)
    d.refresh_from_db()
    assert d.state == State.RECEIVED and d.events.filter(action="accept").exists()
    failed = Notification.objects.get(dossier=d, channel=Channel.SMS)
    assert failed.status == Status.PENDING and failed.tries == 1
    assert "503" in failed.last_error
    # Back-off: not due again for a minute, so the retry command leaves it alone for now.
    assert failed.next_try_at > timezone.now() + timedelta(seconds=50)
    # The e-mail went out regardless: one channel failing does not hold the other.
    assert Notification.objects.get(dossier=d, channel=Channel.EMAIL).status == Status.SENT
    assert sms.messages() == []

    sms.control(fail=False)
    call_command("notifications_send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.get(pk=failed.pk).status == Status.PENDING

    later = timezone.now() + timedelta(seconds=61)
    assert notifications_deliver(now=later).sent == 1
    failed.refresh_from_db()
    assert failed.status == Status.SENT and failed.tries == 2 and failed.last_error == ""
    # What went out is the row's text with the lookup secret; the row keeps it struck (audit9).
    [sent] = [m["text"] for m in sms.messages()]
    assert d.lookup_secret in sent and failed.body == text_redacted(sent, [d.lookup_secret])


@pytest.mark.django_db(transaction=True)
def test_real_commit_with_gateway_down_then_retry_command(org, make_dossier, sms, settings):
    """Without the test's wrapping transaction: the change really commits, the send fails."""
    settings.MOTCUA_NOTIFY_BACKOFF_BASE = 0
    sms.control(fail=True)
    d = make_dossier()
    assert Dossier.objects.get(pk=d.pk).state == State.RECEIVED
    n = Notification.objects.get(dossier=d)
    assert n.status == Status.PENDING and n.tries == 1 and "503" in n.last_error

    sms.control(fail=False)
    call_command("notifications_send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    n.refresh_from_db()
    assert n.status == Status.SENT and n.tries == 2
    assert len(sms.messages()) == 1


def test_rolled_back_change_writes_and_sends_nothing(org, make_dossier, sms,
                                                     django_capture_on_commit_callbacks):
    d = make_dossier(accept=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _act(d, org.desk, "accept", "2026-03-02 09:00")
            raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert sms.messages() == []


def test_one_notification_per_event_through_a_whole_life(org, make_dossier, sms, applicant,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier(applicant=applicant)
        d = _act(d, org.desk, "forward", "2026-03-02 09:30",
                 data={"assignee": org.specialist.pk})
        d = _act(d, org.specialist, "request_supplement", "2026-03-02 10:00", reason=REASON,
                 data={"missing_documents": ["Bản chụp CCCD"]})
        d = _act(d, org.desk, "supplement", "2026-03-03 08:00")
        d = _act(d, org.specialist, "request_payment", "2026-03-03 09:00",
                 data={"amount": 200000})
        d = _act(d, org.desk, "mark_paid", "2026-03-03 10:00")
        d = _act(d, org.head, "apologize", "2026-03-03 11:00", reason="Cần xác minh thêm",
                 data={"new_due_at": "2026-03-10T16:00:00+07:00"})
        d = _act(d, org.specialist, "forward", "2026-03-04 09:00",
                 data={"assignee": org.head.pk})
        d = _act(d, org.head, "approve", "2026-03-04 15:00")
        d = _act(d, org.desk, "mark_result_ready", "2026-03-05 08:00")
        d = _act(d, org.desk, "return_result", "2026-03-05 09:00",
                 data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    kinds = [Kind.ACCEPTED, Kind.SUPPLEMENT_REQUESTED, Kind.PAYMENT_REQUESTED, Kind.APOLOGY,
             Kind.RESULT_READY]
    for channel in (Channel.SMS, Channel.EMAIL):
        rows = Notification.objects.filter(dossier=d, channel=channel).order_by("event__seq")
        assert [r.kind for r in rows] == kinds
        assert all(r.status == Status.SENT for r in rows)
    texts = [m["text"] for m in sms.messages()]
    assert len(texts) == 5
    assert REASON in texts[1]
    assert "200.000 đồng" in texts[2]
    assert "16:00 ngày 10/03/2026" in texts[3] and "xin lỗi" in texts[3]
    assert "đã có kết quả" in texts[4]
    bodies = {m.subject: m.body for m in mail.outbox}
    assert "Giấy tờ cần bổ sung: Bản chụp CCCD" in bodies[f"Hồ sơ {d.code} cần bổ sung giấy tờ"]

    # The consumer run twice for one event cannot write a second message on the same channel.
    event = d.events.get(action="accept")
    with pytest.raises(IntegrityError), transaction.atomic():
        notification_record(event=event, dossier=d)


def test_back_off_grows_and_parks_after_max_tries(org, make_dossier, sms, settings):
    settings.MOTCUA_NOTIFY_BACKOFF_BASE = 10
    settings.MOTCUA_NOTIFY_BACKOFF_MAX = 35
    settings.MOTCUA_NOTIFY_MAX_TRIES = 3
    assert [backoff_delay(t) for t in (1, 2, 3, 4)] == [10, 20, 35, 35]
    sms.control(fail=True)
    make_dossier()
    n = Notification.objects.get()
    moment = timezone.now()
    for expected_tries in (1, 2):
        assert notifications_deliver(now=moment).failed == 1
        n.refresh_from_db()
        assert n.tries == expected_tries and n.status == Status.PENDING
        moment = n.next_try_at
    assert notifications_deliver(now=moment).failed == 1
    n.refresh_from_db()
    assert n.status == Status.FAILED and n.tries == 3
    assert notifications_deliver(now=moment + timedelta(days=1)).failed == 0


def test_a_claimed_message_is_not_sent_twice(org, make_dossier, sms):
    make_dossier()
    n = Notification.objects.get()
    now = timezone.now()
    from notifications.delivery import _claim

    assert _claim(n.pk, now)
    # Another worker at the same moment finds nothing due.
    assert notifications_deliver(now=now).sent == 0
    assert sms.messages() == []


def test_no_sms_without_a_gateway(org, make_dossier, settings):
    settings.MOTCUA_SMS_URL = ""
    make_dossier()
    assert not Notification.objects.exists()
