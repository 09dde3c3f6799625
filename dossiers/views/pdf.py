"""Forms 01–05 of a dossier as PDF files (Circular 03/2025/TT-VPCP; domain.md §4)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from catalog.selectors import variant_fees
from dossiers.lookup import lookup_address
from dossiers.printing import forms
from dossiers.selectors import control_slip, dossier_event_for_form, dossier_get
from dossiers.services.papers import dossier_paper_checks
from dossiers.services.personal_data import ACTION, dossier_personal_read
from dossiers.views.common import staff_required
from motcua.cross_site import staff_read_page
from motcua.downloads import generated_attachment
from motcua.errors import DomainError

# The action that issues each numbered form.
FORM_ACTION = {"02": "request_supplement", "03": "refuse", "04": "apologize"}


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A form or register printed from a dossier: shown in the browser's viewer, never cached
    (it holds the applicant's data), its type never guessed (motcua/downloads.py)."""
    return generated_attachment(content, filename=filename, content_type=content_type,
                                inline=True)


def lookup_url(request: HttpRequest, code: str, secret: str) -> str:
    """Where the QR code on Form 01 leads: the public status page, code and secret filled in
    (the secret in the fragment, never sent to a server: dossiers.lookup.lookup_address)."""
    return lookup_address(request.build_absolute_uri(reverse("dossiers:lookup")), code, secret)


@staff_required
@staff_read_page
def form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    dossier = dossier_get(user=request.user, code=code)
    dossier_personal_read(actor=request.user, dossier=dossier, action=ACTION.FORM_PRINT,
                          purpose="In phiếu, biểu mẫu", reference=f"{dossier.code} · mẫu {form}")
    return form_pdf_response(request, dossier, form)


def form_pdf_response(request: HttpRequest, dossier, form: str) -> HttpResponse:
    """Form `form` of a dossier the caller has already been allowed to see.

    Official forms are Vietnamese documents whatever language the screen is in.
    """
    with translation.override("vi"):
        return _form_pdf(request, dossier, form)


def _form_pdf(request: HttpRequest, dossier, form: str) -> HttpResponse:
    if form == "01":
        if dossier.received_at is None:
            raise Http404("Hồ sơ chưa được tiếp nhận: chưa có giấy tiếp nhận.")
        accepted = dossier_event_for_form(dossier=dossier, action="accept")
        content = forms.form01(
            dossier, documents=list(dossier.documents.select_related("required_document")),
            fees=variant_fees(dossier.variant, dossier.channel),
            receiver_name=accepted.actor_name if accepted else "",
            lookup_url=lookup_url(request, dossier.code, dossier.lookup_secret),
            lookup_secret=dossier.lookup_secret,
            paper_checks=dossier_paper_checks(dossier=dossier))
    elif form in FORM_ACTION:
        event = dossier_event_for_form(dossier=dossier, action=FORM_ACTION[form],
                                       seq=request.GET.get("su-kien"))
        if event is None:
            raise Http404("Hồ sơ chưa có phiếu này.")
        if form == "02":
            unit = event.actor_unit or dossier.receiving_unit
            content = forms.form02(dossier, event, contact_phone=unit.phone)
        elif form == "03":
            content = forms.form03(dossier, event)
        else:
            # The apology letter is signed by the head of agency (results/, docs/results.md).
            from results.services import issued_form_sign

            try:
                content = issued_form_sign(
                    forms.form04(dossier, event), unit=event.actor_unit or dossier.competent_unit,
                    title="Phiếu xin lỗi và đề nghị gia hạn",
                    number=event.data.get("document_number", ""),
                    signer=event.actor, signer_name=event.actor_name)
            except DomainError as error:
                # No usable certificate (none, unreadable, out of its term): said on the
                # dossier's page, not a server error.
                messages.error(request, error.localized_message)
                return redirect("dossiers:detail", code=dossier.code)
    elif form == "05":
        content = forms.form05(dossier, control_slip(dossier=dossier))
    else:
        raise Http404("Không có mẫu này.")
    return attachment(content, f"mau-{form}_{dossier.code}.pdf", "application/pdf")
