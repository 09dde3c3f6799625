"""Online submission (channel 2): drafts, submission through intake, supplements from the applicant.

A draft (OnlineDraft) holds what the applicant typed and uploaded until they press "Nộp hồ sơ";
only then does `dossier_create` make a dossier in state 1 (submitted), so a draft never has a
code, never shows in a desk's inbox and never counts in the service index. Files move from the
draft to the dossier's papers in the same transaction as the creation.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accounts.models import Unit, User
from catalog.models import Channel, Procedure, RequiredDocument, Variant
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierFile,
    IdempotencyKey,
    OnlineDraft,
    State,
)
from dossiers.selectors import dossier_is_own
from dossiers.services.files import (
    file_store,
    files_check,
    files_discard,
    files_sort,
    stored_bytes,
)
from dossiers.services.intake import (
    APPLICANT_FIELDS,
    APPLICANT_LABELS,
    APPLICANT_RULES,
    dossier_create,
)
from dossiers.services.transitions import dossier_act
from motcua import inputs
from motcua.errors import DomainError, NotAllowed

DRAFT_FIELDS = ("summary", "return_method")
Upload = tuple[int | None, Any]


ONLINE_PURPOSE = "Điền sẵn thông tin người nộp hồ sơ trực tuyến"


def applicant_prefill(user: User) -> dict[str, Any]:
    """What is already known about the applicant (once-only principle).

    First the account (accounts.selectors.applicant_prefill: what the person entered or VNeID
    vouched for); then, for a citizen whose personal ID is proven (VNeID or a desk officer) and
    whose address the account lacks, the national population database through the sync app's
    adapter (the lookup is logged with its purpose). A number merely typed into the account
    looks nobody up (issue #17). When the database does not answer, the citizen types.
    """
    from accounts.selectors import applicant_prefill as accounts_prefill
    from accounts.selectors import proven_personal_id

    data = {k: v for k, v in dict(accounts_prefill(user) or {}).items()
            if k in APPLICANT_FIELDS and v not in (None, "")}
    if data.get("kind", 1) == 1 and data.get("id_number") and not data.get("address") \
            and data["id_number"] == proven_personal_id(user):
        try:
            from sync.population import citizen_lookup
        except ImportError:  # an installation without the sync app
            return data
        try:
            citizen = citizen_lookup(actor=user, personal_id=data["id_number"],
                                     purpose=ONLINE_PURPOSE)
        except DomainError:
            return data
        if citizen is not None:
            if citizen.address:
                data["address"] = citizen.address
            data.setdefault("name", citizen.full_name)
    return data


def _check_applicant_account(user: User) -> None:
    if user.kind == User.Kind.STAFF:
        raise NotAllowed("permission_denied",
                         "Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy nhập hồ sơ tại quầy.",
                         "Staff accounts enter dossiers at the counter, not online.",
                         http_status=403)


def online_receiving_units(procedure: Procedure) -> list[Unit]:
    """Where an online dossier of `procedure` may be sent: desks of the competent unit's province.

    Since 07/2025 a province's centre accepts any procedure of the province's list (domain.md
    §1), so every receiving unit of that province is offered, the competent unit's first.
    """
    qs = Unit.objects.filter(receives_dossiers=True, is_active=True)
    competent = procedure.competent_unit
    if competent is not None and competent.province_id:
        same = qs.filter(province_id=competent.province_id)
        if same.exists():
            qs = same
    units = list(qs.order_by("name")[:500])
    kind_rank = {Unit.Kind.CENTRE: 0}
    units.sort(key=lambda u: (u.pk != getattr(competent, "pk", None), kind_rank.get(u.kind, 1),
                              u.name))
    return units


def draft_start(*, user: User, variant: Variant, receiving_unit: Unit) -> OnlineDraft:
    """A new draft for `variant`, the applicant's data pre-filled from the account."""
    _check_applicant_account(user)
    procedure = variant.procedure
    if not procedure.is_active:
        raise DomainError("procedure_inactive", "Thủ tục này không còn được áp dụng.",
                          "This procedure version is no longer in force.")
    if procedure.online_level == Procedure.OnlineLevel.INFORMATION:
        raise DomainError("not_online", "Thủ tục này chưa cung cấp dịch vụ công trực tuyến.",
                          "This procedure cannot be filed online.")
    if not receiving_unit.receives_dossiers:
        raise DomainError("unit_not_receiving", f"{receiving_unit.name} không tiếp nhận hồ sơ.",
                          "This unit does not receive dossiers.",
                          fields={"receiving_unit": ["Đơn vị không có bộ phận một cửa."]})
    return OnlineDraft.objects.create(user=user, variant=variant, receiving_unit=receiving_unit,
                                      data={"applicant": applicant_prefill(user),
                                            "summary": "", "return_method": ""})


def _own_draft(user: User, draft: OnlineDraft) -> None:
    if draft.user_id != user.pk:
        raise NotAllowed("not_found", "Không tìm thấy hồ sơ nháp.", "Draft not found.",
                         http_status=404)


def resolve_uploads(variant: Variant,
                    uploads: Iterable[Upload]) -> list[tuple[RequiredDocument, Any]]:
    required = {d.pk: d for d in variant.documents.all()}
    resolved = []
    for doc_id, upload in uploads:
        doc = required.get(doc_id) if doc_id is not None else None
        if doc is None:
            raise DomainError("invalid", "Tệp phải gắn với một giấy tờ trong thành phần hồ sơ.",
                              "Each file must belong to a paper of the chosen case.",
                              fields={"files": [getattr(upload, "name", "")]})
        resolved.append((doc, upload))
    return resolved


def _uuid_or_none(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def draft_save(*, user: User, draft: OnlineDraft, data: dict[str, Any] | None = None,
               uploads: Iterable[Upload] = (), remove: Iterable[str] = (),
               written: list[str] | None = None) -> OnlineDraft:
    """Keep what was typed and uploaded; files are checked by content before anything is kept.

    `written` collects the stored file names for a caller whose own transaction may still roll
    back (and must then remove them).
    """
    _own_draft(user, draft)
    if draft.submitted_dossier_id:
        raise NotAllowed("draft_submitted", "Hồ sơ nháp này đã được nộp.",
                         "This draft was already submitted.")
    written = [] if written is None else written
    # What was typed is cleaned and measured first; text over a limit is not stored, but the
    # files chosen beside it are, and the error names the field (issue #16).
    typed, typed_error = None, None
    if data is not None:
        try:
            typed = _draft_data(data)
        except DomainError as error:
            typed_error = error
    try:
        with transaction.atomic():
            removed = [t for t in (_uuid_or_none(r) for r in remove) if t]
            if removed:
                for row in draft.files.filter(token__in=removed):
                    _file_delete_on_commit(row)
                    row.delete()
            # The good files of a batch are kept even when another is refused: the person
            # then chooses again only the refused one.
            checked, refused = files_sort(resolve_uploads(draft.variant, uploads),
                                          existing_bytes=stored_bytes(draft=draft))
            for item in checked:
                file_store(item, actor=user, purpose=DossierFile.Purpose.SUBMISSION,
                           written=written, draft=draft)
            if typed is not None:
                draft.data = dict(draft.data) | typed
            draft.save()
    except Exception:
        files_discard(written)
        raise
    # Raised after the commit: the good files (and the text, when it was within its limits)
    # are saved.
    errors = [e for e in (typed_error, refused) if e is not None]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DomainError("invalid", " ".join(e.message for e in errors),
                          " ".join(e.message_en for e in errors),
                          fields={k: v for e in errors for k, v in e.fields.items()})
    return draft


def _draft_data(data: dict[str, Any]) -> dict[str, Any]:
    """A draft keeps what was typed, cleaned and within the limits; whether it is complete (a
    valid ID, a real phone number) is judged at submission."""
    raw = {k: "" if v is None else v for k, v in (data.get("applicant") or {}).items()
           if k in APPLICANT_FIELDS}
    typed: dict[str, Any] = {"applicant": inputs.inputs_clean(
        raw, {k: APPLICANT_RULES.get(k, inputs.SHORT_LINE) for k in raw},
        prefix="applicant.", labels=APPLICANT_LABELS, complete=False)}
    typed.update(inputs.inputs_clean(
        {key: data.get(key) or "" for key in DRAFT_FIELDS},
        {"summary": inputs.SUMMARY, "return_method": inputs.SHORT_LINE},
        labels={"summary": ("nội dung yêu cầu", "request"),
                "return_method": ("hình thức nhận kết quả", "return method")},
        complete=False))
    return typed


# Rows of the published lists that are remarks, not papers ("Lưu ý: trường hợp nộp trực tiếp…");
# the importer keeps them among the papers, so the form shows them as notes and never asks a
# file for them.
NOTE_PREFIXES = ("lưu ý", "ghi chú", "chú ý")


def is_note(doc: RequiredDocument) -> bool:
    return doc.name.strip().lower().startswith(NOTE_PREFIXES)


def papers_missing(documents: list[RequiredDocument], have: set[int]) -> list[str]:
    """Mandatory papers not given; one paper of an alternatives group is enough, and so is one
    case heading's set of papers.

    The published lists often put the papers of several cases under headings ("* Gia hạn tạm
    trú theo danh sách, hồ sơ gồm:" …, kept in RequiredDocument.section): the applicant files
    the papers of the heading that fits them, not of every heading. Papers without a heading
    are due in every case.
    """
    def missing_of(docs: list[RequiredDocument]) -> list[str]:
        groups_done = {d.alternative_group for d in docs
                       if d.alternative_group and d.pk in have}
        # A paper needed only in a case, or whose data the agency looks up, is not demanded
        # online; the desk asks for it when it receives the dossier if the case applies
        # (dossiers/services/papers.py).
        return [d.name for d in docs if not d.optional and d.pk not in have
                and not d.condition and not d.lookup
                and not (d.alternative_group and d.alternative_group in groups_done)]

    documents = [d for d in documents if not is_note(d)]
    sections = list(dict.fromkeys(d.section for d in documents if d.section))
    if len(sections) < 2:
        return missing_of(documents)
    common = [d for d in documents if not d.section]
    options = [missing_of(common + [d for d in documents if d.section == s]) for s in sections]
    # The heading the applicant has given papers for; otherwise the one needing the fewest.
    started = [i for i, s in enumerate(sections)
               if any(d.pk in have for d in documents if d.section == s)]
    pool = started or range(len(sections))
    return min((options[i] for i in pool), key=len)


def draft_missing(draft: OnlineDraft) -> list[str]:
    """Mandatory papers with no file yet."""
    have = set(draft.files.values_list("required_document_id", flat=True))
    return papers_missing(list(draft.variant.documents.all()), have)


def draft_submit(*, user: User, draft: OnlineDraft, idempotency_key: str = "") -> Dossier:
    """Submit the draft: the dossier is created in state 1 and the files become its papers."""
    _own_draft(user, draft)
    if draft.submitted_dossier_id:
        # A second press of the button (or a retried request): the dossier already exists.
        return draft.submitted_dossier
    missing = draft_missing(draft)
    if missing:
        raise DomainError("documents_missing", "Chưa tải lên giấy tờ bắt buộc: "
                          + "; ".join(missing) + ".", "Mandatory documents are missing.",
                          fields={"documents": missing})
    files = list(draft.files.select_related("required_document"))
    by_doc: dict[int, list[DossierFile]] = {}
    for f in files:
        by_doc.setdefault(f.required_document_id, []).append(f)
    documents = [{"required_document": doc_id, "count": 1} for doc_id in by_doc]
    with transaction.atomic():
        locked = OnlineDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.submitted_dossier_id:
            return locked.submitted_dossier
        data = locked.data or {}
        dossier, _created = dossier_create(
            actor=user, variant=locked.variant, channel=Channel.ONLINE,
            receiving_unit=locked.receiving_unit, applicant=dict(data.get("applicant") or {}),
            documents=documents, summary=data.get("summary", ""),
            return_method=data.get("return_method", ""), idempotency_key=idempotency_key)
        # The dossier's papers come in the order they were given; matched by position, since a
        # draft opened under an older procedure version names that version's papers
        # (dossier_create files it under the version in force, dossiers/services/intake.py).
        for doc, doc_id in zip(dossier.documents.all(), by_doc, strict=True):
            for f in by_doc[doc_id]:
                f.draft = None
                f.dossier = dossier
                f.document = doc
                f.save(update_fields=["draft", "dossier", "document"])
        locked.submitted_dossier = dossier
        locked.save(update_fields=["submitted_dossier", "updated_at"])
    return dossier


def dossier_submit_online(*, user: User, variant: Variant, receiving_unit: Unit,
                          data: dict[str, Any], uploads: Iterable[Upload],
                          idempotency_key: str = "") -> tuple[Dossier, bool]:
    """One-call submission (the API): a draft made, filled and submitted in one transaction."""
    if idempotency_key:
        found = IdempotencyKey.objects.filter(user=user, key=idempotency_key).first()
        if found is not None:
            return found.dossier, False
    written: list[str] = []
    try:
        with transaction.atomic():
            draft = draft_start(user=user, variant=variant, receiving_unit=receiving_unit)
            draft_save(user=user, draft=draft, data=data, uploads=uploads, written=written)
            dossier = draft_submit(user=user, draft=draft, idempotency_key=idempotency_key)
    except Exception:
        files_discard(written)
        raise
    return dossier, True


def draft_delete(*, user: User, draft: OnlineDraft) -> None:
    _own_draft(user, draft)
    with transaction.atomic():
        for row in draft.files.all():
            _file_delete_on_commit(row)
        draft.delete()


def _file_delete_on_commit(row: DossierFile) -> None:
    """Remove `row`'s stored file once the transaction deleting the row commits. Removed at
    once, a rollback after it (a database error later in the same save, the caller's own
    transaction) kept the row and lost its file: the draft then listed a paper whose download
    failed, and the person believed it uploaded."""
    storage, name = row.file.storage, row.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def supplement_submit(*, user: User, dossier: Dossier, uploads: Iterable[Upload],
                      note: str = "") -> Dossier:
    """The applicant answers a supplement request online: files attached, then `supplement`.

    The clock resumes in dossier_act (the pause ends, the due moments move by the paused working
    time); files and state change commit together or not at all.
    """
    uploads = list(uploads)
    if dossier.state != State.SUPPLEMENT_REQUESTED:
        raise NotAllowed("invalid_transition", "Hồ sơ không ở trạng thái chờ bổ sung.",
                         "The dossier is not waiting for a supplement.")
    if not dossier_is_own(dossier, user):
        raise NotAllowed("permission_denied", "Chỉ người nộp hồ sơ mới bổ sung trực tuyến.",
                         "Only the applicant supplements online.", http_status=403)
    if not uploads:
        raise DomainError("invalid", "Cần tải lên ít nhất một tệp giấy tờ bổ sung.",
                          "At least one file is required.", fields={"files": ["Bắt buộc."]})
    resolved = resolve_uploads(dossier.variant, uploads)
    written: list[str] = []
    try:
        with transaction.atomic():
            checked = files_check(resolved, existing_bytes=stored_bytes(dossier=dossier))
            for item, doc in _papers_for(dossier, checked):
                file_store(item, actor=user, purpose=DossierFile.Purpose.SUPPLEMENT,
                           written=written, dossier=dossier, document=doc)
            dossier = dossier_act(dossier=dossier, actor=user, action="supplement",
                                  reason=note.strip(),
                                  data={"files": [c.name for c in checked]})
    except Exception:
        files_discard(written)
        raise
    return dossier


def _papers_for(dossier: Dossier, checked: list) -> list[tuple[Any, DossierDocument]]:
    """Each checked file with the dossier's paper row it belongs to; a paper of the published
    list that the dossier did not have yet gets its row now."""
    docs = {d.required_document_id: d for d in dossier.documents.all() if d.required_document_id}
    out = []
    for item in checked:
        req = item.required_document
        if req.pk not in docs:
            docs[req.pk] = DossierDocument.objects.create(
                dossier=dossier, required_document=req, name=req.name, copy_kind=req.copy_kind)
        out.append((item, docs[req.pk]))
    return out


def counter_files_attach(*, actor: User, dossier: Dossier,
                         uploads: Iterable[Upload]) -> list[DossierFile]:
    """Scans made at the desk, attached to the dossier's papers (digitised, domain.md §10)."""
    from accounts.models import Role
    from accounts.selectors import user_has_role

    if not user_has_role(actor, unit_id=dossier.receiving_unit_id, role=Role.RECEIVING):
        raise NotAllowed("permission_denied", "Chỉ cán bộ tiếp nhận của đơn vị mới đính kèm "
                         "bản quét.", "Only the receiving desk attaches scans.", http_status=403)
    resolved = resolve_uploads(dossier.variant, uploads)
    written: list[str] = []
    rows = []
    try:
        with transaction.atomic():
            checked = files_check(resolved, existing_bytes=stored_bytes(dossier=dossier))
            for item, doc in _papers_for(dossier, checked):
                if not doc.digitised:
                    doc.digitised = True
                    doc.save(update_fields=["digitised"])
                rows.append(file_store(item, actor=actor, purpose=DossierFile.Purpose.SCAN,
                                       written=written, dossier=dossier, document=doc,
                                       digitised=True))
    except Exception:
        files_discard(written)
        raise
    return rows
