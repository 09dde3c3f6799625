"""Staff pages: the unit's items (open, overdue, late forwards, done), one item with the actions
the transition table allows, recording a letter or a call, statistics and the six-monthly
Excel report. Opening an item shows the sender's contact: the read is logged."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import PersonalDataAccess, Role, Unit
from accounts.selectors import unit_members
from accounts.services.data_access import personal_data_read
from dossiers.uploads import upload_check
from dossiers.views.common import page, staff_required
from feedback.forms import KIND_CHOICES, RecordForm, uploads_of
from feedback.report import period_moments, report_workbook, six_month_period
from feedback.selectors import (
    GROUPS,
    feedback_events,
    feedback_get,
    feedback_inbox,
    feedback_is_overdue,
    feedback_statistics,
    staff_unit_ids,
)
from feedback.services import feedback_act, feedback_actions_for, feedback_submit
from feedback.states import TRANSITIONS
from motcua.cross_site import staff_read_page
from motcua.downloads import file_attachment, generated_attachment
from motcua.errors import DomainError
from motcua.held_files import held_keep, held_release, held_uploads
from motcua.posted import posted

BOXES = [("open", _("Đang xử lý")), ("overdue", _("Quá hạn")),
         ("late_forward", _("Chuyển muộn")), ("done", _("Đã xong")), ("all", _("Tất cả"))]


def _feedback_staff(request: HttpRequest) -> set[int]:
    units = staff_unit_ids(request.user)
    if not units:
        raise PermissionDenied(_("Trang này dành cho cán bộ xử lý phản ánh, kiến nghị và lãnh "
                                 "đạo đơn vị."))
    return units


@staff_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    _feedback_staff(request)
    box = request.GET.get("hop", "open")
    if box not in dict(BOXES):
        box = "open"
    now = timezone.now()
    rows = [{"item": f, "overdue": feedback_is_overdue(f, now)}
            for f in feedback_inbox(user=request.user, box=box)[:200]]
    return page(request, "feedback/staff/inbox.html",
                {"rows": rows, "box": box, "boxes": BOXES, "nav": "feedback"})


def _event_units(event) -> str:
    """The unit that acted, and where the item went when the step moved it (a forward): staff
    read who forwarded and to whom."""
    names = [u.name for u in (event.actor_unit, event.to_unit) if u is not None]
    if len(names) == 2 and names[0] == names[1]:
        names = names[:1]
    return " → ".join(names) or "—"


def _detail(request: HttpRequest, item, *, error: DomainError | None = None,
            posted: dict | None = None, status: int = 200) -> HttpResponse:
    subject = item.sender_phone or item.sender_email
    personal_data_read(actor=request.user, subject=subject, subject_name=item.sender_name,
                       action=PersonalDataAccess.Action.FEEDBACK_VIEW,
                       purpose="Xử lý phản ánh, kiến nghị",
                       reference=item.code, unit=item.handling_unit_id)
    units = Unit.objects.filter(is_active=True).exclude(pk=item.receiving_unit_id).order_by(
        "code")
    context = {
        "item": item, "events": [
            {"event": e, "label": str(TRANSITIONS[e.action].label) if e.action in TRANSITIONS
             else _("Gửi phản ánh, kiến nghị"),
             "unit": _event_units(e)}
            for e in feedback_events(feedback=item)],
        "actions": feedback_actions_for(feedback=item, user=request.user), "units": units,
        "officers": unit_members(unit=item.handling_unit, role=Role.FEEDBACK),
        "kinds": KIND_CHOICES, "overdue": feedback_is_overdue(item), "error": error,
        "posted": posted or {}, "nav": "feedback",
        "attachments": list(item.attachments.all()),
        # A caller or a letter's writer learns the lookup secret from the officer who recorded
        # it (the item's own sender on the public form sees it on screen and by message).
        "show_secret": item.recorded_by_id == request.user.pk,
    }
    return page(request, "feedback/staff/detail.html", context, status=status)


@staff_required
@require_safe
@staff_read_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    _feedback_staff(request)
    return _detail(request, feedback_get(user=request.user, code=code))


@staff_required
@require_safe
@staff_read_page
def attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A file the sender attached, for the staff who may open the item (the same rule as its
    page); the sender's data is in it as much as on the page, so the read is logged too."""
    _feedback_staff(request)
    item = feedback_get(user=request.user, code=code)
    row = item.attachments.filter(pk=pk).first()
    if row is None:
        raise Http404(_("Không tìm thấy tệp đính kèm."))
    personal_data_read(actor=request.user, subject=item.sender_phone or item.sender_email,
                       subject_name=item.sender_name,
                       action=PersonalDataAccess.Action.FEEDBACK_FILE,
                       purpose="Xử lý phản ánh, kiến nghị", reference=f"{item.code} · {row.name}",
                       unit=item.handling_unit_id)
    return file_attachment(row.file, filename=row.name, content_type=row.content_type,
                           missing=_("Không tìm thấy tệp đính kèm."))


@staff_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    _feedback_staff(request)
    item = feedback_get(user=request.user, code=code)
    posted = {k: request.POST.get(k, "")[:10000] for k in
              ("reason", "kind", "unit", "assignee", "answer", "general")}
    data = {"kind": posted["kind"], "unit": posted["unit"], "assignee": posted["assignee"],
            "answer": posted["answer"], "general": bool(posted["general"])}
    try:
        feedback_act(feedback=item, actor=request.user, action=action,
                     reason=posted["reason"], data=data)
    except DomainError as error:
        item.refresh_from_db()
        return _detail(request, item, error=error, posted=posted, status=error.http_status)
    return redirect("feedback:staff_detail", code=item.code)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    units_ids = _feedback_staff(request)
    units = Unit.objects.filter(pk__in=units_ids).order_by("code")
    form = RecordForm(posted(request), units=units)
    form.fields["unit"].required = True
    form.fields["unit"].empty_label = None
    status = 200
    files = held_uploads(request, "files")[:20]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = feedback_submit(
                title=data["title"], content=data["content"], sender_name=data["sender_name"],
                sender_phone=data["sender_phone"], sender_email=data["sender_email"],
                sender_address=data["sender_address"], publish_consent=data["publish_consent"],
                unit=data["unit"], channel=data["channel"], recorded_by=request.user,
                files=uploads_of(files))
        except DomainError as error:
            form.show_error(error)
            status = error.http_status
        else:
            held_release(request, "files")
            return redirect("feedback:staff_detail", code=item.code)
    elif request.method == "POST":
        status = 400
    held = held_keep(request, "files", files, upload_check) if request.method == "POST" else []
    return page(request, "feedback/staff/record.html",
                {"form": form, "nav": "feedback", "held": held}, status=status)


def _period(request: HttpRequest) -> tuple[datetime, datetime, str]:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("tu", ""))
        end = date.fromisoformat(request.GET.get("den", ""))
        label = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    except ValueError:
        start, end, label = six_month_period(today)
    first, last = period_moments(start, end)
    return first, last, label


@staff_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    units = _feedback_staff(request)
    start, end, label = _period(request)
    by = request.GET.get("theo", "unit")
    if by not in GROUPS:
        by = "unit"
    total, rows = feedback_statistics(start=start, end=end, by=by, unit_ids=units)
    return page(request, "feedback/staff/statistics.html", {
        "total": total, "rows": rows, "by": by, "start": start, "end": end, "label": label,
        "groups": [("unit", _("Đơn vị")), ("kind", _("Phân loại")),
                   ("procedure", _("Thủ tục")), ("month", _("Tháng"))],
        "nav": "feedback"})


@staff_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    units = _feedback_staff(request)
    start, end, label = _period(request)
    content = report_workbook(start=start, end=end, label=label, unit_ids=units)
    return generated_attachment(
        content, filename=f"bao-cao-pakn-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


