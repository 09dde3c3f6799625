"""Drafting a result, the head's review and the signing confirmation (docs/results.md).

The specialist drafts the result from the procedure's result template, the dossier's data filled
in, editing the subject (trích yếu), the body and the recipients (nơi nhận); or uploads the PDF
(or DOCX, converted when LibreOffice is installed) they prepared, which is then issued as it is
(results/uploaded.py). Every save is a new
version and an event row of the dossier, written in the same transaction under the dossier's
lock. The head reads the preview (the very rendering that issuing signs, marked "DỰ THẢO"), sends
the draft back with a comment (the dossier returns to the specialist's step) or signs it through
the confirmation page: the result is signed from that version first, then the approval and
the stored result are committed together (draft_sign; services.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Role, Unit, User
from accounts.selectors import user_has_role
from catalog.models import Step
from dossiers.deadlines import TZ
from dossiers.models import Dossier, DossierEvent, State
from dossiers.services import dossier_act
from dossiers.services.transitions import allowed_actions
from dossiers.uploads import DOCX, PDF, upload_check
from motcua import inputs
from motcua.errors import DomainError, NotAllowed
from results.documents import (
    ResultFacts,
    ResultType,
    result_name,
    result_render,
    result_type_for,
    template_body,
    template_recipients,
    template_subject,
)
from results.models import ResultDraft, SignatureBlock
from results.signature_blocks import BlockText, signature_block_for

DRAFT_EVENT = "result_draft"
# A counter officer's scan of a paper, signed and kept in the owner's store (results/services.py).
DIGITISE_EVENT = "paper_digitised"
TITLE = inputs.Rule(inputs.Kind.LINE, 300)
SUBJECT = inputs.Rule(inputs.Kind.TEXT, 500)
BODY = inputs.Rule(inputs.Kind.TEXT, 20000)
RECIPIENTS = inputs.Rule(inputs.Kind.TEXT, 2000)
COMMENT = inputs.Rule(inputs.Kind.TEXT, 2000)
LABELS = {"title": ("Tên loại văn bản", "Document type"),
          "subject": ("Trích yếu nội dung", "Subject"),
          "body": ("Nội dung", "Body"), "recipients": ("Nơi nhận", "Recipients")}


def dossier_owner(dossier: Dossier) -> tuple[str, str]:
    """(ID number, name) of whom the result belongs to: the owner when filed by a proxy."""
    if dossier.owner_id_number:
        return dossier.owner_id_number, dossier.owner_name or dossier.applicant_name
    return dossier.applicant_id_number, dossier.applicant_name


def head_step(dossier: Dossier):
    return dossier.steps.filter(role=Step.Role.HEAD).select_related("unit", "assignee") \
        .order_by("-order").first()


def issuing_unit(dossier: Dossier) -> Unit:
    """The unit whose head signs: that of the head's step, else the competent agency."""
    step = head_step(dossier)
    return step.unit if step else dossier.competent_unit


def expected_block(dossier: Dossier, signer: User | None) -> BlockText | None:
    """The signature block the result will carry: `signer`'s, else the head step's assignee's,
    else the first one configured for the issuing unit."""
    unit = issuing_unit(dossier)
    if signer is None:
        step = head_step(dossier)
        signer = step.assignee if step else None
    if signer is None:
        block = (SignatureBlock.objects.filter(unit=unit, active=True)
                 .select_related("signer").order_by("pk").first())
        signer = block.signer if block else None
    return signature_block_for(unit=unit, signer=signer) if signer else None


@dataclass(frozen=True)
class Planned:
    facts: ResultFacts
    kind: ResultType


def result_title(dossier: Dossier, draft: ResultDraft | None) -> str:
    """The result's document type as printed: the draft's, else the catalogue's result."""
    return (draft.title if draft else "") or result_name(dossier.procedure.result_text) \
        or "Kết quả giải quyết thủ tục hành chính"


def result_kind(dossier: Dossier, draft: ResultDraft | None) -> ResultType:
    """The result's kind (its number's suffix, its validity), known without its facts."""
    return result_type_for(result_title(dossier, draft))


def result_facts(dossier: Dossier, *, at: datetime, uid: str, number: str, verify_url: str,
                 block: BlockText | None, draft: ResultDraft | None,
                 preview: bool = False, issuer: Unit | None = None) -> Planned:
    """What the result prints: the same for the preview and the issued document."""
    procedure = dossier.procedure
    title = result_title(dossier, draft)
    kind = result_type_for(title)
    owner_id, owner_name = dossier_owner(dossier)
    valid_until = ((at.astimezone(TZ) + timedelta(days=kind.validity_days)).date()
                   if kind.validity_days else None)
    facts = ResultFacts(
        uid=uid, title=title, result_code=(procedure.result_codes or [""])[0],
        document_number=number, issuer=issuer or issuing_unit(dossier), issued_at=at,
        valid_until=valid_until, owner_name=owner_name, owner_id_number=owner_id,
        owner_address=dossier.applicant_address, procedure_name=procedure.name,
        procedure_code=procedure.code, dossier_code=dossier.code, summary=dossier.summary,
        signer_name=block.name if block else "",
        signer_title=block.title if block else "", verify_url=verify_url,
        subject=draft.subject if draft else "", body=draft.body if draft else "",
        recipients=draft.recipients if draft else "",
        signature_lines=block.lines if block else (),
        issuing_body=block.issuing_body if block else "", draft=preview)
    return Planned(facts, kind)


def draft_initial(dossier: Dossier) -> dict[str, str]:
    """What the drafting form starts with: the latest version, else the procedure's template
    with the dossier's data filled in."""
    latest = draft_latest(dossier)
    if latest is not None:
        return {"title": latest.title, "subject": latest.subject, "body": latest.body,
                "recipients": latest.recipients}
    planned = result_facts(dossier, at=timezone.now(), uid="", number="", verify_url="",
                           block=None, draft=None)
    f = planned.facts
    return {"title": f.title, "subject": template_subject(f),
            "body": template_body(f, planned.kind), "recipients": template_recipients(f)}


def draft_latest(dossier: Dossier) -> ResultDraft | None:
    return dossier.result_drafts.order_by("-version").first()


def may_draft(dossier: Dossier, user: User) -> bool:
    """The specialist of the dossier's current step drafts (processing, not yet decided). Where
    the plan has no specialist's step before the head's (a procedure whose steps say so), the
    head drafts at their own step, or no one could."""
    step = dossier.current_step
    if dossier.state != State.PROCESSING or step is None or step.finished_at is not None:
        return False
    if step.role in (Step.Role.SPECIALIST, Step.Role.COORDINATING):
        return user_has_role(user, unit_id=step.unit_id, role=Role.SPECIALIST)
    if step.role == Step.Role.HEAD and user_has_role(user, unit_id=step.unit_id, role=Role.HEAD):
        return not dossier.steps.filter(
            order__lt=step.order,
            role__in=(Step.Role.SPECIALIST, Step.Role.COORDINATING)).exists()
    return False


def may_review(dossier: Dossier, user: User) -> bool:
    """The head who may approve the dossier now reviews and signs its draft."""
    return "approve" in {t.action for t in allowed_actions(dossier, user)}


def _locked(dossier: Dossier) -> Dossier:
    return (Dossier.objects.select_for_update(of=("self",))
            .select_related("current_step", "procedure", "competent_unit").get(pk=dossier.pk))


def event_in_step(dossier: Dossier, *, action: str, actor: User, at: datetime,
                  unit: Unit | None, reason: str = "", data: dict[str, Any]) -> DossierEvent:
    """An event row that changes no state, of a locked `dossier`: drafting a result or
    digitising a paper is work inside a step, so it is logged (Form 05 lists it) without a
    progress message to the national portal."""
    seq = (dossier.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    return DossierEvent.objects.create(
        dossier=dossier, seq=seq, action=action, at=at, actor=actor,
        actor_name=actor.display_name, actor_unit=unit, from_state=dossier.state,
        to_state=dossier.state, step=dossier.current_step, reason=reason,
        step_due_at=dossier.current_step.due_at if dossier.current_step else None,
        dossier_due_at=dossier.due_at, data=data)


def draft_save(*, dossier: Dossier, actor: User, values: dict[str, Any],
               upload_name: str = "", upload_data: bytes | None = None,
               at: datetime | None = None) -> ResultDraft:
    """A new version of the dossier's draft; refused with the field named if an input is bad."""
    cleaned = inputs.inputs_clean(values, {"title": TITLE, "subject": SUBJECT, "body": BODY,
                                           "recipients": RECIPIENTS}, labels=LABELS)
    missing = [k for k in ("title", "subject", "body") if not cleaned.get(k)]
    if missing:
        raise DomainError("invalid", "Cần ghi: " + ", ".join(LABELS[k][0] for k in missing)
                          + ".", "Required: " + ", ".join(LABELS[k][1] for k in missing) + ".",
                          fields={k: ["Bắt buộc."] for k in missing})
    kind = None
    if upload_data is not None:
        kind = upload_check(upload_name, upload_data)
        if kind not in (PDF, DOCX):
            raise DomainError("invalid", "Tệp dự thảo phải là DOCX hoặc PDF.",
                              "The draft file must be DOCX or PDF.",
                              fields={"upload": ["Chỉ nhận tệp DOCX hoặc PDF."]})
        if kind == DOCX:
            # An uploaded draft is issued as it is, as a signed PDF: a DOCX needs LibreOffice.
            upload_data, kind = _docx_as_pdf(upload_data), PDF
        _pdf_issuable(upload_data)
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(dossier)
        if not may_draft(locked, actor):
            raise NotAllowed("permission_denied",
                             "Chỉ chuyên viên đang xử lý hồ sơ được dự thảo kết quả.",
                             "Only the specialist processing the dossier drafts its result.",
                             http_status=403)
        version = (locked.result_drafts.aggregate(m=Max("version"))["m"] or 0) + 1
        draft = ResultDraft(
            dossier=locked, version=version, title=cleaned["title"],
            subject=cleaned["subject"], body=cleaned["body"],
            recipients=cleaned.get("recipients", ""), author=actor, created_at=at,
            source=ResultDraft.Source.UPLOAD if kind else ResultDraft.Source.TEMPLATE)
        if kind is not None:
            draft.upload_name = upload_name[:255]
            draft.upload.save(f"du-thao.{kind.extension}", ContentFile(upload_data), save=False)
        draft.save()
        event_in_step(locked, action=DRAFT_EVENT, actor=actor, at=at, unit=locked.current_step.unit,
               data={"version": version, "source": draft.source,
                     "upload": draft.upload_name})
    return draft


def _docx_as_pdf(data: bytes) -> bytes:
    from results.uploaded import docx_to_pdf, soffice_path

    if soffice_path() is None:
        raise DomainError(
            "docx_not_convertible",
            "Máy chủ chưa cài LibreOffice nên không chuyển được tệp DOCX thành văn bản PDF để "
            "ký ban hành nguyên văn. Hãy lưu dự thảo thành PDF (Word: Tệp → Lưu thành → PDF) "
            "rồi tải lên tệp PDF.",
            "LibreOffice is not installed on the server, so a DOCX cannot be issued as it is. "
            "Save the draft as PDF and upload the PDF.",
            fields={"upload": ["Hãy tải lên tệp PDF."]})
    converted = docx_to_pdf(data)
    if converted is None:
        raise DomainError("docx_not_convertible",
                          "Không chuyển được tệp DOCX thành PDF; hãy lưu dự thảo thành PDF rồi "
                          "tải lên tệp PDF.", "The DOCX could not be converted; upload a PDF.",
                          fields={"upload": ["Hãy tải lên tệp PDF."]})
    return converted


def _pdf_issuable(data: bytes) -> None:
    """The PDF will be stamped and signed: its structure must be readable and it must have
    pages (a crafted or damaged file is refused here, with a message)."""
    from results.uploaded import page_count, pdf_stamp
    from results.verification import pdf_readable

    ok = pdf_readable(data)
    if ok:
        try:
            # Stamping now what signing will stamp: an encrypted or odd file fails here, with
            # a message to the specialist, not at the head's signature.
            ok = page_count(data) > 0 and bool(pdf_stamp(data, ["Số: …"]))
        except Exception:  # noqa: BLE001 - any parser failure means "not usable"
            ok = False
    if not ok:
        raise DomainError("invalid", "Tệp PDF dự thảo bị hỏng, có mật khẩu hoặc không đọc được; "
                          "hãy xuất lại tệp PDF (không đặt mật khẩu).",
                          "The draft PDF is damaged, encrypted or cannot be read.",
                          fields={"upload": ["Tệp PDF không đọc được."]})


def draft_from_template(*, dossier: Dossier, actor: User, at: datetime | None = None
                        ) -> ResultDraft:
    """A version saved as the template fills it in, unchanged (the demo's settled dossiers)."""
    return draft_save(dossier=dossier, actor=actor, values=draft_initial(dossier), at=at)


def _reviewable(dossier: Dossier, draft: ResultDraft, actor: User) -> None:
    if not may_review(dossier, actor):
        raise NotAllowed("permission_denied",
                         "Chỉ lãnh đạo đang phê duyệt hồ sơ được trả lại hoặc ký dự thảo.",
                         "Only the head approving the dossier reviews or signs its draft.",
                         http_status=403)
    latest = draft_latest(dossier)
    if latest is None or latest.pk != draft.pk or draft.status != ResultDraft.Status.DRAFT:
        raise NotAllowed("stale_draft",
                         "Dự thảo này không còn là bản mới nhất chờ ký; hãy mở lại hồ sơ.",
                         "This draft is not the latest version awaiting signature.")


def draft_return(*, draft: ResultDraft, actor: User, comment: str,
                 at: datetime | None = None) -> ResultDraft:
    """The head sends the draft back with a comment: the dossier returns to the specialist's
    step (the return_step event carries the comment), all in one transaction."""
    try:
        comment = inputs.input_value(comment, COMMENT)
    except inputs.InputRefused as refused:
        raise DomainError("invalid", f"Ý kiến: {refused.problem.message}",
                          f"Comment: {refused.problem.message_en}",
                          fields={"comment": [refused.problem.message]}) from None
    if not comment:
        raise DomainError("reason_required", "Cần ghi ý kiến để chuyên viên sửa dự thảo.",
                          "A comment is required.", fields={"comment": ["Bắt buộc."]})
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(draft.dossier)
        draft = ResultDraft.objects.select_for_update().get(pk=draft.pk)
        _reviewable(locked, draft, actor)
        draft.status = ResultDraft.Status.RETURNED
        draft.review_comment, draft.reviewed_by, draft.reviewed_at = comment, actor, at
        draft.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
        dossier_act(dossier=locked, actor=actor, action="return_step",
                     reason=f"Trả lại dự thảo kết quả phiên bản {draft.version}: {comment}",
                     at=at)
    return draft


def draft_sign(*, draft: ResultDraft, actor: User, confirmed: bool,
               at: datetime | None = None) -> Dossier:
    """The head signs the draft after the confirmation page, in three moves so that no
    signature is asked for while the dossier is locked (a remote-signing service can take as
    long as the head needs to confirm on a phone, or not answer at all):

    1. a short transaction under the dossier's lock checks that this version awaits the head's
       signature and takes its number (or the one an earlier failed attempt took);
    2. the result is rendered and signed, outside any transaction;
    3. a short transaction checks again and writes the approval, its event and the stored
       result together (services.results_on_event stores the signed file).

    A failed or timed-out signature stops after move 1: the dossier, its events and the draft
    are as they were, and the number stays with the version for the retry.
    """
    from results.services import presigned, result_number_take, result_prepare, signer_block
    from results.signing import signers_for

    if not confirmed:
        raise DomainError("confirmation_required",
                          "Hãy đánh dấu xác nhận đã đọc và đồng ý ký văn bản này.",
                          "Tick the confirmation that you have read and sign this document.",
                          fields={"confirm": ["Bắt buộc xác nhận."]})
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked(draft.dossier)
        draft = ResultDraft.objects.select_for_update().get(pk=draft.pk)
        _reviewable(locked, draft, actor)
        issuer = locked.current_step.unit
        block = signer_block(issuer, actor)
        # The server's own certificates are chosen (and one issued to another person refused,
        # results/signing.py own_head_signer) before the number is taken: a refusal writes
        # nothing. A remote service is asked only outside the transaction (move 2).
        signer_list = (signers_for(issuer.code, block)
                       if block is None or block.method != "remote" else None)
        number = result_number_take(dossier=locked, draft=draft, issuer=issuer, block=block,
                                    at=at)
    prepared = result_prepare(dossier=locked, at=at, issuer=issuer, block=block, number=number,
                              draft=draft, signer_list=signer_list)
    with transaction.atomic(), presigned(prepared):
        locked = _locked(draft.dossier)
        draft = ResultDraft.objects.select_for_update().get(pk=draft.pk)
        _reviewable(locked, draft, actor)
        return dossier_act(dossier=locked, actor=actor, action="approve", at=at,
                           data={"result_draft": draft.pk})


def draft_issued_as_uploaded(draft: ResultDraft | None) -> bool:
    """An uploaded draft is issued as it is (results/uploaded.py); its file is always a PDF (a
    DOCX is converted when it is saved, or refused)."""
    return bool(draft is not None and draft.source == ResultDraft.Source.UPLOAD and draft.upload
                and draft.upload.name.lower().endswith(".pdf"))


def draft_preview(*, draft: ResultDraft, viewer: User | None,
                  at: datetime | None = None) -> bytes:
    """The PDF that signing will issue, marked "DỰ THẢO", the number left to assign; dated
    `at` (now: the day it would be signed). An uploaded draft previews as its own pages with
    the box signing fills in."""
    dossier = draft.dossier
    signer = viewer if viewer is not None and may_review(dossier, viewer) else None
    block = expected_block(dossier, signer)
    if draft_issued_as_uploaded(draft):
        from results.uploaded import pdf_stamp, stamp_lines

        with draft.upload.open("rb") as f:
            uploaded = f.read()
        name = " — ".join((*block.lines, block.name)) if block else ""
        return pdf_stamp(uploaded, stamp_lines(
            number=pending_number(dossier, draft, block), issued_at=at or timezone.now(),
            signer=name, uid="", verify_url="", draft=True), draft=True)
    planned = result_facts(dossier, at=at or timezone.now(), uid="(cấp khi ký)",
                           number=pending_number(dossier, draft, block),
                           verify_url="(địa chỉ xác thực cấp khi ký)", block=block,
                           draft=draft, preview=True)
    return result_render(planned.facts, planned.kind)


def pending_number(dossier: Dossier, draft: ResultDraft | None,
                   block: BlockText | None) -> str:
    """“…/QĐ-STP”: the number and symbol as they will read, the number assigned at signing
    (Decree 30/2020, Appendix I, Part I, Section II, item 3)."""
    from dossiers.numbering import unit_abbreviation

    title = (draft.title if draft else "") or result_name(dossier.procedure.result_text)
    kind = result_type_for(title)
    symbol = block.symbol if block else unit_abbreviation(issuing_unit(dossier))
    return f"…/{kind.suffix}-{symbol}"
