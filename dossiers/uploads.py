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
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
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
# An Office file is a small tree of XML parts; refuse archives that hold an absurd number of
# parts, before reading any of them.
_ZIP_MAX_ENTRIES = 5000


class UploadRejected(DomainError):
    """One file was refused; the message names it."""


def max_file_bytes() -> int:
    return int(settings.MOTCUA_UPLOAD_MAX_FILE_MB * MB)


def max_dossier_bytes() -> int:
    return int(settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB * MB)


def max_unpacked_bytes() -> int:
    """What the parts of one DOCX/XLSX may inflate to, counted while inflating them."""
    return int(settings.MOTCUA_UPLOAD_MAX_UNPACKED_MB * MB)


def max_pixels() -> int:
    """The largest image decoded: an A4 page scanned at 600 dpi is about 35 megapixels, and a
    decoded pixel costs 3–4 bytes of a worker's memory."""
    return int(settings.MOTCUA_UPLOAD_MAX_MEGAPIXELS * 1_000_000)


def _mb(size: float) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".")


def _reject(name: str, why: str, why_en: str) -> UploadRejected:
    return UploadRejected("upload_rejected", _("Tệp “%(name)s”: %(why)s") % {"name": name,
                                                                              "why": why},
                          f"File '{name}': {why_en}", fields={"files": [name]})


class _Refusal(Exception):
    """Why a file of an allowed kind is refused (too large once decoded, damaged, …)."""

    def __init__(self, why: str, why_en: str) -> None:
        super().__init__(why_en)
        self.why, self.why_en = why, why_en


def _damaged() -> _Refusal:
    return _Refusal(_("tệp bị hỏng hoặc không đầy đủ, không mở được. Vui lòng quét hoặc lưu "
                      "lại rồi tải lên lần nữa."), "the file is damaged or truncated.")


def _pdf_check(data: bytes) -> FileType:
    # The PDF specification allows junk before the header within the first 1024 bytes, but every
    # producer we know of writes it first; starting exactly with it leaves no room for polyglots.
    # Incremental updates append after the first %%EOF, so the last one must be near the end.
    if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
        raise _damaged()
    return PDF


def _image_check(data: bytes, expected: str) -> FileType:
    from PIL import Image

    try:
        # Opening reads the header only: the size is known before any pixel is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            if image.format != expected:
                raise _damaged()
            pixels = image.width * image.height
            if pixels > max_pixels():
                raise _Refusal(
                    _("ảnh %(size)s megapixel (%(w)d × %(h)d điểm) vượt quá mức tối đa "
                      "%(max)s megapixel. Hãy quét ở độ phân giải thấp hơn (300 dpi là đủ).")
                    % {"size": _megapixels(pixels), "w": image.width, "h": image.height,
                       "max": _megapixels(max_pixels())},
                    f"the image has {_megapixels(pixels)} megapixels, more than the "
                    f"{_megapixels(max_pixels())} allowed.")
            image.verify()
        # verify() checks the structure but not every pixel: decode it all, so a truncated scan
        # is refused too. A JPEG is decoded at an eighth of its size (its DCT allows it), which
        # reads every byte of it for a sixty-fourth of the memory.
        with Image.open(io.BytesIO(data)) as image:
            if expected == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except _Refusal:
        raise
    except Image.DecompressionBombError as error:
        # Pillow refuses at open past twice its limit (set to ours in dossiers/apps.py).
        found = re.search(r"\((\d+) pixels\)", str(error))
        pixels = int(found.group(1)) if found else 2 * max_pixels()
        raise _Refusal(
            _("ảnh %(size)s megapixel vượt quá mức tối đa %(max)s megapixel. Hãy quét ở độ "
              "phân giải thấp hơn (300 dpi là đủ).")
            % {"size": _megapixels(pixels), "max": _megapixels(max_pixels())},
            f"the image has {_megapixels(pixels)} megapixels, more than the "
            f"{_megapixels(max_pixels())} allowed.") from None
    except Exception:  # noqa: BLE001 — Pillow raises many types for a damaged image
        raise _damaged() from None
    return JPEG if expected == "JPEG" else PNG


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".rstrip("0").rstrip(".")


def _office_check(data: bytes) -> FileType | None:
    """DOCX or XLSX; None for a ZIP that is neither. Every part is inflated once, in chunks,
    counting the bytes: a part that declares a small size and inflates to gigabytes (a "zip
    bomb") is stopped at the budget, whatever its header claims."""
    budget = max_unpacked_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _ZIP_MAX_ENTRIES:
                raise _Refusal(
                    _("tệp nén chứa %(n)d phần, quá mức %(max)d của một văn bản Word/Excel.")
                    % {"n": len(entries), "max": _ZIP_MAX_ENTRIES},
                    f"the archive holds {len(entries)} parts, more than {_ZIP_MAX_ENTRIES}.")
            inflated = 0
            for entry in entries:
                with archive.open(entry) as part:
                    while chunk := part.read(64 * 1024):
                        inflated += len(chunk)
                        if inflated > budget:
                            raise _Refusal(
                                _("nội dung nén bung ra hơn %(max)s MB, quá mức cho phép của "
                                  "một văn bản Word/Excel (tệp có thể là “bom nén”).")
                                % {"max": _mb(budget)},
                                f"its parts inflate to more than {_mb(budget)} MB.")
            types = archive.read("[Content_Types].xml")
    except _Refusal:
        raise
    except KeyError:
        return None  # a ZIP, but not an Office document
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError,
            NotImplementedError, zlib.error):
        raise _damaged() from None
    if _DOCX_MAIN in types:
        return DOCX
    if _XLSX_MAIN in types:
        return XLSX
    return None


def _inspect(data: bytes) -> FileType | None:
    """The allowed type the bytes are; None if no allowed type; _Refusal when it is one but
    cannot be accepted (damaged, too large once decoded)."""
    if data.startswith(b"%PDF-"):
        return _pdf_check(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _image_check(data, "JPEG")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image_check(data, "PNG")
    if data.startswith(b"PK\x03\x04"):
        return _office_check(data)
    return None


# Names whose presence means a PDF can act when opened: run JavaScript, launch a program, submit
# a form or fetch something. A reader that honours them turns a citizen's paper into a program
# run on an officer's computer; staff are warned and the download is sandboxed.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|SubmitForm|ImportData|RichMedia|"
                         rb"EmbeddedFile|XFA)(?![A-Za-z0-9])")
# Inflating the compressed streams (where object streams hide such names) stops at this budget.
_PDF_SCAN_BUDGET = 50 * MB
_PDF_SCAN_TRY = 512
_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def pdf_active_content(data: bytes) -> list[str]:
    """The active features a PDF declares (JavaScript, Launch, …), looked for in its bytes and in
    its Flate-compressed streams; name escapes (`/J#61vaScript`) are undone first."""
    found: set[str] = set()
    budget = _PDF_SCAN_BUDGET

    def scan(chunk: bytes) -> None:
        chunk = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), chunk)
        found.update(m.group(1).decode() for m in _PDF_ACTIVE.finditer(chunk))

    scan(data)
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        if budget <= 0:
            break
        used, tail = 0, b""
        for piece in _inflated(view, match.end(), budget):
            used += len(piece)
            # With the end of the piece before: a name may straddle two pieces.
            scan(tail + piece)
            tail = piece[-64:]
        # Each try costs the budget at least _PDF_SCAN_TRY: a file of nothing but `stream`
        # keywords (1.2 million in 10 MB) stops after about 100,000 tries (0.5 s), while a real
        # PDF's few thousand streams use a few MB of it.
        budget -= max(used, _PDF_SCAN_TRY)
    return sorted(found)


def _inflated(view: memoryview, start: int, budget: int) -> Iterator[bytes]:
    """What a Flate stream starting at `start` inflates to, in pieces of at most 1 MB and
    `budget` bytes in all (nothing when no stream starts there). The input is read in growing
    steps from the 2-byte zlib header on.

    Handing zlib the rest of the file at each `stream` keyword read a crafted file once per
    keyword: 12,500 keywords in 100 KB made 600 MB of reading, and 1 MB took a worker 17 s.
    Stepping, a keyword that starts no stream costs its two bytes, and a stream what it holds;
    in pieces, a stream inflating to 1 GiB holds 1 MB in memory at a time, not the budget's 50."""
    inflater = zlib.decompressobj()
    end = min(len(view), start + 20 * MB)
    position, step = start, 2
    while budget > 0 and not inflater.eof:
        if inflater.unconsumed_tail:  # input left over when the last piece was full
            chunk: bytes | memoryview = inflater.unconsumed_tail
        elif position < end:
            chunk = view[position:min(end, position + step)]
            position += len(chunk)
            step = min(step * 4, 256 * 1024)
        else:
            return
        try:
            piece = inflater.decompress(chunk, min(budget, MB))
        except zlib.error:
            return
        budget -= len(piece)
        yield piece


def file_type_detect(data: bytes) -> FileType | None:
    """The allowed type the bytes really are, or None (unknown, damaged or not allowed)."""
    try:
        return _inspect(data)
    except _Refusal:
        return None


def upload_check(name: str, data: bytes, *, size: int | None = None) -> FileType:
    """The file's type if it may be attached; UploadRejected naming the file and the reason.

    `size` is the upload's real size when only its first bytes were read (`data` stops one byte
    past the limit), so the message gives the size the person sent.
    """
    name = (name or "").strip() or _("(không tên)")
    size = len(data) if size is None else max(size, len(data))
    if not data:
        raise _reject(name, _("tệp rỗng, không có nội dung."), "the file is empty.")
    if size > max_file_bytes():
        raise _reject(name, _("dung lượng %(size)s MB vượt quá mức tối đa %(max)s MB cho "
                              "một tệp.") % {"size": _mb(size), "max": _mb(max_file_bytes())},
                      f"{_mb(size)} MB is more than the {_mb(max_file_bytes())} MB allowed "
                      "for one file.")
    try:
        kind = _inspect(data)
    except _Refusal as refusal:
        raise _reject(name, refusal.why, refusal.why_en) from None
    if kind is None:
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
