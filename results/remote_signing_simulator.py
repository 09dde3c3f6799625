"""A local remote-signing service for the demo and the tests: a real HTTP server speaking the
protocol of results/remote_signing.py with keys from PKCS#12 files.

    python -m results.remote_signing_simulator --port 8500 --key head=var/pki/head.p12
    (or: manage.py results_remote_signing_simulator)

    GET  /keys/<id>/certificate   the key's certificate and its chain (base64 DER)
    POST /keys/<id>/sign          {"digest_algorithm", "data", "description"} → {"signature"}
    GET  /log.json                what was signed (key, description, time), and the switch
    POST /control/                {"fail": true|false, "refuse_signing": true|false,
                                   "delay": seconds, "reset": true}: answer 503 to everything /
                                   to signing only (the signer declined on their phone) / wait
                                   before each signature (the signer is slow to confirm) /
                                   empty the log

Every request needs `Authorization: Bearer <token>`. A real service asks the signer to confirm on
their phone or device; the simulator confirms at once. Standard library and `cryptography` only,
so the tests start it as its own process quickly. The log lives in memory.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12

from motcua.simulators import serve_until_interrupted

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
MAX_BODY = 1024 * 1024


class Key:
    def __init__(self, p12: Path, password: str) -> None:
        key, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(),
                                                            password.encode() or None)
        self.key = key
        self.cert = cert.public_bytes(serialization.Encoding.DER)
        self.chain = [c.public_bytes(serialization.Encoding.DER) for c in chain or []]


class SimulatorState:
    def __init__(self, keys: dict[str, Key], token: str) -> None:
        self.keys, self.token = keys, token
        self.lock = threading.Lock()
        self.log: list[dict[str, Any]] = []
        self.fail = False
        self.refuse_signing = False
        self.delay = 0.0

    def authorised(self, header: str | None) -> bool:
        return bool(header) and hmac.compare_digest(header, f"Bearer {self.token}")

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"fail": self.fail, "refuse_signing": self.refuse_signing,
                    "delay": self.delay, "signed": list(self.log)}


def _handler(state: SimulatorState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "motcua-remote-signing-simulator/1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _json(self, status: int, data: Any) -> None:
            body = json.dumps(data, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _key(self, path: str, action: str) -> Key | None:
            parts = path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "keys" and parts[2] == action:
                return state.keys.get(parts[1])
            return None

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            if not state.authorised(self.headers.get("Authorization")):
                self._json(401, {"error": "bad token"})
            elif path == "/log.json":
                self._json(200, state.snapshot())
            elif state.fail:
                self._json(503, {"error": "simulated service failure"})
            elif (key := self._key(path, "certificate")) is not None:
                self._json(200, {"certificate": base64.b64encode(key.cert).decode(),
                                 "chain": [base64.b64encode(c).decode() for c in key.chain]})
            else:
                self._json(404, {"error": "no such key"})

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            if not state.authorised(self.headers.get("Authorization")):
                self._json(401, {"error": "bad token"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._json(413, {"error": "too large"})
                return
            try:
                data = json.loads(self.rfile.read(length) or b"{}")
            except (ValueError, UnicodeDecodeError):
                self._json(400, {"error": "body is not JSON"})
                return
            if path == "/control/":
                with state.lock:
                    if "fail" in data:
                        state.fail = bool(data["fail"])
                    if "refuse_signing" in data:
                        state.refuse_signing = bool(data["refuse_signing"])
                    if "delay" in data:
                        try:
                            state.delay = min(max(float(data["delay"]), 0.0), 60.0)
                        except (TypeError, ValueError):
                            state.delay = 0.0
                    if data.get("reset"):
                        state.log.clear()
                self._json(200, state.snapshot())
                return
            key = self._key(path, "sign")
            if key is None:
                self._json(404, {"error": "no such key"})
                return
            self._sign(key, path.strip("/").split("/")[1], data)

        def _sign(self, key: Key, key_id: str, data: Any) -> None:
            algorithm = HASHES.get(str(data.get("digest_algorithm", "")).lower())
            try:
                raw = base64.b64decode(data["data"], validate=True)
            except (KeyError, TypeError, ValueError):
                raw = None
            if algorithm is None or raw is None:
                self._json(400, {"error": "digest_algorithm and base64 data are required"})
                return
            if state.delay:
                time.sleep(state.delay)
            with state.lock:
                if state.fail or state.refuse_signing:
                    self._json(503, {"error": "simulated service failure"})
                    return
                signature = key.key.sign(raw, PKCS1v15(), algorithm())
                state.log.append({"key": key_id, "description": str(data.get("description", "")),
                                  "at": datetime.now(UTC).isoformat()})
            self._json(200, {"signature": base64.b64encode(signature).decode()})

    return Handler


def serve(*, host: str, port: int, keys: dict[str, Key], token: str) -> ThreadingHTTPServer:
    """A bound server (call serve_forever on it); port 0 picks a free one."""
    server = ThreadingHTTPServer((host, port), _handler(SimulatorState(keys, token)))
    server.daemon_threads = True
    return server


def keys_from(specs: list[str], password: str) -> dict[str, Key]:
    """`id=path.p12` specifications → keys."""
    keys = {}
    for spec in specs:
        key_id, _, path = spec.partition("=")
        keys[key_id] = Key(Path(path), password)
    return keys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mô phỏng dịch vụ ký số từ xa.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--key", action="append", default=[],
                        help="mã=đường-dẫn.p12 (lặp lại cho nhiều chứng thư)")
    parser.add_argument("--password", default="motcua-demo")
    parser.add_argument("--token", default="motcua-remote-signing-demo")
    args = parser.parse_args(argv)
    server = serve(host=args.host, port=args.port, keys=keys_from(args.key, args.password),
                   token=args.token)
    print(f"Remote-signing simulator on http://{args.host}:{server.server_address[1]}/",
          flush=True)
    serve_until_interrupted(server)


if __name__ == "__main__":
    main()
