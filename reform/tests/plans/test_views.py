"""The plan pages: who sees what, forms that keep the input on refusal, the public page."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from dossiers.tests import files
from reform.models import Directive, Evidence, Task
from reform.services.directives import directive_create
from reform.services.plan_import import template_xlsx
from reform.services.tasks import evidence_add_file, task_progress_update, task_submit
from reform.tests.plans.test_plan_import import xlsx


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_unit_sees_only_its_tasks_on_the_plan_page_and_not_the_others(world):
    c = login(world.justice_staff)
    body = c.get(f"/cai-cach/ke-hoach/{world.plan.pk}/").content.decode()
    assert world.justice_task.title in body and world.finance_task.title not in body
    assert c.get(f"/cai-cach/nhiem-vu/{world.finance_task.pk}/").status_code == 404
    r = c.post(f"/cai-cach/nhiem-vu/{world.finance_task.pk}/tien-do/",
               {"progress": 50, "note": "x"})
    assert r.status_code == 404
    world.finance_task.refresh_from_db()
    assert world.finance_task.progress == 0
    # The report is the officer's and the leaders'.
    assert c.get(f"/cai-cach/ke-hoach/{world.plan.pk}/bao-cao/").status_code == 403
    # A member of a unit with no task in the plan does not find the plan at all.
    other = login(world.finance_staff)
    Task.objects.filter(lead_unit=world.finance).delete()
    assert other.get(f"/cai-cach/ke-hoach/{world.plan.pk}/").status_code == 404


def test_the_unit_updates_progress_and_a_refusal_keeps_the_note(world):
    c = login(world.justice_staff)
    url = f"/cai-cach/nhiem-vu/{world.justice_task.pk}/"
    r = c.post(url + "tien-do/", {"progress": 150, "note": "Ghi chú đã gõ"})
    assert r.status_code == 422
    body = r.content.decode()
    assert "Ghi chú đã gõ" in body
    r = c.post(url + "tien-do/", {"progress": 40, "note": "Đã rà soát"})
    assert r.status_code == 303
    r = c.post(url + "minh-chung/", {"title": "Quyết định",
                                     "file": SimpleUploadedFile("qd.pdf", files.PDF)})
    assert r.status_code == 303
    evidence = Evidence.objects.get(task=world.justice_task)
    _assert_protected(c.get(f"/cai-cach/minh-chung/{evidence.pk}/tep/"))
    assert login(world.finance_staff).get(
        f"/cai-cach/minh-chung/{evidence.pk}/tep/").status_code == 404
    r = c.post(url + "minh-chung/", {"title": "Hai loại", "url": "https://a.vn",
                                     "uid": "abc"})
    assert r.status_code == 422 and "Chọn đúng một loại minh chứng" in r.content.decode()
    assert c.post(url + "hoan-thanh/", {"note": "Xong"}).status_code == 303
    world.justice_task.refresh_from_db()
    assert world.justice_task.status == Task.Status.SUBMITTED


def test_the_officer_accepts_or_returns_through_the_page(world):
    evidence_add_file(actor=world.justice_staff, task=world.justice_task, title="QĐ",
                      name="qd.pdf", data=files.PDF)
    task_submit(actor=world.justice_staff, task=world.justice_task, note="Xong")
    c = login(world.officer)
    url = f"/cai-cach/nhiem-vu/{world.justice_task.pk}/"
    assert "Nghiệm thu" in c.get(url).content.decode()
    r = c.post(url + "tra-lai/", {"reason": ""})
    assert r.status_code == 422 and "Lý do trả lại" in r.content.decode()
    assert c.post(url + "tra-lai/", {"reason": "Thiếu quyết định"}).status_code == 303
    world.justice_task.refresh_from_db()
    assert world.justice_task.status == Task.Status.RETURNED
    task_submit(actor=world.justice_staff, task=world.justice_task, note="Đã bổ sung")
    # The unit cannot accept its own task.
    assert login(world.justice_head).post(url + "nghiem-thu/", {}).status_code == 403
    assert c.post(url + "nghiem-thu/", {"note": "Đạt"}).status_code == 303
    world.justice_task.refresh_from_db()
    assert world.justice_task.status == Task.Status.ACCEPTED
    history = c.get(url).content.decode()
    assert "Thiếu quyết định" in history and "Đã bổ sung" in history


def test_import_page_shows_every_row_error_and_imports_nothing(world):
    c = login(world.officer)
    before = Task.objects.count()
    bad = xlsx([["1", "Cải cách thể chế", "Việc", "", "Sở Không Có", "", "", 1]])
    r = c.post(f"/cai-cach/ke-hoach/{world.plan.pk}/nhap-excel/",
               {"file": SimpleUploadedFile("sai.xlsx", bad)})
    assert r.status_code == 422
    body = r.content.decode()
    assert "Tệp có 1 lỗi, chưa nhập nhiệm vụ nào." in body
    assert "Dòng 2, cột “Đơn vị chủ trì”: không tìm thấy đơn vị “Sở Không Có”" in body
    assert Task.objects.count() == before
    r = c.post(f"/cai-cach/ke-hoach/{world.plan.pk}/nhap-excel/",
               {"file": SimpleUploadedFile("mau.xlsx", template_xlsx(year=2026))})
    assert r.status_code == 303 and Task.objects.count() == before + 2
    template = c.get("/cai-cach/ke-hoach/mau-phu-luc.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).worksheets[0]["C1"].value == \
        "Nội dung nhiệm vụ"
    # A unit may not import.
    r = login(world.justice_head).post(f"/cai-cach/ke-hoach/{world.justice_task.plan_id}"
                                       "/nhap-excel/",
                                       {"file": SimpleUploadedFile("mau.xlsx", template_xlsx())})
    assert r.status_code == 403


def test_the_officer_creates_a_plan_and_adds_a_task_by_hand(world):
    c = login(world.officer)
    r = c.post("/cai-cach/ke-hoach/", {"unit": world.province.pk, "year": 2026,
                                       "title": "Trùng năm", "decision_number": "1/QĐ",
                                       "decision_date": "2026-01-02"})
    assert r.status_code == 422 and "đã có kế hoạch năm 2026" in r.content.decode()
    r = c.post("/cai-cach/ke-hoach/", {"unit": world.province.pk, "year": 2027,
                                       "title": "Kế hoạch CCHC năm 2027",
                                       "decision_number": "9/QĐ-UBND",
                                       "decision_date": "2026-12-20"})
    assert r.status_code == 303
    plan_url = r["Location"]
    r = c.post(plan_url + "nhiem-vu/", {"title": "Số hóa", "area": "digital", "number": "1",
                                        "lead_unit": world.justice.pk, "weight": "2",
                                        "deadline": "2027-03-31"})
    assert r.status_code == 303
    task = Task.objects.get(title="Số hóa")
    r = c.post(plan_url + "nhiem-vu/", {"title": "Con", "parent": "9",
                                        "lead_unit": world.finance.pk, "weight": "1"})
    assert r.status_code == 422 and "Kế hoạch không có nhiệm vụ số “9”." in r.content.decode()
    r = c.post(plan_url + "nhiem-vu/", {"title": "Con", "parent": "1", "number": "1.1",
                                        "lead_unit": world.finance.pk, "weight": "1"})
    assert r.status_code == 303
    assert Task.objects.get(title="Con").area == "digital"
    assert Task.objects.get(title="Con").parent == task
    assert login(world.justice_staff).post("/cai-cach/ke-hoach/", {}).status_code == 403


def test_report_page_and_files_carry_the_counts(world):
    task_progress_update(actor=world.justice_staff, task=world.justice_task, progress=30,
                         note="x")
    directive_create(actor=world.officer, number="01/CT-UBND", date_issued=date(2026, 1, 5),
                     issuer="UBND tỉnh", kind=Directive.Kind.DIRECTIVE,
                     summary="Đẩy mạnh CCHC")
    c = login(world.leader)
    r = c.get(f"/cai-cach/ke-hoach/{world.plan.pk}/bao-cao/?ky=nam&nam=2026")
    assert r.status_code == 200
    r = c.get(f"/cai-cach/ke-hoach/{world.plan.pk}/bao-cao.xlsx?ky=nam&nam=2026")
    book = load_workbook(io.BytesIO(r.content))
    summary = [row for row in book["Tổng hợp"].iter_rows(values_only=True)]
    assert any(row[1] == "Văn bản chỉ đạo, điều hành CCHC ban hành trong năm (đến ngày báo cáo)"
               and row[2] == 1 for row in summary)
    r = c.get(f"/cai-cach/ke-hoach/{world.plan.pk}/bao-cao.pdf?ky=quy&so=2&nam=2026")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    # Built on the fly, handed out as every stored file is (motcua.downloads): an attachment
    # whose type is never guessed, kept in no shared cache (it names officers and units).
    assert r["Content-Disposition"] == 'attachment; filename="bao-cao-cchc-2026-quy-2.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Cache-Control"] == "private, no-store"
    assert "sandbox" in r["Content-Security-Policy"]


def test_the_public_page_shows_progress_without_personal_data(world):
    world.justice_staff.full_name = "Nguyễn Văn Riêng Tư"
    world.justice_staff.save()
    task_progress_update(actor=world.justice_staff, task=world.justice_task, progress=40,
                         note="Ghi chú nội bộ bí mật")
    evidence_add_file(actor=world.justice_staff, task=world.justice_task, title="Tệp nội bộ",
                      name="noi-bo.pdf", data=files.PDF)
    body = Client().get(f"/cai-cach/cong-khai/ke-hoach/{world.plan.pk}/").content.decode()
    assert world.justice_task.title in body and "Sở Tư pháp tỉnh Thử nghiệm" in body
    assert "40.0%" in body or "40,0%" in body
    for private in ("Nguyễn Văn Riêng Tư", "Ghi chú nội bộ bí mật", "Tệp nội bộ", "noi-bo.pdf",
                    world.officer.username, world.justice_staff.username):
        assert private not in body
    assert Client().get("/cai-cach/cong-khai/ke-hoach/").status_code == 200
    assert Client().get("/cai-cach/cong-khai/ke-hoach/999999/").status_code == 404
    # Anonymous people get the login page for everything else.
    assert Client().get(f"/cai-cach/ke-hoach/{world.plan.pk}/").status_code == 302


def test_the_directive_register(world):
    c = login(world.officer)
    r = c.post("/cai-cach/van-ban-chi-dao/", {"number": "", "date": "2026-02-01",
                                              "issuer": "UBND tỉnh", "kind": "plan",
                                              "summary": "Tóm tắt đã gõ"})
    assert r.status_code == 422 and "Tóm tắt đã gõ" in r.content.decode()
    r = c.post("/cai-cach/van-ban-chi-dao/", {
        "number": "15/KH-UBND", "date": "2026-02-01", "issuer": "UBND tỉnh", "kind": "plan",
        "summary": "Kế hoạch tuyên truyền CCHC", "file": SimpleUploadedFile("kh.pdf", files.PDF)})
    assert r.status_code == 303
    d = Directive.objects.get(number="15/KH-UBND")
    assert d.content_type == "application/pdf"
    _assert_protected(login(world.justice_staff).get(f"/cai-cach/van-ban-chi-dao/{d.pk}/tep/"))
    r = c.post("/cai-cach/van-ban-chi-dao/", {
        "number": "16/KH", "date": "2026-02-01", "issuer": "UBND tỉnh", "kind": "plan",
        "summary": "Ảnh", "file": SimpleUploadedFile("a.png", files.image("PNG"))})
    assert r.status_code == 422 and "chỉ nhận PDF hoặc DOCX" in r.content.decode()
    r = c.post(f"/cai-cach/nhiem-vu/{world.justice_task.pk}/lien-ket/",
               {"procedures": "9.999999", "directives": [d.pk]})
    assert r.status_code == 422 and "9.999999" in r.content.decode()
    r = c.post(f"/cai-cach/nhiem-vu/{world.justice_task.pk}/lien-ket/",
               {"procedures": "", "directives": [d.pk]})
    assert r.status_code == 303
    assert list(world.justice_task.directives.all()) == [d]


def test_the_directive_list_of_the_link_form_is_django_s_select_written_faster(world):
    """ListSelectMultiple writes the same <select> as Django's template-rendered one."""
    import re
    from datetime import date

    from django import forms as django_forms

    from reform.forms.plans import LinkForm
    from reform.models import Directive

    made = [Directive.objects.create(number=f"{i}/CT-UBND <b>&", date=date(2026, 3, i + 1),
                                     issuer="UBND tỉnh", kind=Directive.Kind.DIRECTIVE,
                                     summary=f"Chỉ thị <số> {i} & “trích yếu”",
                                     created_by=world.officer) for i in range(3)]
    form = LinkForm(year=2026, initial={"directives": [made[1].pk]}, auto_id="links-%s")
    ours = str(form["directives"])
    field = form.fields["directives"]
    field.widget = django_forms.SelectMultiple(choices=field.widget.choices)
    theirs = str(form["directives"])
    assert ours == re.sub(r">\s+<", "><", theirs)
    assert ours.count("<option") == 3 and ours.count(" selected") == 1
    assert "0/CT-UBND &lt;b&gt;&amp; (01/03/2026)" in ours and "multiple" in ours
    assert 'id="links-directives"' in ours


def _assert_protected(response) -> None:
    """An uploaded file comes back as every download does (motcua/downloads.py)."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
