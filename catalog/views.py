"""Public catalog pages: anyone may search procedures and read them, without logging in."""

import posixpath

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.selectors import user_is_staff_member
from catalog import selectors, services
from catalog.models import Channel, Procedure
from catalog.search import MAX_QUERY_CHARS
from motcua.downloads import file_attachment
from motcua.inputs import id_parse

PAGE_SIZE = 20


@require_safe
def procedure_list_page(request: HttpRequest) -> HttpResponse:
    """Search and filters in the query string, so a result list can be bookmarked and shared.

    An htmx request (the live search) gets only the result list.
    """
    p = request.GET
    level, online_level, ignored = _choice_filters(p.get("cap"), p.get("truc-tuyen"))
    filters = {
        "field_id": id_parse(p.get("linh-vuc")),
        "level": level,
        "online_level": online_level,
        "competent_unit_id": id_parse(p.get("don-vi")),
        "authority": p.get("co-quan") or None,
        "applicant_type": p.get("doi-tuong") or None,
    }
    outcome = selectors.procedure_search(query=p.get("q", ""), **filters)
    if not outcome.good:
        # The words the thesaurus lacks (docs/search.md); the live search's keystrokes count
        # too, their unfinished last word being matched by its beginning.
        services.unmatched_search_record(query=outcome.query)
    query = outcome.query
    results = outcome.procedures.select_related("field")
    page = Paginator(results, PAGE_SIZE).get_page(p.get("trang"))
    others = p.copy()
    others.pop("trang", None)
    selected = {"field": p.get("linh-vuc", ""), "level": p.get("cap", ""),
                "online": p.get("truc-tuyen", ""), "unit": p.get("don-vi", ""),
                "authority": p.get("co-quan", ""), "applicant": p.get("doi-tuong", "")}
    context = {"page": page, "query": query, "sel": selected, "base_query": others.urlencode(),
               "filtered": any(filters.values()), "outcome": outcome,
               "max_query": MAX_QUERY_CHARS, "typed": p.get("q", ""), "ignored": ignored}
    if request.headers.get("HX-Request") == "true":
        return render(request, "catalog/_results.html", context)
    context["options"] = selectors.procedure_filter_options()
    return render(request, "catalog/procedure_list.html", context)


def _choice_filters(level: str | None, online_level: str | None
                    ) -> tuple[str | None, str | None, list[str]]:
    """The level and online-level filters when they are among the select's options; a value
    typed into the address instead is left out, and named so the person knows why."""
    ignored = []
    if level and level not in Procedure.Level.values:
        level = None
        ignored.append(_("Cấp thực hiện"))
    if online_level and online_level not in Procedure.OnlineLevel.values:
        online_level = None
        ignored.append(_("Mức độ trực tuyến"))
    return level or None, online_level or None, ignored


@require_safe
def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_get(code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    variants = [{
        "variant": v,
        "channels": [{
            "label": label,
            "limit": selectors.variant_time_limit(v, channel),
            "own_limit": any(t.channel == channel for t in v.time_limits.all()),
            "fees": [f for f in v.fees.all() if f.channel == channel],
        } for channel, label in Channel.choices
            if any(t.channel == channel for t in v.time_limits.all())
            or any(f.channel == channel for f in v.fees.all())],
    } for v in procedure.variants.all()]
    return render(request, "catalog/procedure_detail.html",
                  {"procedure": procedure, "variants": variants,
                   "staff": user_is_staff_member(request.user)})


@require_safe
def template_file(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """A form template (mẫu đơn, tờ khai) of a procedure in force: published, so public. The
    files are uploaded in the admin and kept under MEDIA_ROOT, which the site does not serve as
    such (papers of dossiers live there too); this view hands out the catalogue's own, as an
    attachment under the download headers (motcua/downloads.py)."""
    document = selectors.procedure_template_get(code, document_id)
    if document is None:
        raise Http404(_("Không tìm thấy mẫu đơn, tờ khai."))
    # The stored name, cleaned by the storage on upload; Django writes it into the header
    # quoted, and as RFC 6266 `filename*` when it is not ASCII.
    return file_attachment(document.template_file,
                           filename=posixpath.basename(document.template_file.name),
                           missing=_("Không tìm thấy mẫu đơn, tờ khai."))
