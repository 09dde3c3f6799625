"""The papers asked for at the desk are the papers the law asks of this applicant (issue #16)."""

import pytest
from django.urls import reverse

from accounts.models import PersonalDataAccess
from catalog.models import RequiredDocument
from dossiers.models import Dossier, State
from dossiers.services import dossier_create
from dossiers.services.papers import dossier_paper_checks
from dossiers.tests.conftest import APPLICANT, at
from motcua.errors import DomainError
from sync.models import PopulationLookup


@pytest.fixture
def judicial(org, settings):
    """The judicial-record list as the importer now reads it: the applicant's form on paper or
    electronic (group A), the authorised person's forms (group B, only when authorised), the
    authorisation (only then too), the identity card (looked up in the population database)."""
    settings.MOTCUA_POPULATION_ADAPTER = "simulator"
    org.variant.documents.all().delete()

    def paper(name: str, order: int, **extra) -> RequiredDocument:
        return RequiredDocument.objects.create(variant=org.variant, name=name, order=order,
                                               **extra)

    authorised = "Trường hợp ủy quyền yêu cầu cấp Phiếu lý lịch tư pháp số 1"
    org.form_paper = paper("Tờ khai (Mẫu số 01/2025/LLTP)", 1, alternative_group="g1")
    org.form_online = paper("Tờ khai điện tử tương tác (Mẫu số 04/2025/LLTP)", 2,
                            alternative_group="g1")
    org.proxy_paper = paper("Tờ khai cho người được ủy quyền (Mẫu số 02/2025/LLTP)", 3,
                            alternative_group="g2", condition=authorised)
    org.proxy_online = paper("Tờ khai điện tử cho người được ủy quyền (Mẫu số 05/2025/LLTP)", 4,
                             alternative_group="g2", condition=authorised)
    org.authorisation = paper("Văn bản ủy quyền", 5,
                              condition="Trường hợp ủy quyền cho người khác nộp hồ sơ")
    org.id_card = paper("Bản sao Thẻ Căn cước", 6, lookup=RequiredDocument.Lookup.POPULATION,
                        choices=["Thẻ Căn cước", "Hộ chiếu"])
    org.exemption = paper("Giấy tờ chứng minh thuộc đối tượng miễn phí", 7)
    return org


def _file(org, docs, *, papers=None, accept=True, applicant=APPLICANT):
    return dossier_create(actor=org.desk, variant=org.variant, channel=1,
                          receiving_unit=org.centre, applicant=applicant,
                          documents=[{"required_document": d.pk} for d in docs],
                          accept=accept, at=at("2026-03-02 09:00"), papers=papers)[0]


def test_one_paper_of_a_group_is_enough_and_conditional_papers_are_not_demanded(judicial):
    # Today every listed paper is mandatory: the applicant's one form and the exemption paper
    # marked not applicable are enough here.
    dossier = _file(judicial, [judicial.form_online], papers={
        "not_applicable": {str(judicial.exemption.pk): "Không thuộc đối tượng miễn phí"}})
    assert dossier.state == State.RECEIVED


def test_a_ticked_condition_makes_its_papers_due(judicial):
    with pytest.raises(DomainError) as err:
        _file(judicial, [judicial.form_paper], papers={
            "applies": [judicial.authorisation.pk, judicial.proxy_paper.pk],
            "not_applicable": {str(judicial.exemption.pk): "Không xin miễn phí"}})
    missing = err.value.fields["documents"]
    assert "Văn bản ủy quyền" in missing
    assert any(m.startswith("một trong: Tờ khai cho người được ủy quyền") for m in missing)
    assert not any("Tờ khai (Mẫu số 01" in m for m in missing)


def test_not_applicable_needs_a_reason_and_is_kept_in_the_event_log(judicial):
    with pytest.raises(DomainError) as err:
        _file(judicial, [judicial.form_paper],
              papers={"not_applicable": {str(judicial.exemption.pk): "  "}})
    assert f"papers[{judicial.exemption.pk}].reason" in err.value.fields
    dossier = _file(judicial, [judicial.form_paper], papers={
        "not_applicable": {str(judicial.exemption.pk): "Không xin miễn phí"}})
    event = dossier.events.get(action="papers_checked")
    assert event.data["not_applicable"] == [{
        "required_document": judicial.exemption.pk,
        "name": "Giấy tờ chứng minh thuộc đối tượng miễn phí", "reason": "Không xin miễn phí"}]
    assert "Không xin miễn phí" in event.reason
    assert [e.action for e in dossier.events.order_by("seq")] == [
        "submit", "papers_checked", "accept"]
    assert dossier_paper_checks(dossier=dossier)["not_applicable"][0]["reason"] == \
        "Không xin miễn phí"


def test_the_identity_card_is_looked_up_not_demanded(judicial):
    dossier = _file(judicial, [judicial.form_paper], papers={
        "lookups": [judicial.id_card.pk],
        "not_applicable": {str(judicial.exemption.pk): "Không xin miễn phí"}})
    found = dossier.events.get(action="papers_checked").data["looked_up"]
    assert found == [{"required_document": judicial.id_card.pk, "name": "Bản sao Thẻ Căn cước",
                      "source": "population",
                      "found": "CSDL quốc gia về dân cư: Trần Thị Bích"}]
    lookup = PopulationLookup.objects.get()
    assert (lookup.user, lookup.personal_id, lookup.found) == (judicial.desk, "056185004321",
                                                               True)
    assert PersonalDataAccess.objects.filter(subject="056185004321").exists()


def test_a_lookup_that_finds_nobody_says_the_paper_is_needed(judicial):
    stranger = APPLICANT | {"id_number": "079199000001", "name": "Người Lạ"}
    with pytest.raises(DomainError) as err:
        _file(judicial, [judicial.form_paper], applicant=stranger,
              papers={"lookups": [judicial.id_card.pk]})
    assert err.value.code == "lookup_failed"
    assert "cần nộp giấy tờ" in err.value.fields[f"papers[{judicial.id_card.pk}].lookup"][0]


def test_papers_of_another_case_cannot_be_answered_for(judicial, org):
    other = RequiredDocument.objects.create(
        variant=org.variant.__class__.objects.create(procedure=org.procedure, name="Khác"),
        name="Giấy khác")
    with pytest.raises(DomainError) as err:
        _file(judicial, [judicial.form_paper], papers={"applies": [other.pk]})
    assert f"papers[{other.pk}]" in err.value.fields


def test_the_counter_page_shows_groups_conditions_lookup_and_not_applicable(judicial,
                                                                            client_for):
    desk = client_for(judicial.desk)
    page = desk.get(reverse("dossiers:counter_new"),
                    {"procedure": judicial.procedure.pk,
                     "variant": judicial.variant.pk}).content.decode()
    assert "Nhóm A: chỉ cần một giấy tờ trong nhóm" in page
    assert "Chỉ cần khi: Trường hợp ủy quyền cho người khác nộp hồ sơ" in page
    assert f'name="doc_{judicial.authorisation.pk}_applies"' in page
    assert f'name="doc_{judicial.exemption.pk}_not_applicable"' in page
    assert "Không yêu cầu nộp: tra cứu CSDL quốc gia về dân cư" in page
    assert "Thẻ Căn cước / Hộ chiếu" in page


def test_counter_intake_with_a_group_and_a_paper_not_applicable(judicial, client_for):
    desk = client_for(judicial.desk)
    j = judicial
    data = {"receiving_unit": j.centre.pk, "procedure": j.procedure.pk, "variant": j.variant.pk,
            "applicant_kind": 1, "applicant_name": "Trần Thị Bích",
            "applicant_id_number": "056185004321", "sets_count": 1, "channel": 1,
            f"doc_{j.form_online.pk}_received": "on", f"doc_{j.form_online.pk}_copy_kind":
            "original", f"doc_{j.form_online.pk}_count": 1,
            f"doc_{j.exemption.pk}_not_applicable": "on", f"doc_{j.id_card.pk}_lookup": "on",
            "submit": "accept"}
    for d in j.variant.documents.exclude(pk=j.form_online.pk):
        data[f"doc_{d.pk}_copy_kind"] = "original"
        data[f"doc_{d.pk}_count"] = 1
    page = desk.post(reverse("dossiers:counter_new"), data)
    assert page.status_code == 422  # no reason given: said next to the paper, nothing lost
    assert "Cần ghi lý do giấy tờ «Giấy tờ chứng minh thuộc đối tượng miễn phí»" in \
        page.content.decode()
    data[f"doc_{j.exemption.pk}_na_reason"] = "Không xin miễn phí"
    done = desk.post(reverse("dossiers:counter_new"), data)
    assert done.status_code == 303
    dossier = Dossier.objects.get()
    assert dossier.state == State.RECEIVED
    receipt = desk.get(reverse("dossiers:receipt", args=[dossier.code])).content.decode()
    assert "Không áp dụng với người nộp: Giấy tờ chứng minh thuộc đối tượng miễn phí" in receipt
    assert "một trong các giấy tờ thay thế nhau" in receipt
    assert "Không yêu cầu nộp, đã khai thác dữ liệu: Bản sao Thẻ Căn cước" in receipt


def test_online_filing_does_not_demand_case_papers_or_looked_up_ones(judicial):
    from dossiers.services.online import papers_missing as online_missing

    docs = list(judicial.variant.documents.all())
    missing = online_missing(docs, {judicial.form_online.pk})
    # Today all seven are demanded; now only the exemption paper (everyone's, as published).
    assert missing == ["Giấy tờ chứng minh thuộc đối tượng miễn phí"]


def test_the_api_takes_the_same_answers_and_names_the_paper_in_errors(judicial):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(judicial.desk)
    body = {"variant": judicial.variant.pk, "channel": 1, "accept": True,
            "applicant": {"kind": 1, "name": "Trần Thị Bích", "id_number": "056185004321"},
            "documents": [{"required_document": judicial.form_paper.pk}],
            "papers": {"not_applicable": {str(judicial.exemption.pk): ""}}}
    refused = client.post("/api/v1/dossiers/", body, format="json")
    assert refused.status_code == 400
    assert f"papers[{judicial.exemption.pk}].reason" in str(refused.json())
    body["papers"]["not_applicable"][str(judicial.exemption.pk)] = "Không xin miễn phí"
    created = client.post("/api/v1/dossiers/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == State.RECEIVED


def test_form01_pdf_shows_the_group_and_the_papers_not_asked_for(judicial, client_for):
    from dossiers.tests.test_pdf_forms import pdf_text

    dossier = _file(judicial, [judicial.form_online], papers={
        "lookups": [judicial.id_card.pk],
        "not_applicable": {str(judicial.exemption.pk): "Không xin miễn phí"}})
    r = client_for(judicial.desk).get(reverse("dossiers:form_pdf", args=[dossier.code, "01"]))
    text = pdf_text(r.content)
    assert "(một trong các giấy tờ thay thế nhau)" in text
    assert ("Không áp dụng với người nộp: Giấy tờ chứng minh thuộc đối tượng miễn phí "
            "(lý do: Không xin miễn phí)") in text
    assert "Không yêu cầu nộp, đã khai thác dữ liệu: Bản sao Thẻ Căn cước" in text


def test_filing_on_behalf_makes_the_authorisation_papers_due(judicial, client_for):
    j = judicial
    data = {"receiving_unit": j.centre.pk, "procedure": j.procedure.pk, "variant": j.variant.pk,
            "applicant_kind": 1, "applicant_name": "Trần Thị Bích",
            "applicant_id_number": "056185004321", "sets_count": 1, "channel": 1,
            "on_behalf": "on", "owner_name": "Trần Văn Cường",
            f"doc_{j.form_paper.pk}_received": "on", f"doc_{j.exemption.pk}_received": "on",
            "submit": "accept"}
    for d in j.variant.documents.all():
        data[f"doc_{d.pk}_copy_kind"] = "original"
        data[f"doc_{d.pk}_count"] = 1
    page = client_for(j.desk).post(reverse("dossiers:counter_new"), data)
    assert page.status_code == 422
    text = page.content.decode()
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc" in text and "Văn bản ủy quyền" in text
    assert not Dossier.objects.exists()


def test_answers_move_with_their_papers_to_the_version_in_force():
    from dossiers.services.papers import papers_translate

    moved = papers_translate({"applies": [1, 2], "lookups": [3],
                              "not_applicable": {"4": "Không xin miễn phí", "5": "Đã bỏ"}},
                             {1: 11, 2: None, 3: 13, 4: 14, 5: None})
    assert moved == {"applies": [11], "lookups": [13],
                     "not_applicable": {"14": "Không xin miễn phí"}}
