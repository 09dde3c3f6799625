"""The result as offices make it (issue #16): the specialist drafts it from the procedure's
template, previews the PDF marked "DỰ THẢO", the head sends it back with a comment, the specialist
redrafts, the head signs through a confirmation naming what is signed, and the desk hands it
over, recording who took it and the paper they showed (Form 05 shows it)."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from e2e.steps import act, draft_result, field

pytestmark = pytest.mark.browser

PROCEDURE = "3.000333"  # Cấp Phiếu Lý lịch tư pháp: desk → Sở Tư pháp specialist → head


def _dossier_at_the_specialist() -> str:
    """A dossier received at the centre's desk and forwarded to the Department's specialist
    (the counter journey walks that part through the pages)."""
    from accounts.models import Unit, User
    from catalog.models import Procedure
    from dossiers.services import dossier_act, dossier_create

    variant = Procedure.objects.get(code=PROCEDURE).variants.first()
    desk = User.objects.get(username="tiepnhan")
    dossier, _ = dossier_create(
        actor=desk, variant=variant, channel=1,
        receiving_unit=Unit.objects.get(code="000.00.12.H56"),
        applicant={"kind": 1, "name": "Đỗ Thị Hồng", "id_number": "056195004455",
                   "address": "8 Lê Thánh Tôn, phường Nha Trang"},
        documents=[{"required_document": d.pk} for d in variant.documents.all()], accept=True)
    dossier_act(dossier=dossier, actor=desk, action="forward",
                data={"assignee": User.objects.get(username="chuyenvien.tp").pk})
    return dossier.code


def _pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()


def test_draft_preview_send_back_redraft_sign_and_hand_over(people, site, shot) -> None:
    code = _dossier_at_the_specialist()

    # 1. The specialist drafts from the template, the dossier's data filled in.
    specialist = people("chuyenvien.tp")
    specialist.goto(site(f"/ho-so/{code}/"))
    specialist.get_by_role("link", name="Soạn dự thảo kết quả").click()
    expect(field(specialist, "Nội dung")).to_have_value(re.compile("Đỗ Thị Hồng"))
    field(specialist, "Trích yếu nội dung").fill("Về việc cấp Phiếu lý lịch tư pháp")
    shot(specialist, "draft-form")
    specialist.get_by_role("button", name="Lưu dự thảo").click()
    expect(specialist.locator(".message--success")).to_contain_text("phiên bản 1")

    # 2. The preview is the PDF that will be issued, marked DỰ THẢO, number still to assign.
    href = specialist.locator("#preview-link").get_attribute("href")
    preview = specialist.context.request.get(site(href), headers={"Referer": specialist.url})
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    text = _pdf_text(preview.body())
    assert "Số: …/" in text and "Về việc cấp Phiếu lý lịch tư pháp" in text
    assert "KT. GIÁM ĐỐC" in text  # the demo head's signature block (Decree 30/2020)
    specialist.goto(site(f"/ho-so/{code}/"))
    act(specialist, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ",
        choose={"Người nhận tại Sở Tư pháp": "Lê Hoàng Nam"})

    # 3. The head reads it and sends it back with a comment; there is no one-click approval.
    head = people("lanhdao.tp")
    head.goto(site(f"/ho-so/{code}/"))
    expect(head.get_by_role("button", name="Phê duyệt kết quả")).to_have_count(0)
    head.get_by_role("link", name="Xem dự thảo và ký kết quả").click()
    field(head, "Ý kiến gửi chuyên viên").fill("Ghi rõ số phiếu trong trích yếu.")
    head.get_by_role("button", name="Trả lại dự thảo").click()
    expect(head.locator(".message--success")).to_contain_text("Đã trả lại dự thảo")
    shot(head, "sent-back")

    # 4. The specialist sees the comment and redrafts.
    specialist.goto(site(f"/ho-so/{code}/"))
    expect(specialist.locator("body")).to_contain_text("Ghi rõ số phiếu trong trích yếu.")
    specialist.get_by_role("link", name="Soạn dự thảo kết quả").click()
    expect(specialist.locator("#review-comment")).to_contain_text("Ghi rõ số phiếu")
    draft_result(specialist, site.url, code,
                 subject="Về việc cấp Phiếu lý lịch tư pháp số 1 cho bà Đỗ Thị Hồng")
    act(specialist, "Chuyển bước tiếp theo", "Đã chuyển hồ sơ",
        choose={"Người nhận tại Sở Tư pháp": "Lê Hoàng Nam"})

    # 5. The head signs through the confirmation page, which names what is signed.
    head.goto(site(f"/ho-so/{code}/"))
    head.get_by_role("link", name="Xem dự thảo và ký kết quả").click()
    head.get_by_role("link", name="Ký ban hành…").click()
    facts = head.locator("#signing-facts")
    for shown in (code, "Về việc cấp Phiếu lý lịch tư pháp số 1", "Lê Hoàng Nam",
                  "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Chứng thư số lưu trên máy chủ"):
        expect(facts).to_contain_text(shown)
    expect(facts).to_contain_text(re.compile(r"Số: …/\w+-\w+"))
    shot(head, "confirmation")
    head.get_by_role("button", name="Ký số và ban hành").click()  # not ticked: refused
    expect(head.locator(".alert--error")).to_contain_text("xác nhận")
    head.get_by_label(re.compile("Tôi đã đọc và đồng ý ký ban hành")).check()
    head.get_by_role("button", name="Ký số và ban hành").click()
    expect(head.locator(".message--success")).to_contain_text("Đã ký ban hành")
    expect(head.locator(".badge--state")).to_have_text("Đã có kết quả")
    issued = head.get_by_role("link", name=re.compile(r"^Tải kết quả")).first
    response = head.context.request.get(site(issued.get_attribute("href")),
                                        headers={"Referer": head.url})
    text = _pdf_text(response.body())
    assert "DỰ THẢO" not in text and "số 1 cho bà Đỗ Thị Hồng" in text
    assert re.search(r"Số: 1/\w+-\w+", text), text[:400]

    # 6. The desk hands the result to an authorised person and records who and which paper.
    desk = people("tiepnhan")
    desk.goto(site(f"/ho-so/{code}/"))
    row = desk.locator("section[aria-labelledby=actions-title] .button-row").first
    row.get_by_role("link", name="Trả kết quả", exact=True).click()
    desk.get_by_label("Nhận trực tiếp tại bộ phận một cửa").check()
    desk.get_by_label("Người được ủy quyền").check()
    field(desk, "Họ và tên người nhận").fill("Đỗ Văn Khánh")
    field(desk, "Giấy tờ người nhận xuất trình (loại và số)").fill(
        "CCCD số 056090007788, giấy ủy quyền ngày 05/12/2026")
    shot(desk, "hand-over")
    desk.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    expect(desk.locator(".message--success")).to_contain_text("Đã trả kết quả")
    desk.get_by_role("link", name="Phiếu kiểm soát quá trình (Mẫu 05)").click()
    slip = desk.locator("table").first
    expect(slip).to_contain_text("Đỗ Văn Khánh (người được ủy quyền)")
    expect(slip).to_contain_text("giấy ủy quyền ngày 05/12/2026")
    expect(slip).to_contain_text("Dự thảo kết quả")
    shot(desk, "control-slip")
