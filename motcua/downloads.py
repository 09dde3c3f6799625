"""The headers of every file handed out (papers, results, reports built on the fly), web page or
API alike."""

import re

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from motcua.inputs import Kind, input_clean

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
    the storage is a 404 saying `missing` (not the 500 its OSError would be). The name is the
    sender's, cleaned, with the extension of the type found in the content
    (`download_filename_for`)."""
    try:
        handle = field.open("rb")
    except OSError:
        raise Http404(missing) from None
    return download_protect(FileResponse(
        handle, as_attachment=True, filename=download_filename_for(filename, content_type),
        content_type=content_type or None))


# The extensions of the types an upload may be (dossiers/uploads.py checks the content): a
# downloaded file is saved under one of these, whatever name the sender gave it.
_EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
}


def download_filename_for(name: str, content_type: str | None) -> str:
    """`download_filename(name)` ending in an extension of `content_type` (when it is a type
    uploads may be): the upload check reads the content, never the name, so a JPEG that is
    also an HTA or batch script (a polyglot) passes it as a JPEG — sent as "anh.hta" by an
    anonymous feedback form, it would run when the officer opens the download on a Windows
    desk. Saved as "anh.jpg" it opens as the picture it was accepted as (audit6)."""
    clean = download_filename(name)
    known = _EXTENSIONS.get((content_type or "").split(";")[0].strip().lower())
    if not known:
        return clean
    stem, dot, extension = clean.rpartition(".")
    if dot and extension.lower() in known:
        return clean
    return f"{(stem if dot else clean).strip(' .') or 'tep'}.{known[0]}"


def download_filename(name: str) -> str:
    """`name` safe in a Content-Disposition header and on the reader's disk: no control or
    invisible characters (a CR/LF would split the header), no folder separators, no quotes, at
    most 150 characters; "tep" when nothing is left. Non-ASCII letters stay: Django writes them
    as RFC 6266 `filename*`."""
    text = input_clean(name, Kind.LINE)
    text = re.sub(r'[\\/"<>:|?*]+', "-", text).strip(" .-")
    return text[:150] or "tep"


def generated_attachment(content: bytes | str, *, filename: str, content_type: str,
                         inline: bool = False) -> HttpResponse:
    """A file built on the fly (a report, a register, a form) under the download headers.

    An attachment by default, under `download_protect` like every stored file: a report lists
    dossiers, people, officers, and must not stay in a shared cache. `inline=True` is for a PDF
    the browser shows in its own viewer (a printed form, a receipt): nosniff and no-store, but no
    sandbox policy, under which a browser's built-in PDF viewer may refuse to run.
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, download_filename(filename))
    if inline:
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
    return download_protect(response)
