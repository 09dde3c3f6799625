"""Storing uploaded and scanned files: checked by content first, then written under a random name.

Every file of a batch is checked before any is written. Where files join a dossier's state change
(a supplement, the desk's scans) the batch is all stored or all refused (`files_check`); an online
draft keeps the good files of a batch and names the refused ones (`files_sort`), so nobody has to
choose again a file that was fine. A file written to disk inside a transaction that then
rolls back is removed again (`files_discard`), so nothing is left behind without its row.
"""

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Sum

from accounts.models import User
from catalog.models import RequiredDocument
from dossiers.models import Dossier, DossierFile, OnlineDraft
from dossiers.uploads import (
    PDF,
    FileType,
    UploadRejected,
    max_file_bytes,
    pdf_active_content,
    total_check,
    upload_check,
)


@dataclass(frozen=True)
class CheckedFile:
    """One upload that passed the content check, still in memory, not yet stored."""

    required_document: RequiredDocument | None
    name: str
    data: bytes
    type: FileType


def _read(upload: Any) -> bytes:
    # Read at most one byte past the limit: enough to know it is too big, never the whole file.
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(max_file_bytes() + 1)


def files_sort(uploads: Iterable[tuple[RequiredDocument | None, Any]], *,
               existing_bytes: int) -> tuple[list[CheckedFile], UploadRejected | None]:
    """Check every upload by content: the accepted files, and one error naming each refused
    file with its reason (None when all passed). The accepted ones together must stay within
    the dossier's total limit, or the whole batch is refused."""
    checked, problems, problems_en, names = [], [], [], []
    for required, upload in uploads:
        name = getattr(upload, "name", "") or ""
        name = name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        data = _read(upload)
        try:
            kind = upload_check(name, data, size=getattr(upload, "size", None))
        except UploadRejected as err:
            problems.append(err.message)
            problems_en.append(err.message_en)
            names.append(name)
            continue
        checked.append(CheckedFile(required, name, data, kind))
    total_check(existing_bytes=existing_bytes, new_sizes=[len(c.data) for c in checked])
    if problems:
        return checked, UploadRejected("upload_rejected", " ".join(problems),
                                       " ".join(problems_en), fields={"files": names})
    return checked, None


def files_check(uploads: Iterable[tuple[RequiredDocument | None, Any]], *,
                existing_bytes: int) -> list[CheckedFile]:
    """Check every upload by content and the batch against the dossier's total limit; all pass
    or UploadRejected names every refused file."""
    checked, refused = files_sort(uploads, existing_bytes=existing_bytes)
    if refused is not None:
        raise refused
    return checked


def stored_bytes(*, dossier: Dossier | None = None, draft: OnlineDraft | None = None) -> int:
    """What the dossier (or draft) already holds, for the per-dossier limit."""
    qs = DossierFile.objects.filter(dossier=dossier) if dossier else \
        DossierFile.objects.filter(draft=draft)
    return qs.aggregate(total=Sum("size"))["total"] or 0


def file_store(checked: CheckedFile, *, actor: User, purpose: str, written: list[str],
               **owner: Any) -> DossierFile:
    """Write one checked file; `owner` is draft= or dossier= (and document=), plus flags."""
    row = DossierFile(token=uuid.uuid4(), required_document=checked.required_document,
                      purpose=purpose, original_name=checked.name or checked.type.label,
                      kind=checked.type.kind, content_type=checked.type.content_type,
                      size=len(checked.data), sha256=hashlib.sha256(checked.data).hexdigest(),
                      active_content=", ".join(pdf_active_content(checked.data))
                      if checked.type == PDF else "",
                      uploaded_by=actor, **owner)
    row.file.save("upload", ContentFile(checked.data), save=False)
    written.append(row.file.name)
    row.save()
    return row


def files_discard(names: list[str]) -> None:
    """Remove files written by a transaction that did not commit."""
    storage = DossierFile._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            pass
