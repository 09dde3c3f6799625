"""Lost points become next year's tasks: from an appraised or published assessment, the draft of
the unit's CCHC plan for the following year, with a proposed task for every criterion where
points were lost, prefilled and then edited on the plan's pages (reform/services/plans.py).

The plan's area of a task comes from the words of the criterion's area title (the PAR Index
areas follow Resolution 76's six areas plus "direction and administration"); an area that names
none of them (the survey area) is "direction", where a province lists its cross-cutting tasks.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from motcua.errors import NotAllowed
from reform.models import Area, ParAssessment, Plan, Task
from reform.par import access, selectors
from reform.services.plans import plan_create, task_add

# Words of an area's title → the plan's area, first match wins.
AREA_WORDS = [
    ("chỉ đạo", Area.DIRECTION), ("thể chế", Area.INSTITUTIONS),
    ("thủ tục", Area.PROCEDURES), ("bộ máy", Area.APPARATUS), ("công vụ", Area.CIVIL_SERVICE),
    ("công chức", Area.CIVIL_SERVICE), ("tài chính", Area.PUBLIC_FINANCE),
    ("chính phủ", Area.DIGITAL), ("điện tử", Area.DIGITAL), ("chuyển đổi số", Area.DIGITAL),
]


def plan_area(area_title: str) -> str:
    title = area_title.lower()
    for words, area in AREA_WORDS:
        if words in title:
            return area
    return Area.DIRECTION


def _area_of(criterion) -> str:
    node = criterion
    while node.parent_id is not None:
        node = node.parent
    return plan_area(node.title)


def plan_draft_from_assessment(*, actor: User, assessment: ParAssessment,
                               today: date | None = None) -> tuple[Plan, int]:
    """The unit's plan for the year after the criteria set's (created as a draft if missing,
    decision number "Dự thảo"), with one task per criterion that lost points and has no task of
    the same title yet. Returns the plan and the tasks added."""
    today = today or timezone.localdate()
    if not (access.is_organiser(actor, assessment.round) or access.can_fill(actor, assessment)):
        raise NotAllowed("not_allowed", _("Chỉ cơ quan tổ chức hoặc cán bộ CCHC của đơn vị được "
                                          "lập dự thảo kế hoạch."),
                         "Only the organiser or the unit's reform officer may do this.",
                         http_status=403)
    if assessment.status not in (ParAssessment.Status.APPRAISED,
                                 ParAssessment.Status.PUBLISHED):
        raise NotAllowed("not_final", _("Chỉ lập kế hoạch từ bản đánh giá đã thẩm định."),
                         "Only an appraised assessment can seed the next plan.")
    year = assessment.round.criteria_set.year + 1
    lost = selectors.lost_points(assessment)
    with transaction.atomic():
        plan = Plan.objects.filter(unit=assessment.unit, year=year).first()
        if plan is None:
            plan = plan_create(
                actor=actor, unit=assessment.unit, year=year,
                title=_("Kế hoạch cải cách hành chính năm %(y)s (dự thảo)") % {"y": year},
                decision_number=_("Dự thảo"), decision_date=today, authorised=True,
                draft=True)
        existing = set(Task.objects.filter(plan=plan).values_list("title", flat=True))
        added = 0
        for x in lost:
            c = x.criterion
            title = _("Khắc phục tiêu chí %(code)s: %(title)s (năm %(y)s đạt %(p)s/%(m)s "
                      "điểm)") % {"code": c.code, "title": c.title, "y": year - 1,
                                  "p": x.points, "m": x.max_points}
            if title[:1000] in existing:
                continue
            product = c.evidence or c.rule or _("Đạt điểm tối đa của tiêu chí %(code)s") % {
                "code": c.code}
            task_add(actor=actor, plan=plan, title=title[:1000], area=_area_of(c),
                     lead_unit=assessment.unit, expected_product=product[:500],
                     deadline=date(year, 12, 15), authorised=True)
            added += 1
    return plan, added
