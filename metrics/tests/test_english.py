"""The dashboards in English: period labels, picker, indicators, charts and drill-down titles.

The unit and procedure names are data of the province and stay as published; the exports stay
Vietnamese (the province's report layout) whatever the page's language.
"""

import io
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metrics.tests.conftest import NOW
from motcua.tests.test_translations import VIETNAMESE, _labels

MARCH = "ky=thang&nam=2026&so=3"


@pytest.fixture(autouse=True)
def _frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def english(client, org):
    r = client.post(reverse("set_language"), {"language": "en", "next": "/chi-so/"})
    assert r.status_code == 302
    client.force_login(org.head)
    return client


def _without_data(texts: list[str], org) -> list[str]:
    """The page's own words: unit names are the province's data and stay Vietnamese."""
    names = [u.name for u in (org.province, org.centre, org.dept, org.other)]
    out = []
    for text in texts:
        for name in names:
            text = text.replace(name, "")
        out.append(text)
    return out


def test_dashboard_in_english(english, org, month):
    html = english.get(reverse("metrics:dashboard")
                       + f"?don-vi={org.province.code}&{MARCH}").content.decode()
    page = _labels(html)
    assert page.html_lang == "en"
    texts = page.all()
    # Period label, groups, indicators (row headers), charts' titles.
    assert "Citizen and business service index — Month 3/2026" in texts
    for label in ("Openness and transparency", "Digitisation of dossiers",
                  "Share resolved early or on time",
                  "Share of dossiers whose status is synchronised to the National Public "
                  "Service Portal", "Share of dossiers and results digitised",
                  "Share of dossiers reusing digitised data",
                  "Outcome of resolved dossiers", "Month 3/2026: 9 dossiers received"):
        assert label in texts, label
    # The band and the tooltips (formula — source) in English too.
    assert "Average" in html and "Trung bình" not in html
    assert "(early + on time) / resolved × 100 — Decision 766/QD-TTg (2022)" in html
    # The picker: kinds and the quick links.
    for label in ("Quarter", "First 6 months of 2026", "First 9 months of 2026",
                  "Year 2026", "Quarter 1/2026"):
        assert label in html, label
    leftovers = [t for t in _without_data(texts, org) if VIETNAMESE.search(t)]
    assert leftovers == []


def test_drill_down_title_in_english(english, org, month):
    html = english.get(reverse("metrics:drill")
                       + f"?don-vi={org.dept.code}&{MARCH}&chi-so=not_synced").content.decode()
    texts = _labels(html).all()
    assert ("Dossiers whose latest status the National Public Service Portal has not "
            "acknowledged") in texts
    assert month["F"].code in html and month["H"].code in html
    assert [t for t in _without_data(texts, org) if VIETNAMESE.search(t)] == []


def test_exports_stay_vietnamese_on_an_english_page(english, org, month):
    response = english.get(reverse("metrics:export_xlsx") + f"?don-vi={org.dept.code}&{MARCH}")
    ws = load_workbook(io.BytesIO(response.content))["Chỉ số 766"]
    rows = list(ws.iter_rows(min_row=1, values_only=True))
    assert "Tháng 3/2026" in rows[0][0]
    header = rows[3]
    assert "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC" in header
    assert "Công khai, minh bạch (tối đa 18)" in header
    assert rows[4][header.index("Xếp loại")] == "Trung bình"
    body = english.get(reverse("metrics:export_csv")
                       + f"?don-vi={org.dept.code}&{MARCH}").content.decode()
    assert "Tháng 3/2026" in body and "Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa" in body
