"""The register of directive documents: every staff member reads it, the officer adds to it."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers.views.common import page, redirect_after_post, staff_required
from motcua.errors import DomainError
from motcua.held_files import held_form_files, held_form_keep, held_release
from motcua.posted import posted
from reform.forms.plans import DirectiveForm, domain_error_show
from reform.models import Directive
from reform.selectors.plans import is_reform_officer
from reform.services.directives import directive_create
from reform.views.common import stored_file, upload_read


@staff_required
def directive_list(request: HttpRequest) -> HttpResponse:
    officer = is_reform_officer(request.user)
    # The file chosen now, or kept from a try refused for another field (motcua.held_files).
    form = DirectiveForm(posted(request), held_form_files(request, "file")) if officer else None
    status = 200
    if request.method == "POST":
        if not officer:
            raise PermissionDenied(_("Chỉ cán bộ cải cách hành chính được nhập văn bản."))
        if form.is_valid():
            d = form.cleaned_data
            upload = d.get("file")
            try:
                directive_create(actor=request.user, number=d["number"], date_issued=d["date"],
                                 issuer=d["issuer"], kind=d["kind"], summary=d["summary"],
                                 file_name=upload.name if upload else "",
                                 data=upload_read(upload) if upload else None)
            except DomainError as error:
                domain_error_show(form, error)
            else:
                held_release(request, "file")
                return redirect_after_post(request, reverse("reform:directives"))
        held_form_keep(request, form, "file")
        status = 422
    rows = Directive.objects.annotate(n_tasks=Count("tasks")).order_by("-date", "-id")
    year = request.GET.get("nam", "").strip()
    if year.isascii() and year.isdigit() and len(year) == 4:
        rows = rows.filter(date__year=int(year))
    page_obj = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return page(request, "reform/directive_list.html", {
        "nav": "reform", "page_obj": page_obj, "form": form, "year": year,
        "total": rows.count()}, status=status)


@staff_required
def directive_file(request: HttpRequest, pk: int) -> HttpResponse:
    directive = Directive.objects.filter(pk=pk).first()
    if directive is None or not directive.file:
        raise Http404("Không có tệp văn bản này.")
    return stored_file(directive.file, directive.file_name, directive.content_type)
