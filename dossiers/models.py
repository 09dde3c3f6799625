"""A dossier, its processing steps, its append-only event log, and the working calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import Channel, RequiredDocument, TimeUnit
from catalog.text import fold
from motcua.window_counts import WindowTry


class State(models.TextChoices):
    """Internal states; each maps to one national-portal status code (see dossiers/states.py)."""

    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    DECIDED = "decided", _("Đã có kết quả")
    RESULT_READY = "result_ready", _("Kết quả đã chuyển bộ phận trả")
    RETURNED = "returned", _("Đã trả kết quả")


class ApplicantKind(models.IntegerChoices):
    """LoaiDoiTuong of the national portal (domain.md §1)."""

    CITIZEN = 1, _("Công dân")
    BUSINESS = 2, _("Doanh nghiệp")
    STATE_AGENCY = 3, _("Cơ quan nhà nước")
    ORGANISATION = 4, _("Tổ chức khác")


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


# How the applicant receives the result: stored in Vietnamese as the national portal takes it,
# shown in the page's language.
RETURN_METHOD_LABELS = {
    "Nhận trực tiếp tại bộ phận một cửa": _("Nhận trực tiếp tại bộ phận một cửa"),
    "Qua dịch vụ bưu chính công ích": _("Qua dịch vụ bưu chính công ích"),
    "Nhận bản điện tử": _("Nhận bản điện tử"),
}


class Dossier(models.Model):
    # Unique by the constraint `dossier_code` (Meta), one index that serves both the equality
    # (and uniqueness) and the staff lists' search by a code's beginning (`LIKE 'prefix%'`):
    # unique=True made two, each written by every filing and every action (issue #18).
    code = models.CharField(_("mã hồ sơ"), max_length=60)
    # Printed on the receipt (Form 01): with the code it opens the public status page, so the code
    # alone, which appears on every paper of the dossier, never reveals its content.
    lookup_secret = models.CharField(_("mã bí mật tra cứu"), max_length=12, blank=True)
    # The foreign keys carry no index of their own unless a page or report looks dossiers up by
    # them; the composite indexes below serve those that do (docs/architecture.md, "Indexes of
    # the dossier table").
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT,
                                  related_name="dossiers", verbose_name=_("thủ tục"),
                                  db_index=False)
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT,
                                related_name="dossiers", verbose_name=_("trường hợp"),
                                db_index=False)
    channel = models.PositiveSmallIntegerField(_("hình thức nộp"), choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=30, choices=State.choices,
                             default=State.SUBMITTED)

    receiving_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                       related_name="received_dossiers",
                                       verbose_name=_("đơn vị tiếp nhận"), db_index=False)
    competent_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                       related_name="competent_dossiers",
                                       verbose_name=_("đơn vị chủ trì giải quyết"),
                                       db_index=False)
    current_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                     related_name="current_dossiers",
                                     verbose_name=_("đơn vị đang xử lý"), db_index=False)
    current_step = models.ForeignKey("DossierStep", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", db_index=False)

    applicant_kind = models.PositiveSmallIntegerField(_("loại đối tượng"),
                                                      choices=ApplicantKind.choices,
                                                      default=ApplicantKind.CITIZEN)
    applicant_name = models.CharField(_("tên người nộp / tổ chức"), max_length=255)
    # The name lowercased and without diacritics (catalog.text.fold), kept by save(): the staff
    # lists search it, so "nguyen van an" finds "Nguyễn Văn An" (dossiers/list_filters.py).
    applicant_name_folded = models.CharField(max_length=255, blank=True, editable=False)
    # Indexed by Meta below (a plain btree): it is looked up by equality only, so the `LIKE`
    # twin db_index=True adds served nothing and was written by every filing and action.
    applicant_id_number = models.CharField(_("số giấy tờ"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="own_dossiers",
                                       verbose_name=_("tài khoản người nộp"), db_index=False)
    owner_name = models.CharField(
        _("chủ hồ sơ (khi nộp theo ủy quyền)"), max_length=255, blank=True)
    owner_id_number = models.CharField(_("số giấy tờ của chủ hồ sơ"), max_length=20, blank=True)
    summary = models.TextField(_("trích yếu nội dung yêu cầu"), blank=True)
    sets_count = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    return_method = models.CharField(_("hình thức nhận kết quả"), max_length=100, blank=True)

    # The time limit in force when the dossier was accepted; later catalog edits do not move it.
    limit_amount = models.DecimalField(_("thời hạn giải quyết"), max_digits=8, decimal_places=2,
                                       null=True, blank=True)
    limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices,
                                  blank=True)
    cutoff_time = models.TimeField(null=True, blank=True)
    civil_code_counting = models.BooleanField(default=False)

    submitted_at = models.DateTimeField(_("ngày nộp"))
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("thời điểm bắt đầu tính hạn"), null=True,
                                            blank=True)
    # Indexed: the staff lists are paged by (due moment, id) (dossiers.selectors).
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính hạn từ"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    timing = models.CharField(_("tiến độ"), max_length=10, choices=Timing.choices, blank=True)
    apology_count = models.PositiveSmallIntegerField(_("số lần xin lỗi, gia hạn"), default=0)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            # varchar_pattern_ops (PostgreSQL; other databases ignore it): its `=` is the
            # column's, so it enforces uniqueness and finds a code, and unlike the default
            # operator class under a collation other than C it serves `LIKE 'prefix%'`. Nothing
            # pages dossiers in code order (a list ordered by code sorts the rows it found).
            models.UniqueConstraint(fields=["code"], name="dossier_code",
                                    opclasses=["varchar_pattern_ops"]),
        ]
        indexes = [
            # The inboxes (dossiers.selectors.dossier_inbox) and the staff's row-level rule: a
            # desk's dossiers by state, a unit's current dossiers by state.
            models.Index(fields=["receiving_unit", "state"]),
            models.Index(fields=["current_unit", "state"]),
            # An applicant's own dossiers filed from their account (dossiers.selectors._own,
            # "hồ sơ của tôi"); most rows are counter dossiers without one, so the index holds
            # only those that have one.
            models.Index(fields=["applicant_user"], name="dossier_applicant_user",
                         condition=models.Q(applicant_user__isnull=False)),
            # The service index (metrics/): open dossiers per competent unit and overdue, read
            # from the index alone; each number's dossier list by receipt or return time. The
            # settled lists (early, on time, late) are counted from the return-time index alone:
            # it carries the state and the timing they filter on.
            models.Index(fields=["state", "competent_unit", "due_at", "current_unit"],
                         name="dossier_open_by_unit"),
            models.Index(fields=["competent_unit", "received_at"], name="dossier_unit_received"),
            # Only returned dossiers have entries (every settled list asks a range of return
            # moments, which implies the column is filled): a filing and each action before the
            # return write none (issue #18).
            models.Index(fields=["competent_unit", "returned_at"], include=["state", "timing"],
                         condition=models.Q(returned_at__isnull=False),
                         name="dossier_unit_settled"),
            # The warning lists (metrics/): running dossiers — open, clock not paused, the
            # RUNNING_STATES of metrics.selectors — in due order, so the longest-late and the
            # soonest-due 50 are the first entries read, and the lists are counted from this
            # small index without visiting the dossier rows.
            models.Index(fields=["due_at", "id"],
                         include=["competent_unit", "current_unit", "receiving_unit",
                                  "current_step"],
                         condition=models.Q(state__in=[State.RECEIVED, State.PROCESSING,
                                                       State.DECIDED, State.RESULT_READY]),
                         name="dossier_running_due"),
            # The staff lists' search (dossiers/list_filters.py): a phone number, the owner's ID
            # when filed under an authorisation (the applicant's ID has its own index). The
            # name's trigram index and, on a database whose collation is not C, the code's
            # prefix index are PostgreSQL-only and made by migration 0012.
            models.Index(fields=["applicant_phone"], condition=~models.Q(applicant_phone=""),
                         name="dossier_applicant_phone"),
            models.Index(fields=["owner_id_number"], condition=~models.Q(owner_id_number=""),
                         name="dossier_owner_id"),
            # Form 06: a receiving unit's dossiers by their moment of receipt.
            models.Index(fields=["receiving_unit", "received_at"],
                         name="dossier_received_by_unit"),
            # The counter's search of an earlier dossier by personal ID, the applicant's rule
            # under a proven number, the staff lists' search: all by equality (or IN).
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.name_folded()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "applicant_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "applicant_name_folded"}
        super().save(*args, **kwargs)

    def name_folded(self) -> None:
        """The applicant's name as the staff lists search it (catalog.text.fold): kept with every
        save, and by a write that does not go through save (the filing's insert)."""
        self.applicant_name_folded = fold(self.applicant_name or "")[:255]

    @property
    def return_method_label(self) -> str:
        """The way of receiving the result in the page's language (a typed one as typed)."""
        return str(RETURN_METHOD_LABELS.get(self.return_method, self.return_method))


class DossierStep(models.Model):
    """One planned or performed hand-off of a dossier: a row of the control slip (Form 05)."""

    # The dossier's steps and a unit's are read from the composite indexes below, which start
    # with these columns; an index of each alone was written on every filing and served nothing
    # (issue #18).
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps",
                                db_index=False)
    order = models.PositiveIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=20)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"), db_index=False)
    share_percent = models.DecimalField(max_digits=5, decimal_places=2)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("người xử lý"))
    started_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)
    timing = models.CharField(_("tiến độ"), max_length=10, choices=Timing.choices, blank=True)

    class Meta:
        ordering = ["dossier_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order")
        ]
        indexes = [
            # The row-level rule (dossiers.selectors.dossier_visible) asks for the dossiers a
            # unit has held a step of: read from this index alone, where the unit's index sent
            # PostgreSQL to 28,000 scattered step rows (0.7 s for a department among 1 M
            # dossiers, bench/staff_lists.py).
            models.Index(fields=["unit", "dossier"], name="dossier_step_unit_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.order} {self.name}"


class DossierAccess(models.Model):
    """A unit whose staff may see the dossier: its receiving unit, its competent unit, the unit
    holding it now, and every unit of a step of its plan (docs/staff-lists.md, "Who sees a
    dossier"). Written in the transaction of the hand-off that involves the unit
    (dossiers.services.access.access_grant), never removed: no hand-off takes a dossier out of a
    unit's sight. The staff lists join these rows by unit instead of testing every dossier
    against four columns and the steps (dossiers.selectors.dossier_visible)."""

    # (unit, dossier): a unit's dossiers are one range of the primary key.
    pk = models.CompositePrimaryKey("unit", "dossier")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    # Indexed: a dossier's rows, for the rebuild's comparison and the dossier's deletion.
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="unit_access")

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.dossier_id}"


class DossierDocument(models.Model):
    """A paper of the dossier: what was received, in which form, how many."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey("catalog.RequiredDocument", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    name = models.TextField(_("tên giấy tờ"))
    copy_kind = models.CharField(_("loại bản"), max_length=20,
                                 choices=RequiredDocument.CopyKind.choices,
                                 default=RequiredDocument.CopyKind.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    original_seen = models.BooleanField(_("đã đối chiếu bản chính"), default=False)
    # Flags the national portal asks for per attached file (domain.md §10).
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng"), default=False)
    from_national_store = models.BooleanField(_("lấy từ kho quốc gia"), default=False)
    replacing_result_code = models.CharField(_("mã kết quả thay thế"), max_length=60, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "id"]
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")

    def __str__(self) -> str:
        return self.name


class DossierPause(models.Model):
    """A period when the clock stood still (waiting for a supplement or a payment)."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
        PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier_id", "started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y %H:%M}"


class DossierEvent(models.Model):
    """Append-only history of a dossier; the control slip and the register are views over it."""

    # A dossier's events are read from the (dossier, seq) unique index; no page looks events up
    # by step (a step, like a dossier, is never deleted): neither has an index of its own, each
    # of which every event wrote (issue #18).
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events",
                                db_index=False)
    seq = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=40)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("người thực hiện"))
    actor_name = models.CharField(max_length=150, blank=True)
    actor_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    from_state = models.CharField(max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=30, choices=State.choices)
    step = models.ForeignKey(DossierStep, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="events", db_index=False)
    # Indexed only where filled (Meta): the index serves a unit's or a user's deletion check
    # alone, and most events hand the dossier to no officer (and many to no unit).
    to_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", db_index=False)
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", db_index=False)
    reason = models.TextField(_("lý do, ghi chú"), blank=True)
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    timing = models.CharField(max_length=10, choices=Timing.choices, blank=True)
    dossier_due_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq")
        ]
        indexes = [
            # A unit's or a user's deletion is checked against the events that name them
            # (PROTECT, and the database's foreign key): `to_unit_id = …` implies the column is
            # filled, so these partial indexes serve it, and an event without one writes none.
            models.Index(fields=["to_unit"], condition=models.Q(to_unit__isnull=False),
                         name="dossier_event_to_unit"),
            models.Index(fields=["to_user"], condition=models.Q(to_user__isnull=False),
                         name="dossier_event_to_user"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Dossier events are append-only")
        super().save(*args, **kwargs)


class CodeCounter(models.Model):
    """Per-unit daily counter behind the default dossier code."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="code_counter_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%d/%m/%Y}: {self.last}"


class DocumentCounter(models.Model):
    """Per-unit yearly numbering of the forms a unit issues (02, 03, 04)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "form", "year"],
                                               name="document_counter_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.form}/{self.year}: {self.last}"


class IdempotencyKey(models.Model):
    """A submission retried with the same key returns the first dossier instead of a new one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")
        ]

    def __str__(self) -> str:
        return self.key


class ReferenceVersion(models.Model):
    """One row whose number moves whenever reference data a filing reads is saved or deleted
    (catalogue, units): the version the per-worker cache checks (dossiers/reference.py)."""

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.number)


class CalendarDay(models.Model):
    """An administrator's override of the working calendar: an extra day off or a make-up day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Ngày nghỉ")
        WORKING_DAY = "work", _("Ngày làm việc bù")

    date = models.DateField(pgettext_lazy("date field", "ngày"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="calendar_days", verbose_name=_("đơn vị"),
                             help_text=_("Để trống: áp dụng cho mọi đơn vị."))
    name = models.CharField(_("lý do"), max_length=255)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "unit"], name="calendar_day_unit"),
            models.UniqueConstraint(fields=["date"], condition=models.Q(unit__isnull=True),
                                    name="calendar_day_all_units"),
        ]
        verbose_name = _("ngày trong lịch làm việc")
        verbose_name_plural = _("lịch làm việc (ngày nghỉ, ngày làm bù)")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()} — {self.name}"


def _private_path(instance: "DossierFile", filename: str) -> str:
    # A random name without the sender's extension: nothing on disk can be guessed from a
    # dossier, and no web server would run it or pick a content type from it.
    return f"private/dossiers/{instance.token.hex[:2]}/{instance.token.hex}"


class OnlineDraft(models.Model):
    """An online submission being prepared (bản nháp): kept out of the Dossier table, so drafts
    never get a dossier code, never reach a desk's inbox and never count in any indicator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="online_drafts", verbose_name=_("người nộp"))
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("trường hợp"))
    receiving_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("nơi tiếp nhận"))
    # The typed fields as the form holds them: applicant data, summary, how to get the result.
    data = models.JSONField(default=dict, blank=True)
    submitted_dossier = models.ForeignKey(Dossier, on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self) -> str:
        return f"{self.user} — {self.variant_id} ({self.updated_at:%d/%m/%Y %H:%M})"


class DossierFile(models.Model):
    """An uploaded or scanned file: belongs to a draft until submission, then to a paper of the
    dossier. Served only through the download view, which checks who may see the dossier."""

    class Purpose(models.TextChoices):
        SUBMISSION = "submission", _("Nộp hồ sơ")
        SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
        SCAN = "scan", _("Bản quét tại quầy")

    token = models.UUIDField(unique=True, editable=False)
    draft = models.ForeignKey(OnlineDraft, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="files")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="files")
    document = models.ForeignKey(DossierDocument, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="files")
    required_document = models.ForeignKey("catalog.RequiredDocument", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices,
                               default=Purpose.SUBMISSION)
    file = models.FileField(upload_to=_private_path, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    kind = models.CharField(_("định dạng"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    # Per attached file, what the national portal asks (domain.md §10, Circular 01/2023).
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng"), default=False)
    from_national_store = models.BooleanField(_("lấy từ kho quốc gia"), default=False)
    replacing_result_code = models.CharField(_("mã kết quả thay thế"), max_length=60, blank=True)
    # What a PDF can do when opened (JavaScript, Launch, …; dossiers.uploads.pdf_active_content),
    # shown to staff beside the file; empty for a plain document.
    active_content = models.CharField(_("nội dung chủ động"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The sender's name with the extension of what the content really is."""
        from dossiers.uploads import FILE_TYPES

        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else \
            self.original_name
        ext = FILE_TYPES[self.kind].extension if self.kind in FILE_TYPES else "bin"
        return f"{stem or 'tep'}.{ext}"


class LookupFailure(WindowTry):
    """One wrong (or refused) try of the public lookup (`/tra-cuu/`, `/danh-gia/ho-so/`).

    Counted in the database, not in a process's memory, so the limit holds across every gunicorn
    worker; rows older than the window are deleted as new ones come (dossiers/services/lookup.py).
    """

    class Scope(models.TextChoices):
        ADDRESS = "address", _("địa chỉ IP")
        CODE = "code", _("mã hồ sơ")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    # Its own index on the moment too (the rows past the window are deleted by it).
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="lookup_failure_key_at")]
        verbose_name = _("lần tra cứu sai")
        verbose_name_plural = _("lần tra cứu sai")

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.at:%Y-%m-%d %H:%M}"
