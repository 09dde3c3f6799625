"""JSON API for staff: a dossier's payments, and "đã nhận tiền" (officer's confirmation)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.selectors import dossier_get, dossier_visible
from payments.models import Method, Payment, Source
from payments.selectors import payments_of_dossier
from payments.serializers import ConfirmSerializer, PaymentSerializer, RefundSerializer
from payments.services import payment_confirm, payment_refund


class DossierPaymentsApi(APIView):
    @extend_schema(responses=PaymentSerializer(many=True))
    def get(self, request, code: str):
        dossier = dossier_get(user=request.user, code=code)
        return Response(PaymentSerializer(payments_of_dossier(dossier=dossier), many=True).data)


def _visible_payment(request, reference: str) -> Payment:
    payment = Payment.objects.filter(
        reference=reference, dossier__in=dossier_visible(request.user)).first()
    if payment is None:
        raise Http404
    return payment


def _detail(payment: Payment) -> dict:
    return PaymentSerializer(payments_of_dossier(dossier=payment.dossier).get(pk=payment.pk)).data


class PaymentConfirmApi(APIView):
    @extend_schema(request=ConfirmSerializer, responses=PaymentSerializer)
    def post(self, request, reference: str):
        payment = _visible_payment(request, reference)
        s = ConfirmSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        method = Method.EXEMPT if payment.amount == 0 else s.validated_data["method"]
        payment = payment_confirm(payment=payment, source=Source.OFFICER, method=method,
                                  actor=request.user, note=s.validated_data.get("note", ""))
        return Response(_detail(payment))


class PaymentRefundApi(APIView):
    @extend_schema(request=RefundSerializer, responses=PaymentSerializer)
    def post(self, request, reference: str):
        payment = _visible_payment(request, reference)
        s = RefundSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        payment = payment_refund(payment=payment, actor=request.user,
                                 reason=s.validated_data["reason"])
        return Response(_detail(payment))
