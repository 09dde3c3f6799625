"""audit9: what opens a dossier (its lookup secret), a survey (its one-time link) or an
evaluation's confirmation (its code) reaches the person, and no one who reads the outbox
afterwards — an administrator in the admin, a copy of the database (notifications/redaction.py).
"""

import re

from django.core import mail

from notifications.models import Channel, Notification
from notifications.redaction import MASK, text_redacted

Status = Notification.Status


def _searched(client, url: str, q: str):
    page = client.get(url).content.decode()
    proof = re.search(r'name="_tu_trang" value="([0-9a-f]+)"', page).group(1)
    return client.get(url, {"q": q, "_tu_trang": proof})


def test_a_sent_message_keeps_no_lookup_secret(org, make_dossier, sms, applicant,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier(applicant=applicant)
    secret = d.lookup_secret
    # The person got it, by SMS and e-mail …
    [message] = sms.messages()
    assert f"#bi-mat={secret}" in message["text"]
    [email] = mail.outbox
    assert secret in email.body
    # … and the rows that sent them keep the link without it.
    rows = list(Notification.objects.filter(dossier=d))
    assert sorted(r.channel for r in rows) == [Channel.EMAIL, Channel.SMS]
    for row in rows:
        assert row.status == Status.SENT and row.secrets == []
        assert secret not in row.body and secret not in row.subject
        assert f"#bi-mat={MASK}" in row.body and d.code in row.body
    sms_row = next(r for r in rows if r.channel == Channel.SMS)
    assert sms_row.body == text_redacted(message["text"], [secret])


def test_the_admin_shows_no_secret_of_a_message_waiting_to_be_sent(
        org, make_dossier, sms, applicant, root, django_capture_on_commit_callbacks):
    sms.control(fail=True)
    with django_capture_on_commit_callbacks(execute=True):
        d = make_dossier(applicant=applicant)
    waiting = Notification.objects.get(dossier=d, channel=Channel.SMS)
    # Kept for the retry, which must send the whole link.
    assert waiting.status == Status.PENDING and d.lookup_secret in waiting.body
    assert waiting.secrets == [d.lookup_secret]
    page = root.get(f"/admin/notifications/notification/{waiting.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert d.lookup_secret not in text
    assert f"bi-mat={MASK}" in text and d.code in text
    # Nor does a search answer, a guess at a time, what the text holds.
    url = "/admin/notifications/notification/"
    assert root.get(url).content.decode().count(f"/{waiting.pk}/change/") == 1
    for guess in (d.lookup_secret, f"bi-mat={d.lookup_secret[:3]}"):
        found = _searched(root, url, guess).content.decode()
        assert f"/{waiting.pk}/change/" not in found, guess


def test_a_sent_confirmation_code_is_struck_from_the_outbox(org, make_dossier, sms, applicant):
    from notifications.services import notify_person

    rows = notify_person(email=applicant["email"], phone=applicant["phone"],
                         subject="Mã xác nhận đánh giá hồ sơ X", body="Mã: 261207\nHết.",
                         sms="Hồ sơ H56-261207-0001: 261207. Hiệu lực 15 phút.",
                         kind="evaluation_confirm", secrets=["261207"])
    from notifications.delivery import notifications_deliver

    assert notifications_deliver(ids=[r.pk for r in rows]).sent == 2
    [message] = sms.messages()
    assert message["text"] == "Hồ sơ H56-261207-0001: 261207. Hiệu lực 15 phút."
    sent = {r.channel: r for r in Notification.objects.filter(pk__in=[r.pk for r in rows])}
    # The code goes; a dossier code that happens to hold the same digits stays readable.
    assert sent[Channel.SMS].body == f"Hồ sơ H56-261207-0001: {MASK}. Hiệu lực 15 phút."
    assert sent[Channel.EMAIL].body == f"Mã: {MASK}\nHết."


def test_the_migration_strikes_the_secrets_of_rows_sent_before(org, make_dossier):
    """Rows written before Notification.secrets: the dossier's lookup secret, a survey's link
    and a confirmation code struck once sent; a row still waiting keeps its text and names them."""
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    strike = import_module("notifications.migrations.0006_notification_secrets").name_and_strike
    d = make_dossier(accept=False)
    link = "https://motcua.example.vn/khao-sat/Zx_9-abc/"
    now = timezone.now()
    made = {
        "dossier": Notification.objects.create(
            dossier=d, kind="accepted", channel="sms", recipient="0914222333",
            body=f"Tra cứu: https://x.vn/tra-cuu/?ma={d.code}#bi-mat={d.lookup_secret}",
            status=Status.SENT, next_try_at=now),
        "survey": Notification.objects.create(
            kind="survey", channel="email", recipient="a@example.vn", body=f"Mời:\n\n{link}\n\nHết",
            status=Status.SENT, next_try_at=now),
        "code": Notification.objects.create(
            kind="evaluation_confirm", channel="sms", recipient="0914222333",
            body="Mã xác nhận đánh giá hồ sơ H56-261207-0001: 654321. Hiệu lực 15 phút.",
            status=Status.SENT, next_try_at=now),
        "waiting": Notification.objects.create(
            kind="evaluation_confirm", channel="sms", recipient="0914222333",
            body="Mã xác nhận đánh giá hồ sơ X: 111222. Hiệu lực 15 phút.", next_try_at=now),
    }
    strike(apps, None)
    got = {k: Notification.objects.get(pk=n.pk) for k, n in made.items()}
    assert got["dossier"].body.endswith(f"#bi-mat={MASK}")
    assert got["survey"].body == f"Mời:\n\n{MASK}\n\nHết"
    assert got["code"].body == (f"Mã xác nhận đánh giá hồ sơ H56-261207-0001: {MASK}. "
                                "Hiệu lực 15 phút.")
    assert got["waiting"].body.endswith("111222. Hiệu lực 15 phút.")
    assert got["waiting"].secrets == ["111222"]
