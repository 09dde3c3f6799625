"""A test PKI made once per session, settings pointing at it, and poppler's `pdfsig` with an NSS
database that trusts the test CA: every signed output is checked by pyHanko and by pdfsig."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from dossiers.tests.conftest import APPLICANT, at, client_for, make_dossier, org  # noqa: F401
from motcua.testing import (
    SimulatorClient,
    answers,
    manage_command,
    module_command,
    server_process,
)
from results.pki import PkiPaths, person_certificate_issue

PASSWORD = "mat-khau-thu-nghiem"
# username → full name of the heads in dossiers/tests/conftest.py `org`.
OWN_HEADS = {"lanhdao": "Lanhdao", "tiepnhan.khac": "Tiepnhan Khac"}
# Whom the installation-wide head certificate (head.p12) is issued to.
HOLDER = "Lãnh Đạo Thử"


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> PkiPaths:
    root = tmp_path_factory.mktemp("pki")
    call_command("results_demo_pki", "--dir", str(root), "--password", PASSWORD,
                 "--unit-name", "Sở Tư pháp tỉnh Thử nghiệm", "--head-name", HOLDER,
                 verbosity=0)
    paths = PkiPaths(root)
    # The heads of the `org` fixture sign with their own certificates (MOTCUA_SIGNING_HEAD_DIR):
    # head.p12 is Lãnh Đạo Thử's, and signs for no one else (results/signing.py).
    for username, name in OWN_HEADS.items():
        person_certificate_issue(paths, paths.own_head(username), name=name,
                                 organisation="Sở Tư pháp tỉnh Thử nghiệm", password=PASSWORD)
    return paths


@pytest.fixture(scope="session")
def other_pki(tmp_path_factory) -> PkiPaths:
    """A second, untrusted CA: what a forger with his own certificates would have."""
    root = tmp_path_factory.mktemp("other-pki")
    call_command("results_demo_pki", "--dir", str(root), "--password", PASSWORD,
                 "--unit-name", "Sở Tư pháp tỉnh Thử nghiệm", "--head-name", "Kẻ Giả Mạo",
                 verbosity=0)
    return PkiPaths(root)


@pytest.fixture
def signing(settings, pki, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_SIGNING_PKCS12 = str(pki.unit)
    settings.MOTCUA_SIGNING_PKCS12_PASSWORD = PASSWORD
    settings.MOTCUA_SIGNING_HEAD_PKCS12 = str(pki.head)
    settings.MOTCUA_SIGNING_HEAD_DIR = str(pki.heads)
    settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD = PASSWORD
    settings.MOTCUA_TRUST_ROOTS = [str(pki.ca_cert)]
    settings.MOTCUA_TSA_URL = ""
    settings.MOTCUA_SIGNING_REQUIRED = True
    settings.MOTCUA_SITE_URL = "https://dichvucong.example.vn"
    return settings


@pytest.fixture(scope="session")
def nss_db(tmp_path_factory, pki) -> Path:
    """An NSS database trusting only the test CA, as the task's pdfsig check prescribes."""
    assert shutil.which("pdfsig") and shutil.which("certutil"), \
        "poppler-utils and libnss3-tools are needed (see .ci/run)"
    db = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "--empty-password", "-d", str(db)], check=True)
    subprocess.run(["certutil", "-A", "-n", "ca", "-t", "CT,C,C", "-i", str(pki.ca_cert),
                    "-d", str(db)], check=True)
    return db


@pytest.fixture
def pdfsig(nss_db, tmp_path):
    """Run pdfsig on PDF bytes; returns its report as text."""

    def run(content: bytes) -> str:
        path = tmp_path / "check.pdf"
        path.write_bytes(content)
        done = subprocess.run(["pdfsig", "-nssdir", str(nss_db), str(path)],
                              capture_output=True, text=True, timeout=60)
        return done.stdout + done.stderr

    return run


def pdfsig_valid(report: str, signatures: int) -> bool:
    return (report.count("Signature Validation: Signature is Valid.") == signatures
            and report.count("Certificate Validation: Certificate is Trusted.") == signatures)


def tamper(content: bytes) -> bytes:
    """Change one byte inside what the first signature covers (the page content stream)."""
    data = bytearray(content)
    start = data.index(b"stream", data.index(b"/Length"))
    data[start + 40] ^= 0x01
    return bytes(data)


@pytest.fixture
def approve(org):  # noqa: F811 - the imported fixture, requested by name
    """Move a dossier from acceptance to the head's approval (the default 4-step plan): the
    specialist drafts the result from the template, the head signs that draft."""
    from dossiers.services import dossier_act
    from results.drafting import draft_from_template, draft_sign

    def run(dossier, when: str = "2026-03-03 15:00"):
        d = dossier_act(dossier=dossier, actor=org.desk, action="forward",
                        data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
        draft = draft_from_template(dossier=d, actor=org.specialist, at=at("2026-03-02 16:00"))
        d = dossier_act(dossier=d, actor=org.specialist, action="forward",
                        data={"assignee": org.head.pk}, at=at("2026-03-03 09:00"))
        return draft_sign(draft=draft, actor=org.head, confirmed=True, at=at(when))

    return run


UPLOADED_TEXT = "Nội dung riêng chuyên viên đã soạn"


def uploaded_pdf(pages: int = 2) -> bytes:
    """A PDF as a specialist prepares it in a word processor: its own layout and words."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from dossiers.printing.pdf import FONT, _register_fonts

    _register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.setFont(FONT, 13)
        c.drawString(80, 700, f"{UPLOADED_TEXT} — trang {n + 1}")
        c.drawString(80, 760, "Số:      /TL-STP")
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture(scope="session")
def tsa(pki):
    """`manage.py results_tsa_simulator` as its own server process."""
    command = manage_command("results_tsa_simulator", "--p12", str(pki.tsa),
                             "--password", PASSWORD)
    with server_process(command, ready=answers("/", "POST")) as base:
        yield base + "/"


REMOTE_TOKEN = "remote-Test-2026"


class RemoteSigningServer(SimulatorClient):
    inspection = "/log.json"

    def __init__(self, base: str) -> None:
        super().__init__(base, headers={"Authorization": f"Bearer {REMOTE_TOKEN}"})
        self.url = base + "/"

    def signed(self) -> list[dict]:
        return self.snapshot()["signed"]


@pytest.fixture(scope="session")
def remote_signing_server(pki):
    """`python -m results.remote_signing_simulator` as its own server process, signing with the
    test head's key under the id "head"."""
    command = module_command("results.remote_signing_simulator", "--key", f"head={pki.head}",
                             "--password", PASSWORD, "--token", REMOTE_TOKEN)
    with server_process(command, ready=answers("/log.json")) as base:
        yield RemoteSigningServer(base)


@pytest.fixture
def remote_signing(remote_signing_server, signing):
    """The simulator, emptied and working, settings pointing at it; the head's local key unset,
    so a head signature can only come from the service."""
    remote_signing_server.control(reset=True, fail=False, refuse_signing=False, delay_seconds=0)
    signing.MOTCUA_REMOTE_SIGNING_URL = remote_signing_server.url
    signing.MOTCUA_REMOTE_SIGNING_TOKEN = REMOTE_TOKEN
    signing.MOTCUA_REMOTE_SIGNING_TIMEOUT = 5
    signing.MOTCUA_SIGNING_HEAD_PKCS12 = ""
    yield remote_signing_server
    remote_signing_server.control(fail=False, refuse_signing=False, delay_seconds=0)


def certificate_of_test_ca(pki: PkiPaths, *, key, attributes: list, days_from: int,
                           days_to: int):
    """A signer's certificate of the test CA for `key`, its subject `attributes`, valid from
    `days_from` to `days_to` days from now (a certificate out of its term, another person's)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    ca_cert = x509.load_pem_x509_certificate(pki.ca_cert.read_bytes())
    ca_key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), PASSWORD.encode())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(x509.Name(attributes))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=days_from))
            .not_valid_after(now + dt.timedelta(days=days_to))
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return cert, ca_cert
