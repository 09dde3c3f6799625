"""sync/outbox.py and the claiming rules of sync/delivery.py (no portal involved)."""

from datetime import timedelta

from django.utils import timezone

from dossiers.services import dossier_act
from sync.delivery import backoff_delay, outbox_claim
from sync.models import Kind, OutboxMessage
from sync.tests.conftest import at

Status = OutboxMessage.Status


def test_each_transaction_writes_a_snapshot_and_a_history_row_per_event_in_order(
        org, make_dossier):
    dossier = make_dossier()  # submit + accept at the desk, one transaction
    rows = list(dossier.outbox_messages.values_list("seq", "kind", "is_update"))
    # One snapshot of the state the filing ends in, then one history row per event.
    assert rows == [(1, Kind.DOSSIER, False), (2, Kind.PROGRESS, True), (3, Kind.PROGRESS, True)]
    snapshot = dossier.outbox_messages.get(seq=1).payload
    assert snapshot["MaHoSo"] == dossier.code and snapshot["TrangThaiHoSo"] == "2"
    assert [m.payload["TrangThai"] for m in dossier.outbox_messages.filter(kind=Kind.PROGRESS)] \
        == ["1", "2"]
    assert {m.idempotency_key for m in dossier.outbox_messages.all()} == {
        f"{dossier.code}:{n}" for n in range(1, 4)}
    # A later change in its own transaction: its own snapshot, then its history row.
    dossier_act(dossier=dossier, actor=org.desk, action="forward", at=at("2026-03-02 10:00"))
    rows = list(dossier.outbox_messages.filter(seq__gt=3).values_list("seq", "kind", "is_update"))
    assert rows == [(4, Kind.DOSSIER, True), (5, Kind.PROGRESS, True)]
    assert dossier.outbox_messages.get(seq=4).payload["TrangThaiHoSo"] == "4"


def test_messages_carry_the_unit_and_receipt_the_backlog_is_counted_by(org, make_dossier):
    online = make_dossier(accept=False, channel=2)
    assert set(online.outbox_messages.values_list("competent_unit", "received_at")) == {
        (org.dept.pk, None)}
    dossier = dossier_act(dossier=online, actor=org.desk, action="accept",
                          at=at("2026-03-02 10:00"))
    newest = dossier.outbox_messages.order_by("-seq").first()
    assert (newest.competent_unit_id, newest.received_at) == (org.dept.pk,
                                                              at("2026-03-02 10:00"))


def test_a_refused_change_leaves_no_message(org, make_dossier):
    dossier = make_dossier()
    before = OutboxMessage.objects.count()
    try:
        dossier_act(dossier=dossier, actor=org.citizen, action="forward", at=at("2026-03-02 10:00"))
    except Exception:
        pass
    assert OutboxMessage.objects.count() == before


def test_national_mode_records_nothing(settings, make_dossier):
    settings.MOTCUA_MODE = "national"
    dossier = make_dossier()
    assert not dossier.outbox_messages.exists()


def test_claim_takes_each_dossiers_line_from_its_first_unsent_message(make_dossier):
    a, b = make_dossier(), make_dossier()
    _, claimed = outbox_claim(batch=1)
    # One dossier's first message was due; the rest of its line comes with it, in order.
    assert [(m.dossier_id, m.seq) for m in claimed] == [(a.pk, n) for n in (1, 2, 3)]
    _, claimed = outbox_claim(batch=10)
    assert [(m.dossier_id, m.seq) for m in claimed] == [(b.pk, n) for n in (1, 2, 3)]
    # Held by those claims: nothing is due for another worker.
    assert outbox_claim(batch=10)[1] == []


def test_a_message_is_due_only_when_every_earlier_one_of_its_dossier_is_sent(make_dossier):
    dossier = make_dossier()
    dossier.outbox_messages.filter(seq=1).update(status=Status.SENDING,
                                                 claimed_at=timezone.now())
    assert outbox_claim(batch=10)[1] == []
    dossier.outbox_messages.filter(seq=1).update(status=Status.SENT)
    assert [m.seq for m in outbox_claim(batch=10)[1]] == [2, 3]


def test_a_failed_message_holds_back_the_rest_of_its_dossier(make_dossier):
    dossier = make_dossier()
    dossier.outbox_messages.filter(seq=1).update(status=Status.FAILED)
    assert outbox_claim(batch=10)[1] == []


def test_a_claim_whose_worker_died_is_taken_again_after_the_lease(settings, make_dossier):
    settings.MOTCUA_SYNC_LEASE_SECONDS = 60
    make_dossier()
    old_token, [message, *rest] = outbox_claim(batch=10)
    later = timezone.now() + timedelta(seconds=61)
    new_token, again = outbox_claim(batch=10, now=later)
    assert [m.pk for m in again] == [message.pk] + [m.pk for m in rest]
    assert new_token != old_token
    # The first worker, had it survived, can no longer record an outcome.
    from sync.delivery import _finish

    assert not _finish(message, old_token, status=Status.SENT)
    assert _finish(message, new_token, status=Status.SENT)


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.MOTCUA_SYNC_BACKOFF_BASE = 10
    settings.MOTCUA_SYNC_BACKOFF_MAX = 100
    for tries, full in ((1, 10), (2, 20), (3, 40), (8, 100)):
        delays = [backoff_delay(tries) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 1


def test_a_worker_gives_back_what_it_cannot_send_within_half_its_lease(settings, make_dossier):
    from sync.delivery import sync_deliver_batch
    from sync.portal_client import PortalClient

    settings.MOTCUA_SYNC_LEASE_SECONDS = 0  # half the lease is over before the first send
    make_dossier()
    nowhere = PortalClient(url="http://127.0.0.1:9/", username="", password="", unit_code="",
                           timeout=0.1)
    result = sync_deliver_batch(client=nowhere)
    assert (result.claimed, result.sent) == (3, 0)
    assert set(OutboxMessage.objects.values_list("status", "tries", "claim_token")) == {
        (Status.PENDING, 0, "")}
