"""Drafting, the head's send-back and the signing confirmation (results/drafting.py, issue #16)."""

import re
import subprocess
from collections import Counter

import pytest

from accounts.models import PersonalDataAccess
from dossiers.models import State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from motcua.errors import DomainError
from results.drafting import draft_preview, draft_save, draft_sign
from results.models import ResultDraft, SignatureBlock, StoredDocument
from results.signature_blocks import authority_lines
from results.tests.conftest import UPLOADED_TEXT, pdfsig_valid, uploaded_pdf

DOCX_HEAD = b"PK"


@pytest.fixture
def at_specialist(org, make_dossier):
    """A dossier at the specialist's step (the default 4-step plan)."""
    def make():
        d = make_dossier()
        return dossier_act(dossier=d, actor=org.desk, action="forward",
                           data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
    return make


def _uploaded_draft(org, dossier, client_for):
    """The specialist drafts `dossier`'s result by uploading a two-page PDF; (dossier, the
    draft page's URL)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/du-thao-ket-qua/{dossier.code}/"
    upload = SimpleUploadedFile("phieu.pdf", uploaded_pdf(pages=2))
    assert client_for(org.specialist).post(url, {
        "title": "Phiếu lý lịch tư pháp số 1", "subject": "Về việc cấp phiếu",
        "body": "Văn bản đính kèm.", "recipients": "", "upload": upload}).status_code == 302
    return dossier, url


def _to_head(org, dossier, when="2026-03-03 09:00"):
    return dossier_act(dossier=dossier, actor=org.specialist, action="forward",
                       data={"assignee": org.head.pk}, at=at(when))


def _text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def _draft(org, dossier, **values):
    base = {"title": "Phiếu lý lịch tư pháp số 1", "subject": "Về việc cấp Phiếu lý lịch tư pháp",
            "body": "Trích từ cơ sở dữ liệu lý lịch tư pháp:\nKhông có án tích.",
            "recipients": "- Bà Trần Thị Bích;\n- Lưu: VT."}
    return draft_save(dossier=dossier, actor=org.specialist, values={**base, **values},
                      at=at("2026-03-02 15:00"))


def test_the_heads_approve_never_signs_in_one_click(signing, org, at_specialist, client_for):
    dossier = _to_head(org, at_specialist())
    response = client_for(org.head).post(f"/ho-so/{dossier.code}/thao-tac/approve/",
                                         {"reason": ""})
    assert response.status_code == 303
    assert response["Location"] == f"/du-thao-ket-qua/{dossier.code}/"
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not StoredDocument.objects.filter(dossier=dossier).exists()
    # The dossier page offers the draft and the confirmation, not a one-click button.
    page = client_for(org.head).get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/du-thao-ket-qua/{dossier.code}/" in page
    assert "thao-tac/approve/" not in page


def test_draft_send_back_redraft_and_sign_with_confirmation(signing, org, at_specialist,
                                                            client_for):
    dossier = at_specialist()
    specialist, head = client_for(org.specialist), client_for(org.head)
    url = f"/du-thao-ket-qua/{dossier.code}/"
    # The form starts from the procedure's template with the dossier's data filled in.
    form = specialist.get(url).content.decode()
    assert "Trần Thị Bích" in form and dossier.code in form
    # A missing subject is refused with the field named, and what was typed stays.
    answer = specialist.post(url, {"title": "Phiếu lý lịch tư pháp", "subject": "",
                                   "body": "Nội dung đã gõ", "recipients": ""})
    assert answer.status_code == 422
    assert "Nội dung đã gõ" in answer.content.decode()
    assert not ResultDraft.objects.exists()
    answer = specialist.post(url, {"title": "Phiếu lý lịch tư pháp", "subject": "Về việc cấp phiếu",
                                   "body": "Không có án tích.", "recipients": "- Lưu: VT."})
    assert answer.status_code == 302
    first = ResultDraft.objects.get(dossier=dossier)
    assert first.version == 1 and first.author == org.specialist
    assert dossier.events.filter(action="result_draft", data__version=1).exists()
    # The head cannot draft; the specialist cannot sign.
    assert head.post(url, {"title": "x", "subject": "y", "body": "z"}).status_code in (403, 404)
    assert specialist.get(f"{url}1/ky/").status_code == 404

    dossier = _to_head(org, dossier)
    answer = head.post(f"{url}1/tra-lai/", {"comment": "Sửa trích yếu: ghi rõ số phiếu."})
    assert answer.status_code == 302
    dossier.refresh_from_db()
    first.refresh_from_db()
    assert first.status == ResultDraft.Status.RETURNED
    assert first.review_comment == "Sửa trích yếu: ghi rõ số phiếu."
    assert dossier.current_step.role == "specialist" and dossier.state == State.PROCESSING
    back = dossier.events.filter(action="return_step").last()
    assert "Sửa trích yếu: ghi rõ số phiếu." in back.reason
    # The specialist sees the comment and redrafts.
    assert "Sửa trích yếu: ghi rõ số phiếu." in specialist.get(url).content.decode()
    specialist.post(url, {"title": "Phiếu lý lịch tư pháp", "subject": "Về việc cấp phiếu số 1",
                          "body": "Không có án tích.", "recipients": "- Lưu: VT."})
    second = ResultDraft.objects.get(dossier=dossier, version=2)
    dossier = _to_head(org, dossier, "2026-03-03 10:00")

    # The returned version cannot be signed; the confirmation page names what is signed.
    assert head.post(f"{url}1/ky/", {"confirm": "yes"}).status_code == 422
    page = head.get(f"{url}2/ky/").content.decode()
    facts = page[page.index('id="signing-facts"'):page.index("</dl>")]
    for shown in ("…/TL-STPTTN", "Về việc cấp phiếu số 1", dossier.code, org.head.display_name,
                  "<strong>LÃNH ĐẠO</strong>", "Sở Tư pháp tỉnh Thử nghiệm",
                  "Chứng thư số lưu trên máy chủ"):
        assert shown in facts
    # Without the tick nothing is signed.
    assert head.post(f"{url}2/ky/", {}).status_code == 422
    assert not StoredDocument.objects.filter(dossier=dossier).exists()
    assert head.post(f"{url}2/ky/", {"confirm": "yes"}).status_code == 302
    dossier.refresh_from_db()
    second.refresh_from_db()
    assert dossier.state == State.DECIDED
    assert second.status == ResultDraft.Status.SIGNED
    assert second.stored.document_number == "1/TL-STPTTN"
    assert dossier.events.get(action="approve").data["result_draft"] == second.pk
    with second.stored.file.open("rb") as f:
        issued = _text(f.read())
    assert "Về việc cấp phiếu số 1" in issued and "Nơi nhận:" in issued


def test_the_preview_is_the_issued_layout(signing, org, at_specialist):
    dossier = at_specialist()
    draft = _draft(org, dossier)
    dossier = _to_head(org, dossier)
    when = at("2026-03-03 15:00")
    preview = draft_preview(draft=draft, viewer=org.head, at=when)
    draft_sign(draft=draft, actor=org.head, confirmed=True, at=when)
    draft.refresh_from_db()
    with draft.stored.file.open("rb") as f:
        issued = f.read()
    preview_text, issued_text = _text(preview), _text(issued)

    def mark(text: str) -> Counter:
        # The mark is drawn across the page: pdftotext gives its letters one a line.
        return Counter(line.strip() for line in text.splitlines() if len(line.strip()) == 1)

    assert mark(preview_text) >= Counter("DỰTHẢO") and not mark(issued_text)
    assert "Số: …/TL-STPTTN" in preview_text and "Số: 1/TL-STPTTN" in issued_text

    def normalised(text: str) -> list[str]:
        text = re.sub(r"Số: \S+/TL-STPTTN", "Số: N", text)
        text = re.sub(r"Mã xác thực: .*", "Mã xác thực: U", text)
        text = re.sub(r"Kiểm tra chữ ký số.*?(?=Mã kết quả)", "", text, flags=re.S)
        return [" ".join(line.split()) for line in text.splitlines()
                if len(line.strip()) > 1]

    assert normalised(preview_text) == normalised(issued_text)
    assert preview_text.count("\f") == issued_text.count("\f")


@pytest.mark.parametrize(("authority", "behalf", "title", "lines"), [
    ("", "", "Giám đốc", ("GIÁM ĐỐC",)),
    ("KT", "Giám đốc", "Phó Giám đốc", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("TM", "Ủy ban nhân dân", "Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ("Q", "Giám đốc", "Phó Giám đốc", ("Q. GIÁM ĐỐC",)),
    ("TL", "Giám đốc", "Chánh Văn phòng", ("TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")),
    ("TUQ", "Chủ tịch", "Giám đốc Sở Tư pháp", ("TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ TƯ PHÁP")),
])
def test_signature_block_text_for_each_form(authority, behalf, title, lines):
    assert authority_lines(authority=authority, on_behalf_of=behalf, signer_title=title) == lines


def test_a_deputy_of_a_collective_body_signs_for_its_chair():
    # Decree 30/2020 art. 13(2): a People's Committee's vice-chair signs for the chair.
    assert authority_lines(authority="KT", on_behalf_of="Chủ tịch", signer_title="Phó Chủ tịch",
                           collective="Ủy ban nhân dân") == (
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_the_issued_result_carries_the_configured_block(signing, org, at_specialist):
    SignatureBlock.objects.create(unit=org.dept, signer=org.head, authority="KT",
                                  on_behalf_of="Giám đốc", signer_title="Phó Giám đốc",
                                  number_symbol="STP")
    dossier = at_specialist()
    draft = _draft(org, dossier)
    _to_head(org, dossier)
    draft_sign(draft=draft, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    draft.refresh_from_db()
    with draft.stored.file.open("rb") as f:
        text = _text(f.read())
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text
    assert "Số: 1/TL-STP" in text and draft.stored.document_number == "1/TL-STP"
    assert draft.stored.signer_title == "Phó Giám đốc"


@pytest.mark.django_db
def test_a_block_under_one_version_is_made_once_and_again_for_new_names(org):
    """Under one reference version a worker makes what a signer's block prints once and gives it
    to every approval (issue #18), and makes it again when the unit's or the signer's names it
    prints changed (a renaming moves no version) or the version moved."""
    from results import signature_blocks

    SignatureBlock.objects.create(unit=org.dept, signer=org.head, authority="KT",
                                  on_behalf_of="Giám đốc", signer_title="Phó Giám đốc")
    first = signature_blocks.signature_block_for(unit=org.dept, signer=org.head, version=1)
    assert signature_blocks.signature_block_for(unit=org.dept, signer=org.head,
                                                version=1) is first
    org.head.full_name = "Nguyễn Văn Mới"
    renamed = signature_blocks.signature_block_for(unit=org.dept, signer=org.head, version=1)
    assert renamed.name == "Nguyễn Văn Mới" and renamed.lines == first.lines
    org.dept.short_name = "Sở Tư pháp"
    assert signature_blocks.signature_block_for(unit=org.dept, signer=org.head,
                                                version=1).symbol == "STP"
    SignatureBlock.objects.filter(signer=org.head).update(number_symbol="TP")
    assert signature_blocks.signature_block_for(unit=org.dept, signer=org.head,
                                                version=2).symbol == "TP"
    # Without a block, the head signing in person: made once too, and again for a new title.
    alone = signature_blocks.signature_block_for(unit=org.centre, signer=org.head, version=2)
    assert signature_blocks.signature_block_for(unit=org.centre, signer=org.head,
                                                version=2) is alone
    org.head.title = "Giám đốc"
    assert signature_blocks.signature_block_for(unit=org.centre, signer=org.head,
                                                version=2).lines == ("GIÁM ĐỐC",)


def test_an_approval_that_skips_the_latest_draft_is_refused(signing, org, at_specialist):
    dossier = at_specialist()
    _draft(org, dossier)
    dossier = _to_head(org, dossier)
    with pytest.raises(DomainError):
        dossier_act(dossier=dossier, actor=org.head, action="approve", at=at("2026-03-03 15:00"))
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not StoredDocument.objects.filter(dossier=dossier).exists()


def test_an_uploaded_draft_is_checked_and_kept(signing, org, at_specialist, client_for,
                                               monkeypatch):
    from dossiers.tests.files import docx as docx_bytes

    dossier = at_specialist()
    url = f"/du-thao-ket-qua/{dossier.code}/"
    fields = {"title": "Phiếu lý lịch tư pháp", "subject": "Về việc cấp phiếu",
              "body": "Không có án tích.", "recipients": ""}
    specialist = client_for(org.specialist)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("du-thao.docx", b"MZ\x90\x00 not a document")
    answer = specialist.post(url, {**fields, "upload": bad})
    assert answer.status_code == 422 and "du-thao.docx" in answer.content.decode()
    # Without LibreOffice a DOCX cannot be issued as it is: the specialist is asked for a PDF.
    monkeypatch.setattr("results.uploaded.soffice_path", lambda: None)
    docx = SimpleUploadedFile("du-thao.docx", docx_bytes())
    answer = specialist.post(url, {**fields, "upload": docx})
    assert answer.status_code == 422 and not ResultDraft.objects.exists()
    assert "chưa cài LibreOffice" in answer.content.decode()
    assert "tải lên tệp PDF" in answer.content.decode()
    # A valid file beside a text to correct is kept: the second post needs no file again.
    good = SimpleUploadedFile("Dự thảo phiếu.pdf", uploaded_pdf())
    answer = specialist.post(url, {**fields, "subject": "", "upload": good})
    assert answer.status_code == 422 and not ResultDraft.objects.exists()
    page = answer.content.decode()
    assert 'id="kept-upload"' in page
    token = re.search(r'name="giu_tep" value="([^"]+)"', page).group(1)
    assert specialist.post(url, {**fields, "giu_tep": token}).status_code == 302
    draft = ResultDraft.objects.get(dossier=dossier)
    assert draft.source == ResultDraft.Source.UPLOAD and draft.upload_name == "Dự thảo phiếu.pdf"
    download = specialist.get(f"{url}1/tep/")
    assert download.status_code == 200
    # Reading the draft's file or its preview is a logged read of the applicant's data.
    assert specialist.get(f"{url}1/xem-truoc.pdf").status_code == 200
    logged = set(PersonalDataAccess.objects.filter(user=org.specialist)
                 .values_list("action", flat=True))
    assert {"paper_download", "form_print"} <= logged


def test_a_kept_file_token_serves_only_its_officer_and_its_dossier(signing, org, make_dossier,
                                                                   at_specialist, client_for):
    """The token that keeps a checked file between attempts was signed but named neither the
    officer nor the dossier: copied into another officer's form, or another dossier's, it put
    that file into their draft. It is refused there as if absent; its own draft still takes it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from results.views_drafting import _keep_upload

    mine, other_dossier = at_specialist(), at_specialist()
    theirs = dossier_act(dossier=make_dossier(), actor=org.desk, action="forward",
                         data={"assignee": org.specialist2.pk}, at=at("2026-03-02 09:30"))
    fields = {"title": "Phiếu lý lịch tư pháp", "subject": "Về việc cấp phiếu",
              "body": "Không có án tích.", "recipients": ""}
    specialist = client_for(org.specialist)
    url = f"/du-thao-ket-qua/{mine.code}/"
    good = SimpleUploadedFile("Dự thảo phiếu.pdf", uploaded_pdf())
    page = specialist.post(url, {**fields, "subject": "", "upload": good}).content.decode()
    token = re.search(r'name="giu_tep" value="([^"]+)"', page).group(1)

    def drafted(dossier) -> ResultDraft:
        return ResultDraft.objects.filter(dossier=dossier).latest("version")

    # Another officer, on their own dossier: a draft from the text, no file.
    answer = client_for(org.specialist2).post(f"/du-thao-ket-qua/{theirs.code}/",
                                              {**fields, "giu_tep": token})
    assert answer.status_code == 302
    assert drafted(theirs).source == ResultDraft.Source.TEMPLATE and not drafted(theirs).upload
    # The same officer, on another dossier: likewise.
    answer = specialist.post(f"/du-thao-ket-qua/{other_dossier.code}/",
                             {**fields, "giu_tep": token})
    assert answer.status_code == 302
    assert drafted(other_dossier).source == ResultDraft.Source.TEMPLATE
    # A token kept for another officer on this very dossier: refused too.
    foreign = _keep_upload("Của người khác.pdf", uploaded_pdf(), user=org.specialist2,
                           dossier=mine)["token"]
    assert specialist.post(url, {**fields, "giu_tep": foreign}).status_code == 302
    assert drafted(mine).source == ResultDraft.Source.TEMPLATE
    # The rightful officer's own token still brings their file.
    assert specialist.post(url, {**fields, "giu_tep": token}).status_code == 302
    latest = drafted(mine)
    assert latest.version == 2 and latest.source == ResultDraft.Source.UPLOAD
    assert latest.upload_name == "Dự thảo phiếu.pdf"


def test_without_a_specialists_step_the_head_drafts(signing, org, make_dossier, client_for):
    from catalog.models import Step

    for order, (name, role) in enumerate([("Tiếp nhận", Step.Role.RECEIVING),
                                          ("Phê duyệt", Step.Role.HEAD),
                                          ("Trả kết quả", Step.Role.RETURNING)], start=1):
        Step.objects.create(variant=org.variant, order=order, name=name, role=role,
                            share_percent=30)
    dossier = dossier_act(dossier=make_dossier(), actor=org.desk, action="forward",
                          data={"assignee": org.head.pk}, at=at("2026-03-02 09:30"))
    assert dossier.current_step.role == "head"
    head = client_for(org.head)
    url = f"/du-thao-ket-qua/{dossier.code}/"
    assert head.post(url, {"title": "Phiếu lý lịch tư pháp", "subject": "Về việc cấp phiếu",
                           "body": "Không có án tích."}).status_code == 302
    assert head.post(f"{url}1/ky/", {"confirm": "yes"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.DECIDED


def test_the_api_refuses_an_approval_without_a_draft(signing, org, at_specialist):
    """The API approves only as the head's pages do: from the latest draft (issue #16). The
    rule is the results consumer's, so the web and the API cannot differ."""
    from rest_framework.test import APIClient

    org.procedure.result_text = "Phiếu Lý lịch tư pháp số 1Mã: KQ.G01.000200"
    org.procedure.save(update_fields=["result_text"])
    dossier = _to_head(org, at_specialist())
    api = APIClient()
    api.force_authenticate(org.head)
    url = f"/api/v1/dossiers/{dossier.code}/actions/approve/"
    vi = api.post(url, {}, format="json")
    assert vi.status_code == 400, vi.content
    error = vi.json()["error"]
    assert error["code"] == "draft_required" and "dự thảo" in error["message"]
    assert "result_draft" in error["fields"]
    en = api.post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400 and "drafted" in en.json()["error"]["message_en"]
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not dossier.events.filter(action="approve").exists()
    assert not StoredDocument.objects.filter(dossier=dossier).exists()


def test_the_api_approves_from_the_latest_draft(signing, org, at_specialist):
    from rest_framework.test import APIClient

    org.procedure.result_text = "Phiếu Lý lịch tư pháp số 1Mã: KQ.G01.000200"
    org.procedure.save(update_fields=["result_text"])
    dossier = at_specialist()
    draft = _draft(org, dossier)
    dossier = _to_head(org, dossier)
    api = APIClient()
    api.force_authenticate(org.head)
    url = f"/api/v1/dossiers/{dossier.code}/actions/approve/"
    answer = api.post(url, {"data": {"result_draft": draft.pk}}, format="json")
    assert answer.status_code == 200, answer.content
    draft.refresh_from_db()
    assert draft.status == ResultDraft.Status.SIGNED
    assert draft.stored.document_number == draft.number


def test_an_uploaded_pdf_is_issued_as_it_is(signing, org, at_specialist, client_for, pdfsig):
    """The head signs the document the specialist uploaded: its pages and words, the number,
    date and verification code stamped over its top margin; not a template (issue #16)."""

    from results.uploaded import page_count
    from results.verification import pdf_verify

    dossier, url = _uploaded_draft(org, at_specialist(), client_for)
    dossier = _to_head(org, dossier)
    head = client_for(org.head)
    preview = head.get(f"{url}1/xem-truoc.pdf")
    assert preview.status_code == 200
    shown = " ".join(_text(preview.content).split())
    assert UPLOADED_TEXT in shown and "DỰ THẢO" in shown and "trang 2" in shown
    assert "Văn bản đính kèm." not in shown  # the form's body is not what is issued
    assert head.post(f"{url}1/ky/", {"confirm": "yes"}).status_code == 302
    draft = ResultDraft.objects.get(dossier=dossier)
    with draft.stored.file.open("rb") as f:
        content = f.read()
    issued = " ".join(_text(content).split())
    assert f"{UPLOADED_TEXT} — trang 1" in issued and f"{UPLOADED_TEXT} — trang 2" in issued
    number = draft.stored.document_number
    assert number.startswith("1/TL-") and f"Số: {number}" in issued
    assert str(draft.stored.uid) in issued and "DỰ THẢO" not in issued
    assert "Văn bản đính kèm." not in issued
    assert page_count(content) == 2
    report = pdf_verify(content)
    assert report.valid and len(report.signatures) == 2, report.as_dict()
    assert pdfsig_valid(pdfsig(content), 2)


def test_an_uploaded_pdf_issued_unsigned_is_stamped_after_the_commit(org, at_specialist,
                                                                      client_for):
    """Where no one signs, the uploaded draft is issued (number, stored row) with the approval and
    stamped after its commit, from what the row keeps (results/rendering.py)."""

    from results.rendering import results_render_pending
    from results.uploaded import page_count

    dossier, url = _uploaded_draft(org, at_specialist(), client_for)
    _to_head(org, dossier)
    assert client_for(org.head).post(f"{url}1/ky/", {"confirm": "yes"}).status_code == 302
    stored = ResultDraft.objects.get(dossier=dossier).stored
    assert not stored.file and stored.facts["uploaded_draft"] is True
    assert results_render_pending() == 1
    stored.refresh_from_db()
    with stored.file.open("rb") as f:
        content = f.read()
    issued = " ".join(_text(content).split())
    assert f"{UPLOADED_TEXT} — trang 1" in issued and f"{UPLOADED_TEXT} — trang 2" in issued
    assert f"Số: {stored.document_number}" in issued and str(stored.uid) in issued
    assert "DỰ THẢO" not in issued and page_count(content) == 2 and not stored.signed


def test_a_damaged_pdf_draft_is_refused(signing, org, at_specialist):
    dossier = at_specialist()
    with pytest.raises(DomainError) as refused:
        draft_save(dossier=dossier, actor=org.specialist, upload_name="hong.pdf",
                   upload_data=b"%PDF-1.7\n" + b"[" * 5000,
                   values={"title": "Phiếu", "subject": "Về việc", "body": "Nội dung"})
    assert refused.value.fields and "hong.pdf" in refused.value.message
    assert not ResultDraft.objects.exists()


def test_a_password_protected_pdf_draft_is_refused_at_saving(signing, org, at_specialist):
    """Signing could neither stamp nor sign it: the specialist hears it when saving, not the
    head when signing."""
    import io

    from pyhanko.pdf_utils.crypt import StandardSecurityHandler
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(uploaded_pdf(1))))
    writer._assign_security_handler(StandardSecurityHandler.build_from_pw("mk", "mk"))
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(DomainError) as refused:
        draft_save(dossier=at_specialist(), actor=org.specialist, upload_name="mat-khau.pdf",
                   upload_data=out.getvalue(),
                   values={"title": "Phiếu", "subject": "Về việc", "body": "Nội dung"})
    assert refused.value.fields
    assert not ResultDraft.objects.exists()


def test_the_demo_gives_the_dossier_waiting_at_the_heads_step_a_draft(signing, org,
                                                                       at_specialist):
    """The accounts' demo forwards a dossier to the head before any draft exists (it cannot call
    results); the results' demo has the head send it back for one, the specialist draft it from
    the template and forward it again, so the head can sign in the demo."""
    from results.demo import _drafts_for_the_heads

    dossier = _to_head(org, at_specialist())
    assert _drafts_for_the_heads() == 1
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING and dossier.current_step.assignee == org.head
    draft = ResultDraft.objects.get(dossier=dossier)
    assert [e.action for e in dossier.events.order_by("seq")][-3:] == [
        "return_step", "result_draft", "forward"]
    draft_sign(draft=draft, actor=org.head, confirmed=True)
    dossier.refresh_from_db()
    assert dossier.state == State.DECIDED
    assert _drafts_for_the_heads() == 0  # nothing left waiting without a draft
