"""PAdES signatures with pyHanko: the head of agency's signature and the agency seal.

Every signature is PAdES baseline (subfilter ETSI.CAdES.detached) over SHA-256, made with a key
from a PKCS#12 file named in settings. Signing is local CPU work (no network), which is why it can
run inside the approving transaction. The optional RFC 3161 timestamp needs the TSA over HTTP:
`timestamp_add` appends it as a document timestamp, and is called after the commit.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import httpx
from asn1crypto import tsp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import set_tsp_headers

from motcua.errors import DomainError

log = logging.getLogger(__name__)

HEAD = "head"
SEAL = "seal"
# Field names in the PDF's AcroForm; readers list signatures by these names.
FIELD_NAMES = {HEAD: "ChuKyLanhDao", SEAL: "ConDauCoQuan"}


@dataclass(frozen=True)
class Signer:
    role: str  # HEAD or SEAL
    signer: signers.Signer

    @property
    def name(self) -> str:
        return certificate_name(self.signer.signing_cert)


def certificate_name(cert) -> str:
    """The subject's common name, else the whole subject in readable form."""
    subject = cert.subject.native
    return subject.get("common_name") or cert.subject.human_friendly


class KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, keeping the parsed private key.

    SimpleSigner parses the key again for every raw signature (two per PDF signature), and
    `cryptography` checks an RSA key's consistency on every parse: about 0.15 s each time. Parsing
    once per process makes a signature about 5x cheaper (bench/results_signing.py measures it).
    """

    _parsed_key = None
    # The certificate's validity dates, read once when the file is loaded (_within_term).
    term: tuple[datetime, datetime] | None = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism["algorithm"].native not in ("rsassa_pkcs1v15", "sha256_rsa"):
            return super().sign_raw(data, digest_algorithm)
        if self._parsed_key is None:
            self._parsed_key = serialization.load_der_private_key(self.signing_key.dump(),
                                                                  password=None)
        return self._parsed_key.sign(data, PKCS1v15(),
                                     get_pyca_cryptography_hash(digest_algorithm))


@lru_cache(maxsize=8)
def _load(path: str, password: str, mtime: float) -> KeptKeySigner:
    # mtime is part of the cache key: replacing the file (certificate renewal) takes effect
    # without a restart.
    loaded = signers.SimpleSigner.load_pkcs12_data(
        Path(path).read_bytes(), other_certs=(), passphrase=password.encode() or None)
    kept = KeptKeySigner(signing_key=loaded.signing_key, signing_cert=loaded.signing_cert,
                         cert_registry=loaded.cert_registry)
    validity = loaded.signing_cert["tbs_certificate"]["validity"]
    kept.term = (validity["not_before"].native, validity["not_after"].native)
    return kept


def _signer_from(path: str, password: str, role: str) -> Signer | None:
    if not path:
        return None
    file = Path(path)
    if not file.is_file():
        return None
    try:
        loaded = _load(str(file), password, file.stat().st_mtime)
    except ValueError as e:
        # A wrong password or a damaged file is an operator's mistake: say so loudly.
        raise DomainError(
            "signing_key_unusable",
            "Không đọc được chứng thư số ký kết quả (sai mật khẩu hoặc tệp hỏng). "
            "Liên hệ quản trị hệ thống.",
            f"The signing PKCS#12 file {path} cannot be read: {e}", http_status=500) from e
    _within_term(loaded, path)
    return Signer(role, loaded)


def _within_term(loaded: KeptKeySigner, path: str) -> None:
    """Refuse a certificate outside its validity dates (audit6). Decree 130/2018/NĐ-CP art. 9
    clause 1: a signature made outside them is not a secure digital signature, so a result
    signed with a PKCS#12 left past its renewal would be issued, and approve its dossier,
    with a signature no reader accepts. The dates are read once per loaded file (_load)."""
    if loaded.term is None:
        return
    start, end = loaded.term
    now = timezone.now()
    if not start <= now <= end:
        raise DomainError(
            "signing_certificate_expired",
            "Chứng thư số ký kết quả đã hết hạn hoặc chưa có hiệu lực (hiệu lực "
            f"{timezone.localtime(start):%d/%m/%Y} – {timezone.localtime(end):%d/%m/%Y}), nên "
            "chưa thể ban hành kết quả điện tử. Hồ sơ chưa được phê duyệt; liên hệ quản trị hệ "
            "thống để gia hạn chứng thư.",
            f"The signing certificate in {path} is outside its validity "
            f"({start:%Y-%m-%d} – {end:%Y-%m-%d}): renew it.", http_status=503)


def _unit_seal_path(unit_code: str | None) -> str:
    """The unit's own seal, `<MOTCUA_SIGNING_UNIT_DIR>/<unit code>.p12`, if there is one; else
    the installation's seal (MOTCUA_SIGNING_PKCS12)."""
    folder = getattr(settings, "MOTCUA_SIGNING_UNIT_DIR", "")
    if folder and unit_code:
        own = Path(folder) / f"{unit_code}.p12"
        if own.is_file():
            return str(own)
    return settings.MOTCUA_SIGNING_PKCS12


def configured_signers(unit_code: str | None = None) -> list[Signer]:
    """The head's signature first (when configured), then the seal of `unit_code`'s unit."""
    found = [
        _signer_from(settings.MOTCUA_SIGNING_HEAD_PKCS12,
                     settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD, HEAD),
        _signer_from(_unit_seal_path(unit_code), settings.MOTCUA_SIGNING_PKCS12_PASSWORD, SEAL),
    ]
    return [s for s in found if s is not None]


def seal_or_refuse(unit_code: str | None = None) -> list[Signer]:
    """The seal of `unit_code`'s unit, as a list; refuses when there is none and signatures are
    required, else (DEBUG) an empty list: the result is issued unsigned."""
    seal = _signer_from(_unit_seal_path(unit_code), settings.MOTCUA_SIGNING_PKCS12_PASSWORD, SEAL)
    if seal is None and settings.MOTCUA_SIGNING_REQUIRED:
        raise DomainError(
            "signing_not_configured",
            "Chưa cấu hình chứng thư số của cơ quan nên không thể ban hành kết quả điện tử.",
            "No agency signing certificate is configured (MOTCUA_SIGNING_PKCS12).",
            http_status=503)
    if seal is None:
        _unsigned_said()
        return []
    return [seal]


# When this process last said it issues unsigned results (time.monotonic()).
_UNSIGNED_SAID: list[float] = []
UNSIGNED_SAID_EVERY = 60.0


def _unsigned_said() -> None:
    """Warn that results go out unsigned — at most once a minute in a process. The setting does
    not change while the process runs, so the warning tells the operator nothing new on the next
    approval; written on every one, it was a line on the server's error stream per approval (a
    write to gunicorn's stderr in the request, which the essential approval does not make) and
    buried every other warning under it (issue #18)."""
    now = time.monotonic()
    if _UNSIGNED_SAID and now - _UNSIGNED_SAID[0] < UNSIGNED_SAID_EVERY:
        return
    _UNSIGNED_SAID[:] = [now]
    log.warning("Issuing an UNSIGNED result: MOTCUA_SIGNING_PKCS12 is not usable "
                "(said at most once a minute in each process)")


def form_signers_or_refuse(unit_code: str | None, *, actor_pk: int | None, actor_username: str,
                           actor_name: str) -> list[Signer]:
    """The signers of a form the agency issues (Form 04, the apology letter): the head's
    signature of the person the form names as its signer (the apology's actor), when the
    installation keeps a certificate issued to them, then the seal; the seal alone otherwise.

    A form's signature is its named signer's own (Decree 130/2018/NĐ-CP art. 9 cl. 1), as a
    result's is (`own_head_signer`): the installation's head file is never put on a letter
    another person signs. Unlike an approval, a letter already issued is not refused for want
    of a head's certificate: the agency's seal alone still vouches for it (Decree 30/2020/NĐ-CP
    art. 8 — the organisation's digital signature on its electronic document)."""
    seal = seal_or_refuse(unit_code)
    if not seal:
        return []
    try:
        head = (person_head_signer(username=actor_username, name=actor_name, signer_pk=actor_pk)
                if actor_name else None)
    except DomainError as error:
        if error.code != "signing_certificate_not_signer":
            raise
        head = None
    return [head, *seal] if head is not None else seal


@dataclass(frozen=True)
class SignedPdf:
    content: bytes
    signatures: list[dict]
    timestamped: bool = False


class HttpTimeStamper(TimeStamper):
    """RFC 3161 over HTTP with httpx (pyHanko's own client needs `requests`, which we skip)."""

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__()
        self.url, self.timeout = url, timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.post(self.url, content=req.dump(),
                                         headers=set_tsp_headers({}))
        response.raise_for_status()
        if response.headers.get("Content-Type", "").split(";")[0] != "application/timestamp-reply":
            raise httpx.HTTPError("The TSA did not answer with a timestamp reply")
        return tsp.TimeStampResp.load(response.content)


def timestamper() -> HttpTimeStamper | None:
    url = settings.MOTCUA_TSA_URL
    return HttpTimeStamper(url, settings.MOTCUA_TSA_TIMEOUT) if url else None


def pdf_sign(content: bytes, *, signer_list: list[Signer], reason: str, location: str,
             with_timestamp: bool = False) -> SignedPdf:
    """Apply each signer's PAdES signature in turn, each as an incremental update.

    The second signature covers the first, so a reader sees the seal confirm the head's
    signature, as a red seal stamped over a signature does on paper.
    """
    tsa = timestamper() if with_timestamp else None
    made: list[dict] = []
    for s in signer_list:
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAMES[s.role], subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256", reason=reason, location=location, name=s.name,
        )
        out = io.BytesIO()
        signers.PdfSigner(meta, signer=s.signer, timestamper=tsa).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(content), strict=False), output=out)
        content = out.getvalue()
        made.append({"role": s.role, "name": s.name, "at": timezone.now().isoformat()})
    return SignedPdf(content, made, timestamped=bool(tsa and made))


def timestamp_add(content: bytes) -> bytes | None:
    """Append an RFC 3161 document timestamp from the configured TSA; None if none is set."""
    tsa = timestamper()
    if tsa is None:
        return None
    out = io.BytesIO()
    PdfTimeStamper(tsa, field_name="DauThoiGian").timestamp_pdf(
        IncrementalPdfFileWriter(io.BytesIO(content), strict=False), "sha256", output=out)
    return out.getvalue()


def signed_at(signature: dict) -> datetime | None:
    from django.utils.dateparse import parse_datetime

    return parse_datetime(signature.get("at", ""))


def signers_for(unit_code: str | None, block) -> list[Signer]:
    """The signers of a result: the head's signature as the signer's block says (the local
    PKCS#12, the default, or the remote-signing service), then the unit's seal.

    `block` is a results.signature_blocks.BlockText (or None: no approver, the seal alone).
    A local head's certificate must be issued to the approver (`own_head_signer`)."""
    # The seal alone here: the installation's head file is read only for its holder (an
    # expired or unreadable one refuses no one else's approval).
    seal = seal_or_refuse(unit_code)
    if block is None or block.method != "remote":
        if not seal:
            return seal  # no seal and none required: the result is issued unsigned
        head = own_head_signer(block)
        return [head, *seal] if head is not None else seal
    from accounts.models import User
    from accounts.selectors import proven_ids
    from results.remote_signing import ExpectedSigner, RemoteSigner, remote_client

    account = User.objects.filter(pk=block.signer_pk).first() if block.signer_pk else None
    head = RemoteSigner(remote_client(), block.remote_key_id or "default",
                        description=f"{block.name} — {' / '.join(block.lines)}",
                        signer=ExpectedSigner(block.name, proven_ids(account) if account
                                              else frozenset()))
    return [Signer(HEAD, head), *seal]


def _head_path(username: str) -> str:
    """The approver's own file, `<MOTCUA_SIGNING_HEAD_DIR>/<username>.p12`, if there is one;
    else the installation's head certificate (MOTCUA_SIGNING_HEAD_PKCS12)."""
    folder = getattr(settings, "MOTCUA_SIGNING_HEAD_DIR", "")
    # A username holds no "/" (Django's validator); one that did would name no file here.
    if folder and username and "/" not in username and username not in (".", ".."):
        own = Path(folder) / f"{username}.p12"
        if own.is_file():
            return str(own)
    return settings.MOTCUA_SIGNING_HEAD_PKCS12


def own_head_signer(block) -> Signer | None:
    """The approver's head signature from a PKCS#12 file the installation keeps, refused when
    the certificate is not issued to the approver; None when no file is configured.

    Decree 130/2018/NĐ-CP art. 9 clause 1 and Decree 30/2020/NĐ-CP art. 13: the signature is
    the competent signer's own, so the installation-wide file (MOTCUA_SIGNING_HEAD_PKCS12) signs
    for its holder alone — the rule the remote-signing service's certificate is held to
    (results/certificate_holder.py). Without an approver (`block` None) no one's head
    signature can be made: the seal alone signs. Checked before anything is written: the
    approval's transaction calls this before taking the number (services.result_issue), the
    confirmation page before its first move (drafting.draft_sign)."""
    if block is None:
        return None
    return person_head_signer(username=block.username, name=block.name,
                              signer_pk=block.signer_pk)


def person_head_signer(*, username: str, name: str, signer_pk: int | None) -> Signer | None:
    """The head signature the installation keeps for the person `name` (account `signer_pk`,
    `username`): their own file, else the installation's if they are its holder; refused
    (`signing_certificate_not_signer`) when the certificate is another person's; None when no
    file is configured (`own_head_signer`)."""
    path = _head_path(username)
    head = _signer_from(path, settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD, HEAD)
    if head is None:
        return None
    from results.certificate_holder import ExpectedSigner, certificate_numbers, issued_to

    cert = head.signer.signing_cert
    numbers: frozenset[str] = frozenset()
    if signer_pk and certificate_numbers(cert):
        # Only a certificate naming an identity number needs the approver's proven ones (a
        # query): most test and staff certificates name the holder by name alone.
        from accounts.models import User
        from accounts.selectors import proven_ids

        account = User.objects.filter(pk=signer_pk).first()
        numbers = proven_ids(account) if account else frozenset()
    if not issued_to(cert, ExpectedSigner(name, numbers)):
        holder = head.name
        raise DomainError(
            "signing_certificate_not_signer",
            f"Chứng thư số ký của lãnh đạo trên máy chủ được cấp cho {holder}, không phải cho "
            f"{name}: không thể ký kết quả bằng chứng thư số của người khác. Hồ sơ chưa "
            "được phê duyệt, chưa có gì được ghi. Đề nghị quản trị hệ thống cấu hình ký số từ "
            f"xa bằng chứng thư số của chính {name} trong thể thức chữ ký (trang quản "
            "trị “Thể thức chữ ký”: hình thức ký số “Dịch vụ ký số từ xa” và mã chứng thư của "
            "người ký trên dịch vụ).",
            f"The head's signing certificate on the server is issued to {holder}, not "
            f"to {name}: a result is never signed with another person's certificate. "
            "Nothing was approved or written. Configure remote signing with the approver's own "
            "certificate in their signature block (method “remote”, the key id on the "
            "remote-signing service), or give them their own file in MOTCUA_SIGNING_HEAD_DIR.",
            http_status=409)
    return head
