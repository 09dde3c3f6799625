"""Returning a result records who received it, the paper they showed, how and when (issue #16):
the return_result event keeps it, Form 05 and the register (Form 06) show it."""

import subprocess

import pytest
from django.urls import reverse

from dossiers.models import State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from motcua.errors import DomainError

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def decided(org, make_dossier):
    d = make_dossier()
    d = dossier_act(dossier=d, actor=org.desk, action="forward",
                    data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
    d = dossier_act(dossier=d, actor=org.specialist, action="forward",
                    data={"assignee": org.head.pk}, at=at("2026-03-02 10:00"))
    return dossier_act(dossier=d, actor=org.head, action="approve", at=at("2026-03-02 11:00"))


def _url(d) -> str:
    return f"/ho-so/{d.code}/thao-tac/return_result/"


def test_an_authorised_person_at_the_desk_is_recorded_and_shown(org, decided, client_for):
    desk = client_for(org.desk)
    form = desk.get(_url(decided), **HTMX).content.decode()
    assert "Người được ủy quyền" in form and "Số hiệu bưu gửi" in form
    # No paper shown: refused with the field named, the name typed stays.
    r = desk.post(_url(decided), {"receiver_method": "desk", "receiver_kind": "authorised",
                                  "receiver_name": "Lê Văn Cường", "receiver_paper": ""})
    assert r.status_code == 422
    page = r.content.decode()
    assert "Cần ghi giấy tờ người nhận xuất trình" in page and "Lê Văn Cường" in page
    # An authorised person shows the authorisation too.
    r = desk.post(_url(decided), {"receiver_method": "desk", "receiver_kind": "authorised",
                                  "receiver_name": "Lê Văn Cường",
                                  "receiver_paper": "CCCD số 001090001234"})
    assert r.status_code == 422 and "văn bản ủy quyền" in r.content.decode()
    decided.refresh_from_db()
    assert decided.state == State.DECIDED
    r = desk.post(_url(decided), {
        "receiver_method": "desk", "receiver_kind": "authorised",
        "receiver_name": "Lê Văn Cường",
        "receiver_paper": "CCCD số 001090001234, giấy ủy quyền ngày 01/03/2026"})
    assert r.status_code == 303
    decided.refresh_from_db()
    assert decided.state == State.RETURNED
    event = decided.events.get(action="return_result")
    assert event.data["receiver"] == {
        "kind": "authorised", "name": "Lê Văn Cường", "method": "desk", "tracking": "",
        "paper": "CCCD số 001090001234, giấy ủy quyền ngày 01/03/2026"}
    assert event.at == decided.returned_at

    slip = desk.get(reverse("dossiers:slip", args=[decided.code])).content.decode()
    assert "Lê Văn Cường (người được ủy quyền)" in slip
    assert "giấy ủy quyền ngày 01/03/2026" in slip
    form05 = desk.get(reverse("dossiers:form_pdf", args=[decided.code, "05"])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=form05, capture_output=True,
                          check=True).stdout.decode()
    assert "Lê Văn Cường" in " ".join(text.split())
    register = desk.get(reverse("dossiers:register"),
                        {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"}).content.decode()
    assert "Lê Văn Cường (người được ủy quyền)" in register


def test_the_post_needs_its_tracking_number(org, decided):
    with pytest.raises(DomainError) as refused:
        dossier_act(dossier=decided, actor=org.desk, action="return_result",
                    data={"receiver": {"method": "post", "kind": "applicant"}})
    assert "receiver.tracking" in refused.value.fields
    d = dossier_act(dossier=decided, actor=org.desk, action="return_result",
                    data={"receiver": {"method": "post", "tracking": "EB123456789VN"}},
                    at=at("2026-03-03 08:00"))
    receiver = d.events.get(action="return_result").data["receiver"]
    assert receiver["tracking"] == "EB123456789VN" and receiver["name"] == d.applicant_name


def test_an_online_download_needs_no_paper(org, decided):
    d = dossier_act(dossier=decided, actor=org.desk, action="return_result",
                    data={"receiver": {"method": "online"}}, at=at("2026-03-03 08:00"))
    assert d.events.get(action="return_result").data["receiver"]["method"] == "online"


def test_an_unknown_way_is_refused(org, decided):
    with pytest.raises(DomainError) as refused:
        dossier_act(dossier=decided, actor=org.desk, action="return_result",
                    data={"receiver": {"method": "pigeon"}})
    assert "receiver.method" in refused.value.fields


def test_the_api_records_the_receiver_and_names_the_missing_field(org, decided):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org.desk)
    url = f"/api/v1/dossiers/{decided.code}/actions/return_result/"
    refused = api.post(url, {"data": {"receiver": {"method": "post"}}}, format="json",
                       HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "receiver.tracking" in str(refused.json()), refused.json()
    done = api.post(url, {"data": {"receiver": {"method": "post", "tracking": "EB1VN"}}},
                    format="json")
    assert done.status_code == 200
    decided.refresh_from_db()
    assert decided.events.get(action="return_result").data["receiver"]["tracking"] == "EB1VN"


@pytest.mark.parametrize("body", [{}, {"data": {}}, {"data": {"receiver": {}}},
                                  {"data": {"receiver": None}},
                                  {"data": {"receiver": {"kind": "applicant"}}}])
def test_the_api_refuses_a_return_without_the_receiver(org, decided, body):
    """The API moves a dossier only as the desk's form does: the hand-over record is part of
    the move, in Vietnamese by default and in English when asked (issue #16)."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org.desk)
    url = f"/api/v1/dossiers/{decided.code}/actions/return_result/"
    vi = api.post(url, body, format="json")
    assert vi.status_code == 400, vi.content
    error = vi.json()["error"]
    assert "receiver.method" in error["fields"]
    assert "ai nhận" in error["message"] and "bưu chính" in error["message"]
    en = api.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400
    assert "who receives the result" in en.json()["error"]["message_en"]
    decided.refresh_from_db()
    assert decided.state == State.DECIDED
    assert not decided.events.filter(action="return_result").exists()
