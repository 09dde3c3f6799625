"""The PAR Index (Chỉ số cải cách hành chính): criteria sets as data, assessment rounds, scores.

Decision 876/QĐ-BNV of 10/11/2022 sets the tree area → criterion → sub-criterion with maximum
points and a scoring rule in words; provinces run the same scheme for their departments and
communes with their own yearly sets (domain.md §12). The tree is therefore data: one
`ParCriteriaSet` per year and level, imported from a YAML file (reform/par/importer.py) and editable
in the admin. Every change of a score is a `ParScoreEvent` row, never updated nor deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParLevel(models.TextChoices):
    """Who a criteria set scores: the province's own tree, or a province's set for its units."""

    PROVINCE = "province", _("Tỉnh, thành phố (QĐ 876/QĐ-BNV)")
    MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ (QĐ 876/QĐ-BNV)")
    DEPARTMENT = "department", _("Sở, ban, ngành của tỉnh")
    COMMUNE = "commune", _("UBND cấp xã")


class ParCriteriaSet(models.Model):
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    level = models.CharField(_("cấp áp dụng"), max_length=20, choices=ParLevel.choices)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    decision = models.CharField(_("văn bản ban hành"), max_length=300, blank=True)
    source_name = models.CharField(_("tệp nhập"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "level"]
        constraints = [models.UniqueConstraint(fields=["year", "level"],
                                               name="par_one_set_per_year_level")]
        verbose_name = _("bộ tiêu chí Chỉ số CCHC")
        verbose_name_plural = _("bộ tiêu chí Chỉ số CCHC")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ParAnswerKind(models.TextChoices):
    YES_NO = "yes_no", _("Có / Không / Không áp dụng")
    NUMBER = "number", _("Số liệu, chấm theo thang điểm")
    PERCENT = "percent", _("Tỷ lệ %, chấm theo thang điểm")
    POINTS = "points", _("Chấm điểm trực tiếp")


class ParCriterion(models.Model):
    """One node of the tree. Depth 0 is an area (lĩnh vực), 1 a criterion, 2 a sub-criterion;
    only leaves are scored, a parent's maximum is the sum of its children's."""

    criteria_set = models.ForeignKey(ParCriteriaSet, on_delete=models.CASCADE,
                                     related_name="criteria", verbose_name=_("bộ tiêu chí"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children", verbose_name=_("thuộc"))
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã"), max_length=20)
    title = models.CharField(_("nội dung"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    rule = models.TextField(_("cách chấm điểm"), blank=True)
    evidence = models.TextField(_("tài liệu kiểm chứng yêu cầu"), blank=True)
    answer_kind = models.CharField(_("loại trả lời"), max_length=10, choices=ParAnswerKind.choices,
                                   blank=True)
    # [{"from": 95, "points": 1.0}, {"from": 80, "points": 0.5}, {"from": 0, "points": 0}]:
    # the points of the highest step the value reaches.
    scale = models.JSONField(_("thang điểm"), default=list, blank=True)
    # A Decision 766 indicator of metrics/ (its key) or a SIPAS index ("sipas", "sipas_access"…)
    # that fills the value for the unit and the round's period (reform/par/live.py).
    live_metric = models.CharField(_("chỉ số lấy tự động"), max_length=40, blank=True)

    class Meta:
        ordering = ["criteria_set", "order"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"],
                                               name="par_criterion_code_unique")]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.answer_kind)


class ParRound(models.Model):
    """One assessment round: a criteria set, the units assessed, the period of the live data."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang tự đánh giá, thẩm định")
        PUBLISHED = "published", _("Đã công bố kết quả")

    criteria_set = models.ForeignKey(ParCriteriaSet, on_delete=models.PROTECT,
                                     related_name="rounds", verbose_name=_("bộ tiêu chí"))
    organiser = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("cơ quan tổ chức (Sở Nội vụ)"))
    name = models.CharField(_("tên đợt đánh giá"), max_length=300)
    # The period the live criteria count (metrics.periods.Period: kind, year, number).
    period_kind = models.CharField(_("loại kỳ số liệu"), max_length=10, default="nam")
    period_year = models.PositiveSmallIntegerField(_("năm số liệu"))
    period_number = models.PositiveSmallIntegerField(_("số kỳ"), default=1)
    self_deadline = models.DateField(_("hạn tự đánh giá"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-period_year", "-pk"]
        verbose_name = _("đợt đánh giá Chỉ số CCHC")
        verbose_name_plural = _("đợt đánh giá Chỉ số CCHC")

    def __str__(self) -> str:
        return self.name


class ParAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tự đánh giá")
        SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
        RETURNED = "returned", _("Trả lại để bổ sung")
        APPRAISED = "appraised", _("Đã thẩm định")
        PUBLISHED = "published", _("Đã công bố")

    round = models.ForeignKey(ParRound, on_delete=models.CASCADE, related_name="assessments",
                              verbose_name=_("đợt đánh giá"))
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    self_points = models.DecimalField(_("điểm tự đánh giá"), max_digits=7, decimal_places=2,
                                      default=0)
    final_points = models.DecimalField(_("điểm thẩm định"), max_digits=7, decimal_places=2,
                                       null=True, blank=True)
    max_points = models.DecimalField(_("điểm tối đa áp dụng"), max_digits=7, decimal_places=2,
                                     default=0)
    percent = models.DecimalField(_("chỉ số (%)"), max_digits=6, decimal_places=2, null=True,
                                  blank=True)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True)
    group = models.CharField(_("nhóm"), max_length=2, blank=True)

    class Meta:
        ordering = ["round", "rank", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"],
                                               name="par_one_assessment_per_unit")]
        verbose_name = _("bản đánh giá của đơn vị")
        verbose_name_plural = _("bản đánh giá của đơn vị")

    def __str__(self) -> str:
        return f"{self.round} — {self.unit}"


class ParScore(models.Model):
    """A leaf criterion's answer and points: the unit's own, then the appraisal team's."""

    class Appraisal(models.TextChoices):
        PENDING = "pending", _("Chưa thẩm định")
        ACCEPTED = "accepted", _("Đồng ý")
        ADJUSTED = "adjusted", _("Điều chỉnh")

    assessment = models.ForeignKey(ParAssessment, on_delete=models.CASCADE,
                                   related_name="scores")
    criterion = models.ForeignKey(ParCriterion, on_delete=models.PROTECT, related_name="+")
    # "yes", "no", "na" or a decimal number as text; "" while unanswered.
    value = models.CharField(_("giá trị kê khai"), max_length=40, blank=True)
    self_points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2,
                                      null=True, blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    evidence_url = models.URLField(_("đường dẫn tài liệu kiểm chứng"), blank=True)
    # What the live metric said when last read: figure, formula and source, for the page.
    live = models.JSONField(_("số liệu tự động"), default=dict, blank=True)
    appraisal = models.CharField(_("thẩm định"), max_length=10, choices=Appraisal.choices,
                                 default=Appraisal.PENDING)
    final_value = models.CharField(_("giá trị thẩm định"), max_length=40, blank=True)
    final_points = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2,
                                       null=True, blank=True)
    appraisal_reason = models.TextField(_("lý do điều chỉnh"), blank=True)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"],
                                               name="par_one_score_per_criterion")]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")

    def __str__(self) -> str:
        return f"{self.assessment} / {self.criterion.code}"


def _evidence_path(instance: "ParEvidence", filename: str) -> str:
    return f"private/reform/par/{instance.score.assessment_id}/{filename}"


class ParEvidence(models.Model):
    """A file proving a score, checked by content like a dossier's papers (dossiers/uploads.py)."""

    score = models.ForeignKey(ParScore, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self) -> str:
        return self.name


class ParScoreEvent(models.Model):
    """Append-only history of an assessment: who, when, old → new, why. Never updated."""

    class Action(models.TextChoices):
        SELF = "self", _("Đơn vị tự chấm")
        LIVE = "live", _("Cập nhật số liệu tự động")
        EVIDENCE = "evidence", _("Thêm tài liệu kiểm chứng")
        SUBMIT = "submit", _("Gửi thẩm định")
        RETURN = "return", _("Trả lại đơn vị")
        ACCEPT = "accept", _("Tổ thẩm định đồng ý")
        ADJUST = "adjust", _("Tổ thẩm định điều chỉnh")
        APPRAISED = "appraised", _("Hoàn thành thẩm định")
        PUBLISH = "publish", _("Công bố kết quả")

    assessment = models.ForeignKey(ParAssessment, on_delete=models.PROTECT,
                                   related_name="events")
    score = models.ForeignKey(ParScore, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=10, choices=Action.choices)
    old_value = models.CharField(max_length=40, blank=True)
    new_value = models.CharField(max_length=40, blank=True)
    old_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    new_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lịch sử chấm điểm")
        verbose_name_plural = _("lịch sử chấm điểm")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("ScoreEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ScoreEvent is append-only")


__all__ = ["ParLevel", "ParCriteriaSet", "ParAnswerKind", "ParCriterion", "ParRound",
           "ParAssessment", "ParScore", "ParEvidence", "ParScoreEvent"]
