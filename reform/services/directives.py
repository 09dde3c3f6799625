"""The register of directive documents: the Home Affairs officer records each one."""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from dossiers.uploads import upload_check
from reform.models import Directive
from reform.services.plans import _invalid, officer_check


def directive_create(*, actor: User, number: str, date_issued: date | None, issuer: str,
                     kind: str, summary: str, file_name: str = "",
                     data: bytes | None = None) -> Directive:
    """One document in the register; its file (PDF or DOCX, checked by content) is optional."""
    officer_check(actor)
    number, issuer, summary = number.strip(), issuer.strip(), summary.strip()
    if not number:
        raise _invalid("number", "Vui lòng nhập số, ký hiệu văn bản.",
                       "The document number is required.")
    if date_issued is None:
        raise _invalid("date", "Vui lòng nhập ngày ban hành (dd/mm/yyyy).",
                       "The date of issue is required.")
    if not issuer:
        raise _invalid("issuer", "Vui lòng nhập cơ quan ban hành.", "The issuer is required.")
    if kind not in Directive.Kind.values:
        raise _invalid("kind", "Vui lòng chọn loại văn bản.", "Choose the kind of document.")
    if not summary:
        raise _invalid("summary", "Vui lòng nhập trích yếu.", "The summary is required.")
    content_type = ""
    if data:
        checked = upload_check(file_name, data)
        if checked.kind not in ("pdf", "docx"):
            raise _invalid("file", f"Tệp “{file_name}”: văn bản chỉ nhận PDF hoặc DOCX.",
                           f"File '{file_name}': only PDF or DOCX.")
        content_type = checked.content_type
    with transaction.atomic():
        directive = Directive(number=number, date=date_issued, issuer=issuer, kind=kind,
                              summary=summary, created_by=actor,
                              file_name=file_name[:255] if data else "",
                              content_type=content_type)
        if data:
            directive.file.save("directive", ContentFile(data), save=False)
        directive.save()
    return directive
