"""notify_staff, the early-warning command telling people, and the simulator itself."""

from io import StringIO

import httpx
from django.core import mail
from django.core.management import call_command

from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from motcua.testing import free_port, manage_command, server_process
from notifications.models import Channel, Kind, Notification
from notifications.services import notify_staff
from notifications.sms import HttpSmsGateway, SmsError
from notifications.tests.conftest import PASSWORD, USER


def test_notify_staff_by_email_and_sms(org, sms, django_capture_on_commit_callbacks):
    org.specialist.email = "chuyenvien@example.vn"
    org.specialist.phone = "0905 111 222"
    org.specialist.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify_staff(org.specialist, "Hồ sơ sắp đến hạn", "Hồ sơ X đến hạn lúc 16:00.")
    assert {r.channel for r in rows} == {Channel.WEB, Channel.EMAIL, Channel.SMS}
    assert all(r.kind == Kind.STAFF and r.recipient_user == org.specialist for r in rows)
    assert mail.outbox[0].to == ["chuyenvien@example.vn"]
    assert mail.outbox[0].subject == "Hồ sơ sắp đến hạn"
    [message] = sms.messages()
    assert message["to"] == "0905111222" and "Hồ sơ X đến hạn lúc 16:00." in message["text"]
    # No e-mail and no phone: the page alone tells them.
    [row] = notify_staff(org.specialist2, "a", "b")
    assert (row.channel, row.status, row.recipient_user) == (Channel.WEB, "sent",
                                                             org.specialist2)


def test_metrics_warn_tells_each_responsible_person(org, make_dossier, settings):
    settings.MOTCUA_SMS_URL = ""
    org.specialist.email = "chuyenvien@example.vn"
    org.specialist.save()
    org.head.email = "lanhdao@example.vn"
    org.head.save()
    d = make_dossier()
    dossier_act(dossier=d, actor=org.desk, action="forward", at=at("2026-03-02 09:30"),
                data={"assignee": org.specialist.pk})
    out = StringIO()
    call_command("metrics_warn", hours=8, at=at("2026-03-06 09:00").isoformat(), stdout=out)
    assert "Đã gửi thông báo cho 1 người phụ trách." in out.getvalue()
    [n] = Notification.objects.filter(kind=Kind.STAFF, channel=Channel.EMAIL)
    assert n.recipient == "chuyenvien@example.vn" and d.code in n.body
    assert "Hồ sơ đã quá hạn" in n.body
    # The same on the specialist's "Thông báo" page.
    [web] = Notification.objects.filter(kind=Kind.STAFF, channel=Channel.WEB)
    assert web.recipient_user == org.specialist and web.body == n.body
    call_command("metrics_warn", hours=8, at=at("2026-03-06 09:00").isoformat(),
                 no_notify=True, stdout=StringIO())
    assert Notification.objects.filter(kind=Kind.STAFF).count() == 2


def test_simulator_checks_credentials_and_lists_messages(sms):
    wrong = HttpSmsGateway(url=sms.url, user=USER, password="wrong", timeout=5)
    try:
        wrong.send(to="0914000000", text="x", ref="1")
        raise AssertionError("the simulator accepted wrong credentials")
    except SmsError as error:
        assert "401" in str(error)
    right = HttpSmsGateway(url=sms.url, user=USER, password=PASSWORD, timeout=5)
    assert right.send(to="0914000000", text="Xin chào <b>", ref="7").startswith("SIM-")
    page = httpx.get(sms.base + "/").text
    assert "Mô phỏng cổng SMS" in page and "Xin chào &lt;b&gt;" in page
    assert sms.messages()[0]["ref"] == "7"


def test_unreachable_gateway_is_an_error_not_a_success():
    gateway = HttpSmsGateway(url=f"http://127.0.0.1:{free_port()}/api/sms/", user=USER,
                             password=PASSWORD, timeout=2)
    try:
        gateway.send(to="0914000000", text="x", ref="1")
        raise AssertionError("no error from an unreachable gateway")
    except SmsError as error:
        assert "ConnectError" in str(error)


def test_management_command_starts_the_simulator():
    with server_process(manage_command("sms_simulator")) as base:
        answer = httpx.get(base + "/messages.json", timeout=2)
        assert answer.json() == {"fail": False, "messages": []}
