"""The published administrative procedures: what a dossier may be filed for, and its rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.IntegerChoices):
    """KenhThucHien of the national portal (domain.md §2)."""

    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    MONTHS = "months", _("tháng")


class Field(models.Model):
    """Lĩnh vực: the subject area a procedure belongs to."""

    name = models.CharField(_("tên"), max_length=255, unique=True)
    code = models.CharField(_("mã"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """One version of a procedure; a new version gets a new row with a later effective date."""

    class Level(models.TextChoices):
        MINISTRY = "bo", _("Cấp bộ")
        PROVINCE = "tinh", _("Cấp tỉnh")
        COMMUNE = "xa", _("Cấp xã")
        OTHER = "khac", _("Cấp khác")

    class OnlineLevel(models.TextChoices):
        INFORMATION = "information", _("Cung cấp thông tin")
        PARTIAL = "partial", _("Trực tuyến một phần")
        FULL = "full", _("Trực tuyến toàn trình")

    code = models.CharField(_("mã thủ tục"), max_length=40, db_index=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # What this version changed from the one before, and by which decision (catalog/versions.py);
    # empty for versions imported from the national database.
    change_note = models.TextField(_("thay đổi so với phiên bản trước"), blank=True)
    name = models.TextField(_("tên thủ tục"))
    search_text = models.TextField(
        _("chuỗi tìm kiếm"), blank=True, editable=False,
        help_text=_("Tên không dấu, chữ thường, dùng cho tìm kiếm không phân biệt dấu."),
    )
    # Matches here rank below matches in the name (catalog/search.py); kept folded like the name
    # so both databases compare the same text.
    search_body = models.TextField(
        _("nội dung tìm kiếm"), blank=True, editable=False,
        help_text=_("Lĩnh vực, cơ quan, kết quả, yêu cầu và trình tự, không dấu, chữ thường."),
    )
    field = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="procedures", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices,
                             default=Level.PROVINCE)
    # The national database lists several levels for one procedure in five ("Cấp bộ, Cấp
    # tỉnh"); `level` keeps the one closest to the applicant, this keeps them all for filtering.
    levels = models.CharField(
        _("các cấp thực hiện"), max_length=40, blank=True,
        help_text=_("Mã các cấp cách nhau bởi dấu cách, ví dụ «tinh xa»."),
    )
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    competent_authority = models.TextField(_("cơ quan có thẩm quyền"), blank=True)
    implementing_agency = models.TextField(_("cơ quan thực hiện"), blank=True)
    coordinating_agencies = models.TextField(_("cơ quan phối hợp"), blank=True)
    competent_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="procedures", verbose_name=_("đơn vị giải quyết"),
    )
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=20,
                                    choices=OnlineLevel.choices, default=OnlineLevel.INFORMATION)
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_text = models.TextField(_("kết quả thực hiện"), blank=True)
    result_codes = models.JSONField(_("mã kết quả"), default=list, blank=True)
    submission_address = models.TextField(_("địa chỉ tiếp nhận"), blank=True)
    decision_number = models.CharField(_("quyết định công bố"), max_length=100, blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    source_record = models.JSONField(
        _("bản ghi gốc"), default=dict, blank=True,
        help_text=_("Bản ghi nguyên văn từ Cơ sở dữ liệu quốc gia, giữ để không mất dữ liệu."),
    )
    parse_issues = models.JSONField(_("phần chưa phân tích được"), default=list, blank=True)
    source_hash = models.CharField(
        _("mã băm bản ghi gốc"), max_length=64, blank=True, editable=False,
        help_text=_("Dùng để nhận ra bản ghi không đổi khi nhập lại."),
    )
    parsed_with = models.CharField(
        _("phiên bản bộ phân tích"), max_length=20, blank=True, editable=False,
        help_text=_("Bản ghi không đổi nhưng bộ phân tích mới hơn thì được đọc lại tại chỗ."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the search index notices a changed catalogue by its latest change.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="procedure_code_version")
        ]
        indexes = [
            # The catalogue's list in its order (procedures in force, by code, newest version
            # first) and its count, read from one index. Without it SQLite, which plans before
            # it sees `is_active = ?`'s value, read every row and sorted them: 15 ms a page at
            # 2,642 procedures, 78 ms at 20,000 (bench/search.py's floor); with it 0.2 ms.
            models.Index(fields=["is_active", "code", "-version"], name="procedure_list_order"),
        ]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class LegalBasis(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="legal_bases")
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    title = models.TextField(_("trích yếu"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Variant(models.Model):
    """Trường hợp: a case of a procedure with its own documents, time limits, fees and steps."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="variants")
    name = models.TextField(_("trường hợp"), default="Trường hợp chung")
    order = models.PositiveIntegerField(default=0)
    cutoff_time = models.TimeField(
        _("giờ tiếp nhận muộn nhất trong ngày"), null=True, blank=True,
        help_text=_("Hồ sơ tiếp nhận sau giờ này được tính từ ngày làm việc tiếp theo."),
    )
    civil_code_counting = models.BooleanField(
        _("tính theo Bộ luật Dân sự"), default=False,
        help_text=_("Không tính ngày đầu; hạn rơi vào ngày nghỉ thì kết thúc cuối ngày làm việc "
                    "kế tiếp."),
    )
    notes = models.TextField(
        _("ghi chú thành phần hồ sơ"), blank=True,
        help_text=_("Các dòng trong thành phần hồ sơ không phải giấy tờ phải nộp (0 bản)."),
    )

    class Meta:
        ordering = ["procedure_id", "order", "id"]
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")

    def __str__(self) -> str:
        return self.name


class TimeLimit(models.Model):
    """The statutory time limit of a variant for one channel (the online limit may differ)."""

    class Inferred(models.TextChoices):
        """Where a limit the time cell did not give was read (catalog/parsing/limits.py)."""

        DESCRIPTION = "description", _("Ô thời hạn trống, lấy từ mô tả hình thức nộp")
        STEPS = "steps", _("Đọc trong mô tả hoặc trình tự thực hiện")
        UNIT_FROM_TEXT = "unit_text", _("Ô thời hạn chỉ có số, đơn vị đọc trong văn bản")
        UNIT_DEFAULT = "unit_default", _("Ô thời hạn chỉ có số, đơn vị mặc định ngày làm việc")

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="time_limits")
    channel = models.PositiveSmallIntegerField(_("hình thức nộp"), choices=Channel.choices)
    amount = models.DecimalField(_("thời hạn"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("đơn vị"), max_length=20, choices=TimeUnit.choices)
    description = models.TextField(_("mô tả"), blank=True)
    inferred = models.CharField(
        _("thời hạn suy ra"), max_length=20, choices=Inferred.choices, blank=True,
        help_text=_("Để trống khi thời hạn được công bố rõ. Xóa dấu này sau khi đã kiểm tra "
                    "với văn bản quy định."))

    class Meta:
        ordering = ["variant_id", "channel", "id"]
        verbose_name = _("thời hạn giải quyết")
        verbose_name_plural = _("thời hạn giải quyết")

    def __str__(self) -> str:
        amount = f"{self.amount.normalize():f}"
        return f"{self.get_channel_display()}: {amount} {self.get_unit_display()}"


class Fee(models.Model):
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="fees")
    channel = models.PositiveSmallIntegerField(_("hình thức nộp"), choices=Channel.choices)
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["variant_id", "channel", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return self.name


class RequiredDocument(models.Model):
    """Thành phần hồ sơ: a paper the applicant hands in for a variant."""

    class CopyKind(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
        ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")

    class Lookup(models.TextChoices):
        POPULATION = "population", _("CSDL quốc gia về dân cư")
        RESULTS = "results", _("Kết quả giải quyết đã có trong kho dữ liệu")

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="documents")
    name = models.TextField(_("tên giấy tờ"))
    copy_kind = models.CharField(_("loại bản"), max_length=20, choices=CopyKind.choices,
                                 default=CopyKind.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    template_file = models.FileField(_("tệp mẫu"), upload_to="templates/", blank=True)
    optional = models.BooleanField(_("không bắt buộc"), default=False)
    section = models.TextField(
        _("nhóm giấy tờ"), blank=True,
        help_text=_("Tiêu đề nhóm trong thành phần hồ sơ, ví dụ «Trường hợp ủy quyền»."),
    )
    alternative_group = models.CharField(
        _("nhóm thay thế"), max_length=40, blank=True,
        help_text=_("Các giấy tờ cùng nhóm thay thế nhau: chỉ cần nộp một."),
    )
    # Read from the published text by catalog.parsing.papers; an officer may correct them here.
    condition = models.TextField(
        _("điều kiện áp dụng"), blank=True,
        help_text=_("Trường hợp cần nộp giấy tờ này, ví dụ «Trường hợp ủy quyền». Để trống: mọi "
                    "người nộp đều cần; có điều kiện: chỉ yêu cầu khi cán bộ xác nhận có "
                    "trường hợp đó."),
    )
    lookup = models.CharField(
        _("khai thác dữ liệu thay cho giấy tờ"), max_length=20, choices=Lookup.choices,
        blank=True,
        help_text=_("Nhà nước đã có dữ liệu của giấy tờ này: cán bộ tra cứu thay vì yêu cầu nộp "
                    "(Nghị định 45/2020/NĐ-CP, Nghị định 104/2022/NĐ-CP)."),
    )
    choices = models.JSONField(
        _("giấy tờ thay thế trong cùng dòng"), default=list, blank=True,
        help_text=_("Ví dụ «Thẻ Căn cước», «Hộ chiếu»: nộp một trong các giấy tờ này là đủ."),
    )
    template_url = models.URLField(
        _("đường dẫn tệp mẫu"), max_length=500, blank=True,
        help_text=_("Địa chỉ tải mẫu đơn, tờ khai do Cơ sở dữ liệu quốc gia công bố."),
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["variant_id", "order", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """A processing step: who acts, and the share of the time limit that step may use."""

    class Role(models.TextChoices):
        RECEIVING = "receiving", _("Bộ phận một cửa tiếp nhận")
        SPECIALIST = "specialist", _("Chuyên viên xử lý")
        HEAD = "head", _("Lãnh đạo phê duyệt")
        COORDINATING = "coordinating", _("Cơ quan phối hợp")
        RETURNING = "returning", _("Bộ phận một cửa trả kết quả")

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("đơn vị thực hiện"),
        help_text=_("Để trống: đơn vị giải quyết của thủ tục (hoặc đơn vị tiếp nhận cho bước "
                    "một cửa)."),
    )
    share_percent = models.DecimalField(
        _("tỷ lệ thời hạn (%)"), max_digits=5, decimal_places=2,
        help_text=_("Phần trăm tổng thời hạn giải quyết dành cho bước này."),
    )

    class Meta:
        ordering = ["variant_id", "order"]
        constraints = [models.UniqueConstraint(fields=["variant", "order"], name="step_order")]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class SearchSynonym(models.Model):
    """A thesaurus line: what citizens type, and what the catalogue calls it.

    "sổ đỏ" → "giấy chứng nhận quyền sử dụng đất"; "BHXH" ↔ "bảo hiểm xã hội". The search
    offers the catalogue's words as alternatives of the citizen's (catalog/search/), so editing
    a line here changes the next search without rebuilding anything.
    """

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("Viết tắt")
        EVERYDAY = "everyday", _("Cách gọi thường ngày")
        ACTION = "action", _("Việc người dân muốn làm")

    phrase = models.CharField(_("người dân gõ"), max_length=200,
                              help_text=_("Ví dụ «sổ đỏ», «BHXH», «làm lại»."))
    official = models.TextField(
        _("danh mục gọi là"),
        help_text=_("Một hoặc nhiều cách gọi trong danh mục thủ tục, mỗi dòng một cách gọi."))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices,
                            default=Kind.EVERYDAY)
    both_ways = models.BooleanField(
        _("dùng cả hai chiều"), default=False,
        help_text=_("Đánh dấu cho chữ viết tắt: thủ tục ghi «BHXH» cũng tìm được khi gõ "
                    "«bảo hiểm xã hội» và ngược lại."))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("từ đồng nghĩa khi tìm kiếm")
        verbose_name_plural = _("từ đồng nghĩa khi tìm kiếm")

    def __str__(self) -> str:
        return f"{self.phrase} → {' / '.join(self.official_terms)}"

    @property
    def official_terms(self) -> list[str]:
        return [line.strip() for line in self.official.splitlines() if line.strip()]


class LifeEvent(models.Model):
    """A moment of life (a baby is born, a marriage, starting a business…) and the procedures it
    takes, like the national portal's services by life event. A query that says it ("vợ tôi vừa
    sinh con") finds these procedures, and the event is offered when nothing matches well."""

    name = models.CharField(_("sự kiện"), max_length=200, unique=True)
    description = models.TextField(_("mô tả cho người dân"), blank=True)
    phrases = models.TextField(
        _("cách người dân nói"),
        help_text=_("Mỗi dòng một cách nói, ví dụ «sinh con», «em bé mới sinh»."))
    procedure_codes = models.TextField(
        _("mã thủ tục"),
        help_text=_("Mỗi dòng một mã thủ tục, thủ tục hay dùng nhất lên trước."))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sự kiện cuộc sống")
        verbose_name_plural = _("sự kiện cuộc sống")

    def __str__(self) -> str:
        return self.name

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]

    @property
    def codes(self) -> list[str]:
        return [line.strip() for line in self.procedure_codes.split() if line.strip()]


class SearchIndex(models.Model):
    """The ranking index of the catalogue, built when procedures are imported or edited and
    stored here so that every worker process loads the same one (catalog/search/index.py)."""

    signature = models.CharField(_("dấu hiệu dữ liệu"), max_length=200)
    built_at = models.DateTimeField(_("lập lúc"))
    documents = models.PositiveIntegerField(_("số thủ tục"))
    data = models.BinaryField(_("dữ liệu chỉ mục"))

    class Meta:
        verbose_name = _("chỉ mục tìm kiếm")
        verbose_name_plural = _("chỉ mục tìm kiếm")

    def __str__(self) -> str:
        return f"{self.documents} — {self.built_at:%d/%m/%Y %H:%M}"


class UnmatchedSearch(models.Model):
    """A search with no good match, counted per day: the words the thesaurus is missing
    (docs/search.md, "Searches with no good match").

    Only the query's text is kept, folded (no diacritics, lower case) and with anything that
    looks like a personal number or address left out; never who searched, nor when within the
    day. An administrator reads the list and adds thesaurus lines from it."""

    day = models.DateField(pgettext_lazy("date field", "ngày"))
    query = models.CharField(_("từ khóa (đã chuẩn hóa)"), max_length=200)
    count = models.PositiveIntegerField(_("số lần"), default=1)

    class Meta:
        ordering = ["-day", "-count", "query"]
        constraints = [models.UniqueConstraint(fields=["day", "query"],
                                               name="catalog_unmatched_search_day_query")]
        verbose_name = _("tìm kiếm không có kết quả phù hợp")
        verbose_name_plural = _("tìm kiếm không có kết quả phù hợp")

    def __str__(self) -> str:
        return f"{self.query} ({self.day:%d/%m/%Y}: {self.count})"
