"""dossiers/services/personal_data.py and the counter search (issue #17): every staff read of an
applicant's data is logged; the counter search shows another unit's applicant only by name; a
proven identity sees its counter dossiers under "Hồ sơ của tôi"."""

import pytest

from accounts.models import PersonalDataAccess, Role, User
from accounts.services.identity import identity_prove_vneid
from dossiers.tests import files
from dossiers.tests.conftest import APPLICANT, _user

ACTION = PersonalDataAccess.Action
OWNER_ID = APPLICANT["id_number"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _reads(**filters) -> list[tuple]:
    return list(PersonalDataAccess.objects.filter(**filters).order_by("pk")
                .values_list("user__username", "unit__code", "subject", "action"))


def test_opening_a_dossier_on_the_page_and_the_api_is_logged(org, make_dossier, client_for):
    dossier = make_dossier()
    assert client_for(org.desk).get(f"/ho-so/{dossier.code}/").status_code == 200
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org.desk)
    assert api.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    assert _reads(action=ACTION.DOSSIER_OPEN) == [
        ("tiepnhan", "000.00.12.H99", OWNER_ID, ACTION.DOSSIER_OPEN)] * 2
    # Another unit's officer gets 404 and reads nothing: nothing is logged.
    assert client_for(org.other_desk).get(f"/ho-so/{dossier.code}/").status_code == 404
    assert PersonalDataAccess.objects.filter(user=org.other_desk).count() == 0


def test_the_staff_list_api_shows_the_applicant_by_name_only(org, make_dossier):
    """The list is read without a log row, like the inbox page it mirrors: it names the
    applicant and nothing that identifies or reaches them. A client paging through it read every
    ID number, address, phone and e-mail of the unit's dossiers with nothing logged."""
    from rest_framework.test import APIClient

    dossier = make_dossier(applicant=APPLICANT | {"email": "bich@example.vn"})
    api = APIClient()
    api.force_authenticate(org.desk)
    answer = api.get("/api/v1/dossiers/")
    assert answer.status_code == 200
    row = next(r for r in answer.json()["results"] if r["code"] == dossier.code)
    assert row["applicant"] == {"kind": 1, "name": "Trần Thị Bích", "owner_name": ""}
    for value in (OWNER_ID, APPLICANT["phone"], APPLICANT["address"], "bich@example.vn"):
        assert value not in answer.content.decode()
    assert not PersonalDataAccess.objects.exists()
    # The dossier's own answer has them, and its read is logged.
    detail = api.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert detail["applicant"]["id_number"] == OWNER_ID
    assert _reads() == [("tiepnhan", "000.00.12.H99", OWNER_ID, ACTION.DOSSIER_OPEN)]


def test_the_events_api_is_a_logged_read_of_the_dossier(org, make_dossier):
    """The history carries the hand-over's receiver (name, the paper shown) and the reasons
    written to the applicant; the page shows it inside the logged dossier page, the API gave it
    with no log row."""
    from rest_framework.test import APIClient

    dossier = make_dossier()
    api = APIClient()
    api.force_authenticate(org.desk)
    assert api.get(f"/api/v1/dossiers/{dossier.code}/events/").status_code == 200
    assert _reads() == [("tiepnhan", "000.00.12.H99", OWNER_ID, ACTION.DOSSIER_OPEN)]
    other = APIClient()
    other.force_authenticate(org.other_desk)
    assert other.get(f"/api/v1/dossiers/{dossier.code}/events/").status_code == 404
    assert len(_reads()) == 1


def test_printing_forms_and_downloading_papers_is_logged(org, make_dossier, client_for):
    from dossiers.services.files import CheckedFile, file_store
    from dossiers.uploads import file_type_detect

    dossier = make_dossier()
    desk = client_for(org.desk)
    assert desk.get(f"/ho-so/{dossier.code}/mau-01.pdf").status_code == 200
    assert desk.get(f"/ho-so/{dossier.code}/giay-tiep-nhan/").status_code == 200
    checked = CheckedFile(org.doc_id, "cccd.pdf", files.PDF, file_type_detect(files.PDF))
    row = file_store(checked, actor=org.desk, purpose="submission", written=[],
                     dossier=dossier, document=dossier.documents.first())
    assert desk.get(f"/tep/{row.token}/").status_code == 200
    actions = [a for *_, a in _reads(user=org.desk)]
    assert actions == [ACTION.FORM_PRINT, ACTION.FORM_PRINT, ACTION.PAPER_DOWNLOAD]
    assert PersonalDataAccess.objects.filter(reference__contains="mẫu 01").exists()


def test_a_register_export_logs_one_read_per_listed_person(org, make_dossier, client_for):
    make_dossier()
    make_dossier(applicant=APPLICANT | {"id_number": "056088007654", "name": "Lê Văn Cường"})
    desk = client_for(org.desk)
    query = "?tu-ngay=2026-03-01&den-ngay=2026-03-31"
    assert desk.get("/so-theo-doi/so-theo-doi.xlsx" + query).status_code == 200
    assert sorted(s for _, _, s, _ in _reads(action=ACTION.REGISTER_EXPORT)) == [
        "056088007654", OWNER_ID]


def test_the_register_page_logs_one_read_per_listed_person(org, make_dossier, client_for):
    """The page is the register (Form 06) itself: each row's name, address and phone, the same
    as its PDF and Excel copies. Until audit11 it was read unlogged, as if it were a working
    list naming people only (Decree 13/2023/NĐ-CP art. 9)."""
    make_dossier()
    make_dossier(applicant=APPLICANT | {"id_number": "056088007654", "name": "Lê Văn Cường"})
    html = client_for(org.desk).get("/so-theo-doi/?tu-ngay=2026-03-01&den-ngay=2026-03-31")
    assert html.status_code == 200
    assert APPLICANT["phone"] in html.content.decode()
    assert APPLICANT["address"] in html.content.decode()
    reads = _reads(action=ACTION.REGISTER_VIEW)
    assert sorted(s for _, _, s, _ in reads) == ["056088007654", OWNER_ID]
    assert {(u, unit) for u, unit, _, _ in reads} == {("tiepnhan", "000.00.12.H99")}
    assert not _reads(action=ACTION.REGISTER_EXPORT)


def test_counter_search_shows_another_units_applicant_by_name_only(org, make_dossier,
                                                                  client_for):
    make_dossier()  # received by the centre, with phone and address
    # The commune's desk (another unit) searches the same number.
    page = client_for(org.other_desk).post(
        "/tiep-nhan/nguoi-nop/", {"so_dinh_danh": OWNER_ID}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert "Trần Thị Bích" in html
    assert APPLICANT["phone"] not in html and APPLICANT["address"] not in html
    # The centre's own desk gets the whole block back.
    html = client_for(org.desk).post("/tiep-nhan/nguoi-nop/", {"so_dinh_danh": OWNER_ID},
                                     HTTP_HX_REQUEST="true").content.decode()
    assert APPLICANT["phone"] in html
    searches = _reads(action=ACTION.COUNTER_SEARCH)
    assert [(u, unit) for u, unit, _, _ in searches] == [
        ("tiepnhan.khac", "000.31.01.H99"), ("tiepnhan", "000.00.12.H99")]


def test_a_business_tax_code_search_is_logged(org, make_dossier, client_for):
    business = {"kind": 2, "name": "Công ty TNHH Thử Nghiệm", "id_number": "0100109106"}
    make_dossier(applicant=business)
    html = client_for(org.desk).post("/tiep-nhan/nguoi-nop/", {"so_dinh_danh": "0100109106"},
                                     HTTP_HX_REQUEST="true").content.decode()
    assert "Công ty TNHH Thử Nghiệm" in html
    assert _reads(action=ACTION.COUNTER_SEARCH) == [
        ("tiepnhan", "000.00.12.H99", "0100109106", ACTION.COUNTER_SEARCH)]


def test_a_proven_citizen_finds_their_counter_dossiers_under_my_dossiers(org, make_dossier,
                                                                       client_for):
    dossier = make_dossier()  # entered at the counter: no account behind it
    citizen = _user("ban.than", None, kind=User.Kind.CITIZEN)
    citizen.personal_id = OWNER_ID
    citizen.save()
    mine = client_for(citizen)
    assert dossier.code not in mine.get("/ho-so-cua-toi/").content.decode()
    assert mine.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 404
    identity_prove_vneid(user=citizen, personal_id=OWNER_ID)
    assert dossier.code in mine.get("/ho-so-cua-toi/").content.decode()
    assert mine.get(f"/ho-so-cua-toi/{dossier.code}/").status_code == 200
    # The citizen reading their own dossier is not a staff read.
    assert not PersonalDataAccess.objects.exists()


def test_the_citizen_sees_who_read_their_data_and_nobody_elses(org, make_dossier, client_for):
    dossier = make_dossier()
    client_for(org.desk).get(f"/ho-so/{dossier.code}/")
    citizen = _user("ban.than", None, kind=User.Kind.CITIZEN)
    citizen.personal_id = OWNER_ID
    citizen.save()
    page = client_for(citizen).get("/tai-khoan/ai-da-xem-du-lieu-cua-toi/").content.decode()
    assert "Tiepnhan" not in page and "VNeID" in page  # unproven: how to prove, no rows
    identity_prove_vneid(user=citizen, personal_id=OWNER_ID)
    page = client_for(citizen).get("/tai-khoan/ai-da-xem-du-lieu-cua-toi/").content.decode()
    assert "Tiepnhan" in page and "Trung tâm PVHCC tỉnh Thử nghiệm" in page
    assert "Mở hồ sơ" in page and dossier.code in page


def test_the_administrators_log_page_filters_and_keeps_to_their_units(org, make_dossier,
                                                                    client_for):
    from accounts.models import Membership

    dossier = make_dossier()
    client_for(org.desk).get(f"/ho-so/{dossier.code}/")
    client_for(org.other_desk).post("/tiep-nhan/nguoi-nop/", {"so_dinh_danh": OWNER_ID},
                                    HTTP_HX_REQUEST="true")
    admin = _user("quantri.tinh", org.province, Role.ADMIN)
    page = client_for(admin).get("/tai-khoan/nhat-ky-du-lieu-ca-nhan/")
    assert page.status_code == 200 and page.content.decode().count(OWNER_ID) >= 2
    only_desk = client_for(admin).get("/tai-khoan/nhat-ky-du-lieu-ca-nhan/",
                                      {"officer": "tiepnhan.khac"}).content.decode()
    assert "tiepnhan.khac" in only_desk and "Mở hồ sơ</td>" not in only_desk
    # An administrator of the commune only sees the commune's reads.
    commune_admin = _user("quantri.xa", None)
    Membership.objects.create(user=commune_admin, unit=org.other, role=Role.ADMIN)
    html = client_for(commune_admin).get("/tai-khoan/nhat-ky-du-lieu-ca-nhan/").content.decode()
    assert "tiepnhan.khac" in html and ">tiepnhan<" not in html
    # Neither a desk officer nor a citizen opens it.
    assert client_for(org.desk).get("/tai-khoan/nhat-ky-du-lieu-ca-nhan/").status_code == 403
    bad = client_for(admin).get("/tai-khoan/nhat-ky-du-lieu-ca-nhan/", {"date_from": "hôm qua"})
    assert bad.status_code == 400 and "Nhập một ngày hợp lệ" in bad.content.decode()
