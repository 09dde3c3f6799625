"""Feedback on regulations from citizens and businesses (PAKN).

Decree 20/2008/ND-CP as amended by Decree 92/2017/ND-CP; Circular 02/2017/TT-VPCP. What may
happen to an item is listed in `feedback/states.py`; every change goes through
`feedback.services.feedback_act` and appends a `FeedbackEvent` in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.codes import public_ref_new
from motcua.window_counts import WindowTry


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ phân loại")
    REFUSED = "refused", _("Không tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
    ACCEPTED = "accepted", _("Đang xử lý")
    ASSIGNED = "assigned", _("Đã giao chuyên viên")
    DRAFTED = "drafted", _("Chờ lãnh đạo duyệt trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã trả lời và công khai")
    REOPENED = "reopened", _("Xem xét lại do người gửi chưa hài lòng")


class Kind(models.TextChoices):
    """The four classes of Decree 20/2008 as amended by Decree 92/2017 (receipt step)."""

    NOT_ACCEPTED = "not_accepted", _("Không đủ điều kiện tiếp nhận")
    DIFFICULTY = "difficulty", _("Khó khăn, vướng mắc khi thực hiện quy định hành chính")
    WITHIN = "within", _("Quy định hành chính thuộc thẩm quyền xử lý")
    OUTSIDE = "outside", _("Quy định hành chính không thuộc thẩm quyền xử lý")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công (trang phản ánh)")
    PROCEDURE = "procedure", _("Trang thủ tục hành chính")
    DOSSIER = "dossier", _("Hồ sơ của tôi")
    LETTER = "letter", _("Văn bản, thư gửi đến")
    PHONE = "phone", _("Điện thoại")
    NATIONAL = "national", _("Hệ thống PAKN quốc gia")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Chưa hài lòng")


class Feedback(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=30, unique=True)
    lookup_secret = models.CharField(_("mã bí mật tra cứu"), max_length=12)
    # The published answer's name on the public site (feedback/codes.py): never the code.
    public_ref = models.CharField(_("mã công khai"), max_length=16, unique=True,
                                  default=public_ref_new, editable=False)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=12, choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices,
                             default=State.RECEIVED, db_index=True)
    kind = models.CharField(_("phân loại"), max_length=14, choices=Kind.choices, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung phản ánh, kiến nghị"))
    # The sender: personal data, never shown on a public page (docs/feedback.md).
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=150)
    sender_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    sender_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("tài khoản người gửi"))
    publish_consent = models.BooleanField(_("đồng ý công khai nội dung và trả lời"),
                                          default=False)
    is_general = models.BooleanField(_("nội dung mang tính phổ biến"), default=False)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40, blank=True, db_index=True)
    procedure_name = models.TextField(_("tên thủ tục"), blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("hồ sơ"))
    receiving_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("cơ quan tiếp nhận"))
    handling_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("cơ quan xử lý"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("chuyên viên xử lý"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("cán bộ ghi nhận"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    forward_due_at = models.DateTimeField(_("hạn phân loại, chuyển"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("thời điểm chuyển"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("thời điểm cơ quan có thẩm quyền nhận xử lý"),
                                       null=True, blank=True)
    answer_due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True, db_index=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    # Folded title + answer (catalog.text.fold) for the public search, diacritics ignored.
    search_text = models.TextField(blank=True)
    rating = models.CharField(_("đánh giá của người gửi"), max_length=14,
                              choices=Rating.choices, blank=True)
    # When staff were last warned that the item is overdue (one warning per day at most).
    overdue_warned_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("số lần xem xét lại"), default=0)
    refuse_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    # The item's identifier in the national PAKN system, once it went there or came from it.
    national_id = models.CharField(_("mã trên hệ thống PAKN quốc gia"), max_length=60,
                                   blank=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class FeedbackAttachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng"))
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.name


class FeedbackEvent(models.Model):
    """Append-only history of an item: who did what, when, in which unit, from and to which
    state."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=30)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    actor_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices)
    to_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    note = models.TextField(_("lý do, ghi chú"), blank=True)
    # "late" when the step finished after its due moment (forward, answer), else "on_time".
    timing = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["feedback_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "seq"], name="feedback_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Feedback events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Feedback events are append-only")


class LookupFailure(WindowTry):
    """One wrong try of the public feedback lookup, counted per code and per address in the
    database (the approach of dossiers/services/lookup.py: written before it is judged)."""

    class Scope(models.TextChoices):
        CODE = "code", "code"
        ADDRESS = "address", "address"

    scope = models.CharField(max_length=10, choices=Scope.choices)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]


class SendRecord(WindowTry):
    """One item sent from a public form or the public API, counted per client address and per
    contact its receipt goes to (feedback/services/sending.py): written before it is judged,
    as the lookup's tries are, so a burst over several workers is counted whole."""

    class Scope(models.TextChoices):
        ADDRESS = "address", "address"
        CONTACT = "contact", "contact"

    scope = models.CharField(max_length=10, choices=Scope.choices)
    # An e-mail address may be 254 characters long (RFC 5321).
    key = models.CharField(max_length=254)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]


class NationalOutbox(models.Model):
    """What must go to the national PAKN system; kept until the system acknowledged it, so a
    system that is down loses nothing (retried by `manage.py feedback_national_sync`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=20)  # "item" (a new item) or "answer"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tries = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_try_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.message} {self.feedback_id} ({self.status})"
