"""The national-portal sync: the provincial outbox, and what the national mode stores.

Provincial side: `OutboxMessage` rows are written in the transaction of each dossier change and
delivered later by `manage.py sync_worker`; `ReconcileDifference` keeps what the daily
reconciliation found. National side (MOTCUA_MODE=national): `Installation` is one provincial
installation allowed to sync, `NationalDossier` / `NationalProgress` what it sent, and
`NationalReceipt` the answer given to each idempotency key so that a replay changes nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The portal's two services (domain.md §9)."""

    DOSSIER = "DongBoHoSoMC", _("Đồng bộ hồ sơ")
    PROGRESS = "CapNhatTienDoHoSoMC", _("Cập nhật tiến độ xử lý")


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã đồng bộ")
        FAILED = "failed", _("Lỗi, dừng gửi")

    # Read from the (dossier, seq) unique index below, which starts with it (issue #18: an
    # index of its own was written by every message and served nothing).
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE,
                                related_name="outbox_messages", verbose_name=_("hồ sơ"),
                                db_index=False)
    # Order of the dossier's messages: message n+1 is never sent before message n.
    seq = models.PositiveIntegerField(_("thứ tự"))
    kind = models.CharField(_("dịch vụ"), max_length=30, choices=Kind.choices)
    # The record of the portal's `data` list, built when the change happened (a snapshot).
    payload = models.JSONField(_("dữ liệu"))
    # False only for the dossier's first DongBoHoSoMC: the portal creates it then.
    is_update = models.BooleanField(default=True)
    # What the national portal dedupes a message on: "<dossier code>:<seq>" (sync/outbox.py,
    # sync/services.py, the only writers). Unique without an index of its own (issue #18: one
    # entry less for every message, two an action): (dossier, seq) is unique (the constraint
    # below); a dossier's code is unique (`dossier_code`) and never changes once its row is
    # written (the filing inserts it with its final code; nothing updates it, the admin is
    # read-only); and seq is digits, so the text after the key's last ':' is the seq and the
    # text before it the code — two messages with the same key are one dossier's same seq.
    # Nothing looks a message up by its key (the admin's search is a `LIKE '%…%'` scan).
    idempotency_key = models.CharField(max_length=100)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    tries = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_try_at = models.DateTimeField(_("gửi lần tới lúc"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which claim may finish the message: a worker that outlived its lease cannot overwrite.
    claim_token = models.CharField(max_length=36, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    # The dossier's competent unit and moment of receipt as the message leaves them (`of`): the
    # dashboard counts the sync backlog per unit and period from the waiting messages alone,
    # without reading a dossier row per message. A dossier's newest message is waiting whenever
    # any of its messages is, and it carries the dossier's latest values.
    competent_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+", db_index=False)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="outbox_dossier_seq"),
        ]
        indexes = [models.Index(fields=["status", "next_try_at"])]
        verbose_name = _("bản tin đồng bộ")
        verbose_name_plural = _("bản tin đồng bộ")

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind} ({self.status})"

    @classmethod
    def of(cls, dossier, **fields) -> "OutboxMessage":
        """A message of `dossier`, carrying the facts the backlog is counted by (built by
        `row_new`, as cls(...) builds it: two a change, issue #18)."""
        from motcua.prepared import row_new

        return row_new(cls, dossier=dossier, competent_unit_id=dossier.competent_unit_id,
                       received_at=dossier.received_at, **fields)


class ReconcileRun(models.Model):
    started_at = models.DateTimeField(_("bắt đầu"))
    checked = models.PositiveIntegerField(_("số hồ sơ đối chiếu"), default=0)
    differences = models.PositiveIntegerField(_("số hồ sơ lệch"), default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("lần đối chiếu")
        verbose_name_plural = _("các lần đối chiếu")

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M}: {self.differences}/{self.checked}"


class ReconcileDifference(models.Model):
    run = models.ForeignKey(ReconcileRun, on_delete=models.CASCADE, related_name="rows")
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=60)
    ours = models.PositiveSmallIntegerField(_("trạng thái tại hệ thống"), null=True)
    theirs = models.PositiveSmallIntegerField(_("trạng thái tại Cổng"), null=True)

    class Meta:
        ordering = ["run_id", "dossier_code"]

    def __str__(self) -> str:
        return f"{self.dossier_code}: {self.ours} ≠ {self.theirs}"


# --- National side -----------------------------------------------------------------------------


class Installation(models.Model):
    """A provincial installation allowed to sync, with its own credentials."""

    unit_code = models.CharField(_("mã đơn vị (madonvi)"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    province_code = models.PositiveSmallIntegerField(_("mã tỉnh"), null=True, blank=True)
    username = models.CharField(_("tên đăng nhập"), max_length=100, unique=True)
    password = models.CharField(max_length=128)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["unit_code"]
        verbose_name = _("hệ thống cấp tỉnh")
        verbose_name_plural = _("hệ thống cấp tỉnh")

    def __str__(self) -> str:
        return f"{self.unit_code} {self.name}"


class InstallationSession(models.Model):
    """A provincial installation's session: only the SHA-256 digest of its token is kept (as
    the API tokens' are, accounts/tokens.py), so a copy of the table opens no session."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE,
                                     related_name="sessions")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.installation_id} → {self.expires_at:%d/%m/%Y %H:%M}"


class NationalDossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    installation = models.ForeignKey(Installation, on_delete=models.PROTECT,
                                     related_name="dossiers")
    status = models.PositiveSmallIntegerField(_("trạng thái"))
    # The sender's per-dossier order of the snapshot; an older one never overwrites a newer one.
    version = models.PositiveIntegerField(default=0)
    data = models.JSONField()
    applied = models.PositiveIntegerField(_("số lần cập nhật"), default=1)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("hồ sơ toàn quốc")
        verbose_name_plural = _("hồ sơ toàn quốc")

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"


class NationalProgress(models.Model):
    # No index of its own: the unique constraint below leads with the code, so its index serves
    # every lookup by code (a second index on the same column only slowed each insert).
    code = models.CharField(max_length=60)
    installation = models.ForeignKey(Installation, on_delete=models.PROTECT, related_name="+")
    # Hash of the row: the same history row sent twice by the same province is stored once.
    row_hash = models.CharField(max_length=64)
    at = models.CharField(max_length=14)
    row = models.JSONField()

    class Meta:
        ordering = ["code", "at", "id"]
        constraints = [
            # Per sending province (audit6): once per code and content only, a row another
            # province had sent for the code with the same content stood for the owner's, whose
            # own was dropped as a repeat — and the owner's history (national_lookup lists only
            # the owner's rows) lost it.
            models.UniqueConstraint(fields=["code", "installation", "row_hash"],
                                    name="national_progress_once_per_province"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.at}"


class NationalReceipt(models.Model):
    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    answer = models.JSONField()
    hits = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["installation", "key"], name="national_receipt_key"),
        ]

    def __str__(self) -> str:
        return f"{self.installation_id}:{self.key}"


class NationalSwitches(models.Model):
    """One row: the test switches of the receiving side (MOTCUA_NATIONAL_TEST_SWITCHES)."""

    fail_http_500 = models.BooleanField(default=False)
    # Seconds to wait after storing and before answering: the sender times out although the
    # portal did apply the message, the case that makes duplicates in peer systems.
    delay_seconds = models.FloatField(default=0)
    already_exists = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"500={self.fail_http_500} delay={self.delay_seconds} exists={self.already_exists}"


class PopulationLookup(models.Model):
    """One look-up in the population database: who asked, about whom, why (personal data)."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("người tra cứu"))
    personal_id = models.CharField(_("số định danh được tra cứu"), max_length=12, db_index=True)
    purpose = models.CharField(_("mục đích"), max_length=255)
    found = models.BooleanField(_("tìm thấy"), default=False)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lượt tra cứu CSDL dân cư")
        verbose_name_plural = _("nhật ký tra cứu CSDL dân cư")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_id} → {self.personal_id}"
