"""Creating a dossier: at the counter, by post, or online."""

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Unit, User
from accounts.selectors import user_has_role, user_unit_ids
from accounts.validation import validate_id_number
from catalog.models import Channel, Procedure, RequiredDocument, Variant
from catalog.selectors import document_counterparts
from dossiers.calendar import calendar_for_unit
from dossiers.codes import PROVISIONAL_CODE_PREFIX, dossier_code_generate, dossier_code_last
from dossiers.events import (
    event_consumers_code_late,
    event_new,
    events_consume,
    events_insert_new,
)
from dossiers.ids import ids_reserve
from dossiers.lookup import lookup_secret_new
from dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    IdempotencyKey,
    State,
)
from dossiers.reference import filing_reference, reference_unit, variant_in_force_cached
from dossiers.services.access import access_grant, dossier_access_units
from dossiers.services.papers import (
    EVENT as PAPERS_EVENT,
)
from dossiers.services.papers import (
    PaperChecks,
    paper_checks_parse,
    paper_lookups_run,
    papers_event_fields,
    papers_missing,
    papers_translate,
)
from dossiers.services.transitions import transition_unsaved
from dossiers.states import CREATION, NOTHING
from motcua import inputs
from motcua.errors import DomainError, NotAllowed
from motcua.prepared import (
    related_hold,
    related_rows,
    related_set,
    row_new,
    rows_insert,
    value_taken,
    writes_joined,
)

APPLICANT_FIELDS = ("kind", "name", "id_number", "address", "phone", "email", "owner_name",
                    "owner_id_number")


def _request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# The applicant's free text, each with its rule (motcua/inputs.py): the same check as the web
# forms' and the API's fields, so a service called from anywhere stores only clean text.
APPLICANT_RULES = {"name": inputs.NAME, "id_number": inputs.ID_NUMBER,
                   "address": inputs.ADDRESS, "phone": inputs.PHONE, "email": inputs.EMAIL,
                   "owner_name": inputs.NAME, "owner_id_number": inputs.ID_NUMBER}
APPLICANT_LABELS = {"name": ("họ tên", "name"), "id_number": ("số giấy tờ", "ID number"),
                    "address": ("địa chỉ", "address"), "phone": ("số điện thoại", "phone"),
                    "email": ("thư điện tử", "e-mail"),
                    "owner_name": ("họ tên chủ hồ sơ", "owner's name"),
                    "owner_id_number": ("số định danh chủ hồ sơ", "owner's ID number")}


def _check_applicant(applicant: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    unknown = set(applicant) - set(APPLICANT_FIELDS)
    if unknown:
        errors["applicant"] = [f"Trường không được hỗ trợ: {', '.join(sorted(unknown))}."]
    present = {k: applicant.get(k) or "" for k in APPLICANT_RULES}
    try:
        text = inputs.inputs_clean(present, APPLICANT_RULES, prefix="applicant.",
                                   labels=APPLICANT_LABELS)
    except DomainError as error:
        errors.update(error.fields)
        text = {k: inputs.input_clean(v, APPLICANT_RULES[k].kind) for k, v in present.items()}
    if not text["name"] and "applicant.name" not in errors:
        errors["applicant.name"] = ["Cần nhập họ tên người nộp hoặc tên tổ chức."]
    kind = applicant.get("kind", ApplicantKind.CITIZEN)
    try:
        kind = ApplicantKind(int(kind))
    except (TypeError, ValueError):
        errors["applicant.kind"] = ["Loại đối tượng phải là 1, 2, 3 hoặc 4."]
        kind = ApplicantKind.CITIZEN
    id_number = text["id_number"]
    if id_number and "applicant.id_number" not in errors:
        problem = validate_id_number(id_number, kind=int(kind))
        if problem:
            errors["applicant.id_number"] = [problem]
    owner_id = text["owner_id_number"]
    if owner_id and "applicant.owner_id_number" not in errors:
        problem = validate_id_number(owner_id, kind=ApplicantKind.CITIZEN)
        if problem:
            errors["applicant.owner_id_number"] = [problem]
    if errors:
        raise DomainError("invalid", "Thông tin người nộp hồ sơ chưa hợp lệ.",
                          "Applicant data is invalid.", fields=errors)
    return {
        "applicant_kind": int(kind),
        "applicant_name": text["name"],
        "applicant_id_number": id_number,
        "applicant_address": text["address"],
        "applicant_phone": text["phone"],
        "applicant_email": text["email"],
        "owner_name": text["owner_name"],
        "owner_id_number": owner_id,
    }


# The kinds of copy a paper may be handed in as, taken once: the enum's `values` builds its list
# (and the labels' list under it) on every read, twice a paper (issue #18). A tuple: a value of
# any type is compared, none hashed.
_COPY_KINDS = tuple(RequiredDocument.CopyKind.values)


def _documents(required: dict[int, RequiredDocument],
               documents: list[dict[str, Any]]) -> list[DossierDocument]:
    rows, errors = [], {}
    for i, doc in enumerate(documents):
        req = None
        if doc.get("required_document") is not None:
            req = required.get(doc["required_document"])
            if req is None:
                errors[f"documents[{i}].required_document"] = [
                    "Giấy tờ này không thuộc thành phần hồ sơ của trường hợp đã chọn."]
                continue
        # A typed name is cleaned and limited; the catalogue's own name is taken as published
        # (some published papers are described at length).
        typed = inputs.input_clean(doc.get("name") or "", inputs.DOCUMENT_NAME.kind)
        problem = inputs.input_problem(typed, inputs.DOCUMENT_NAME)
        if problem is not None:
            errors[f"documents[{i}].name"] = [problem.message]
            continue
        name = typed or (req.name.strip() if req else "")
        if not name:
            errors[f"documents[{i}].name"] = ["Cần nhập tên giấy tờ."]
            continue
        copy_kind = doc.get("copy_kind") or (req.copy_kind if req else "original")
        if copy_kind not in _COPY_KINDS:
            errors[f"documents[{i}].copy_kind"] = ["Loại bản không hợp lệ."]
            continue
        count = doc.get("count", req.count if req else 1)
        if not isinstance(count, int) or not 1 <= count <= 100:
            errors[f"documents[{i}].count"] = ["Số lượng phải là số nguyên từ 1 đến 100."]
            continue
        # Built as DossierDocument(...) builds it, without Model.__init__'s walk
        # (motcua/prepared.py `row_new`: a filing builds one a paper, issue #18).
        rows.append(row_new(DossierDocument, required_document=req, name=name,
                            copy_kind=copy_kind, count=count,
                            original_seen=bool(doc.get("original_seen"))))
    if errors:
        raise DomainError("invalid", "Danh sách giấy tờ chưa hợp lệ.",
                          "The document list is invalid.", fields=errors)
    return rows


def _missing_required(docs: list[RequiredDocument], rows: list[DossierDocument],
                      checks: PaperChecks | None = None) -> list[str]:
    """Mandatory papers not handed in (groups, conditions, look-ups: dossiers/services/papers)."""
    given = {r.required_document_id for r in rows if r.required_document_id}
    return papers_missing(docs, given, checks)


def _version_in_force_on_filing(variant: Variant, documents: list[dict[str, Any]],
                                at: datetime, catalogue: tuple
                                ) -> tuple[Variant, list[dict[str, Any]]]:
    """The case of the procedure version in force on the filing date (catalog/versions.py),
    with the papers named by the case the form was opened on translated to it; a paper the new
    version no longer asks for stays in the dossier under its name. The dossier keeps this
    version: its time limit and its paper list come from it, whatever changes later."""
    # Remembered per worker under the catalogue version (dossiers/reference.py).
    in_force = variant_in_force_cached(variant, timezone.localdate(at), catalogue)
    if in_force is None:
        raise DomainError("procedure_inactive", "Thủ tục này không còn được áp dụng.",
                          "This procedure is no longer in force.")
    if in_force.pk == variant.pk:
        return variant, documents
    names = {d.pk: d.name for d in variant.documents.all()}
    pairs = document_counterparts(variant, in_force)
    translated = []
    for doc in documents:
        old = doc.get("required_document")
        if old in pairs:
            doc = {**doc, "required_document": pairs[old]}
            if pairs[old] is None:
                doc["name"] = doc.get("name") or names[old]
        translated.append(doc)
    return in_force, translated


def dossier_create(
    *,
    actor: User,
    variant: Variant | int,
    channel: int,
    receiving_unit: Unit | None,
    applicant: dict[str, Any],
    documents: list[dict[str, Any]] | None = None,
    summary: str = "",
    sets_count: int = 1,
    return_method: str = "",
    idempotency_key: str = "",
    accept: bool = False,
    at: datetime | None = None,
    papers: dict[str, Any] | None = None,
) -> tuple[Dossier, bool]:
    """Create a dossier in state 1 (and accept it at once if asked); returns (dossier, created).

    `variant` (the case or its id) is taken by its id from the reference cache
    (dossiers/reference.py), loaded with everything filing reads of it; so is `receiving_unit`
    when it is given by its id only
    (`Unit(pk=…)`, not read from the database). None: the desk of the actor's one unit.

    Staff of the receiving unit's desk file counter and postal dossiers; an applicant files
    online for themselves. A retried request with the same Idempotency-Key returns the first
    dossier instead of creating a second one.
    """
    documents = documents or []
    at = at or timezone.now()
    # The case with everything filing reads of it, from this worker's cache (dossiers/reference.py).
    variant, versions = filing_reference(variant if type(variant) is int else variant.pk, actor)
    if variant is None:
        raise DomainError("invalid", "Trường hợp thủ tục không tồn tại.", "Unknown variant.",
                          fields={"variant": ["Không tồn tại."]})
    if receiving_unit is None:
        # The desk of the officer's one unit (the API, when the body names none), from the roles
        # the version statement read.
        desk = user_unit_ids(actor, role=Role.RECEIVING)
        if len(desk) != 1:
            raise DomainError("invalid", "Cần chỉ rõ đơn vị tiếp nhận (receiving_unit).",
                              "receiving_unit is required.",
                              fields={"receiving_unit": ["Bắt buộc."]})
        # From the cache, as a unit named by its id is below; not built as Unit(pk=…) first.
        receiving_unit = _unit_cached(next(iter(desk)), versions[0])
    elif receiving_unit._state.adding:
        # Named by its id only (the API, for the desk of the officer's one unit): from the cache.
        receiving_unit = _unit_cached(receiving_unit.pk, versions[0])
    try:
        channel = Channel(int(channel))
    except (TypeError, ValueError):
        raise DomainError("invalid", "Hình thức nộp phải là 1 (trực tiếp), 2 (trực tuyến) "
                          "hoặc 3 (bưu chính).", "Channel must be 1, 2 or 3.",
                          fields={"channel": ["Giá trị không hợp lệ."]}) from None
    opened_on = variant
    variant, documents = _version_in_force_on_filing(variant, documents, at, versions[0])
    if papers and variant.pk != opened_on.pk:
        papers = papers_translate(papers, document_counterparts(opened_on, variant))
    procedure: Procedure = variant.procedure
    if not receiving_unit.receives_dossiers:
        raise DomainError("unit_not_receiving",
                          f"{receiving_unit.name} không tiếp nhận hồ sơ.",
                          "This unit does not receive dossiers.",
                          fields={"receiving_unit": ["Đơn vị không có bộ phận một cửa."]})
    is_desk = user_has_role(actor, unit_id=receiving_unit.pk, role=Role.RECEIVING)
    if channel == Channel.ONLINE:
        if not is_desk and actor.kind == User.Kind.STAFF:
            raise NotAllowed("permission_denied",
                             "Cán bộ chỉ nộp hồ sơ trực tuyến thay công dân tại đơn vị mình.",
                             "Staff may file only at their own unit.", http_status=403)
        if procedure.online_level == Procedure.OnlineLevel.INFORMATION:
            raise DomainError("not_online", "Thủ tục này chưa cung cấp dịch vụ công trực tuyến.",
                              "This procedure cannot be filed online.")
    elif not is_desk:
        raise NotAllowed("permission_denied",
                         "Chỉ cán bộ tiếp nhận của đơn vị mới nhập hồ sơ trực tiếp "
                         "hoặc qua bưu chính.",
                         "Only the unit's receiving officers enter counter and postal dossiers.",
                         http_status=403)
    values = _check_applicant(applicant)
    text = inputs.inputs_clean({"summary": summary, "return_method": return_method},
                               {"summary": inputs.SUMMARY, "return_method": inputs.SHORT_LINE},
                               labels={"summary": ("trích yếu", "summary"),
                                       "return_method": ("hình thức nhận kết quả",
                                                         "return method")})
    summary, return_method = text["summary"], text["return_method"]
    # The case's papers as held (the reference cache's), without a related manager (issue #18).
    required = list(related_rows(variant, "documents"))
    by_pk = {d.pk: d for d in required}
    rows = _documents(by_pk, documents)
    # The desk's answers about this applicant's papers (conditions, not applicable, look-ups).
    checks = paper_checks_parse(papers, by_pk)
    if checks.lookups:
        paper_lookups_run(actor=actor, required=by_pk, checks=checks,
                          owner_id=values["owner_id_number"] or values["applicant_id_number"])
    if accept:
        missing = _missing_required(required, rows, checks)
        if missing:
            raise DomainError("documents_missing", "Hồ sơ còn thiếu giấy tờ bắt buộc: "
                              + "; ".join(missing) + ".", "Mandatory documents are missing.",
                              fields={"documents": missing})
    if not 1 <= int(sets_count) <= 20:
        raise DomainError("invalid", "Số bộ hồ sơ phải từ 1 đến 20.", "sets_count must be 1-20.",
                          fields={"sets_count": ["Giá trị không hợp lệ."]})
    request_hash = _request_hash({"variant": variant.pk, "channel": int(channel),
                                  "unit": receiving_unit.pk, "applicant": applicant,
                                  "documents": documents, "summary": summary, "accept": accept,
                                  "papers": papers or {}})
    # Built as Dossier(...) builds it, without Model.__init__'s walk of its fifty-odd fields
    # (motcua/prepared.py `row_new`, issue #18).
    dossier = row_new(
        Dossier, lookup_secret=lookup_secret_new(),
        procedure=procedure, variant=variant, channel=int(channel),
        state=State.SUBMITTED, receiving_unit=receiving_unit,
        competent_unit=procedure.competent_unit or receiving_unit,
        current_unit=receiving_unit,
        applicant_user=None if is_desk else actor,
        summary=summary or procedure.name, sets_count=int(sets_count),
        return_method=return_method, submitted_at=at, created_by=actor, **values,
    )
    # Creating is the "submit" transition from nothing (dossiers/states.py CREATION); accepting
    # at once is the table's "accept" applied in memory by the same handler as dossier_act, so
    # the dossier is inserted once, in the state it ends in, with the events of both.
    events = [event_new(dossier=dossier, seq=1, action=CREATION.action, actor=actor, at=at,
                        from_state=NOTHING, to_state=State.SUBMITTED,
                        actor_unit=receiving_unit if is_desk else None,
                        data={"channel": int(channel), "documents": len(rows)})]
    # The desk's answers about the papers (not applicable, conditions, look-ups) in the log.
    answered = papers_event_fields(required=by_pk, checks=checks)
    if answered:
        events.append(event_new(dossier=dossier, seq=2, action=PAPERS_EVENT, actor=actor, at=at,
                                from_state=State.SUBMITTED, to_state=State.SUBMITTED,
                                actor_unit=receiving_unit if is_desk else None,
                                reason=answered[0], data=answered[1]))
    steps: list[DossierStep] = []
    try:
        with transaction.atomic():
            if accept:
                ctx = transition_unsaved(
                    dossier=dossier, actor=actor, action="accept", at=at,
                    cal=calendar_for_unit(receiving_unit, version=versions[1]))
                steps = ctx.new_steps
                events.append(event_new(
                    dossier=dossier, seq=len(events) + 1, action="accept", actor=actor, at=at,
                    from_state=State.SUBMITTED, to_state=dossier.state,
                    actor_unit=ctx.actor_unit, step=ctx.step, to_unit=ctx.to_unit,
                    to_user=ctx.to_user, timing=ctx.timing, data=ctx.event_data))
            _insert(dossier, rows=rows, steps=steps, events=events, actor=actor,
                    key=idempotency_key, request_hash=request_hash, at=at)
    except _KeyTaken:
        # The key was used before (or by a concurrent retry that committed first): the first
        # dossier is the answer; this transaction, with its number, rolled back.
        return _replay(actor, idempotency_key, request_hash), False
    return dossier, True


def _unit_cached(unit_id: int, catalogue: tuple) -> Unit:
    """The receiving unit `unit_id` from the reference cache (dossiers/reference.py)."""
    unit = reference_unit(unit_id, catalogue)
    if unit is None:
        raise DomainError("invalid", "Đơn vị tiếp nhận không tồn tại.", "Unknown unit.",
                          fields={"receiving_unit": ["Không tồn tại."]})
    return unit


class _KeyTaken(Exception):
    """The Idempotency-Key is already recorded: roll the filing back and answer the first one."""


def _insert(dossier: Dossier, *, rows: list[DossierDocument], steps: list[DossierStep],
            events: list[DossierEvent], actor: User, key: str, request_hash: str,
            at: datetime) -> None:
    """Write a new dossier, built in memory in its final state, inside the caller's transaction.

    The ids are taken first (dossiers/ids.py), so every row is inserted once and in the order
    that keeps the hot rows locked for the shortest time: the Idempotency-Key first (a retry stops
    there), the papers, steps and events, then the desk's daily code counter, the dossier row
    with its final code, and the event consumers (outbox, notifications, and the service-index
    counters last, settings.MOTCUA_EVENT_CONSUMERS) just before the commit. The foreign keys are
    checked at commit (deferred), so a paper may be inserted before its dossier.
    """
    # With the Idempotency-Key recorded for it by the same statement on PostgreSQL: a retry
    # stops there.
    dossier.pk, step_ids, paper_ids, event_ids, claimed = ids_reserve(
        steps=len(steps), papers=len(rows), events=len(events),
        key=(actor.pk, key, request_hash) if key else None)
    if not claimed:
        raise _KeyTaken
    # Every id known, the rows are written by statements that return nothing, joined into one
    # on PostgreSQL (motcua/prepared.py writes_joined): the papers, steps, access rows and
    # events; then, after the code, the dossier row with the consumers' rows.
    with writes_joined():
        # Ids and keys put as Django's descriptors put them (motcua/prepared.py related_set).
        for row, pk in zip(rows, paper_ids, strict=True):
            row.__dict__["id"] = pk
            related_set(row, "dossier", dossier)
        rows_insert(rows)
        for step, pk in zip(steps, step_ids, strict=True):
            step.__dict__["id"] = pk
            related_set(step, "dossier", dossier)
        rows_insert(steps)
        if steps:
            related_set(dossier, "current_step", steps[0])
        # The receiving, competent and current units (and the plan's, received at once) see it.
        access_grant(dossier=dossier, units=dossier_access_units(dossier, steps), new=True)
        for event, pk in zip(events, event_ids, strict=True):
            event.pk = event.id = pk
        events_insert_new(events=events)
    # The papers and steps are what the snapshot for the portal and the answer show: held, not
    # read again (dossiers.selectors.dossier_details_load finds them loaded).
    related_hold(dossier, "documents", rows)
    related_hold(dossier, "steps", steps)
    late = event_consumers_code_late()
    if not late:
        # A consumer reads the code itself: taken now, by a statement of its own.
        dossier.code = dossier_code_generate(unit=dossier.receiving_unit, at=at)
    with writes_joined(commit=True):
        # On PostgreSQL a token until the block's statement takes the number (dossiers/codes.py
        # `dossier_code_last`): the counter's row is locked by the filing's last statement only.
        token = dossier.code = (dossier_code_last(unit=dossier.receiving_unit, at=at) if late
                                else dossier.code)
        # Inserted by a statement whose text is built once (motcua/prepared.py), as save would.
        dossier.name_folded()
        rows_insert([dossier])
        # Consumers may rely on it: this dossier has no earlier rows of theirs to number after.
        dossier.created_now = True
        events_consume(dossier=dossier, events=events)
    if token.startswith(PROVISIONAL_CODE_PREFIX):
        dossier.code = value_taken(token)


def _replay(actor: User, key: str, request_hash: str) -> Dossier | None:
    row = IdempotencyKey.objects.filter(user=actor, key=key).select_related("dossier").first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise DomainError("idempotency_key_reused",
                          "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.",
                          "This Idempotency-Key was used for a different request.",
                          http_status=409)
    return row.dossier
