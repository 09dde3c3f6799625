from rest_framework import serializers

from motcua import inputs
from motcua.inputs import InputSerializerField
from motcua.serializers import ModelSerializer
from payments.models import Method, Payment, PaymentEvent, PaymentLine


class PaymentLineSerializer(ModelSerializer):
    class Meta:
        model = PaymentLine
        fields = ["name", "online_amount", "counter_amount", "amount", "exempt_reason"]


class PaymentEventSerializer(ModelSerializer):
    actor = serializers.CharField(source="actor_name")

    class Meta:
        model = PaymentEvent
        fields = ["seq", "action", "from_state", "to_state", "at", "source", "actor", "amount"]


class PaymentSerializer(ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    lines = PaymentLineSerializer(many=True)
    events = PaymentEventSerializer(many=True)

    class Meta:
        model = Payment
        fields = ["reference", "dossier", "state", "amount", "exemption", "method",
                  "confirmed_by", "bank_bin", "bank_name", "account_number", "account_name",
                  "transaction_id", "created_at", "paid_at", "lines", "events"]


class ConfirmSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[Method.TRANSFER, Method.CASH, Method.EXEMPT],
                                     default=Method.TRANSFER)
    note = InputSerializerField(rule=inputs.SHORT_NOTE, required=False, allow_blank=True)


class RefundSerializer(serializers.Serializer):
    reason = InputSerializerField(rule=inputs.SHORT_NOTE)
