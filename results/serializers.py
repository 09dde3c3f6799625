from django.urls import reverse
from rest_framework import serializers

from motcua.serializers import ModelSerializer
from results.models import StoredDocument
from results.rendering import stored_ready


class StoredDocumentSerializer(ModelSerializer):
    issuer_unit = serializers.CharField(source="issuer_unit.code")
    issuer_unit_name = serializers.CharField(source="issuer_unit.name")
    dossier = serializers.CharField(source="dossier.code", allow_null=True, default=None)
    signed = serializers.BooleanField()
    download_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = StoredDocument
        fields = ["uid", "kind", "title", "result_code", "document_number", "issuer_unit",
                  "issuer_unit_name", "signer_name", "issued_at", "valid_until",
                  "owner_id_number", "owner_name", "dossier", "procedure_code", "sha256",
                  "size", "signed", "signatures", "timestamped", "download_url", "verify_url"]

    def to_representation(self, instance: StoredDocument) -> dict:
        # The digest and size are the file's: a result still to be rendered is rendered first
        # (results/rendering.py; no statement when the file exists).
        return super().to_representation(stored_ready(instance))

    def get_download_url(self, obj: StoredDocument) -> str:
        return reverse("api:results-download", args=[obj.uid])

    def get_verify_url(self, obj: StoredDocument) -> str:
        return reverse("results:verify_document", args=[obj.uid])


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class SignatureCheckSerializer(serializers.Serializer):
    field = serializers.CharField()
    signer = serializers.CharField()
    organisation = serializers.CharField()
    issuer = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    timestamp_at = serializers.DateTimeField(allow_null=True)
    is_timestamp = serializers.BooleanField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    coverage = serializers.ChoiceField(choices=["file", "revision", "revision_modified",
                                                "partial"])
    coverage_text = serializers.CharField()
    integrity_text = serializers.CharField()
    ok = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class VerificationReportSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    summary = serializers.CharField()
    summary_en = serializers.CharField()
    signatures = SignatureCheckSerializer(many=True)


class ReuseSerializer(serializers.Serializer):
    stored = serializers.UUIDField()
