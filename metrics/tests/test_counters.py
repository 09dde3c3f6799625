"""Counters move with the events; a rebuild from the event log gives the same table."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dossiers.models import Dossier, DossierDocument
from dossiers.services import dossier_act, dossier_create
from dossiers.states import OPEN_STATES, PAUSED_STATES, PAYMENT_SYSTEM, TRANSITIONS, SystemActor
from dossiers.tests.conftest import APPLICANT, at
from metrics import selectors
from metrics.counters import (
    counters_from_log,
    counters_rebuild,
    counters_table,
    event_deltas,
    monthly_table,
    months_from_days,
)
from metrics.models import DailyCounter
from metrics.periods import Period
from metrics.tests.conftest import stored_result
from motcua.errors import DomainError, NotAllowed


def test_consumer_is_listed_in_settings():
    # Read from the project's settings module, not the per-test override of conftest.py.
    import motcua.settings as project

    assert "metrics.counters.counters_apply" in project.MOTCUA_EVENT_CONSUMERS
    assert django_settings.MOTCUA_EVENT_CONSUMERS  # the override keeps ours


def test_rebuild_equals_incremental_on_the_hand_checked_month(month):
    live = counters_table()
    # The month has digitised, reused and electronic results: the new columns are exercised.
    totals = {n: sum(row[n] for row in live.values())
              for n in ("settled_digitised", "settled_e_result", "settled_reused")}
    assert totals == {"settled_digitised": 1, "settled_e_result": 4, "settled_reused": 1}
    assert live == counters_from_log()
    months = monthly_table()
    assert months == months_from_days(live)
    assert counters_rebuild() == len(live)
    assert counters_table() == live
    assert monthly_table() == months
    call_command("metrics_rebuild", verbosity=0)
    assert counters_table() == live
    assert monthly_table() == months


def test_a_rolled_back_change_counts_nothing(org, make_dossier):
    d = make_dossier()
    before = counters_table()
    with pytest.raises(DomainError):
        # The reason is checked after the row lock; nothing of the change may stay.
        dossier_act(dossier=d, actor=org.desk, action="withdraw", at=at("2026-03-03 09:00"))
    assert counters_table() == before


def test_days_are_vietnam_days(org, make_dossier):
    # 06:30 in Vietnam is 23:30 UTC of the previous day; the counter is on the Vietnam day.
    make_dossier(when="2026-03-03 06:30")
    assert list(DailyCounter.objects.values_list("day", flat=True)) == [at("2026-03-03 00:00")
                                                                         .date()]


PAPER_CHANGES = ["scan", "reuse", "sign"]
# Every action of the table, the path to a result repeated so that random sequences often
# reach "returned" (early, on time or late) instead of ending in a withdrawal or a stop.
ACTIONS = sorted(TRANSITIONS) + ["forward"] * 6 + ["approve", "mark_result_ready"] * 2 \
    + ["return_result"] * 3 + PAPER_CHANGES * 2


def _change_papers(dossier, action, when):
    """What the desk's scan, the data store's reuse and the signed result set between actions:
    the flags the return event records and the counters read from it."""
    papers = list(dossier.documents.order_by("pk"))
    if action == "scan" and papers:
        DossierDocument.objects.filter(pk=papers[0].pk).update(digitised=True)
    elif action == "reuse" and papers:
        DossierDocument.objects.filter(pk=papers[-1].pk).update(reused=True)
    elif action == "sign":
        stored_result(dossier, signed=dossier.pk % 2 == 0, when=when)
    return dossier


def _try(org, dossier, action, when):
    if action in PAPER_CHANGES:
        return _change_papers(dossier, action, when)
    data = {}
    if action == "request_supplement":
        data = {"missing_documents": ["Tờ khai"]}
    if action == "apologize":
        due = dossier.due_at or when
        data = {"new_due_at": (due + timedelta(days=3)).isoformat()}
    if action == "request_payment":
        data = {"amount": 50000}
    if action == "return_result":
        data = {"receiver": {"method": "online"}}
    if action == "mark_paid":
        # Half the payments reported as online, so the rebuild must read the event's flag.
        data = {"confirmed_by": "officer", "method": "transfer", "online": dossier.pk % 2 == 0}
    for actor in (org.desk, org.specialist, org.head):
        try:
            return dossier_act(dossier=dossier, actor=actor, action=action, at=when,
                               reason="Lý do", data=data)
        except (DomainError, NotAllowed):
            continue
    return dossier


steps = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ACTIONS),
                           st.integers(1, 30)), min_size=10, max_size=80)
starts = st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from([True, True, False])),
                  min_size=1, max_size=3)


@hsettings(max_examples=40, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture,
                                  HealthCheck.too_slow])
@given(starts=starts, steps=steps)
@pytest.mark.django_db
def test_rebuild_equals_incremental_after_random_actions(org, starts, steps):
    """Any sequence of allowed and refused actions: live counters == rebuild from the log."""
    with transaction.atomic():
        clock = at("2026-03-02 07:00")
        dossiers = []
        for channel, accept in starts:
            clock += timedelta(minutes=20)
            d, _ = dossier_create(actor=org.desk, variant=org.variant, channel=channel,
                                  receiving_unit=org.centre, applicant=APPLICANT,
                                  accept=accept, at=clock,
                                  documents=[{"required_document": org.doc_form.pk},
                                             {"required_document": org.doc_id.pk}])
            dossiers.append(d)
        for index, action, hours in steps:
            clock += timedelta(hours=hours)
            i = index % len(dossiers)
            dossiers[i] = _try(org, dossiers[i], action, clock)
        live = counters_table()
        assert live == counters_from_log()
        assert monthly_table() == months_from_days(live)
        # The dashboard's "in progress" figures come from the counters (received − closed) and
        # the due index; they equal the dossiers' states at every moment.
        f = selectors.unit_report(org.province, Period("nam", 2026), clock).figures
        received = Dossier.objects.filter(state__in=OPEN_STATES, received_at__isnull=False)
        late = received.filter(state__in=OPEN_STATES - PAUSED_STATES, due_at__lt=clock)
        assert (f.open_on_time + f.open_overdue, f.open_overdue) == (received.count(),
                                                                    late.count())
        counters_rebuild()
        assert counters_table() == live
        assert monthly_table() == months_from_days(live)
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_lose_no_count(org):
    """Many transactions counting on the same day row at once (the same unit and procedure)."""
    threads, per_thread, errors = 6, 5, []
    barrier = threading.Barrier(threads)

    def submit():
        try:
            barrier.wait()
            for _ in range(per_thread):
                dossier_create(actor=org.desk, variant=org.variant, channel=1,
                               receiving_unit=org.centre, applicant=APPLICANT, accept=True,
                               at=at("2026-03-02 09:00"),
                               documents=[{"required_document": org.doc_form.pk},
                                          {"required_document": org.doc_id.pk}])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    ((key, counts),) = counters_table().items()
    assert counts["received_counter"] == threads * per_thread
    assert counters_table() == counters_from_log()
    # On PostgreSQL the transactions counted in several slots of the one key (issue #18); the
    # rebuild puts the same sums back in one row a key.
    spread = DailyCounter.objects.count()
    assert spread > 1 if connection.vendor == "postgresql" else spread == 1
    live, months = counters_table(), monthly_table()
    counters_rebuild()
    assert (counters_table(), monthly_table()) == (live, months)
    assert DailyCounter.objects.count() == 1


def test_payments_count_and_online_share(org, make_dossier):
    from metrics import selectors
    from metrics.periods import Period

    paid = []
    for n, (online, actor) in enumerate([(True, "system"), (False, "officer")]):
        d = make_dossier(when=f"2026-03-0{2 + n} 09:00")
        d = dossier_act(dossier=d, actor=org.desk, action="forward", at=at("2026-03-04 09:00"))
        d = dossier_act(dossier=d, actor=org.specialist, action="request_payment",
                        at=at("2026-03-04 10:00"), data={"amount": 100000})
        if actor == "system":
            gateway = SystemActor(name=PAYMENT_SYSTEM, display_name="Hệ thống thanh toán")
            d = dossier_act(dossier=d, actor=gateway, action="mark_paid",
                            at=at("2026-03-05 10:00"),
                            data={"confirmed_by": "gateway", "online": online,
                                  "method": "gateway", "payment_reference": f"TT{n}"})
        else:
            d = dossier_act(dossier=d, actor=org.desk, action="mark_paid",
                            at=at("2026-03-05 11:00"),
                            data={"confirmed_by": "officer", "online": online,
                                  "method": "cash"})
        paid.append(d)
    row = DailyCounter.objects.get(day=at("2026-03-05 00:00").date())
    assert (row.paid, row.paid_online) == (2, 1)
    assert counters_table() == counters_from_log()
    report = selectors.unit_report(org.province, Period("thang", 2026, 3), at("2026-03-31 12:00"))
    assert str(report.values["online_payment_share"]) == "50.00"


def test_return_event_facts_are_counted_once_per_dossier():
    """Counts of papers on the return event become 0/1 per dossier; other events, older events
    without the facts, and values that are not counts add nothing."""
    base = {"action": "return_result", "received": True, "channel": 1,
            "online_level": "", "settled_timing": "early", "first_apology": False}
    got = event_deltas(**base, data={"papers": 3, "papers_digitised": 2, "papers_reused": 1,
                                     "result_electronic": True})
    assert got == {"settled_early": 1, "closed_after_receipt": 1, "settled_digitised": 1,
                   "settled_reused": 1, "settled_e_result": 1}
    assert event_deltas(**base, data={}) == {"settled_early": 1, "closed_after_receipt": 1}
    odd = {"papers_digitised": True, "papers_reused": "2", "result_electronic": "yes"}
    assert event_deltas(**base, data=odd) == {"settled_early": 1, "closed_after_receipt": 1}
    # A withdrawal carries no settlement: a scanned, withdrawn dossier is not counted.
    assert event_deltas(**{**base, "action": "withdraw"},
                        data={"papers_digitised": 1}) == {"withdrawn": 1,
                                                          "closed_after_receipt": 1}


def test_return_event_records_the_papers_and_the_result(org, make_dossier):
    from metrics.tests.conftest import reuse, scan, settle

    d = make_dossier()
    scan(org, d, org.doc_form)
    reuse(org, d, org.doc_id)
    d = settle(org, d, approve="2026-03-03 15:00", returned="2026-03-04 09:00",
               result="signed")
    event = d.events.get(action="return_result")
    assert event.data == {"papers": 2, "papers_digitised": 1, "papers_reused": 1,
                          "papers_from_national_store": 0, "result_electronic": True,
                          "receiver": {"kind": "applicant", "name": d.applicant_name,
                                       "paper": "CCCD số 056185004321", "method": "desk",
                                       "tracking": ""}}
    row = DailyCounter.objects.get(day=at("2026-03-04 00:00").date())
    assert (row.settled_digitised, row.settled_e_result, row.settled_reused) == (1, 1, 1)
    assert counters_table() == counters_from_log()


def test_a_dossier_never_received_closes_nothing(org, make_dossier):
    """Asked to complete at the desk before receipt (Form 02), then withdrawn or stopped: the
    withdrawal and the stop are counted, but no received dossier was closed, so the dossiers in
    progress (received − closed) are still right."""
    kept = make_dossier(when="2026-03-02 09:00")
    for action, actor in (("withdraw", "desk"), ("stop", "head")):
        d = make_dossier(accept=False, channel=2, when="2026-03-02 10:00")
        d = dossier_act(dossier=d, actor=org.desk, action="request_supplement",
                        at=at("2026-03-02 10:30"), reason="Thiếu tờ khai",
                        data={"missing_documents": ["Tờ khai"]})
        assert d.received_at is None
        dossier_act(dossier=d, actor=getattr(org, actor), action=action,
                    at=at("2026-03-02 11:00"), reason="Lý do")
    row = DailyCounter.objects.get()
    assert (row.withdrawn, row.stopped, row.closed_after_receipt) == (1, 1, 0)
    assert counters_table() == counters_from_log()
    f = selectors.unit_report(org.province, Period("thang", 2026, 3), at("2026-03-02 12:00"))
    assert (f.figures.open_on_time, f.figures.open_overdue) == (1, 0)
    assert Dossier.objects.get(pk=kept.pk).state == "received"


def test_the_upserts_text_is_built_once_per_shape(monkeypatch):
    """The counters' upsert is written out once per table, key column and set of counters per
    worker, not quoted name by name on every filing and settling action (issue #18); its values
    are each call's own."""
    from datetime import date

    from metrics import counters
    from metrics.models import MonthlyCounter

    monkeypatch.setattr(counters, "_UPSERT_SQL", {})
    quoted: list[str] = []
    real = connection.ops.quote_name
    monkeypatch.setattr(connection.ops, "quote_name",
                        lambda name: quoted.append(name) or real(name))
    first_sql, first = counters._upsert_sql((date(2026, 3, 2), 1, 2), {"refused": 1})
    built = len(quoted)
    second_sql, second = counters._upsert_sql((date(2026, 3, 3), 4, 5), {"refused": 1})
    assert second_sql is first_sql and len(quoted) == built > 0
    assert first[:3] == [date(2026, 3, 2), 1, 2] and second[:3] == [date(2026, 3, 3), 4, 5]
    other_sql, _ = counters._upsert_sql((date(2026, 3, 1), 1, 2), {"refused": 1},
                                        model=MonthlyCounter, key_column="month")
    assert other_sql != first_sql and "month" in other_sql
    assert counters._upsert_sql((date(2026, 3, 2), 1, 2), {"paid": 1})[0] != first_sql
