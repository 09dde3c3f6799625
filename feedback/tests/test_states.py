"""The transition table: every action tried from every state, with the right actor and data,
must succeed exactly where the table lists the state as a source; every action refuses the
wrong role; every step writes its event."""

import pytest

from feedback.models import FeedbackEvent, Rating, State
from feedback.services import feedback_act
from feedback.states import POSSIBLE_TARGETS, TRANSITIONS, SenderActor, actions_from
from motcua.errors import DomainError, NotAllowed


def _actor(action, org, item):
    return {
        "refuse": org.receiver, "accept": org.receiver, "forward": org.receiver,
        "take": org.officer, "assign": org.head, "draft": org.officer,
        "return_draft": org.head, "approve": org.head, "publish": org.officer,
        "rate": SenderActor(code=item.code),
    }[action]


def _data(action, org):
    return {
        "accept": {"kind": "within"}, "forward": {"kind": "outside", "unit": org.dept.pk},
        "assign": {"assignee": org.officer.pk}, "draft": {"answer": "Trả lời dự thảo."},
        "publish": {"general": True}, "rate": {"rating": Rating.SATISFIED},
    }.get(action, {})


def _reason(action):
    return "Lý do" if TRANSITIONS[action].reason_required else ""


@pytest.mark.parametrize("state", list(State.values))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_action_from_every_state(pakn, make_item, action, state):
    item = make_item(state)
    t = TRANSITIONS[action]
    call = dict(feedback=item, actor=_actor(action, pakn, item), action=action,
                reason=_reason(action), data=_data(action, pakn))
    if state in t.sources:
        done = feedback_act(**call)
        expected = POSSIBLE_TARGETS.get(action, {t.target})
        assert done.state in expected
        event = FeedbackEvent.objects.get(feedback=item)
        assert (event.action, event.from_state, event.to_state) == (action, state, done.state)
    else:
        with pytest.raises(NotAllowed) as caught:
            feedback_act(**call)
        assert caught.value.code == "feedback_state"
        item.refresh_from_db()
        assert item.state == state
        assert not FeedbackEvent.objects.filter(feedback=item).exists()


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_action_refuses_the_wrong_actor(pakn, make_item, action):
    source = sorted(TRANSITIONS[action].sources)[0]
    item = make_item(source)
    wrong = [pakn.outsider, pakn.citizen, SenderActor(code="PAKN-000000-XXXXXX")]
    if action != "rate":
        wrong.append(SenderActor(code=item.code))
    for actor in wrong:
        with pytest.raises(NotAllowed) as caught:
            feedback_act(feedback=item, actor=actor, action=action, reason=_reason(action),
                         data=_data(action, pakn))
        assert caught.value.http_status == 403
    item.refresh_from_db()
    assert item.state == source


def test_reason_and_class_are_required(pakn, make_item):
    item = make_item(State.RECEIVED)
    with pytest.raises(DomainError) as caught:
        feedback_act(feedback=item, actor=pakn.receiver, action="refuse")
    assert "reason" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                     data={"unit": pakn.dept.pk})
    assert "kind" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        feedback_act(feedback=item, actor=pakn.receiver, action="forward",
                     data={"kind": "outside", "unit": pakn.centre.pk})
    assert "unit" in caught.value.fields


def test_every_state_has_a_way_on_except_the_final_one():
    for state in State.values:
        if state == State.REFUSED:
            assert actions_from(state) == []
        else:
            assert actions_from(state), state


def test_publish_needs_consent_or_general_content(pakn, make_item):
    item = make_item(State.ANSWERED, publish_consent=False)
    with pytest.raises(DomainError) as caught:
        feedback_act(feedback=item, actor=pakn.officer, action="publish")
    assert "general" in caught.value.fields
    done = feedback_act(feedback=item, actor=pakn.officer, action="publish",
                        data={"general": True})
    assert done.state == State.PUBLISHED and done.is_general


def test_not_satisfied_reopens_once(pakn, make_item):
    item = make_item(State.PUBLISHED)
    sender = SenderActor(code=item.code)
    item = feedback_act(feedback=item, actor=sender, action="rate",
                        data={"rating": Rating.NOT_SATISFIED})
    assert item.state == State.REOPENED and item.reopen_count == 1
    assert item.answer_due_at is not None
    item = feedback_act(feedback=item, actor=pakn.head, action="assign",
                        data={"assignee": pakn.officer2.pk})
    item = feedback_act(feedback=item, actor=pakn.officer2, action="draft",
                        data={"answer": "Trả lời bổ sung."})
    item = feedback_act(feedback=item, actor=pakn.head, action="approve")
    assert item.state == State.ANSWERED and item.rating == ""
    item = feedback_act(feedback=item, actor=sender, action="rate",
                        data={"rating": Rating.NOT_SATISFIED})
    assert item.state == State.ANSWERED and item.reopen_count == 1
    with pytest.raises(NotAllowed):
        feedback_act(feedback=item, actor=sender, action="rate",
                     data={"rating": Rating.SATISFIED})


def test_events_are_append_only(pakn, make_item):
    item = feedback_act(feedback=make_item(State.RECEIVED), actor=pakn.receiver,
                        action="accept", data={"kind": "within"})
    event = FeedbackEvent.objects.get(feedback=item)
    event.note = "sửa"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
