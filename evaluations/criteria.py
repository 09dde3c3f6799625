"""The applicant's evaluation: 9 criteria scored 2/1/0 and two 3-level ratings (domain.md §7).

The criteria are those of the provincial systems in production (practice, taken verbatim from a
provincial system); the wording of each option says what earns 2, 1 or 0 points. Answers are
stored raw, one column per criterion, so that a later change of the scoring or of the bands
re-reads them instead of guessing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


SATISFIED_RATINGS = frozenset({Rating.VERY_SATISFIED, Rating.SATISFIED})


@dataclass(frozen=True)
class Criterion:
    key: str
    question: str
    # Option labels for 2, 1 and 0 points.
    options: tuple[str, str, str]


CRITERIA: tuple[Criterion, ...] = (
    Criterion("total_time", _("Tổng thời gian giải quyết hồ sơ so với thời gian quy định"),
              (_("Sớm hơn hoặc đúng hẹn"), _("Trễ hẹn nhưng có xin lỗi, hẹn lại"),
               _("Trễ hẹn, không được báo"))),
    Criterion("agency_time",
              _("Thời gian xử lý của từng cơ quan so với thời gian được giao"),
              (_("Đúng hoặc sớm hơn"), _("Có cơ quan chậm nhưng có xin lỗi"),
               _("Có cơ quan chậm, không được báo"))),
    Criterion("contacts", _("Số lần ông/bà phải liên hệ để hoàn thiện hồ sơ"),
              (_("Không phải liên hệ thêm"), _("Một lần"), _("Nhiều hơn một lần"))),
    Criterion("agencies", _("Số cơ quan ông/bà phải liên hệ"),
              (_("Chỉ bộ phận một cửa"), _("Thêm một cơ quan"), _("Từ hai cơ quan trở lên"))),
    Criterion("one_stop", _("Hồ sơ được tiếp nhận và trả kết quả qua bộ phận một cửa"),
              (_("Cả tiếp nhận và trả kết quả"), _("Chỉ một trong hai"), _("Không"))),
    Criterion("publicity", _("Thủ tục được công khai đầy đủ, rõ ràng"),
              (_("Đầy đủ, dễ hiểu"), _("Có công khai nhưng chưa đầy đủ"), _("Không công khai"))),
    Criterion("attitude", _("Thái độ của cán bộ, công chức"),
              (_("Lịch sự, tận tình"), _("Bình thường"), _("Không đúng mực"))),
    Criterion("complaints", _("Tiếp nhận, xử lý phản ánh, kiến nghị"),
              (_("Không có hoặc được trả lời thỏa đáng"), _("Được trả lời nhưng chậm"),
               _("Không được trả lời"))),
    Criterion("online_service", _("Tiến độ, chất lượng dịch vụ công trực tuyến"),
              (_("Tốt, theo dõi được tiến độ"), _("Dùng được nhưng còn khó khăn"),
               _("Không dùng được"))),
)
CRITERION_KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)
MAX_POINTS = 2 * len(CRITERIA)  # 18
RATING_KEYS = ("ease_rating", "overall_rating")
RATING_QUESTIONS = {
    "ease_rating": _("Mức độ thuận tiện, dễ thực hiện thủ tục"),
    "overall_rating": _("Mức độ hài lòng chung"),
}


def band_for(points: int) -> str:
    """The band of a total from settings.MOTCUA_EVALUATION_BANDS (highest threshold reached)."""
    bands = sorted(settings.MOTCUA_EVALUATION_BANDS, key=lambda b: -b["min"])
    for band in bands:
        if points >= band["min"]:
            return str(band["name"])
    return str(bands[-1]["name"]) if bands else ""
