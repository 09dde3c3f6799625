"""The public catalog pages: no login, search with filters and htmx, the full procedure page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Fee, Field, LegalBasis, Procedure, RequiredDocument, TimeLimit, Variant
from catalog.services import procedure_set_search_text

pytestmark = pytest.mark.django_db


def _procedure(code, name, **fields):
    p = Procedure(code=code, name=name, **fields)
    procedure_set_search_text(p)
    p.save()
    return p


@pytest.fixture
def residence():
    field = Field.objects.create(name="Đăng ký, quản lý cư trú")
    p = _procedure("1.004222", "Đăng ký thường trú", field=field, level="xa", levels="xa",
                   applicant_types=["Công dân Việt Nam"], competent_authority="Công an cấp Xã",
                   online_level=Procedure.OnlineLevel.FULL, steps_text="Bước 1: Nộp hồ sơ.",
                   submission_address="Công an xã nơi cư trú")
    _procedure("1.003197", "Xóa đăng ký thường trú", field=field, level="xa", levels="xa",
               competent_authority="Công an cấp Xã")
    _procedure("1.000894", "Thủ tục đăng ký kết hôn", level="xa", levels="xa",
               applicant_types=["Công dân Việt Nam"], steps_text="Nộp tờ khai thường trú")
    v = Variant.objects.create(procedure=p)
    TimeLimit.objects.create(variant=v, channel=1, amount=Decimal(7), unit="working_days")
    TimeLimit.objects.create(variant=v, channel=2, amount=Decimal(5), unit="working_days")
    Fee.objects.create(variant=v, channel=1, name="Lệ phí", amount=20000)
    Fee.objects.create(variant=v, channel=2, name="Lệ phí", amount=10000)
    RequiredDocument.objects.create(variant=v, name="Tờ khai thay đổi thông tin cư trú",
                                    template_name="Mẫu CT01")
    LegalBasis.objects.create(procedure=p, number="68/2020/QH14", title="Luật Cư trú")
    return p


def test_search_without_diacritics_and_login_finds_the_name_first(client, residence):
    r = client.get(reverse("catalog:list"), {"q": "thuong tru dang ky"})
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="vi">' in html
    # name matches first; the marriage procedure matches only in its body and comes last
    assert html.index("1.004222") < html.index("1.003197") < html.index("1.000894")


def test_htmx_live_search_returns_only_the_results(client, residence):
    r = client.get(reverse("catalog:list"), {"q": "dang ky thuong"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and "1.004222" in html


def test_filters(client, residence):
    url = reverse("catalog:list")
    html = client.get(url, {"truc-tuyen": "full"}).content.decode()
    assert "1.004222" in html and "1.003197" not in html
    html = client.get(url, {"co-quan": "Công an cấp Xã", "q": "thuong tru"}).content.decode()
    assert "1.003197" in html and "1.000894" not in html
    html = client.get(url, {"doi-tuong": "Công dân Việt Nam"}).content.decode()
    assert "1.000894" in html and "1.003197" not in html
    html = client.get(url, {"linh-vuc": residence.field_id}).content.decode()
    assert "1.000894" not in html and "1.004222" in html
    assert 'selected>Đăng ký, quản lý cư trú' in html


def test_procedure_page_shows_the_catalog_entry(client, residence):
    r = client.get(reverse("catalog:detail", args=["1.004222"]))
    assert r.status_code == 200
    html = r.content.decode()
    for text in ("Đăng ký thường trú", "Trực tiếp", "Trực tuyến", "Lệ phí: 20",
                 "Lệ phí: 10", "Tờ khai thay đổi thông tin cư trú", "Mẫu CT01",
                 "68/2020/QH14", "Công an xã nơi cư trú", "Trực tuyến toàn trình",
                 "Bước 1: Nộp hồ sơ."):
        assert text in html, text
    assert client.get(reverse("catalog:detail", args=["9.999999"])).status_code == 404


def test_the_api_shares_the_ranking(client, residence):
    r = client.get("/api/v1/procedures/", {"q": "thuong tru dang ky"})
    codes = [row["code"] for row in r.json()["results"]]
    assert codes == ["1.004222", "1.003197", "1.000894"]
