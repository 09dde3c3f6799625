"""The counter's additions: applicant search by personal ID, scans with the upload checks,
channel 1 / 3 and originals seen recorded."""

import re

import pytest
from django.urls import reverse

from dossiers.models import Dossier, DossierFile
from dossiers.tests import files
from dossiers.tests.test_views import counter_data
from sync.models import PopulationLookup


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA_POPULATION_ADAPTER = "simulator"


def test_search_by_personal_id_prefills_from_earlier_dossier(client_for, org, make_dossier):
    make_dossier()  # Trần Thị Bích, 056185004321, phone 0914222333
    page = client_for(org.desk).post(reverse("dossiers:counter_applicant"),
                                     {"so_dinh_danh": "056185004321"}).content.decode()
    assert 'value="Trần Thị Bích"' in page and 'value="0914222333"' in page
    assert "hồ sơ trước đây" in page


def test_search_by_personal_id_uses_the_population_database(client_for, org):
    page = client_for(org.desk).post(reverse("dossiers:counter_applicant"),
                                     {"so_dinh_danh": "001085012345"}).content.decode()
    assert 'value="Nguyễn Văn An"' in page
    assert "CSDL quốc gia về dân cư" in page
    lookup = PopulationLookup.objects.get()
    assert (lookup.user, lookup.personal_id, lookup.found) == (org.desk, "001085012345", True)


def test_search_fills_the_applicant_in_place_and_keeps_what_was_typed(client_for, org,
                                                                     make_dossier):
    make_dossier()  # Trần Thị Bích, 056185004321, phone 0914222333
    desk = client_for(org.desk)
    url = reverse("dossiers:counter_applicant")
    part = desk.post(url, {"so_dinh_danh": "056185004321", "applicant_email": "bich@example.vn"},
                     headers={"HX-Request": "true"}).content.decode()
    # Only the applicant's block comes back: the procedure, case and papers stay on the page.
    assert part.startswith('<div id="applicant-fields">') and "<form" not in part
    assert 'value="Trần Thị Bích"' in part and 'value="0914222333"' in part
    assert "hồ sơ trước đây" in part
    # The earlier dossier had no e-mail: the one typed before searching is kept.
    assert 'value="bich@example.vn"' in part
    # Without JavaScript the same search answers the whole form, the case chosen kept.
    r = desk.post(url, {"so_dinh_danh": "056185004321", "procedure": org.procedure.pk,
                        "variant": org.variant.pk})
    assert r.status_code == 200 and '<form id="applicant-search"' in r.content.decode()
    assert 'value="Trần Thị Bích"' in r.content.decode()
    assert client_for(org.specialist).post(url, headers={"HX-Request": "true"}).status_code == 403


def test_a_search_with_no_personal_id_says_so_and_keeps_what_was_typed(client_for, org):
    desk = client_for(org.desk)
    url = reverse("dossiers:counter_applicant")
    missing = "Chưa nhập số định danh cá nhân của người nộp để tìm."
    part = desk.post(url, {"so_dinh_danh": "  ", "applicant_name": "Lê Văn Tám"},
                     headers={"HX-Request": "true"}).content.decode()
    assert f'<p class="error" role="alert">{missing}</p>' in part
    assert 'value="Lê Văn Tám"' in part
    whole = desk.post(url, {"procedure": org.procedure.pk}).content.decode()
    assert missing in whole and '<form id="applicant-search"' in whole
    assert not PopulationLookup.objects.exists()


def test_scans_are_attached_with_the_same_checks(client_for, org):
    desk = client_for(org.desk)
    data = counter_data(org, channel="3")
    data[f"doc_{org.doc_id.pk}_scan"] = files.upload("cccd.pdf", b"not really a pdf")
    r = desk.post(reverse("dossiers:counter_new"), data)
    assert r.status_code == 422 and "cccd.pdf" in r.content.decode()
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()
    data = counter_data(org, channel="3")
    data[f"doc_{org.doc_id.pk}_scan"] = files.upload("cccd.png", files.image("PNG"))
    r = desk.post(reverse("dossiers:counter_new"), data)
    assert r.status_code == 303
    d = Dossier.objects.get()
    assert d.channel == 3 and d.applicant_user is None
    scan = DossierFile.objects.get()
    assert (scan.dossier, scan.purpose, scan.digitised) == (d, "scan", True)
    assert scan.document.required_document == org.doc_id and scan.document.digitised
    assert d.documents.get(required_document=org.doc_form).original_seen is True
    # The staff detail page links the scan through the private download.
    page = desk.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    url = reverse("dossiers:file_download", args=[scan.token])
    assert url in page
    assert desk.get(url).status_code == 200


def test_the_search_notes_follow_the_page_language(client_for, org, make_dossier):
    make_dossier()  # Trần Thị Bích, 056185004321
    desk = client_for(org.desk)
    desk.cookies["django_language"] = "en"
    part = desk.post(reverse("dossiers:counter_applicant"), {"so_dinh_danh": "056185004321"},
                     headers={"HX-Request": "true"}).content.decode()
    assert "Filled from the applicant" in part and "earlier dossier" in part


def test_the_applicant_search_is_a_post_under_the_csrf_check(org, make_dossier):
    # A search reads the person's data (earlier dossiers, the population database), each read
    # logged in the officer's name (Decree 13/2023 art. 9). As a GET, a link or a redirect from
    # any site made the officer's browser run it, writing reads they never made, and the ID sat
    # in the URL. The page's GET no longer searches; the search needs the form's CSRF token.
    from django.test import Client

    from accounts.models import PersonalDataAccess

    make_dossier()
    PersonalDataAccess.objects.all().delete()
    desk = Client(enforce_csrf_checks=True)
    desk.force_login(org.desk)
    page = desk.get(reverse("dossiers:counter_new"), {"so_dinh_danh": "056185004321"})
    assert page.status_code == 200 and 'value="Trần Thị Bích"' not in page.content.decode()
    url = reverse("dossiers:counter_applicant")
    assert desk.get(url, {"so_dinh_danh": "056185004321"},
                    headers={"HX-Request": "true"}).status_code == 405
    assert desk.post(url, {"so_dinh_danh": "056185004321"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()
    assert not PopulationLookup.objects.exists()
    # The page's own form carries the token: the search goes through.
    token = desk.cookies["csrftoken"].value
    found = desk.post(url, {"so_dinh_danh": "056185004321", "csrfmiddlewaretoken": token},
                      headers={"HX-Request": "true"})
    assert found.status_code == 200 and 'value="Trần Thị Bích"' in found.content.decode()
    assert PersonalDataAccess.objects.filter(subject="056185004321").exists()


def test_a_refused_counter_form_keeps_the_typed_values_and_the_scans(client_for, org, tmp_path):
    """A wrong phone number came back with every typed value but without the scans: the
    officer had to scan the papers again. They are kept (motcua.held_files), listed ticked
    under their paper, and the corrected form attaches them without a new scan."""
    desk = client_for(org.desk)
    data = counter_data(org, channel="3", applicant_phone="0123")
    data[f"doc_{org.doc_id.pk}_scan"] = files.upload("cccd mặt trước.png", files.image("PNG"))
    r = desk.post(reverse("dossiers:counter_new"), data)
    assert r.status_code == 422
    page = r.content.decode()
    assert 'value="0123"' in page and 'value="Trần Thị Bích"' in page
    field = f"held_doc_{org.doc_id.pk}_scan"
    tokens = re.findall(rf'name="{field}" value="([0-9a-f]{{32}})" checked', page)
    assert len(tokens) == 1 and "cccd mặt trước.png" in page
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()

    data = counter_data(org, channel="3")
    data[field] = tokens
    r = desk.post(reverse("dossiers:counter_new"), data)
    assert r.status_code == 303, r.content.decode()[:3000]
    scan = DossierFile.objects.get()
    assert scan.document.required_document == org.doc_id
    assert scan.file.read() == files.image("PNG")
    assert not any((tmp_path / "private" / "held").iterdir())
