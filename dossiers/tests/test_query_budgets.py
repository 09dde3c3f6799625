"""Query budgets of the hot paths (issue #18), pinned: a change that adds a statement to filing,
to an action or to a hot page fails here and has to say why.

Counted: the SQL statements a path sends, transaction control (BEGIN, COMMIT, savepoints) aside —
PostgreSQL's BEGIN is implicit and the test's own transaction adds savepoints. Measured warm (a
worker that has served the path once: its reference cache loaded).
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dossiers.tests.conftest import APPLICANT, at
from dossiers.tests.test_api import client_for, create_body

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")

# The filing (the budget: 10): the reference version (with the officer's roles), the
# ids (the dossier's, its steps', papers' and events'), papers, steps, the units that see the
# dossier (DossierAccess, docs/staff-lists.md), events, the code counter, the dossier, the
# outbox rows, and the service index's day and month counters. On PostgreSQL the writes that
# return nothing are joined (motcua/prepared.py writes_joined): papers, steps, access rows and
# events in one statement, and the code counter with the dossier, outbox rows and both counters
# in another (dossiers/codes.py `dossier_code_last`) — 4 (5 before the code joined the last
# statement, 10 before the joining). SQLite has no data-modifying WITH: 11. The request adds the
# token only.
def filing_service() -> int:
    return 4 if connection.vendor == "postgresql" else 11


def filing_request() -> int:
    return filing_service() + 1


# The aim for an action is 8. An action through the API runs: the token, the lock
# statement (the dossier by its code, with the actor's roles, its last event, pauses or not, the
# reference version, the event's id and what the portal snapshot reads: last outbox number, paid
# online, charged), its steps, its papers, then its writes: the steps' update, the dossier's
# update, the event, the outbox rows. On PostgreSQL the steps and papers come with the lock
# statement as JSON (dossiers/services/transitions.py `_lists_reads`) and the writes are joined
# into one statement (motcua/prepared.py writes_joined; the event's id taken by the lock
# statement): 3 (5 before the lists came with the lock, 8 before the joining). SQLite reads the
# lists apart and runs each write apart: 8. On top, what each action adds (pinned here):
def action_base() -> int:
    return 3 if connection.vendor == "postgresql" else 8


ACTION_NOW = {
    # + the named assignee's role in the next step's unit (the base without one).
    "forward": 1,
    # + the results consumer issuing the result in the approving transaction (results/): the
    # signer's signature block (read once per worker and reference version, results/
    # signature_blocks.py: this test's worker approves once, so it is read; one less once warm,
    # results/tests/test_approval_path.py) and one statement storing the result, unnumbered
    # (results/storing.py; its number is taken after the commit, results/numbering.py, so the
    # unit's yearly counter is no longer upserted here: one data-modifying WITH less on
    # PostgreSQL, one statement less on SQLite, which has none).
    # Whether the dossier has draft versions comes with its lock statement (results/
    # lock_reads.py): none here, so none is read. The block is read before the action's writes
    # held (the steps, the dossier, the event, the outbox rows), which join the stored row's
    # statement on PostgreSQL (results/storing.py; SQLite runs them apart). A
    # result no one signs (as here) is rendered after the commit, from what the stored row keeps
    # (results/rendering.py). 6 on PostgreSQL: 7 before the held writes joined the storing, 12
    # before the joinings, 14 while the result was rendered in the transaction, 13 while the
    # roles had a statement of their own.
    "approve": 1,
    # + where the result is drafted, the signer's block; the versions (they give the one named,
    # the latest and the numbers earlier signing attempts kept) come with the lock statement as
    # JSON on PostgreSQL (results/lock_reads.py `lock_versions`; SQLite reads them apart, before
    # the held writes); the version's update joins the stored row's statement (two on SQLite;
    # three while the number was taken in the approval): 4 on PostgreSQL, 5 before the versions
    # came with the lock statement and the lists with it, 8 before the held writes joined it,
    # 13 before the joinings, 18 when the named version and the latest were read apart, the
    # version written twice and the PDF rendered in the transaction, 15 before the versions
    # were read once and the roles folded.
    "approve_drafted": 1,
    # Nothing on PostgreSQL: whether the result was issued signed comes with the lock statement
    # when no result waits for its rendering (results/lock_reads.py; read before the writes when
    # one does), and the service index's counters join the other writes: 5 (10 before the
    # joining and the lock statement's read). SQLite runs the counters as two statements.
    "return_result": 0,
}

# What SQLite runs on its own that PostgreSQL joins into one statement, beyond the base's writes:
# the service index's counters (return_result, two), the stored row (approve, one; two while
# the number was taken in the approval), and the versions' read and the version's update
# (approve_drafted, three; four then).
SQLITE_MORE = {"return_result": 2, "approve": 1, "approve_drafted": 3}


def action_now(action: str) -> int:
    extra = SQLITE_MORE.get(action, 0) if connection.vendor != "postgresql" else 0
    return action_base() + ACTION_NOW[action] + extra


PAGE = 12
# The dossier page: session, user, roles, the dossier with its steps and papers, the personal-
# data access log row (Decree 13/2023), the events, the papers' files and catalogue entries; the
# shared navigation (roles with units; unread notifications and reform plans in one statement);
# the payments panel; the results panel (stored results and digitised papers in one read, the
# latest draft). Over the page budget by these panels of other apps, pinned.
DOSSIER_PAGE_NOW = 15


def statements(q: CaptureQueriesContext) -> list[str]:
    return [x["sql"] for x in q.captured_queries if not x["sql"].startswith(CONTROL)]


def within(q: CaptureQueriesContext, budget: int) -> None:
    sql = statements(q)
    assert len(sql) <= budget, "\n".join([f"{len(sql)} statements > {budget}:", *sql])


@pytest.mark.django_db(transaction=True)
def test_filing_already_received_runs_at_most_ten_statements(org):
    """Five on PostgreSQL (the issue's budget: ten); eleven on SQLite, which runs each write
    apart."""
    from dossiers.services import dossier_create

    def file():
        docs = [{"required_document": org.doc_form.pk}, {"required_document": org.doc_id.pk}]
        return dossier_create(actor=org.desk, variant=org.variant, channel=1,
                              receiving_unit=org.centre, applicant=APPLICANT, documents=docs,
                              accept=True, at=at("2026-03-02 09:00"))

    file()
    with CaptureQueriesContext(connection) as q:
        dossier, created = file()
    assert created and dossier.state == "received"
    within(q, filing_service())


@pytest.mark.django_db(transaction=True)
def test_an_idempotency_key_costs_no_statement_on_postgresql(org):
    """Recorded by the statement that takes the ids (dossiers/ids.py); SQLite: one more."""
    desk = client_for(org.desk)
    desk.post("/api/v1/dossiers/", create_body(org, accept=True), format="json",
              HTTP_IDEMPOTENCY_KEY="k-warm")
    with CaptureQueriesContext(connection) as q:
        r = desk.post("/api/v1/dossiers/", create_body(org, accept=True), format="json",
                      HTTP_IDEMPOTENCY_KEY="k-budget")
    assert r.status_code == 201 and r.json()["state"] == "received"
    within(q, filing_request() + (0 if connection.vendor == "postgresql" else 1))


@pytest.mark.django_db(transaction=True)
def test_the_filing_request_adds_only_the_token(org):
    desk = client_for(org.desk)
    desk.post("/api/v1/dossiers/", create_body(org, accept=True), format="json")
    with CaptureQueriesContext(connection) as q:
        r = desk.post("/api/v1/dossiers/", create_body(org, accept=True), format="json")
    assert r.status_code == 201 and r.json()["state"] == "received"
    within(q, filing_request())


@pytest.mark.django_db(transaction=True)
def test_the_inbox_and_the_public_procedure_page_fit_a_page_budget(org, make_dossier):
    make_dossier()
    web = Client()
    web.force_login(org.desk)
    web.get("/ho-so/hop/process/")
    with CaptureQueriesContext(connection) as q:
        r = web.get("/ho-so/hop/process/")
    assert r.status_code == 200 and make_dossier.__name__  # the desk's open dossier is listed
    within(q, PAGE)
    anon = Client()
    anon.get(f"/thu-tuc/{org.procedure.code}/")
    with CaptureQueriesContext(connection) as q:
        assert anon.get(f"/thu-tuc/{org.procedure.code}/").status_code == 200
    within(q, PAGE)


@pytest.mark.django_db
def test_the_tab_counts_are_the_lists_lengths(org, make_dossier):
    from dossiers.selectors import INBOXES, dossier_inbox, dossier_inbox_counts
    from dossiers.services import dossier_act

    make_dossier(accept=False)
    make_dossier()
    moved = make_dossier()
    dossier_act(dossier=moved, actor=org.desk, action="forward",
                data={"assignee": org.specialist.pk})
    for user in (org.desk, org.specialist, org.head, org.other_desk, org.citizen):
        expected = {box: dossier_inbox(user=user, box=box).count() for box in INBOXES}
        assert dossier_inbox_counts(user=user) == expected
    assert dossier_inbox_counts(user=org.desk)["receive"] == 1
    assert dossier_inbox_counts(user=org.specialist)["process"] == 1


@pytest.mark.django_db(transaction=True)
def test_the_actions_answer_what_they_wrote_within_their_budget(org):
    import json
    from types import SimpleNamespace

    from rest_framework.renderers import JSONRenderer

    from dossiers import selectors
    from dossiers.serializers import DossierDetailSerializer
    from dossiers.tests.test_api import act

    code = client_for(org.desk).post("/api/v1/dossiers/", create_body(org, accept=True),
                                     format="json").json()["code"]
    counts = {}

    def measured(user, action, **body):
        client = client_for(user)
        with CaptureQueriesContext(connection) as q:
            r = act(client, code, action, **body)
        assert r.status_code == 200, r.content
        # The answer built from the dossier the action holds is the dossier read afresh.
        afresh = DossierDetailSerializer(selectors.dossier_get(user=user, code=code),
                                         context={"request": SimpleNamespace(user=user)}).data
        assert r.json() == json.loads(JSONRenderer().render(afresh))
        counts[action] = statements(q)

    measured(org.desk, "forward", data={"assignee": org.specialist.pk})
    measured(org.specialist, "forward", data={"assignee": org.head.pk})
    measured(org.head, "approve")
    # The worker renders the result after the approval's commit (`manage.py results_render`);
    # had it not yet, the hand-over would render it then (results/tests/test_rendering.py).
    from results.rendering import results_render_pending

    assert results_render_pending() == 1
    measured(org.desk, "mark_result_ready")
    measured(org.desk, "return_result",
             data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    summary = {action: len(sql) for action, sql in counts.items()}
    # The approval leaves its unit's yearly result counter to the numbering after its commit.
    assert not [x for x in counts["approve"] if "results_resultcounter" in x]
    for action in ("forward", "approve", "return_result"):
        assert len(counts[action]) <= action_now(action), "\n".join(
            [f"{summary}", f"{action}: {len(counts[action])} > {action_now(action)}",
             *counts[action]])


@pytest.mark.django_db(transaction=True)
def test_an_approval_naming_its_draft_within_its_budget(org):
    """Where the procedure's result is drafted, the API's approval names the latest draft
    (docs/results.md): the results consumer reads it once (the version named and the
    latest are one row), looks for a number an earlier attempt kept, stores the
    result and writes the version once; no PDF is drawn when no one signs."""
    from dossiers.tests.test_api import act
    from results.drafting import draft_from_template
    from results.models import ResultDraft, StoredDocument

    org.procedure.result_text = "Phiếu Lý lịch tư pháp số 1Mã: KQ.G01.000200"
    org.procedure.save()
    code = client_for(org.desk).post("/api/v1/dossiers/", create_body(org, accept=True),
                                     format="json").json()["code"]
    assert act(client_for(org.desk), code, "forward",
               data={"assignee": org.specialist.pk}).status_code == 200
    from dossiers.models import Dossier

    draft = draft_from_template(dossier=Dossier.objects.get(code=code), actor=org.specialist)
    assert act(client_for(org.specialist), code, "forward",
               data={"assignee": org.head.pk}).status_code == 200
    head = client_for(org.head)
    with CaptureQueriesContext(connection) as q:
        r = act(head, code, "approve", data={"result_draft": draft.pk})
    assert r.status_code == 200, r.content
    stored = StoredDocument.objects.get(dossier__code=code)
    draft = ResultDraft.objects.get(pk=draft.pk)
    # Stored unnumbered: the version gets its number with the result's, after the commit
    # (results/numbering.py).
    assert (draft.status, draft.stored, draft.number) == ("signed", stored, "")
    assert not stored.file and stored.facts["body"] == draft.body
    from results.numbering import results_number_all

    assert results_number_all() == 1
    draft.refresh_from_db()
    assert draft.number == "1/TL-STPTTN"
    sql = statements(q)
    assert not [x for x in sql if "results_resultcounter" in x]
    assert len(sql) <= action_now("approve_drafted"), "\n".join(
        [f"{len(sql)} > {action_now('approve_drafted')}", *sql])


@pytest.mark.django_db(transaction=True)
def test_the_dossier_page_within_its_budget(org, make_dossier):
    from dossiers.models import DossierEvent

    dossier = make_dossier()
    web = Client()
    web.force_login(org.desk)
    web.get(f"/ho-so/{dossier.code}/")
    with CaptureQueriesContext(connection) as q:
        r = web.get(f"/ho-so/{dossier.code}/")
    assert r.status_code == 200
    # The slip lists each event once, read once.
    assert r.content.decode().count("Tiếp nhận hồ sơ") >= 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2
    within(q, DOSSIER_PAGE_NOW)


@pytest.mark.django_db(transaction=True)
def test_a_forward_naming_no_one_fits_the_action_budget(org):
    """The issue's budget for an action, 8: a forward that names no officer (warm: the units
    of the dossier in the worker's reference cache); 3 on PostgreSQL, its steps and papers read
    with the lock statement and its writes joined."""
    from dossiers.tests.test_api import act

    desk = client_for(org.desk)
    first, second = (desk.post("/api/v1/dossiers/", create_body(org, accept=True),
                               format="json").json()["code"] for _ in range(2))
    assert act(desk, first, "forward").status_code == 200
    with CaptureQueriesContext(connection) as q:
        r = act(desk, second, "forward")
    assert r.status_code == 200 and r.json()["state"] == "processing"
    within(q, action_base())
