"""Downloading an attached file: only through here, only for who may see its dossier."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

from dossiers.selectors import file_get
from dossiers.services.personal_data import file_personal_read, personal_read_logged
from motcua.cross_site import staff_read_page
from motcua.downloads import download_protect


@login_required
@require_safe
# Staff downloads are logged, an applicant's of their own papers are not (personal_data.py).
@staff_read_page(when=lambda request: personal_read_logged(request.user))
def file_download(request: HttpRequest, token: str) -> FileResponse:
    """Always an attachment with the type found by content: a browser never renders or runs it
    in the site's origin, and nosniff stops it from guessing another type."""
    row = file_get(user=request.user, token=str(token))
    file_personal_read(actor=request.user, row=row)
    response = FileResponse(row.file.open("rb"), as_attachment=True,
                            filename=row.download_name, content_type=row.content_type)
    return download_protect(response)
