"""The pages end to end: send, follow with code + second factor, staff forward → answer →
approve → publish, the public answers (never a sender's personal data), the rating."""

import re

import pytest
from django.test import Client

from accounts.models import PersonalDataAccess
from feedback.models import Feedback, FeedbackEvent, State
from feedback.services import feedback_act

SENDER = {"title": "Yêu cầu bản sao chứng thực không có trong danh mục",
          "content": "Bộ phận một cửa đòi thêm bản sao chứng thực sổ hộ khẩu.",
          "sender_name": "Phạm Văn Quý", "sender_phone": "0987 654 321",
          "sender_email": "quy.pham@example.vn", "sender_address": "5 Lê Lợi, Nha Trang",
          "publish_consent": "on"}
PERSONAL = ["Phạm Văn Quý", "0987 654 321", "0987654321", "quy.pham@example.vn", "5 Lê Lợi"]


def _send(client, **extra):
    r = client.post("/phan-anh/gui/", {**SENDER, "unit": "", **extra})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get(r["Location"]).content.decode()
    code = re.search(r"data-feedback-code>([^<]+)<", page)[1]
    secret = re.search(r"data-feedback-secret>([^<]+)<", page)[1]
    return Feedback.objects.get(code=code), secret


def test_a_refused_form_names_the_field_and_keeps_what_was_typed(pakn):
    r = Client().post("/phan-anh/gui/", {**SENDER, "sender_phone": "", "sender_email": ""})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Cần số điện thoại hoặc thư điện tử" in page
    assert SENDER["content"] in page and SENDER["title"] in page
    assert not Feedback.objects.exists()


def test_lookup_needs_code_and_second_factor(pakn):
    item, secret = _send(Client())
    anyone = Client()
    for factor in ("", "SAIMATMA", "1234"):
        r = anyone.post("/phan-anh/tra-cuu/", {"ma": item.code, "bi_mat": factor})
        assert r.status_code in (400, 404)
        assert item.title not in r.content.decode()
    r = anyone.post("/phan-anh/tra-cuu/", {"ma": item.code, "bi_mat": secret.lower()})
    assert r.status_code == 200 and item.title in r.content.decode()
    r = Client().post("/phan-anh/tra-cuu/", {"ma": item.code, "bi_mat": "4321"})
    assert r.status_code == 200 and item.title in r.content.decode()
    # The code alone in the URL opens nothing.
    assert item.title not in Client().get("/phan-anh/tra-cuu/", {"ma": item.code}).content.decode()


@pytest.mark.parametrize("url", ["/phan-anh/tra-cuu/", "/phan-anh/tra-cuu/?ma=PAKN-261207-ABCDEF"])
def test_an_empty_lookup_post_is_asked_for_both_codes_not_a_500(pakn, url):
    # Fuzzing found it: a POST without fields left the form unbound, and adding the refusal
    # to it raised AttributeError (no cleaned_data), a 500.
    r = Client(raise_request_exception=False).post(url, {})
    assert r.status_code == 400
    assert "Cần nhập cả mã phản ánh và mã bí mật" in r.content.decode()


def test_lookup_locks_out_guessing_of_phone_digits(pakn, settings):
    settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE = 3
    item, secret = _send(Client())
    guesser = Client()
    for digits in ("0000", "1111", "2222"):
        assert guesser.post("/phan-anh/tra-cuu/", {"ma": item.code, "bi_mat": digits}
                            ).status_code == 404
    assert guesser.post("/phan-anh/tra-cuu/", {"ma": item.code, "bi_mat": "4321"}
                        ).status_code == 429
    # The owner's 8-character secret still opens it.
    assert Client().post("/phan-anh/tra-cuu/", {"ma": item.code, "bi_mat": secret}
                         ).status_code == 200


def _staff(user):
    c = Client()
    c.force_login(user)
    return c


def test_walk_forward_answer_approve_publish_rate(pakn):
    citizen = Client()
    item, secret = _send(citizen, **{"unit": str(pakn.centre.pk)})
    receiver = _staff(pakn.receiver)
    page = receiver.get(f"/phan-anh/can-bo/{item.code}/").content.decode()
    # Typed "0987 654 321": stored and shown in its one form (motcua.inputs.phone_key).
    assert "0987654321" in page
    assert PersonalDataAccess.objects.filter(user=pakn.receiver, reference=item.code,
                                             subject="0987654321").exists()
    # A forward without a unit is refused on the field, the reason kept.
    r = receiver.post(f"/phan-anh/can-bo/{item.code}/thao-tac/forward/", {"kind": "outside"})
    assert r.status_code == 400 and "Chọn cơ quan có thẩm quyền" in r.content.decode()
    r = receiver.post(f"/phan-anh/can-bo/{item.code}/thao-tac/forward/",
                      {"kind": "outside", "unit": pakn.dept.pk})
    assert r.status_code == 302
    # The history names the unit that forwarded and the one it went to, not only the latter
    # beside the centre officer's name.
    history = receiver.get(f"/phan-anh/can-bo/{item.code}/").content.decode()
    assert f"{pakn.centre.name} → {pakn.dept.name}" in history
    officer, head = _staff(pakn.officer), _staff(pakn.head)
    assert officer.post(f"/phan-anh/can-bo/{item.code}/thao-tac/take/").status_code == 302
    assert head.post(f"/phan-anh/can-bo/{item.code}/thao-tac/assign/",
                     {"assignee": pakn.officer.pk}).status_code == 302
    assert officer.post(f"/phan-anh/can-bo/{item.code}/thao-tac/draft/",
                        {"answer": "Sở đã chấn chỉnh: không yêu cầu bản sao chứng thực."}
                        ).status_code == 302
    # The officer may not approve: the head does.
    assert officer.post(f"/phan-anh/can-bo/{item.code}/thao-tac/approve/").status_code == 403
    assert head.post(f"/phan-anh/can-bo/{item.code}/thao-tac/approve/").status_code == 302
    assert officer.post(f"/phan-anh/can-bo/{item.code}/thao-tac/publish/").status_code == 302
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    # Published, found without diacritics, and nothing personal on the public pages.
    listing = Client().get("/phan-anh/", {"q": "ban sao chung thuc"}).content.decode()
    assert f"/phan-anh/tra-loi/{item.public_ref}/" in listing
    detail = Client().get(f"/phan-anh/tra-loi/{item.public_ref}/").content.decode()
    assert "không yêu cầu bản sao chứng thực" in detail
    # Nor the item's code, the first half of the sender's lookup (the second may be 4 digits of
    # a phone number): the public pages name the answer by a reference of its own.
    assert Client().get(f"/phan-anh/tra-loi/{item.code}/").status_code == 404
    for page in (listing, detail, str(Client().get("/api/v1/feedback/answers/").json())):
        assert item.code not in page
        for value in PERSONAL:
            assert value not in page
    # The sender (proven in this session when sending) rates: not satisfied reopens it.
    r = citizen.post("/phan-anh/tra-cuu/danh-gia/", {"ma": item.code,
                                                     "rating": "not_satisfied"})
    assert r.status_code == 200
    item.refresh_from_db()
    assert item.state == State.REOPENED
    assert item.code not in Client().get("/phan-anh/").content.decode()
    # A stranger cannot rate.
    assert Client().post("/phan-anh/tra-cuu/danh-gia/", {"ma": item.code,
                                                         "rating": "satisfied"}
                         ).status_code == 404
    assert [e.action for e in FeedbackEvent.objects.filter(feedback=item)] == [
        "submit", "forward", "take", "assign", "draft", "approve", "publish", "rate"]


def test_other_units_staff_see_nothing(pakn):
    item, _ = _send(Client(), unit=str(pakn.centre.pk))
    outsider = _staff(pakn.outsider)
    assert outsider.get(f"/phan-anh/can-bo/{item.code}/").status_code == 404
    assert item.code not in outsider.get("/phan-anh/can-bo/?hop=all").content.decode()
    assert _staff(pakn.citizen).get("/phan-anh/can-bo/").status_code == 403


def test_procedure_page_links_and_sends_to_its_unit(pakn):
    page = Client().get(f"/thu-tuc/{pakn.procedure.code}/").content.decode()
    assert f"/phan-anh/gui/thu-tuc/{pakn.procedure.code}/" in page
    r = Client().post(f"/phan-anh/gui/thu-tuc/{pakn.procedure.code}/", SENDER)
    assert r.status_code == 302
    item = Feedback.objects.get()
    assert item.procedure_code == pakn.procedure.code and item.receiving_unit == pakn.dept


def test_a_procedure_without_a_competent_unit_lets_the_sender_choose_the_unit(pakn):
    # Commune-level procedures of the national catalogue name no competent unit: the sender
    # picks their commune (or leaves it to the default unit); a procedure that names its unit
    # offers no choice.
    pakn.procedure.competent_unit = None
    pakn.procedure.save()
    page = Client().get(f"/phan-anh/gui/thu-tuc/{pakn.procedure.code}/").content.decode()
    assert 'name="unit"' in page and pakn.other.name in page
    r = Client().post(f"/phan-anh/gui/thu-tuc/{pakn.procedure.code}/",
                      {**SENDER, "unit": pakn.other.pk})
    assert r.status_code == 302
    item = Feedback.objects.get()
    assert item.procedure_code == pakn.procedure.code and item.receiving_unit == pakn.other
    pakn.procedure.competent_unit = pakn.dept
    pakn.procedure.save()
    page = Client().get(f"/phan-anh/gui/thu-tuc/{pakn.procedure.code}/").content.decode()
    assert 'name="unit"' not in page


def test_dossier_feedback_only_for_its_owner(pakn, make_dossier):
    dossier = make_dossier()
    stranger = _staff(pakn.citizen)
    assert stranger.get(f"/phan-anh/gui/ho-so/{dossier.code}/").status_code == 404


def test_statistics_page_and_excel(pakn, make_item):
    from io import BytesIO

    from openpyxl import load_workbook

    item = make_item(State.DRAFTED)
    feedback_act(feedback=item, actor=pakn.head, action="approve")
    head = _staff(pakn.head)
    page = head.get("/phan-anh/can-bo/thong-ke/", {"tu": "2026-01-01", "den": "2026-06-30"})
    assert page.status_code == 200
    r = head.get("/phan-anh/can-bo/thong-ke/bao-cao.xlsx",
                 {"tu": "2026-01-01", "den": "2026-06-30"})
    assert r.status_code == 200
    book = load_workbook(BytesIO(r.content))
    assert book.sheetnames == ["Theo đơn vị", "Theo phân loại", "Theo thủ tục", "Theo tháng"]
    rows = list(book["Theo đơn vị"].iter_rows(values_only=True))
    assert rows[-1][0] == "Tổng cộng" and rows[-1][1] == 1


@pytest.mark.parametrize("url", ["/phan-anh/", "/phan-anh/gui/", "/phan-anh/tra-cuu/"])
def test_public_pages_open(pakn, url):
    assert Client().get(url).status_code == 200


def test_a_recorded_call_shows_the_secret_to_its_recorder_only(pakn):
    officer = _staff(pakn.receiver)
    r = officer.post("/phan-anh/can-bo/ghi-nhan/", {**SENDER, "channel": "phone",
                                                     "unit": pakn.centre.pk})
    assert r.status_code == 302
    item = Feedback.objects.get()
    assert item.channel == "phone" and item.recorded_by == pakn.receiver
    assert item.lookup_secret in officer.get(r["Location"]).content.decode()
    assert item.lookup_secret not in _staff(pakn.receiver_head).get(
        r["Location"]).content.decode()


def test_an_account_lists_and_rates_its_own_items(pakn, make_item):
    mine = _staff(pakn.citizen)
    r = mine.post("/phan-anh/gui/", {**SENDER, "unit": ""})
    assert r.status_code == 302
    item = Feedback.objects.get()
    assert item.sender_user == pakn.citizen
    assert item.code in mine.get("/phan-anh/cua-toi/").content.decode()
    assert mine.get(f"/phan-anh/cua-toi/{item.code}/").status_code == 200
    other = make_item(State.ANSWERED)
    assert mine.get(f"/phan-anh/cua-toi/{other.code}/").status_code == 404
    assert mine.post("/phan-anh/tra-cuu/danh-gia/", {"ma": other.code,
                                                     "rating": "satisfied"}).status_code == 404


@pytest.mark.parametrize("value", ["²", "፩"])
def test_a_unit_or_officer_id_int_refuses_is_invalid_not_a_500(pakn, make_item, value):
    """str.isdigit() takes these digits and int() refuses them (motcua.inputs.id_parse)."""
    item = make_item()
    r = _staff(pakn.receiver).post(f"/phan-anh/can-bo/{item.code}/thao-tac/forward/",
                                   {"kind": "outside", "unit": value})
    assert r.status_code == 400 and item.handling_unit_id == pakn.centre.pk
    item = make_item(State.ACCEPTED)
    r = _staff(pakn.head).post(f"/phan-anh/can-bo/{item.code}/thao-tac/assign/",
                               {"assignee": value})
    assert r.status_code == 400
    item.refresh_from_db()
    assert item.assignee is None


def test_staff_open_an_items_attachments_as_they_open_the_item(pakn, settings, tmp_path):
    """The files were stored and named on the staff page but had no address: the officer could
    not read what the sender attached. The handling unit downloads them (logged, as the page
    is), a unit the item never reached and anonymous visitors do not."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from feedback.tests.test_submit import PDF

    settings.MEDIA_ROOT = tmp_path
    item, _ = _send(Client(), unit=str(pakn.centre.pk),
                    files=[SimpleUploadedFile("ảnh chụp giấy hẹn.pdf", PDF)])
    row = item.attachments.get()
    receiver = _staff(pakn.receiver)
    page = receiver.get(f"/phan-anh/can-bo/{item.code}/").content.decode()
    url = f"/phan-anh/can-bo/{item.code}/tep/{row.pk}/"
    assert f'<a href="{url}" download>ảnh chụp giấy hẹn.pdf</a>' in page
    answer = receiver.get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert answer["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Cache-Control"] == "private, no-store"
    log = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.FEEDBACK_FILE)
    assert (log.user, log.subject, log.unit) == (pakn.receiver, "0987654321", pakn.centre)
    assert log.reference == f"{item.code} · ảnh chụp giấy hẹn.pdf"
    # Not yet forwarded: the department has not got it; another unit never does.
    assert _staff(pakn.officer).get(url).status_code == 404
    assert _staff(pakn.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the log-in page
    assert _staff(pakn.citizen).get(url).status_code == 403
    # Forwarded, the department handling it opens it too.
    assert receiver.post(f"/phan-anh/can-bo/{item.code}/thao-tac/forward/",
                         {"kind": "outside", "unit": pakn.dept.pk}).status_code == 302
    assert _staff(pakn.officer).get(url).status_code == 200
    # An attachment is read under its own item only.
    other, _ = _send(Client(), unit=str(pakn.centre.pk))
    assert receiver.get(f"/phan-anh/can-bo/{other.code}/tep/{row.pk}/").status_code == 404


def test_an_item_published_without_consent_shows_no_word_of_the_sender(pakn, make_item):
    """audit7: an item the publisher marks "of general interest" is published although its
    sender did not agree; the public page and API showed the sender's whole text, which names
    them, their address or their case. Only the subject and the answer are public then."""
    from rest_framework.test import APIClient

    text = "Tôi là Phạm Văn Quý, nhà số 5 Lê Lợi, bị yêu cầu nộp thêm bản sao."
    item = make_item(State.ANSWERED, content=text, publish_consent=False)
    feedback_act(feedback=item, actor=pakn.officer, action="publish", data={"general": True})
    item.refresh_from_db()
    page = Client().get(f"/phan-anh/tra-loi/{item.public_ref}/").content.decode()
    assert item.title in page and item.answer in page and "Phạm Văn Quý" not in page
    rows = APIClient().get("/api/v1/feedback/answers/").json()
    assert [r["content"] for r in rows] == [""] and rows[0]["answer"] == item.answer
    # Nor does the search tell what the unpublished text says, word by word.
    assert APIClient().get("/api/v1/feedback/answers/", {"q": "Quý Lê Lợi"}).json() == []
    assert "Phạm Văn Quý" not in Client().get("/phan-anh/", {"q": "quy"}).content.decode()
    # With the sender's consent the text is public, as they agreed.
    agreed = make_item(State.ANSWERED, content=text, publish_consent=True)
    feedback_act(feedback=agreed, actor=pakn.officer, action="publish")
    agreed.refresh_from_db()
    assert "Phạm Văn Quý" in Client().get(
        f"/phan-anh/tra-loi/{agreed.public_ref}/").content.decode()
    found = APIClient().get("/api/v1/feedback/answers/", {"q": "Quý Lê Lợi"}).json()
    assert [r["ref"] for r in found] == [agreed.public_ref]
