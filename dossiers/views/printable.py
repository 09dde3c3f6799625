"""Printable forms of a dossier in HTML: Form 01 (receipt and appointment), Form 05 (control slip).

Circular 03/2025/TT-VPCP numbering (domain.md §4); the signed PDF versions are produced elsewhere.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.selectors import variant_fees
from dossiers.lookup import qr_svg
from dossiers.selectors import control_slip, dossier_get
from dossiers.services.papers import dossier_paper_checks
from dossiers.services.personal_data import ACTION, dossier_personal_read
from dossiers.views.common import staff_required
from dossiers.views.pdf import lookup_url
from motcua.cross_site import staff_read_page


@staff_required
@staff_read_page
def slip(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get(user=request.user, code=code)
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.FORM_PRINT,
                          purpose="In phiếu kiểm soát (mẫu 05)")
    return render(request, "dossiers/slip.html",
                  {"dossier": dossier, "rows": control_slip(dossier=dossier)})


@staff_required
@staff_read_page
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get(user=request.user, code=code)
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.FORM_PRINT,
                          purpose="In giấy tiếp nhận (mẫu 01)")
    accepted = next((row for row in control_slip(dossier=dossier) if row.action == "accept"),
                    None)
    context = {
        "dossier": dossier,
        "documents": dossier.documents.select_related("required_document"),
        "paper_checks": dossier_paper_checks(dossier=dossier),
        "fees": variant_fees(dossier.variant, dossier.channel),
        "receiver_name": accepted.giver if accepted else "",
    }
    if dossier.lookup_secret:
        url = lookup_url(request, dossier.code, dossier.lookup_secret)
        context.update({"lookup_url": url, "lookup_qr": qr_svg(url)})
    return render(request, "dossiers/receipt.html", context)
