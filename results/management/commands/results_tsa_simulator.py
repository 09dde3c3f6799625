"""A local RFC 3161 time-stamping authority for the demo and the tests, as a real HTTP server.

    manage.py results_tsa_simulator --port 8400     (then MOTCUA_TSA_URL=http://127.0.0.1:8400/)

It answers every well-formed TimeStampReq with a token signed by the demo TSA certificate
(var/pki/tsa.p12, from `results_demo_pki`). Production points MOTCUA_TSA_URL at a licensed TSA.
"""

import asyncio
from pathlib import Path

from asn1crypto import tsp
from django.conf import settings
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from motcua.simulator_command import SimulatorCommand
from motcua.simulators import SimulatorHandler, SimulatorServer, SimulatorState

MAX_REQUEST = 64 * 1024


def _stamper(p12: Path, password: str) -> DummyTimeStamper:
    signer = SimpleSigner.load_pkcs12_data(p12.read_bytes(), other_certs=(),
                                           passphrase=password.encode())
    return DummyTimeStamper(tsa_cert=signer.signing_cert, tsa_key=signer.signing_key,
                            certs_to_embed=signer.cert_registry)


class TsaState(SimulatorState):
    def __init__(self, stamper: DummyTimeStamper) -> None:
        super().__init__()
        self.stamper = stamper


class TsaHandler(SimulatorHandler):
    """DER in and out (RFC 3161 over HTTP), so it reads the request itself."""

    state: TsaState

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Content-Type") != "application/timestamp-query" or \
                not 0 < length <= MAX_REQUEST:
            self.send_error(400, "Expected application/timestamp-query")
            return
        self.called(self.path)
        try:
            request = tsp.TimeStampReq.load(self.rfile.read(length))
            answer = asyncio.run(self.state.stamper.async_request_tsa_response(request)).dump()
        except ValueError:
            self.send_error(400, "Malformed TimeStampReq")
            return
        self.send(200, answer, "application/timestamp-reply")


class Command(SimulatorCommand):
    help = "Máy chủ dấu thời gian (RFC 3161) mô phỏng cho bản demo và kiểm thử."
    default_port = 8400
    announcement = "TSA mô phỏng: {url}/"

    def add_simulator_arguments(self, parser):
        parser.add_argument("--p12", default=str(settings.MOTCUA_PKI_DIR / "tsa.p12"))
        parser.add_argument("--password", default=settings.MOTCUA_SIGNING_PKCS12_PASSWORD
                            or "motcua-demo")

    def server(self, *, host, port, p12, password, **options):
        return SimulatorServer((host, port), TsaHandler, TsaState(_stamper(Path(p12), password)))
