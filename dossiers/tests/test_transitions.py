"""Every allowed and every forbidden transition of the table in dossiers/states.py."""

import pytest

from dossiers.models import DossierEvent, DossierPause, State, Timing
from dossiers.services import dossier_act
from dossiers.states import TRANSITIONS, portal_status
from dossiers.tests.conftest import at
from motcua.errors import DomainError, NotAllowed

REASON = "Lý do ghi rõ theo quy định"


def _act(dossier, actor, action, when, **kw):
    return dossier_act(dossier=dossier, actor=actor, action=action, at=at(when), **kw)


def reach(org, make_dossier, state: str):
    """A dossier brought to `state` through the public service only."""
    if state == State.SUBMITTED:
        return make_dossier(accept=False)
    if state in (State.REFUSED, State.WITHDRAWN):
        d = make_dossier(accept=False)
        action = "refuse" if state == State.REFUSED else "withdraw"
        return _act(d, org.desk, action, "2026-03-02 09:10", reason=REASON)
    d = make_dossier()
    if state == State.RECEIVED:
        return d
    if state == State.STOPPED:
        return _act(d, org.head, "stop", "2026-03-02 10:00", reason=REASON)
    d = _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    if state == State.PROCESSING:
        return d
    if state == State.SUPPLEMENT_REQUESTED:
        return _act(d, org.specialist, "request_supplement", "2026-03-02 14:00", reason=REASON,
                    data={"missing_documents": ["Bản chụp CCCD"]})
    if state == State.AWAITING_PAYMENT:
        return _act(d, org.specialist, "request_payment", "2026-03-02 14:00",
                    data={"amount": 200000})
    d = _act(d, org.specialist, "forward", "2026-03-03 09:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", "2026-03-03 15:00")
    if state == State.DECIDED:
        return d
    d = _act(d, org.desk, "mark_result_ready", "2026-03-04 08:00")
    if state == State.RESULT_READY:
        return d
    assert state == State.RETURNED
    return _act(d, org.desk, "return_result", "2026-03-04 09:00",
                data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})


def actor_for(org, action: str, state: str):
    if action in ("apologize", "stop"):
        return org.head
    if action == "approve":
        return org.head
    if state in (State.PROCESSING,) and action in (
            "forward", "request_supplement", "request_payment", "return_step", "mark_paid"):
        return org.specialist
    if state == State.AWAITING_PAYMENT and action == "mark_paid":
        return org.specialist
    return org.desk


ARGS = {
    "request_supplement": {"reason": REASON, "data": {"missing_documents": ["Tờ khai"]}},
    "refuse": {"reason": REASON},
    "return_step": {"reason": REASON},
    "stop": {"reason": REASON},
    "withdraw": {"reason": REASON},
    "apologize": {"reason": REASON, "data": {"new_due_at": "2026-03-20T10:00:00+07:00"}},
    "forward": {},
    "return_result": {"data": {"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}}},
}

ALL_STATES = list(State.values)
PAIRS = [(s, a) for s in ALL_STATES for a in TRANSITIONS]


@pytest.mark.parametrize("state,action", [p for p in PAIRS if p[0] not in
                                          TRANSITIONS[p[1]].sources])
def test_forbidden_transition_is_refused_and_changes_nothing(org, make_dossier, state, action):
    dossier = reach(org, make_dossier, state)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    for actor in (org.desk, org.specialist, org.head):
        with pytest.raises(NotAllowed) as err:
            _act(dossier, actor, action, "2026-03-05 10:00", **ARGS.get(action, {}))
        assert err.value.code == "invalid_transition"
        assert "Không thể" in err.value.message
    dossier.refresh_from_db()
    assert dossier.state == state
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


# Allowed transitions whose precondition depends on the step (tested separately below).
STEP_DEPENDENT = {(State.PROCESSING, "approve"), (State.PROCESSING, "return_step")}


@pytest.mark.parametrize("state,action", [p for p in PAIRS if p[0] in
                                          TRANSITIONS[p[1]].sources
                                          and p not in STEP_DEPENDENT])
def test_allowed_transition_moves_state_and_writes_one_event(org, make_dossier, state, action):
    dossier = reach(org, make_dossier, state)
    before = DossierEvent.objects.filter(dossier=dossier).count()
    result = _act(dossier, actor_for(org, action, state), action, "2026-03-05 10:00",
                  **ARGS.get(action, {}))
    t = TRANSITIONS[action]
    expected = t.target
    if action == "apologize":
        expected = state
    if action == "supplement":
        expected = State.SUBMITTED if dossier.paused_at is None else State.PROCESSING
    assert result.state == expected
    assert portal_status(result.state) in range(1, 11)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert len(events) == before + 1
    last = events[-1]
    assert (last.action, last.from_state, last.to_state) == (action, state, expected)
    assert last.seq == before + 1


def test_approve_and_return_step_follow_the_steps(org, make_dossier):
    d = reach(org, make_dossier, State.PROCESSING)
    # At the specialist step there is nothing to approve yet, and no earlier agency step.
    with pytest.raises(NotAllowed):
        _act(d, org.head, "approve", "2026-03-02 15:00")
    with pytest.raises(NotAllowed):
        _act(d, org.specialist, "return_step", "2026-03-02 15:00", reason=REASON)
    d = _act(d, org.specialist, "forward", "2026-03-02 15:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "return_step", "2026-03-02 16:00", reason="Cần xác minh thêm")
    assert d.current_step.role == "specialist"
    assert d.current_step.assignee == org.specialist
    d = _act(d, org.specialist, "forward", "2026-03-03 08:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", "2026-03-03 09:00")
    assert d.state == State.DECIDED
    assert d.current_step.role == "returning"


def test_wrong_role_or_unit_is_refused(org, make_dossier):
    d = make_dossier(accept=False)
    for actor in (org.specialist, org.head, org.other_desk, org.citizen):
        with pytest.raises(NotAllowed) as err:
            _act(d, actor, "accept", "2026-03-02 09:05")
        assert err.value.code == "permission_denied"
    d = _act(d, org.desk, "accept", "2026-03-02 09:05")
    d = _act(d, org.desk, "forward", "2026-03-02 09:30")
    # The desk no longer holds the dossier; only the department's specialist acts now.
    for actor in (org.desk, org.head, org.other_desk):
        with pytest.raises(NotAllowed):
            _act(d, actor, "forward", "2026-03-02 10:00")


def test_reason_is_required_where_the_law_asks(org, make_dossier):
    d = make_dossier(accept=False)
    for action in ("refuse", "request_supplement", "withdraw"):
        with pytest.raises(DomainError) as err:
            _act(d, org.desk, action, "2026-03-02 09:05", reason="   ")
        assert err.value.code == "reason_required"
    d.refresh_from_db()
    assert d.state == State.SUBMITTED


def test_forward_to_someone_outside_the_step_unit_is_refused(org, make_dossier):
    d = make_dossier()
    with pytest.raises(DomainError) as err:
        _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.other_desk.pk})
    assert err.value.code == "invalid_assignee"
    d.refresh_from_db()
    assert d.state == State.RECEIVED


def test_applicant_withdraws_own_dossier_but_not_anothers(org, make_dossier):
    mine = make_dossier(accept=False, actor=org.citizen, channel=2)
    assert mine.applicant_user == org.citizen
    theirs = make_dossier(accept=False)
    with pytest.raises(NotAllowed):
        _act(theirs, org.citizen, "withdraw", "2026-03-02 10:00", reason="Không có nhu cầu")
    d = _act(mine, org.citizen, "withdraw", "2026-03-02 10:00", reason="Không có nhu cầu")
    assert d.state == State.WITHDRAWN
    assert d.closed_at is not None


def test_supplement_during_processing_pauses_and_pushes_the_due_moment(org, make_dossier):
    d = reach(org, make_dossier, State.PROCESSING)
    due = d.due_at
    # Accepted Mon 02/03 09:00 + 3 working days → Thu 05/03 09:00.
    assert due == at("2026-03-05 09:00")
    d = _act(d, org.specialist, "request_supplement", "2026-03-02 14:00", reason=REASON,
             data={"missing_documents": ["Bản chụp CCCD"]})
    assert d.paused_at == at("2026-03-02 14:00")
    # Supplemented Wed 04/03 14:00: two whole working days paused → due Mon 09/03 09:00.
    d = _act(d, org.desk, "supplement", "2026-03-04 14:00")
    assert d.state == State.PROCESSING
    assert d.paused_at is None
    assert d.due_at == at("2026-03-09 09:00")
    pause = DossierPause.objects.get(dossier=d)
    assert (pause.started_at, pause.ended_at) == (at("2026-03-02 14:00"), at("2026-03-04 14:00"))
    event = d.events.order_by("-seq").first()
    assert event.dossier_due_at == at("2026-03-09 09:00")


def test_apology_sets_new_date_and_the_dossier_still_counts_late(org, make_dossier):
    d = reach(org, make_dossier, State.PROCESSING)
    d = _act(d, org.head, "apologize", "2026-03-03 09:00", reason="Cần xác minh tại địa phương",
             data={"new_due_at": "2026-03-10T09:00:00+07:00"})
    assert d.due_at == at("2026-03-10 09:00")
    assert d.original_due_at == at("2026-03-05 09:00")
    assert d.apology_count == 1
    e = d.events.order_by("-seq").first()
    assert e.data["issued_in_time"] is True
    d = _act(d, org.specialist, "forward", "2026-03-06 09:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", "2026-03-09 09:00")
    d = _act(d, org.desk, "return_result", "2026-03-09 10:00",
             data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    assert d.state == State.RETURNED
    # On time against the new date, but late against the statutory one.
    assert d.returned_at > d.original_due_at
    assert d.timing == Timing.LATE


def test_apology_then_settled_before_the_statutory_date_is_on_time(org, make_dossier):
    d = reach(org, make_dossier, State.PROCESSING)
    d = _act(d, org.head, "apologize", "2026-03-03 09:00", reason="Cần xác minh tại địa phương",
             data={"new_due_at": "2026-03-10T09:00:00+07:00"})
    d = _act(d, org.specialist, "forward", "2026-03-04 09:00", data={"assignee": org.head.pk})
    d = _act(d, org.head, "approve", "2026-03-04 10:00")
    d = _act(d, org.desk, "return_result", "2026-03-05 08:00",
             data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})
    assert d.timing == Timing.ON_TIME


def test_apology_needs_a_later_date(org, make_dossier):
    d = make_dossier()
    with pytest.raises(DomainError) as err:
        _act(d, org.head, "apologize", "2026-03-03 09:00", reason="Chậm",
             data={"new_due_at": "2026-03-04T09:00:00+07:00"})
    assert "fields" in dir(err.value) and "new_due_at" in err.value.fields


@pytest.mark.parametrize("new_due", ["2026-02-30T10:00:00+07:00", "2026-03-10T25:00:00+07:00",
                                     "2026-03-10T09:00:00", ["2026-03-10"], 20260310,
                                     "9999-12-31T23:59:59-12:00", "2101-01-01T09:00:00+07:00"])
def test_an_apology_date_that_does_not_exist_is_refused_with_its_field_not_a_500(
        org, make_dossier, new_due):
    # Fuzzing found it: 30 February reached the API as a ValueError from parse_datetime, and
    # 31/12/9999 west of UTC as an OverflowError when stored.
    from rest_framework.test import APIClient

    d = reach(org, make_dossier, State.PROCESSING)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(org.head)
    r = api.post(f"/api/v1/dossiers/{d.code}/actions/apologize/",
                 {"reason": "Cần xác minh", "data": {"new_due_at": new_due}}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["fields"] == {"new_due_at": ["Ngày hẹn mới không hợp lệ."]}
    d.refresh_from_db()
    assert d.state == State.PROCESSING and d.apology_count == 0


@pytest.mark.parametrize("state", [State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED,
                                   State.AWAITING_PAYMENT, State.DECIDED])
def test_allowed_actions_asks_each_actor_pair_once_and_lists_what_each_transition_allows(
        org, make_dossier, state, monkeypatch):
    """The API's answer lists the actions the officer may take next (allowed_actions): each
    (scope, role) pair of the table's actors is asked once a dossier, not once a transition
    (issue #18), and the list is the one every transition asked alone gives."""
    from dossiers.selectors import dossier_with_details
    from dossiers.services import transitions as tr
    from dossiers.states import actions_from

    d = dossier_with_details(pk=reach(org, make_dossier, state).pk)
    asked = []
    plain = tr._acts_as

    def counted(dossier, actor, scope, role):
        asked.append((actor.pk, scope, role))
        return plain(dossier, actor, scope, role)

    for actor in (org.desk, org.specialist, org.head, org.other_desk, org.citizen):
        alone = [t.action for t in actions_from(d.state) if tr.actor_may(d, actor, t)[0]
                 and tr._precondition(d, t) is None]
        monkeypatch.setattr(tr, "_acts_as", counted)
        asked.clear()
        listed = [t.action for t in tr.allowed_actions(d, actor)]
        monkeypatch.setattr(tr, "_acts_as", plain)
        assert listed == alone
        assert len(asked) == len(set(asked))
        pairs = {p for t in actions_from(d.state) for p in t.actors}
        assert len(asked) <= len(pairs) < sum(len(t.actors) for t in actions_from(d.state))
    if state == State.PROCESSING:
        assert [t.action for t in tr.allowed_actions(d, org.specialist)] == [
            "request_supplement", "forward", "request_payment"]
