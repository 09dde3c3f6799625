"""A head's signature made by a remote-signing service (ký số từ xa), behind the signing interface.

The head's private key lives with the service (a trust-service provider's remote signing, or a
signing device the head confirms on); motcua never sees it. pyHanko builds the PAdES signature as
for a local key and asks the service for the one raw signature it needs, over HTTP:

    GET  <url>/keys/<key id>/certificate   → {"certificate": base64 DER, "chain": [base64 DER]}
    POST <url>/keys/<key id>/sign          {"digest_algorithm": "sha256", "data": base64,
                                            "description": "<what is signed>"}
                                           → {"signature": base64}

with `Authorization: Bearer <MOTCUA_REMOTE_SIGNING_TOKEN>`. `results/remote_signing_simulator.py`
speaks the same protocol with a local key (tests and the demo). Any failure (service down, refused,
an answer that is not a signature, no answer within MOTCUA_REMOTE_SIGNING_TIMEOUT) raises
`RemoteSigningFailed`. The head's confirmation page asks for the signature outside the approval's
transaction (results/drafting.py draft_sign), so a slow service locks nothing and a failure leaves
the dossier as it was.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import httpx
from asn1crypto import x509
from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils import timezone
from pyhanko.sign import signers
from pyhanko_certvalidator.errors import AlgorithmNotSupported
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.sig_validate import (
    DefaultSignatureValidator,
    SignatureValidationContext,
)

from motcua.errors import DomainError
from results.certificate_holder import ExpectedSigner, issued_to


class RemoteSigningFailed(DomainError):
    """The remote-signing service could not sign; nothing was signed."""

    def __init__(self, detail: str, message: str = "") -> None:
        super().__init__(
            "remote_signing_failed",
            message or (
                "Không ký được qua dịch vụ ký số từ xa (dịch vụ không phản hồi, quá thời gian chờ "
                "hoặc từ chối ký). Văn bản chưa được ký, hồ sơ chưa được phê duyệt; hãy thử lại "
                "sau (số văn bản đã dành được giữ cho lần ký lại) hoặc liên hệ quản trị hệ "
                "thống."),
            f"The remote-signing service could not sign ({detail}); nothing was signed and the "
            "dossier is not approved. Try again later: the number kept for this document is "
            "used again.",
            http_status=503)
        self.detail = detail


_ANOTHER_PERSON = "the certificate names another person"


def certificate_refusal(cert: x509.Certificate, signer: ExpectedSigner,
                        now: datetime) -> str | None:
    """Why the service's certificate may not sign for `signer` at `now`, or None if it may.

    Decree 130/2018/NĐ-CP, art. 9 clause 1 (kept by the Law on E-Transactions 20/2023/QH15 and
    Decree 23/2025/NĐ-CP): a digital signature is secure only when made while its certificate
    is valid, with the key that certificate names — and a head's signature is the head's only
    on a certificate issued to the head. The service is another system: a key id mistyped in
    a signature block, a certificate left past its term or one another person holds on the
    same service would otherwise sign results in the head's name.
    """
    validity = cert["tbs_certificate"]["validity"]
    if now < validity["not_before"].native:
        return "the certificate is not valid yet"
    if now > validity["not_after"].native:
        return "the certificate has expired"
    # The holder rule is shared with the installation's own PKCS#12 files (results/signing.py).
    return None if issued_to(cert, signer) else _ANOTHER_PERSON


class RemoteSigningClient:
    """The service's HTTP protocol (above), one key at a time."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict:
        try:
            response = httpx.request(method, f"{self.url}{path}", json=body,
                                     headers={"Authorization": f"Bearer {self.token}"},
                                     timeout=self.timeout)
        except httpx.HTTPError as e:
            raise RemoteSigningFailed(f"{type(e).__name__}: {e}") from e
        if response.status_code != 200:
            raise RemoteSigningFailed(f"HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as e:
            raise RemoteSigningFailed("the answer is not JSON") from e
        if not isinstance(data, dict):
            raise RemoteSigningFailed("the answer is not an object")
        return data

    @staticmethod
    def _bytes(data: dict, key: str) -> bytes:
        try:
            return base64.b64decode(data[key], validate=True)
        except (KeyError, TypeError, ValueError) as e:
            raise RemoteSigningFailed(f"no valid '{key}' in the answer") from e

    def certificate(self, key_id: str) -> tuple[x509.Certificate, list[x509.Certificate]]:
        data = self._call("GET", f"/keys/{key_id}/certificate")
        try:
            cert = x509.Certificate.load(self._bytes(data, "certificate"))
            cert.native  # noqa: B018 - parse it all now, not in the middle of signing
            chain = [x509.Certificate.load(base64.b64decode(c)) for c in data.get("chain", [])]
        except (ValueError, TypeError) as e:
            raise RemoteSigningFailed("the certificate cannot be read") from e
        return cert, chain

    def sign(self, key_id: str, data: bytes, digest_algorithm: str, description: str) -> bytes:
        answer = self._call("POST", f"/keys/{key_id}/sign", {
            "digest_algorithm": digest_algorithm, "data": base64.b64encode(data).decode(),
            "description": description})
        return self._bytes(answer, "signature")


class RemoteSigner(signers.Signer):
    """A pyHanko signer whose raw signatures the remote service makes."""

    def __init__(self, client: RemoteSigningClient, key_id: str, description: str,
                 signer: ExpectedSigner) -> None:
        cert, chain = client.certificate(key_id)
        # Checked before the service is asked for any signature.
        refused = certificate_refusal(cert, signer, timezone.now())
        if refused is not None:
            why = ("đã hết hạn hoặc chưa có hiệu lực" if refused != _ANOTHER_PERSON
                   else f"không cấp cho {signer.name}")
            raise RemoteSigningFailed(refused, (
                f"Chứng thư số mà dịch vụ ký số từ xa dùng để ký {why}. Văn bản chưa được ký, "
                "hồ sơ chưa được phê duyệt; liên hệ quản trị hệ thống để kiểm tra chứng thư và "
                "mã chứng thư trong thể thức chữ ký."))
        super().__init__(signing_cert=cert,
                         cert_registry=SimpleCertificateStore.from_certs([cert, *chain]))
        self.client, self.key_id, self.description = client, key_id, description

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if dry_run:
            # pyHanko sizes the signature field first: an RSA signature is as long as the key.
            return bytes(self.signing_cert.public_key.bit_size // 8)
        signature = self.client.sign(self.key_id, data, digest_algorithm, self.description)
        # The answer goes into the result as the head's signature: one that the certificate
        # the service named does not verify (a garbled answer, another key's signature) would
        # issue a result no reader accepts, and approve the dossier with it.
        try:
            DefaultSignatureValidator().validate_signature(
                signature, data, self.signing_cert.public_key,
                self.get_signature_mechanism_for_digest(digest_algorithm),
                SignatureValidationContext(contextual_md_algorithm=digest_algorithm))
        except (InvalidSignature, ValueError, TypeError, AssertionError,
                AlgorithmNotSupported):
            raise RemoteSigningFailed(
                "the signature does not match the service's certificate") from None
        return signature


def remote_client() -> RemoteSigningClient:
    url = settings.MOTCUA_REMOTE_SIGNING_URL
    if not url:
        raise RemoteSigningFailed("MOTCUA_REMOTE_SIGNING_URL is not set")
    return RemoteSigningClient(url, settings.MOTCUA_REMOTE_SIGNING_TOKEN,
                               settings.MOTCUA_REMOTE_SIGNING_TIMEOUT)
