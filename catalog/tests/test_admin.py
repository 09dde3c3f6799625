"""The catalog admin: search without diacritics, the raw record visible, search text kept."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from accounts.models import User
from catalog.models import Procedure
from catalog.services import procedure_set_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser(username="quantri.test", password="x-Test-2026")
    client.force_login(user)
    return client


@pytest.fixture
def procedure():
    procedure = Procedure(code="1.001456", name="Cấp hộ chiếu phổ thông ở trong nước",
                          source_record={"ma_thu_tuc": "1.001456", "ten_thu_tuc": "Cấp hộ chiếu"},
                          parse_issues=[{"field": "cach_thuc_thuc_hien", "fragment": "1",
                                         "problem": "Thời hạn «1» không ghi đơn vị"}])
    procedure_set_search_text(procedure)
    procedure.save()
    return procedure


def test_changelist_search_ignores_diacritics(admin_client, procedure):
    response = admin_client.get("/admin/catalog/procedure/", {"q": "ho chieu"})
    assert response.status_code == 200
    assert "1.001456" in response.content.decode()
    response = admin_client.get("/admin/catalog/procedure/", {"issues": "yes"})
    assert "1.001456" in response.content.decode()


def test_change_page_shows_the_source_record_and_issues_read_only(admin_client, procedure):
    page = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/change/").content.decode()
    assert "Thời hạn «1» không ghi đơn vị" in page
    assert "&quot;ten_thu_tuc&quot;: &quot;Cấp hộ chiếu&quot;" in page
    assert 'name="source_record"' not in page


def test_saving_in_the_admin_refreshes_the_search_text(procedure):
    model_admin = site._registry[Procedure]
    request = RequestFactory().post("/")
    procedure.name = "Cấp lại hộ chiếu"
    model_admin.save_model(request, procedure, form=None, change=True)
    procedure.refresh_from_db()
    assert procedure.search_text == "cap lai ho chieu"


def test_administrators_edit_the_thesaurus_and_life_events(admin_client, procedure):
    from catalog.models import LifeEvent, SearchSynonym
    from catalog.selectors import procedure_list

    r = admin_client.post("/admin/catalog/searchsynonym/add/", {
        "phrase": "pát-pọt", "official": "hộ chiếu", "kind": "everyday", "is_active": "on",
        "note": ""})
    assert r.status_code == 302
    assert SearchSynonym.objects.filter(phrase="pát-pọt").exists()
    assert [p.code for p in procedure_list(query="pát pọt")][:1] == ["1.001456"]
    assert admin_client.get("/admin/catalog/searchsynonym/?q=BHXH").status_code == 200
    # a life event must name procedures that exist
    bad = admin_client.post("/admin/catalog/lifeevent/add/", {
        "name": "Đi du lịch", "description": "", "phrases": "đi du lịch",
        "procedure_codes": "1.001456\n9.999999", "order": 0, "is_active": "on"})
    assert bad.status_code == 200 and "9.999999" in bad.content.decode()
    good = admin_client.post("/admin/catalog/lifeevent/add/", {
        "name": "Đi du lịch", "description": "", "phrases": "đi du lịch",
        "procedure_codes": "1.001456", "order": 0, "is_active": "on"})
    assert good.status_code == 302
    assert LifeEvent.objects.get(name="Đi du lịch").codes == ["1.001456"]
