"""Everything that writes a result or the data store. Views, the API and the event consumer call
these and nothing else."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import PersonalDataAccess, Role, Unit, User
from accounts.selectors import proven_ids, user_has_role, user_roles
from accounts.services.data_access import personal_data_read
from dossiers.deadlines import TZ
from dossiers.models import Dossier, DossierDocument, DossierEvent
from dossiers.printing.pdf import place_name
from motcua.errors import DomainError
from motcua.prepared import held_writes_kept, row_new
from results.documents import ResultFacts, ResultType, result_name
from results.drafting import (
    DIGITISE_EVENT,
    dossier_owner,
    draft_issued_as_uploaded,
    event_in_step,
    issuing_unit,
    result_facts,
    result_kind,
)
from results.lock_reads import (
    MISSING,
    REFERENCE,
    lock_read,
    lock_reads_drop,
    lock_versions,
    results_lock_reads,
)
from results.models import DocumentReuse, ResultDraft, StoredDocument
from results.numbering import result_number_next, result_numbered
from results.rendering import facts_dump, result_pdf, stored_file_put
from results.signature_blocks import signature_block_for
from results.signing import (
    SignedPdf,
    form_signers_or_refuse,
    pdf_sign,
    seal_or_refuse,
    signers_for,
    timestamp_add,
)
from results.storing import NumberPending, stored_write
from results.verification import pdf_readable

log = logging.getLogger(__name__)


_VERIFY_MARKER = "00000000-0000-0000-0000-000000000000"
_VERIFY_PATHS: dict[tuple, tuple[str, str]] = {}


def verify_url(uid: uuid.UUID | str) -> str:
    """Where the QR code of a document leads: its public verification page. The path is
    reversed once per URL configuration, script prefix and language (a reverse walks the
    resolver on every call: about 1 % of an approval's Python, issue #18) and the code put in
    the marker's place."""
    base = getattr(settings, "MOTCUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    key = (get_urlconf(), get_script_prefix(), get_language())
    parts = _VERIFY_PATHS.get(key)
    if parts is None:
        head, tail = reverse("results:verify_document", args=[_VERIFY_MARKER]).split(
            _VERIFY_MARKER)
        parts = _VERIFY_PATHS[key] = (head, tail)
    return base + parts[0] + str(uid) + parts[1]


def _store_file(stored: StoredDocument, signed: SignedPdf) -> None:
    stored_file_put(stored, signed.content, signatures=signed.signatures,
                    timestamped=signed.timestamped)


@dataclass(frozen=True)
class Prepared:
    """A result rendered and signed before the approval's transaction (drafting.draft_sign), or
    inside it (result_issue). `signed` is None for a result no one signs: it is rendered after
    the approval commits, from `facts` (results/rendering.py)."""

    draft_pk: int | None
    uid: uuid.UUID
    at: datetime
    issuer: Unit
    facts: ResultFacts
    kind: ResultType
    signed: SignedPdf | None
    uploaded: bool = False


# The result signed for the approval now being committed; the results consumer stores it
# instead of signing inside the transaction (set by `presigned`, read by results_on_event).
_PRESIGNED: ContextVar[Prepared | None] = ContextVar("results_presigned", default=None)


@contextmanager
def presigned(prepared: Prepared) -> Iterator[None]:
    token = _PRESIGNED.set(prepared)
    try:
        yield
    finally:
        _PRESIGNED.reset(token)


def _symbol(issuer: Unit, block) -> str:
    from dossiers.numbering import unit_abbreviation

    return (block.symbol if block else None) or unit_abbreviation(issuer)


def signer_block(issuer: Unit, actor: User | None, *, version: Any = MISSING):
    """The signature block `actor` signs with for `issuer` (None: the local configuration).
    `version`: the reference version read with the dossier's lock (results/lock_reads.py), under
    which this worker keeps the blocks it read."""
    if actor is None:
        return None
    if version is MISSING:
        return signature_block_for(unit=issuer, signer=actor)
    return signature_block_for(unit=issuer, signer=actor, version=version)


def _number_kept(*, dossier: Dossier, draft: ResultDraft | None, tail: str, at: datetime,
                 versions: list[ResultDraft] | None) -> str | None:
    """The number an earlier signing attempt of this dossier took and never used, when it is of
    the same kind, unit symbol and year (`tail` "/QĐ-STP"): used again, so a retry never
    numbers twice and the register keeps no gap for it (Decree 30/2020, Article 15). Taken off
    the version that held it when another one uses it. None: a number is to be taken."""
    if draft is None:
        return None
    if versions is not None:
        earlier = [v for v in versions if v.stored_id is None and v.number]
        if not earlier:
            # None kept a number (an approval's usual case): no year to work out.
            return None
    else:
        earlier = (ResultDraft.objects.select_for_update()
                   .filter(dossier=dossier, stored__isnull=True).exclude(number="")
                   .order_by("-version"))
    year = at.astimezone(TZ).year
    for held in earlier:
        if held.number.endswith(tail) and held.number_taken_at \
                and held.number_taken_at.astimezone(TZ).year == year:
            number = held.number
            if held.pk != draft.pk:
                held.number, held.number_taken_at = "", None
                held.save(update_fields=["number", "number_taken_at"])
            return number
    return None


def result_number_take(*, dossier: Dossier, draft: ResultDraft | None, issuer: Unit,
                       block, at: datetime, keep: bool = True,
                       versions: list[ResultDraft] | None = None) -> str:
    """The number the result of `draft` will carry, taken now in the caller's transaction.

    A number this dossier took for an earlier signing that never completed (the service timed
    out, the head retried or sent the version back) is used again when it is of the same kind,
    unit symbol and year (`_number_kept`).

    `keep=False`: the number is set on `draft` in memory only, for a caller that saves the draft
    in the same transaction anyway (result_store, when the result is issued there).
    `versions`: the dossier's versions, latest first, read by the caller under the
    dossier's lock (not read again).
    """
    # Only the kind is needed for the number, not what the result prints.
    suffix, symbol = result_kind(dossier, draft).suffix, _symbol(issuer, block)
    number = _number_kept(dossier=dossier, draft=draft, tail=f"/{suffix}-{symbol}", at=at,
                          versions=versions)
    if number is None:
        number = result_number_next(unit=issuer, suffix=suffix, at=at, symbol=symbol)
    if draft is None:
        return number
    draft.number, draft.number_taken_at = number, at
    if keep:
        draft.save(update_fields=["number", "number_taken_at"])
    return number


def result_prepare(*, dossier: Dossier, at: datetime, issuer: Unit, block, number: str,
                   draft: ResultDraft | None = None,
                   signer_list: list | None = None) -> Prepared:
    """Render and sign (head, then seal) the result with `number`; writes nothing to the
    database, so it may run outside any transaction while a remote service signs.

    `draft` is the version the head signed through the confirmation page (drafting.py); without
    one the procedure's template is issued as it stands. The rendering is the preview's own
    (results/documents.py), with the number and the verification code filled in and no
    "DỰ THẢO" mark. `signer_list`: who signs, when the caller knows already (else asked here).
    """
    uid = uuid.uuid4()
    planned = result_facts(dossier, at=at, uid=str(uid), number=number,
                           verify_url=verify_url(uid), block=block, draft=draft, issuer=issuer)
    facts, kind = planned.facts, planned.kind
    uploaded = draft_issued_as_uploaded(draft)
    # Who signs is known before anything is drawn (and a refusal costs no rendering).
    if signer_list is None:
        signer_list = signers_for(issuer.code, block)
    if not signer_list:
        # No one signs: nothing has to happen to the file before the approval commits, so it is
        # rendered after, from these facts, by the same function (results/rendering.py).
        return Prepared(draft.pk if draft else None, uid, at, issuer, facts, kind, None,
                        uploaded=uploaded)
    pdf = result_pdf(facts, kind, draft if uploaded else None)
    signed = pdf_sign(pdf, signer_list=signer_list,
                      reason=f"Ban hành {facts.title} số {facts.document_number}",
                      location=place_name(issuer) or issuer.name)
    return Prepared(draft.pk if draft else None, uid, at, issuer, facts, kind, signed,
                    uploaded=uploaded)


def result_store(prepared: Prepared, *, dossier: Dossier, actor: User | None,
                 draft: ResultDraft | None,
                 pending: NumberPending | None = None) -> StoredDocument:
    """Keep a prepared result in the owner's store; call inside the approving transaction.

    The file is written before the commit; if the transaction rolls back afterwards the file
    stays behind with a random name and no row (see docs/results.md, "orphan files"). A result
    no one signs is kept with what it prints and no file yet: rendered after the commit
    (results/rendering.py). `pending`: it is stored unnumbered, its number taken after the
    commit (results/numbering.py).
    """
    facts, kind, signed = prepared.facts, prepared.kind, prepared.signed
    # Built as StoredDocument(...) builds it, without Model.__init__'s walk (motcua/prepared.py).
    stored = row_new(
        StoredDocument, uid=prepared.uid, kind=StoredDocument.Kind.RESULT, result_type=kind.key,
        title=facts.title, result_code=facts.result_code,
        document_number=facts.document_number, issuer_unit=prepared.issuer,
        signer_name=facts.signer_name, signer_title=facts.signer_title,
        issued_at=prepared.at, valid_until=facts.valid_until,
        owner_id_number=facts.owner_id_number, owner_name=facts.owner_name, dossier=dossier,
        procedure_code=dossier.procedure.code, created_by=actor,
    )
    if signed is None:
        stored.facts = facts_dump(facts, uploaded=prepared.uploaded)
    else:
        _store_file(stored, signed)
    if draft is not None:
        draft.status = ResultDraft.Status.SIGNED
        draft.reviewed_by, draft.reviewed_at = actor, prepared.at
        if pending is not None:
            draft.number_taken_at = prepared.at
    # The stored row and the version (with the number it was issued under, taken in this
    # transaction or kept from the confirmation page's first move, or none yet) in one statement.
    stored_write(stored, draft=draft, pending=pending)
    if signed is not None and signed.signatures and settings.MOTCUA_TSA_URL:
        # The TSA is another system: ask it after the commit, never while the dossier is locked.
        transaction.on_commit(lambda: stored_document_timestamp(pk=stored.pk))
    return stored


def result_issue(*, dossier: Dossier, actor: User | None, at: datetime,
                 unit: Unit | None = None, draft: ResultDraft | None = None,
                 versions: list[ResultDraft] | None = None,
                 reference: Any = MISSING) -> StoredDocument:
    """Number, render, sign and store the result of `dossier` inside the approving transaction,
    which it joins: a failure undoes the approval and frees the number. A result no one signs is
    stored here unnumbered, and numbered and rendered after the commit (results/numbering.py,
    results/rendering.py).

    Only an approval that was not signed beforehand comes here (the API naming a draft, a
    procedure whose catalogue entry names no result document); the head's confirmation page
    signs first, outside the transaction (drafting.draft_sign).

    `versions`: the dossier's draft versions, latest first, as the caller read them under the
    dossier's lock.
    `reference`: the reference version read with the dossier's lock (results/lock_reads.py).
    """
    issuer = unit or issuing_unit(dossier)
    with held_writes_kept():
        # Read (once per worker and reference version) before the action's held writes are
        # sent: they write no signature block.
        block = signer_block(issuer, actor, version=reference)
    signer_list = signers_for(issuer.code, block)
    if signer_list:
        # The number is printed in what is signed: taken first.
        number = result_number_take(dossier=dossier, draft=draft, issuer=issuer, block=block,
                                    at=at, keep=False, versions=versions)
        prepared = result_prepare(dossier=dossier, at=at, issuer=issuer, block=block,
                                  number=number, draft=draft, signer_list=signer_list)
        return result_store(prepared, dossier=dossier, actor=actor, draft=draft)
    # No one signs: what the result prints is built once, and the number (unless an earlier
    # attempt kept one) is taken after the commit, in the order of issue (results/numbering.py):
    # the approval does not hold its unit's yearly counter row to its commit (issue #18).
    kind = result_kind(dossier, draft)
    tail = f"/{kind.suffix}-{_symbol(issuer, block)}"
    kept = _number_kept(dossier=dossier, draft=draft, tail=tail, at=at, versions=versions)
    if kept is not None:
        draft.number, draft.number_taken_at = kept, at
    prepared = result_prepare(dossier=dossier, at=at, issuer=issuer, block=block,
                              number=kept or "", draft=draft, signer_list=signer_list)
    pending = None if kept is not None else NumberPending(kind.suffix, tail)
    return result_store(prepared, dossier=dossier, actor=actor, draft=draft, pending=pending)


def result_drafted(dossier: Dossier) -> bool:
    """Whether the dossier's result is a document drafted before it is signed: the catalogue
    names the procedure's result (a decision, a certificate, an extract…), which the specialist
    drafts and the head signs as drafted (Decree 30/2020, Article 8)."""
    return bool(result_name(dossier.procedure.result_text))


def results_on_event(*, event: DossierEvent, dossier: Dossier) -> None:
    """Event consumer (settings.MOTCUA_EVENT_CONSUMERS): the head's approval issues the result.

    The head's pages approve only by signing a draft through the confirmation page
    (drafting.draft_sign), which names the version in the event and has signed it already. An
    approval naming no draft where the result is drafted, through the web or the API, is refused
    (400): a result is never signed other than as drafted and confirmed. One naming a draft that
    is not the latest version awaiting signature is refused as stale (409).
    """
    if event.action != "approve":
        # What the lock statement read for results is true of that transaction only.
        lock_reads_drop(dossier)
        return
    reference = lock_read(dossier, REFERENCE)
    draft = None
    draft_id = (event.data or {}).get("result_draft")
    # Its versions, latest first, in one read (the dossier's lock guards them): the latest is
    # the one an approval may name, and the numbers earlier signing attempts kept are among
    # them (result_number_take).
    # Read by the lock statement on PostgreSQL (JSON); elsewhere not read when the lock
    # statement found the dossier has none (drafts are written only under the dossier's lock:
    # none can appear before the commit; results/lock_reads.py `lock_versions`). Read before the
    # action's held writes are sent (they write none of the versions), so that they join the
    # statement storing the result (results/storing.py).
    with held_writes_kept():
        versions = lock_versions(dossier)
    lock_reads_drop(dossier)
    latest = versions[0] if versions else None
    stale = False
    if draft_id is not None:
        if latest is not None and latest.pk == draft_id:
            draft = latest
        elif any(v.pk == draft_id for v in versions):
            stale = True  # a version of this dossier, but not its latest
        else:
            raise DomainError("invalid", "Không có dự thảo kết quả này trong hồ sơ.",
                              "No such result draft in this dossier.",
                              fields={"result_draft": ["Không có dự thảo này."]})
    if draft is None and not stale and (latest is not None or result_drafted(dossier)):
        raise DomainError(
            "draft_required",
            "Chưa thể phê duyệt: kết quả của thủ tục này phải được chuyên viên dự thảo và lãnh đạo "
            "ký từ bản dự thảo (trang “Dự thảo kết quả”; qua API ghi data.result_draft là mã "
            "phiên bản dự thảo mới nhất).",
            "Cannot approve: this procedure's result is drafted by the specialist and signed "
            "from the draft (the “Dự thảo kết quả” page; through the API, data.result_draft is "
            "the id of the latest draft version).",
            fields={"result_draft": ["Bắt buộc."]})
    if stale or (draft is not None and draft.status != ResultDraft.Status.DRAFT):
        raise DomainError("draft_not_confirmed",
                          "Kết quả chỉ được ký từ dự thảo mới nhất, qua trang xác nhận ký.",
                          "A result is signed only from its latest draft, through the "
                          "confirmation page.", http_status=409)
    prepared = _PRESIGNED.get()
    if prepared is not None and draft is not None and prepared.draft_pk == draft.pk:
        stored = result_store(prepared, dossier=dossier, actor=event.actor, draft=draft)
    else:
        stored = result_issue(dossier=dossier, actor=event.actor, at=event.at,
                              unit=event.actor_unit, draft=draft, versions=versions,
                              reference=reference)
    # A result no one signs is numbered after the commit (results/numbering.py): named by its
    # verification code here. Said only where the level lets it through (an installation's
    # default, WARNING, drops it): a callback that says nothing still cost every approval its
    # registration with the transaction (issue #18).
    if log.isEnabledFor(logging.INFO):
        transaction.on_commit(lambda: log.info("Result %s issued for dossier %s",
                                               stored.document_number or stored.uid,
                                               dossier.code))


results_on_event.lock_reads = results_lock_reads


def stored_document_timestamp(*, pk: int) -> bool:
    """Append an RFC 3161 document timestamp to a stored result; False if the TSA failed.

    Runs after the approval committed. A failure leaves the signed result as it is (still valid,
    only without the TSA's time) and is logged; `manage.py results_timestamp` retries.
    """
    stored = StoredDocument.objects.filter(pk=pk, timestamped=False).first()
    if stored is None:
        return True
    try:
        with stored.file.open("rb") as f:
            content = f.read()
        stamped = timestamp_add(content)
    except Exception as e:  # noqa: BLE001 - the TSA's failure must not break the request
        log.warning("Timestamp for result %s failed: %s", stored.uid, e)
        return False
    if stamped is None:
        return False
    with transaction.atomic():
        locked = StoredDocument.objects.select_for_update().get(pk=pk)
        old_name = locked.file.name
        _store_file(locked, SignedPdf(stamped, locked.signatures, timestamped=True))
        locked.save(update_fields=["file", "sha256", "size", "signatures", "timestamped"])
    transaction.on_commit(lambda: locked.file.storage.delete(old_name))
    return True


def digitised_store(*, dossier_document: DossierDocument, content: bytes, actor: User,
                    unit: Unit) -> StoredDocument:
    """A counter officer's scan of a paper (PDF), signed with the unit's seal and kept in the
    owner's store, the paper marked digitised (Decree 45/2020 art. 16; free for the applicant)."""
    if not content.startswith(b"%PDF-"):
        raise DomainError("invalid", "Bản số hóa phải là tệp PDF.",
                          "The digitised copy must be a PDF file.",
                          fields={"file": ["Chỉ nhận tệp PDF."]})
    # Signing parses the whole file: a damaged or crafted one (nesting deep enough to exhaust
    # the parser) is refused here with a message, never a server error.
    if not pdf_readable(content):
        raise DomainError("invalid", "Tệp PDF bị hỏng hoặc có cấu trúc không đọc được; hãy quét "
                          "hoặc xuất lại tệp.", "The PDF is damaged or its structure cannot be "
                          "read.", fields={"file": ["Tệp PDF không đọc được."]})
    dossier = dossier_document.dossier
    # Asked before the seal signs (a signing is the costly part, and may call the remote
    # signing service) and again under the lock below, where it decides.
    if _digitised_copy_exists(dossier, dossier_document):
        raise _already_digitised()
    owner_id, owner_name = dossier_owner(dossier)
    now = timezone.now()
    # The seal alone: a scan is certified by the agency, not signed by a head.
    seal = seal_or_refuse(unit.code)
    signed = pdf_sign(content, signer_list=seal,
                      reason=f"Số hóa bởi {actor.display_name}",
                      location=place_name(unit) or unit.name)
    stored = StoredDocument(
        kind=StoredDocument.Kind.DIGITISED, title=dossier_document.name[:500],
        issuer_unit=unit, signer_name=actor.display_name, signer_title=actor.title,
        issued_at=now, owner_id_number=owner_id, owner_name=owner_name, dossier=dossier,
        procedure_code=dossier.procedure.code, created_by=actor,
    )
    with transaction.atomic():
        # The dossier's row first, as every change of the dossier takes it (dossiers/services/
        # transitions.py): a transition's snapshot for the national portal reads the papers
        # under that lock, so it sees this paper digitised or not, never one step late.
        locked = (Dossier.objects.select_for_update(of=("self",))
                  .select_related("current_step").get(pk=dossier.pk))
        # Once a paper: the page offers the form only while it is not digitised, but a second
        # submission (a double click, two tabs or desks, the API) read it before the first one
        # committed. Asked under the lock; a paper flagged by the desk's scans at intake
        # (dossiers.services.online.counter_files_attach) has no copy in the store yet and
        # may still get one.
        if _digitised_copy_exists(locked, dossier_document):
            raise _already_digitised()
        _store_file(stored, signed)
        stored.save()
        dossier_document.digitised = True
        dossier_document.save(update_fields=["digitised"])
        # One transaction with its event row (Form 05 lists who digitised which paper, when).
        event_in_step(locked, action=DIGITISE_EVENT, actor=actor, at=now, unit=unit,
                      reason=dossier_document.name[:500],
                      data={"document": dossier_document.pk, "stored": str(stored.uid)})
    return stored


def _already_digitised() -> DomainError:
    return DomainError("already_digitised", "Giấy tờ này đã được số hóa vào kho dữ liệu.",
                       "This paper is already digitised into the data store.", http_status=409)


def _digitised_copy_exists(dossier: Dossier, paper: DossierDocument) -> bool:
    """The paper is flagged digitised and the owner's store holds its copy (named by the
    paper, as the dossier page's panel finds it: results/templatetags/results_links.py)."""
    flagged = DossierDocument.objects.filter(pk=paper.pk, digitised=True).exists()
    return flagged and StoredDocument.objects.filter(
        dossier=dossier, kind=StoredDocument.Kind.DIGITISED, title=paper.name[:500]).exists()


def stored_download_logged(actor: User) -> bool:
    """Whether this reader's downloads of stored documents are logged: staff's are, the owner's
    of their own are not. The cross-site guard of the download views asks the same
    (motcua/cross_site.py)."""
    return bool(user_roles(actor))


def stored_download_record(*, actor: User, stored: StoredDocument) -> None:
    """A staff download of a stored document is a read of its owner's personal data (logged;
    accounts.services.data_access). The owner downloading their own is not."""
    if not stored_download_logged(actor):
        return
    personal_data_read(actor=actor, unit=stored.issuer_unit_id, subject=stored.owner_id_number,
                       subject_name=stored.owner_name,
                       action=PersonalDataAccess.Action.RESULT_DOWNLOAD,
                       reference=stored.document_number or str(stored.uid),
                       purpose="Xem giấy tờ trong kho dữ liệu")


def stored_document_reuse(*, stored: StoredDocument, dossier_document: DossierDocument,
                          actor: User | None, at: datetime | None = None) -> DocumentReuse:
    """Use a stored document in place of a paper of a dossier: the paper is marked reused, with
    the result code that replaces it (the national portal's flags, domain.md §10).

    Whose document may be reused is decided by who acts, never by a number typed into the
    dossier (issue #17): the applicant only their own store (their proven personal ID or their
    business's proven enterprise code); the receiving desk the store of the dossier's owner,
    whose identity paper the officer checks at the counter — a read of personal data, logged.
    """
    dossier = dossier_document.dossier
    # The paper is replaced by the result's code, else its number: taken first if the result
    # was approved unnumbered (results/numbering.py).
    result_numbered(stored)
    owner_id, owner_name = dossier_owner(dossier)
    refused = DomainError("not_found", "Không có giấy tờ này trong kho dữ liệu.",
                          "No such stored document.", http_status=404)
    if actor is None or not owner_id or stored.owner_id_number != owner_id:
        raise refused
    desk = user_has_role(actor, unit_id=dossier.receiving_unit_id, role=Role.RECEIVING)
    if not desk and stored.owner_id_number not in proven_ids(actor):
        raise refused
    today = (at or timezone.now()).astimezone(TZ).date()
    if stored.valid_until and stored.valid_until < today:
        raise DomainError("expired", f"Giấy tờ “{stored.title}” đã hết hiệu lực ngày "
                                     f"{stored.valid_until:%d/%m/%Y}.",
                          "The stored document has expired.",
                          fields={"stored": ["Đã hết hiệu lực."]})
    with transaction.atomic():
        if desk:
            personal_data_read(actor=actor, unit=dossier.receiving_unit_id, subject=owner_id,
                               subject_name=owner_name,
                               action=PersonalDataAccess.Action.STORE_REUSE,
                               reference=f"{dossier.code} · {stored.document_number or stored.uid}",
                               purpose="Dùng lại giấy tờ trong kho dữ liệu cho hồ sơ")
        reuse, _ = DocumentReuse.objects.update_or_create(
            dossier_document=dossier_document, defaults={"stored": stored, "actor": actor})
        dossier_document.reused = True
        dossier_document.from_national_store = False
        dossier_document.replacing_result_code = stored.result_code or stored.document_number
        dossier_document.save(update_fields=["reused", "from_national_store",
                                             "replacing_result_code"])
    return reuse


def issued_form_sign(content: bytes, *, unit: Unit, title: str, number: str,
                     signer: User | None = None, signer_name: str = "") -> bytes:
    """Sign a form the agency issues (Form 04, the apology letter the head of agency signs) with
    its named signer's own head signature, when there is one, and the seal; unsigned only where
    signatures are not required (results/signing.py `form_signers_or_refuse`)."""
    signers = form_signers_or_refuse(
        unit.code, actor_pk=signer.pk if signer else None,
        actor_username=signer.get_username() if signer else "", actor_name=signer_name)
    signed = pdf_sign(content, signer_list=signers,
                      reason=f"Ban hành {title}{f' số {number}' if number else ''}",
                      location=place_name(unit) or unit.name)
    return signed.content
