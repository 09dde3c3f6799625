"""Dashboard pages of the service index (mounted at /chi-so/ by motcua/urls.py); thin views."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.views.common import page, staff_required
from metrics import exports, selectors, services, svg
from metrics.indicators import INDICATORS
from metrics.periods import KINDS, months_back, period_choices, period_parse
from motcua.downloads import generated_attachment

PAGE_SIZE = 50
WARN_HOURS = 8  # one working day: the apology must be out 1 working day before the due moment
WARN_ROWS = 20  # the most urgent of each list; the full overdue list is its drill-down

# The figures the dashboard's main table shows, in the order of the monthly report.
PROGRESS_KEYS = ("carried_over", "received", "received_counter", "received_online",
                 "received_post", "settled", "settled_early", "settled_on_time", "settled_late",
                 "settled_on_time_rate", "open_on_time", "open_overdue", "refused",
                 "withdrawn", "stopped", "apologised")
SHARE_KEYS = ("online_share", "full_online_share", "online_payment_share", "satisfaction_rate",
              "publicity_rate", "synced_share", "digitised_share", "digitised_papers_share",
              "e_result_share", "reused_share", "feedback_on_time")


def _context(request: HttpRequest):
    now = timezone.now()
    tree = selectors.unit_tree()
    roots = selectors.unit_roots_for(request.user, tree)
    if not roots:
        raise Http404(_("Bạn chưa được giao xem chỉ số của đơn vị nào."))
    unit = selectors.unit_for_user(request.user, request.GET.get("don-vi"), tree)
    period = period_parse(request.GET, timezone.localdate(now))
    return now, tree, roots, unit, period


def _rows(report, keys):
    return [{"key": k, "indicator": INDICATORS[k], "value": report.values[k]} for k in keys]


def _ranking_rows(ranking, period) -> list[dict]:
    """What each row of the ranking shows, its three links put together here: a province has
    121 units, and the template would otherwise assemble every link from five pieces."""
    page, drill = reverse("metrics:dashboard"), reverse("metrics:drill")
    rows = []
    for r in ranking:
        query = f"don-vi={r.unit.code}&{period.query}"
        rows.append({
            "name": r.unit.name, "url": f"{page}?{query}",
            "received": r.values["received"], "received_url": f"{drill}?{query}&chi-so=received",
            "rate": r.values["settled_on_time_rate"],
            "settled_url": f"{drill}?{query}&chi-so=settled",
            "scaled": r.score.scaled, "band": r.score.band})
    return rows


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now, tree, roots, unit, period = _context(request)
    report, children = selectors.unit_with_children(unit, period, now, tree)
    ranking = _ranking_rows(selectors.ranked(children), period)
    trend = selectors.unit_trend(unit, months_back(period.last_day, 12), tree)
    warnings = selectors.dossier_warning_lists(now=now, hours=WARN_HOURS,
                                               unit_ids=tree.scope(unit.pk), limit=WARN_ROWS)
    v = report.values
    return page(request, "metrics/dashboard.html", {
        "nav": "metrics", "unit": unit, "period": period, "report": report,
        "path": selectors.unit_path(unit, roots), "roots": roots, "ranking": ranking,
        "progress_rows": _rows(report, PROGRESS_KEYS), "share_rows": _rows(report, SHARE_KEYS),
        "trend_svg": svg.trend_chart(
            trend, title=gettext("Xu hướng 12 tháng — %(unit)s") % {"unit": unit.name}),
        "settled_svg": svg.share_bar(
            [(gettext("Trước hạn"), v["settled_early"], "early"),
             (gettext("Đúng hạn"), v["settled_on_time"], "on-time"),
             (gettext("Quá hạn"), v["settled_late"], "late")],
            title=gettext("Kết quả giải quyết")),
        "trend": trend, "periods": period_choices(period.last_day), "kinds": KINDS,
        "late": warnings.late, "late_count": warnings.late_count,
        "soon": warnings.soon, "soon_count": len(warnings.soon),
        "soon_more": warnings.soon_more, "warn_hours": WARN_HOURS,
        "readable": selectors.dossier_codes_openable(
            request.user, [w.dossier.code for w in [*warnings.late, *warnings.soon]]),
        "computed_at": now,
    })


@staff_required
def drill(request: HttpRequest) -> HttpResponse:
    now, tree, roots, unit, period = _context(request)
    metric = request.GET.get("chi-so", "")
    if metric not in selectors.DRILL_LABELS:
        raise Http404(_("Không có chỉ số này."))
    rows = selectors.dossier_drill(unit_ids=tree.scope(unit.pk), period=period, metric=metric,
                                   now=now)
    paginator = Paginator(rows, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("trang"))
    return page(request, "metrics/drill.html", {
        "nav": "metrics", "unit": unit, "period": period, "metric": metric,
        "title": selectors.DRILL_LABELS[metric], "page_obj": page_obj,
        "readable": selectors.dossier_codes_openable(request.user, [d.code for d in page_obj]),
        "path": selectors.unit_path(unit, roots), "now": now,
    })


def _table(request: HttpRequest):
    now, _tree, _roots, unit, period = _context(request)
    # The files are the province's report in its official language, whatever the page's.
    with translation.override("vi"):
        return unit, period, services.report_table(unit=unit, period=period, now=now)


@staff_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    unit, period, table = _table(request)
    with translation.override("vi"):
        content = exports.xlsx_report(table)
    name = f"chi-so-766-{unit.code}-{period.kind}-{period.year}-{period.number}.xlsx"
    return generated_attachment(
        content, filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@staff_required
def export_csv(request: HttpRequest) -> HttpResponse:
    unit, period, table = _table(request)
    with translation.override("vi"):
        content = exports.csv_report(table)
    name = f"chi-so-766-{unit.code}-{period.kind}-{period.year}-{period.number}.csv"
    return generated_attachment(content, filename=name, content_type="text/csv; charset=utf-8")
