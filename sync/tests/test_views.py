"""The operator page (/dong-bo/) and the commands an operator runs."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from sync.models import OutboxMessage, ReconcileRun
from sync.tests.conftest import assert_in_sync

Status = OutboxMessage.Status


@pytest.fixture
def operator(org, client):
    Membership.objects.create(user=org.desk, unit=org.province, role=Role.ADMIN)
    client.force_login(org.desk)
    return client


def test_page_needs_login_and_the_administrator_role(org, client):
    url = reverse("sync:status")
    assert url == "/dong-bo/"
    assert client.get(url).status_code == 302
    client.force_login(org.specialist)
    assert client.get(url).status_code == 403
    assert client.post(reverse("sync:resend_failed")).status_code == 403


def test_page_shows_counts_oldest_change_and_failures(operator, make_dossier):
    a, b = make_dossier(), make_dossier()
    a.outbox_messages.update(status=Status.SENT)
    b.outbox_messages.filter(seq=1).update(status=Status.FAILED, tries=12,
                                           last_error="[-2] TrangThaiHoSo sai")
    c = make_dossier()
    page = operator.get(reverse("sync:status")).content.decode()
    assert 'data-count="synced">1<' in page
    assert 'data-count="pending">1 ' in page
    assert 'data-count="failed">1 ' in page
    assert "[-2] TrangThaiHoSo sai" in page and b.code in page
    assert "Thay đổi chờ lâu nhất" in page and c.code not in page


def test_resend_all_failed_and_one_dossier(operator, make_dossier):
    dossier = make_dossier()
    dossier.outbox_messages.update(status=Status.FAILED, tries=12)
    response = operator.post(reverse("sync:resend_failed"), follow=True)
    assert "Đã xếp 3 bản tin lỗi" in response.content.decode()
    assert set(dossier.outbox_messages.values_list("status", "tries")) == {(Status.PENDING, 0)}
    operator.post(reverse("sync:resend_dossier"), {"code": dossier.code})
    newest = dossier.outbox_messages.order_by("-seq").first()
    assert (newest.seq, newest.kind, newest.is_update) == (4, "DongBoHoSoMC", True)
    response = operator.post(reverse("sync:resend_dossier"), {"code": "KHONG-CO"}, follow=True)
    assert "Không tìm thấy hồ sơ KHONG-CO" in response.content.decode()


def test_worker_and_reconcile_commands(portal, org, make_dossier, capsys):
    dossier = make_dossier()
    call_command("sync_worker", "--once", "--batch", "10", "--sleep", "0.01")
    assert "Đã gửi thành công 3 bản tin." in capsys.readouterr().out
    assert_in_sync(portal, [dossier])
    portal.switch(reset=True)
    call_command("sync_reconcile")
    out = capsys.readouterr().out
    assert f"{dossier.code}\tchúng tôi=2\tCổng=—" in out
    assert "Đối chiếu 1 hồ sơ, 1 hồ sơ lệch." in out
    assert ReconcileRun.objects.get().differences == 1


def test_national_overview_exists_only_in_national_mode(operator, settings):
    from sync.models import NationalDossier
    from sync.national import installation_save

    url = reverse("sync:national")
    assert url == "/dong-bo/quoc-gia/"
    assert operator.get(url).status_code == 404
    settings.MOTCUA_MODE = "national"
    installation = installation_save(unit_code="000.00.00.H56", name="UBND tỉnh Khánh Hòa",
                                     username="khanhhoa", password="x", province_code=56)
    for n, status in enumerate((2, 4, 4)):
        NationalDossier.objects.create(code=f"H56-{n}", installation=installation,
                                       status=status, data={})
    page = operator.get(url).content.decode()
    assert "UBND tỉnh Khánh Hòa" in page and 'data-total="000.00.00.H56">3<' in page


def test_an_administrator_resends_only_their_units_dossiers(org, client, make_dossier):
    # The resend names a dossier by its code: an administrator of another unit (a commune's)
    # must not reach this unit's dossier by typing it; the answer is the not-found one.
    Membership.objects.create(user=org.other_desk, unit=org.other, role=Role.ADMIN)
    client.force_login(org.other_desk)
    dossier = make_dossier()
    before = dossier.outbox_messages.count()
    response = client.post(reverse("sync:resend_dossier"), {"code": dossier.code}, follow=True)
    assert f"Không tìm thấy hồ sơ {dossier.code}" in response.content.decode()
    assert dossier.outbox_messages.count() == before
    # The province's administrator (the unit above the centre) does.
    Membership.objects.create(user=org.specialist, unit=org.province, role=Role.ADMIN)
    client.force_login(org.specialist)
    client.post(reverse("sync:resend_dossier"), {"code": dossier.code})
    assert dossier.outbox_messages.count() == before + 1


def test_an_administrator_sees_and_resends_only_their_units_failures(org, client, make_dossier):
    # A commune's administrator: the province's failures, their dossiers' codes and the
    # reconciliation's differences about them are not theirs to see or re-send.
    dossier = make_dossier()
    dossier.outbox_messages.update(status=Status.FAILED, tries=12, last_error="[-2] lỗi")
    run = ReconcileRun.objects.create(started_at=timezone.now(), checked=1, differences=1)
    run.rows.create(dossier_code=dossier.code, ours=2, theirs=1)
    Membership.objects.create(user=org.other_desk, unit=org.other, role=Role.ADMIN)
    client.force_login(org.other_desk)
    page = client.get(reverse("sync:status")).content.decode()
    assert dossier.code not in page and "[-2] lỗi" not in page
    assert 'data-count="failed">0 ' in page
    response = client.post(reverse("sync:resend_failed"), follow=True)
    assert "Đã xếp 0 bản tin lỗi" in response.content.decode()
    assert set(dossier.outbox_messages.values_list("status", flat=True)) == {Status.FAILED}
    # The province's administrator sees them and the difference.
    Membership.objects.create(user=org.specialist, unit=org.province, role=Role.ADMIN)
    client.force_login(org.specialist)
    page = client.get(reverse("sync:status")).content.decode()
    assert dossier.code in page and "[-2] lỗi" in page and 'data-count="failed">1 ' in page
    assert f"<td>{dossier.code}</td>" in page


@pytest.mark.parametrize("scope", ["superuser", "administrator"])
def test_the_page_never_reads_the_whole_outbox(org, client, make_dossier, scope):
    # The outbox keeps every message for ever (several a dossier): each statement of the page
    # that reads it must start from the status index (the messages in flight), never count
    # the outbox's dossiers (bench/sync_page.py: over a second, and minutes joined to the
    # dossiers for an administrator's units, at 1,000,000 dossiers).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sent, failed = make_dossier(), make_dossier()
    sent.outbox_messages.update(status=Status.SENT)
    failed.outbox_messages.filter(seq=1).update(status=Status.FAILED, tries=12)
    if scope == "superuser":
        org.desk.is_superuser = True
        org.desk.save(update_fields=["is_superuser"])
    else:
        Membership.objects.create(user=org.desk, unit=org.province, role=Role.ADMIN)
    client.force_login(org.desk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("sync:status")).content.decode()
    assert 'data-count="synced">1<' in page and 'data-count="failed">1 ' in page
    outbox = [q["sql"] for q in queries.captured_queries if '"sync_outboxmessage"' in q["sql"]]
    missing = [sql for sql in outbox if not re.search(r'"(sync_outboxmessage|U\d)"\."status"', sql)]
    assert outbox and not missing, missing
