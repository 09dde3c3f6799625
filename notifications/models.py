"""The notification outbox: one row per message to send, written inside the change's transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    # Shown on the staff member's own "Thông báo" page: delivered when written.
    WEB = "web", _("Trang Thông báo")


class Kind(models.TextChoices):
    """What a message is about: one per dossier event that is told to the applicant, plus staff."""

    ACCEPTED = "accepted", _("Tiếp nhận hồ sơ")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    APOLOGY = "apology", _("Xin lỗi, hẹn lại ngày trả")
    RESULT_READY = "result_ready", _("Có kết quả")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp phí, lệ phí")
    STAFF = "staff", _("Thông báo cho cán bộ")
    # Feedback on regulations (feedback/): the answer or the refusal told to the sender.
    FEEDBACK = "feedback", _("Trả lời phản ánh, kiến nghị")
    # The one-time link of a satisfaction survey (SIPAS, reform/sipas/).
    SURVEY = "survey", _("Mời khảo sát sự hài lòng")
    # The one-time code that confirms an evaluation a desk officer entered (evaluations/).
    EVALUATION_CONFIRM = "evaluation_confirm", _("Mã xác nhận đánh giá tại quầy")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công, đã dừng thử lại")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="notifications",
                                verbose_name=_("hồ sơ"))
    # The event the message tells about; with the channel it is unique, so a consumer that ran
    # twice for one event could never send the same message twice.
    event = models.ForeignKey("dossiers.DossierEvent", on_delete=models.CASCADE, null=True,
                              blank=True, related_name="+")
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("người nhận (tài khoản)"))
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    # What in the text opens something for whoever reads it: a dossier's lookup secret, a survey
    # link, a one-time code. Needed until the message is sent (a retry sends it again); then
    # struck from the text, and never shown in the admin (Decree 13/2023/NĐ-CP art. 3 cl. 6,
    # security of personal data; docs/security.md, "The audit9 review").
    secrets = models.JSONField(_("phần bí mật"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    tries = models.PositiveIntegerField(_("số lần đã thử"), default=0)
    last_error = models.TextField(_("lỗi lần gần nhất"), blank=True)
    # Due for (another) attempt from this moment; a worker pushes it forward while it sends, so
    # a message whose worker died is due again once that lease is over.
    next_try_at = models.DateTimeField(_("thử lại lúc"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    # A message on the "Thông báo" page, once its reader has seen it.
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], condition=Q(event__isnull=False),
                                    name="notification_one_per_event_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_try_at"]),
                   models.Index(fields=["recipient_user", "channel", "read_at"],
                                name="notification_web_unread")]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        # No address: the admin's list labels each row with it (docs/security.md).
        return f"{self.get_channel_display()}: {self.get_kind_display()} #{self.pk}"
