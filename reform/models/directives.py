"""The register of directive documents (văn bản chỉ đạo, điều hành CCHC, domain.md §12).

Every province keeps a list of the decisions, directives, plans and official letters it issued to
direct administrative reform; the yearly report counts them (nationally 5,586 in 2023).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Directive"]


def _directive_file_name(instance: "Directive", filename: str) -> str:
    # A random name: nothing in the path can be guessed; the download keeps the given name.
    return f"reform/directives/{uuid.uuid4().hex}"


class Directive(models.Model):
    """One document issued to direct CCHC: its number, date, issuer, kind, summary and file."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Quyết định")
        DIRECTIVE = "directive", _("Chỉ thị")
        PLAN = "plan", _("Kế hoạch")
        LETTER = "letter", _("Công văn")
        REPORT = "report", _("Báo cáo")
        NOTICE = "notice", _("Thông báo")
        OTHER = "other", _("Văn bản khác")

    number = models.CharField(_("số, ký hiệu"), max_length=60)
    date = models.DateField(_("ngày ban hành"), db_index=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("trích yếu"), max_length=1000)
    file = models.FileField(_("tệp"), upload_to=_directive_file_name, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("người nhập"))
    created_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("văn bản chỉ đạo, điều hành")
        verbose_name_plural = _("văn bản chỉ đạo, điều hành")

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"
