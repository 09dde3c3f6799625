"""The transition table: the one place that says what may happen to a dossier, and who may do it.

Every state change goes through `dossiers.services.dossier_act`, which looks the action up here.
States follow domain.md §3; each internal state maps to one national-portal status code (1–10).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from dossiers.models import State

PORTAL_STATUS: dict[str, int] = {
    State.SUBMITTED: 1,
    State.RECEIVED: 2,
    State.REFUSED: 3,
    State.PROCESSING: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.DECIDED: 9,
    State.RESULT_READY: 9,
    State.RETURNED: 10,
}

PORTAL_LABEL: dict[int, Promise] = {
    1: _("Mới đăng ký"),
    2: _("Được tiếp nhận"),
    3: _("Không được tiếp nhận"),
    4: _("Đang xử lý"),
    5: _("Yêu cầu bổ sung giấy tờ"),
    6: _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    7: _("Công dân yêu cầu rút hồ sơ"),
    8: _("Dừng xử lý"),
    9: _("Đã xử lý xong"),
    10: _("Đã trả kết quả"),
}

# States in which the statutory clock exists and the dossier is still open.
OPEN_STATES = frozenset({
    State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT,
    State.DECIDED, State.RESULT_READY,
})
PAUSED_STATES = frozenset({State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT})
FINAL_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.STOPPED, State.RETURNED})

# Who acts: a role held in the unit the action concerns. "intake" is the receiving unit's desk,
# "step" is the unit of the dossier's current step, "competent" is the lead agency deciding the
# dossier, "applicant" is the dossier's own applicant.
INTAKE = "intake"
STEP = "step"
COMPETENT = "competent"
APPLICANT = "applicant"
# "system" is a process of this installation, not a person: the payments app confirming a payment
# that the gateway or the bank reported (payments/, docs/payments.md). Its role names the process.
SYSTEM = "system"
PAYMENT_SYSTEM = "payments"


@dataclass(frozen=True)
class SystemActor:
    """An actor that is a process of the system; events record it by name, with no user row."""

    name: str
    display_name: str
    pk: None = None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    # None: the target depends on the dossier (e.g. a supplement returns to where it was paused).
    target: str | None
    actors: tuple[tuple[str, str], ...]
    reason_required: bool = False
    # Forms the action issues (Circular 03/2025 numbering, domain.md §4).
    form: str = ""


def _t(action, label, sources, target, actors, reason_required=False, form=""):
    return Transition(action, label, frozenset(sources), target, tuple(actors), reason_required,
                      form)


S = State
_DESK = (INTAKE, Role.RECEIVING)
_SPECIALIST = (STEP, Role.SPECIALIST)
_HEAD = (STEP, Role.HEAD)
_STEP_DESK = (STEP, Role.RECEIVING)
_AGENCY_HEAD = (COMPETENT, Role.HEAD)
_OPEN_FOR_AGENCY = {S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT}

TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("accept", _("Tiếp nhận hồ sơ"), {S.SUBMITTED}, S.RECEIVED, [_DESK], form="01"),
    # Law: the desk may ask only for papers of the published list, with the reason (Form 02).
    _t("request_supplement", _("Yêu cầu bổ sung hồ sơ"), {S.SUBMITTED, S.PROCESSING},
       S.SUPPLEMENT_REQUESTED, [_DESK, _SPECIALIST, _HEAD], reason_required=True, form="02"),
    _t("supplement", _("Bổ sung hồ sơ"), {S.SUPPLEMENT_REQUESTED}, None,
       [(APPLICANT, ""), _DESK]),
    _t("refuse", _("Từ chối tiếp nhận"), {S.SUBMITTED}, S.REFUSED, [_DESK],
       reason_required=True, form="03"),
    _t("forward", _("Chuyển bước tiếp theo"), {S.RECEIVED, S.PROCESSING}, S.PROCESSING,
       [_STEP_DESK, _SPECIALIST]),
    _t("return_step", _("Trả lại bước trước"), {S.PROCESSING}, S.PROCESSING,
       [_SPECIALIST, _HEAD], reason_required=True),
    _t("approve", _("Phê duyệt kết quả"), {S.PROCESSING}, S.DECIDED, [_HEAD]),
    _t("request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính"), {S.PROCESSING},
       S.AWAITING_PAYMENT, [_SPECIALIST, _HEAD]),
    # A payment confirmed by the gateway or a bank statement moves the dossier on by itself.
    _t("mark_paid", _("Xác nhận đã nộp phí, lệ phí"), {S.AWAITING_PAYMENT}, S.PROCESSING,
       [_DESK, _SPECIALIST, _HEAD, (SYSTEM, PAYMENT_SYSTEM)]),
    # Law: the apology and new date are signed by the head of the agency (Form 04).
    _t("apologize", _("Xin lỗi và hẹn lại ngày trả"), _OPEN_FOR_AGENCY, None, [_AGENCY_HEAD],
       reason_required=True, form="04"),
    _t("stop", pgettext_lazy("action", "Dừng xử lý"), _OPEN_FOR_AGENCY, S.STOPPED, [_AGENCY_HEAD],
       reason_required=True),
    _t("withdraw", _("Rút hồ sơ"), {S.SUBMITTED} | _OPEN_FOR_AGENCY, S.WITHDRAWN,
       [(APPLICANT, ""), _DESK], reason_required=True),
    _t("mark_result_ready", _("Nhận kết quả tại bộ phận một cửa"), {S.DECIDED}, S.RESULT_READY,
       [_DESK]),
    _t("return_result", _("Trả kết quả"), {S.DECIDED, S.RESULT_READY}, S.RETURNED, [_DESK]),
]}


# Creating a dossier is the transition from nothing (no row yet) to "submitted": the applicant
# files online, the desk enters a counter or postal dossier. At the counter the desk may accept
# at once: the dossier is then written in its final state, "received", by the "submit" transition
# followed by "accept" of the table above, applied in memory before the one insert
# (dossiers/services/intake.py), with the same two events as filing and accepting apart.
NOTHING = ""
CREATION = _t("submit", _("Nộp hồ sơ"), {NOTHING}, S.SUBMITTED, [_DESK, (APPLICANT, "")])


def portal_status(state: str) -> int:
    return PORTAL_STATUS[state]


def transition(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def actions_from(state: str) -> tuple[Transition, ...]:
    found = _FROM.get(state)
    if found is None:
        found = _FROM[state] = tuple(t for t in TRANSITIONS.values() if state in t.sources)
    return found


# The table's transitions from each state, in the table's order (`actions_from`): the table
# does not change while a process runs.
_FROM: dict[str, tuple[Transition, ...]] = {}
