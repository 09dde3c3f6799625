"""sync/population.py: pre-fill from the population database, with every lookup logged."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership, PersonalDataAccess, Role, User
from accounts.services.identity import identity_prove_vneid
from motcua.errors import DomainError
from sync.models import PopulationLookup
from sync.population import HttpPopulationAdapter, citizen_lookup

URL = "/api/v1/cong-dan/tra-cuu/"


def test_staff_prefill_from_the_simulator_and_the_lookup_is_logged(org):
    citizen = citizen_lookup(actor=org.desk, personal_id="056185004321",
                             purpose="Tiếp nhận hồ sơ tại quầy")
    assert (citizen.full_name, citizen.date_of_birth.isoformat()) == ("Trần Thị Bích",
                                                                      "1985-09-30")
    log = PopulationLookup.objects.get()
    assert (log.user, log.personal_id, log.purpose, log.found) == (
        org.desk, "056185004321", "Tiếp nhận hồ sơ tại quầy", True)


def test_not_found_bad_number_and_missing_purpose(org):
    with pytest.raises(DomainError) as exc:
        citizen_lookup(actor=org.desk, personal_id="001099000001", purpose="Tiếp nhận")
    assert exc.value.http_status == 404
    assert PopulationLookup.objects.get().found is False
    with pytest.raises(DomainError, match="12 chữ số"):
        citizen_lookup(actor=org.desk, personal_id="123", purpose="Tiếp nhận")
    with pytest.raises(DomainError, match="mục đích"):
        citizen_lookup(actor=org.desk, personal_id="056185004321", purpose=" ")


def test_an_applicant_may_look_up_only_their_own_proven_number(org):
    # Issue #17: a number typed into the profile proves nothing, even the person's own.
    org.citizen.personal_id = "001085012345"
    org.citizen.save()
    api = APIClient()
    api.force_authenticate(org.citizen)
    body = {"so_dinh_danh": "001085012345", "muc_dich": "Nộp hồ sơ trực tuyến"}
    typed = api.post(URL, body, format="json")
    assert typed.status_code == 403 and "xác thực" in typed.json()["error"]["message"]
    identity_prove_vneid(user=org.citizen, personal_id="001085012345")
    own = api.post(URL, body, format="json")
    assert own.status_code == 200 and own.json()["ho_ten"] == "Nguyễn Văn An"
    other = api.post(URL, {"so_dinh_danh": "056185004321", "muc_dich": "Tò mò"}, format="json")
    assert other.status_code == 403
    assert other.json()["error"]["message"].startswith(
        "Bạn chỉ được tra cứu thông tin của chính mình")
    # Refused attempts are logged with why; only the allowed one found someone.
    logs = list(PopulationLookup.objects.order_by("pk").values_list("personal_id", "found"))
    assert logs == [("001085012345", False), ("001085012345", True), ("056185004321", False)]
    assert PopulationLookup.objects.exclude(error="").count() == 2
    # A citizen reading their own data is not a staff read of personal data.
    assert not PersonalDataAccess.objects.exists()


def test_staff_lookups_land_in_the_personal_data_log_refused_ones_too(org):
    citizen_lookup(actor=org.desk, personal_id="056185004321", purpose="Tiếp nhận hồ sơ")
    with pytest.raises(DomainError):
        citizen_lookup(actor=org.desk, personal_id="001099000001", purpose="Tiếp nhận hồ sơ")
    with pytest.raises(DomainError):
        citizen_lookup(actor=org.desk, personal_id="056185004321", purpose="")
    rows = list(PersonalDataAccess.objects.order_by("pk").values_list(
        "user", "subject", "action", "outcome"))
    assert [(s, o) for _, s, _, o in rows] == [
        ("056185004321", "tìm thấy"), ("001099000001", "không tìm thấy"),
        ("056185004321", "từ chối: không ghi mục đích")]
    assert {(u, a) for u, _, a, _ in rows} == {
        (org.desk.pk, PersonalDataAccess.Action.POPULATION_LOOKUP)}


def test_the_http_adapter_against_the_simulator_server(org, national_server, settings):
    client = national_server.client()
    url = national_server.base + "/api/v1/csdl-dan-cu/tra-cuu/"
    adapter = HttpPopulationAdapter(url=url, token=client.session(), timeout=5)
    citizen = citizen_lookup(actor=org.desk, personal_id="079203001122", purpose="Tiếp nhận",
                             adapter=adapter)
    assert citizen.address.startswith("45 đường Thử")
    with pytest.raises(DomainError) as exc:
        citizen_lookup(actor=org.desk, personal_id="001099000001", purpose="Tiếp nhận",
                       adapter=adapter)
    assert exc.value.http_status == 404
    wrong = HttpPopulationAdapter(url=url, token="sai", timeout=5)
    with pytest.raises(DomainError) as exc:
        citizen_lookup(actor=org.desk, personal_id="079203001122", purpose="Tiếp nhận",
                       adapter=wrong)
    assert exc.value.http_status == 503
    down = HttpPopulationAdapter(url="http://127.0.0.1:9/", token="x", timeout=1)
    with pytest.raises(DomainError):
        citizen_lookup(actor=org.desk, personal_id="079203001122", purpose="Tiếp nhận",
                       adapter=down)
    logs = list(PopulationLookup.objects.order_by("id").values_list("found", "error"))
    assert [found for found, _ in logs] == [True, False, False, False]
    assert "HTTP 401" in logs[2][1] and "Không kết nối" in logs[3][1]
    client.close()


def test_outside_national_mode_there_is_no_simulator(db):
    response = APIClient().post("/api/v1/csdl-dan-cu/tra-cuu/", {"so_dinh_danh": "1"},
                                format="json")
    assert response.status_code == 404
    assert User.objects.count() == 0


@pytest.mark.parametrize("role", [Role.REFORM, Role.FEEDBACK, Role.ADMIN, Role.APPRAISER])
def test_an_officer_handling_no_dossier_cannot_look_up_a_typed_number(org, role):
    # A reform, PAKN or admin officer has no dossier to fill or check: a number they type
    # reaches no one's record (the identity rule; Decree 13/2023 art. 3). Refused and logged.
    officer = User.objects.create_user("canbo.khac", kind=User.Kind.STAFF)
    Membership.objects.create(user=officer, unit=org.dept, role=role)
    api = APIClient()
    api.force_authenticate(officer)
    answer = api.post(URL, {"so_dinh_danh": "056185004321", "muc_dich": "Tra cứu"},
                      format="json")
    assert answer.status_code == 403
    assert "Chỉ cán bộ tiếp nhận" in answer.json()["error"]["message"]
    assert "Trần Thị Bích" not in answer.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject, log.outcome) == (officer, "056185004321",
                                                    "từ chối: vai trò không xử lý hồ sơ")
    assert PopulationLookup.objects.get().found is False
    # The dossier roles still may (the desk's pre-fill, the papers check).
    for user in (org.desk, org.specialist, org.head):
        api.force_authenticate(user)
        assert api.post(URL, {"so_dinh_danh": "056185004321", "muc_dich": "Kiểm tra giấy tờ"},
                        format="json").status_code == 200
