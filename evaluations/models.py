"""Evaluations by applicants, the follow-ups of unsatisfied answers, and their day counters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluations.criteria import CRITERIA, CRITERION_KEYS, Rating

POINTS = [(2, "2"), (1, "1"), (0, "0")]


class Evaluation(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        KIOSK = "kiosk", _("Tại quầy (máy đánh giá)")

    # One evaluation per dossier: the database says so (a second try is refused even when two
    # arrive at once), the service turns the refusal into a clear message.
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT,
                                   related_name="evaluation", verbose_name=_("hồ sơ"))
    # The unit answerable for the result (Decision 766 scores it), copied at evaluation time.
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị chủ trì giải quyết"))
    channel = models.CharField(_("hình thức đánh giá"), max_length=10, choices=Channel.choices)
    total_time = models.PositiveSmallIntegerField(CRITERIA[0].question, choices=POINTS)
    agency_time = models.PositiveSmallIntegerField(CRITERIA[1].question, choices=POINTS)
    contacts = models.PositiveSmallIntegerField(CRITERIA[2].question, choices=POINTS)
    agencies = models.PositiveSmallIntegerField(CRITERIA[3].question, choices=POINTS)
    one_stop = models.PositiveSmallIntegerField(CRITERIA[4].question, choices=POINTS)
    publicity = models.PositiveSmallIntegerField(CRITERIA[5].question, choices=POINTS)
    attitude = models.PositiveSmallIntegerField(CRITERIA[6].question, choices=POINTS)
    complaints = models.PositiveSmallIntegerField(CRITERIA[7].question, choices=POINTS)
    online_service = models.PositiveSmallIntegerField(CRITERIA[8].question, choices=POINTS)
    ease_rating = models.CharField(_("mức độ thuận tiện"), max_length=20, choices=Rating.choices)
    overall_rating = models.CharField(_("mức độ hài lòng chung"), max_length=20,
                                      choices=Rating.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    # The applicant's account online, or the desk officer who opened the kiosk page.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("người ghi nhận"))
    created_at = models.DateTimeField(_("thời điểm đánh giá"), default=timezone.now)
    # A desk officer typed the answers on the applicant's behalf at the counter (the web kiosk
    # in the officer's session, or the API's kiosk channel): nothing tells the applicant's own
    # answers from the officer's, so it counts in the service index (Decision 766) and the PAR
    # Index only once the applicant confirmed it with the one-time code sent to the dossier's
    # contact (audit8). `submitted_by` is the officer. The evaluation screen facing the
    # applicant (`ScreenCall`) is the applicant's own hand: not officer-entered.
    officer_entered = models.BooleanField(_("cán bộ nhập thay người nộp"), default=False)
    confirmed_at = models.DateTimeField(_("người nộp xác nhận lúc"), null=True, blank=True)
    # The one-time code: only its HMAC (the site's secret, the evaluation's id) is kept.
    confirm_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirm_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirm_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    confirm_sends = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{k}__lte": 2}),
                                   name=f"evaluation_{k}_0_2") for k in CRITERION_KEYS
        ]
        verbose_name = _("đánh giá của người nộp")
        verbose_name_plural = _("đánh giá của người nộp")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.points}/18, {self.get_overall_rating_display()}"

    @property
    def points(self) -> int:
        return sum(getattr(self, k) for k in CRITERION_KEYS)

    @property
    def counted(self) -> bool:
        """Whether it counts in the indexes: the applicant's own, or confirmed by them."""
        return not self.officer_entered or self.confirmed_at is not None


class FollowUp(models.Model):
    """An unsatisfied overall answer, for the head of the competent unit to look into and close."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa xử lý")
        CLOSED = "closed", _("Đã xử lý")

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE,
                                      related_name="follow_up")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    opened_at = models.DateTimeField(_("mở lúc"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("người xử lý"))
    note = models.TextField(_("kết quả xử lý"), blank=True)

    class Meta:
        ordering = ["status", "-opened_at"]
        indexes = [models.Index(fields=["unit", "status"])]
        verbose_name = _("theo dõi đánh giá không hài lòng")
        verbose_name_plural = _("theo dõi đánh giá không hài lòng")

    def __str__(self) -> str:
        return f"{self.evaluation} — {self.get_status_display()}"


class ScreenCall(models.Model):
    """A desk officer sends a returned dossier to the evaluation screen facing the applicant; the
    screen shows its form until the applicant answers or declines, or the officer sends another.
    """

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Đã đánh giá")
        DECLINED = "declined", _("Người nộp không đánh giá")
        REPLACED = "replaced", _("Cán bộ gửi hồ sơ khác")

    screen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("màn hình đánh giá"))
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("hồ sơ"))
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("cán bộ gửi"))
    called_at = models.DateTimeField(_("gửi lúc"))
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices,
                               blank=True)

    class Meta:
        ordering = ["-called_at"]
        # A screen shows one form at a time.
        constraints = [models.UniqueConstraint(fields=["screen"],
                                               condition=Q(closed_at__isnull=True),
                                               name="screen_call_one_open")]
        verbose_name = _("lượt gửi sang màn hình đánh giá")
        verbose_name_plural = _("lượt gửi sang màn hình đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.screen_id}"


EVALUATION_COUNTER_FIELDS = ("evaluated", "very_satisfied", "satisfied", "unsatisfied",
                             "points", "officer_unconfirmed")


class EvaluationCounter(models.Model):
    """Evaluations of one Vietnam day for one competent unit (the satisfaction indicator)."""

    day = models.DateField(pgettext_lazy("date field", "ngày"))
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("đơn vị chủ trì giải quyết"))
    evaluated = models.IntegerField(_("số lượt đánh giá"), default=0)
    very_satisfied = models.IntegerField(_("rất hài lòng"), default=0)
    satisfied = models.IntegerField(_("hài lòng"), default=0)
    unsatisfied = models.IntegerField(_("không hài lòng"), default=0)
    points = models.IntegerField(_("tổng điểm 9 tiêu chí"), default=0)
    # Officer-entered evaluations not (yet) confirmed by the applicant: reported apart, counted
    # in none of the fields above (audit8).
    officer_unconfirmed = models.IntegerField(_("cán bộ nhập, chưa được xác nhận"), default=0)

    class Meta:
        ordering = ["day", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["day", "unit"],
                                               name="evaluation_counter_key")]
        verbose_name = _("bộ đếm đánh giá theo ngày")
        verbose_name_plural = _("bộ đếm đánh giá theo ngày")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id}: {self.evaluated}"
