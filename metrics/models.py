"""Service-index (Decision 766) storage: per-day counters and the versioned scoring method."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The counted facts of one (day, unit, procedure). Each is a sum of events of that Vietnam day;
# a period's figure is the sum over its days (metrics/counters.py writes them).
COUNTER_FIELDS: tuple[str, ...] = (
    "received_counter", "received_online", "received_post",
    "received_online_capable", "received_online_capable_online",
    "received_full_online_procedure", "received_full_online_procedure_online",
    "settled_early", "settled_on_time", "settled_late",
    "refused", "withdrawn", "stopped", "apologised", "closed_after_receipt",
    "paid", "paid_online",
    "settled_digitised", "settled_e_result", "settled_reused",
)


class CounterFields(models.Model):
    """The counted facts shared by the day rows and their month roll-up."""

    received_counter = models.IntegerField(_("tiếp nhận trực tiếp"), default=0)
    received_online = models.IntegerField(_("tiếp nhận trực tuyến"), default=0)
    received_post = models.IntegerField(_("tiếp nhận qua bưu chính"), default=0)
    received_online_capable = models.IntegerField(
        _("tiếp nhận, thủ tục có dịch vụ công trực tuyến"), default=0)
    received_online_capable_online = models.IntegerField(
        _("tiếp nhận trực tuyến, thủ tục có dịch vụ công trực tuyến"), default=0)
    received_full_online_procedure = models.IntegerField(
        _("tiếp nhận, thủ tục trực tuyến toàn trình"), default=0)
    received_full_online_procedure_online = models.IntegerField(
        _("tiếp nhận trực tuyến, thủ tục trực tuyến toàn trình"), default=0)
    settled_early = models.IntegerField(_("giải quyết trước hạn"), default=0)
    settled_on_time = models.IntegerField(_("giải quyết đúng hạn"), default=0)
    settled_late = models.IntegerField(_("giải quyết quá hạn"), default=0)
    refused = models.IntegerField(_("từ chối tiếp nhận"), default=0)
    withdrawn = models.IntegerField(_("rút hồ sơ"), default=0)
    stopped = models.IntegerField(_("dừng xử lý"), default=0)
    apologised = models.IntegerField(_("hồ sơ có phiếu xin lỗi"), default=0)
    closed_after_receipt = models.IntegerField(_("kết thúc sau khi tiếp nhận"), default=0)
    paid = models.IntegerField(_("đã thực hiện nghĩa vụ tài chính"), default=0)
    paid_online = models.IntegerField(_("thanh toán trực tuyến"), default=0)
    # Settled dossiers (counted with the result's return) by what was digitised: a paper scanned
    # at the desk, a result issued with a digital signature, a paper reused from the data store.
    settled_digitised = models.IntegerField(
        _("đã giải quyết, có thành phần hồ sơ được số hóa"), default=0)
    settled_e_result = models.IntegerField(_("đã giải quyết, có kết quả điện tử"), default=0)
    settled_reused = models.IntegerField(
        _("đã giải quyết, có thành phần tái sử dụng dữ liệu số hóa"), default=0)

    # Which of a key's rows this is (metrics/counters.py `slot_sql`): a key's counts are spread
    # over up to settings.MOTCUA_COUNTER_SLOTS rows so that concurrent transactions counting the
    # same day, unit and procedure rarely lock the same row (issue #18). The figures are sums,
    # never one row's values: every reader adds a key's slots up.
    slot = models.SmallIntegerField(_("ngăn"), default=0)

    class Meta:
        abstract = True


class DailyCounter(CounterFields):
    """Counts of one Vietnam day for the unit that resolves the dossiers and one procedure."""

    day = models.DateField(pgettext_lazy("date field", "ngày"))
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("đơn vị chủ trì giải quyết"))
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("thủ tục"))

    class Meta:
        ordering = ["day", "unit_id", "procedure_id", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "procedure", "slot"],
                                    name="metrics_daily_counter_key"),
        ]
        indexes = [models.Index(fields=["unit", "day"])]
        verbose_name = _("bộ đếm ngày")
        verbose_name_plural = _("bộ đếm ngày")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id} {self.procedure_id}"


class MonthlyCounter(CounterFields):
    """The same counts summed per Vietnam month (`month` is its first day).

    Every reporting period of Decision 766 is a run of whole months, so the dashboards read these
    rows: a year is 12 rows per unit and procedure instead of 365, and "carried over" sums months
    instead of every day since the first dossier. Kept in the same transaction as the day rows.
    """

    month = models.DateField(_("tháng"))
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("đơn vị chủ trì giải quyết"))
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("thủ tục"))

    class Meta:
        ordering = ["month", "unit_id", "procedure_id", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["month", "unit", "procedure", "slot"],
                                    name="metrics_monthly_counter_key"),
        ]
        indexes = [models.Index(fields=["unit", "month"])]
        verbose_name = _("bộ đếm tháng")
        verbose_name_plural = _("bộ đếm tháng")

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.unit_id} {self.procedure_id}"


class IndexMethod(models.Model):
    """Points per 766 group and band thresholds in force from a date.

    Decision 766/QĐ-TTg (2022) sets the groups; the points and bands used here are configuration
    because the official method is revised (domain.md §8). The figures of a period are scored with
    the method in force on the period's last day.
    """

    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    is_default_set = models.BooleanField(
        _("bộ mặc định của phần mềm"), default=False,
        help_text=_("Bộ điểm mặc định, chưa đối chiếu với văn bản hướng dẫn chính thức."))
    groups = models.JSONField(
        _("nhóm chỉ số"),
        help_text=_('Danh sách {"key", "name", "max_points", '
                    '"indicators": {mã chỉ số: trọng số}}.'))
    bands = models.JSONField(
        _("xếp loại"), help_text=_('Danh sách {"name", "min"} theo điểm quy đổi thang 100, '
                                   "từ cao xuống thấp."))
    note = models.TextField(_("ghi chú, căn cứ"), blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("bộ tiêu chí chấm điểm 766")
        verbose_name_plural = _("bộ tiêu chí chấm điểm 766")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"
