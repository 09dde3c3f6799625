"""What the plan pages share: reading an upload within the limit, file answers."""

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from dossiers.uploads import max_file_bytes
from motcua.downloads import file_attachment, generated_attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_read(upload) -> bytes:
    """At most one byte past the per-file limit: enough for the check to refuse it."""
    return upload.read(max_file_bytes() + 1)


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A report or template built on the fly, under the download headers (motcua/downloads.py):
    a plan's report names officers and units, and must not stay in a shared cache."""
    return generated_attachment(content, filename=filename, content_type=content_type)


def stored_file(field, filename: str, content_type: str) -> FileResponse:
    """An uploaded file (a directive, a task's evidence) handed back as every other upload is:
    an attachment under the sandbox policy, its type never guessed (motcua/downloads.py). An
    officer's upload is whatever they chose: an HTML or SVG file must not run in our origin."""
    return file_attachment(field, filename=filename or "tep",
                           content_type=content_type or "application/octet-stream",
                           missing=_("Không tìm thấy tệp đính kèm."))
