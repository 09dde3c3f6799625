"""The service-index indicators of Decision 766, defined once for pages, exports, API and tests.

Each indicator is a function of `Figures` (the summed day counters of a unit subtree and period,
plus the open dossiers and the national-portal acknowledgements counted at the moment of viewing)
with its Vietnamese name, its formula and the source it follows (all three translated for English
pages). Indicators whose data does not exist in motcua yet (procedures published on time) return
None and are shown as "chưa có dữ liệu": a number we cannot count is never invented.

Sources: Decision 766/QĐ-TTg of 23/6/2022 (the index and its groups); domain.md §8 (the raw
counters production systems compute); Decree 118/2025 (an apology does not make a late dossier
on time).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics.models import COUNTER_FIELDS

StrOrPromise = str | Promise
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    """Two decimals, half up: how the provinces' reports print percentages and points."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """Raw counts of one unit subtree over one period.

    The counter fields are sums of the counters' rows (every slot of each month). `carried_over`
    is counted from the same counters before the period. `open_on_time` / `open_overdue`
    describe the moment of viewing: the dossiers in progress (received − closed over all the
    counters) split by whether their due moment has passed "now", counted from the running
    dossiers' due index.
    """

    received_counter: int = 0
    received_online: int = 0
    received_post: int = 0
    received_online_capable: int = 0
    received_online_capable_online: int = 0
    received_full_online_procedure: int = 0
    received_full_online_procedure_online: int = 0
    settled_early: int = 0
    settled_on_time: int = 0
    settled_late: int = 0
    refused: int = 0
    withdrawn: int = 0
    stopped: int = 0
    apologised: int = 0
    closed_after_receipt: int = 0
    # Financial obligations met in the period, and those paid online (payments/).
    paid: int = 0
    paid_online: int = 0
    carried_over: int = 0
    open_on_time: int = 0
    open_overdue: int = 0
    # Applicants' evaluations of the period (evaluations/counters.py): all, and those whose
    # overall rating is "Rất hài lòng" or "Hài lòng".
    evaluated: int = 0
    satisfied: int = 0
    # Evaluations a desk officer entered at the counter that the applicant has not confirmed:
    # counted in neither figure above, shown apart on the dashboard (audit8).
    evaluated_officer_unconfirmed: int = 0
    # Dossiers received in the period whose latest status the national portal has not
    # acknowledged at the moment of viewing (the sync backlog, metrics/selectors.py).
    sync_waiting: int = 0
    # The counter fields of settled dossiers' digitisation (metrics/counters.py).
    settled_digitised: int = 0
    settled_e_result: int = 0
    settled_reused: int = 0
    # Feedback on regulations (PAKN, feedback/) received in the period by or handled by the
    # subtree's units: answers given, and those given by the answer due moment
    # (feedback.selectors.feedback_totals_by_scope, the PAKN statistics page's own count).
    feedback_answered: int = 0
    feedback_answered_on_time: int = 0

    @classmethod
    def from_sums(cls, sums: dict[str, Any], **extra: int) -> "Figures":
        values = {name: int(sums.get(name) or 0) for name in COUNTER_FIELDS}
        return cls(**values, **extra)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100 to 0.01; None when nothing was counted (0 of 0 is not 0 %)."""
    if whole == 0:
        return None
    return q2(Decimal(part) * HUNDRED / Decimal(whole))


@dataclass(frozen=True)
class Indicator:
    key: str
    # Lazy translations: Vietnamese, or English on an English page.
    name: StrOrPromise
    formula: StrOrPromise
    source: StrOrPromise
    unit: str  # "count" or "percent"
    compute: Callable[[Figures], int | Decimal | None] = field(repr=False)
    # Which dossier list a number opens (metrics/selectors.py DRILL_DOWNS); "" = none.
    drill: str = ""
    # False: motcua holds no data for it yet; shown as "chưa có dữ liệu".
    available: bool = True


def _received(f: Figures) -> int:
    return f.received_counter + f.received_online + f.received_post


def _settled(f: Figures) -> int:
    return f.settled_early + f.settled_on_time + f.settled_late


_766 = _("QĐ 766/QĐ-TTg (2022); domain.md §8")
_LATE = _("NĐ 118/2025; QĐ 766")
_FORM_04 = _("TT 03/2025; NĐ 118/2025")
_PAYMENT = _("QĐ 766; domain.md §11")
_SATISFACTION = _("QĐ 766; domain.md §7 (đánh giá của người nộp, evaluations/)")
_DIGITISATION = _("QĐ 766 (nhóm số hóa hồ sơ); NĐ 45/2020; domain.md §8, §10")
_SYNC = _("QĐ 766 (nhóm công khai, minh bạch); domain.md §8, §9")
_FEEDBACK = _("QĐ 766 (tiếp nhận, xử lý phản ánh, kiến nghị); NĐ 20/2008/NĐ-CP, sửa đổi bởi NĐ "
              "92/2017/NĐ-CP")
_NO_DATA = _("chưa có nguồn dữ liệu trong hệ thống")

INDICATORS: dict[str, Indicator] = {i.key: i for i in [
    Indicator("carried_over", _("Tồn kỳ trước chuyển sang"),
              _("đã tiếp nhận trước kỳ − đã kết thúc (trả kết quả, dừng, rút) trước kỳ"),
              _766, "count", lambda f: f.carried_over, drill="carried_over"),
    Indicator("received", _("Tiếp nhận trong kỳ"), _("trực tiếp + trực tuyến + bưu chính"),
              _766, "count", _received, drill="received"),
    Indicator("received_counter", _("Tiếp nhận trực tiếp"),
              _("hồ sơ tiếp nhận, kênh trực tiếp"),
              _766, "count", lambda f: f.received_counter, drill="received_counter"),
    Indicator("received_online", _("Tiếp nhận trực tuyến"),
              _("hồ sơ tiếp nhận, kênh trực tuyến"),
              _766, "count", lambda f: f.received_online, drill="received_online"),
    Indicator("received_post", _("Tiếp nhận qua bưu chính"),
              _("hồ sơ tiếp nhận, kênh bưu chính công ích"), _766, "count",
              lambda f: f.received_post, drill="received_post"),
    Indicator("settled", _("Đã giải quyết (đã trả kết quả)"),
              _("trước hạn + đúng hạn + quá hạn"), _766, "count", _settled, drill="settled"),
    Indicator("settled_early", _("Giải quyết trước hạn"),
              _("trả kết quả vào ngày trước ngày hẹn theo luật"), _766, "count",
              lambda f: f.settled_early, drill="settled_early"),
    Indicator("settled_on_time", _("Giải quyết đúng hạn"),
              _("trả kết quả trong ngày hẹn, không muộn hơn giờ hẹn"), _766, "count",
              lambda f: f.settled_on_time, drill="settled_on_time"),
    Indicator("settled_late", _("Giải quyết quá hạn"),
              _("trả kết quả sau thời điểm hẹn theo luật (kể cả hồ sơ đã có phiếu xin lỗi)"),
              _LATE, "count", lambda f: f.settled_late, drill="settled_late"),
    Indicator("settled_on_time_rate", _("Tỷ lệ giải quyết trước và đúng hạn"),
              _("(trước hạn + đúng hạn) / đã giải quyết × 100"), _766, "percent",
              lambda f: percent(f.settled_early + f.settled_on_time, _settled(f)),
              drill="settled"),
    Indicator("open_on_time", _("Đang giải quyết, còn hạn (tại thời điểm xem)"),
              _("hồ sơ đang mở chưa quá hạn, hoặc đang tạm dừng tính hạn"), _766, "count",
              lambda f: f.open_on_time, drill="open_on_time"),
    Indicator("open_overdue", _("Đang giải quyết, đã quá hạn (tại thời điểm xem)"),
              _("hồ sơ đang mở, đang tính hạn, ngày hẹn đã qua"), _766, "count",
              lambda f: f.open_overdue, drill="open_overdue"),
    Indicator("online_share", _("Tỷ lệ hồ sơ trực tuyến"),
              _("hồ sơ nộp trực tuyến / hồ sơ của các thủ tục có dịch vụ công trực tuyến × 100"),
              _766, "percent",
              lambda f: percent(f.received_online_capable_online, f.received_online_capable),
              drill="received_online"),
    Indicator("full_online_share", _("Tỷ lệ hồ sơ trực tuyến toàn trình"),
              _("hồ sơ nộp trực tuyến / hồ sơ của các thủ tục trực tuyến toàn trình × 100"),
              _766, "percent",
              lambda f: percent(f.received_full_online_procedure_online,
                                f.received_full_online_procedure),
              drill="received_full_online"),
    Indicator("refused", _("Từ chối tiếp nhận"), _("hồ sơ có phiếu từ chối (Mẫu 03)"), _766,
              "count", lambda f: f.refused, drill="refused"),
    Indicator("withdrawn", _("Công dân rút hồ sơ"), _("hồ sơ rút trong kỳ"), _766, "count",
              lambda f: f.withdrawn, drill="withdrawn"),
    Indicator("stopped", _("Dừng xử lý"), _("hồ sơ dừng xử lý trong kỳ"), _766, "count",
              lambda f: f.stopped, drill="stopped"),
    Indicator("apologised", _("Hồ sơ có phiếu xin lỗi, hẹn lại (Mẫu 04)"),
              _("hồ sơ có phiếu xin lỗi đầu tiên trong kỳ"), _FORM_04, "count",
              lambda f: f.apologised, drill="apologised"),
    Indicator("online_payment_share", _("Tỷ lệ thanh toán trực tuyến"),
              _("hồ sơ thanh toán trực tuyến / hồ sơ đã thực hiện nghĩa vụ tài chính × 100"),
              _PAYMENT, "percent", lambda f: percent(f.paid_online, f.paid)),
    Indicator("satisfaction_rate", _("Mức độ hài lòng"),
              _("đánh giá chung “Rất hài lòng” và “Hài lòng” / tổng số đánh giá × 100"),
              _SATISFACTION, "percent", lambda f: percent(f.satisfied, f.evaluated)),
    Indicator("publicity_rate", _("Công khai, minh bạch"),
              _("thủ tục công bố đúng hạn và hồ sơ đồng bộ Cổng DVCQG / tổng × 100"), _NO_DATA,
              "percent", lambda f: None, available=False),
    # The national portal's acknowledgement of each dossier's latest status, read from the sync
    # outbox at the moment of viewing (metrics/selectors.py `sync_waiting_by_unit`).
    Indicator("synced_share", _("Tỷ lệ hồ sơ đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia"),
              _("hồ sơ tiếp nhận trong kỳ có trạng thái mới nhất đã được Cổng xác nhận / hồ sơ "
                "tiếp nhận trong kỳ × 100 (tại thời điểm xem)"), _SYNC, "percent",
              lambda f: percent(_received(f) - f.sync_waiting, _received(f)), drill="not_synced"),
    # Decision 766 scores the digitisation of dossiers and of results together: each settled
    # dossier brings two items, its papers and its result (docs/metrics.md).
    Indicator("digitised_share", _("Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"),
              _("(hồ sơ có thành phần được số hóa + hồ sơ có kết quả điện tử) / (2 × hồ sơ đã "
                "giải quyết) × 100"), _DIGITISATION, "percent",
              lambda f: percent(f.settled_digitised + f.settled_e_result, 2 * _settled(f))),
    Indicator("digitised_papers_share", _("Tỷ lệ hồ sơ có thành phần được số hóa"),
              _("hồ sơ đã giải quyết có ít nhất một thành phần được số hóa / hồ sơ đã giải "
                "quyết × 100"), _DIGITISATION, "percent",
              lambda f: percent(f.settled_digitised, _settled(f)), drill="settled_digitised"),
    Indicator("e_result_share", _("Tỷ lệ hồ sơ có kết quả điện tử"),
              _("hồ sơ đã giải quyết có kết quả ký số / hồ sơ đã giải quyết × 100"),
              _DIGITISATION, "percent",
              lambda f: percent(f.settled_e_result, _settled(f)), drill="settled_e_result"),
    Indicator("reused_share", _("Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa"),
              _("hồ sơ đã giải quyết có thành phần lấy từ kho dữ liệu điện tử / hồ sơ đã giải "
                "quyết × 100"), _DIGITISATION, "percent",
              lambda f: percent(f.settled_reused, _settled(f)), drill="settled_reused"),
    # Feedback on regulations answered by its answer due moment (Decree 20/2008 as amended by
    # Decree 92/2017; the limit itself is the setting MOTCUA_FEEDBACK_ANSWER_DAYS, the text's
    # figure not confirmed, docs/feedback.md), of the items received in the period: the figure
    # of the PAKN statistics page (feedback.selectors.feedback_statistics), counted there.
    Indicator("feedback_on_time", _("Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn"),
              _("phản ánh, kiến nghị trả lời đúng hạn / đã trả lời × 100 (tiếp nhận trong kỳ)"),
              _FEEDBACK, "percent",
              lambda f: percent(f.feedback_answered_on_time, f.feedback_answered)),
]}

# The order in which pages and exports list the raw indicators.
REPORT_ORDER: tuple[str, ...] = tuple(INDICATORS)

# The default scoring set, labelled as such wherever it is shown. Group maxima follow domain.md §8
# (unsure upstream, hence configuration); each group's points are max × the weighted mean of its
# indicators' percentages. Seeded by migration 0002 (0005 adds the sync share to publicity); edit
# or add later sets in the admin.
DEFAULT_METHOD_NAME = "Bộ mặc định của phần mềm (chưa đối chiếu văn bản chính thức)"
DEFAULT_GROUPS: list[dict[str, Any]] = [
    {"key": "publicity", "name": "Công khai, minh bạch", "max_points": 18,
     "indicators": {"publicity_rate": 1, "synced_share": 1}},
    {"key": "progress", "name": "Tiến độ giải quyết", "max_points": 20,
     "indicators": {"settled_on_time_rate": 1}},
    {"key": "online", "name": "Dịch vụ công trực tuyến", "max_points": 12,
     "indicators": {"online_share": 1, "full_online_share": 1}},
    {"key": "payment", "name": "Thanh toán trực tuyến", "max_points": 10,
     "indicators": {"online_payment_share": 1}},
    {"key": "satisfaction", "name": "Mức độ hài lòng", "max_points": 18,
     "indicators": {"satisfaction_rate": 1}},
    {"key": "digitisation", "name": "Số hóa hồ sơ", "max_points": 22,
     "indicators": {"digitised_share": 1, "reused_share": 1}},
]
DEFAULT_BANDS: list[dict[str, Any]] = [
    {"name": "Xuất sắc", "min": 90},
    {"name": "Tốt", "min": 80},
    {"name": "Khá", "min": 70},
    {"name": "Trung bình", "min": 50},
    {"name": "Yếu", "min": 0},
]


# The default set's group and band names as pages show them in the visitor's language. A set is
# data an administrator edits: a name typed there is shown as typed.
_LABELS = {
    "Công khai, minh bạch": _("Công khai, minh bạch"),
    "Tiến độ giải quyết": _("Tiến độ giải quyết"),
    "Dịch vụ công trực tuyến": _("Dịch vụ công trực tuyến"),
    "Thanh toán trực tuyến": _("Thanh toán trực tuyến"),
    "Mức độ hài lòng": _("Mức độ hài lòng"),
    "Số hóa hồ sơ": _("Số hóa hồ sơ"),
    "Xuất sắc": _("Xuất sắc"),
    "Tốt": _("Tốt"),
    "Khá": _("Khá"),
    "Trung bình": _("Trung bình"),
    "Yếu": _("Yếu"),
    DEFAULT_METHOD_NAME: _("Bộ mặc định của phần mềm (chưa đối chiếu văn bản chính thức)"),
}


def label(name: str) -> str:
    """A group, band or scoring-set name in the active language when it is one of the default
    set's; otherwise as the administrator typed it."""
    found = _LABELS.get(name)
    return str(found) if found is not None else name


@dataclass(frozen=True)
class GroupScore:
    key: str
    name: str
    max_points: Decimal
    points: Decimal | None  # None: no indicator of the group has data


@dataclass(frozen=True)
class Score:
    groups: list[GroupScore]
    points: Decimal | None       # sum over groups with data
    max_points: Decimal          # sum of the maxima of those groups
    scaled: Decimal | None       # points / max_points × 100: comparable while groups are missing
    band: str | None


def values(figures: Figures) -> dict[str, int | Decimal | None]:
    return {key: ind.compute(figures) for key, ind in INDICATORS.items()}


def band_for(scaled: Decimal, bands: list[dict[str, Any]]) -> str:
    for band in sorted(bands, key=lambda b: -Decimal(str(b["min"]))):
        if scaled >= Decimal(str(band["min"])):
            return band["name"]
    return bands[-1]["name"]


@dataclass(frozen=True)
class _Group:
    key: str
    name: str
    max_points: Decimal
    weights: tuple[tuple[str, Decimal], ...]

    @classmethod
    def of(cls, group: dict[str, Any]) -> "_Group":
        return cls(group["key"], group["name"], Decimal(str(group["max_points"])),
                   tuple((k, Decimal(str(w))) for k, w in group["indicators"].items()))

    def points(self, vals: dict[str, Any]) -> Decimal | None:
        """max × Σ(weight × percentage) / (100 × Σ weight), over the indicators that have data.

        An indicator with no data leaves the group's weighting to the others; a group none of
        whose indicators has data scores None and its maximum is left out of the total.
        """
        weighted, weights = Decimal(0), Decimal(0)
        for key, weight in self.weights:
            value = vals.get(key)
            if value is None:
                continue
            weighted += weight * value
            weights += weight
        if weights == 0:
            return None
        return q2(self.max_points * weighted / (HUNDRED * weights))


class Scoring:
    """A scoring set (groups and bands) read once, then applied to many units: the dashboard
    scores a province and its 121 units per page, so the weights are converted and the names
    translated once, not once per unit."""

    def __init__(self, *, groups: list[dict[str, Any]], bands: list[dict[str, Any]]):
        self.groups = [_Group.of(g) for g in groups]
        self.labels = [label(g.name) for g in self.groups]
        self.bands = bands
        self._band_labels: dict[str, str] = {}

    def score(self, vals: dict[str, int | Decimal | None]) -> Score:
        """Points per group, total, total on a 100 scale, and band (Decision 766 groups)."""
        scored = [GroupScore(g.key, name, g.max_points, g.points(vals))
                  for g, name in zip(self.groups, self.labels, strict=True)]
        have = [g for g in scored if g.points is not None]
        if not have:
            return Score(scored, None, Decimal(0), None, None)
        points = sum((g.points for g in have), Decimal(0))
        maximum = sum((g.max_points for g in have), Decimal(0))
        scaled = q2(points * HUNDRED / maximum)
        band = band_for(scaled, self.bands)
        if band not in self._band_labels:
            self._band_labels[band] = label(band)
        return Score(scored, points, maximum, scaled, self._band_labels[band])
