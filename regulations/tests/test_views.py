"""The register's pages: who may do what, bad input answered on the form, the whole walk."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from accounts.models import User
from catalog.models import Procedure
from regulations.models import Provision, ReviewRound


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_anonymous_and_citizens_are_kept_out(org):
    assert Client().get("/ra-soat/").status_code == 302
    citizen = User.objects.create_user(username="dan", password="x-Test-2026",
                                       kind=User.Kind.CITIZEN)
    assert _client(citizen).get("/ra-soat/").status_code == 403


def test_only_reform_officers_see_and_use_the_round_form(org):
    page = _client(org.specialist).get("/ra-soat/").content.decode()
    assert "Mở đợt rà soát mới" not in page
    r = _client(org.specialist).post("/ra-soat/dot/moi/", {
        "name": "x", "unit": org.province.pk, "start_date": "2026-01-01",
        "end_date": "2026-12-31"})
    assert r.status_code == 422 and not ReviewRound.objects.exists()
    assert "Mở đợt rà soát mới" in _client(org.reform).get("/ra-soat/").content.decode()


def test_bad_dates_are_named_and_typed_text_kept(org):
    r = _client(org.reform).post("/ra-soat/dot/moi/", {
        "name": "Đợt rà soát quý III", "unit": org.province.pk, "start_date": "2026-09-30",
        "end_date": "2026-07-01"})
    body = r.content.decode()
    assert r.status_code == 422 and "Ngày kết thúc phải từ ngày bắt đầu trở đi." in body
    assert "Đợt rà soát quý III" in body


def test_the_whole_walk(org, file_dossier):
    from datetime import timedelta

    from django.utils import timezone

    file_dossier(f"{timezone.localdate() - timedelta(days=10)} 09:00")  # one a year
    reform, unit = _client(org.reform), _client(org.specialist)
    r = reform.post("/ra-soat/dot/moi/", {"name": "Rà soát 2026", "unit": org.province.pk,
                                          "start_date": "2026-01-01",
                                          "end_date": "2026-12-31"})
    assert r.status_code == 303
    rnd = ReviewRound.objects.get()
    # The department is not part of the round yet: it neither sees it nor adds to it.
    assert unit.get(f"/ra-soat/dot/{rnd.pk}/").status_code == 404
    page = reform.get(f"/ra-soat/dot/{rnd.pk}/?ma={org.procedure.code}").content.decode()
    assert f'value="document:{org.doc_residence.pk}"' in page
    r = reform.post(f"/ra-soat/dot/{rnd.pk}/them/", {
        "procedure_code": org.procedure.code, "element": f"document:{org.doc_residence.pk}"})
    assert r.status_code == 303
    p = Provision.objects.get()
    assert p.unit == org.dept  # the procedure's competent unit is asked to propose
    assert "Rà soát 2026" in unit.get("/ra-soat/").content.decode()
    # Bad numbers: the form comes back naming the field, what was typed kept.
    r = unit.post(f"/ra-soat/quy-dinh/{p.pk}/phuong-an/", {
        "action": "abolish", "reason": "Khai thác dữ liệu dân cư", "hourly_cost": "nhiều",
        "hours_before": "5", "send": "1"})
    body = r.content.decode()
    assert r.status_code == 422 and "Khai thác dữ liệu dân cư" in body
    assert "chi phí một giờ" in body
    r = unit.post(f"/ra-soat/quy-dinh/{p.pk}/phuong-an/", {
        "action": "abolish", "reason": "Khai thác dữ liệu dân cư", "hourly_cost": "25000",
        "hours_before": "5", "hours_after": "1", "send": "1"})
    assert r.status_code == 303
    p.refresh_from_db()
    assert p.state == Provision.State.PROPOSED
    # The unit cannot approve; the page offers it no form, a post is refused.
    assert "Phê duyệt theo quyết định" not in unit.get(f"/ra-soat/quy-dinh/{p.pk}/").content \
        .decode()
    r = unit.post(f"/ra-soat/quy-dinh/{p.pk}/approve/", {
        "decision_number": "1/QĐ", "decision_date": "2026-02-01",
        "effective_date": "2026-02-01"})
    assert r.status_code == 403
    r = reform.post(f"/ra-soat/quy-dinh/{p.pk}/approve/", {
        "decision_number": "15/QĐ-UBND", "decision_date": "2026-02-01",
        "effective_date": "2026-02-01"})
    assert r.status_code == 303
    page = reform.get(f"/ra-soat/quy-dinh/{p.pk}/").content.decode()
    assert "Phiên bản 2" in page and "15/QĐ-UBND" in page
    assert '<td id="cost-before">125.000</td>' in page  # 5 h × 25.000 đồng, grouped
    assert Procedure.objects.get(code=org.procedure.code, is_active=True).version == 2
    assert "Rà soát 2026" in reform.get("/ra-soat/tong-hop/?start=2026-01-01&end=2026-12-31") \
        .content.decode()
    r = reform.get("/ra-soat/tong-hop.xlsx?start=2026-01-01&end=2026-12-31")
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["Tổng hợp"].iter_rows(values_only=True))
    assert rows[4][:5] == ("Rà soát 2026", 1, 1, 1, 1)
    assert list(wb["Quy định"].iter_rows(values_only=True))[1][1] == org.procedure.code


@pytest.mark.parametrize("path", ["/ra-soat/dot/999/", "/ra-soat/quy-dinh/999/"])
def test_unknown_rows_are_404(org, path):
    assert _client(org.reform).get(path).status_code == 404


def test_unknown_action_is_404(org):
    rnd = ReviewRound.objects.create(name="x", unit=org.province, start_date="2026-01-01",
                                     end_date="2026-12-31")
    p = Provision.objects.create(round=rnd, kind="procedure", unit=org.dept,
                                 procedure=org.procedure, procedure_code=org.procedure.code,
                                 content="x")
    assert _client(org.reform).post(f"/ra-soat/quy-dinh/{p.pk}/burn/").status_code == 404


def test_a_decision_on_a_provision_no_longer_proposed_says_why(org):
    """The reject form of a page opened before someone else decided, sent back empty: its
    errors once went to a form the page no longer showed (bench/form_fuzz.py)."""
    rnd = ReviewRound.objects.create(name="x", unit=org.province, start_date="2026-01-01",
                                     end_date="2026-12-31")
    p = Provision.objects.create(round=rnd, kind="procedure", unit=org.dept,
                                 procedure=org.procedure, procedure_code=org.procedure.code,
                                 content="x")
    response = _client(org.reform).post(f"/ra-soat/quy-dinh/{p.pk}/reject/", {})
    assert response.status_code == 409
    assert ('<p class="message message--error">Quy định đang ở trạng thái “Đang rà soát”: '
            'không còn thực hiện được thao tác “Không phê duyệt”.</p>') in response.content.decode()
    p.refresh_from_db()
    assert p.state == Provision.State.REVIEWING and not p.events.exists()


def test_admin_pages_open(org):
    admin = User.objects.create_superuser(username="quantri", password="x-Test-2026")
    rnd = ReviewRound.objects.create(name="x", unit=org.province, start_date="2026-01-01",
                                     end_date="2026-12-31")
    p = Provision.objects.create(round=rnd, kind="procedure", unit=org.dept,
                                 procedure=org.procedure, procedure_code=org.procedure.code,
                                 content="x")
    c = _client(admin)
    for url in ("/admin/regulations/reviewround/", "/admin/regulations/provision/",
                f"/admin/regulations/provision/{p.pk}/change/",
                f"/admin/regulations/reviewround/{rnd.pk}/change/"):
        assert c.get(url).status_code == 200, url


def test_feedback_about_the_procedure_shows_on_its_row(org, settings):
    from regulations import selectors

    # The feedback app's selector is on main: the default setting connects it.
    assert selectors.feedback_hook_connected()
    settings.MOTCUA_REGULATIONS_FEEDBACK_FOR_PROCEDURE = \
        "regulations.tests.test_views.feedback_stub"
    rnd = ReviewRound.objects.create(name="x", unit=org.province, start_date="2026-01-01",
                                     end_date="2026-12-31")
    p = Provision.objects.create(round=rnd, kind="procedure", unit=org.dept,
                                 procedure=org.procedure, procedure_code=org.procedure.code,
                                 content="x")
    page = _client(org.reform).get(f"/ra-soat/quy-dinh/{p.pk}/").content.decode()
    assert "PAKN-0001" in page and "Giấy tờ trùng với dữ liệu dân cư" in page
    assert "quá hạn" in page
    row = _client(org.reform).get(f"/ra-soat/dot/{rnd.pk}/").content.decode()
    assert "<td>1</td>" in row
    settings.MOTCUA_REGULATIONS_FEEDBACK_FOR_PROCEDURE = "feedback.selectors.nothing_here"
    page = _client(org.reform).get(f"/ra-soat/quy-dinh/{p.pk}/").content.decode()
    assert "Chưa kết nối với phân hệ phản ánh, kiến nghị." in page


def feedback_stub(code: str, user=None) -> list:
    from datetime import datetime

    from feedback.selectors import ProcedureFeedback

    return [ProcedureFeedback(
        code="PAKN-0001", title="Giấy tờ trùng với dữ liệu dân cư", state="assigned",
        state_label="Đang xử lý", kind="difficulty", kind_label="Vướng mắc",
        received_at=datetime(2026, 3, 1), answered_at=None, answer_due_at=None, overdue=True,
        published=False)] if code == "1.000001" else []


def test_the_summary_links_only_the_rounds_the_officer_may_open(org):
    """The summary counts every round of the province; a round links only for an officer whose
    rule opens its page (regulations.selectors.round_ids_openable), the others answer 404."""
    from regulations import selectors, services

    review_round = services.round_create(actor=org.reform, name="Đợt 1", unit=org.province,
                                         start_date="2026-01-01", end_date="2026-06-30")
    assert selectors.round_ids_openable(org.reform) == {review_round.pk}
    assert selectors.round_ids_openable(org.specialist) == set()
    assert selectors.round_ids_openable(org.reform_elsewhere) == set()
