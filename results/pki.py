"""A test public-key infrastructure for the demo and the tests: a root CA and the certificates it
issues (the agency seal, the head of agency, a time-stamping authority).

Production never uses this: a unit's certificate comes from a licensed CA (the Government CA of
Ban Cơ yếu Chính phủ for agencies, or a public CA) as a PKCS#12 file named in settings
(docs/results.md).
The demo needs the same shape so the whole signing and verification path runs for real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# 2048-bit RSA: the size Vietnamese public CAs issue for signing certificates; also what
# bench/ measures signatures per second with.
KEY_SIZE = 2048


@dataclass(frozen=True)
class PkiPaths:
    """Where `results_demo_pki` writes: one directory, fixed names."""

    root: Path

    @property
    def ca_cert(self) -> Path:
        return self.root / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.root / "ca-key.pem"

    @property
    def unit(self) -> Path:
        return self.root / "unit.p12"

    @property
    def head(self) -> Path:
        return self.root / "head.p12"

    @property
    def remote_head(self) -> Path:
        """The head who signs through the remote-signing simulator: a certificate of their own,
        as the service must name the signer's (results/remote_signing.py)."""
        return self.root / "remote-head.p12"

    @property
    def tsa(self) -> Path:
        return self.root / "tsa.p12"

    @property
    def heads(self) -> Path:
        """Each head's own certificate, `<username>.p12` (MOTCUA_SIGNING_HEAD_DIR): the
        installation's head.p12 signs for its holder alone (results/signing.py)."""
        return self.root / "heads"

    def own_head(self, username: str) -> Path:
        return self.heads / f"{username}.p12"


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _issue(*, subject: x509.Name, key: rsa.RSAPrivateKey, issuer: x509.Name,
           issuer_key: rsa.RSAPrivateKey, ca: bool, years: int,
           eku: list[x509.ObjectIdentifier] | None = None) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None if not ca else 0),
                       critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
    )
    if ca:
        usage = x509.KeyUsage(digital_signature=True, content_commitment=False,
                              key_encipherment=False, data_encipherment=False,
                              key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False)
    else:
        # Non-repudiation (content commitment) is what a document signature asserts; validators
        # (pyHanko's default among them) require it on a signer's certificate.
        usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                              key_encipherment=False, data_encipherment=False,
                              key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False)
    builder = builder.add_extension(usage, critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_p12(path: Path, *, name: str, key: rsa.RSAPrivateKey, cert: x509.Certificate,
               ca_cert: x509.Certificate, password: str) -> None:
    data = pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca_cert],
        serialization.BestAvailableEncryption(password.encode()))
    path.write_bytes(data)
    path.chmod(0o600)


def demo_pki_create(*, root: Path, password: str, unit_name: str, head_name: str,
                    organisation: str, force: bool = False,
                    remote_head_name: str = "") -> PkiPaths:
    """Create (or keep, unless `force`) a test CA and its unit, head and TSA certificates."""
    paths = PkiPaths(root)
    if not force and all(p.exists() for p in (paths.ca_cert, paths.unit, paths.head,
                                               paths.tsa)):
        if remote_head_name and not paths.remote_head.exists():
            # An older demo directory: add the certificate, under its CA (earlier signatures
            # stay trusted).
            _remote_head_issue(paths, remote_head_name, organisation, password)
        return paths
    root.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca_name = _name("motcua Demo Root CA (THỬ NGHIỆM)", organisation)
    ca_cert = _issue(subject=ca_name, key=ca_key, issuer=ca_name, issuer_key=ca_key, ca=True,
                     years=10)
    paths.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.ca_key.write_bytes(ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode())))
    paths.ca_key.chmod(0o600)
    for path, cn, eku in (
        (paths.unit, unit_name, None),
        (paths.head, head_name, None),
        (paths.tsa, "motcua Demo TSA", [ExtendedKeyUsageOID.TIME_STAMPING]),
    ):
        key = _key()
        cert = _issue(subject=_name(cn, organisation), key=key, issuer=ca_name,
                      issuer_key=ca_key, ca=False, years=3, eku=eku)
        _write_p12(path, name=cn, key=key, cert=cert, ca_cert=ca_cert, password=password)
    if remote_head_name:
        _remote_head_issue(paths, remote_head_name, organisation, password)
    return paths


def _remote_head_issue(paths: PkiPaths, name: str, organisation: str, password: str) -> None:
    person_certificate_issue(paths, paths.remote_head, name=name, organisation=organisation,
                             password=password)


def person_certificate_issue(paths: PkiPaths, target: Path, *, name: str, organisation: str,
                             password: str) -> Path:
    """A signing certificate issued to `name` (its common name) by the demo CA in `paths`,
    written to `target` as PKCS#12: a head's own, which is the only one that may sign as them."""
    ca_cert = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
    ca_key = serialization.load_pem_private_key(paths.ca_key.read_bytes(), password.encode())
    key = _key()
    cert = _issue(subject=_name(name, organisation), key=key, issuer=ca_cert.subject,
                  issuer_key=ca_key, ca=False, years=3)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_p12(target, name=name, key=key, cert=cert, ca_cert=ca_cert, password=password)
    return target
