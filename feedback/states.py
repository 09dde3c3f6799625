"""The transition table of feedback (PAKN): the one place that says what may happen to an item,
and who may do it. `feedback.services.feedback_act` looks every action up here.

The steps follow Decree 20/2008/ND-CP as amended by Decree 92/2017/ND-CP: the receiving agency
classifies an item (not accepted / an implementation difficulty / within its authority / outside
it) and forwards what it cannot handle to the competent agency within 5 working days; the
competent agency answers; answers are published. Who acts is a role held in the unit the action
concerns, as in dossiers/states.py: "receiving" is the unit the item was sent to, "handling" the
unit that holds it now (the competent unit after a forward), "sender" the person who sent it
(proven by the lookup's second factor or by being its account), "system" a process (the national
PAKN system's adapter).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from feedback.models import Kind, State

RECEIVING = "receiving"
HANDLING = "handling"
SENDER = "sender"
SYSTEM = "system"
NATIONAL_SYSTEM = "national"

# States in which the answer clock runs (an answer is owed); overdue is judged only in them.
ANSWER_OPEN = frozenset({State.ACCEPTED, State.ASSIGNED, State.DRAFTED, State.REOPENED})
# States in which the receiving unit still owes the classification and forward.
FORWARD_OPEN = frozenset({State.RECEIVED})
FINAL = frozenset({State.REFUSED})
# The sender has an answer in these states.
ANSWERED = frozenset({State.ANSWERED, State.PUBLISHED})


@dataclass(frozen=True)
class SenderActor:
    """The sender acting on their own item: `code` is the item the view saw proven."""

    code: str
    display_name: str = "Người gửi"
    pk: None = None


@dataclass(frozen=True)
class SystemActor:
    name: str
    display_name: str
    pk: None = None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    # None: the target depends on the data (a rating keeps the state or reopens the item).
    target: str | None
    actors: tuple[tuple[str, str], ...]
    reason_required: bool = False
    # The classes the action may record (classification actions only).
    kinds: frozenset[str] = frozenset()


S = State
_RECEIVER = (RECEIVING, Role.FEEDBACK)
_RECEIVER_HEAD = (RECEIVING, Role.HEAD)
_OFFICER = (HANDLING, Role.FEEDBACK)
_HEAD = (HANDLING, Role.HEAD)
_SENDER = (SENDER, "")

_ALL = [
    # Not accepted: the item misses what the decree requires (name, contact, content about an
    # administrative regulation); the sender is told why.
    Transition("refuse", _("Không tiếp nhận"), frozenset({S.RECEIVED}), S.REFUSED,
               (_RECEIVER, _RECEIVER_HEAD), reason_required=True,
               kinds=frozenset({Kind.NOT_ACCEPTED})),
    Transition("accept", _("Nhận xử lý (thuộc thẩm quyền)"), frozenset({S.RECEIVED}),
               S.ACCEPTED, (_RECEIVER, _RECEIVER_HEAD),
               kinds=frozenset({Kind.WITHIN, Kind.DIFFICULTY})),
    # Within 5 working days of receipt (Decree 20/2008 as amended by Decree 92/2017); a later
    # forward is allowed and recorded as late.
    Transition("forward", _("Chuyển cơ quan có thẩm quyền"), frozenset({S.RECEIVED}),
               S.FORWARDED, (_RECEIVER, _RECEIVER_HEAD),
               kinds=frozenset({Kind.OUTSIDE, Kind.DIFFICULTY})),
    Transition("take", _("Cơ quan có thẩm quyền nhận xử lý"), frozenset({S.FORWARDED}),
               S.ACCEPTED, (_OFFICER, _HEAD)),
    Transition("assign", _("Giao chuyên viên xử lý"),
               frozenset({S.ACCEPTED, S.ASSIGNED, S.REOPENED}), S.ASSIGNED, (_HEAD, _OFFICER)),
    Transition("draft", _("Dự thảo trả lời"), frozenset({S.ASSIGNED}), S.DRAFTED, (_OFFICER,)),
    Transition("return_draft", _("Trả lại dự thảo"), frozenset({S.DRAFTED}), S.ASSIGNED,
               (_HEAD,), reason_required=True),
    Transition("approve", _("Duyệt và gửi trả lời"), frozenset({S.DRAFTED}), S.ANSWERED,
               (_HEAD,)),
    # Only when the sender agreed or the content is general (set by whoever publishes).
    Transition("publish", pgettext_lazy("feedback", "Công khai trả lời"),
               frozenset({S.ANSWERED}), S.PUBLISHED, (_HEAD, _OFFICER)),
    # "Not satisfied" reopens the item for review once; a second one is recorded only.
    Transition("rate", _("Đánh giá trả lời"), frozenset({S.ANSWERED, S.PUBLISHED}), None,
               (_SENDER,)),
]

TRANSITIONS: dict[str, Transition] = {t.action: t for t in _ALL}
# The states a data-dependent action may lead to, for the table's tests and the docs.
POSSIBLE_TARGETS: dict[str, frozenset[str]] = {
    "rate": frozenset({S.ANSWERED, S.PUBLISHED, S.REOPENED}),
}


def transition(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
