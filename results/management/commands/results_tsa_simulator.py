"""A local RFC 3161 time-stamping authority for the demo and the tests, as a real HTTP server.

    manage.py results_tsa_simulator --port 8400     (then MOTCUA_TSA_URL=http://127.0.0.1:8400/)

It answers every well-formed TimeStampReq with a token signed by the demo TSA certificate
(var/pki/tsa.p12, from `results_demo_pki`). Production points MOTCUA_TSA_URL at a licensed TSA.
"""

import asyncio
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import tsp
from django.conf import settings
from django.core.management.base import BaseCommand
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from motcua.simulators import serve_until_interrupted

MAX_REQUEST = 64 * 1024


def _stamper(p12: Path, password: str) -> DummyTimeStamper:
    signer = SimpleSigner.load_pkcs12_data(p12.read_bytes(), other_certs=(),
                                           passphrase=password.encode())
    return DummyTimeStamper(tsa_cert=signer.signing_cert, tsa_key=signer.signing_key,
                            certs_to_embed=signer.cert_registry)


class Command(BaseCommand):
    help = "Máy chủ dấu thời gian (RFC 3161) mô phỏng cho bản demo và kiểm thử."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8400)
        parser.add_argument("--p12", default=str(settings.MOTCUA_PKI_DIR / "tsa.p12"))
        parser.add_argument("--password", default=settings.MOTCUA_SIGNING_PKCS12_PASSWORD
                            or "motcua-demo")

    def handle(self, *args, **options):
        stamper = _stamper(Path(options["p12"]), options["password"])

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                if self.headers.get("Content-Type") != "application/timestamp-query" or \
                        not 0 < length <= MAX_REQUEST:
                    self.send_error(400, "Expected application/timestamp-query")
                    return
                try:
                    request = tsp.TimeStampReq.load(self.rfile.read(length))
                    answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
                except ValueError:
                    self.send_error(400, "Malformed TimeStampReq")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format, *args):  # noqa: A002
                pass

        server = ThreadingHTTPServer(("127.0.0.1", options["port"]), Handler)
        self.stdout.write(f"TSA mô phỏng: http://127.0.0.1:{options['port']}/", ending="\n")
        self.stdout.flush()
        serve_until_interrupted(server)
