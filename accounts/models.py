"""People, roles and agencies; the administrative units they belong to."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.window_counts import WindowTry


class Province(models.Model):
    """One of the 34 provincial units in force since 01/07/2025 (Decision 19/2025/QĐ-TTg)."""

    code = models.PositiveSmallIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=50)
    codename = models.SlugField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """One of the 3,321 commune-level units (xã, phường, đặc khu); there are no districts."""

    code = models.PositiveIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=50)
    codename = models.SlugField(max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")

    class Meta:
        ordering = ["province_id", "code"]
        verbose_name = _("xã, phường")
        verbose_name_plural = _("xã, phường")

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class Unit(models.Model):
    """An agency or one of its parts: province, service centre, department, commune, ministry."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ, ngành")
        PROVINCE = "province", _("UBND tỉnh")
        CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DIVISION = "division", _("Phòng, ban chuyên môn")
        COMMUNE = "commune", _("UBND xã, phường")
        OTHER = "other", _("Khác")

    code = models.CharField(
        _("mã định danh điện tử"),
        max_length=40,
        unique=True,
        help_text=_("Theo danh mục mã định danh quốc gia, ví dụ 000.00.12.H56."),
    )
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("xã")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    office_hours = models.CharField(
        _("giờ làm việc"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ 07:30-11:30,13:00-17:00; để trống để dùng giờ mặc định của hệ thống."),
    )
    receives_dossiers = models.BooleanField(
        _("tiếp nhận hồ sơ"), default=False,
        help_text=_("Đơn vị có bộ phận một cửa tiếp nhận và trả kết quả."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Anyone who logs in: staff of a unit, a citizen, or a person acting for a business."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Cán bộ, công chức")
        CITIZEN = "citizen", _("Công dân")
        BUSINESS = "business", _("Doanh nghiệp, tổ chức")

    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=Kind.choices,
                            default=Kind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    title = models.CharField(_("chức danh"), max_length=100, blank=True)
    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # A business account files for its enterprise: the name and enterprise (tax) code go on the
    # dossier as the applicant (LoaiDoiTuong 2).
    organization_name = models.CharField(_("tên doanh nghiệp, tổ chức"), max_length=255,
                                         blank=True)
    tax_code = models.CharField(_("mã số doanh nghiệp"), max_length=14, blank=True)
    # True once the national identity provider (VNeID) vouched for this person's personal ID;
    # the national-portal sync reports it as TaiKhoanDuocXacThucVoiVNeID.
    vneid_verified = models.BooleanField(_("đã xác thực VNeID"), default=False)
    # Set by self sign-up until the person proves they hold the e-mail or phone they gave;
    # staff accounts made by an administrator never wait.
    awaiting_verification = models.BooleanField(_("chờ xác minh"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    RECEIVING = "receiving", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    HEAD = "head", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị")
    # Not a person: the account of the evaluation screen facing the applicant at a desk
    # (evaluations/). It holds no staff role and sees nothing but that screen.
    SCREEN = "screen", _("Màn hình đánh giá tại quầy")
    # Administrative-reform management (reform/, domain.md §12): the Department of Home Affairs'
    # officer who runs the CCHC plan, the PAR Index rounds and SIPAS, and the appraisal team's
    # members who re-score a unit's self-assessment (Decision 876/QĐ-BNV).
    REFORM = "reform", _("Cán bộ cải cách hành chính")
    APPRAISER = "appraiser", _("Thành viên tổ thẩm định")
    # Receives, classifies and answers citizens' feedback on regulations (PAKN, Decree 20/2008
    # as amended by Decree 92/2017) for its unit; heads approve the answers.
    FEEDBACK = "feedback", _("Cán bộ xử lý phản ánh, kiến nghị")


class Membership(models.Model):
    """A person holds a role in a unit; the same person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class CodeSendTry(WindowTry):
    """One request that sends a code to a phone or e-mail without an account signed in — a
    sign-up, a code sent again, a forgotten password — counted per client address in the
    database so the limit holds across every worker (accounts/code_send_limits.py, the approach
    of motcua/window_counts.py). Rows older than the window are deleted as new ones come."""

    class Scope(models.TextChoices):
        ADDRESS = "address", _("địa chỉ IP")

    scope = models.CharField(max_length=10, choices=Scope.choices)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="code_send_try_key_at")]
        verbose_name = _("lần gửi mã xác minh")
        verbose_name_plural = _("lần gửi mã xác minh")


class VerificationCode(models.Model):
    """A one-time code sent to an account's e-mail or phone; only its hash is kept. It proves a
    new account holds its contact, or lets the holder of the contact set a new password."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        PHONE = "phone", _("Tin nhắn SMS")

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("Xác minh tài khoản")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        # A new phone or e-mail typed on the profile, used once its holder enters the code.
        CONTACT_PHONE = "contact_phone", _("Xác minh số điện thoại mới")
        CONTACT_EMAIL = "contact_email", _("Xác minh thư điện tử mới")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verification_codes")
    # A code opens only what it was sent for: a sign-up code cannot set a password.
    purpose = models.CharField(_("dùng để"), max_length=20, choices=Purpose.choices,
                               default=Purpose.VERIFY)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    destination = models.CharField(_("gửi tới"), max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã xác minh")
        verbose_name_plural = _("mã xác minh")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.destination}"


class IdentityProof(models.Model):
    """Who vouched that an account's holder is the person (or business) its number names.

    A number typed into a form proves nothing: anything keyed by a personal ID or an enterprise
    code — the data store, counter dossiers under "Hồ sơ của tôi", reuse of stored papers, the
    population database, pre-filled forms — opens only through a proof here: the national
    identity provider's verified claim (VNeID, Decree 69/2024/NĐ-CP art. 13) or an officer of a
    one-stop desk who saw the person's identity paper (or the business's registration and the
    representative's authorisation). Rows are only appended; a proof ends by revocation, kept
    with who, when and why.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Số định danh cá nhân")
        ENTERPRISE = "enterprise", _("Mã số doanh nghiệp")

    class Method(models.TextChoices):
        VNEID = "vneid", _("Tài khoản định danh điện tử VNeID")
        DESK = "desk", _("Cán bộ một cửa đối chiếu giấy tờ")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identity_proofs",
                             verbose_name=_("tài khoản"))
    kind = models.CharField(_("loại số"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("số được xác thực"), max_length=14)
    method = models.CharField(_("cách xác thực"), max_length=8, choices=Method.choices)
    officer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("cán bộ xác thực"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("tại đơn vị"))
    paper = models.CharField(_("giấy tờ đã đối chiếu"), max_length=255, blank=True)
    at = models.DateTimeField(_("thời điểm"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người thu hồi"))
    revoke_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            # One account per proven number: whoever proves it later finds it taken and an
            # administrator must revoke the old proof first (with a reason, kept).
            models.UniqueConstraint(fields=["kind", "number"],
                                    condition=models.Q(revoked_at__isnull=True),
                                    name="identity_proof_one_live_per_number"),
        ]
        verbose_name = _("xác thực danh tính")
        verbose_name_plural = _("xác thực danh tính")

    def __str__(self) -> str:
        # No number: this name is printed where nothing logs a read of it (the admin's history,
        # its messages, the rows listed by another object's delete confirmation, the recent
        # actions); the proof's own page shows the number and logs it (Decree 13/2023 art. 9).
        return f"{self.get_method_display()} — {self.user}"


class PersonalDataAccess(models.Model):
    """One read of a person's data by staff: the data subject's right to know how their data is
    processed, and the controller's duty to record processing (Decree 13/2023/NĐ-CP, art. 9;
    since 01/01/2026 the Law on Personal Data Protection 91/2025/QH15, which replaced it).
    Written in the request that shows the data; never edited."""

    class Action(models.TextChoices):
        COUNTER_SEARCH = "counter_search", _("Tìm người nộp tại quầy")
        DOSSIER_OPEN = "dossier_open", _("Mở hồ sơ")
        PAPER_DOWNLOAD = "paper_download", _("Tải giấy tờ trong hồ sơ")
        RESULT_DOWNLOAD = "result_download", _("Tải giấy tờ trong kho dữ liệu")
        STORE_REUSE = "store_reuse", _("Dùng lại giấy tờ trong kho dữ liệu")
        POPULATION_LOOKUP = "population_lookup", _("Tra cứu CSDL quốc gia về dân cư")
        IDENTITY_PROOF = "identity_proof", _("Xác thực danh tính tại quầy")
        FORM_PRINT = "form_print", _("In phiếu, biểu mẫu của hồ sơ")
        REGISTER_EXPORT = "register_export", _("Xuất sổ theo dõi hồ sơ")
        # The register's page shows each listed person's address and phone as its exports do
        # (since audit11).
        REGISTER_VIEW = "register_view", _("Xem sổ theo dõi hồ sơ")
        LIST_SEARCH = "list_search", _("Tìm hồ sơ theo số giấy tờ, số điện thoại")
        ADMIN_VIEW = "admin_view", _("Xem trong trang quản trị")
        ADMIN_SEARCH = "admin_search", _("Tìm trong trang quản trị theo số giấy tờ, số điện thoại")
        # Written by feedback/ since its staff page (the label was missing: the log showed the
        # code); the attachments' download since it exists.
        FEEDBACK_VIEW = "feedback_view", _("Xem phản ánh, kiến nghị")
        FEEDBACK_FILE = "feedback_file", _("Tải tệp đính kèm phản ánh, kiến nghị")

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("người xem"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("đơn vị"))
    subject = models.CharField(_("số giấy tờ của người được xem"), max_length=20, db_index=True)
    subject_name = models.CharField(_("họ tên người được xem"), max_length=255, blank=True)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    reference = models.CharField(_("hồ sơ, giấy tờ"), max_length=100, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=255)
    # A refused read is logged too: who tried, and why they could not.
    outcome = models.CharField(_("kết quả"), max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"], name="pda_subject_at"),
                   models.Index(fields=["user", "-at"], name="pda_user_at")]
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký xem dữ liệu cá nhân")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_id} → {self.subject}"


class ApiToken(models.Model):
    """An API token, kept as the SHA-256 digest of its key only (audit10): DRF's tokens kept the
    key itself, so a copy of the database or a backup called the API as every account. The key
    (160 random bits) is shown once, when issued (accounts/tokens.py); a request's key is
    digested and looked up by that digest, one indexed read, so no comparison of secrets runs
    in Python. An account may hold several (an integration on two hosts keeps one each)."""

    digest = models.CharField(_("mã băm SHA-256"), max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("người dùng"))
    created = models.DateTimeField(_("thời điểm cấp"), default=timezone.now)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} — {self.user}"
