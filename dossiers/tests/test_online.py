"""Online submission (channel 2): drafts, uploads, submission, my dossiers, the online supplement,
the private download, the applicant's forms. Through the real pages, as a browser would."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from dossiers.models import Dossier, DossierFile, OnlineDraft, State
from dossiers.services import dossier_act
from dossiers.tests import files
from dossiers.tests.conftest import _user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _start(client, org) -> OnlineDraft:
    r = client.post(reverse("dossiers:online_start", args=[org.procedure.code]),
                    {"variant": org.variant.pk, "receiving_unit": org.centre.pk})
    assert r.status_code == 303, r.content.decode()[:500]
    return OnlineDraft.objects.get(user=r.wsgi_request.user)


APPLICANT = {"applicant_kind": 1, "applicant_name": "Trần Thị Bích",
             "applicant_id_number": "056185004321", "applicant_phone": "0914222333",
             "applicant_address": "12 Trần Phú, Nha Trang", "summary": "",
             "return_method": ""}


def _submit_online(client, org) -> Dossier:
    draft = _start(client, org)
    r = client.post(reverse("dossiers:online_draft", args=[draft.pk]),
                    {**APPLICANT, "submit": "submit",
                     f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF),
                     f"doc_{org.doc_id.pk}": files.upload("cccd.png", files.image("PNG"))})
    assert r.status_code == 303, r.content.decode()[:800]
    return Dossier.objects.get()


def _supplement_asked(d: Dossier, org, reason: str, paper: str) -> Dossier:
    """The desk accepts the online dossier, forwards it, and the specialist asks for `paper`."""
    d = dossier_act(dossier=d, actor=org.desk, action="accept")
    d = dossier_act(dossier=d, actor=org.desk, action="forward",
                    data={"assignee": org.specialist.pk})
    return dossier_act(dossier=d, actor=org.specialist, action="request_supplement",
                       reason=reason, data={"missing_documents": [paper]})


def test_procedure_page_offers_online_submission_only_where_allowed(org, client_for):
    c = client_for(org.citizen)
    page = c.get(reverse("catalog:detail", args=[org.procedure.code])).content.decode()
    assert "Nộp hồ sơ trực tuyến" in page
    org.procedure.online_level = "information"
    org.procedure.save()
    page = c.get(reverse("catalog:detail", args=[org.procedure.code])).content.decode()
    assert "Nộp hồ sơ trực tuyến" not in page
    r = c.post(reverse("dossiers:online_start", args=[org.procedure.code]),
               {"variant": org.variant.pk, "receiving_unit": org.centre.pk})
    assert r.status_code == 409 and not OnlineDraft.objects.exists()


def test_anonymous_is_sent_to_login(client, org):
    r = client.get(reverse("dossiers:online_start", args=[org.procedure.code]))
    assert r.status_code == 302 and "/tai-khoan/" in r["Location"]


def test_draft_is_prefilled_saved_and_not_a_dossier(org, client_for,
                                                   django_capture_on_commit_callbacks):
    org.citizen.full_name = "Nguyễn Văn Công Dân"
    org.citizen.phone = "0905111222"
    org.citizen.save()
    c = client_for(org.citizen)
    draft = _start(c, org)
    page = c.get(reverse("dossiers:online_draft", args=[draft.pk])).content.decode()
    assert 'value="Nguyễn Văn Công Dân"' in page and 'value="0905111222"' in page
    assert f'<label for="doc-{org.doc_form.pk}">' in page
    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]),
               {**APPLICANT, "submit": "save",
                f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF)})
    assert r.status_code == 303
    draft.refresh_from_db()
    assert draft.data["applicant"]["name"] == "Trần Thị Bích"
    assert draft.files.count() == 1
    assert not Dossier.objects.exists()
    # The draft is listed among "my dossiers" and nobody else can open it.
    assert "Hồ sơ nháp chưa nộp" in c.get(reverse("dossiers:my_list")).content.decode()
    other = _user("congdan2", None, kind=User.Kind.CITIZEN)
    assert client_for(other).get(reverse("dossiers:online_draft",
                                         args=[draft.pk])).status_code == 404
    # Submitting with a mandatory paper missing names it and keeps the draft.
    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]), {**APPLICANT, "submit": "submit"})
    assert r.status_code == 422
    assert "Chưa tải lên giấy tờ bắt buộc: Bản chụp CCCD" in r.content.decode()
    assert not Dossier.objects.exists()
    # Deleting removes the draft and its stored file.
    stored = draft.files.get().file.path
    with django_capture_on_commit_callbacks(execute=True):  # the file goes at the commit
        c.post(reverse("dossiers:online_draft_delete", args=[draft.pk]))
    assert not OnlineDraft.objects.exists()
    import os
    assert not os.path.exists(stored)


def test_disguised_file_is_refused_and_the_good_one_beside_it_is_kept(org, client_for):
    """Issue #16: one bad upload no longer drops the valid file chosen beside it."""
    c = client_for(org.citizen)
    draft = _start(c, org)
    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]),
               {**APPLICANT, "submit": "save",
                f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF),
                f"doc_{org.doc_id.pk}": files.upload("cccd.pdf", b"MZ\x90\x00 fake exe")})
    assert r.status_code == 422
    html = r.content.decode()
    assert "cccd.pdf" in html and "không phải PDF" in html
    kept = DossierFile.objects.get()
    assert kept.original_name == "to-khai.pdf" and kept.required_document == org.doc_form
    assert "to-khai.pdf" in html  # listed among the draft's files
    draft.refresh_from_db()
    assert draft.data["applicant"]["name"] == APPLICANT["applicant_name"]


def test_text_over_its_limit_is_refused_by_name_and_the_file_is_kept(org, client_for):
    c = client_for(org.citizen)
    draft = _start(c, org)
    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]),
               {**APPLICANT, "summary": "x" * 5000, "submit": "save",
                f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF)})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Tối đa 2000 ký tự (đã nhập 5000)." in html
    assert "x" * 5000 in html  # what was typed is shown again
    assert DossierFile.objects.get().original_name == "to-khai.pdf"


def test_online_journey_submit_accept_supplement_forms(org, client_for, media):
    c = client_for(org.citizen)
    d = _submit_online(c, org)
    assert (d.state, d.channel, d.applicant_user) == (State.SUBMITTED, 2, org.citizen)
    assert d.applicant_name == "Trần Thị Bích"
    stored = list(DossierFile.objects.filter(dossier=d).select_related("document"))
    assert {f.kind for f in stored} == {"pdf", "png"}
    assert all(f.document and f.draft_id is None for f in stored)
    # Stored under MEDIA_ROOT with a random name, not the sender's.
    assert all("cccd" not in f.file.name and "to-khai" not in f.file.name for f in stored)
    assert all((media / f.file.name).exists() for f in stored)
    # The desk sees it in its intake box and accepts it as for any dossier.
    assert d in Dossier.objects.filter(state=State.SUBMITTED, receiving_unit=org.centre)
    d = _supplement_asked(d, org, "Bản chụp CCCD bị mờ, không đọc được số", "Bản chụp CCCD")
    assert d.paused_at is not None
    page = c.get(reverse("dossiers:my_detail", args=[d.code])).content.decode()
    assert "Bản chụp CCCD bị mờ" in page and "Gửi bổ sung" in page
    assert "Yêu cầu bổ sung giấy tờ" in page
    # Form 01 and Form 02 are the applicant's to download.
    r = c.get(reverse("dossiers:my_form_pdf", args=[d.code, "01"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert c.get(reverse("dossiers:my_form_pdf", args=[d.code, "02"])).status_code == 200
    assert c.get(reverse("dossiers:my_form_pdf", args=[d.code, "05"])).status_code == 404
    # A damaged supplement is refused and changes nothing.
    r = c.post(reverse("dossiers:my_supplement", args=[d.code]),
               {f"doc_{org.doc_id.pk}": files.upload("cccd-moi.png", files.image("PNG")[:60])})
    assert r.status_code == 422 and "cccd-moi.png" in r.content.decode()
    d.refresh_from_db()
    assert d.state == State.SUPPLEMENT_REQUESTED
    # The real supplement resumes the clock and returns the dossier to processing.
    r = c.post(reverse("dossiers:my_supplement", args=[d.code]),
               {f"doc_{org.doc_id.pk}": files.upload("cccd-moi.jpg", files.image("JPEG")),
                "note": "Gửi lại bản rõ"})
    assert r.status_code == 303
    d.refresh_from_db()
    assert d.state == State.PROCESSING and d.paused_at is None
    assert d.pauses.get().ended_at is not None
    event = d.events.order_by("-seq").first()
    assert (event.action, event.actor) == ("supplement", org.citizen)
    supp = DossierFile.objects.get(dossier=d, purpose="supplement")
    assert supp.document.required_document == org.doc_id
    # Apology: the new date and Form 04 are visible to the applicant.
    # Two weeks after the present due date: the dossier was filed today (the real today), so a
    # fixed new date is refused once its due date passes it ("2027-01-15" did from January 2027).
    new_due = timezone.localtime(d.due_at).replace(hour=9, minute=0, second=0, microsecond=0) \
        + timedelta(days=14)
    d = dossier_act(dossier=d, actor=org.head, action="apologize",
                    reason="Cần xác minh thêm tại địa phương",
                    data={"new_due_at": new_due.isoformat()})
    page = c.get(reverse("dossiers:my_detail", args=[d.code])).content.decode()
    assert f"{new_due:%d/%m/%Y}" in page and "Cần xác minh thêm" in page
    assert c.get(reverse("dossiers:my_form_pdf", args=[d.code, "04"])).status_code == 200


def test_private_download_only_for_who_may_see_the_dossier(org, client_for):
    c = client_for(org.citizen)
    d = _submit_online(c, org)
    f = DossierFile.objects.filter(dossier=d, kind="png").get()
    url = reverse("dossiers:file_download", args=[f.token])
    r = c.get(url)
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment")
    assert 'filename="cccd.png"' in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content) == files.image("PNG")
    # The desk of the receiving unit may, another citizen and another unit may not.
    assert client_for(org.desk).get(url).status_code == 200
    other = _user("congdan2", None, kind=User.Kind.CITIZEN)
    assert client_for(other).get(url).status_code == 404
    assert client_for(org.other_desk).get(url).status_code == 404
    # Nothing of the file is reachable under MEDIA_URL by its original name.
    assert c.get(f"/media/{f.original_name}").status_code == 404


def test_my_dossiers_lists_only_own(org, client_for, make_dossier):
    c = client_for(org.citizen)
    mine = _submit_online(c, org)
    theirs = make_dossier()  # entered at the counter for someone without this account
    page = c.get(reverse("dossiers:my_list")).content.decode()
    assert mine.code in page and theirs.code not in page
    assert c.get(reverse("dossiers:my_detail", args=[theirs.code])).status_code == 404
    # A citizen who opens the staff home goes to their own list.
    r = c.get(reverse("dossiers:inbox"))
    assert r.status_code == 302 and r["Location"] == reverse("dossiers:my_list")


def test_staff_account_cannot_file_online(org, client_for):
    r = client_for(org.desk).post(reverse("dossiers:online_start", args=[org.procedure.code]),
                                  {"variant": org.variant.pk, "receiving_unit": org.centre.pk})
    assert r.status_code == 403 and not OnlineDraft.objects.exists()


def test_alternatives_group_needs_only_one_paper(org, client_for):
    from catalog.models import RequiredDocument

    org.doc_id.alternative_group = "giay-to-tuy-than"
    org.doc_id.save()
    passport = RequiredDocument.objects.create(variant=org.variant, name="Bản chụp hộ chiếu",
                                               alternative_group="giay-to-tuy-than", order=3)
    c = client_for(org.citizen)
    draft = _start(c, org)
    page = c.get(reverse("dossiers:online_draft", args=[draft.pk])).content.decode()
    assert "Nộp một trong các giấy tờ sau" in page
    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]),
               {**APPLICANT, "submit": "submit",
                f"doc_{org.doc_form.pk}": files.upload("to-khai.docx", files.docx()),
                f"doc_{passport.pk}": files.upload("ho-chieu.xlsx", files.xlsx())})
    assert r.status_code == 303
    assert Dossier.objects.get().documents.count() == 2


def test_too_much_per_dossier_is_refused(org, client_for, settings):
    png = files.image("PNG")
    # Room for the PDF and for the PNG, but not for both.
    settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB = (len(files.PDF) + len(png) - 1) / (1024 * 1024)
    c = client_for(org.citizen)
    draft = _start(c, org)
    url = reverse("dossiers:online_draft", args=[draft.pk])
    r = c.post(url, {**APPLICANT, "submit": "save",
                     f"doc_{org.doc_form.pk}": files.upload("a.pdf", files.PDF)})
    assert r.status_code == 303
    r = c.post(url, {**APPLICANT, "submit": "save",
                     f"doc_{org.doc_id.pk}": files.upload("b.png", png)})
    assert r.status_code == 422 and "Tổng dung lượng" in r.content.decode()
    assert DossierFile.objects.count() == 1


def test_papers_under_case_headings_are_alternatives(org):
    from catalog.models import RequiredDocument
    from dossiers.services.online import papers_missing

    v = org.variant
    v.documents.all().delete()
    common = RequiredDocument.objects.create(variant=v, name="Tờ khai CT01", order=1)
    a1 = RequiredDocument.objects.create(variant=v, name="Danh sách người gia hạn", order=2,
                                         section="* Gia hạn theo danh sách, hồ sơ gồm")
    b1 = RequiredDocument.objects.create(variant=v, name="Giấy giới thiệu của đơn vị", order=3,
                                         section="* Gia hạn tại nơi đơn vị đóng quân")
    b2 = RequiredDocument.objects.create(variant=v, name="Văn bản của đơn vị", order=4,
                                         section="* Gia hạn tại nơi đơn vị đóng quân")
    RequiredDocument.objects.create(variant=v, name="Lưu ý: nộp trực tiếp thì xuất trình thẻ",
                                    order=5)
    docs = list(v.documents.all())
    # Nothing given: the smallest heading's papers plus the common one; the "Lưu ý" row is a
    # remark, never a paper to upload.
    assert papers_missing(docs, set()) == ["Tờ khai CT01", "Danh sách người gia hạn"]
    # One paper of the second heading given: that heading is the applicant's case.
    assert papers_missing(docs, {b1.pk}) == ["Tờ khai CT01", "Văn bản của đơn vị"]
    assert papers_missing(docs, {common.pk, b1.pk, b2.pk}) == []
    assert papers_missing(docs, {common.pk, a1.pk}) == []


def test_a_file_can_be_removed_from_the_draft(org, client_for,
                                              django_capture_on_commit_callbacks):
    c = client_for(org.citizen)
    draft = _start(c, org)
    url = reverse("dossiers:online_draft", args=[draft.pk])
    c.post(url, {**APPLICANT, "submit": "save",
                 f"doc_{org.doc_form.pk}": files.upload("sai.pdf", files.PDF)})
    row = draft.files.get()
    path = row.file.path
    with django_capture_on_commit_callbacks(execute=True):  # the file goes at the commit
        r = c.post(url, {**APPLICANT, "submit": "save",
                         "remove": [str(row.token), "khong-phai-uuid"]})
    assert r.status_code == 303
    assert not draft.files.exists()
    import os
    assert not os.path.exists(path)


def test_a_removal_rolled_back_keeps_the_file(org, client_for, monkeypatch,
                                              django_capture_on_commit_callbacks):
    """A file removed from a draft is deleted from storage only when the removal commits: a
    save that fails after the row's delete (here the draft's own write) rolls the row back, and
    its file must still be there — it was deleted at once, leaving a listed paper with no file."""
    import os

    from django.db import DatabaseError

    from dossiers.services.online import draft_save

    c = client_for(org.citizen)
    draft = _start(c, org)
    c.post(reverse("dossiers:online_draft", args=[draft.pk]),
           {**APPLICANT, "submit": "save",
            f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF)})
    row = draft.files.get()

    def failing_save(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(OnlineDraft, "save", failing_save)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
        draft_save(user=org.citizen, draft=draft, remove=[str(row.token)])
    monkeypatch.undo()
    assert draft.files.filter(pk=row.pk).exists()
    assert os.path.exists(row.file.path)


def test_a_refused_supplement_keeps_the_good_scans_for_the_next_try(org, client_for, media):
    """The brief: bad input loses nothing already uploaded. A supplement with a damaged CCCD
    scan was refused whole and the applicant had to choose the good form again; now it is kept
    (listed ticked under its paper), the damaged one is not, and the next try sends the kept
    form with the new scan."""
    import re

    c = client_for(org.citizen)
    d = _submit_online(c, org)
    d = _supplement_asked(d, org, "Thiếu tờ khai có chữ ký", "Tờ khai yêu cầu")
    url = reverse("dossiers:my_supplement", args=[d.code])
    r = c.post(url, {f"doc_{org.doc_form.pk}": files.upload("to-khai-ky.pdf", files.PDF),
                     f"doc_{org.doc_id.pk}": files.upload("cccd-mo.png", files.image("PNG")[:60]),
                     "note": "Gửi tờ khai đã ký"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Gửi tờ khai đã ký" in html  # the note typed is shown again
    kept = re.findall(r'name="held_doc_(\d+)" value="([0-9a-f]+)" checked', html)
    assert [int(pk) for pk, _ in kept] == [org.doc_form.pk]  # the damaged scan is not kept
    assert "to-khai-ky.pdf" in html
    d.refresh_from_db()
    assert d.state == State.SUPPLEMENT_REQUESTED
    # Another citizen sends nothing to this dossier, kept file or not.
    other = client_for(_user("congdan3", None, kind=User.Kind.CITIZEN))
    assert other.post(url, {f"held_doc_{org.doc_form.pk}": kept[0][1]}).status_code == 404
    r = c.post(url, {f"held_doc_{org.doc_form.pk}": kept[0][1],
                     f"doc_{org.doc_id.pk}": files.upload("cccd-ro.jpg", files.image("JPEG"))})
    assert r.status_code == 303
    d.refresh_from_db()
    assert d.state == State.PROCESSING
    sent = {(f.document.required_document_id, f.original_name)
            for f in DossierFile.objects.filter(dossier=d, purpose="supplement")
            .select_related("document")}
    assert sent == {(org.doc_form.pk, "to-khai-ky.pdf"), (org.doc_id.pk, "cccd-ro.jpg")}
