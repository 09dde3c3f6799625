"""Check a signed PDF against the configured trust roots and say, in Vietnamese, what holds.

For every signature: who signed (the certificate's subject), when (the signer's claimed time and,
if present, the TSA's), whether the signed bytes are intact, whether the certificate chains to a
trusted root, and how much of the file it covers. A document passes only if every signature does
and whatever was added after a signature is of the kinds a later signer or a timestamp adds
(pyHanko's difference analysis: at most "form filling", i.e. a new signature field).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

from results.signing import certificate_name

log = logging.getLogger(__name__)

COVERAGE_TEXT = {
    "file": "Toàn bộ tài liệu",
    "revision": "Phiên bản đã ký; phần thêm sau khi ký chỉ là chữ ký số hoặc dấu thời gian",
    "revision_modified": "Phiên bản đã ký; tài liệu đã bị thay đổi sau khi ký",
    "partial": "Chỉ một phần tài liệu",
}


@dataclass
class SignatureCheck:
    field: str
    signer: str
    organisation: str
    issuer: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    is_timestamp: bool
    intact: bool
    trusted: bool
    coverage: str  # key of COVERAGE_TEXT
    ok: bool
    problems: list[str] = field(default_factory=list)

    @property
    def integrity_text(self) -> str:
        return ("Nguyên vẹn: nội dung không thay đổi kể từ khi ký" if self.intact
                else "Đã bị sửa đổi: nội dung không còn khớp với chữ ký")

    @property
    def coverage_text(self) -> str:
        return COVERAGE_TEXT[self.coverage]

    def as_dict(self) -> dict:
        return {
            "field": self.field, "signer": self.signer, "organisation": self.organisation,
            "issuer": self.issuer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamp_at": self.timestamp_at.isoformat() if self.timestamp_at else None,
            "is_timestamp": self.is_timestamp, "intact": self.intact, "trusted": self.trusted,
            "coverage": self.coverage, "coverage_text": self.coverage_text,
            "integrity_text": self.integrity_text, "ok": self.ok, "problems": self.problems,
        }


@dataclass
class VerificationReport:
    valid: bool
    summary: str
    summary_en: str
    signatures: list[SignatureCheck] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"valid": self.valid, "summary": self.summary, "summary_en": self.summary_en,
                "signatures": [s.as_dict() for s in self.signatures]}


@lru_cache(maxsize=4)
def _roots(paths: tuple[str, ...], mtimes: tuple[float, ...]) -> tuple:
    certs = []
    for path in paths:
        certs.extend(load_certs_from_pemder([path]))
    return tuple(certs)


def trust_roots() -> tuple:
    """Certificates of MOTCUA_TRUST_ROOTS that exist (re-read when a file changes)."""
    paths = tuple(p for p in settings.MOTCUA_TRUST_ROOTS if Path(p).is_file())
    return _roots(paths, tuple(Path(p).stat().st_mtime for p in paths))


def _context() -> ValidationContext:
    # No fetching: the verification page must answer without reaching out to CRL/OCSP servers
    # an uploader could name; revocation is "soft-fail" (checked when the data is embedded).
    return ValidationContext(trust_manager=SimpleTrustManager.build(trust_roots=trust_roots()),
                             allow_fetching=False)


def _subject_org(cert) -> str:
    return cert.subject.native.get("organization_name", "") or ""


def _coverage(status) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "file"
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        level = status.modification_level
        if level is not None and level <= ModificationLevel.FORM_FILLING and status.docmdp_ok:
            return "revision"
        return "revision_modified"
    return "partial"


def _check(sig) -> SignatureCheck:
    is_ts = sig.sig_object_type == "/DocTimeStamp"
    if is_ts:
        status = validate_pdf_timestamp(sig, validation_context=_context())
        cert = status.signing_cert
        signed_at = status.timestamp
        ts_at = status.timestamp
    else:
        status = validate_pdf_signature(sig, _context())
        cert = status.signing_cert
        signed_at = status.signer_reported_dt
        ts_at = status.timestamp_validity.timestamp if status.timestamp_validity else None
    coverage = _coverage(status)
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    problems = []
    if not intact:
        problems.append("Chữ ký không khớp với nội dung: tệp đã bị sửa sau khi ký.")
    if intact and not trusted:
        problems.append("Chứng thư số của người ký không thuộc tổ chức cung cấp dịch vụ chứng "
                        "thực được tin cậy (hoặc đã hết hạn, bị thu hồi).")
    if coverage in ("partial", "revision_modified"):
        problems.append("Tài liệu có nội dung được thêm hoặc thay đổi sau khi ký.")
    stamp = None if is_ts else status.timestamp_validity
    if stamp is not None and not (stamp.intact and stamp.valid and stamp.trusted):
        problems.append("Dấu thời gian kèm chữ ký không hợp lệ.")
    return SignatureCheck(
        field=sig.field_name or "", signer=certificate_name(cert),
        organisation=_subject_org(cert), issuer=cert.issuer.native.get("common_name", ""),
        signed_at=signed_at, timestamp_at=ts_at, is_timestamp=is_ts, intact=intact,
        trusted=trusted, coverage=coverage, ok=not problems, problems=problems)


# How many PDF objects (numbers, names, strings, arrays, dictionaries …) one check may parse.
# A one-page signed result takes about 1,700; a crafted 18 MB file holding one array of nine
# million numbers took pyHanko 176 s and 8.7 GB, since each element becomes a Python object. At
# this bound a check costs at most about 1.5 s and 100 MB.
MAX_PARSED_OBJECTS = 250_000

_parse_budget: ContextVar[list[int] | None] = ContextVar("pdf_parse_budget", default=None)
_read_object = generic.read_object


class PdfTooComplex(Exception):
    """More objects than a check may parse (not pyHanko's PdfReadError, which it may swallow)."""


# How deep objects may nest while parsed (arrays in arrays, dictionaries in them): a real
# document nests a handful; the crafted file of issue #17 nests a thousand in 2 KB, and the
# parser, one call a level, ran until Python's recursion limit — a RecursionError whose
# thousand-frame traceback, freed later, could fail in the garbage collector's finalizers
# (an "unraisable" exception). Refused here, at a bounded depth, before any of that.
MAX_PARSE_NESTING = 100


def _counted_read_object(*args, **kwargs):
    budget = _parse_budget.get()
    if budget is None:
        return _read_object(*args, **kwargs)
    budget[0] -= 1
    if budget[0] < 0:
        raise PdfTooComplex(f"more than {MAX_PARSED_OBJECTS:,} PDF objects")
    # budget[1]: how many reads are open now, one inside the other (the nesting depth).
    budget[1] += 1
    try:
        if budget[1] > MAX_PARSE_NESTING:
            raise PdfTooComplex(f"PDF objects nested deeper than {MAX_PARSE_NESTING}")
        return _read_object(*args, **kwargs)
    finally:
        budget[1] -= 1


# One hex string's digits at most (a signature's /Contents takes 8–64 KB). pyHanko reads one
# digit at a time into a list: an 18 MB string took 19 s and 1.7 GB, while counting objects sees
# a single one.
MAX_HEX_STRING_DIGITS = 2_000_000
_read_hex_string = generic.read_hex_string_from_stream
_HEX_END = re.compile(rb">")


def _bounded_read_hex_string(stream):
    if _parse_budget.get() is not None and hasattr(stream, "getbuffer"):
        start = stream.tell()
        with stream.getbuffer() as view:  # the reader's BytesIO, searched without a copy
            end = min(len(view), start + MAX_HEX_STRING_DIGITS + 2)
            closed = _HEX_END.search(view, start, end) is not None
        if not closed:
            raise PdfTooComplex(f"a hex string longer than {MAX_HEX_STRING_DIGITS:,} digits")
    return _read_hex_string(stream)


# pyHanko's parser reads every object through these module functions (arrays and dictionaries
# call read_object for each element), so counting there bounds a reading. The count runs only
# inside `_parse_bounded` (a context variable: a thread or request outside it is not counted).
generic.read_object = _counted_read_object
generic.read_hex_string_from_stream = _bounded_read_hex_string


@contextmanager
def _parse_bounded() -> Iterator[None]:
    """Count the objects parsed inside; a check within a check shares the outer budget."""
    if _parse_budget.get() is not None:
        yield
        return
    token = _parse_budget.set([MAX_PARSED_OBJECTS, 0])
    try:
        yield
    finally:
        _parse_budget.reset(token)


def pdf_readable(content: bytes) -> bool:
    """Whether pyHanko can read the document's structure: its catalogue, page tree and form
    fields. A crafted file (a thousand nested arrays in 2 KB) makes a parser recurse until
    Python stops it, another holds millions of objects; each is an unreadable PDF, not a server
    error or a worker's memory."""
    try:
        with _parse_bounded():
            reader = PdfFileReader(io.BytesIO(content), strict=False)
            root = reader.root
            _walk(root, seen=set(), budget=[20_000])
            list(reader.embedded_signatures)
    except Exception as e:  # noqa: BLE001 - any parser failure means "not readable"
        log.info("Unreadable PDF: %s: %s", type(e).__name__, e)
        return False
    return True


def _walk(value, *, seen: set, budget: list[int], depth: int = 0) -> None:
    """Resolve the objects reachable from the catalogue once each (at most `budget` of them), so
    that everything pyHanko will later touch has been parsed; deeper than MAX_DEPTH is refused."""
    from pyhanko.pdf_utils import generic

    if depth > MAX_DEPTH:
        raise ValueError("PDF objects nested too deeply")
    budget[0] -= 1
    if budget[0] < 0:
        return
    if isinstance(value, generic.IndirectObject):
        key = (value.idnum, value.generation)
        if key in seen:
            return
        seen.add(key)
        value = value.get_object()
    if isinstance(value, generic.DictionaryObject):
        for item in value.values():
            _walk(item, seen=seen, budget=budget, depth=depth + 1)
    elif isinstance(value, generic.ArrayObject):
        for item in value:
            _walk(item, seen=seen, budget=budget, depth=depth + 1)


# Real documents nest a few dozen levels (page tree, annotations, structure tree).
MAX_DEPTH = 200


def pdf_verify(content: bytes) -> VerificationReport:
    """Verify every signature of `content`; never raises on a bad upload, reports it instead.
    The whole check parses at most MAX_PARSED_OBJECTS objects."""
    with _parse_bounded():
        return _verify(content)


def _verify(content: bytes) -> VerificationReport:
    if not pdf_readable(content):
        return VerificationReport(False, "Tệp không phải là PDF hợp lệ hoặc đã bị hỏng.",
                                  "The file is not a readable PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as e:  # noqa: BLE001 - a crafted file must give an answer, not a 500
        log.info("Unreadable PDF at verification: %s", e)
        return VerificationReport(False, "Tệp không phải là PDF hợp lệ hoặc đã bị hỏng.",
                                  "The file is not a readable PDF.")
    if not embedded:
        return VerificationReport(False, "Tài liệu không có chữ ký số.",
                                  "The document carries no digital signature.")
    checks = []
    for sig in embedded:
        try:
            checks.append(_check(sig))
        except Exception as e:  # noqa: BLE001 - a crafted file must give an answer, not a 500
            log.warning("Signature %s could not be validated: %s", sig.field_name, e)
            checks.append(SignatureCheck(
                field=sig.field_name or "", signer="", organisation="", issuer="",
                signed_at=None, timestamp_at=None, is_timestamp=False, intact=False,
                trusted=False, coverage="partial", ok=False,
                problems=["Không kiểm tra được chữ ký này (cấu trúc chữ ký không hợp lệ)."]))
    valid = all(c.ok for c in checks)
    if valid:
        names = ", ".join(c.signer for c in checks if not c.is_timestamp)
        return VerificationReport(True, f"Chữ ký số hợp lệ. Tài liệu nguyên vẹn, được ký bởi: "
                                        f"{names}.",
                                  "All signatures are valid and the document is intact.", checks)
    if any(not c.intact for c in checks):
        return VerificationReport(False, "Tài liệu đã bị sửa đổi sau khi ký: chữ ký số không "
                                         "còn giá trị.",
                                  "The document was modified after signing.", checks)
    return VerificationReport(False, "Chữ ký số không được xác thực: xem chi tiết từng chữ ký.",
                              "At least one signature could not be validated.", checks)
