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
    # A field or unit id no database column holds lists everything, never a 500.
    for bad in ("99999999999999999999", "²", "-1"):
        r = client.get(url, {"linh-vuc": bad, "don-vi": bad})
        assert r.status_code == 200 and "1.004222" in r.content.decode()


def test_a_level_typed_into_the_address_is_left_out_with_a_notice_not_a_500(client, residence):
    # Fuzzing found it: a 60,000-character level reached a LIKE pattern, which SQLite refuses
    # over 50,000 bytes ("LIKE or GLOB pattern too complex", a 500).
    url = reverse("catalog:list")
    for bad in ("x" * 60_000, "i"):
        r = client.get(url, {"cap": bad, "truc-tuyen": "toan-trinh", "q": "thuong tru"})
        assert r.status_code == 200
        html = r.content.decode()
        assert "Bộ lọc có giá trị không hợp lệ nên đã được bỏ qua: Cấp thực hiện, " \
               "Mức độ trực tuyến." in html
        assert "1.004222" in html and 'value="thuong tru"' in html
    assert "không hợp lệ" not in client.get(url, {"cap": "xa"}).content.decode()
    api = client.get("/api/v1/procedures/", {"level": "x" * 60_000, "online_level": "full"})
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "invalid_filter"
    assert error["fields"] == {"level": ["Chọn một trong: bo, tinh, xa, khac."]}
    english = client.get("/api/v1/procedures/", {"online_level": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message_en"].startswith("A filter value is not valid")
    assert english.json()["error"]["fields"] == {
        "online_level": ["Choose one of: information, partial, full."]}


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


def test_a_form_template_is_downloaded_from_the_procedure_page(client, residence, settings,
                                                              tmp_path):
    """The page linked the template to /media/…, which nothing serves: the citizen got a 404.
    It is handed out by the catalogue, to anyone, as an attachment under the download headers."""
    import re

    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    doc = RequiredDocument.objects.get(variant__procedure=residence)
    content = b"PK\x03\x04 to khai CT01"
    doc.template_file.save('Tờ khai CT01 "mới".docx', ContentFile(content))
    page = client.get(reverse("catalog:detail", args=["1.004222"])).content.decode()
    assert "/media/" not in page
    href = re.search(r'<a href="([^"]+)" download>Mẫu CT01</a>', page).group(1)
    assert href == f"/thu-tuc/1.004222/mau/{doc.pk}/"
    answer = client.get(href)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == content
    disposition = answer["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''") and '"' not in disposition
    assert "T%E1%BB%9D_khai_CT01_m%E1%BB%9Bi.docx" in disposition
    assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert answer["X-Content-Type-Options"] == "nosniff"
    # Only a paper of this procedure's version in force that has a file.
    other = RequiredDocument.objects.create(
        variant=Variant.objects.create(procedure=Procedure.objects.get(code="1.003197")),
        name="Tờ khai", template_file=doc.template_file.name)
    plain = RequiredDocument.objects.create(variant=doc.variant, name="Giấy tờ khác")
    for url in (f"/thu-tuc/1.004222/mau/{other.pk}/", f"/thu-tuc/1.004222/mau/{plain.pk}/",
                f"/thu-tuc/1.003197/mau/{doc.pk}/", f"/thu-tuc/1.004222/mau/{doc.pk + 999}/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/thu-tuc/1.003197/mau/{other.pk}/").status_code == 200
    # A version no longer in force (its row not active) hands out nothing.
    residence.is_active = False
    residence.save(update_fields=["is_active"])
    assert client.get(href).status_code == 404


def test_the_api_shares_the_ranking(client, residence):
    r = client.get("/api/v1/procedures/", {"q": "thuong tru dang ky"})
    codes = [row["code"] for row in r.json()["results"]]
    assert codes == ["1.004222", "1.003197", "1.000894"]


def test_a_query_of_70_words_is_answered_not_a_server_error(client, residence):
    # issue #15: this gave a RecursionError (500) before
    long = " ".join(["đăng ký thường trú cho con tôi ở nhà mới"] * 10)
    r = client.get(reverse("catalog:list"), {"q": long})
    assert r.status_code == 200
    html = r.content.decode()
    assert "1.004222" in html
    assert "chỉ 200 ký tự đầu được dùng để tìm" in html
    api = client.get("/api/v1/procedures/", {"q": long})
    assert api.status_code == 400
    error = api.json()["error"]
    assert error["code"] == "query_too_long" and "200 ký tự" in error["message"]
    assert error["message_en"] and "q" in error["fields"]


def test_a_poor_match_is_never_an_empty_page(client, residence):
    r = client.get(reverse("catalog:list"), {"q": "zzqx wvvk"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Chưa tìm thấy thủ tục phù hợp" in html
    assert "Cách tìm dễ hơn" in html
    # the installation's most used procedures (the shipped prior lists 1.004222)
    assert "Thủ tục được làm nhiều nhất" in html and "1.004222" in html
    near = client.get(reverse("catalog:list"), {"q": "chuyển nhà về quê ở"}).content.decode()
    assert "Chuyển nơi ở" in near  # the closest life event, with its procedures


def test_a_described_need_shows_its_life_event(client, residence):
    html = client.get(reverse("catalog:list"), {"q": "tôi mới chuyển nhà"}).content.decode()
    assert "Chuyển nơi ở" in html
    assert html.index("1.004222") < html.index("Chuyển nơi ở") or "1.004222" in html


def test_inferred_time_limits_are_marked_for_staff_only(client, residence):
    from accounts.models import Membership, Role, Unit, User

    limit = TimeLimit.objects.get(channel=1)
    limit.inferred = TimeLimit.Inferred.UNIT_DEFAULT
    limit.description = "Suy ra: ô thời hạn chỉ có số («7»)."
    limit.save()
    url = reverse("catalog:detail", args=["1.004222"])
    public = client.get(url).content.decode()
    assert "Thời hạn suy ra" not in public and "7 ngày làm việc" in public
    unit = Unit.objects.create(code="000.00.00.H99", name="UBND tỉnh Thử nghiệm")
    officer = User.objects.create_user(username="canbo.test", password="x-Test-2026",
                                       kind=User.Kind.STAFF)
    Membership.objects.create(user=officer, unit=unit, role=Role.RECEIVING)
    client.force_login(officer)
    staff = client.get(url).content.decode()
    assert "Thời hạn suy ra" in staff and "đơn vị mặc định ngày làm việc" in staff


def test_the_api_search_reads_the_database_a_fixed_number_of_times(
        client, residence, django_assert_max_num_queries):
    client.get("/api/v1/procedures/", {"q": "thuong tru"})
    with django_assert_max_num_queries(4):
        r = client.get("/api/v1/procedures/", {"q": "dang ky thuong tru"})
    assert r.json()["results"][0]["code"] == "1.004222"
