"""The register of provisions under review (Resolution 68/NQ-CP of 12/05/2020).

A review round (`ReviewRound`) holds provisions (`Provision`): a procedure of the catalogue or one
of its elements (a paper, a step, a condition, the time limit, a fee), or a provision of a legal
text. Each gets a proposal — keep, amend, abolish, simplify, decentralise — with its reason and
its compliance cost before and after (regulations/costs.py), is approved by a decision with the
date the change takes effect, and, when it changes the catalogue, produces the procedure's next
version (catalog/versions.py). Every change of state is an append-only `ProvisionEvent`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewRound(models.Model):
    """Đợt rà soát: one review of regulations ordered by a plan (the CCHC plan's task may point
    at it), run by a unit's administrative-reform officers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang rà soát")
        CLOSED = "closed", _("Đã kết thúc")

    name = models.CharField(_("tên đợt rà soát"), max_length=255)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị chủ trì"))
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    basis = models.TextField(_("căn cứ (kế hoạch, văn bản chỉ đạo)"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("đợt rà soát quy định")
        verbose_name_plural = _("đợt rà soát quy định")

    def __str__(self) -> str:
        return self.name


class Provision(models.Model):
    """A provision under review, with its proposal, its costs and its approval."""

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("Thủ tục hành chính")
        DOCUMENT = "document", _("Thành phần hồ sơ")
        STEP = "step", _("Bước thực hiện")
        CONDITION = "condition", _("Yêu cầu, điều kiện")
        TIME_LIMIT = "time_limit", _("Thời hạn giải quyết")
        FEE = "fee", _("Phí, lệ phí")
        LEGAL_TEXT = "legal_text", _("Quy định tại văn bản quy phạm pháp luật")

    class Action(models.TextChoices):
        KEEP = "keep", _("Giữ nguyên")
        AMEND = "amend", _("Sửa đổi, bổ sung")
        ABOLISH = "abolish", _("Bãi bỏ")
        SIMPLIFY = "simplify", _("Đơn giản hóa")
        DECENTRALISE = "decentralise", _("Phân cấp cho cấp dưới")

    class State(models.TextChoices):
        REVIEWING = "reviewing", _("Đang rà soát")
        PROPOSED = "proposed", _("Đã đề xuất")
        APPROVED = "approved", _("Đã phê duyệt")
        REJECTED = "rejected", _("Không phê duyệt")

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="provisions",
                              verbose_name=_("đợt rà soát"))
    kind = models.CharField(_("loại quy định"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị rà soát, đề xuất"))
    # The procedure version reviewed and the element of it; the element's rows belong to that
    # version, so a later version never changes what was reviewed.
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("thủ tục"))
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40, blank=True, db_index=True)
    document = models.ForeignKey("catalog.RequiredDocument", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("thành phần hồ sơ"))
    time_limit = models.ForeignKey("catalog.TimeLimit", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("thời hạn giải quyết"))
    fee = models.ForeignKey("catalog.Fee", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name=_("phí, lệ phí"))
    step = models.ForeignKey("catalog.Step", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("bước thực hiện"))
    legal_text = models.CharField(_("văn bản, điều khoản"), max_length=255, blank=True)
    content = models.TextField(_("nội dung quy định"))

    action = models.CharField(_("phương án"), max_length=20, choices=Action.choices,
                              blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    # The standard-cost method (regulations/costs.py): per dossier, time × hourly cost + fees +
    # outside services; × the dossiers of a year.
    hourly_cost = models.PositiveBigIntegerField(_("chi phí một giờ làm việc (đồng)"),
                                                 default=0)
    # The year of the per-capita income the hourly cost was derived from (regulations/income.py,
    # Circular 02/2017/TT-VPCP); empty when the reviewer typed the hourly cost.
    hourly_income_year = models.PositiveSmallIntegerField(
        _("năm số liệu thu nhập bình quân"), null=True, blank=True)
    hours_before = models.DecimalField(_("số giờ mỗi hồ sơ — hiện hành"), max_digits=8,
                                       decimal_places=2, default=0)
    fees_before = models.PositiveBigIntegerField(_("phí, lệ phí mỗi hồ sơ — hiện hành"),
                                                 default=0)
    outside_before = models.PositiveBigIntegerField(
        _("chi phí thuê ngoài mỗi hồ sơ — hiện hành"), default=0)
    hours_after = models.DecimalField(_("số giờ mỗi hồ sơ — sau đơn giản hóa"), max_digits=8,
                                      decimal_places=2, default=0)
    fees_after = models.PositiveBigIntegerField(_("phí, lệ phí mỗi hồ sơ — sau đơn giản hóa"),
                                                default=0)
    outside_after = models.PositiveBigIntegerField(
        _("chi phí thuê ngoài mỗi hồ sơ — sau đơn giản hóa"), default=0)
    # Counted from the dossiers of the last 12 months when the proposal is sent, never typed.
    yearly_dossiers = models.PositiveIntegerField(_("số hồ sơ một năm"), default=0)
    yearly_counted_at = models.DateTimeField(_("đếm số hồ sơ lúc"), null=True, blank=True)

    # The change to the catalogue the proposal asks for (catalog/versions.py).
    new_time_limit = models.DecimalField(_("thời hạn mới"), max_digits=8, decimal_places=2,
                                         null=True, blank=True)
    new_fee = models.PositiveBigIntegerField(_("mức phí mới (đồng)"), null=True, blank=True)
    new_level = models.CharField(_("cấp thực hiện mới"), max_length=10, blank=True)
    new_text = models.TextField(_("nội dung mới của điều kiện"), blank=True)

    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices,
                             default=State.REVIEWING, db_index=True)
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    new_version = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+",
                                    verbose_name=_("phiên bản thủ tục mới"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round_id", "procedure_code", "id"]
        verbose_name = _("quy định được rà soát")
        verbose_name_plural = _("quy định được rà soát")

    def __str__(self) -> str:
        return self.content[:80]


class ProvisionEvent(models.Model):
    """One step in a provision's life: who, which unit, when, from which state to which. Only
    ever appended to."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("người thực hiện"))
    at = models.DateTimeField(_("thời điểm"))
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["provision_id", "at", "id"]
        verbose_name = _("diễn biến rà soát")
        verbose_name_plural = _("diễn biến rà soát")

    def __str__(self) -> str:
        return f"{self.provision_id} {self.action}"
