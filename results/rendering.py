"""The PDF of a result: rendered from what it prints, and, for a result no one signs, after the
approval has committed (issue #18).

A result the installation signs (head and seal) is rendered and signed before or inside the
approving transaction (services.py, drafting.draft_sign): an approval never exists without its
signature. A result no one signs (an installation without certificates where signatures are not
required, `MOTCUA_SIGNING_REQUIRED` off) needs nothing from the moment of approval but what it
prints, so the approval issues it — number, stored row, event, outbox, notifications, in one
transaction — and keeps those facts on the row (`StoredDocument.facts`) instead of rendering it
while the dossier is locked. Its PDF is then made once, from those facts, by the same function
that renders it at once (`result_pdf`), so the bytes are the ones the approval would have written:

- by `manage.py results_render` (the worker; `--loop` under systemd), soon after the commit;
- or by whoever needs the file first — a download, the verification page, the data store's list,
  the desk returning the result — through `stored_ready`, which renders it then, under the row's
  lock: a second reader waits for the first and finds the file.

Such a result is approved unnumbered (issue #18): both take its number first, in a transaction of
their own, before the row's lock (results/numbering.py), and the worker numbers its whole batch
before rendering it. The citizen and the desk therefore never see a result without its number
and its file.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Unit
from motcua.prepared import Prepared
from results.documents import RESULT_TYPES, ResultFacts, ResultType, result_render
from results.drafting import draft_issued_as_uploaded
from results.lock_reads import MISSING, PENDING, RESULTS, SIGNED, lock_read
from results.models import ResultDraft, StoredDocument
from results.numbering import (
    NUMBER_PENDING,
    number_pending,
    result_numbered,
    results_number_all,
)
from results.uploaded import pdf_stamp, stamp_lines

log = logging.getLogger(__name__)

# The facts a deferred rendering keeps for an uploaded draft issued as it is: the draft's file is
# stamped then (results/uploaded.py), read through the draft that names the stored row.
UPLOADED = "uploaded_draft"
# The issuing unit's name and its parent's as they stood at approval: a unit renamed or merged
# before the deferred rendering must not change what the approval issued.
ISSUER_NAMES = "issuer_names"


def result_pdf(facts: ResultFacts, kind: ResultType, draft: ResultDraft | None) -> bytes:
    """The result's PDF before any signature: the uploaded draft with its stamp, else the
    template's or the drafted text's rendering (results/documents.py)."""
    if draft_issued_as_uploaded(draft):
        # The PDF the specialist prepared is the result: its pages, the number, date and
        # verification code stamped over its top margin (results/uploaded.py).
        with draft.upload.open("rb") as f:
            uploaded = f.read()
        return pdf_stamp(uploaded, stamp_lines(
            number=facts.document_number, issued_at=facts.issued_at,
            signer=" — ".join((*facts.signature_lines, facts.signer_name)), uid=facts.uid,
            verify_url=facts.verify_url, draft=False), qr_url=facts.verify_url)
    return result_render(facts, kind)


def stored_file_put(stored: StoredDocument, content: bytes, *, signatures: list[dict],
                    timestamped: bool = False) -> None:
    """Write `content` as the stored row's file (random name) with its digest and size; the
    caller saves the row."""
    stored.sha256 = hashlib.sha256(content).hexdigest()
    stored.size = len(content)
    stored.signatures = signatures
    stored.timestamped = timestamped
    stored.file.save("result.pdf", ContentFile(content), save=False)


# What `facts_dump` keeps is every field of the facts but the issuer (the stored row's own unit).
# The fields not declared as text: each is converted when it is not one (a moment, a date, the
# signature's lines); a text field is kept as it is, unasked (an approval dumps its facts, issue
# #18: asking each of the two dozen values what it is cost more than the rest of the dump).
_NOT_TEXT = tuple(name for name, f in ResultFacts.__dataclass_fields__.items()
                  if name != "issuer" and f.type not in ("str", str))


def facts_dump(facts: ResultFacts, *, uploaded: bool) -> dict[str, Any]:
    """What the result prints, as JSON for the stored row (the issuer is the row's own; its
    names as they are now)."""
    issuer = facts.issuer
    out: dict[str, Any] = {ISSUER_NAMES: [issuer.name,
                                          issuer.parent.name if issuer.parent_id else ""]}
    # The instance's dict holds the fields in their order (a dataclass's __init__ sets them so):
    # taken whole, the issuer dropped, the order of the keys that of the fields.
    out.update(facts.__dict__)
    del out["issuer"]
    for name in _NOT_TEXT:
        value = out[name]
        if isinstance(value, datetime | date):
            out[name] = value.isoformat()
        elif isinstance(value, tuple):
            out[name] = list(value)
    if uploaded:
        out[UPLOADED] = True
    return out


def facts_load(data: dict[str, Any], issuer: Unit) -> ResultFacts:
    """The facts `facts_dump` kept, as the approval had them; `issuer` (the stored row's unit,
    with its parent) is given the names it had then, in memory only."""
    values = {k: v for k, v in data.items() if k not in (UPLOADED, ISSUER_NAMES, NUMBER_PENDING)}
    names = data.get(ISSUER_NAMES)
    if names:
        issuer.name = names[0]
        if issuer.parent_id and names[1]:
            issuer.parent.name = names[1]
    values["issued_at"] = datetime.fromisoformat(values["issued_at"])
    if values.get("valid_until"):
        values["valid_until"] = date.fromisoformat(values["valid_until"])
    values["signature_lines"] = tuple(values.get("signature_lines") or ())
    return ResultFacts(issuer=issuer, **values)


def _render_locked(stored: StoredDocument) -> None:
    """Render the pending result `stored` (locked by the caller) and write its file."""
    draft = None
    if stored.facts.get(UPLOADED):
        draft = ResultDraft.objects.filter(stored=stored).first()
    facts = facts_load(stored.facts, stored.issuer_unit)
    content = result_pdf(facts, RESULT_TYPES[stored.result_type], draft)
    stored_file_put(stored, content, signatures=[])
    # The facts served their purpose: the file is the document from now on.
    stored.facts = {}
    stored.save(update_fields=["file", "sha256", "size", "signatures", "timestamped", "facts"])


def stored_render(*, pk: int, wait: bool = True) -> StoredDocument | None:
    """Render the result `pk` if its file is still pending, once: under the row's lock, so two
    first readers render it once (the second waits, then finds the file). `wait=False` (the
    worker): skip a row someone is rendering now; None then. The row as it stands after.

    A result still waiting for its number is numbered first, in a transaction of its own taken
    before the row's lock (the numbering locks the counter, then the rows it numbers: a row
    locked here while its renderer waited for the counter could deadlock two renderers)."""
    waiting = (StoredDocument.objects.filter(pk=pk, document_number="", file="")
               .only("pk", "issuer_unit_id", "issued_at", "document_number", "facts").first())
    if waiting is not None and number_pending(waiting):
        result_numbered(waiting)
    with transaction.atomic():
        # Only the stored row is locked (the issuer and its parent are read with it).
        rows = (StoredDocument.objects.select_for_update(skip_locked=not wait, of=("self",))
                .select_related("issuer_unit__parent").filter(pk=pk))
        stored = rows.first()
        if stored is None:
            return None
        if not stored.file and stored.facts and not number_pending(stored):
            _render_locked(stored)
            stored.rendered_now = True
            log.info("Result %s rendered", stored.document_number or stored.uid)
    return stored


def stored_ready(stored: StoredDocument) -> StoredDocument:
    """`stored` with its number and its file: numbered and rendered now if the result's are
    still pending (the first need of it). Updates the instance given; no statement when the
    file exists."""
    if stored.file or not stored.facts:
        return stored
    done = stored_render(pk=stored.pk)
    for name in ("file", "sha256", "size", "signatures", "timestamped", "facts",
                 "document_number"):
        setattr(stored, name, getattr(done, name))
    return stored


def stored_content(stored: StoredDocument) -> bytes:
    """The stored document's file, rendered first if it is still pending."""
    with stored_ready(stored).file.open("rb") as f:
        return f.read()


def results_render_pending(*, batch: int = 50) -> int:
    """The worker's round: number the results waiting for their number (each series in one
    transaction: results/numbering.py), then render the pending results, oldest first, skipping
    any that a reader is rendering at this moment; how many it rendered. A failure is logged and
    the row stays pending (a reader will try again, or the next round)."""
    try:
        results_number_all(batch=batch)
    except Exception:  # noqa: BLE001 - the rendering below numbers each row it needs anyway
        log.exception("Results could not be numbered")
    done = 0
    pending = list(StoredDocument.objects.filter(file="").exclude(facts={})
                   .order_by("pk").values_list("pk", flat=True)[:batch])
    for pk in pending:
        try:
            stored = stored_render(pk=pk, wait=False)
        except Exception:  # noqa: BLE001 - one bad row must not stop the others
            log.exception("Result %s could not be rendered", pk)
            continue
        if getattr(stored, "rendered_now", False):
            done += 1
    return done


# Read on every return of a result: compiled once (motcua/prepared.py).
_HANDED_OVER = Prepared(lambda dossier: StoredDocument.objects.filter(
    dossier_id=dossier, kind=StoredDocument.Kind.RESULT).values_list("pk", "signatures", "file"),
    int)


def dossier_results_hand_over(*, dossier_id: int, dossier: Any = None) -> bool:
    """The desk returns the dossier's result: a result whose rendering is still pending is
    rendered now, since it is handed over (one read, no more when the worker has rendered it).
    Whether the result was issued as an electronic document, from the same read: stored and
    digitally signed (Decree 45/2020; an unsigned demo result is not a valid electronic
    result).

    `dossier`: the dossier as the action's lock statement read it (results/lock_reads.py): when
    it says whether a result was issued signed and that none waits for its rendering (the
    worker's usual case), no statement is sent."""
    if dossier is not None:
        issued = lock_read(dossier, RESULTS)
        if issued is not MISSING and not (issued or 0) & PENDING:
            return bool((issued or 0) & SIGNED)
    rows = _HANDED_OVER.rows(dossier_id)
    for pk, _signatures, file in rows:
        if not file:
            stored_render(pk=pk)
    return any(signatures for _pk, signatures, _file in rows)
