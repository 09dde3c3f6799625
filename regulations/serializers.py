"""The register's API shapes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua import inputs
from motcua.inputs import InputSerializerField
from regulations import selectors
from regulations.models import Provision, ProvisionEvent, ReviewRound


class SummarySerializer(serializers.Serializer):
    label = serializers.CharField()
    reviewed = serializers.IntegerField()
    proposed = serializers.IntegerField()
    approved = serializers.IntegerField()
    done = serializers.IntegerField()
    cost_before = serializers.IntegerField(help_text="Chi phí tuân thủ hằng năm (đồng).")
    cost_saved = serializers.IntegerField()
    cut_percent = serializers.FloatField(allow_null=True)
    cost_saved_percent = serializers.FloatField(allow_null=True)
    target_percent = serializers.FloatField(help_text="Nghị quyết 68/NQ-CP: 20 %.")
    cut_target_met = serializers.BooleanField()
    cost_target_met = serializers.BooleanField()


class RoundSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ReviewRound
        fields = ["id", "name", "unit", "start_date", "end_date", "basis", "status", "summary"]

    def get_summary(self, obj) -> SummarySerializer:
        return SummarySerializer(selectors.round_summary(obj)).data


class RoundCreateSerializer(serializers.Serializer):
    name = InputSerializerField(rule=inputs.SHORT_LINE)
    unit = serializers.CharField(help_text="Mã định danh đơn vị chủ trì.")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    basis = InputSerializerField(rule=inputs.NOTE, required=False, allow_blank=True)


class FiguresSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    on_time_percent = serializers.FloatField(allow_null=True)


class EffectSerializer(serializers.Serializer):
    before = FiguresSerializer()
    after = FiguresSerializer()


class ProvisionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    round = serializers.IntegerField(source="round_id")
    cost = serializers.SerializerMethodField()
    new_version = serializers.SerializerMethodField()
    effect = serializers.SerializerMethodField()
    # Declared: a model's integer would give a different schema maximum per database.
    yearly_dossiers = serializers.IntegerField(min_value=0, read_only=True)

    class Meta:
        model = Provision
        fields = ["id", "round", "kind", "unit", "procedure_code", "legal_text", "content",
                  "action", "reason", "hourly_cost", "hours_before", "fees_before",
                  "outside_before", "hours_after", "fees_after", "outside_after",
                  "yearly_dossiers", "yearly_counted_at", "new_time_limit", "new_fee",
                  "new_level", "new_text", "state", "decision_number", "decision_date",
                  "effective_date", "new_version", "cost", "effect"]

    def get_cost(self, obj) -> dict:
        s = selectors.provision_saving(obj)
        h = selectors.provision_hourly(obj)
        # How the hourly cost was reached: null when typed, else the income figure it divides.
        basis = h and {"income_year": h.year, "per_capita_income": h.per_capita,
                       "hours_per_year": h.hours_per_year, "source": h.source}
        return {"before": s.before, "after": s.after, "saved": s.saved, "percent": s.percent,
                "hourly_basis": basis}

    def get_new_version(self, obj) -> int | None:
        return obj.new_version.version if obj.new_version_id else None

    @extend_schema_field(EffectSerializer(allow_null=True))
    def get_effect(self, obj) -> dict | None:
        effect = selectors.provision_effect(obj)
        return EffectSerializer(effect).data if effect else None


class ProvisionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Provision.Kind.choices)
    procedure_code = InputSerializerField(rule=inputs.SHORT_LINE, required=False,
                                          allow_blank=True)
    element = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="Id của giấy tờ, thời hạn, phí hoặc bước.")
    unit = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                 help_text="Mã đơn vị đề xuất; mặc định đơn vị giải quyết.")
    legal_text = InputSerializerField(rule=inputs.SHORT_LINE, required=False, allow_blank=True)
    content = InputSerializerField(rule=inputs.NOTE, required=False, allow_blank=True)


class ProposalSerializer(serializers.Serializer):
    """Any of the proposal's fields; numbers may be sent as strings."""

    action = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    hourly_cost = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    hours_before = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    fees_before = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    outside_before = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    hours_after = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    fees_after = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    outside_after = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    new_time_limit = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                         allow_null=True)
    new_fee = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                  allow_null=True)
    new_level = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    new_text = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ProvisionActionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    decision_number = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    decision_date = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    effective_date = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ProvisionEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name")

    class Meta:
        model = ProvisionEvent
        fields = ["action", "actor", "at", "from_state", "to_state", "note", "data"]
