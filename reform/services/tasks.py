"""Doing and reporting a task: the lead unit reports progress, adds evidence and reports it
done; the Home Affairs officer accepts it or returns it with a reason.

Every change takes the task's row lock and appends its TaskEvent in the same transaction; the
history is never edited.
"""

import hashlib
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from dossiers.uploads import upload_check
from motcua.errors import DomainError, NotAllowed
from reform.models import Evidence, Task, TaskEvent
from reform.selectors.plans import can_report
from reform.services.plans import _invalid, officer_check

S = Task.Status
# What the lead unit may still change: a task waiting for acceptance or accepted is closed to it.
OPEN = (S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED)


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("plan", "lead_unit").get(pk=task.pk)


def _reporter_check(actor: User, task: Task) -> None:
    if not can_report(actor, task):
        raise NotAllowed("permission_denied",
                         "Chỉ đơn vị chủ trì được cập nhật nhiệm vụ này.",
                         "Only the task's lead unit may update it.", http_status=403)


def _open_check(task: Task) -> None:
    if task.status not in OPEN:
        raise NotAllowed("conflict",
                         f"Nhiệm vụ đang ở trạng thái “{task.get_status_display()}”, không "
                         "cập nhật được.",
                         f"The task is '{task.status}' and cannot be updated.")


def _event(task: Task, *, actor: User, kind: str, at: datetime, status_from: str,
           note: str = "") -> TaskEvent:
    return TaskEvent.objects.create(task=task, at=at, actor=actor, kind=kind,
                                    status_from=status_from, status_to=task.status,
                                    progress=task.progress, note=note)


def _tell_unit(task: Task, subject: str, body: str) -> None:
    """The lead unit's heads and specialists hear of the officer's decision on its task (staff
    notifications write rows only: safe inside the transaction, sent after the commit)."""
    from accounts.models import Role
    from accounts.selectors import unit_members
    from notifications.services import notify_staff

    people = {u.pk: u for role in (Role.HEAD, Role.SPECIALIST)
              for u in unit_members(unit=task.lead_unit, role=role)}
    for person in people.values():
        notify_staff(person, subject, body)


def _note_required(note: str, field: str = "note") -> str:
    note = (note or "").strip()
    if not note:
        raise _invalid(field, "Vui lòng ghi nội dung đã thực hiện.",
                       "Say what was done (a note is required).")
    return note


def task_progress_update(*, actor: User, task: Task, progress: int, note: str,
                         at: datetime | None = None) -> Task:
    """The lead unit reports how far the task is (0–99 %: 100 % is reported by marking it
    done, with evidence) and what was done."""
    note = _note_required(note)
    if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 99:
        raise _invalid("progress", "Tiến độ phải là số nguyên từ 0 đến 99 (báo cáo hoàn thành "
                       "để đạt 100%).", "Progress must be a whole number from 0 to 99 "
                       "(report the task done to reach 100%).")
    at = at or timezone.now()
    with transaction.atomic():
        task = _lock(task)
        _reporter_check(actor, task)
        _open_check(task)
        before = task.status
        task.progress = progress
        task.status = S.NOT_STARTED if progress == 0 and before == S.NOT_STARTED \
            else S.IN_PROGRESS
        task.save(update_fields=["progress", "status"])
        _event(task, actor=actor, kind=TaskEvent.Kind.PROGRESS, at=at, status_from=before,
               note=note)
    return task


def _evidence_add(actor: User, task: Task, at: datetime | None, **fields) -> Evidence:
    at = at or timezone.now()
    with transaction.atomic():
        task = _lock(task)
        _reporter_check(actor, task)
        _open_check(task)
        evidence = Evidence.objects.create(task=task, added_by=actor, added_at=at, **fields)
        _event(task, actor=actor, kind=TaskEvent.Kind.EVIDENCE, at=at, status_from=task.status,
               note=evidence.title)
    return evidence


def evidence_add_file(*, actor: User, task: Task, title: str, name: str, data: bytes,
                      at: datetime | None = None) -> Evidence:
    """A file the unit uploads; checked by content as dossier papers are (dossiers/uploads.py)."""
    kind = upload_check(name, data)
    title = (title or "").strip() or name
    at = at or timezone.now()
    with transaction.atomic():
        task = _lock(task)
        _reporter_check(actor, task)
        _open_check(task)
        evidence = Evidence(task=task, kind=Evidence.Kind.FILE, title=title[:500],
                            file_name=name[:255], content_type=kind.content_type,
                            size=len(data), added_by=actor, added_at=at)
        evidence.file.save(hashlib.sha256(data).hexdigest()[:16], ContentFile(data), save=False)
        evidence.save()
        _event(task, actor=actor, kind=TaskEvent.Kind.EVIDENCE, at=at, status_from=task.status,
               note=evidence.title)
    return evidence


def evidence_add_url(*, actor: User, task: Task, title: str, url: str,
                     at: datetime | None = None) -> Evidence:
    url = (url or "").strip()
    # URLValidator takes up to 2,048 characters; past the column's length PostgreSQL refuses
    # the insert (a 500).
    limit = Evidence._meta.get_field("url").max_length
    try:
        if len(url) > limit:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise _invalid("url", "Đường dẫn minh chứng không hợp lệ (bắt đầu bằng http:// hoặc "
                       f"https://, tối đa {limit} ký tự).",
                       f"The evidence link is not a valid http(s) URL of at most {limit} "
                       "characters.") from None
    return _evidence_add(actor, task, at, kind=Evidence.Kind.URL,
                         title=((title or "").strip() or url)[:500], url=url)


def evidence_add_result(*, actor: User, task: Task, uid: str, title: str = "",
                        at: datetime | None = None) -> Evidence:
    """A document signed in results/ by the task's lead unit (its public identifier, printed
    under the QR code). A document another agency issued is not this unit's evidence."""
    from results.numbering import result_numbered
    from results.selectors import stored_by_uid

    stored = None
    try:
        stored = stored_by_uid((uid or "").strip())
    except ValidationError:
        pass
    if stored is None or stored.issuer_unit_id != task.lead_unit_id:
        raise _invalid("uid", "Không tìm thấy văn bản đã ký số do đơn vị chủ trì ban hành với "
                       "mã này.", "No signed document of the lead unit has this identifier.")
    # A result approved unnumbered is numbered before it is named (results/numbering.py).
    stored = result_numbered(stored)
    label = " ".join(x for x in (stored.document_number, stored.title) if x)
    return _evidence_add(actor, task, at, kind=Evidence.Kind.RESULT,
                         title=((title or "").strip() or label)[:500], stored_document=stored)


def task_submit(*, actor: User, task: Task, note: str, at: datetime | None = None) -> Task:
    """The lead unit reports the task done: it needs at least one piece of evidence."""
    note = _note_required(note)
    at = at or timezone.now()
    with transaction.atomic():
        task = _lock(task)
        _reporter_check(actor, task)
        _open_check(task)
        if not task.evidence.exists():
            raise DomainError("invalid", "Cần ít nhất một minh chứng trước khi báo cáo hoàn "
                              "thành.", "Add at least one piece of evidence before reporting "
                              "the task done.", fields={"evidence": ["Chưa có minh chứng."]})
        before = task.status
        task.status, task.progress = S.SUBMITTED, 100
        task.done_on = timezone.localdate(at)
        task.save(update_fields=["status", "progress", "done_on"])
        _event(task, actor=actor, kind=TaskEvent.Kind.SUBMIT, at=at, status_from=before,
               note=note)
    return task


def task_accept(*, actor: User, task: Task, note: str = "", at: datetime | None = None) -> Task:
    at = at or timezone.now()
    with transaction.atomic():
        task = _lock(task)
        officer_check(actor, task.plan)
        if task.status != S.SUBMITTED:
            raise NotAllowed("conflict", "Chỉ nghiệm thu nhiệm vụ đã được báo cáo hoàn thành.",
                             "Only a task reported done can be accepted.")
        task.status = S.ACCEPTED
        task.save(update_fields=["status"])
        _event(task, actor=actor, kind=TaskEvent.Kind.ACCEPT, at=at, status_from=S.SUBMITTED,
               note=(note or "").strip())
        _tell_unit(task, f"Nhiệm vụ CCHC đã được nghiệm thu: {task.number} {task.title}"[:255],
                   f"Sở Nội vụ đã nghiệm thu nhiệm vụ “{task.title}”.\n{(note or '').strip()}")
    return task


def task_return(*, actor: User, task: Task, reason: str, progress: int | None = None,
                at: datetime | None = None) -> Task:
    """The officer sends a reported task back with the reason; its progress goes back to what
    the unit last reported before marking it done (or `progress` if given)."""
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "Vui lòng ghi lý do trả lại.", "A reason is required.")
    at = at or timezone.now()
    with transaction.atomic():
        task = _lock(task)
        officer_check(actor, task.plan)
        if task.status != S.SUBMITTED:
            raise NotAllowed("conflict", "Chỉ trả lại nhiệm vụ đã được báo cáo hoàn thành.",
                             "Only a task reported done can be returned.")
        if progress is None:
            last = (task.events.filter(kind=TaskEvent.Kind.PROGRESS).order_by("-at", "-id")
                    .values_list("progress", flat=True).first())
            progress = last if last is not None else 0
        task.status, task.progress, task.done_on = S.RETURNED, min(progress, 99), None
        task.save(update_fields=["status", "progress", "done_on"])
        _event(task, actor=actor, kind=TaskEvent.Kind.RETURN, at=at, status_from=S.SUBMITTED,
               note=reason)
        _tell_unit(task, f"Nhiệm vụ CCHC bị trả lại: {task.number} {task.title}"[:255],
                   f"Sở Nội vụ trả lại nhiệm vụ “{task.title}”.\nLý do: {reason}")
    return task
