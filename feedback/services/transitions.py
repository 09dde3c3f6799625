"""`feedback_act`: the only way an item changes state.

It takes the item's row lock, looks the action up in feedback/states.py, checks the state, the
actor's role in the unit the action concerns, the reason and the class, runs the action's
handler, saves, and appends a `FeedbackEvent`, all in one transaction.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Unit, User
from accounts.selectors import user_has_role
from feedback.deadlines import answer_due, forward_due, step_timing
from feedback.events import event_write
from feedback.models import Feedback, Kind, Rating, State
from feedback.notify import ON_THE_PAGE, tell_sender, tell_unit, tell_user
from feedback.outbox import national_queue
from feedback.search import answer_search_text
from feedback.states import HANDLING, RECEIVING, SENDER, SYSTEM, SenderActor, SystemActor
from feedback.states import transition as transition_of
from motcua.errors import DomainError, NotAllowed
from motcua.inputs import id_parse


def _unit_for(scope: str, item: Feedback) -> Unit | None:
    if scope == RECEIVING:
        return item.receiving_unit
    if scope == HANDLING:
        return item.handling_unit
    return None


def _acting_unit(*, item: Feedback, actor: object, actors) -> tuple[bool, Unit | None]:
    for scope, role in actors:
        if scope == SENDER:
            if isinstance(actor, SenderActor) and actor.code == item.code:
                return True, None
        elif scope == SYSTEM:
            if isinstance(actor, SystemActor) and actor.name == role:
                return True, None
        elif isinstance(actor, User):
            unit = _unit_for(scope, item)
            if unit is not None and user_has_role(actor, unit_id=unit.pk, role=role):
                return True, unit
    return False, None


def _invalid(field: str, vi: str, en: str) -> DomainError:
    return DomainError("feedback_invalid", vi, en, fields={field: [vi]})


def _kind(t, data: dict) -> str:
    if len(t.kinds) == 1:
        return next(iter(t.kinds))
    kind = str(data.get("kind") or "")
    if kind not in t.kinds:
        labels = ", ".join(str(Kind(k).label) for k in sorted(t.kinds))
        raise _invalid("kind", f"Chọn phân loại: {labels}.", "Choose a class for this action.")
    return kind


def _search_text(item: Feedback) -> str:
    return answer_search_text(item)


# Each handler changes the item (not its state) and returns the event's extras:
# (to_unit, timing, data, target override).
Handler = Callable[[Feedback, object, str, dict, datetime, Unit | None], tuple]


def _refuse(item, actor, reason, data, now, unit):
    item.kind = Kind.NOT_ACCEPTED
    item.refuse_reason = reason
    tell_sender(item=item, subject=f"Phản ánh, kiến nghị {item.code} không được tiếp nhận",
                body=f"Lý do: {reason}")
    return None, step_timing(now, item.forward_due_at), {"kind": item.kind}, None


def _accept(item, actor, reason, data, now, unit):
    item.kind = data["kind"]
    item.accepted_at = now
    item.answer_due_at = answer_due(start=now, kind=item.kind, unit=item.handling_unit)
    return None, step_timing(now, item.forward_due_at), {"kind": item.kind}, None


def _target_unit(data: dict, item: Feedback) -> Unit:
    value = data.get("unit")
    unit = value if isinstance(value, Unit) else Unit.objects.filter(
        pk=id_parse(value), is_active=True).first()
    # The API names the unit by its code and passes the row: a unit closed down (is_active off)
    # is refused there as on the page, else the item would wait where no one works.
    if unit is None or not unit.is_active:
        raise _invalid("unit", "Chọn cơ quan có thẩm quyền để chuyển đến.",
                       "Choose the competent unit to forward to.")
    if unit.pk == item.receiving_unit_id:
        raise _invalid("unit", "Cơ quan chuyển đến phải khác cơ quan tiếp nhận.",
                       "The competent unit must differ from the receiving unit.")
    return unit


def _forward(item, actor, reason, data, now, unit):
    to_unit = _target_unit(data, item)
    item.kind = data["kind"]
    item.handling_unit = to_unit
    item.forwarded_at = now
    timing = step_timing(now, item.forward_due_at)
    tell_unit(unit=to_unit, subject=f"Phản ánh, kiến nghị {item.code} được chuyển đến",
              body=f"{item.title}. Từ: {item.receiving_unit.name}.",
              outside_body=f"Từ: {item.receiving_unit.name}. {ON_THE_PAGE}")
    return to_unit, timing, {"kind": item.kind, "unit": to_unit.code}, None


def _arrived_at(item: Feedback) -> datetime:
    """When the unit holding a forwarded item got it: its latest forward or re-forward."""
    last = (item.events.filter(action__in=("forward", "reforward"),
                               to_unit_id=item.handling_unit_id).order_by("-seq").first())
    return last.at if last is not None else item.forwarded_at or item.received_at


def _reforward(item, actor, reason, data, now, unit):
    to_unit = _target_unit(data, item)
    holder = item.handling_unit
    if to_unit.pk == holder.pk:
        raise _invalid("unit", "Cơ quan chuyển đến phải khác cơ quan đang giữ phản ánh.",
                       "The unit must differ from the unit holding the item.")
    # The holder's own 5 working days from its receipt, on its calendar (Decree 20/2008 as
    # amended by Decree 92/2017, the forward limit; docs/feedback.md). The item's
    # `forward_due_at` / `forwarded_at` stay the receiving unit's first forward.
    due = forward_due(received_at=_arrived_at(item), unit=holder)
    item.handling_unit = to_unit
    tell_unit(unit=to_unit, subject=f"Phản ánh, kiến nghị {item.code} được chuyển đến",
              body=f"{item.title}. Từ: {holder.name}. Lý do chuyển tiếp: {reason}",
              outside_body=f"Từ: {holder.name}. Lý do chuyển tiếp: {reason} {ON_THE_PAGE}")
    return to_unit, step_timing(now, due), {"unit": to_unit.code, "from_unit": holder.code,
                                            "due_at": due.isoformat()}, None


def _take(item, actor, reason, data, now, unit):
    item.accepted_at = now
    item.answer_due_at = answer_due(start=now, kind=item.kind, unit=item.handling_unit)
    return None, "", {}, None


def _assign(item, actor, reason, data, now, unit):
    value = data.get("assignee")
    user = value if isinstance(value, User) else User.objects.filter(
        pk=id_parse(value), is_active=True).first()
    if user is None or not user_has_role(user, unit_id=item.handling_unit_id, role=Role.FEEDBACK):
        raise _invalid("assignee", "Chọn chuyên viên xử lý phản ánh của đơn vị.",
                       "Choose a feedback officer of the unit.")
    item.assignee = user
    tell_user(user=user, subject=f"Được giao xử lý phản ánh {item.code}", body=item.title,
              outside_body=ON_THE_PAGE)
    return None, "", {"assignee": user.username}, None


def _draft(item, actor, reason, data, now, unit):
    answer = str(data.get("answer") or "").strip()
    if not answer:
        raise _invalid("answer", "Chưa nhập nội dung trả lời.", "The answer is missing.")
    item.answer = answer
    return None, "", {}, None


def _return_draft(item, actor, reason, data, now, unit):
    if item.assignee_id:
        tell_user(user=item.assignee, subject=f"Dự thảo trả lời {item.code} bị trả lại",
                  body=reason)
    return None, "", {}, None


def _approve(item, actor, reason, data, now, unit):
    item.answered_at = now
    item.rating = ""
    item.search_text = _search_text(item)
    tell_sender(item=item, subject=f"Trả lời phản ánh, kiến nghị {item.code}",
                body=f"{item.handling_unit.name} trả lời:\n\n{item.answer}\n\nÔng/bà có thể "
                     "đánh giá mức độ hài lòng với trả lời tại trang tra cứu.")
    national_queue(feedback=item, message="answer")
    return None, step_timing(now, item.answer_due_at), {}, None


def _publish(item, actor, reason, data, now, unit):
    if data.get("general"):
        item.is_general = True
    if not (item.publish_consent or item.is_general):
        raise _invalid("general",
                       "Người gửi không đồng ý công khai; chỉ công khai khi nội dung mang tính "
                       "phổ biến (đánh dấu ô “Nội dung mang tính phổ biến”).",
                       "The sender did not agree to publication; publish only general content.")
    item.published_at = now
    item.search_text = _search_text(item)
    return None, "", {"general": item.is_general}, None


def _rate(item, actor, reason, data, now, unit):
    rating = str(data.get("rating") or "")
    if rating not in Rating.values:
        raise _invalid("rating", "Chọn mức đánh giá.", "Choose a rating.")
    if item.rating:
        raise NotAllowed("feedback_rated", "Trả lời này đã được đánh giá.",
                         "This answer was already rated.")
    item.rating = rating
    if rating == Rating.NOT_SATISFIED and item.reopen_count == 0:
        # Reopened for review once (docs/feedback.md); the public page hides it until a new
        # answer is approved and published.
        item.reopen_count += 1
        item.answer_due_at = answer_due(start=now, kind=item.kind or Kind.WITHIN,
                                        unit=item.handling_unit)
        # The note is the sender's text: on the officers' page, not in their SMS.
        tell_unit(unit=item.handling_unit, subject=f"Người gửi chưa hài lòng: {item.code}",
                  body=f"Xem xét lại trả lời. {reason}".strip(),
                  outside_body=f"Xem xét lại trả lời. {ON_THE_PAGE}")
        return None, "", {"rating": rating}, State.REOPENED
    return None, "", {"rating": rating}, item.state


HANDLERS: dict[str, Handler] = {
    "refuse": _refuse, "accept": _accept, "forward": _forward,
    "reforward": _reforward, "take": _take,
    "assign": _assign, "draft": _draft, "return_draft": _return_draft, "approve": _approve,
    "publish": _publish, "rate": _rate,
}


def feedback_actions_for(*, feedback: Feedback, user: User) -> list:
    """The table's actions this staff member may perform on the item now (for the page's
    buttons; `feedback_act` checks again)."""
    from feedback.states import actions_from

    return [t for t in actions_from(feedback.state)
            if _acting_unit(item=feedback, actor=user, actors=t.actors)[0]]


def feedback_act(*, feedback: Feedback, actor: object, action: str, reason: str = "",
                 data: dict[str, Any] | None = None, at: datetime | None = None) -> Feedback:
    """Perform `action` on the item as `actor`; raises NotAllowed (409, or 403 for the wrong
    role) or DomainError (400, naming the field) and changes nothing then."""
    t = transition_of(action)
    if t is None:
        raise NotAllowed("feedback_unknown_action", "Thao tác không tồn tại.",
                         "Unknown action.")
    data = dict(data or {})
    reason = (reason or "").strip()
    now = at or timezone.now()
    with transaction.atomic():
        item = (Feedback.objects.select_for_update()
                .select_related("receiving_unit", "handling_unit").get(pk=feedback.pk))
        if item.state not in t.sources:
            raise NotAllowed(
                "feedback_state",
                f"Không thể “{t.label}” khi phản ánh đang ở trạng thái "
                f"“{item.get_state_display()}”.",
                f"“{action}” is not possible in state “{item.state}”.")
        allowed, unit = _acting_unit(item=item, actor=actor, actors=t.actors)
        if not allowed:
            raise NotAllowed("feedback_forbidden",
                             f"Ông/bà không có quyền “{t.label}” đối với phản ánh này.",
                             f"You may not perform “{action}” on this item.", http_status=403)
        if t.reason_required and not reason:
            raise _invalid("reason", "Cần nhập lý do.", "A reason is required.")
        if t.kinds:
            data["kind"] = _kind(t, data)
        from_state = item.state
        to_unit, timing, extra, target = HANDLERS[action](item, actor, reason, data, now, unit)
        item.state = target or t.target or item.state
        item.save()
        event_write(feedback=item, action=action, actor=actor, at=now, from_state=from_state,
                    to_state=item.state, actor_unit=unit, to_unit=to_unit, note=reason,
                    timing=timing, data=extra)
    return item
