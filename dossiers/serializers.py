"""API shapes of dossiers. Validation of the shape only; the rules live in dossiers/services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Channel
from dossiers.models import ApplicantKind, Dossier, DossierDocument, DossierEvent, DossierStep
from dossiers.states import PORTAL_LABEL, portal_status
from motcua import inputs
from motcua.inputs import InputSerializerField
from motcua.serializers import BuiltOnce, FieldsReused, ModelSerializer


class ApplicantInSerializer(BuiltOnce, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN)
    # The rules of motcua/inputs.py: the same check and message as the web forms'.
    name = InputSerializerField(rule=inputs.NAME)
    id_number = InputSerializerField(rule=inputs.ID_NUMBER, required=False, allow_blank=True)
    address = InputSerializerField(rule=inputs.ADDRESS, required=False, allow_blank=True)
    phone = InputSerializerField(rule=inputs.PHONE, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    owner_name = InputSerializerField(rule=inputs.NAME, required=False, allow_blank=True)
    owner_id_number = InputSerializerField(rule=inputs.ID_NUMBER, required=False,
                                           allow_blank=True)


class DocumentInSerializer(BuiltOnce, serializers.Serializer):
    required_document = serializers.IntegerField(required=False, allow_null=True)
    name = InputSerializerField(rule=inputs.DOCUMENT_NAME, required=False, allow_blank=True)
    copy_kind = serializers.CharField(required=False, allow_blank=True, max_length=20)
    count = serializers.IntegerField(required=False, min_value=1, max_value=100)
    original_seen = serializers.BooleanField(required=False, default=False)


class PaperChecksInSerializer(serializers.Serializer):
    """The desk's answers about the papers (dossiers/services/papers.py)."""

    applies = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list,
        help_text="Giấy tờ có điều kiện mà người nộp thuộc trường hợp đó (id thành phần hồ sơ).")
    not_applicable = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000), required=False,
        default=dict, help_text="{id thành phần hồ sơ: lý do} giấy tờ không áp dụng với "
                                "người nộp này.")
    lookups = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list,
        help_text="Giấy tờ khai thác dữ liệu thay cho nộp (CSDL dân cư, kho dữ liệu).")


class DossierCreateSerializer(BuiltOnce, serializers.Serializer):
    variant = serializers.IntegerField(help_text="Mã (id) trường hợp của thủ tục.")
    channel = serializers.ChoiceField(choices=Channel.choices,
                                      help_text="1 trực tiếp, 2 trực tuyến, 3 bưu chính.")
    receiving_unit = serializers.CharField(
        required=False, help_text="Mã định danh đơn vị tiếp nhận; mặc định đơn vị của cán bộ.")
    applicant = ApplicantInSerializer()
    documents = DocumentInSerializer(many=True, required=False)
    summary = InputSerializerField(rule=inputs.SUMMARY, required=False, allow_blank=True)
    sets_count = serializers.IntegerField(required=False, default=1, min_value=1, max_value=20)
    return_method = InputSerializerField(rule=inputs.SHORT_LINE, required=False,
                                         allow_blank=True)
    accept = serializers.BooleanField(
        required=False, default=False,
        help_text="Tiếp nhận ngay (tại quầy): cấp Giấy tiếp nhận và tính ngày hẹn trả.")
    papers = PaperChecksInSerializer(required=False)


class ActionSerializer(BuiltOnce, serializers.Serializer):
    reason = InputSerializerField(rule=inputs.REASON, required=False, allow_blank=True)
    data = serializers.DictField(required=False, default=dict,
                                 help_text="assignee, missing_documents, new_due_at, amount, "
                                           "receiver (return_result, required: method, kind, "
                                           "name, paper, tracking), result_draft (approve, "
                                           "required where the procedure's result is "
                                           "drafted: the latest draft's id)…")


class DossierStepSerializer(BuiltOnce, ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)

    class Meta:
        model = DossierStep
        fields = ["order", "name", "role", "unit", "unit_name", "assignee", "started_at",
                  "due_at", "finished_at", "timing"]


class DocumentSerializer(BuiltOnce, ModelSerializer):
    class Meta:
        model = DossierDocument
        fields = ["id", "required_document", "name", "copy_kind", "count", "original_seen",
                  "digitised", "reused", "from_national_store", "replacing_result_code"]


class EventSerializer(BuiltOnce, ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    actor_unit = serializers.CharField(source="actor_unit.code", allow_null=True, default=None)
    to_unit = serializers.CharField(source="to_unit.code", allow_null=True, default=None)
    to_user = serializers.CharField(source="to_user.username", allow_null=True, default=None)

    class Meta:
        model = DossierEvent
        fields = ["seq", "action", "at", "actor", "actor_unit", "from_state", "to_state",
                  "to_unit", "to_user", "reason", "step_due_at", "timing", "dossier_due_at",
                  "data"]


class DossierSerializer(BuiltOnce, ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    receiving_unit = serializers.CharField(source="receiving_unit.code")
    competent_unit = serializers.CharField(source="competent_unit.code")
    current_unit = serializers.CharField(source="current_unit.code")
    portal_status = serializers.SerializerMethodField()
    portal_status_label = serializers.SerializerMethodField()
    applicant = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = ["code", "procedure_code", "procedure_name", "variant", "channel", "state",
                  "portal_status", "portal_status_label", "receiving_unit", "competent_unit",
                  "current_unit", "applicant", "summary", "sets_count", "limit_amount",
                  "limit_unit", "submitted_at", "received_at", "clock_started_at", "due_at",
                  "original_due_at", "paused_at", "decided_at", "returned_at", "closed_at",
                  "timing", "apology_count"]

    @extend_schema_field(serializers.IntegerField())
    def get_portal_status(self, obj: Dossier) -> int:
        return portal_status(obj.state)

    @extend_schema_field(serializers.CharField())
    def get_portal_status_label(self, obj: Dossier) -> str:
        # The label in the request's language now, a plain text: left lazy, the renderer's
        # encoder met it as an unknown type and translated it there (issue #18).
        return str(PORTAL_LABEL[portal_status(obj.state)])

    @extend_schema_field(ApplicantInSerializer())
    def get_applicant(self, obj: Dossier) -> dict:
        return {"kind": obj.applicant_kind, "name": obj.applicant_name,
                "id_number": obj.applicant_id_number, "address": obj.applicant_address,
                "phone": obj.applicant_phone, "email": obj.applicant_email,
                "owner_name": obj.owner_name, "owner_id_number": obj.owner_id_number}


class ApplicantRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    name = serializers.CharField()
    owner_name = serializers.CharField()


class DossierRowSerializer(DossierSerializer):
    """A row of the staff list: the applicant by name only, as on the inbox page. The ID number,
    address, phone and e-mail are in the dossier's own answer (GET /api/v1/dossiers/{code}/),
    whose every read by staff is written to the personal-data access log."""

    # The list is read without a log row (dossiers/services/personal_data.py), so it carries
    # nothing that identifies or reaches the person: paging through it gave every ID number and
    # phone of a unit's dossiers, unlogged (Decree 13/2023/NĐ-CP, Art. 3: only what the purpose
    # needs).

    @extend_schema_field(ApplicantRowSerializer())
    def get_applicant(self, obj: Dossier) -> dict:
        return {"kind": obj.applicant_kind, "name": obj.applicant_name,
                "owner_name": obj.owner_name}


class DossierDetailSerializer(FieldsReused, DossierSerializer):
    steps = DossierStepSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = DossierSerializer.Meta.fields + ["steps", "documents", "allowed_actions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj: Dossier) -> list[str]:
        from dossiers.services.transitions import allowed_actions

        return [t.action for t in allowed_actions(obj, self.context["request"].user)]
