"""Lost points become next year's tasks: from an appraised assessment, the unit's draft plan
for the next year with a proposed task per criterion that lost points."""

import pytest
from django.test import Client

from motcua.errors import NotAllowed
from reform.models import Area, Plan
from reform.par import services
from reform.par.next_plan import plan_area, plan_draft_from_assessment
from reform.tests.par.conftest import NOW
from reform.tests.par.test_par_cycle import fill_all


def _appraised(par_round, home):
    a = par_round.assessments.get(unit=home.dept)
    fill_all(a, home.dept_officer, value_for={"1.6": "1", "2.2": "no", "5.2": "60"})
    services.assessment_submit(assessment=a, actor=home.dept_officer, now=NOW)
    for s in a.scores.filter(value=""):
        services.score_appraise(score=s, actor=home.appraiser, accept=False, value="100",
                                reason="Đã đối chiếu", now=NOW)
    return services.assessment_finish(assessment=a, actor=home.appraiser, now=NOW)


def test_areas_follow_the_words_of_the_area_title():
    assert plan_area("Cải cách thủ tục hành chính") == Area.PROCEDURES
    assert plan_area("Xây dựng, phát triển Chính phủ điện tử, Chính phủ số") == Area.DIGITAL
    assert plan_area("Sự hài lòng của người dân, tổ chức (SIPAS)") == Area.DIRECTION


def test_a_task_per_criterion_that_lost_points(par_round, home):
    with pytest.raises(NotAllowed):  # not appraised yet
        plan_draft_from_assessment(actor=home.reform_officer,
                                   assessment=par_round.assessments.get(unit=home.dept))
    a = _appraised(par_round, home)
    with pytest.raises(NotAllowed):  # another unit's officer
        plan_draft_from_assessment(actor=home.other_officer, assessment=a)
    plan, added = plan_draft_from_assessment(actor=home.reform_officer, assessment=a,
                                             today=NOW.date())
    assert (plan.unit, plan.year, plan.decision_number) == (home.dept, 2027, "Dự thảo")
    tasks = {t.title.split(":")[0]: t for t in plan.tasks.all()}
    assert set(tasks) == {"Khắc phục tiêu chí 1.6", "Khắc phục tiêu chí 2.2",
                          "Khắc phục tiêu chí 5.2"} and added == 3
    t = tasks["Khắc phục tiêu chí 5.2"]
    assert (t.area, t.lead_unit, str(t.deadline)) == (Area.CIVIL_SERVICE, home.dept,
                                                     "2027-12-15")
    assert "(năm 2026 đạt 1.00/3.00 điểm)" in t.title
    assert tasks["Khắc phục tiêu chí 2.2"].area == Area.INSTITUTIONS
    # Again: nothing twice.
    assert plan_draft_from_assessment(actor=home.reform_officer, assessment=a)[1] == 0
    assert Plan.objects.count() == 1 and plan.tasks.count() == 3


def test_from_the_assessment_page(par_round, home):
    a = _appraised(par_round, home)
    c = Client()
    c.force_login(home.reform_officer)
    assert "Lập dự thảo kế hoạch năm sau" in c.get(
        f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/").content.decode()
    r = c.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/ke-hoach-nam-sau/")
    plan = Plan.objects.get()
    # The organiser drafts the department's plan but may not open it: back to the assessment,
    # which says what was added (it had been sent to the plan's page, a 404 for it).
    assert r.status_code == 303 and r["Location"] == f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/"
    assert "Đã thêm" in c.get(r["Location"]).content.decode()
    assert c.get(f"/cai-cach/ke-hoach/{plan.pk}/").status_code == 404
    # The department's own officer goes on to the plan, which it edits.
    own = Client()
    own.force_login(home.dept_officer)
    r = own.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/ke-hoach-nam-sau/")
    assert r.status_code == 303 and r["Location"] == f"/cai-cach/ke-hoach/{plan.pk}/"
    assert own.get(r["Location"]).status_code == 200
    other = Client()
    other.force_login(home.other_officer)
    assert other.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/ke-hoach-nam-sau/"
                      ).status_code == 404


def test_the_draft_is_not_public_before_its_plan_is_issued(par_round, home):
    """audit5: the draft plan was listed on the public progress pages at once, and its tasks
    name each criterion that lost points with the points ("đạt 1.00/3.00 điểm"): a unit's
    appraised score, before the organiser publishes the round, was public."""
    a = _appraised(par_round, home)
    assert a.status == a.Status.APPRAISED
    plan, _added = plan_draft_from_assessment(actor=home.reform_officer, assessment=a,
                                              today=NOW.date())
    assert plan.draft
    public = Client()
    listing = public.get("/cai-cach/cong-khai/ke-hoach/")
    assert listing.status_code == 200 and plan.title not in listing.content.decode()
    assert public.get(f"/cai-cach/cong-khai/ke-hoach/{plan.pk}/").status_code == 404
    # The plan's own page says so and offers no link to a public page that is not there.
    officer = Client()
    officer.force_login(home.dept_officer)
    page = officer.get(f"/cai-cach/ke-hoach/{plan.pk}/").content.decode()
    assert f"/cai-cach/cong-khai/ke-hoach/{plan.pk}/" not in page
    assert "Dự thảo" in page
    # Issued (the decision's number and date entered in the admin): public as any plan.
    Plan.objects.filter(pk=plan.pk).update(draft=False, decision_number="15/KH-SNV")
    body = public.get(f"/cai-cach/cong-khai/ke-hoach/{plan.pk}/").content.decode()
    assert "Khắc phục tiêu chí 5.2" in body


def test_drafts_made_before_the_field_are_marked_by_the_migration(par_round, home):
    import importlib

    from django.apps import apps

    a = _appraised(par_round, home)
    plan, _added = plan_draft_from_assessment(actor=home.reform_officer, assessment=a,
                                              today=NOW.date())
    issued = Plan.objects.create(unit=home.other, year=2027, title="Kế hoạch CCHC 2027",
                                 decision_number="12/KH-UBND", decision_date=NOW.date(),
                                 created_by=home.reform_officer)
    Plan.objects.update(draft=False)  # as the field's default left them
    migration = importlib.import_module("reform.migrations.0005_plan_draft")
    migration.drafts_mark(apps, None)
    assert set(Plan.objects.filter(draft=True)) == {plan}
    assert not Plan.objects.get(pk=issued.pk).draft
