"""The citizen's electronic data store (kho dữ liệu điện tử): signed results and digitised papers,
kept per owner with the metadata Decree 45/2020 and Circular 01/2023 ask for (domain.md §10)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.window_counts import WindowTry


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
    # Not indexed: nothing looks a document up by its result code (the admin's search reads
    # every row anyway); the owner's index below carries it after the owner's number.
    result_code = models.CharField(_("mã kết quả"), max_length=60, blank=True,
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
    # An owner's documents (by equality or IN) are read from the (owner, result code) index
    # below, which starts with it: an index of its own, and its `LIKE` twin, were written by
    # every approval and served nothing (issue #18).
    owner_id_number = models.CharField(_("số định danh / mã số doanh nghiệp của chủ sở hữu"),
                                       max_length=20)
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
    # What a result no one signs prints, kept from its approval until its PDF is rendered after
    # the commit (results/rendering.py); emptied then. A pending result has no file yet.
    facts = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["owner_id_number", "result_code"]),
                   # The worker's queue (results_render): the few results not rendered yet.
                   models.Index(fields=["id"], condition=models.Q(file=""),
                                name="stored_render_pending")]
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


class SignatureBlock(models.Model):
    """How one person signs the results of one unit: the signature block of Decree 30/2020/NĐ-CP.

    Article 13 of the Decree says who may sign; Appendix I, Part I, Section II, item 7 (điểm a)
    how the signing authority is written above the signer's title: "TM." before a collective body,
    "Q." before the head's title for one given the head's powers, "KT." when a deputy signs for
    the head, "TL." by order, "TUQ." by delegated authority (results/signature_blocks.py).
    """

    class Authority(models.TextChoices):
        OWN = "", _("Người đứng đầu ký (không ghi quyền hạn)")
        KT = "KT", _("KT. — Ký thay người đứng đầu")
        TM = "TM", _("TM. — Thay mặt tập thể lãnh đạo")
        Q = "Q", _("Q. — Quyền người đứng đầu")
        TL = "TL", _("TL. — Thừa lệnh")
        TUQ = "TUQ", _("TUQ. — Thừa ủy quyền")

    class Method(models.TextChoices):
        LOCAL = "local", _("Chứng thư số lưu trên máy chủ (PKCS#12)")
        REMOTE = "remote", _("Dịch vụ ký số từ xa")

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("cơ quan ban hành"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("người ký"))
    authority = models.CharField(_("thẩm quyền ký"), max_length=4, choices=Authority.choices,
                                 blank=True, default="")
    on_behalf_of = models.CharField(
        _("ký thay cho"), max_length=150, blank=True,
        help_text=_("Chức vụ người đứng đầu (với KT., Q., TL., TUQ.) hoặc tên tập thể lãnh đạo "
                    "(với TM.), ví dụ “Giám đốc”, “Ủy ban nhân dân”."))
    collective = models.CharField(
        _("tập thể lãnh đạo"), max_length=150, blank=True,
        help_text=_("Cơ quan làm việc theo chế độ tập thể khi cấp phó ký thay (KT.) người đứng "
                    "đầu: dòng “TM. Ủy ban nhân dân” đứng trên “KT. Chủ tịch”."))
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=150,
        help_text=_("Ví dụ “Phó Giám đốc”, “Chủ tịch”, “Chánh Văn phòng”."))
    issuing_body = models.CharField(
        _("tên cơ quan ban hành"), max_length=255, blank=True,
        help_text=_("Để trống: tên đơn vị."))
    number_symbol = models.CharField(
        _("chữ viết tắt tên cơ quan trong số, ký hiệu"), max_length=20, blank=True,
        help_text=_("Ví dụ “STP” trong “Số: 12/QĐ-STP”. Để trống: viết tắt tên đơn vị."))
    method = models.CharField(_("hình thức ký số"), max_length=10, choices=Method.choices,
                              default=Method.LOCAL)
    remote_key_id = models.CharField(
        _("mã chứng thư trên dịch vụ ký số từ xa"), max_length=100, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "signer"],
                                               name="signature_block_unit_signer")]
        verbose_name = _("thể thức chữ ký")
        verbose_name_plural = _("thể thức chữ ký (Nghị định 30/2020/NĐ-CP)")

    def __str__(self) -> str:
        return f"{self.unit} · {self.signer} · {self.authority or '—'}"


class ResultDraft(models.Model):
    """One version of the draft result of a dossier (dự thảo kết quả), written by the specialist.

    Versions are never edited: a new save is a new row. The head either signs the latest version
    through the confirmation page or sends it back with a comment, kept on this row.
    """

    class Source(models.TextChoices):
        TEMPLATE = "template", _("Soạn từ mẫu kết quả của thủ tục")
        UPLOAD = "upload", _("Tải lên tệp dự thảo")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang dự thảo")
        RETURNED = "returned", _("Lãnh đạo trả lại để sửa")
        SIGNED = "signed", _("Đã ký ban hành")

    # A dossier's versions are read from the (dossier, version) unique index, which starts
    # with it: no index of its own, which every draft and approval wrote (issue #18).
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT,
                                related_name="result_drafts", verbose_name=_("hồ sơ"),
                                db_index=False)
    version = models.PositiveIntegerField(_("phiên bản"))
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices,
                              default=Source.TEMPLATE)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    title = models.CharField(_("tên loại văn bản"), max_length=300)
    subject = models.CharField(_("trích yếu nội dung"), max_length=500)
    body = models.TextField(_("nội dung"), max_length=20000)
    recipients = models.TextField(_("nơi nhận"), max_length=2000)
    upload = models.FileField(_("tệp dự thảo"), upload_to="result-drafts/%Y/", blank=True)
    upload_name = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("người dự thảo"))
    created_at = models.DateTimeField(_("lúc dự thảo"))
    review_comment = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    stored = models.OneToOneField(StoredDocument, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="draft")
    # The number taken for this version before its signature was asked for (signing happens
    # outside the approval's transaction, results/drafting.py draft_sign): a retry after a failed
    # or timed-out signature, or the next version after a send-back, uses it again, so one
    # result never takes two numbers.
    number = models.CharField(_("số văn bản đã dành"), max_length=100, blank=True)
    number_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "-version"]
        constraints = [models.UniqueConstraint(fields=["dossier", "version"],
                                               name="result_draft_version")]
        verbose_name = _("dự thảo kết quả")
        verbose_name_plural = _("dự thảo kết quả")

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.version}"


class VerificationTry(WindowTry):
    """One PDF checked by the public verification (`/xac-thuc/`, its API), counted per client
    address in the database so the limit holds across every worker (results/verification_limits.py,
    the approach of motcua/window_counts.py). Rows older than the window are deleted as new
    ones come."""

    class Scope(models.TextChoices):
        ADDRESS = "address", _("địa chỉ IP")

    scope = models.CharField(max_length=10, choices=Scope.choices)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="verification_try_key_at")]
        verbose_name = _("lần xác thực văn bản")
        verbose_name_plural = _("lần xác thực văn bản")
