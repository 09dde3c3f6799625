from rest_framework import serializers

from evaluations.criteria import CRITERION_KEYS, MAX_POINTS, Rating, band_for
from evaluations.models import Evaluation
from motcua import inputs
from motcua.inputs import InputSerializerField
from motcua.serializers import ModelSerializer


class EvaluationInSerializer(serializers.Serializer):
    """The answers: each criterion 2, 1 or 0 points; the two ratings; an optional comment."""

    total_time = serializers.IntegerField(min_value=0, max_value=2)
    agency_time = serializers.IntegerField(min_value=0, max_value=2)
    contacts = serializers.IntegerField(min_value=0, max_value=2)
    agencies = serializers.IntegerField(min_value=0, max_value=2)
    one_stop = serializers.IntegerField(min_value=0, max_value=2)
    publicity = serializers.IntegerField(min_value=0, max_value=2)
    attitude = serializers.IntegerField(min_value=0, max_value=2)
    complaints = serializers.IntegerField(min_value=0, max_value=2)
    online_service = serializers.IntegerField(min_value=0, max_value=2)
    ease_rating = serializers.ChoiceField(choices=Rating.choices)
    overall_rating = serializers.ChoiceField(choices=Rating.choices)
    comment = InputSerializerField(rule=inputs.NOTE, required=False, allow_blank=True)


class EvaluationSerializer(ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    unit = serializers.CharField(source="unit.code")
    points = serializers.IntegerField()
    max_points = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()
    follow_up_open = serializers.SerializerMethodField()
    counted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Evaluation
        fields = ["dossier", "unit", "channel", *CRITERION_KEYS, "ease_rating",
                  "overall_rating", "comment", "points", "max_points", "band",
                  "follow_up_open", "officer_entered", "confirmed_at", "counted", "created_at"]

    def get_max_points(self, obj) -> int:
        return MAX_POINTS

    def get_band(self, obj) -> str:
        return band_for(obj.points)

    def get_follow_up_open(self, obj) -> bool:
        follow_up = getattr(obj, "follow_up", None)
        return bool(follow_up and follow_up.status == "open")


class EvaluationConfirmInSerializer(serializers.Serializer):
    """The code the applicant typed, or a request for a new one."""

    code = serializers.CharField(max_length=6, required=False, allow_blank=True)
    resend = serializers.BooleanField(required=False, default=False)


class EvaluationConfirmSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField()
    # Messages a resend wrote (0: the dossier has no phone or e-mail to send to).
    sent = serializers.IntegerField()
