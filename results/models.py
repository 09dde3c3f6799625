"""The citizen's electronic data store (kho dữ liệu điện tử): signed results and digitised papers,
kept per owner with the metadata Decree 45/2020 and Circular 01/2023 ask for (domain.md §10)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _stored_file_name(instance: "StoredDocument", filename: str) -> str:
    # A random name: the path reveals neither the owner nor the dossier, and cannot be guessed.
    return f"results/{uuid.uuid4().hex}.pdf"


class StoredDocument(models.Model):
    """One document in an owner's data store: a result we issued or a paper we digitised."""

    class Kind(models.TextChoices):
        RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
        DIGITISED = "digitised", _("Thành phần hồ sơ đã số hóa")

    # The public identifier: printed as a QR code on the document, used in every URL.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    result_type = models.CharField(_("mẫu kết quả"), max_length=30, blank=True)
    title = models.CharField(_("tên giấy tờ"), max_length=500)
    result_code = models.CharField(_("mã kết quả"), max_length=60, blank=True, db_index=True,
                                   help_text=_("Mã kết quả theo CSDL quốc gia về TTHC, "
                                               "ví dụ KQ.G15.000031."))
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    issuer_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("cơ quan ban hành"))
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    issued_at = models.DateTimeField(_("ngày ban hành"))
    valid_until = models.DateField(_("có hiệu lực đến"), null=True, blank=True,
                                   help_text=_("Để trống: không thời hạn."))
    # Personal ID (12 digits) or enterprise code (tax code): whose store the document is in.
    owner_id_number = models.CharField(_("số định danh / mã số doanh nghiệp của chủ sở hữu"),
                                       max_length=20, db_index=True)
    owner_name = models.CharField(_("chủ sở hữu"), max_length=255)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="stored_documents",
                                verbose_name=_("hồ sơ"))
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30, blank=True)
    file = models.FileField(_("tệp"), upload_to=_stored_file_name)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    # What was signed, as the signer saw it: [{"role": "head"|"seal", "name", "at"}].
    signatures = models.JSONField(_("chữ ký số"), default=list, blank=True)
    timestamped = models.BooleanField(_("có dấu thời gian"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["owner_id_number", "result_code"])]
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu điện tử")

    def __str__(self) -> str:
        return f"{self.title} ({self.document_number or self.uid})"

    @property
    def signed(self) -> bool:
        return bool(self.signatures)


class DocumentReuse(models.Model):
    """A stored document used in place of a paper of a later dossier (the 'reused' flag's proof).

    Staff of that dossier may open the stored document through this row and no other way.
    """

    stored = models.ForeignKey(StoredDocument, on_delete=models.PROTECT, related_name="reuses")
    dossier_document = models.OneToOneField("dossiers.DossierDocument", on_delete=models.CASCADE,
                                            related_name="reuse")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần tái sử dụng")
        verbose_name_plural = _("tái sử dụng giấy tờ")

    def __str__(self) -> str:
        return f"{self.stored} → {self.dossier_document_id}"


class ResultCounter(models.Model):
    """Per-unit yearly numbering of the results a unit issues (12/QĐ-STP, 3/GCN-STP, …)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    suffix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "suffix", "year"],
                                               name="result_counter_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.suffix}/{self.year}: {self.last}"
