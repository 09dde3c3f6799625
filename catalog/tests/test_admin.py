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
