"""Nhập hồ sơ tại quầy: the desk enters a dossier handed in at the counter or by post."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalog.selectors import procedure_list
from dossiers.forms import CounterForm
from dossiers.services import dossier_create
from dossiers.services.counter import applicant_find
from dossiers.services.files import files_check
from dossiers.services.online import counter_files_attach, resolve_uploads
from dossiers.uploads import upload_check
from dossiers.views.common import (
    counter_units,
    fragment,
    is_htmx,
    page,
    redirect_after_post,
    staff_required,
)
from motcua.errors import DomainError
from motcua.held_files import held_keep, held_release, held_uploads

SEARCH_LIMIT = 20
# An ID number or tax code is at most 20 characters (motcua.inputs.ID_NUMBER); the box's text is
# cut there before anything reads it.
ID_QUERY_MAX_LENGTH = 20

APPLICANT_FIELDS = ("applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone",
                    "applicant_email", "applicant_address")


def _desk_units(request: HttpRequest):
    units = counter_units(request.user)
    if not units:
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận của đơn vị có bộ phận một cửa mới nhập "
                                 "hồ sơ tại quầy."))
    return units


def _search(query: str) -> list:
    query = (query or "").strip()
    return list(procedure_list(query=query)[:SEARCH_LIMIT]) if query else []


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def counter_new(request: HttpRequest) -> HttpResponse:
    units = _desk_units(request)
    status = 200
    if request.method == "POST":
        form = CounterForm(request.POST, units=units)
        # Chosen now or kept from a refused try (motcua.held_files): a wrong phone number
        # does not send the officer back to the scanner.
        chosen = {doc.pk: held_uploads(request, f"doc_{doc.pk}_scan")
                  for doc in form.case_documents}
        if form.is_valid():
            accept = request.POST.get("submit") == "accept"
            scans = [(pk, f) for pk, files in chosen.items() for f in files]
            try:
                dossier = _create_with_scans(request, form, accept=accept, scans=scans)
            except DomainError as err:
                form.add_domain_error(err)
            else:
                for pk in chosen:
                    held_release(request, f"doc_{pk}_scan")
                done = (_("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả.")
                        if accept else _("Đã lưu hồ sơ %(code)s, chưa tiếp nhận."))
                messages.success(request, done % {"code": dossier.code})
                return redirect_after_post(request, reverse("dossiers:detail",
                                                            args=[dossier.code]))
        form.held_scans = {pk: held_keep(request, f"doc_{pk}_scan", files, upload_check)
                           for pk, files in chosen.items()}
        status = 422
    if request.method in ("GET", "HEAD"):
        # ?procedure=…&variant=… come from the picker when the browser runs without JavaScript.
        # A personal ID never comes in the URL: the applicant search is a POST (applicant_search).
        form = CounterForm(units=units, initial={"procedure": request.GET.get("procedure"),
                                                 "variant": request.GET.get("variant")})
    return _counter_page(request, form, status=status)


def _counter_page(request: HttpRequest, form: CounterForm, *, status: int = 200,
                  applicant_notes: list[str] | None = None, id_query: str = "",
                  applicant_error: str = "") -> HttpResponse:
    query = request.GET.get("q", "")
    context = {"form": form, "query": query, "results": _search(query), "nav": "counter",
               "applicant_notes": applicant_notes or [], "id_query": id_query,
               "applicant_error": applicant_error}
    return page(request, "dossiers/counter.html", context, status=status)


def _create_with_scans(request: HttpRequest, form: CounterForm, *, accept: bool, scans: list):
    """The dossier and its scanned papers together: a refused scan leaves no dossier behind."""
    if scans:
        # Check the files before anything is written, so the form shows which file is wrong.
        files_check(resolve_uploads(form.chosen_variant, scans), existing_bytes=0)
    with transaction.atomic():
        dossier, created = dossier_create(**form.service_kwargs(actor=request.user,
                                                                accept=accept))
        if scans and created:
            counter_files_attach(actor=request.user, dossier=dossier, uploads=scans)
    return dossier


@staff_required
@require_safe
def procedure_search(request: HttpRequest) -> HttpResponse:
    """Live search of the procedure picker (diacritics-insensitive, by catalog.selectors)."""
    _desk_units(request)
    query = request.GET.get("q", "")
    context = {"query": query, "results": _search(query)}
    if is_htmx(request):
        return fragment(request, "dossiers/_procedure_results.html", context)
    return redirect(f"{reverse('dossiers:counter_new')}?{urlencode({'q': query})}")


@staff_required
@require_POST
def applicant_search(request: HttpRequest) -> HttpResponse:
    """The applicant's fields filled from the personal ID (earlier dossiers, then the population
    database), swapped into the counter form in place: the procedure, case and papers already
    chosen stay as they are. Without JavaScript the whole form comes back.

    A POST, under the CSRF check: the search reads the person's data from other dossiers and
    the national population database, each a logged read in the officer's name (Decree
    13/2023/NĐ-CP art. 9). As a GET, any page could make the officer's browser run it (a link,
    a redirect) and write reads they never made; and the ID would sit in the URL, in the
    history and the access logs."""
    units = _desk_units(request)
    id_number = request.POST.get("so_dinh_danh", "").strip()[:ID_QUERY_MAX_LENGTH]
    found, notes = applicant_find(actor=request.user, id_number=id_number, units=units) \
        if id_number else ({}, [])
    # "Tìm người nộp" pressed with the box empty: say so rather than give the form back as is
    # (htmx swaps only a 2xx answer, hence 200).
    error = "" if id_number else _("Chưa nhập số định danh cá nhân của người nộp để tìm.")
    # What the officer had typed stays where the search found nothing.
    typed = {name: request.POST[name] for name in APPLICANT_FIELDS if request.POST.get(name)}
    initial = typed | {k: v for k, v in found.items() if v}
    if not is_htmx(request):
        initial |= {"procedure": request.POST.get("procedure"),
                    "variant": request.POST.get("variant")}
        return _counter_page(request, CounterForm(units=units, initial=initial),
                             applicant_notes=notes, id_query=id_number, applicant_error=error)
    form = CounterForm(units=units, initial=initial)
    return fragment(request, "dossiers/_applicant_fields.html",
                    {"form": form, "applicant_notes": notes, "applicant_error": error})


@staff_required
@require_safe
def variant_options(request: HttpRequest) -> HttpResponse:
    """The chosen procedure's cases, and the papers of the chosen case, for the counter form."""
    units = _desk_units(request)
    form = CounterForm(units=units, initial={"procedure": request.GET.get("procedure"),
                                             "variant": request.GET.get("variant")})
    if is_htmx(request):
        return fragment(request, "dossiers/_variant_options.html", {"form": form, "oob": True})
    return redirect(f"{reverse('dossiers:counter_new')}?{request.GET.urlencode()}")
