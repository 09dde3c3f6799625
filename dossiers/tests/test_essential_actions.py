"""The bench's essential return of the result (bench/essential_actions.py, issue #18) writes the
rows the real return writes, answers the same JSON and sends the same statements: the floor it
measures is the same work, done the least way (as test_essential_floor.py checks the forward's).

Two dossiers are filed and moved alike up to the desk's return (forwarded to the specialist and
the head, approved, the result rendered, marked ready), one returned through the API, the other
through the bench's endpoint at the same moment; every row they leave, what each adds to the
service index's counters and the two answers are compared with the ids, the codes and the lookup
secret put aside. PostgreSQL only: the floor sends the real return's PostgreSQL statements.
"""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.tests.conftest import at
from dossiers.tests.test_essential_floor import _client
from dossiers.tests.test_filing_path import _plain, _rows

pytestmark = [
    pytest.mark.urls("bench.trivial_urls"),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's statements"),
]

RECEIVER = {"data": {"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}}}


def _ready(org, make_dossier, when: str = "2026-03-03 10:15"):
    """A dossier moved through the API to the desk's return, every step at `when`."""
    from dossiers.services import dossier_act
    from results.rendering import results_render_pending

    d = make_dossier()
    with mock.patch("django.utils.timezone.now", return_value=at(when)):
        for actor, action, data in ((org.desk, "forward", {"assignee": org.specialist.pk}),
                                    (org.specialist, "forward", {"assignee": org.head.pk}),
                                    (org.head, "approve", {})):
            d = dossier_act(dossier=d, actor=actor, action=action, data=data)
        results_render_pending()
        d = dossier_act(dossier=d, actor=org.desk, action="mark_result_ready")
    return d


def _counters() -> dict[tuple, tuple]:
    """The day and month counters by key, each key's slots summed (metrics/counters.py)."""
    from django.db.models import Sum

    from metrics.models import COUNTER_FIELDS, DailyCounter, MonthlyCounter

    return {(m.__name__, *key): counts
            for m, column in ((DailyCounter, "day"), (MonthlyCounter, "month"))
            for key, counts in ((r[:3], r[3:]) for r in m.objects.values_list(
                column, "unit_id", "procedure_id").annotate(
                    *[Sum(n) for n in COUNTER_FIELDS]).order_by())}


def _added(before: dict, after: dict) -> dict[tuple, tuple]:
    """The counters' rows that moved from `before` to `after`, by how much."""
    moved = {}
    for key, counts in after.items():
        was = before.get(key, (0,) * len(counts))
        if counts != was:
            moved[key] = tuple(a - b for a, b in zip(counts, was, strict=True))
    return moved


def _clear() -> None:
    from bench import essential, essential_actions

    for kept in (essential._UNITS, essential._PROCEDURES, essential._FEES, essential._ALLOWED,
                 essential_actions._CALENDARS):
        kept.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("returned", ["2026-03-03 16:00", "2026-03-20 10:00"])
def test_the_essential_return_writes_and_answers_what_the_real_return_does(org, make_dossier,
                                                                            returned):
    """On the approval's day (early) and after the due moment (late: the dossier's timing is
    written again, and another counter moves)."""
    _clear()
    real, floor = _ready(org, make_dossier), _ready(org, make_dossier)
    desk = _client(org.desk)
    with mock.patch("django.utils.timezone.now", return_value=at(returned)):
        before = _counters()
        a = desk.post(f"/api/v1/dossiers/{real.code}/actions/return_result/", RECEIVER,
                      format="json")
        real_counted = _counters()
        b = desk.post(f"/bench/essential/{floor.code}/return_result/", RECEIVER, format="json")
        floor_counted = _counters()
    assert a.status_code == b.status_code == 200, (a.content, b.content)
    assert _plain(b.json(), floor) == _plain(a.json(), real)
    assert _rows(floor) == _rows(real)
    assert b.json()["state"] == "returned"
    assert b.json()["timing"] == ("early" if returned.startswith("2026-03-03") else "late")
    # Each return added the same to the same day's and month's rows.
    added = _added(before, real_counted)
    assert _added(real_counted, floor_counted) == added and len(added) == 2


@pytest.mark.django_db
def test_the_essential_return_sends_the_real_return_s_statements(org, make_dossier):
    """Warm (the worker's caches filled by a first return of each), both send the token's read,
    the lock statement and one joined write: the same texts, the values aside."""
    desk = _client(org.desk)
    sent = []
    for path in ("/api/v1/dossiers/{}/actions/return_result/",
                 "/bench/essential/{}/return_result/"):
        first, second = _ready(org, make_dossier), _ready(org, make_dossier)
        assert desk.post(path.format(first.code), RECEIVER, format="json").status_code == 200
        with CaptureQueriesContext(connection) as q:
            r = desk.post(path.format(second.code), RECEIVER, format="json")
        assert r.status_code == 200, r.content
        sent.append([re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "?", x["sql"]))
                     for x in q.captured_queries
                     if not x["sql"].startswith(("SAVEPOINT", "RELEASE"))])
    assert len(sent[1]) == 3
    assert sent[1] == sent[0]


@pytest.mark.django_db
def test_the_essential_return_refuses_another_unit_s_desk_and_a_missing_receiver(org,
                                                                                 make_dossier):
    d = _ready(org, make_dossier)
    r = _client(org.other_desk).post(f"/bench/essential/{d.code}/return_result/", RECEIVER,
                                     format="json")
    assert r.status_code == 409
    r = _client(org.desk).post(f"/bench/essential/{d.code}/return_result/", {}, format="json")
    assert r.status_code == 400
    d.refresh_from_db()
    assert d.state == "result_ready"


def _at_head(org, make_dossier, *, drafted: bool, when: str = "2026-03-03 10:15"):
    """A dossier at the head's step (the specialist drafting its result first where `drafted`),
    moved at `when`; its latest draft or None."""
    from dossiers.services import dossier_act
    from results.drafting import draft_from_template

    d = make_dossier()
    draft = None
    with mock.patch("django.utils.timezone.now", return_value=at(when)):
        d = dossier_act(dossier=d, actor=org.desk, action="forward",
                        data={"assignee": org.specialist.pk})
        if drafted:
            draft = draft_from_template(dossier=d, actor=org.specialist)
        d = dossier_act(dossier=d, actor=org.specialist, action="forward",
                        data={"assignee": org.head.pk})
    return d, draft


def _results(dossier) -> dict[str, object]:
    """The stored result and the draft versions of `dossier`, what differs between two dossiers
    (ids, the random code, its URL, the number's own figure) put aside."""
    from django.forms.models import model_to_dict

    from results.models import ResultDraft, StoredDocument

    def plain(value):
        # The code first: a code whose last group is all digits would otherwise lose it to the
        # number's figure and no longer read as a code (one run in a few hundred).
        return re.sub(r"\b\d+/", "N/", re.sub(
            r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", "UID",
            _plain(value, dossier)))

    return {
        # What the result prints (not an editable field: named).
        "stored": plain([{**{k: v for k, v in model_to_dict(s).items()
                             if k not in ("id", "dossier", "uid", "created_at")},
                          "facts": s.facts, "signatures": s.signatures}
                         for s in StoredDocument.objects.filter(dossier=dossier)]),
        "drafts": plain([{k: v for k, v in model_to_dict(r).items()
                          if k not in ("id", "dossier", "stored", "created_at")}
                         for r in ResultDraft.objects.filter(dossier=dossier)]),
    }


def _drafts_aside(rows: dict) -> str:
    return re.sub(r"('\w*draft\w*': )\d+", r"\1N", repr(rows))


@pytest.mark.django_db
@pytest.mark.parametrize("drafted", [False, True])
def test_the_essential_approval_writes_and_answers_what_the_real_approval_does(org, make_dossier,
                                                                               drafted):
    """Without a draft (the procedure names no result document) and naming the latest draft
    (it does): the same rows, stored result, draft version and answer."""
    from bench import essential_actions

    _clear()
    essential_actions._BLOCKS.clear()
    essential_actions._RESULTS.clear()
    if drafted:
        org.procedure.result_text = "Phiếu Lý lịch tư pháp số 1Mã: KQ.G01.000200"
        org.procedure.save()
    (real, real_draft), (floor, floor_draft) = (_at_head(org, make_dossier, drafted=drafted)
                                                for _ in range(2))
    head = _client(org.head)
    with mock.patch("django.utils.timezone.now", return_value=at("2026-03-03 16:00")):
        a = head.post(f"/api/v1/dossiers/{real.code}/actions/approve/",
                      {"data": {"result_draft": real_draft.pk}} if drafted else {},
                      format="json")
        b = head.post(f"/bench/essential/{floor.code}/approve/",
                      {"data": {"result_draft": floor_draft.pk}} if drafted else {},
                      format="json")
    assert a.status_code == b.status_code == 200, (a.content, b.content)
    assert _plain(b.json(), floor) == _plain(a.json(), real)
    # The events name the draft version (its id) that each dossier's specialist wrote.
    assert _drafts_aside(_rows(floor)) == _drafts_aside(_rows(real))
    assert _results(floor) == _results(real)
    assert b.json()["state"] == "decided"
    assert len(_results(floor)["stored"]) > 20
    assert ("signed" in _results(floor)["drafts"]) == drafted
    # Both stored unnumbered, their unit's yearly counter untouched: the number is taken after
    # the commit (results/numbering.py).
    from results.models import ResultCounter, StoredDocument

    stored = StoredDocument.objects.filter(dossier__in=[real, floor])
    assert [(s.document_number, s.facts["number_pending"][1].startswith("/")) for s in stored] \
        == [("", True)] * 2
    assert not ResultCounter.objects.exists()


@pytest.mark.django_db
def test_the_essential_approval_sends_the_real_approval_s_statements(org, make_dossier):
    head = _client(org.head)
    sent = []
    for path in ("/api/v1/dossiers/{}/actions/approve/", "/bench/essential/{}/approve/"):
        first, _ = _at_head(org, make_dossier, drafted=False)
        second, _ = _at_head(org, make_dossier, drafted=False)
        assert head.post(path.format(first.code), {}, format="json").status_code == 200
        with CaptureQueriesContext(connection) as q:
            r = head.post(path.format(second.code), {}, format="json")
        assert r.status_code == 200, r.content
        sent.append([re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "?", x["sql"]))
                     for x in q.captured_queries
                     if not x["sql"].startswith(("SAVEPOINT", "RELEASE"))])
    assert len(sent[1]) == 3
    assert sent[1] == sent[0]


@pytest.mark.django_db
def test_the_essential_approval_refuses_another_head_and_a_missing_draft(org, make_dossier):
    d, _ = _at_head(org, make_dossier, drafted=False)
    r = _client(org.other_desk).post(f"/bench/essential/{d.code}/approve/", {}, format="json")
    assert r.status_code == 409
    org.procedure.result_text = "Phiếu Lý lịch tư pháp số 1Mã: KQ.G01.000200"
    org.procedure.save()
    d, _ = _at_head(org, make_dossier, drafted=True)
    r = _client(org.head).post(f"/bench/essential/{d.code}/approve/", {}, format="json")
    assert r.status_code == 409
    d.refresh_from_db()
    assert d.state == "processing"
