"""Self-assessment → appraisal → publication, with the unit and role rules and the history."""

from decimal import Decimal as D

import pytest

from dossiers.tests import files
from motcua.errors import DomainError, NotAllowed
from reform.models import ParAssessment, ParScore, ParScoreEvent
from reform.par import access, selectors, services
from reform.tests.par.conftest import NOW


def _score(assessment, code):
    return assessment.scores.select_related("criterion").get(criterion__code=code)


def fill_all(assessment, actor, *, value_for=None):
    """Answer every manual leaf: yes / the top of the scale / full points, with an explanation."""
    for s in assessment.scores.select_related("criterion"):
        c = s.criterion
        if c.live_metric:
            continue
        value = (value_for or {}).get(c.code)
        if value is None:
            value = {"yes_no": "yes", "percent": "100", "number": "5",
                     "points": str(c.max_points)}[c.answer_kind]
        services.score_declare(score=s, actor=actor, value=value,
                               explanation="Có văn bản lưu tại đơn vị", now=NOW)


def test_a_round_opens_one_assessment_per_unit_with_live_figures(par_round, home):
    a = par_round.assessments.get(unit=home.dept)
    leaves = [c for c in par_round.criteria_set.criteria.all() if c.is_leaf]
    assert a.scores.count() == len(leaves)
    on_time = _score(a, "3.2.1")
    assert on_time.live["key"] == "settled_on_time_rate"
    assert "(trước hạn + đúng hạn)" in on_time.live["formula"]
    assert on_time.live["url"].startswith("/chi-so/ho-so/?don-vi=000.00.15.H99&ky=quy")
    # No dossier in the period: 0 of 0 is no figure, never 0 %.
    assert on_time.value == "" and on_time.self_points is None


def test_the_unit_scores_itself_and_may_not_overwrite_a_live_score(par_round, home, settings,
                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = par_round.assessments.get(unit=home.dept)
    s = services.score_declare(score=_score(a, "1.2"), actor=home.dept_officer, value="92,5",
                               files=[("bao-cao.pdf", files.PDF)], now=NOW)
    assert (s.value, s.self_points) == ("92.5", D("2.00"))
    assert s.files.get().content_type == "application/pdf"
    with pytest.raises(NotAllowed) as caught:
        services.score_declare(score=_score(a, "3.2.1"), actor=home.dept_officer, value="100",
                               now=NOW)
    assert caught.value.fields == {"value": ["live"]}
    # A renamed executable is refused by the shared upload checks, and nothing is written.
    from dossiers.uploads import UploadRejected
    with pytest.raises(UploadRejected):
        services.score_declare(score=_score(a, "1.1"), actor=home.dept_officer, value="yes",
                               files=[("ke-hoach.pdf", b"MZ\x90\x00binary")], now=NOW)
    assert _score(a, "1.1").value == ""


def test_unit_isolation(par_round, home):
    mine = par_round.assessments.get(unit=home.dept)
    theirs = par_round.assessments.get(unit=home.other)
    with pytest.raises(NotAllowed):
        services.score_declare(score=_score(mine, "1.1"), actor=home.other_officer,
                               value="yes", now=NOW)
    with pytest.raises(NotAllowed):
        services.assessment_submit(assessment=mine, actor=home.other_officer, now=NOW)
    assert set(access.assessments_visible(home.dept_officer)) == {mine}
    assert set(access.assessments_visible(home.other_officer)) == {theirs}
    assert set(access.assessments_visible(home.appraiser)) == {mine, theirs}
    assert not access.assessments_visible(home.desk).exists()
    # A unit cannot appraise, nor publish.
    with pytest.raises(NotAllowed):
        services.score_appraise(score=_score(mine, "1.1"), actor=home.dept_officer, accept=True,
                                now=NOW)
    with pytest.raises(NotAllowed):
        services.round_publish(par_round=par_round, actor=home.dept_officer, now=NOW)


def test_submission_needs_evidence_or_an_explanation(par_round, home):
    a = par_round.assessments.get(unit=home.dept)
    fill_all(a, home.dept_officer)
    services.score_declare(score=_score(a, "1.1"), actor=home.dept_officer, value="yes",
                           explanation="", now=NOW)
    with pytest.raises(DomainError) as caught:
        services.assessment_submit(assessment=a, actor=home.dept_officer, now=NOW)
    assert "1.1 chưa có tài liệu kiểm chứng hoặc giải trình" in caught.value.message
    services.score_declare(score=_score(a, "1.1"), actor=home.dept_officer, value="yes",
                           evidence_url="https://snv.example.gov.vn/kh-cchc-2026", now=NOW)
    a = services.assessment_submit(assessment=a, actor=home.dept_officer, now=NOW)
    assert a.status == ParAssessment.Status.SUBMITTED
    with pytest.raises(NotAllowed):  # submitted: the unit may no longer change it
        services.score_declare(score=_score(a, "1.1"), actor=home.dept_officer, value="no",
                               explanation="x", now=NOW)


def test_appraisal_return_adjust_finish_publish_and_the_history(par_round, home):
    dept = par_round.assessments.get(unit=home.dept)
    other = par_round.assessments.get(unit=home.other)
    fill_all(dept, home.dept_officer)
    fill_all(other, home.other_officer, value_for={"1.6": "1", "2.1": "85"})
    services.assessment_submit(assessment=dept, actor=home.dept_officer, now=NOW)
    services.assessment_submit(assessment=other, actor=home.other_officer, now=NOW)
    # Returned with a reason, fixed, sent again.
    with pytest.raises(DomainError):
        services.assessment_return(assessment=dept, actor=home.appraiser, reason=" ", now=NOW)
    services.assessment_return(assessment=dept, actor=home.appraiser,
                               reason="Thiếu quyết định ban hành kế hoạch", now=NOW)
    services.score_declare(score=_score(dept, "1.1"), actor=home.dept_officer, value="yes",
                           evidence_url="https://snv.example.gov.vn/qd-1", now=NOW)
    services.assessment_submit(assessment=dept, actor=home.dept_officer, now=NOW)
    # An adjustment needs a reason; the appraisal team may set a live score.
    with pytest.raises(DomainError) as caught:
        services.score_appraise(score=_score(dept, "1.6"), actor=home.appraiser, accept=False,
                                value="1", reason="", now=NOW)
    assert caught.value.fields == {"reason": ["required"]}
    services.score_appraise(score=_score(dept, "1.6"), actor=home.appraiser, accept=False,
                            value="1", reason="Chỉ 1 sáng kiến được công nhận", now=NOW)
    services.score_appraise(score=_score(dept, "3.2.1"), actor=home.appraiser, accept=False,
                            value="97", reason="Số liệu quý 1 theo hệ thống", now=NOW)
    # Live criteria without data must be set before the appraisal can finish.
    with pytest.raises(DomainError):
        services.assessment_finish(assessment=dept, actor=home.appraiser, now=NOW)
    for a in (dept, other):
        for s in a.scores.select_related("criterion").filter(value="",
                                                             appraisal=ParScore.Appraisal.PENDING):
            services.score_appraise(score=s, actor=home.appraiser, accept=False,
                                    value="100" if a == dept else "0",
                                    reason="Tổ thẩm định xác minh", now=NOW)
        services.assessment_finish(assessment=a, actor=home.appraiser, now=NOW)
    dept.refresh_from_db()
    # 100 − 2 (1.6 lost 2 of 3) − 2 (3.2.1 at 97 % earns 2 of 4) = 96.
    assert (dept.final_points, dept.max_points, dept.percent, dept.group) == (
        D("96.00"), D("100.00"), D("96.00"), "A")
    services.round_publish(par_round=par_round, actor=home.reform_officer, now=NOW)
    dept.refresh_from_db()
    other.refresh_from_db()
    assert (dept.rank, other.rank) == (1, 2)
    assert dept.status == other.status == ParAssessment.Status.PUBLISHED
    lost = {x.criterion.code: x.lost for x in selectors.lost_points(dept)}
    assert lost == {"1.6": D("2.00"), "3.2.1": D("2.00")}
    # The history: who, when, old → new, why — and it cannot be rewritten.
    adjust = ParScoreEvent.objects.get(assessment=dept, action="adjust",
                                       score__criterion__code="1.6")
    assert (adjust.actor, adjust.old_points, adjust.new_points, adjust.reason) == (
        home.appraiser, D("3.00"), D("1.00"), "Chỉ 1 sáng kiến được công nhận")
    actions = [e.action for e in selectors.assessment_history(dept)]
    assert actions.count("submit") == 2 and "return" in actions and actions[-1] == "publish"
    adjust.reason = "sửa lại"
    with pytest.raises(ValueError):
        adjust.save()
    with pytest.raises(ValueError):
        adjust.delete()
    assert ParScoreEvent.objects.get(pk=adjust.pk).reason == "Chỉ 1 sáng kiến được công nhận"


def _browser(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_nobody_appraises_their_own_units_assessment(home, criteria):
    """audit8: the appraisal team is the Department of Home Affairs' own, and it appraised the
    department's self-assessment too — scored, returned and finished its own grade. Now an
    appraiser who belongs to the assessed unit is refused, with the reason in Vietnamese on the
    page; an appraiser of the steering committee's top unit (or of another unit of the team)
    appraises it, and the department's appraisers still appraise the other units."""
    from django.urls import reverse

    from accounts.models import Role
    from dossiers.tests.conftest import _user
    from metrics.periods import Period
    from reform.par.services import round_open

    par_round = round_open(actor=home.reform_officer, criteria_set=criteria,
                           organiser=home.home, name="Chỉ số CCHC 2026", now=NOW,
                           period=Period("quy", 2026, 1), self_deadline=NOW.date(),
                           units=[home.home, home.dept])
    own = par_round.assessments.get(unit=home.home)
    dept = par_round.assessments.get(unit=home.dept)
    fill_all(own, home.reform_officer)
    services.assessment_submit(assessment=own, actor=home.reform_officer, now=NOW)
    fill_all(dept, home.dept_officer)
    services.assessment_submit(assessment=dept, actor=home.dept_officer, now=NOW)
    assert home.province.parent_id is None
    committee = _user("thamdinh.ubnd", home.province, Role.APPRAISER)

    assert not access.may_appraise(home.appraiser, own)
    with pytest.raises(NotAllowed) as refused:
        services.score_appraise(score=_score(own, "1.1"), actor=home.appraiser, accept=True,
                                now=NOW)
    assert refused.value.code == "own_unit" and "thành viên của đơn vị" in refused.value.message
    for act in (lambda: services.assessment_return(assessment=own, actor=home.appraiser,
                                                   reason="Bổ sung", now=NOW),
                lambda: services.assessment_finish(assessment=own, actor=home.appraiser,
                                                   now=NOW)):
        with pytest.raises(NotAllowed):
            act()
    assert _score(own, "1.1").appraisal == ParScore.Appraisal.PENDING
    own.refresh_from_db()
    assert own.status == ParAssessment.Status.SUBMITTED

    # The screen says why, offers no appraisal form, and a posted one is refused with the reason.
    browser = _browser(home.appraiser)
    url = reverse("reform:par_assessment", args=[own.pk])
    page = browser.get(url).content.decode()
    assert "không thẩm định bản tự đánh giá này" in page and 'name="appraise"' not in page
    posted = browser.post(reverse("reform:par_score", args=[own.pk, _score(own, "1.1").pk]),
                          {"appraise": "accept"})
    assert posted.status_code == 400
    assert "không thẩm định bản tự đánh giá này" in posted.content.decode()

    # The department's appraiser appraises the other units as before.
    services.score_appraise(score=_score(dept, "1.1"), actor=home.appraiser, accept=True,
                            now=NOW)
    # The steering committee's appraiser sees and appraises the department's own assessment.
    assert access.assessments_visible(committee).filter(pk=own.pk).exists()
    assert 'name="appraise"' in _browser(committee).get(url).content.decode()
    services.score_appraise(score=_score(own, "1.1"), actor=committee, accept=True, now=NOW)
    assert _score(own, "1.1").appraisal == ParScore.Appraisal.ACCEPTED
    returned = services.assessment_return(assessment=own, actor=committee, reason="Bổ sung",
                                          now=NOW)
    assert returned.status == ParAssessment.Status.RETURNED
