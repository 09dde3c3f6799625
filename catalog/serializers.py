"""API shapes of the procedure catalog."""

from rest_framework import serializers

from catalog.models import Fee, LegalBasis, Procedure, RequiredDocument, Step, TimeLimit, Variant
from motcua.serializers import FieldsReused, ModelSerializer


class TimeLimitSerializer(ModelSerializer):
    class Meta:
        model = TimeLimit
        fields = ["channel", "amount", "unit", "description"]


class FeeSerializer(ModelSerializer):
    class Meta:
        model = Fee
        fields = ["channel", "name", "amount", "description"]


class RequiredDocumentSerializer(ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "copy_kind", "count", "template_name", "template_url",
                  "optional", "alternative_group", "choices", "condition", "lookup"]


class StepSerializer(ModelSerializer):
    class Meta:
        model = Step
        fields = ["order", "name", "role", "share_percent"]


class VariantSerializer(ModelSerializer):
    time_limits = TimeLimitSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    documents = RequiredDocumentSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Variant
        fields = ["id", "name", "cutoff_time", "civil_code_counting", "time_limits", "fees",
                  "documents", "steps"]


class LegalBasisSerializer(ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = ["number", "title"]


# Its fields are kept per thread (FieldsReused): the search answers with it on every query.
class ProcedureSerializer(FieldsReused, ModelSerializer):
    field = serializers.CharField(source="field.name", allow_null=True, default=None)

    class Meta:
        model = Procedure
        fields = ["code", "version", "name", "field", "level", "online_level",
                  "applicant_types", "competent_authority", "effective_from"]


class ProcedureDetailSerializer(ProcedureSerializer):
    variants = VariantSerializer(many=True, read_only=True)
    legal_bases = LegalBasisSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = ProcedureSerializer.Meta.fields + [
            "implementing_agency", "coordinating_agencies", "steps_text", "requirements",
            "result_text", "submission_address", "decision_number", "variants", "legal_bases"]
