"""Which uploaded files a dossier accepts: decided by what the bytes are, never by the file name.

A file's name and the browser's Content-Type are whatever the sender says; an `.exe` renamed
`to-khai.pdf` must not reach an officer who opens it. So each file is identified by its content
(magic bytes) and then checked for structure, so that a damaged or truncated file is refused at
upload time, while the applicant can still fix it, rather than discovered by the officer later:

- PDF: starts with `%PDF-` and ends with an `%%EOF` marker (a truncated upload loses it);
- JPEG, PNG: Pillow identifies, verifies and fully decodes the image (a truncated image fails);
- DOCX, XLSX: a readable ZIP (CRC checked) whose `[Content_Types].xml` names the main part of a
  Word document or an Excel workbook; macro-enabled variants (.docm, .xlsm) are not accepted.

A file whose content is an allowed type under another name (a PNG called `scan.pdf`) is accepted
as what it really is: the stored type and the download name's extension come from the content.
The applicant meant to send that scan, and nothing in it can be mistaken for something else.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.errors import DomainError

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    kind: str
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "pdf", "application/pdf", "PDF")
JPEG = FileType("jpeg", "jpg", "image/jpeg", "JPEG")
PNG = FileType("png", "png", "image/png", "PNG")
DOCX = FileType("docx", "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = FileType("xlsx", "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
FILE_TYPES = {t.kind: t for t in (PDF, JPEG, PNG, DOCX, XLSX)}

_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# An Office file is a small tree of XML parts; refuse archives that would inflate past this
# (a "zip bomb") or hold an absurd number of parts, before reading any of them.
_ZIP_MAX_UNCOMPRESSED = 200 * MB
_ZIP_MAX_ENTRIES = 5000
# A scan of an A4 page at 600 dpi is about 35 megapixels; far more is a decompression bomb.
_IMAGE_MAX_PIXELS = 80_000_000


class UploadRejected(DomainError):
    """One file was refused; the message names it."""


def max_file_bytes() -> int:
    return int(settings.MOTCUA_UPLOAD_MAX_FILE_MB * MB)


def max_dossier_bytes() -> int:
    return int(settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB * MB)


def _mb(size: float) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


def _reject(name: str, why: str, why_en: str) -> UploadRejected:
    return UploadRejected("upload_rejected", _("Tệp “%(name)s”: %(why)s") % {"name": name,
                                                                              "why": why},
                          f"File '{name}': {why_en}", fields={"files": [name]})


def _pdf_ok(data: bytes) -> bool:
    # The PDF specification allows junk before the header within the first 1024 bytes, but every
    # producer we know of writes it first; starting exactly with it leaves no room for polyglots.
    # Incremental updates append after the first %%EOF, so the last one must be near the end.
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def _image_ok(data: bytes, expected: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    return False
                if image.width * image.height > _IMAGE_MAX_PIXELS:
                    return False
                image.verify()
            # verify() checks the structure but not every pixel: decode it all, so a truncated
            # scan is refused too.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Exception:  # noqa: BLE001 — Pillow raises many types for a damaged image
        return False
    return True


def _office_kind(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _ZIP_MAX_ENTRIES:
                return None
            if sum(e.file_size for e in entries) > _ZIP_MAX_UNCOMPRESSED:
                return None
            if archive.testzip() is not None:
                return None
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, ValueError):
        return None
    if _DOCX_MAIN in types:
        return DOCX
    if _XLSX_MAIN in types:
        return XLSX
    return None


def file_type_detect(data: bytes) -> FileType | None:
    """The allowed type the bytes really are, or None (unknown, damaged or not allowed)."""
    if data.startswith(b"%PDF-"):
        return PDF if _pdf_ok(data) else None
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG if _image_ok(data, "JPEG") else None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if _image_ok(data, "PNG") else None
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _looks_damaged(data: bytes) -> bool:
    """Starts like an allowed type but failed its structure check."""
    return data.startswith((b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04"))


def upload_check(name: str, data: bytes) -> FileType:
    """The file's type if it may be attached; UploadRejected naming the file otherwise."""
    name = (name or "").strip() or _("(không tên)")
    if not data:
        raise _reject(name, _("tệp rỗng, không có nội dung."), "the file is empty.")
    if len(data) > max_file_bytes():
        raise _reject(name, _("dung lượng %(size)s MB vượt quá mức tối đa %(max)s MB cho "
                              "một tệp.") % {"size": _mb(len(data)),
                                             "max": _mb(max_file_bytes())},
                      "the file is larger than the per-file limit.")
    kind = file_type_detect(data)
    if kind is None:
        if _looks_damaged(data):
            raise _reject(name, _("tệp bị hỏng hoặc không đầy đủ, không mở được. Vui lòng "
                                  "quét hoặc lưu lại rồi tải lên lần nữa."),
                          "the file is damaged or truncated.")
        raise _reject(name, _("nội dung tệp không phải PDF, JPEG, PNG, DOCX hoặc XLSX. Chỉ "
                              "chấp nhận các định dạng này (kiểm tra theo nội dung tệp, không "
                              "theo tên tệp)."),
                      "the content is not PDF, JPEG, PNG, DOCX or XLSX.")
    return kind


def total_check(*, existing_bytes: int, new_sizes: list[int]) -> None:
    """Refuse a batch that would take the dossier past its total limit."""
    total = existing_bytes + sum(new_sizes)
    if total > max_dossier_bytes():
        raise UploadRejected(
            "upload_too_much",
            _("Tổng dung lượng tệp của hồ sơ (%(size)s MB) vượt quá mức tối đa %(max)s MB. "
              "Hãy giảm độ phân giải bản quét hoặc gộp bớt trang.")
            % {"size": _mb(total), "max": _mb(max_dossier_bytes())},
            "The dossier's files exceed the per-dossier limit.", fields={"files": []})
