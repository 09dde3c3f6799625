"""Writes joined into one statement (motcua/prepared.py `writes_joined`, issue #18): on
PostgreSQL the held writes go as one statement, a read inside the block sees them, and a block
that fails sends none; on SQLite each runs at once, in the same order."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dossiers.models import Dossier, DossierAccess, DossierDocument
from dossiers.tests.test_prepared_reads import _filed
from motcua.prepared import rows_insert, writes_joined

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _sql(q: CaptureQueriesContext) -> list[str]:
    return [x["sql"] for x in q.captured_queries if not x["sql"].startswith(CONTROL)]


def _rows(dossier: Dossier, start: int) -> tuple[list, list]:
    papers = [DossierDocument(pk=start + i, dossier=dossier, name=f"Giấy {i}") for i in range(3)]
    access = [DossierAccess(unit_id=dossier.current_unit_id, dossier_id=dossier.pk)]
    return papers, access


@pytest.mark.django_db
def test_held_writes_go_as_one_statement_and_a_read_inside_sees_them(org):
    dossier = Dossier.objects.get(code=_filed(org, accept=False))
    DossierAccess.objects.filter(dossier=dossier).delete()
    papers, access = _rows(dossier, 900_001)
    with CaptureQueriesContext(connection) as q, writes_joined():
        rows_insert(papers)
        rows_insert(access)
        held = len(_sql(q))
        # A read inside the block runs after the held writes: it sees them.
        seen = DossierDocument.objects.filter(pk__gte=900_001).count()
    sent = _sql(q)
    assert seen == 3
    assert DossierAccess.objects.filter(dossier=dossier).count() == 1
    if connection.vendor == "postgresql":
        assert held == 0
        assert len(sent) == 2 and sent[0].startswith("WITH w0 AS (INSERT INTO")
    else:
        assert held == 2 and len(sent) == 3


@pytest.mark.django_db
def test_a_block_that_fails_sends_nothing(org):
    dossier = Dossier.objects.get(code=_filed(org, accept=False))
    papers, _ = _rows(dossier, 900_101)
    with CaptureQueriesContext(connection) as q:
        with pytest.raises(ValueError), transaction.atomic(), writes_joined():
            rows_insert(papers)
            raise ValueError("refused")
    assert not DossierDocument.objects.filter(pk__gte=900_101).exists()
    if connection.vendor == "postgresql":
        assert not any("INSERT" in s for s in _sql(q))


@pytest.mark.django_db
def test_the_ids_a_caller_does_not_read_are_not_returned_inside_a_block(org):
    dossier = Dossier.objects.get(code=_filed(org, accept=False))
    papers = [DossierDocument(dossier=dossier, name="Không đọc id")]
    with writes_joined():
        rows_insert(papers, ids=False)
    assert DossierDocument.objects.filter(dossier=dossier, name="Không đọc id").count() == 1
    if connection.vendor == "postgresql":
        assert papers[0].pk is None
    outside = [DossierDocument(dossier=dossier, name="Ngoài khối")]
    rows_insert(outside, ids=False)
    assert outside[0].pk is not None


@pytest.mark.django_db
def test_psycopg_splits_a_filing_s_joined_writes_once(org, monkeypatch):
    """psycopg splits a statement around its placeholders once and keeps it only within its two
    limits, which motcua/prepared.py raises: on PostgreSQL the next filing of the same shape
    splits none of its joined writes (about 120 and 130 parameters) again."""
    from psycopg import _queries

    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= 1_000
    _filed(org, accept=True)
    split = _queries._split_query
    long_ones: list[int] = []

    def counting(query, *args, **kwargs):
        if query.count(b"%s") > 50:
            long_ones.append(query.count(b"%s"))
        return split(query, *args, **kwargs)

    monkeypatch.setattr(_queries, "_split_query", counting)
    with CaptureQueriesContext(connection) as q:
        _filed(org, accept=True)
    if connection.vendor == "postgresql":
        # The second, headed by the code's counter (dossiers/codes.py `dossier_code_last`).
        assert any(s.startswith("WITH taken AS") and s.count("'") > 100 for s in _sql(q))
    assert long_ones == []


@pytest.mark.django_db
def test_an_action_s_writes_go_after_its_reads_as_one_statement(org):
    """dossier_act holds its writes (motcua/prepared.py writes_joined): on PostgreSQL the steps'
    update, the dossier's, the event (its id taken by the lock statement) and the outbox rows are
    one statement, the last; SQLite runs them apart. The rows are those of the action either
    way."""
    from dossiers.models import DossierEvent, DossierStep
    from dossiers.services import dossier_act
    from sync.models import OutboxMessage

    dossier = Dossier.objects.get(code=_filed(org, accept=True))
    outbox_before = OutboxMessage.objects.filter(dossier=dossier).count()
    with CaptureQueriesContext(connection) as q:
        moved = dossier_act(dossier=dossier, actor=org.desk, action="forward")
    sent = _sql(q)
    writes = [s for s in sent if not s.startswith("SELECT")]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0] == sent[-1]
        assert writes[0].startswith("WITH w0 AS (UPDATE")
        for table in ("dossiers_dossierstep", "dossiers_dossier", "dossiers_dossierevent",
                      "sync_outboxmessage"):
            assert f'"{table}"' in writes[0]
    else:
        assert len(writes) == 4
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert (event.action, event.from_state, event.to_state) == ("forward", "received",
                                                                "processing")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.state == moved.state == "processing"
    assert stored.current_step_id == moved.current_step.pk
    assert event.to_unit_id == stored.current_unit_id
    steps = {s.pk: s for s in DossierStep.objects.filter(dossier=dossier)}
    assert steps[event.step_id].finished_at == event.at
    assert steps[stored.current_step_id].started_at == event.at
    assert OutboxMessage.objects.filter(dossier=dossier).count() == outbox_before + 2


@pytest.mark.django_db
def test_a_joined_statement_is_bound_on_the_server_and_logged_with_its_values():
    """The joined writes' cursor (motcua/prepared.py `joined_cursor`) hands the values to the
    server apart from the text; they arrive unchanged (a quote, a percent sign, a backslash,
    None), and the statement log shows the text with the values in place exactly as binding
    on the client would have written it (the query budgets and the benches read that log)."""
    from motcua.prepared import joined_cursor

    sql = "SELECT %s, %s, %s, %s, %s"
    params = ["Ông 'A' đủ 100% \\ hồ sơ", 7, None, "50%", ""]
    with CaptureQueriesContext(connection) as q, joined_cursor(connection) as cursor:
        cursor.execute(sql, params)
        assert list(cursor.fetchone()) == params
    (logged,) = _sql(q)
    if connection.vendor == "postgresql":
        from psycopg import ClientCursor

        assert type(cursor.cursor).__name__ == "PreparingCursor"
        assert logged == ClientCursor(connection.connection).mogrify(sql, params)
