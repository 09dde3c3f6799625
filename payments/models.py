"""Fees a dossier owes, the payment that settles them, and its append-only ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BankAccount(models.Model):
    """The account a unit collects fees into; the VietQR code names it (NAPAS BIN + number)."""

    unit = models.OneToOneField("accounts.Unit", on_delete=models.CASCADE,
                                related_name="bank_account", verbose_name=_("đơn vị"))
    bank_bin = models.CharField(_("mã BIN ngân hàng (NAPAS)"), max_length=6,
                                help_text=_("6 chữ số, ví dụ 970436 (Vietcombank)."))
    bank_name = models.CharField(_("tên ngân hàng"), max_length=100)
    account_number = models.CharField(_("số tài khoản"), max_length=19)
    account_name = models.CharField(_("tên tài khoản"), max_length=100)

    class Meta:
        verbose_name = _("tài khoản thu phí")
        verbose_name_plural = _("tài khoản thu phí")

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number} — {self.account_name}"


class PaymentState(models.TextChoices):
    CREATED = "created", _("Chờ thanh toán")
    PENDING = "pending", _("Đang thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    EXPIRED = "expired", _("Hết hạn")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class Method(models.TextChoices):
    GATEWAY = "gateway", _("Cổng thanh toán trực tuyến")
    TRANSFER = "transfer", _("Chuyển khoản (VietQR)")
    CASH = "cash", _("Tiền mặt tại quầy")
    EXEMPT = "exempt", _("Miễn nộp")


class Source(models.TextChoices):
    """Who told us: the gateway's IPN, the bank's statement, an officer, the applicant, us."""

    GATEWAY = "gateway", _("Cổng thanh toán")
    BANK = "bank", _("Ngân hàng")
    OFFICER = "officer", _("Cán bộ")
    APPLICANT = "applicant", _("Người nộp")
    SYSTEM = "system", _("Hệ thống")


class Payment(models.Model):
    """One demand for payment for a dossier (status 6), with its own state machine (states.py)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT,
                                related_name="payments", verbose_name=_("hồ sơ"))
    # Goes into the transfer's purpose field: short, ASCII, unambiguous when typed.
    reference = models.CharField(_("mã thanh toán"), max_length=20, unique=True)
    # Opens the applicant's payment page without an account (linked from the public lookup):
    # a capability URL, for this payment only, until `link_expires_at`. The lookup page, opened
    # with the dossier's code and secret (the SMS link, the receipt's QR code), issues a new one
    # when it has run out (payments.services.payment_link_issue).
    public_token = models.CharField(max_length=43, unique=True)
    link_expires_at = models.DateTimeField(_("đường dẫn thanh toán hết hạn lúc"), null=True,
                                           blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=PaymentState.choices,
                             default=PaymentState.CREATED)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    exemption = models.CharField(_("lý do miễn"), max_length=500, blank=True)
    method = models.CharField(_("hình thức nộp tiền"), max_length=20, choices=Method.choices,
                              blank=True)
    confirmed_by = models.CharField(_("xác nhận bởi"), max_length=20, choices=Source.choices,
                                    blank=True)
    # The account in force when the demand was made: a later change of account must not
    # change what an earlier QR code or receipt says.
    bank_bin = models.CharField(max_length=6, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    account_number = models.CharField(max_length=19, blank=True)
    account_name = models.CharField(max_length=100, blank=True)
    gateway_order_id = models.CharField(max_length=64, blank=True)
    transaction_id = models.CharField(_("mã giao dịch"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"))
    paid_at = models.DateTimeField(_("ngày nộp tiền"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")

    def __str__(self) -> str:
        return f"{self.reference} — {self.amount} đ — {self.get_state_display()}"


class PaymentLine(models.Model):
    """A fee or charge line: both published amounts, the one charged, and why it is 0 if so."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    fee = models.ForeignKey("catalog.Fee", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    online_amount = models.PositiveBigIntegerField(_("mức nộp trực tuyến"), null=True, blank=True)
    counter_amount = models.PositiveBigIntegerField(_("mức nộp trực tiếp"), null=True,
                                                    blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền phải nộp"))
    exempt_reason = models.CharField(_("lý do miễn"), max_length=500, blank=True)

    class Meta:
        ordering = ["payment_id", "order", "id"]
        verbose_name = _("dòng phí, lệ phí")
        verbose_name_plural = _("dòng phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} đ"


class PaymentEvent(models.Model):
    """The payment's ledger: one row per change, written in the change's transaction."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(max_length=20, choices=PaymentState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=PaymentState.choices)
    at = models.DateTimeField(_("thời điểm"))
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    amount = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["payment_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["payment", "seq"],
                                               name="payment_event_seq")]
        verbose_name = _("nhật ký thanh toán")
        verbose_name_plural = _("nhật ký thanh toán")

    def __str__(self) -> str:
        return f"{self.payment_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Payment events are append-only")
        super().save(*args, **kwargs)


class CallbackLog(models.Model):
    """Every callback received, accepted or not: the audit trail of what the gateway/bank said."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Đã ghi nhận")
        DUPLICATE = "duplicate", _("Trùng lặp, bỏ qua")
        REJECTED = "rejected", _("Bị từ chối")

    received_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, blank=True)
    reference = models.CharField(max_length=40, blank=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    amount = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=40, blank=True)
    body = models.TextField(blank=True)
    remote_addr = models.CharField(max_length=45, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="callbacks")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # A transaction is applied at most once, whatever races deliver it twice.
            models.UniqueConstraint(fields=["source", "transaction_id"],
                                    condition=Q(outcome="applied"),
                                    name="callback_applied_once"),
        ]
        verbose_name = _("thông báo thanh toán nhận được")
        verbose_name_plural = _("thông báo thanh toán nhận được")

    def __str__(self) -> str:
        return f"{self.source} {self.transaction_id} {self.outcome}"
