"""The PAR Index in the browser: a department scores itself (a live criterion is locked), the
appraisal team adjusts a score with a reason and finishes, the Home Affairs officer publishes,
and the department sees its group, rank, lost points and the history (issue 13)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _prefill(assessment, user, *, skip: set[str]) -> None:
    """Declare every manual criterion but `skip` as the unit would (the browser does those)."""
    from reform.par.services import score_declare

    for s in assessment.scores.select_related("criterion"):
        c = s.criterion
        if c.live_metric or c.code in skip:
            continue
        value = {"yes_no": "yes", "percent": "100", "number": "3",
                 "points": str(c.max_points)}[c.answer_kind]
        score_declare(score=s, actor=user, value=value, explanation="Lưu tại văn phòng sở")


def test_self_assessment_appraisal_publication(people, site, shot) -> None:
    from accounts.models import User
    from reform.models import ParAssessment, ParScore, SipasResponse
    from reform.par.services import assessment_submit, score_appraise

    # What `make run` promises (issue #13): the departments' set with at least 8 live criteria,
    # an open round, and a SIPAS round with answers.
    this_year = ParAssessment.objects.filter(round__status="open").select_related("round")
    assert this_year.count() == 2
    crit = this_year.first().round.criteria_set
    assert crit.level == "department" and crit.criteria.exclude(live_metric="").count() >= 8
    assert SipasResponse.objects.exists()
    tp = this_year.get(unit__code="000.00.15.H56")
    nnmt = this_year.get(unit__code="000.00.21.H56")
    tp_officer = User.objects.get(username="cchc.tp")
    _prefill(tp, tp_officer, skip={"1.1", "1.2"})

    # The department's CCHC officer: two criteria by hand, the live one locked, then submit.
    page = people("cchc.tp")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Chỉ số CCHC").click()
    page.get_by_role("link", name="Sở Tư pháp tỉnh Khánh Hòa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp tỉnh Khánh Hòa")
    live = page.locator("#tc-3\\.2\\.1")
    expect(live).to_contain_text("Tỷ lệ hồ sơ giải quyết trước và đúng hạn")
    expect(live.get_by_role("link", name="Hồ sơ, số liệu nguồn")).to_be_visible()
    expect(live.locator("form")).to_have_count(0)  # no form: the unit cannot overwrite it
    shot(page, "self-assessment")

    row = page.locator("#tc-1\\.1")
    row.get_by_label("Kê khai 1.1").select_option("yes")
    row.get_by_label("Giải trình (bắt buộc khi chưa có tài liệu)").fill(
        "Quyết định 15/QĐ-STP ngày 20/12, lưu tại văn phòng sở")
    row.get_by_role("button", name="Lưu 1.1").click()
    expect(page.get_by_text("Đã lưu tiêu chí 1.1.")).to_be_visible()
    row = page.locator("#tc-1\\.2")
    row.get_by_label("Kê khai 1.2").fill("150")
    row.get_by_role("button", name="Lưu 1.2").click()
    expect(page.get_by_role("alert")).to_contain_text("Tỷ lệ phải từ 0 đến 100.")
    row = page.locator("#tc-1\\.2")
    row.get_by_label("Kê khai 1.2").fill("92")
    row.get_by_label("Giải trình (bắt buộc khi chưa có tài liệu)").fill("Báo cáo năm của sở")
    row.get_by_role("button", name="Lưu 1.2").click()
    expect(page.get_by_text("Đã lưu tiêu chí 1.2.")).to_be_visible()
    page.get_by_role("button", name="Gửi tổ thẩm định").click()
    expect(page.locator("#trang-thai")).to_contain_text("Đã gửi, chờ thẩm định")

    # The other department submits too (prepared here); live figures with no data are set by
    # the appraisal team, as it would after checking the units' reports.
    nnmt_officer = User.objects.get(username="cchc.nnmt")
    _prefill(nnmt, nnmt_officer, skip=set())
    assessment_submit(assessment=nnmt, actor=nnmt_officer)
    appraiser = User.objects.get(username="thamdinh")
    for a in (tp, nnmt):
        for s in a.scores.filter(value="", appraisal=ParScore.Appraisal.PENDING):
            score_appraise(score=s, actor=appraiser, accept=False, value="100",
                           reason="Theo báo cáo của sở, đã đối chiếu")

    # The appraisal team: adjust 1.2 with a reason, finish both.
    page = people("thamdinh")
    page.goto(site(f"/cai-cach/chi-so-cchc/danh-gia/{tp.pk}/"))
    row = page.locator("#tc-1\\.2")
    row.get_by_label("Giá trị thẩm định 1.2").fill("85")
    row.get_by_role("button", name="Điều chỉnh").click()
    expect(page.get_by_role("alert")).to_contain_text("Nhập lý do điều chỉnh điểm.")
    row = page.locator("#tc-1\\.2")
    row.get_by_label("Giá trị thẩm định 1.2").fill("85")
    row.get_by_label("Lý do 1.2").fill("Báo cáo ghi 85 % nhiệm vụ hoàn thành")
    row.get_by_role("button", name="Điều chỉnh").click()
    expect(page.get_by_text("Đã lưu tiêu chí 1.2.")).to_be_visible()
    page.get_by_role("button", name="Hoàn thành thẩm định").click()
    expect(page.locator("#trang-thai")).to_contain_text("Đã thẩm định")
    shot(page, "appraised")
    page.goto(site(f"/cai-cach/chi-so-cchc/danh-gia/{nnmt.pk}/"))
    page.get_by_role("button", name="Hoàn thành thẩm định").click()
    expect(page.locator("#trang-thai")).to_contain_text("Đã thẩm định")

    # The Home Affairs officer publishes.
    page = people("noivu.cchc")
    page.goto(site(f"/cai-cach/chi-so-cchc/dot/{tp.round.pk}/"))
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_text("Đã công bố kết quả Chỉ số CCHC.")).to_be_visible()
    results = page.locator("#ket-qua")
    expect(results).to_contain_text("Sở Tư pháp tỉnh Khánh Hòa")
    shot(page, "published")

    # The department sees its result, where it lost points against last year, and the history.
    tp.refresh_from_db()
    assert tp.status == "published" and tp.rank in (1, 2) and tp.group
    page = people("cchc.tp")
    page.reload()
    expect(page.locator("#trang-thai")).to_contain_text(f"Nhóm {tp.group}")
    lost = page.locator("#mat-diem + table")
    expect(lost).to_contain_text("1.2. Tỷ lệ nhiệm vụ trong kế hoạch CCHC được hoàn thành")
    expect(page.locator("#mat-diem")).to_contain_text("so với năm trước")
    expect(page.locator("#lich-su")).to_contain_text("Báo cáo ghi 85 % nhiệm vụ hoàn thành")
    shot(page, "lost-points")
