"""The applicant's payment page, the gateway hand-off, the staff confirmation, the callback."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from dossiers.lookup import lookup_proven, qr_svg
from dossiers.selectors import dossier_visible
from dossiers.views.common import page, staff_required
from motcua.downloads import generated_attachment
from motcua.errors import DomainError
from motcua.inputs import day_parse
from payments.gateway import SIGNATURE_HEADER, gateway_default
from payments.models import Method, Payment, PaymentState, Source
from payments.receipt import receipt_pdf
from payments.reconciliation import reconciliation_day
from payments.selectors import payment_by_token, payment_is_payable, payment_qr_payload
from payments.services import (
    callback_receive,
    payment_confirm,
    payment_gateway_start,
    payment_link_expired,
    payment_refund,
)


def _no_store(response: HttpResponse) -> HttpResponse:
    # The URL is the key to the page: keep it out of shared caches and other sites' logs.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


class _LinkExpired(Exception):
    pass


def _payment_by_link(token: str) -> Payment:
    """The one payment `token` opens (its page, its gateway order, its receipt: nothing else of
    the dossier); 404 for no payment, the expired-link page for a link that has run out."""
    payment = payment_by_token(token=token)
    if payment is None:
        raise Http404
    if payment_link_expired(payment):
        raise _LinkExpired
    return payment


def _link_expired(request: HttpRequest) -> HttpResponse:
    # Gone, and says how to get a new link; nothing of the payment or the dossier is shown.
    return _no_store(render(request, "payments/link_expired.html", status=410))


def _by_link(view):
    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        try:
            payment = _payment_by_link(token)
        except _LinkExpired:
            return _link_expired(request)
        return view(request, payment, token)
    return wrapped


@require_safe
@_by_link
def payment_page(request: HttpRequest, payment: Payment, token: str) -> HttpResponse:
    payload = payment_qr_payload(payment)
    context = {
        "payment": payment, "lines": payment.lines.all(), "payable": payment_is_payable(payment),
        "payload": payload, "qr": qr_svg(payload, size=220) if payload else "",
        "returned": request.GET.get("ket-qua", ""),
    }
    return _no_store(render(request, "payments/pay.html", context))


@require_POST
@_by_link
def payment_gateway(request: HttpRequest, payment: Payment, token: str) -> HttpResponse:
    page = reverse("payments:page", args=[token])
    try:
        pay_url = payment_gateway_start(
            payment=payment, gateway=gateway_default(),
            return_url=request.build_absolute_uri(page),
            callback_url=request.build_absolute_uri(reverse("api:payment-callback")))
    except DomainError as exc:
        messages.error(request, exc.localized_message)
        return _no_store(HttpResponseRedirect(page))
    return _no_store(HttpResponseRedirect(pay_url))


def _receipt_readable(request: HttpRequest, payment: Payment) -> bool:
    """The receipt names the payer (Decree 13/2023/NĐ-CP art. 2: personal data): it opens in a
    browser session that proved the dossier's code and secret on the lookup page, to the
    dossier's applicant signed in, and to staff who see the dossier — never to the link alone,
    which sits in the web server's access log and the gateway's for its 14 days, as the result
    download's signed link did until it became a session grant (results/views.py)."""
    if lookup_proven(request.session, payment.dossier.code):
        return True
    return dossier_visible(request.user).filter(pk=payment.dossier_id).exists()


@require_safe
@_by_link
def payment_receipt(request: HttpRequest, payment: Payment, token: str) -> HttpResponse:
    if payment.state not in (PaymentState.PAID, PaymentState.REFUNDED):
        raise Http404
    if not _receipt_readable(request, payment):
        return _no_store(render(request, "payments/receipt_locked.html",
                                {"code": payment.dossier.code}, status=403))
    response = generated_attachment(receipt_pdf(payment), content_type="application/pdf",
                                    filename=f"bien-lai-{payment.reference}.pdf", inline=True)
    return _no_store(response)


@staff_required
@require_safe
def reconciliation(request: HttpRequest) -> HttpResponse:
    """Đối soát: one day's confirmations against the money the bank and gateway reported."""
    # A day that does not exist or lies outside the years the system keeps is today's page.
    day = day_parse(request.GET.get("ngay")) or timezone.localdate()
    scope = Payment.objects.filter(dossier__in=dossier_visible(request.user))
    report = reconciliation_day(day=day, payments=scope)
    return page(request, "payments/reconciliation.html", {"report": report})


@staff_required
@require_POST
def payment_confirm_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Đã nhận tiền: an officer records a transfer seen on the account, or cash at the counter."""
    payment = Payment.objects.filter(
        reference=reference, dossier__in=dossier_visible(request.user)).first()
    if payment is None:
        raise Http404
    method = request.POST.get("method", Method.TRANSFER)
    if payment.amount == 0:
        method = Method.EXEMPT
    if method not in (Method.TRANSFER, Method.CASH, Method.EXEMPT):
        method = Method.TRANSFER
    try:
        payment_confirm(payment=payment, source=Source.OFFICER, method=method,
                        actor=request.user, note=request.POST.get("note", "").strip()[:500])
        messages.success(request, _("Đã xác nhận nhận tiền khoản %(ref)s.")
                         % {"ref": payment.reference})
    except DomainError as exc:
        messages.error(request, exc.localized_message)
    return HttpResponseRedirect(reverse("dossiers:detail", args=[payment.dossier.code]))


@staff_required
@require_POST
def payment_refund_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Hoàn tiền: an officer records that a paid amount was given back, with the reason."""
    payment = Payment.objects.filter(
        reference=reference, dossier__in=dossier_visible(request.user)).first()
    if payment is None:
        raise Http404
    try:
        payment_refund(payment=payment, actor=request.user,
                       reason=request.POST.get("reason", "")[:500])
        messages.success(request, _("Đã ghi nhận hoàn tiền khoản %(ref)s.")
                         % {"ref": payment.reference})
    except DomainError as exc:
        messages.error(request, exc.localized_message)
    return HttpResponseRedirect(reverse("dossiers:detail", args=[payment.dossier.code]))


@csrf_exempt
@require_POST
def payment_callback(request: HttpRequest) -> JsonResponse:
    """IPN of the gateway and of the bank statement feed; authenticated by HMAC, not a session."""
    try:
        body = request.body
    except RawPostDataException:
        # A form's body (multipart) has been read, and its stream spent, by the NUL check
        # (motcua/nul.py) before this view: it was a 500 (audit10). Both senders send JSON.
        return JsonResponse({"error": {"code": "unsupported_media_type",
                                       "message": "Định dạng dữ liệu không được hỗ trợ.",
                                       "message_en": "Unsupported media type."}}, status=415)
    result = callback_receive(body=body,
                              signature=request.headers.get(SIGNATURE_HEADER, ""),
                              remote_addr=request.META.get("REMOTE_ADDR", ""))
    if result.http_status != 200:
        message, message_en = result.message
        return JsonResponse({"error": {"code": result.reason, "message": message,
                                       "message_en": message_en}}, status=result.http_status)
    return JsonResponse({"ok": True, "outcome": result.outcome,
                         "state": result.payment.state if result.payment else ""})
