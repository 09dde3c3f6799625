"""The Django admin links stored files by their download routes, never by /media/…, which the
site does not serve (motcua/admin_files.py): each file under its own app's rule and log."""

import re
from datetime import UTC, date, datetime

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import models
from django.test import Client
from django.urls import reverse

from accounts.models import PersonalDataAccess, User
from dossiers.tests.conftest import APPLICANT
from motcua.admin_files import DownloadLinksAdmin
from reform.models import Directive
from results.models import ResultDraft, StoredDocument


def _links(page) -> list[str]:
    # The links whose text is a stored file's name (a path under the storage).
    return re.findall(r'<a href="([^"]+)">([\w.\-]+/[\w./\-]+)</a>', page.content.decode())


def test_every_file_field_shown_in_the_admin_has_a_download_route():
    # A model admin or an inline showing a file field without a route would link /media/….
    missing = []
    for model, model_admin in admin.site._registry.items():
        shown = [(model, type(model_admin))] + [(i.model, i) for i in model_admin.inlines]
        for shown_model, cls in shown:
            for field in shown_model._meta.get_fields():
                if isinstance(field, models.FileField) and not (
                        issubclass(cls, DownloadLinksAdmin) and field.name in cls.download_urls):
                    missing.append(f"{cls.__name__}.{field.name}")
    assert missing == []


def test_a_stored_paper_and_a_result_draft_link_their_logged_routes(org, make_dossier, root):
    dossier = make_dossier()
    stored = StoredDocument(
        kind=StoredDocument.Kind.RESULT, title="Phiếu lý lịch tư pháp số 1",
        document_number="12/PLLTP", issuer_unit=org.dept, owner_id_number=APPLICANT["id_number"],
        owner_name=APPLICANT["name"], issued_at=datetime(2026, 3, 5, tzinfo=UTC))
    stored.file.save("phieu.pdf", ContentFile(b"%PDF-1.7 phieu"), save=False)
    stored.sha256, stored.size = "0" * 64, 14
    stored.save()
    draft = ResultDraft(dossier=dossier, version=1, title="Quyết định", subject="Cấp phiếu",
                        body="Cấp", recipients="Như trên",
                        created_at=datetime(2026, 3, 3, tzinfo=UTC))
    draft.upload.save("du-thao.docx", ContentFile(b"PK\x03\x04 du thao"), save=False)
    draft.save()

    page = root.get(f"/admin/results/storeddocument/{stored.pk}/change/")
    assert "/media/" not in page.content.decode()
    assert _links(page) == [(reverse("results:download", args=[stored.uid]), stored.file.name)]
    page = root.get(f"/admin/results/resultdraft/{draft.pk}/change/")
    assert "/media/" not in page.content.decode()
    href = reverse("results:draft_upload", args=[dossier.code, 1])
    assert _links(page) == [(href, draft.upload.name)]
    # The route's own rule and log: the dossier's staff download it, logged as a paper of the
    # dossier; the admin's superuser with no unit gets the route's refusal, not the file.
    specialist = Client()
    specialist.force_login(org.specialist)
    PersonalDataAccess.objects.all().delete()
    answer = specialist.get(href)
    assert answer.status_code == 200 and answer["X-Content-Type-Options"] == "nosniff"
    assert b"".join(answer.streaming_content) == b"PK\x03\x04 du thao"
    assert PersonalDataAccess.objects.get().action == PersonalDataAccess.Action.PAPER_DOWNLOAD


def test_an_editable_or_view_only_file_links_its_route(org, root):
    directive = Directive(number="12/CT-UBND", date=date(2026, 2, 1), issuer="UBND tỉnh",
                          kind=Directive.Kind.choices[0][0], summary="Về cải cách",
                          created_by=User.objects.get(username="quantri"), file_name="ct.pdf",
                          content_type="application/pdf")
    directive.file.save("ct.pdf", ContentFile(b"%PDF-1.7 ct"), save=False)
    directive.save()
    href = reverse("reform:directive_file", args=[directive.pk])
    page = root.get(f"/admin/reform/directive/{directive.pk}/change/")
    assert page.status_code == 200 and "/media/" not in page.content.decode()
    assert _links(page) == [(href, directive.file.name)]
    # Someone who may only view sees the file read-only: the same route.
    viewer = User.objects.create_user("xem", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_directive"))
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/admin/reform/directive/{directive.pk}/change/")
    assert page.status_code == 200 and "/media/" not in page.content.decode()
    assert _links(page) == [(href, directive.file.name)]


def test_a_form_template_in_a_variants_inline_links_the_catalogue(org, root):
    doc = org.doc_form
    doc.template_file.save("to-khai.docx", ContentFile(b"PK\x03\x04 to khai"))
    href = reverse("catalog:template_file", args=[doc.variant.procedure.code, doc.pk])
    page = root.get(f"/admin/catalog/variant/{doc.variant_id}/change/")
    assert page.status_code == 200 and "/media/" not in page.content.decode()
    assert (href, doc.template_file.name) in _links(page)
    viewer = User.objects.create_user("xem", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_variant", "view_requireddocument"]))
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/admin/catalog/variant/{doc.variant_id}/change/")
    assert page.status_code == 200 and "/media/" not in page.content.decode()
    assert (href, doc.template_file.name) in _links(page)
