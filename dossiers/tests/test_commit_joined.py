"""The last joined write and the COMMIT in one round trip (motcua/prepared.py `joined_send`,
issue #18): at the end of the outermost transaction the rows are committed when the statement
returns, so the hot counter rows it locks are never held for another trip; a failing statement
commits nothing; inside another transaction nothing is committed early. PostgreSQL only."""

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from psycopg.pq import TransactionStatus

from dossiers.models import Dossier, DossierDocument
from dossiers.tests.test_prepared_reads import _filed
from motcua.prepared import rows_insert, writes_joined

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="pipeline mode and joined writes are PostgreSQL's")


def _seen_elsewhere(first_pk: int) -> int:
    """The papers from `first_pk` on that another connection sees (committed ones only)."""
    s = connection.settings_dict
    with psycopg.connect(dbname=s["NAME"], host=s["HOST"] or None, port=s["PORT"] or None,
                         user=s["USER"] or None, password=s["PASSWORD"] or None) as other:
        return other.execute(
            f"SELECT count(*) FROM {DossierDocument._meta.db_table} WHERE id >= %s",
            [first_pk]).fetchone()[0]


def _papers(dossier: Dossier, start: int) -> list[DossierDocument]:
    return [DossierDocument(pk=start + i, dossier=dossier, name=f"Giấy {i}") for i in range(3)]


@pytest.mark.django_db(transaction=True)
def test_the_last_joined_write_is_committed_when_its_statement_returns(org):
    dossier = Dossier.objects.get(code=_filed(org, accept=False))
    ran = []
    with transaction.atomic():
        transaction.on_commit(lambda: ran.append("after"))
        with writes_joined(commit=True):
            rows_insert(_papers(dossier, 910_001))
        # Still inside the atomic block: committed already, by the statement's own round trip.
        assert connection.connection.info.transaction_status == TransactionStatus.IDLE
        assert _seen_elsewhere(910_001) == 3
        assert ran == []
    # Django's end of the block sends no second COMMIT and runs the callbacks.
    assert ran == ["after"]
    assert DossierDocument.objects.filter(pk__gte=910_001).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_failing_last_write_commits_nothing(org):
    dossier = Dossier.objects.get(code=_filed(org, accept=False))
    rows_insert(_papers(dossier, 910_101)[:1])
    with pytest.raises(IntegrityError), transaction.atomic():
        with writes_joined(commit=True):
            rows_insert(_papers(dossier, 910_201))
            rows_insert(_papers(dossier, 910_101)[:1])  # a key taken: the statement fails
    assert _seen_elsewhere(910_201) == 0
    assert DossierDocument.objects.filter(pk__gte=910_101).count() == 1
    # The connection is usable afterwards.
    assert Dossier.objects.filter(pk=dossier.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_inside_another_transaction_nothing_is_committed_early(org):
    dossier = Dossier.objects.get(code=_filed(org, accept=False))
    with pytest.raises(ValueError), transaction.atomic():
        with transaction.atomic(), writes_joined(commit=True):
            rows_insert(_papers(dossier, 910_301))
        assert connection.connection.info.transaction_status != TransactionStatus.IDLE
        assert _seen_elsewhere(910_301) == 0
        raise ValueError("the outer transaction rolls back")
    assert not DossierDocument.objects.filter(pk__gte=910_301).exists()


@pytest.mark.django_db(transaction=True)
def test_the_statement_taking_a_number_is_the_one_sent_with_the_commit(org, make_dossier,
                                                                       monkeypatch):
    """The filing's code counter is taken by its transaction's last statement, sent with the
    COMMIT: its row is never held locked for a round trip (issue #18). The approval's last
    statement, sent with the COMMIT, stores its result, and takes no yearly result counter: the
    result is numbered after the commit (results/numbering.py)."""
    from motcua import prepared
    from results.tests.test_approval_path import _approve, _at_head

    sent: list[tuple[str, bool]] = []
    send = prepared.joined_send

    def spied(connection, sql, params, *, commit=False, returning=False):
        sent.append((sql, commit and prepared.transaction_ends_here(connection)))
        return send(connection, sql, params, commit=commit, returning=returning)

    monkeypatch.setattr(prepared, "joined_send", spied)
    dossier = _at_head(org, make_dossier)
    assert [ends for sql, ends in sent if "dossiers_codecounter" in sql] == [True]
    _approve(org, dossier)
    assert [ends for sql, ends in sent if "results_storeddocument" in sql] == [True]
    assert not [sql for sql, _ in sent if "results_resultcounter" in sql]


@pytest.mark.django_db
def test_an_approval_locks_no_counter_and_its_result_is_numbered_after(org, make_dossier):
    """The unit's yearly result counter, which every approval of the unit waited for to the
    end of its COMMIT, is no longer written by the approval: its last statement runs the held
    writes (the steps, the dossier row, the event, the outbox rows) and stores the result
    unnumbered — in whatever order, none of them a row every approval of the unit waits for;
    the counter is written by the numbering after the commit (issue #18,
    results/numbering.py). Row triggers firing before each write say which tables were
    written."""
    from results.numbering import results_number_all
    from results.tests.test_approval_path import _approve, _at_head

    dossier = _at_head(org, make_dossier)
    with connection.cursor() as c:
        c.execute("CREATE TEMPORARY SEQUENCE write_order")
        c.execute("CREATE TEMPORARY TABLE writes_seen (tbl text, n bigint)")
        c.execute("CREATE FUNCTION pg_temp.write_seen() RETURNS trigger LANGUAGE plpgsql AS "
                  "$$ BEGIN INSERT INTO writes_seen VALUES (TG_TABLE_NAME, "
                  "nextval('write_order')); RETURN NEW; END $$")
        for table, event in (("results_resultcounter", "INSERT"),
                             ("dossiers_dossierevent", "INSERT"),
                             ("sync_outboxmessage", "INSERT"),
                             ("dossiers_dossier", "UPDATE"),
                             ("dossiers_dossierstep", "UPDATE"),
                             ("results_storeddocument", "INSERT")):
            c.execute(f"CREATE TRIGGER seen_{table} BEFORE {event} ON {table} "
                      "FOR EACH ROW EXECUTE FUNCTION pg_temp.write_seen()")
    _approve(org, dossier)
    with connection.cursor() as c:
        c.execute("SELECT tbl, min(n), max(n) FROM writes_seen GROUP BY tbl")
        seen = {tbl: (first, last) for tbl, first, last in c.fetchall()}
    assert set(seen) == {"dossiers_dossierevent", "sync_outboxmessage", "dossiers_dossier",
                         "dossiers_dossierstep", "results_storeddocument"}
    assert results_number_all() == 1
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM writes_seen WHERE tbl = 'results_resultcounter'")
        assert c.fetchone()[0] == 1
