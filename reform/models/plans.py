"""The yearly CCHC plan: its tasks (a tree under the reform areas), their progress history and
the evidence that they were done (domain.md §12)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Area", "Plan", "Task", "TaskEvent", "Evidence"]


class Area(models.TextChoices):
    """The six areas of the 2021–2030 master programme (Resolution 76/NQ-CP, section II) and the
    "direction and administration" area the PAR Index adds (Decision 876/QĐ-BNV), in the order
    provincial plans list them: direction first."""

    DIRECTION = "direction", _("Công tác chỉ đạo, điều hành cải cách hành chính")
    INSTITUTIONS = "institutions", _("Cải cách thể chế")
    PROCEDURES = "procedures", _("Cải cách thủ tục hành chính")
    APPARATUS = "apparatus", _("Cải cách tổ chức bộ máy hành chính nhà nước")
    CIVIL_SERVICE = "civil_service", _("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "public_finance", _("Cải cách tài chính công")
    DIGITAL = "digital", _("Xây dựng và phát triển Chính phủ điện tử, Chính phủ số")


class Plan(models.Model):
    """One agency's CCHC plan for a year: a decision whose annex lists the tasks."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("cơ quan ban hành kế hoạch"))
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    # A draft (the PAR Index's next-year draft, reform/par/next_plan.py) is no decision yet,
    # and its tasks state an assessment's points, maybe not published: kept off the public
    # pages until the decision is entered and this is cleared (the admin).
    draft = models.BooleanField(_("dự thảo"), default=False, help_text=_(
        "Kế hoạch dự thảo chưa hiện trên trang công khai; bỏ chọn khi đã có quyết định ban "
        "hành."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="reform_plan_one_per_unit_year")]
        verbose_name = _("kế hoạch cải cách hành chính")
        verbose_name_plural = _("kế hoạch cải cách hành chính")

    def __str__(self) -> str:
        return f"{self.title} ({self.decision_number})"


class Task(models.Model):
    """A task of the plan's annex, or a sub-task of one; the lead unit reports on it."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa triển khai")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        SUBMITTED = "submitted", _("Đã báo cáo hoàn thành, chờ nghiệm thu")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã hoàn thành (được nghiệm thu)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name=_("kế hoạch"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children", verbose_name=_("nhiệm vụ cha"))
    area = models.CharField(_("lĩnh vực"), max_length=20, choices=Area.choices)
    number = models.CharField(_("số thứ tự"), max_length=20, blank=True)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("nội dung nhiệm vụ"), max_length=1000)
    expected_product = models.CharField(_("sản phẩm dự kiến"), max_length=500, blank=True)
    lead_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT,
                                  related_name="reform_tasks", verbose_name=_("đơn vị chủ trì"))
    cooperating_units = models.ManyToManyField("accounts.Unit", blank=True, related_name="+",
                                               verbose_name=_("đơn vị phối hợp"))
    # What the annex names that is not a unit of the system ("các sở, ngành liên quan").
    cooperating_other = models.CharField(_("đơn vị phối hợp khác"), max_length=500, blank=True)
    # Empty: an ongoing task ("thường xuyên"), due at the end of the plan's year.
    deadline = models.DateField(_("thời hạn hoàn thành"), null=True, blank=True)
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2,
                                 default=Decimal(1),
                                 validators=[MinValueValidator(Decimal("0.01"))])
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices,
                              default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)])
    # The day the lead unit reported it done; kept when the officer accepts it (done on time or
    # late is decided by this day against the deadline).
    done_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    procedures = models.ManyToManyField("catalog.Procedure", blank=True, related_name="+",
                                        verbose_name=_("thủ tục hành chính liên quan"))
    directives = models.ManyToManyField("reform.Directive", blank=True, related_name="tasks",
                                        verbose_name=_("văn bản chỉ đạo liên quan"))
    # The review rounds of regulations (regulations/) the task delivers: "Rà soát, đơn giản
    # hóa TTHC" tasks of the plan are carried out as rounds under Resolution 68/NQ-CP, and the
    # task's page shows their figures (issue 14).
    review_rounds = models.ManyToManyField("regulations.ReviewRound", blank=True,
                                           related_name="+",
                                           verbose_name=_("đợt rà soát quy định thực hiện"))

    class Meta:
        ordering = ["plan_id", "position", "id"]
        indexes = [models.Index(fields=["lead_unit", "status"], name="reform_task_unit_status")]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def due(self):
        """The day it must be done by: its deadline, or the plan year's last day."""
        from datetime import date

        return self.deadline or date(self.plan.year, 12, 31)


class TaskEvent(models.Model):
    """One thing that happened to a task: created, progress reported, evidence added, reported
    done, accepted, returned. Rows are only ever appended (the task's progress history)."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Giao nhiệm vụ")
        PROGRESS = "progress", _("Cập nhật tiến độ")
        EVIDENCE = "evidence", _("Bổ sung minh chứng")
        SUBMIT = "submit", _("Báo cáo hoàn thành")
        ACCEPT = "accept", _("Nghiệm thu")
        RETURN = "return", _("Trả lại")
        LINK = "link", _("Liên kết thủ tục, văn bản")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("người thực hiện"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lịch sử nhiệm vụ")
        verbose_name_plural = _("lịch sử nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


def _evidence_file_name(instance: "Evidence", filename: str) -> str:
    return f"reform/evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """What shows a task was done: an uploaded file, a signed document of results/, or a URL."""

    class Kind(models.TextChoices):
        FILE = "file", _("Tệp tải lên")
        RESULT = "result", _("Văn bản đã ký số trong hệ thống")
        URL = "url", _("Đường dẫn")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tên minh chứng"), max_length=500)
    file = models.FileField(_("tệp"), upload_to=_evidence_file_name, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    stored_document = models.ForeignKey("results.StoredDocument", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("văn bản đã ký số"))
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("người bổ sung"))
    added_at = models.DateTimeField(_("bổ sung lúc"))

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.title
