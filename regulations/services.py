"""Writing to the register: rounds, provisions, proposals, and their moves (regulations/states.py).

Every change is one transaction with its `ProvisionEvent`. An approval whose change concerns the
catalogue makes the procedure's next version in the same transaction (catalog/versions.py).
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User
from catalog.models import Procedure
from catalog.selectors import procedure_get
from catalog.services import procedure_version_create
from motcua import inputs
from motcua.errors import DomainError, NotAllowed
from regulations import selectors
from regulations.changes import catalogue_changes
from regulations.income import hourly_value
from regulations.models import Provision, ProvisionEvent, ReviewRound
from regulations.states import MOVES

K, A, S = Provision.Kind, Provision.Action, Provision.State
LEVEL_RANK = {Procedure.Level.MINISTRY: 0, Procedure.Level.PROVINCE: 1,
              Procedure.Level.COMMUNE: 2}


def _invalid(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={field: [message]})


def _forbidden(message: str, message_en: str) -> NotAllowed:
    return NotAllowed("permission_denied", message, message_en, http_status=403)


def _event(p: Provision, *, action: str, actor: User, at: datetime, from_state: str,
           note: str = "", data: dict | None = None) -> None:
    ProvisionEvent.objects.create(provision=p, action=action, actor=actor, at=at,
                                  from_state=from_state, to_state=p.state, note=note,
                                  data=data or {})


def _date(value: Any, field: str, label: tuple[str, str]) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise _invalid(field, f"Cần nhập {label[0]} (ngày/tháng/năm).",
                       f"{label[1]} must be a date (YYYY-MM-DD).") from None


# --- Rounds --------------------------------------------------------------------------------

def round_opener_check(actor: User) -> None:
    """Whether `actor` may open a round anywhere (a reform officer of some unit): the API asks
    it before reading the body, so one who may not hears so, not what to fill in."""
    if not selectors.reform_unit_ids(actor):
        raise _forbidden("Chỉ cán bộ cải cách hành chính của đơn vị mới mở đợt rà soát.",
                         "Only the unit's reform officers open a review round.")


@transaction.atomic
def round_create(*, actor: User, name: str, unit: Unit, start_date: Any, end_date: Any,
                 basis: str = "") -> ReviewRound:
    """A new review round run by `unit`; only its reform officers (or those above) open one."""
    if unit.pk not in selectors.reform_unit_ids(actor):
        raise _forbidden("Chỉ cán bộ cải cách hành chính của đơn vị mới mở đợt rà soát.",
                         "Only the unit's reform officers open a review round.")
    text = inputs.inputs_clean({"name": name, "basis": basis},
                               {"name": inputs.SHORT_LINE, "basis": inputs.NOTE},
                               labels={"name": ("tên đợt", "name"),
                                       "basis": ("căn cứ", "basis")})
    if not text["name"]:
        raise _invalid("name", "Cần nhập tên đợt rà soát.", "The round needs a name.")
    start = _date(start_date, "start_date", ("ngày bắt đầu", "start_date"))
    end = _date(end_date, "end_date", ("ngày kết thúc", "end_date"))
    if end < start:
        raise _invalid("end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi.",
                       "end_date must not precede start_date.")
    return ReviewRound.objects.create(name=text["name"], unit=unit, start_date=start,
                                      end_date=end, basis=text["basis"], created_by=actor)


@transaction.atomic
def round_close(*, actor: User, review_round: ReviewRound) -> ReviewRound:
    if not selectors.can_manage_round(actor, review_round):
        raise _forbidden("Chỉ cán bộ cải cách hành chính chủ trì mới kết thúc đợt rà soát.",
                         "Only the round's reform officers close it.")
    review_round.status = ReviewRound.Status.CLOSED
    review_round.save(update_fields=["status"])
    return review_round


# --- Provisions ----------------------------------------------------------------------------

ELEMENTS = {K.DOCUMENT: "documents", K.TIME_LIMIT: "time_limits", K.FEE: "fees",
            K.STEP: "steps"}


def _element(procedure: Procedure, kind: str, element_id: Any):
    """The element `element_id` of kind `kind` among the procedure's cases."""
    try:
        element_id = int(element_id)
    except (TypeError, ValueError):
        raise _invalid("element", "Cần chọn phần của thủ tục được rà soát.",
                       "Choose the element of the procedure under review.") from None
    for variant in procedure.variants.all():
        for row in getattr(variant, ELEMENTS[kind]).all():
            if row.pk == element_id:
                return row
    raise _invalid("element", "Phần được chọn không thuộc thủ tục này.",
                   "The element does not belong to this procedure.")


def _element_text(kind: str, row, procedure: Procedure) -> str:
    variant = row.variant.name
    prefix = f"{variant}: " if procedure.variants.count() > 1 else ""
    if kind == K.TIME_LIMIT:
        return f"{prefix}{row}"
    if kind == K.FEE:
        amount = f"{row.amount:,} đồng".replace(",", ".") if row.amount is not None else ""
        return f"{prefix}{row.name} {amount}".strip()
    return f"{prefix}{row.name}"


@transaction.atomic
def provision_add(*, actor: User, review_round: ReviewRound, kind: str, unit: Unit | None = None,
                  procedure_code: str = "", element_id: Any = None, legal_text: str = "",
                  content: str = "") -> Provision:
    """Put a provision under review: a procedure in force, one of its elements (a paper, the
    time limit, a fee, a step, a passage of its conditions), or a provision of a legal text
    (optionally about a procedure, whose dossiers then give its yearly count)."""
    if review_round.status != ReviewRound.Status.OPEN:
        raise NotAllowed("round_closed", "Đợt rà soát đã kết thúc.", "The round is closed.")
    if kind not in K.values:
        raise _invalid("kind", "Loại quy định không hợp lệ.", "Unknown kind.")
    manager = selectors.can_manage_round(actor, review_round)
    own = selectors.proposing_unit_ids(actor)
    text = inputs.inputs_clean({"legal_text": legal_text, "content": content,
                                "procedure_code": procedure_code},
                               {"legal_text": inputs.SHORT_LINE, "content": inputs.NOTE,
                                "procedure_code": inputs.SHORT_LINE},
                               labels={"legal_text": ("văn bản", "legal text"),
                                       "content": ("nội dung", "content"),
                                       "procedure_code": ("mã thủ tục", "procedure code")})
    procedure = None
    if text["procedure_code"]:
        procedure = procedure_get(text["procedure_code"])
        if procedure is None:
            raise _invalid("procedure_code", "Không có thủ tục đang áp dụng với mã này.",
                           "No procedure in force has this code.")
    elif kind != K.LEGAL_TEXT:
        raise _invalid("procedure_code", "Cần nhập mã thủ tục.", "procedure_code is required.")
    if unit is None:
        unit = procedure.competent_unit if procedure and procedure.competent_unit else None
        if unit is None and len(own) == 1:
            unit = Unit.objects.get(pk=next(iter(own)))
    if unit is None:
        raise _invalid("unit", "Cần chọn đơn vị rà soát, đề xuất.", "Choose the proposing unit.")
    if not manager and (unit.pk not in own
                        or not selectors.can_add_provision(actor, review_round)):
        raise _forbidden("Đơn vị chỉ đưa vào rà soát quy định do đơn vị mình đề xuất, trong đợt "
                         "rà soát đã giao cho đơn vị.",
                         "A unit adds provisions only for itself, in a round it takes part in.")
    values: dict[str, Any] = {"procedure": procedure,
                              "procedure_code": procedure.code if procedure else ""}
    body = text["content"]
    if kind in ELEMENTS:
        row = _element(procedure, kind, element_id)
        values[{K.DOCUMENT: "document", K.TIME_LIMIT: "time_limit", K.FEE: "fee",
                K.STEP: "step"}[kind]] = row
        body = body or _element_text(kind, row, procedure)
        if kind == K.FEE:
            values["fees_before"] = values["fees_after"] = row.amount or 0
    elif kind == K.CONDITION:
        if not body or body not in procedure.requirements:
            raise _invalid("content", "Cần chép nguyên văn đoạn điều kiện từ thủ tục.",
                           "Copy the condition's passage exactly from the procedure.")
    elif kind == K.PROCEDURE:
        body = body or procedure.name
    elif not text["legal_text"] or not body:
        raise _invalid("legal_text", "Cần nhập văn bản, điều khoản và nội dung quy định.",
                       "A legal-text provision needs its text, article and content.")
    p = Provision.objects.create(round=review_round, kind=kind, unit=unit,
                                 legal_text=text["legal_text"], content=body,
                                 created_by=actor, **values)
    _event(p, action="add", actor=actor, at=timezone.now(), from_state="")
    return p


PROPOSAL_LABELS = {
    "action": ("phương án", "action"), "reason": ("lý do", "reason"),
    "hourly_cost": ("chi phí một giờ", "hourly cost"),
    "hours_before": ("số giờ hiện hành", "hours before"),
    "fees_before": ("phí hiện hành", "fees before"),
    "outside_before": ("chi phí thuê ngoài hiện hành", "outside costs before"),
    "hours_after": ("số giờ sau đơn giản hóa", "hours after"),
    "fees_after": ("phí sau đơn giản hóa", "fees after"),
    "outside_after": ("chi phí thuê ngoài sau đơn giản hóa", "outside costs after"),
    "new_time_limit": ("thời hạn mới", "new time limit"),
    "new_fee": ("mức phí mới", "new fee"), "new_level": ("cấp thực hiện mới", "new level"),
    "new_text": ("nội dung mới", "new text"),
}
MONEY = ("hourly_cost", "fees_before", "outside_before", "fees_after", "outside_after")
HOURS = ("hours_before", "hours_after")


def _number(value: Any, *, integer: bool) -> Decimal | int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > Decimal("1e14"):
        return None
    if integer:
        return int(number) if number == int(number) else None
    return number.quantize(Decimal("0.01")) if number < Decimal("1e6") else None


def _proposal_values(p: Provision, data: dict[str, Any]) -> dict[str, Any]:
    """The proposal's fields from `data` (keys absent keep their value), checked together: one
    error naming every bad field."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if "action" in data:
        if data["action"] not in A.values and data["action"] not in ("", None):
            errors["action"] = ["Phương án phải là giữ nguyên, sửa đổi, bãi bỏ, đơn giản hóa "
                                "hoặc phân cấp."]
        else:
            values["action"] = data["action"] or ""
    for key in ("reason", "new_text"):
        if key in data:
            try:
                values[key] = inputs.input_value(data[key] or "", inputs.NOTE)
            except inputs.InputRefused as refused:
                errors[key] = [refused.problem.message]
    hourly_blank = "hourly_cost" in data and data["hourly_cost"] in (None, "")
    never_valued = ("hourly_cost" not in data and p.hourly_cost == 0
                    and p.hourly_income_year is None)
    if hourly_blank or never_valued:
        # Circular 02/2017/TT-VPCP values the applicant's hour from the per-capita income: the
        # figure published by the round's year (regulations/income.py), unless one is typed.
        derived = hourly_value(p.round.start_date.year)
        if derived is not None:
            values["hourly_cost"] = derived.hourly
            values["hourly_income_year"] = derived.year
        elif hourly_blank:
            errors["hourly_cost"] = [f"Chưa có số liệu thu nhập bình quân đầu người đến năm "
                                     f"{p.round.start_date.year}; nhập chi phí một giờ."]
    elif "hourly_cost" in data:
        values["hourly_income_year"] = None  # typed by the reviewer
    for key in MONEY + HOURS + ("new_fee", "new_time_limit"):
        if key not in data or (key == "hourly_cost" and hourly_blank):
            continue
        optional = key in ("new_fee", "new_time_limit")
        if data[key] in (None, "") and optional:
            values[key] = None
            continue
        number = _number(data[key] if data[key] not in (None, "") else 0,
                         integer=key in MONEY + ("new_fee",))
        if number is None:
            errors[key] = ["Phải là số không âm" + ("" if key in HOURS + ("new_time_limit",)
                                                    else " nguyên (đồng)") + "."]
        else:
            values[key] = number
    if "new_level" in data:
        level = data["new_level"] or ""
        if level and level not in LEVEL_RANK:
            errors["new_level"] = ["Cấp thực hiện không hợp lệ."]
        values["new_level"] = level
    if errors:
        names = [PROPOSAL_LABELS.get(k, (k, k)) for k in errors]
        raise DomainError("invalid", "Phương án chưa hợp lệ: "
                          + ", ".join(n[0] for n in names) + ".",
                          "Invalid proposal: " + ", ".join(n[1] for n in names) + ".",
                          fields=errors)
    return values


@transaction.atomic
def proposal_save(*, actor: User, provision: Provision, data: dict[str, Any]) -> Provision:
    """Fill in or correct the proposal while the provision is under review."""
    p = Provision.objects.select_for_update().get(pk=provision.pk)
    if not selectors.can_propose(actor, p):
        raise _forbidden("Chỉ đơn vị rà soát hoặc cán bộ cải cách hành chính của đợt mới sửa "
                         "phương án.", "Only the proposing unit or the round's reform "
                         "officers edit the proposal.")
    if p.state != S.REVIEWING:
        raise NotAllowed("invalid_transition", "Chỉ sửa phương án khi quy định đang rà soát.",
                         "The proposal can be edited only while under review.")
    values = _proposal_values(p, data)
    for key, value in values.items():
        setattr(p, key, value)
    p.save()
    _event(p, action="edit", actor=actor, at=timezone.now(), from_state=p.state,
           data={k: str(v) for k, v in values.items()})
    return p


def _check_ready(p: Provision) -> None:
    """What a proposal must say before it is sent."""
    errors: dict[str, list[str]] = {}
    if not p.action:
        errors["action"] = ["Cần chọn phương án."]
    if not p.reason:
        errors["reason"] = ["Cần nêu lý do của phương án."]
    if p.action == A.DECENTRALISE:
        current = LEVEL_RANK.get(p.procedure.level if p.procedure else "", -1)
        if not p.new_level:
            errors["new_level"] = ["Phân cấp cần chọn cấp thực hiện mới."]
        elif LEVEL_RANK[p.new_level] <= current:
            errors["new_level"] = ["Cấp mới phải thấp hơn cấp hiện hành."]
    if p.kind == K.TIME_LIMIT and p.action in (A.AMEND, A.SIMPLIFY):
        if p.new_time_limit is None or p.new_time_limit <= 0:
            errors["new_time_limit"] = ["Cần nhập thời hạn mới lớn hơn 0."]
    if errors:
        raise DomainError("proposal_incomplete", "Phương án chưa đủ để gửi.",
                          "The proposal is incomplete.", fields=errors)


@transaction.atomic
def provision_act(*, actor: User, provision: Provision, action: str, reason: str = "",
                  data: dict[str, Any] | None = None, at: datetime | None = None) -> Provision:
    """Move a provision by the table of regulations/states.py, with its event."""
    data = data or {}
    at = at or timezone.now()
    move = MOVES.get(action)
    if move is None:
        raise NotAllowed("invalid_action", "Thao tác không hợp lệ.", "Unknown action.",
                         http_status=400)
    p = (Provision.objects.select_for_update(of=("self",)).select_related("round", "procedure")
         .get(pk=provision.pk))
    allowed = (selectors.can_manage_round(actor, p.round) if move.who == "reform"
               else selectors.can_propose(actor, p))
    if not allowed:
        raise _forbidden("Bạn không có quyền thực hiện thao tác này với quy định này.",
                         "You may not do this to this provision.")
    if p.state not in move.sources:
        raise NotAllowed("invalid_transition",
                         f"Không thể thực hiện khi quy định ở trạng thái "
                         f"«{p.get_state_display()}».",
                         "This action is not allowed in the provision's state.")
    reason = inputs.inputs_clean({"reason": reason or ""}, {"reason": inputs.REASON},
                                 labels={"reason": ("lý do", "reason")})["reason"]
    if move.reason_required and not reason:
        raise _invalid("reason", "Cần nêu lý do.", "A reason is required.")
    from_state = p.state
    event_data: dict[str, Any] = {}
    if action == "propose":
        _check_ready(p)
        # The yearly dossiers come from the real dossiers of the last 12 months.
        p.yearly_dossiers = selectors.yearly_dossiers(p.procedure_code, now=at)
        p.yearly_counted_at = at
        event_data["yearly_dossiers"] = p.yearly_dossiers
    elif action == "approve":
        if catalogue_changes(p) and not selectors.can_change_catalogue(actor, p.procedure):
            raise _forbidden(
                "Chỉ cán bộ cải cách hành chính của cơ quan có thẩm quyền giải quyết thủ tục "
                "(hoặc cơ quan cấp trên) mới phê duyệt phương án làm thay đổi thủ tục trong danh "
                "mục.",
                "Only a reform officer of the procedure's competent unit (or a unit above it) "
                "approves a change to the catalogue.")
        event_data.update(_approve(p, data, at))
    p.state = move.target
    p.save()
    _event(p, action=action, actor=actor, at=at, from_state=from_state, note=reason,
           data=event_data)
    return p


def _approve(p: Provision, data: dict[str, Any], at: datetime) -> dict[str, Any]:
    number = inputs.inputs_clean({"decision_number": data.get("decision_number") or ""},
                                 {"decision_number": inputs.SHORT_LINE},
                                 labels={"decision_number": ("số quyết định",
                                                             "decision number")}
                                 )["decision_number"]
    if not number:
        raise _invalid("decision_number", "Cần nhập số quyết định phê duyệt.",
                       "decision_number is required.")
    decided = _date(data.get("decision_date"), "decision_date",
                    ("ngày quyết định", "decision_date"))
    effective = _date(data.get("effective_date"), "effective_date",
                      ("ngày có hiệu lực", "effective_date"))
    if effective < decided:
        raise _invalid("effective_date", "Ngày có hiệu lực không được trước ngày quyết định.",
                       "effective_date must not precede decision_date.")
    p.decision_number, p.decision_date, p.effective_date = number, decided, effective
    changes = catalogue_changes(p)
    if not changes:
        return {"decision_number": number, "effective_date": effective.isoformat()}
    note = (f"{p.get_action_display()}: {p.content} — Quyết định {number} ngày "
            f"{decided:%d/%m/%Y}, hiệu lực từ {effective:%d/%m/%Y}.")
    version = procedure_version_create(code=p.procedure_code, effective_from=effective,
                                       changes=changes, note=note,
                                       today=timezone.localdate(at))
    p.new_version = version
    return {"decision_number": number, "effective_date": effective.isoformat(),
            "new_version": version.version}
