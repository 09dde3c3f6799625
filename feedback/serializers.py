"""Shapes of the feedback API. The public ones hold no sender data."""

from rest_framework import serializers

from feedback.models import Channel, Feedback, FeedbackEvent, Rating


class FeedbackSendSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255, allow_blank=True)
    content = serializers.CharField(max_length=10000, allow_blank=True)
    sender_name = serializers.CharField(max_length=150, allow_blank=True)
    sender_phone = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                         default="")
    sender_email = serializers.CharField(max_length=254, required=False, allow_blank=True,
                                         default="")
    sender_address = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                           default="")
    publish_consent = serializers.BooleanField(required=False, default=False)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                 help_text="Mã định danh của cơ quan nhận; trống: cơ quan chung.")
    procedure_code = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                           default="")
    dossier_code = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                         default="", help_text="Hồ sơ của chính người gửi "
                                         "(cần đăng nhập, danh tính đã xác thực).")
    channel = serializers.ChoiceField(choices=[Channel.PORTAL, Channel.LETTER, Channel.PHONE],
                                      required=False, default=Channel.PORTAL,
                                      help_text="letter/phone: cán bộ ghi nhận cho đơn vị mình.")


class FeedbackSentSerializer(serializers.Serializer):
    code = serializers.CharField()
    secret = serializers.CharField(help_text="Mã bí mật tra cứu; chỉ trả về một lần.")


class FeedbackLookupSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    factor = serializers.CharField(max_length=20, help_text="Mã bí mật hoặc 4 số cuối điện thoại.")


class FeedbackRateSerializer(FeedbackLookupSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class FeedbackHistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField()
    unit = serializers.CharField()
    note = serializers.CharField()


class FeedbackStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    kind_label = serializers.CharField()
    unit = serializers.CharField()
    received_at = serializers.DateTimeField()
    answer_due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    refuse_reason = serializers.CharField()
    rating = serializers.CharField()
    published = serializers.BooleanField()
    history = FeedbackHistorySerializer(many=True)


class FeedbackAnswerSerializer(serializers.Serializer):
    ref = serializers.CharField(help_text="Mã công khai của câu trả lời (không phải mã phản ánh).")
    title = serializers.CharField()
    content = serializers.CharField()
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    unit = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class FeedbackSerializer(serializers.ModelSerializer):
    receiving_unit = serializers.CharField(source="receiving_unit.code")
    handling_unit = serializers.CharField(source="handling_unit.code")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    # Declared, not derived from the model: the model field's range depends on the database,
    # and the committed schema must be the same on SQLite and PostgreSQL.
    reopen_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Feedback
        fields = ["code", "channel", "state", "kind", "title", "procedure_code",
                  "receiving_unit", "handling_unit", "assignee", "received_at",
                  "forward_due_at", "forwarded_at", "answer_due_at", "answered_at",
                  "published_at", "rating", "reopen_count", "national_id"]


class FeedbackEventSerializer(serializers.ModelSerializer):
    seq = serializers.IntegerField(read_only=True)
    actor_unit = serializers.CharField(source="actor_unit.code", allow_null=True, default=None)
    to_unit = serializers.CharField(source="to_unit.code", allow_null=True, default=None)

    class Meta:
        model = FeedbackEvent
        fields = ["seq", "action", "at", "actor_name", "actor_unit", "from_state", "to_state",
                  "to_unit", "note", "timing", "data"]


class FeedbackDetailSerializer(FeedbackSerializer):
    events = FeedbackEventSerializer(many=True, read_only=True)

    class Meta(FeedbackSerializer.Meta):
        fields = [*FeedbackSerializer.Meta.fields, "content", "sender_name", "sender_phone",
                  "sender_email", "sender_address", "publish_consent", "is_general", "answer",
                  "refuse_reason", "events"]


class FeedbackActionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                   default="")
    kind = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                 help_text="forward, reforward: mã định danh cơ quan có "
                                           "thẩm quyền.")
    assignee = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                     default="", help_text="assign: tên đăng nhập chuyên viên.")
    answer = serializers.CharField(max_length=20000, required=False, allow_blank=True,
                                   default="")
    general = serializers.BooleanField(required=False, default=False)


class FeedbackFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    refused = serializers.IntegerField()
    forwarded = serializers.IntegerField()
    forwarded_late = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    answered_late = serializers.IntegerField()
    open = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    published = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    not_satisfied = serializers.IntegerField()
    handled = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class FeedbackStatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    figures = FeedbackFiguresSerializer()


class FeedbackStatisticsSerializer(serializers.Serializer):
    total = FeedbackFiguresSerializer()
    rows = FeedbackStatisticsRowSerializer(many=True)
