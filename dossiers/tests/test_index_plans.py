"""Lists that must be read from an index on both databases, whatever the number of dossiers:
the plan is asked of the database itself (SQLite plans before it sees the parameters; on
PostgreSQL a scan is forbidden, so a plan without an index would show it)."""

import pytest
from django.db import connection

from accounts.services.identity import identity_prove_vneid
from dossiers.selectors import dossier_visible
from dossiers.tests.conftest import APPLICANT, _user, make_dossier, org  # noqa: F401

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_my_dossiers_are_read_from_the_indexes_of_account_owner_and_applicant(
        org, make_dossier):  # noqa: F811
    citizen = _user("nguoidan", None, kind="citizen")
    citizen.personal_id = APPLICANT["id_number"]
    citizen.save()
    identity_prove_vneid(user=citizen, personal_id=APPLICANT["id_number"])
    mine = make_dossier()  # at the counter, under the citizen's proven number
    make_dossier(applicant={**APPLICANT, "id_number": "056185009999"})
    listed = dossier_visible(citizen).order_by("-submitted_at")[:200]
    assert [d.pk for d in listed] == [mine.pk]
    plan = _plan(listed)
    # No read of the whole dossier table: each branch of the rule on its own index.
    assert "SCAN dossiers_dossier\n" not in plan + "\n" and "Seq Scan on dossiers_dossier" \
        not in plan, plan
    assert "dossier_owner_id" in plan and "dossier_applicant_user" in plan, plan


def test_a_search_by_number_reads_the_id_owner_and_phone_indexes(org, make_dossier):  # noqa: F811
    from django.utils import timezone

    from dossiers.list_filters import ListFilters, filters_apply, narrows_by_index

    found = make_dossier()
    make_dossier(applicant={**APPLICANT, "id_number": "056185009999", "phone": "0905111222"})
    now = timezone.now()
    for typed in (APPLICANT["id_number"], APPLICANT["phone"]):
        filters = ListFilters(q=typed)
        assert narrows_by_index(filters, org.desk)
        listed = filters_apply(dossier_visible(org.desk, per_row=True), filters, now=now,
                               soon_until=now)
        assert [d.pk for d in listed] == [found.pk], typed
        plan = _plan(listed)
        assert "SCAN dossiers_dossier\n" not in plan + "\n" and "Seq Scan on dossiers_dossier" \
            not in plan, (typed, plan)
        # The applicant's number by its plain index (migration 0017: no `LIKE` twin).
        assert "dossier_applicant_id" in plan, (typed, plan)
    assert "dossier_applicant_phone" in plan and "dossier_owner_id" in plan, plan


def test_a_dossiers_steps_events_and_messages_and_a_units_steps_read_the_composites(
        org, make_dossier):  # noqa: F811
    """The foreign keys of steps, events and outbox messages have no index of their own
    (issue #18, migrations dossiers 0016 and sync 0003): each read by them is served by the
    unique or composite index that starts with the column."""
    from dossiers.models import DossierEvent, DossierStep
    from sync.models import OutboxMessage

    dossier = make_dossier()
    reads = [
        (DossierStep.objects.filter(dossier=dossier), "dossier_step_order"),
        (DossierEvent.objects.filter(dossier=dossier), "dossier_event_seq"),
        (OutboxMessage.objects.filter(dossier=dossier), "outbox_dossier_seq"),
        (DossierStep.objects.filter(unit=org.centre).values("dossier_id"),
         "dossier_step_unit_dossier"),
    ]
    for queryset, index in reads:
        assert queryset.exists()
        plan = _plan(queryset)
        if connection.vendor == "sqlite":
            # SQLite names a unique constraint's index sqlite_autoindex_…: a search, no scan.
            assert "USING" in plan and "INDEX" in plan and "SCAN" not in plan, (index, plan)
        else:
            assert index in plan, (index, plan)


def test_the_indexes_the_actions_no_longer_write_leave_each_read_on_an_index(
        org, make_dossier):  # noqa: F811
    """Issue #18, migrations dossiers 0017, results 0005, sync 0004: the events' officer and
    unit handed to are indexed where filled only, a stored document's owner is read from the
    (owner, result code) index, a dossier's draft versions from (dossier, version) — each read
    by them still on an index. (An outbox message's key has no index since sync 0005: nothing
    looks a message up by it; its uniqueness follows from (dossier, seq), sync/models.py.)"""
    from dossiers.models import DossierEvent
    from results.models import ResultDraft, StoredDocument
    from sync.models import OutboxMessage

    dossier = make_dossier()
    to_unit = DossierEvent.objects.filter(to_unit__isnull=False).values_list("to_unit_id")[0][0]
    keys = set(OutboxMessage.objects.filter(dossier=dossier).values_list("idempotency_key",
                                                                          flat=True))
    # The key the portal dedupes on is the dossier's code and the message's seq.
    assert keys and keys == {f"{dossier.code}:{seq}" for seq in
                             OutboxMessage.objects.filter(dossier=dossier)
                             .values_list("seq", flat=True)}
    reads = [
        # What a unit's or an officer's deletion asks (PROTECT): the partial indexes serve it.
        (DossierEvent.objects.filter(to_unit__in=[to_unit]), "dossier_event_to_unit", True),
        (DossierEvent.objects.filter(to_user__in=[org.desk.pk]), "dossier_event_to_user",
         True),
        (StoredDocument.objects.filter(owner_id_number__in=["056185004321"]),
         "results_sto_owner_i_853b9a_idx", False),
        (ResultDraft.objects.filter(dossier=dossier), "result_draft_version", False),
    ]
    for queryset, index, found in reads:
        assert queryset.exists() is found, index
        plan = _plan(queryset)
        assert "SCAN" not in plan and "Seq Scan" not in plan, (index, plan)
        if connection.vendor == "postgresql" or not index.startswith("result_draft"):
            # SQLite names a unique constraint's index sqlite_autoindex_….
            assert index in plan, (index, plan)


def test_the_settled_lists_read_the_partial_index_of_returned_dossiers(
        org, make_dossier):  # noqa: F811
    """`dossier_unit_settled` holds returned dossiers only (migration 0017): a range of return
    moments implies a filled column, so the settled lists and counts still read it."""
    from django.utils import timezone

    from dossiers.models import Dossier, State
    from metrics.periods import LOCAL_TZ, Period
    from metrics.selectors import dossier_drill

    returned = make_dossier()
    now = timezone.now()
    Dossier.objects.filter(pk=returned.pk).update(state=State.RETURNED, returned_at=now)
    make_dossier()  # open: no entry
    period = Period("nam", now.astimezone(LOCAL_TZ).year)
    listed = dossier_drill(unit_ids={returned.competent_unit_id}, period=period,
                           metric="settled", now=now)
    assert [d.pk for d in listed] == [returned.pk]
    plan = _plan(listed)
    assert "SCAN dossiers_dossier\n" not in plan + "\n" and "Seq Scan on dossiers_dossier" \
        not in plan, plan
    if connection.vendor == "postgresql":
        assert "dossier_unit_settled" in plan, plan


def test_one_index_finds_a_code_searches_its_beginning_and_keeps_it_unique(
        org, make_dossier):  # noqa: F811
    """`dossier_code` (migration 0018), varchar_pattern_ops on PostgreSQL, in place of the
    unique constraint and its `LIKE` twin: a code found by equality and by its beginning from
    it, and a second dossier under the same code refused."""
    from django.db import IntegrityError, transaction

    from dossiers.models import Dossier

    dossier = make_dossier()
    make_dossier()
    for queryset, by_index in ((Dossier.objects.filter(code=dossier.code), True),
                               # SQLite's LIKE … ESCAPE reads no index, with either index.
                               (Dossier.objects.filter(code__startswith=dossier.code[:-2]),
                                connection.vendor == "postgresql")):
        assert dossier.pk in [d.pk for d in queryset]
        if by_index:
            plan = _plan(queryset)
            assert "dossier_code" in plan and "Seq Scan" not in plan, plan
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=make_dossier().pk).update(code=dossier.code)
