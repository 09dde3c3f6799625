"""The staff web pages: login, work lists, counter entry, the dossier page, actions, printouts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import Dossier, DossierEvent, State
from dossiers.tests.conftest import APPLICANT, at
from dossiers.views.due import due_flags

HTMX = {"HTTP_HX_REQUEST": "true"}



def counter_data(org, *, submit: str = "accept", **overrides) -> dict:
    data = {
        "receiving_unit": org.centre.pk, "procedure": org.procedure.pk, "variant": org.variant.pk,
        "applicant_kind": "1", "applicant_name": APPLICANT["name"],
        "applicant_id_number": APPLICANT["id_number"], "applicant_address": APPLICANT["address"],
        "applicant_phone": APPLICANT["phone"], "applicant_email": "",
        "owner_name": "", "owner_id_number": "", "summary": "", "sets_count": "1",
        "channel": "1", "return_method": "", "idempotency_key": "",
        f"doc_{org.doc_form.pk}_received": "on", f"doc_{org.doc_form.pk}_copy_kind": "original",
        f"doc_{org.doc_form.pk}_count": "1", f"doc_{org.doc_form.pk}_original_seen": "on",
        f"doc_{org.doc_id.pk}_received": "on", f"doc_{org.doc_id.pk}_copy_kind": "copy",
        f"doc_{org.doc_id.pk}_count": "1",
        "submit": submit,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def act_url(dossier, action: str) -> str:
    return reverse("dossiers:act", args=[dossier.code, action])


def detail_url(dossier) -> str:
    return reverse("dossiers:detail", args=[dossier.code])


# --- login and access -------------------------------------------------------------------------

def test_login_page_is_in_vietnamese(client, db):
    r = client.get(reverse("accounts:login"))
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="vi">' in html
    for text in ("Hệ thống một cửa điện tử", "Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert text in html
    assert 'for="id_username"' in html and 'for="id_password"' in html


def test_login_with_password_opens_the_work_list(client, org):
    r = client.post(reverse("accounts:login"), {"username": "tiepnhan", "password": "sai"})
    assert r.status_code == 200
    assert "mật khẩu chính xác" in r.content.decode()
    assert 'value="tiepnhan"' in r.content.decode()
    r = client.post(reverse("accounts:login"),
                    {"username": "tiepnhan", "password": "x-Test-2026"})
    assert r.status_code == 302 and r.url == reverse("dossiers:inbox")


@pytest.mark.parametrize("name,args", [("dossiers:counter_new", []),
                                       ("dossiers:box", ["all"]),
                                       ("dossiers:detail", ["000.00.12.H99-260302-0001"])])
def test_anonymous_goes_to_the_login_page(client, db, name, args):
    url = reverse(name, args=args)
    r = client.get(url)
    assert r.status_code == 302
    assert r.url.startswith(reverse("accounts:login")) and "next=" in r.url


def test_an_account_without_a_staff_role_is_refused(client_for, org):
    assert client_for(org.citizen).get(reverse("dossiers:box", args=["all"])).status_code == 403


def test_header_shows_the_person_and_their_roles(client_for, org):
    html = client_for(org.desk).get(reverse("dossiers:box", args=["all"])).content.decode()
    assert org.desk.display_name in html
    assert "Cán bộ tiếp nhận — Trung tâm PVHCC tỉnh Thử nghiệm" in html
    assert "Nhập hồ sơ tại quầy" in html
    assert "/i18n/setlang/" in html
    html = client_for(org.specialist).get(reverse("dossiers:box", args=["all"])).content.decode()
    assert "Nhập hồ sơ tại quầy" not in html


# --- counter entry ----------------------------------------------------------------------------

def test_counter_entry_creates_and_accepts_a_dossier(client_for, org):
    desk = client_for(org.desk)
    assert desk.get(reverse("dossiers:counter_new")).status_code == 200
    r = desk.post(reverse("dossiers:counter_new"), counter_data(org))
    dossier = Dossier.objects.get()
    assert r.status_code == 303 and r.url == detail_url(dossier)
    assert dossier.state == State.RECEIVED and dossier.due_at is not None
    docs = {d.name: d for d in dossier.documents.all()}
    assert docs["Tờ khai yêu cầu"].original_seen and docs["Bản chụp CCCD"].copy_kind == "copy"
    html = desk.get(r.url).content.decode()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in html
    assert "Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01)" in html


def test_save_without_accepting_keeps_state_1(client_for, org):
    desk = client_for(org.desk)
    r = desk.post(reverse("dossiers:counter_new"), counter_data(org, submit="save"))
    assert r.status_code == 303
    dossier = Dossier.objects.get()
    assert dossier.state == State.SUBMITTED
    # Form 01 exists only once the dossier is accepted.
    receipt = desk.get(reverse("dossiers:receipt", args=[dossier.code])).content.decode()
    assert "Hồ sơ chưa được tiếp nhận" in receipt


def test_invalid_personal_id_shows_the_error_and_keeps_the_typed_input(client_for, org):
    r = client_for(org.desk).post(reverse("dossiers:counter_new"),
                                  counter_data(org, applicant_id_number="999185004321"))
    assert r.status_code == 422
    html = r.content.decode()
    assert "Thông tin người nộp hồ sơ chưa hợp lệ." in html
    assert "Mã tỉnh nơi đăng ký khai sinh 999 không tồn tại" in html
    assert 'value="Trần Thị Bích"' in html and 'value="999185004321"' in html
    assert 'aria-invalid="true"' in html
    assert not Dossier.objects.exists()


def test_accepting_without_a_mandatory_paper_names_it(client_for, org):
    data = counter_data(org, **{f"doc_{org.doc_id.pk}_received": None})
    r = client_for(org.desk).post(reverse("dossiers:counter_new"), data)
    assert r.status_code == 422
    html = r.content.decode()
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc: Bản chụp CCCD." in html
    assert "Giấy tờ bắt buộc chưa nhận." in html
    assert not Dossier.objects.exists()


def test_counter_entry_is_only_for_the_desk(client_for, org):
    assert client_for(org.specialist).get(reverse("dossiers:counter_new")).status_code == 403


def test_the_same_submission_posted_twice_makes_one_dossier(client_for, org):
    desk = client_for(org.desk)
    data = counter_data(org, idempotency_key="a1b2c3")
    first = desk.post(reverse("dossiers:counter_new"), data)
    second = desk.post(reverse("dossiers:counter_new"), data)
    assert first.url == second.url
    assert Dossier.objects.count() == 1


def test_a_reused_form_gets_a_new_key_instead_of_an_api_error(client_for, org):
    desk = client_for(org.desk)
    desk.post(reverse("dossiers:counter_new"), counter_data(org, idempotency_key="k-1"))
    r = desk.post(reverse("dossiers:counter_new"),
                  counter_data(org, idempotency_key="k-1", applicant_name="Lê Văn An"))
    html = r.content.decode()
    assert r.status_code == 422 and "đã được dùng để lưu một hồ sơ khác" in html
    assert 'value="k-1"' not in html and 'value="Lê Văn An"' in html
    assert Dossier.objects.count() == 1


def test_procedure_picker_and_case_papers_are_htmx_fragments(client_for, org):
    desk = client_for(org.desk)
    r = desk.get(reverse("dossiers:procedure_search"), {"q": "ly lich tu phap"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert org.procedure.name in html
    r = desk.get(reverse("dossiers:variant_options"), {"procedure": org.procedure.pk}, **HTMX)
    html = r.content.decode()
    assert "<html" not in html
    assert "Tờ khai yêu cầu" in html and "Bản chụp CCCD" in html
    assert 'hx-swap-oob="true"' in html
    # The only case is chosen at once, with the catalog's copy kind pre-filled.
    assert f'value="{org.variant.pk}" checked' in html
    assert '<option value="copy" selected>' in html


# --- work lists -------------------------------------------------------------------------------

def test_inbox_opens_the_first_box_with_work(client_for, org, make_dossier):
    dossier = make_dossier()
    desk = client_for(org.desk)
    r = desk.get(reverse("dossiers:inbox"))
    assert r.status_code == 302 and r.url == reverse("dossiers:box", args=["process"])
    html = desk.get(r.url).content.decode()
    assert dossier.code in html and "Trần Thị Bích" in html
    assert "Chờ tiếp nhận" in html and "Chờ trả kết quả" in html and "Tất cả" in html
    assert "Đã tiếp nhận" in html
    # Accepted 02/03/2026 with 3 working days: long past due by now.
    assert "Quá hạn" in html
    assert dossier.due_at is not None
    r = desk.get(reverse("dossiers:inbox"), {"box": "all"})
    assert r.status_code == 200 and dossier.code in r.content.decode()


def test_inbox_queries_do_not_grow_with_the_rows(client_for, org, make_dossier):
    desk = client_for(org.desk)
    url = reverse("dossiers:box", args=["all"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert desk.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_dossier()
    few = queries()
    for _ in range(5):
        make_dossier()
    assert queries() == few


def test_inbox_tab_is_a_fragment_for_htmx(client_for, org, make_dossier):
    make_dossier()
    r = client_for(org.desk).get(reverse("dossiers:box", args=["all"]), **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and 'class="tabs"' in html


def test_unknown_box_is_404(client_for, org):
    assert client_for(org.desk).get(reverse("dossiers:box", args=["nope"])).status_code == 404


def test_due_flags(org, make_dossier):
    dossier = make_dossier(when="2026-03-02 09:00")  # 3 working days: due 05/03 09:00
    assert due_flags([dossier], at("2026-03-02 10:00")) == {}
    assert due_flags([dossier], at("2026-03-04 10:00")) == {dossier.pk: "soon"}
    assert due_flags([dossier], at("2026-03-06 09:00")) == {dossier.pk: "overdue"}


# --- the dossier page and actions -------------------------------------------------------------

def test_full_journey_through_the_pages(client_for, org):
    desk, spec, head = client_for(org.desk), client_for(org.specialist), client_for(org.head)
    desk.post(reverse("dossiers:counter_new"), counter_data(org, submit="save"))
    dossier = Dossier.objects.get()

    html = desk.get(detail_url(dossier)).content.decode()
    assert "Mới đăng ký" in html
    assert act_url(dossier, "accept") in html and act_url(dossier, "refuse") in html
    r = desk.post(act_url(dossier, "accept"))
    assert r.status_code == 303 and r.url == detail_url(dossier)

    r = desk.get(act_url(dossier, "forward"), **HTMX)
    assert r.status_code == 200 and "<html" not in r.content.decode()
    assert f'<option value="{org.specialist.pk}">' in r.content.decode()
    r = desk.post(act_url(dossier, "forward"), {"assignee": org.specialist.pk})
    assert r.status_code == 303
    # The specialist drafts the result; the head signs it through the confirmation page, never
    # through the one-click action (results/drafting.py, docs/results.md).
    draft_url = reverse("results:draft", args=[dossier.code])
    assert spec.post(draft_url, {"title": "Phiếu lý lịch tư pháp", "subject": "Về việc cấp phiếu",
                                 "body": "Không có án tích."}).status_code == 302
    r = spec.post(act_url(dossier, "forward"), {"assignee": org.head.pk}, **HTMX)
    assert r.status_code == 200 and r["HX-Redirect"] == detail_url(dossier)
    r = head.post(act_url(dossier, "approve"))
    assert r.status_code == 303 and r.url == draft_url
    sign_url = reverse("results:draft_sign", args=[dossier.code, 1])
    assert head.post(sign_url, {"confirm": "yes"}).status_code == 302
    assert desk.post(act_url(dossier, "mark_result_ready")).status_code == 303
    r = desk.post(act_url(dossier, "return_result"),
                  {"receiver_method": "desk", "receiver_kind": "applicant",
                   "receiver_name": "Trần Thị Bích", "receiver_paper": "CCCD số 056185004321"},
                  follow=True)
    assert f"Đã trả kết quả hồ sơ {dossier.code}." in r.content.decode()

    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    slip = desk.get(reverse("dossiers:slip", args=[dossier.code])).content.decode()
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in slip
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in slip
    for label in ("Nộp hồ sơ", "Tiếp nhận hồ sơ", "Phê duyệt kết quả",
                  "Kết quả chuyển bộ phận một cửa", "Trả kết quả"):
        assert f"<td>{label}</td>" in slip
    assert slip.count("<td>Chuyển xử lý</td>") == 2
    assert org.specialist.display_name in slip and org.head.display_name in slip

    receipt = desk.get(reverse("dossiers:receipt", args=[dossier.code])).content.decode()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert dossier.code in receipt and "056185004321" in receipt
    assert dossier.original_due_at.astimezone(at("2026-01-01 00:00").tzinfo).strftime(
        "%d/%m/%Y") in receipt
    assert org.desk.display_name in receipt


def test_another_units_officer_gets_404(client_for, org, make_dossier):
    dossier = make_dossier()
    other = client_for(org.other_desk)
    assert other.get(detail_url(dossier)).status_code == 404
    assert other.post(act_url(dossier, "forward")).status_code == 404
    assert other.get(act_url(dossier, "forward")).status_code == 404
    assert other.get(reverse("dossiers:slip", args=[dossier.code])).status_code == 404
    assert other.get(reverse("dossiers:receipt", args=[dossier.code])).status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_an_action_not_allowed_now_shows_an_error_and_changes_nothing(client_for, org,
                                                                       make_dossier):
    dossier = make_dossier()
    events = DossierEvent.objects.filter(dossier=dossier).count()
    desk = client_for(org.desk)
    ready = act_url(dossier, "mark_result_ready")
    assert ready not in desk.get(detail_url(dossier)).content.decode()
    r = desk.post(ready)
    assert r.status_code == 422
    assert ("Không thể “Nhận kết quả tại bộ phận một cửa” khi hồ sơ đang ở trạng thái"
            in r.content.decode())
    r = desk.get(ready, **HTMX)
    assert r.status_code == 409 and "hiện không thực hiện được" in r.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_unknown_action_is_404(client_for, org, make_dossier):
    dossier = make_dossier()
    assert client_for(org.desk).post(act_url(dossier, "explode")).status_code == 404


def test_a_missing_reason_rerenders_the_form_with_the_typed_input(client_for, org,
                                                                   make_dossier):
    dossier = make_dossier(accept=False)
    desk = client_for(org.desk)
    r = desk.post(act_url(dossier, "request_supplement"),
                  {"missing_documents": ["Bản chụp CCCD"], "reason": ""}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422 and "<html" not in html
    assert "Cần ghi rõ lý do." in html
    assert 'value="Bản chụp CCCD" id="id_missing_documents_1" checked' in html
    r = desk.post(act_url(dossier, "request_supplement"),
                  {"missing_documents": ["Bản chụp CCCD"], "reason": "Bản chụp bị mờ"})
    assert r.status_code == 303
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    event = dossier.events.order_by("-seq").first()
    assert event.reason == "Bản chụp bị mờ"
    assert event.data["missing_documents"] == ["Bản chụp CCCD"]


def test_apology_form_sends_the_new_due_moment(client_for, org, make_dossier):
    dossier = make_dossier()
    head = client_for(org.head)
    r = head.get(act_url(dossier, "apologize"))
    assert r.status_code == 200 and 'type="date"' in r.content.decode()
    r = head.post(act_url(dossier, "apologize"),
                  {"new_due_date": "2026-03-01", "new_due_time": "10:00", "reason": "Chậm"})
    assert r.status_code == 422
    assert "Ngày hẹn trả mới phải sau ngày hẹn hiện tại." in r.content.decode()
    assert "Chậm</textarea>" in r.content.decode()
    r = head.post(act_url(dossier, "apologize"),
                  {"new_due_date": "2026-03-20", "new_due_time": "10:00", "reason": "Chậm"})
    assert r.status_code == 303
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-20 10:00") and dossier.apology_count == 1
    html = head.get(detail_url(dossier)).content.decode()
    assert "20/03/2026 10:00" in html and "Hẹn ban đầu" in html


def test_payment_request_sends_the_amount(client_for, org, make_dossier):
    dossier = make_dossier()
    client_for(org.desk).post(act_url(dossier, "forward"), {"assignee": org.specialist.pk})
    r = client_for(org.specialist).post(act_url(dossier, "request_payment"), {"amount": "200000"})
    assert r.status_code == 303
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_PAYMENT
    assert dossier.events.order_by("-seq").first().data["amount"] == 200000


def test_an_amount_past_the_money_column_is_refused_with_the_typed_reason_kept(
        client_for, org, make_dossier):
    # Fuzzing found it: 10^30 đồng passed the form and the service and the database refused
    # the payment's row (OverflowError under SQLite, out of range under PostgreSQL), a 500.
    from rest_framework.test import APIClient

    dossier = make_dossier()
    client_for(org.desk).post(act_url(dossier, "forward"), {"assignee": org.specialist.pk})
    specialist = client_for(org.specialist)
    specialist.raise_request_exception = False
    r = specialist.post(act_url(dossier, "request_payment"),
                        {"amount": str(10**30), "reason": "Phí thẩm định"})
    assert r.status_code == 422
    assert "9223372036854775807" in r.content.decode() and str(10**30) in r.content.decode()
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(org.specialist)
    r = api.post(f"/api/v1/dossiers/{dossier.code}/actions/request_payment/",
                 {"data": {"amount": 10**30}}, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"] == {
        "amount": ["Giá trị không hợp lệ."]}
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


def test_register_lists_the_units_dossiers_of_the_period(client_for, org, make_dossier):
    inside = make_dossier(when="2026-03-02 09:00")
    make_dossier(when="2026-04-01 09:00")
    desk = client_for(org.desk)
    r = desk.get(reverse("dossiers:register"), {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "SỔ THEO DÕI HỒ SƠ" in body and "(Mẫu số 06)" in body
    assert body.count("<tr>") == 2  # the header row and the one dossier of March
    assert inside.code in body and "Trần Thị Bích" in body


def test_register_rejects_a_bad_date_with_a_message(client_for, org):
    r = client_for(org.desk).get(reverse("dossiers:register"), {"tu-ngay": "31/02/2026"})
    assert r.status_code == 200
    assert "không hợp lệ" in r.content.decode()


@pytest.mark.parametrize("period", [{"den-ngay": "9999-12-31"}, {"tu-ngay": "0001-01-01"},
                                    {"tu-ngay": "9999-12-31", "den-ngay": "9999-12-31"}])
def test_register_at_the_ends_of_the_calendar_names_the_years_not_a_500(client_for, org,
                                                                        period):
    # Fuzzing found it: the day after 31/12/9999 overflowed Python's date (OverflowError).
    desk = client_for(org.desk)
    desk.raise_request_exception = False
    for url in (reverse("dossiers:register"), reverse("dossiers:register_xlsx")):
        r = desk.get(url, period)
        assert r.status_code == 200
    html = desk.get(reverse("dossiers:register"), period).content.decode()
    assert "dùng dạng năm-tháng-ngày, từ năm 1900 đến năm 2100" in html


def test_register_shows_only_the_desks_own_units(client_for, org, make_dossier):
    make_dossier(when="2026-03-02 09:00")
    r = client_for(org.other_desk).get(reverse("dossiers:register"),
                                       {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"})
    assert "Không có hồ sơ nào" in r.content.decode()
