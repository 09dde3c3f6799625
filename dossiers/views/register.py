"""Form 06, the register of dossiers (Sổ theo dõi hồ sơ): an electronic register over a period.

Circular 03/2025/TT-VPCP allows the register to be kept electronically; this page is it, for the
receiving units of the person who opens it, with the same rows as PDF and as Excel.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Unit
from dossiers.deadlines import TZ
from dossiers.models import Dossier
from dossiers.printing.excel import form06_workbook
from dossiers.printing.forms import form06
from dossiers.selectors import dossier_handovers, dossier_register
from dossiers.services.personal_data import register_personal_read
from dossiers.views.common import counter_units, staff_required
from dossiers.views.pdf import attachment
from motcua import inputs
from motcua.cross_site import staff_read_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class _Register:
    units: list[Unit]
    chosen: list[Unit]
    first: date
    last: date
    errors: list[str]
    rows: list[Dossier]

    @property
    def header_unit(self) -> Unit:
        return self.chosen[0] if self.chosen else Unit(name="")

    def filename(self, ext: str) -> str:
        return f"so-theo-doi-ho-so_{self.first:%Y%m%d}-{self.last:%Y%m%d}.{ext}"


def _day(text: str | None, default: date) -> tuple[date, str]:
    if not text:
        return default, ""
    day = inputs.day_parse(text)
    if day is None:
        return default, _("Ngày «%(text)s» không hợp lệ; dùng dạng năm-tháng-ngày, từ năm "
                          "%(first)s đến năm %(last)s.") % {
            "text": text[:40], "first": inputs.DAY_MIN.year, "last": inputs.DAY_MAX.year}
    return day, ""


def _register(request: HttpRequest) -> _Register:
    today = datetime.now(TZ).date()
    first, error_from = _day(request.GET.get("tu-ngay"), today.replace(day=1))
    last, error_to = _day(request.GET.get("den-ngay"), today)
    units = counter_units(request.user)
    chosen = [u for u in units if str(u.pk) == request.GET.get("don-vi")] or units
    errors = [e for e in (error_from, error_to) if e]
    if last < first:
        errors.append(_("Ngày kết thúc phải sau ngày bắt đầu."))
        last = first
    start = datetime.combine(first, time.min, TZ)
    end = datetime.combine(last + timedelta(days=1), time.min, TZ)
    rows = list(dossier_register(unit_ids={u.pk for u in chosen}, start=start, end=end))
    handovers = dossier_handovers(dossier_ids=[d.pk for d in rows])
    for d in rows:
        # Who received the result and how, once returned (dossiers/handover.py).
        d.handed_over = handovers.get(d.pk, "")
    return _Register(units, chosen, first, last, errors, rows)


@staff_required
@require_safe
# The page is the register itself: each row's name, address and phone, as in the PDF and the
# Excel copy. Until audit11 it was read unlogged, and from any site's link, as a working list
# that names people only would be (Decree 13/2023/NĐ-CP art. 9, Law 91/2025/QH15).
@staff_read_page
def register(request: HttpRequest) -> HttpResponse:
    r = _register(request)
    register_personal_read(actor=request.user, dossiers=r.rows, unit_id=r.header_unit.pk,
                           what="")
    context = {
        "units": r.units, "unit": r.chosen[0] if len(r.chosen) == 1 else None,
        "header_unit": r.header_unit, "first": r.first, "last": r.last, "rows": r.rows,
        "errors": r.errors, "query": request.GET.urlencode(),
    }
    return render(request, "dossiers/register.html", context)


@staff_required
@staff_read_page
def register_pdf(request: HttpRequest) -> HttpResponse:
    r = _register(request)
    register_personal_read(actor=request.user, dossiers=r.rows, unit_id=r.header_unit.pk,
                           what="PDF")
    with translation.override("vi"):  # the register is an official Vietnamese form
        content = form06(r.header_unit, r.first, r.last, r.rows)
    return attachment(content, r.filename("pdf"), "application/pdf")


@staff_required
@staff_read_page
def register_xlsx(request: HttpRequest) -> HttpResponse:
    r = _register(request)
    register_personal_read(actor=request.user, dossiers=r.rows, unit_id=r.header_unit.pk,
                           what="Excel")
    with translation.override("vi"):
        content = form06_workbook(r.header_unit, r.first, r.last, r.rows)
    return attachment(content, r.filename("xlsx"), XLSX)
