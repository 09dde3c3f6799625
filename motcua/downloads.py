"""The headers of every file handed out (papers, results), web page or API alike."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

# Nothing in a downloaded file may run in this site's origin, even if a browser renders it
# inline: no script, no plug-in, no request, as if from a sandboxed frame of its own.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def download_protect(response: HttpResponse) -> HttpResponse:
    """Mark a file response: no type guessing (nosniff), no shared cache, a sandbox policy."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response


def file_attachment(field: FieldFile, *, filename: str, missing: str,
                    content_type: str | None = None) -> FileResponse:
    """A stored file handed out as an attachment under the download headers; a file gone from
    the storage is a 404 saying `missing` (not the 500 its OSError would be)."""
    try:
        handle = field.open("rb")
    except OSError:
        raise Http404(missing) from None
    return download_protect(FileResponse(handle, as_attachment=True, filename=filename,
                                         content_type=content_type or None))
