"""The provincial worker against the national mode running as a real server process.

Each test ends by comparing the national side with our database: status code, latest snapshot,
and every history row exactly once.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest
from django.db import connection, connections

from dossiers.models import State
from dossiers.services import dossier_act
from dossiers.tests.test_transitions import reach
from sync.delivery import sync_deliver_batch
from sync.models import OutboxMessage
from sync.services import outbox_resend_dossier, outbox_resend_failed, sync_reconcile
from sync.tests.conftest import ROOT, UNIT_CODE, assert_in_sync, at, drain, unsent

Status = OutboxMessage.Status


@pytest.fixture
def client(portal):
    c = portal.client()
    yield c
    c.close()


def test_every_change_reaches_the_portal_once(portal, client, org, make_dossier):
    dossiers = [reach(org, make_dossier, s) for s in (State.RETURNED, State.REFUSED,
                                                      State.SUPPLEMENT_REQUESTED)]
    drain(client)
    assert_in_sync(portal, dossiers)
    state = portal.state()
    assert state["receipts"] == OutboxMessage.objects.count()
    assert state["replays"] == 0


def test_portal_down_then_up_delivers_everything_once(portal, settings, org, make_dossier):
    dossiers = [make_dossier(), make_dossier()]
    settings.MOTCUA_PORTAL_URL = "http://127.0.0.1:9/api/v1/cong-quoc-gia/"  # nothing listens
    down = portal.client(url=settings.MOTCUA_PORTAL_URL)
    for _ in range(3):
        assert sync_deliver_batch(client=down).unavailable
        time.sleep(0.05)
    assert unsent() == 6  # a dossier: one snapshot, the history rows of filing and acceptance
    errors = set(OutboxMessage.objects.exclude(last_error="").values_list("last_error", flat=True))
    assert errors and all("Không kết nối" in e for e in errors)
    dossier_act(dossier=dossiers[0], actor=org.desk, action="forward",
                at=at("2026-03-02 09:30"), data={"assignee": org.specialist.pk})
    up = portal.client()
    drain(up)
    assert_in_sync(portal, dossiers)
    assert portal.state()["replays"] == 0


def test_http_500_is_retried_with_back_off_until_the_portal_recovers(portal, client,
                                                                      make_dossier):
    dossier = make_dossier()
    portal.switch(fail_http_500=True)
    sync_deliver_batch(client=client)
    first = dossier.outbox_messages.get(seq=1)
    assert (first.status, first.tries) == (Status.PENDING, 1)
    assert "HTTP 500" in first.last_error and first.next_try_at > first.created_at
    portal.switch(fail_http_500=False)
    drain(client)
    assert_in_sync(portal, [dossier])


def test_slow_answers_time_out_and_the_retry_is_not_applied_twice(portal, client, make_dossier):
    dossier = make_dossier()
    client.http.timeout = httpx.Timeout(0.5)
    portal.switch(delay_seconds=1.0)
    result = sync_deliver_batch(client=client)
    assert result.unavailable and result.sent == 0
    first = dossier.outbox_messages.get(seq=1)
    assert first.status == Status.PENDING and "Hết thời gian" in first.last_error
    portal.switch(delay_seconds=0)
    time.sleep(0.6)  # let the slow request finish at the server
    drain(client)
    assert_in_sync(portal, [dossier])
    assert portal.state()["replays"] >= 1  # the timed-out call had been applied
    # Its one snapshot (filing and acceptance share it) applied once, the replay answered.
    assert portal.lookup([dossier.code])[dossier.code]["SoLanCapNhat"] == 1


def test_already_exists_is_resent_as_an_update(portal, client, make_dossier):
    dossier = make_dossier()
    portal.switch(already_exists=True)
    drain(client)
    assert_in_sync(portal, [dossier])


def test_parked_after_max_tries_then_resent_by_the_operator(portal, client, settings,
                                                            make_dossier):
    settings.MOTCUA_SYNC_MAX_TRIES = 2
    dossier = make_dossier()
    portal.switch(fail_http_500=True)
    for _ in range(20):
        sync_deliver_batch(client=client)
        if dossier.outbox_messages.filter(status=Status.FAILED).exists():
            break
        time.sleep(0.05)
    parked = dossier.outbox_messages.get(seq=1)
    assert (parked.status, parked.tries) == (Status.FAILED, 2)
    assert "HTTP 500" in parked.last_error
    # Order holds: nothing after the parked message went out.
    assert not dossier.outbox_messages.filter(status=Status.SENT).exists()
    portal.switch(fail_http_500=False)
    assert outbox_resend_failed() == 1
    drain(client)
    assert_in_sync(portal, [dossier])


def test_a_refused_payload_is_parked_at_once_with_the_portals_message(portal, client,
                                                                      make_dossier):
    dossier = make_dossier()
    message = dossier.outbox_messages.get(seq=1)
    message.payload["TrangThaiHoSo"] = "99"
    message.save()
    sync_deliver_batch(client=client)
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.tries == 1
    assert message.last_error.startswith("[-2]") and "TrangThaiHoSo" in message.last_error


def test_one_bad_record_in_a_shared_call_parks_only_its_own_message(portal, client,
                                                                     make_dossier):
    good, bad, other = make_dossier(), make_dossier(), make_dossier()
    message = bad.outbox_messages.get(seq=1)
    message.payload["NgayNopHoSo"] = "hôm qua"
    message.save()
    drain_until = time.monotonic() + 10
    while OutboxMessage.objects.filter(status=Status.PENDING).exclude(dossier=bad).exists():
        assert time.monotonic() < drain_until
        sync_deliver_batch(client=client)
    message.refresh_from_db()
    assert message.status == Status.FAILED and "NgayNopHoSo" in message.last_error
    assert set(bad.outbox_messages.values_list("status", flat=True)) == {Status.FAILED,
                                                                         Status.PENDING}
    assert_in_sync(portal, [good, other])


def test_an_expired_session_is_renewed(portal, make_dossier):
    dossier = make_dossier()
    client = portal.client(fresh=True)
    client._token, client._token_until = "het-han", time.monotonic() + 3000
    drain(client)
    client.close()
    assert_in_sync(portal, [dossier])


def test_reconcile_lists_dossiers_the_portal_has_differently(portal, client, org,
                                                              make_dossier, capsys):
    a, b = make_dossier(), make_dossier()
    drain(client)
    portal.switch(reset=True)  # the portal loses both
    outbox_resend_dossier(code=a.code)
    drain(client)
    run = sync_reconcile(client=client)
    assert (run.checked, run.differences) == (2, 1)
    [row] = run.rows.all()
    assert (row.dossier_code, row.ours, row.theirs) == (b.code, 2, None)


# --- Several processes ---------------------------------------------------------------------------


def _worker_env(extra: dict[str, str]) -> dict[str, str]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return os.environ | {"DATABASE_URL": url, "MOTCUA_MODE": "province"} | extra


@pytest.mark.django_db(transaction=True)
def test_two_workers_in_parallel_never_send_a_message_twice(portal, org, make_dossier):
    dossiers = [reach(org, make_dossier, State.PROCESSING) for _ in range(8)]
    total = OutboxMessage.objects.count()
    errors: list[BaseException] = []
    claimed: list[int] = []

    def work():
        client = portal.client(timeout=5)
        mine = 0
        try:
            deadline = time.monotonic() + 30
            while unsent() and time.monotonic() < deadline:
                n = sync_deliver_batch(client=client, batch=3).claimed
                mine += n
                if not n:
                    time.sleep(0.01)
            claimed.append(mine)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            client.close()
            connections.close_all()

    # Each answer takes a little while, so that one worker cannot finish before the other starts.
    portal.switch(delay_seconds=0.02)
    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert unsent() == 0
    assert len(claimed) == 2 and all(claimed), claimed  # both workers did share the work
    assert_in_sync(portal, dossiers)
    state = portal.state()
    assert (state["receipts"], state["replays"]) == (total, 0)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(portal, settings, org,
                                                                         make_dossier):
    dossiers = [make_dossier() for _ in range(6)]
    portal.switch(delay_seconds=0.4)
    env = _worker_env({
        "MOTCUA_PORTAL_URL": portal.url, "MOTCUA_PORTAL_USERNAME": settings.MOTCUA_PORTAL_USERNAME,
        "MOTCUA_PORTAL_PASSWORD": settings.MOTCUA_PORTAL_PASSWORD,
        "MOTCUA_PORTAL_UNIT_CODE": UNIT_CODE, "MOTCUA_PORTAL_TIMEOUT": "5",
    })
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "sync_worker",
                               "--batch", "50", "--sleep", "0.1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    # Kill it while it waits for the answer to a call the portal has already applied.
    while portal.state()["receipts"] < 2:
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    stuck = OutboxMessage.objects.filter(status=Status.SENDING).count()
    assert stuck >= 1
    portal.switch(delay_seconds=0)
    settings.MOTCUA_SYNC_LEASE_SECONDS = 0.5
    time.sleep(0.6)
    client = portal.client()
    try:
        drain(client)
    finally:
        client.close()
    assert_in_sync(portal, dossiers)
    state = portal.state()
    assert state["replays"] >= 1  # the call in flight was sent again and answered, not applied
    assert state["receipts"] == OutboxMessage.objects.count()
