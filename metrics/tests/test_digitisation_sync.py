"""Digitisation, reuse and national-portal sync shares of the hand-checked month (conftest.py).

The department settled A, B, C and D in March: A's form was scanned at the desk, B's ID copy was
reused from the owner's data store, A, B and C have signed electronic results and D an unsigned
one. E was scanned and then withdrawn. Of the seven dossiers it received, the portal has
acknowledged the latest status of A–E; F's last message failed and H's is still pending.
"""

import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps

from metrics import indicators, selectors
from metrics.models import IndexMethod
from metrics.periods import Period
from metrics.tests.conftest import NOW, settle
from results.tests.conftest import pki, signing  # noqa: F401 - the test PKI and its settings
from sync.models import OutboxMessage

MARCH, APRIL = Period("thang", 2026, 3), Period("thang", 2026, 4)
MIGRATION = importlib.import_module("metrics.migrations.0005_digitisation_counters")


def _report(unit, period=MARCH):
    return selectors.unit_report(unit, period, NOW)


def _drill(unit, metric, period=MARCH):
    return list(selectors.dossier_drill(unit_ids=selectors.unit_subtree_ids(unit.pk),
                                        period=period, metric=metric, now=NOW))


def test_department_digitisation_counts_and_shares(org, month):
    r = _report(org.dept)
    f, v = r.figures, r.values
    assert (f.settled_early + f.settled_on_time + f.settled_late) == 4
    assert (f.settled_digitised, f.settled_e_result, f.settled_reused) == (1, 3, 1)
    assert v["digitised_papers_share"] == D("25.00")    # A of A, B, C, D
    assert v["e_result_share"] == D("75.00")            # A, B, C (D's result is unsigned)
    assert v["digitised_share"] == D("50.00")           # (1 + 3) / (2 × 4)
    assert v["reused_share"] == D("25.00")              # B
    # The group: 22 × (50 + 25) / 200 = 8.25.
    assert {g.key: g.points for g in r.score.groups}["digitisation"] == D("8.25")


def test_department_sync_share(org, month):
    f = _report(org.dept).figures
    assert (f.received_counter + f.received_online + f.received_post, f.sync_waiting) == (7, 2)
    assert _report(org.dept).values["synced_share"] == D("71.43")
    # G was refused at intake: never received, so outside the share although it was sent.
    assert [d.pk for d in _drill(org.dept, "not_synced")] == [month["F"].pk, month["H"].pk]


def test_province_adds_its_subtree(org, month):
    r = _report(org.province)
    f, v = r.figures, r.values
    assert (f.settled_digitised, f.settled_e_result, f.settled_reused) == (1, 4, 1)
    assert (v["digitised_share"], v["reused_share"]) == (D("50.00"), D("20.00"))
    assert (f.received_counter + f.received_online + f.received_post, f.sync_waiting,
            v["synced_share"]) == (9, 3, D("66.67"))
    assert {d.pk for d in _drill(org.province, "not_synced")} \
        == {month["F"].pk, month["H"].pk, month["K"].pk}


def test_drill_down_lists_name_the_dossiers(org, month):
    names = {d.pk: k for k, d in month.items()}
    assert [names[d.pk] for d in _drill(org.dept, "settled_digitised")] == ["A"]
    assert [names[d.pk] for d in _drill(org.dept, "settled_e_result")] == ["A", "B", "C"]
    assert [names[d.pk] for d in _drill(org.dept, "settled_reused")] == ["B"]
    assert [names[d.pk] for d in _drill(org.province, "settled_e_result")] \
        == ["J", "A", "B", "C"]
    assert _drill(org.dept, "settled_digitised", APRIL) == []


def test_sync_share_follows_the_acknowledgements_at_the_moment_of_viewing(org, month):
    # The worker delivers H's pending message: 6 of 7.
    OutboxMessage.objects.filter(dossier=month["H"], status=OutboxMessage.Status.PENDING) \
        .update(status=OutboxMessage.Status.SENT)
    assert _report(org.dept).values["synced_share"] == D("85.71")
    # A later change of A queues a new status: until the portal acknowledges it, A's latest
    # status is not synced.
    OutboxMessage.of(
        month["A"], seq=3, kind="CapNhatTienDoHoSoMC", payload={},
        idempotency_key=f"{month['A'].code}:3", next_try_at=NOW, created_at=NOW).save()
    assert _report(org.dept).values["synced_share"] == D("71.43")
    assert month["A"].pk in {d.pk for d in _drill(org.dept, "not_synced")}


def test_sync_backlog_is_one_grouped_query(org, month, django_assert_num_queries):
    ids = selectors.unit_subtree_ids(org.province.pk)
    with django_assert_num_queries(1):
        waiting = selectors.sync_waiting_by_unit(unit_ids=ids, period=MARCH)
    assert waiting == {org.dept.pk: 2, org.other.pk: 1}
    # A message being sent is not acknowledged yet; once the portal answers, nothing waits.
    OutboxMessage.objects.filter(dossier=month["F"]).update(status=OutboxMessage.Status.SENDING)
    assert selectors.sync_waiting_by_unit(unit_ids=ids, period=MARCH)[org.dept.pk] == 2
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT)
    assert selectors.sync_waiting_by_unit(unit_ids=ids, period=MARCH) == {}
    assert selectors.unit_report(org.province, MARCH, NOW).values["synced_share"] \
        == D("100.00")


def test_default_set_scores_the_sync_share_under_publicity(db):
    row = IndexMethod.objects.get(is_default_set=True)
    assert row.groups == indicators.DEFAULT_GROUPS
    assert row.groups[0]["indicators"] == {"publicity_rate": 1, "synced_share": 1}
    # The frozen copy the migration compares with is what 0002 seeded.
    seeded = importlib.import_module("metrics.migrations.0002_default_method").DEFAULT_GROUPS
    assert MIGRATION.SEEDED_GROUPS == seeded


def test_migration_leaves_an_edited_set_alone(db):
    row = IndexMethod.objects.get(is_default_set=True)
    edited = [dict(g) for g in MIGRATION.SEEDED_GROUPS]
    edited[0] = {**edited[0], "max_points": 20}
    row.groups = edited
    row.save()
    MIGRATION.add_sync_share(django_apps, None)
    row.refresh_from_db()
    assert row.groups == edited
    # Unchanged since 0002: updated; and back again.
    row.groups = MIGRATION.SEEDED_GROUPS
    row.save()
    MIGRATION.add_sync_share(django_apps, None)
    row.refresh_from_db()
    assert row.groups[0]["indicators"] == {"publicity_rate": 1, "synced_share": 1}
    MIGRATION.remove_sync_share(django_apps, None)
    row.refresh_from_db()
    assert row.groups == MIGRATION.SEEDED_GROUPS


@pytest.mark.parametrize("signed", [True, False])
def test_the_real_result_issue_decides_the_electronic_result(org, make_dossier, settings,
                                                             signed, request):
    """With results/ issuing the result on approval: signed (a seal certificate) counts as an
    electronic result; the unsigned demo result (no certificate, signing not required) does
    not."""
    from dossiers.events import event_consumers

    if signed:
        request.getfixturevalue("signing")
    else:
        settings.MOTCUA_SIGNING_PKCS12 = ""
        settings.MOTCUA_SIGNING_HEAD_PKCS12 = ""
        settings.MOTCUA_SIGNING_REQUIRED = False
    settings.MOTCUA_EVENT_CONSUMERS = ["results.services.results_on_event",
                                       "metrics.counters.counters_apply"]
    event_consumers.cache_clear()
    d = settle(org, make_dossier(), approve="2026-03-03 15:00", returned="2026-03-04 09:00")
    assert d.stored_documents.get().signed is signed
    assert d.events.get(action="return_result").data["result_electronic"] is signed
    assert _report(org.dept).figures.settled_e_result == int(signed)
