"""A local remote-signing service for the demo and the tests: a real HTTP server speaking the
protocol of results/remote_signing.py with keys from PKCS#12 files.

    python -m results.remote_signing_simulator --port 8500 --key head=var/pki/head.p12
    (or: manage.py results_remote_signing_simulator)

    GET  /keys/<id>/certificate   the key's certificate and its chain (base64 DER)
    POST /keys/<id>/sign          {"digest_algorithm", "data", "description"} → {"signature"}
    GET  /log.json                what was signed (key, description, time), and the switch
    POST /control/                {"fail": true|false, "refuse_signing": true|false,
                                   "delay_seconds": n, "reset": true}: answer 503 to everything /
                                   to signing only (the signer declined on their phone) / slowly
                                   / empty the log (motcua/simulators.py)

Every request needs `Authorization: Bearer <token>`. A real service asks the signer to confirm on
their phone or device; the simulator confirms at once. Standard library and `cryptography` only,
so the tests start it as its own process quickly. The log lives in memory.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.serialization import pkcs12

from motcua.simulators import (
    SimulatorHandler,
    SimulatorServer,
    SimulatorState,
    arguments,
    bearer_authorised,
    serve_announced,
)

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class Key:
    def __init__(self, p12: Path, password: str) -> None:
        key, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(),
                                                            password.encode() or None)
        self.key = key
        self.cert = cert.public_bytes(serialization.Encoding.DER)
        self.chain = [c.public_bytes(serialization.Encoding.DER) for c in chain or []]


class SigningState(SimulatorState):
    def __init__(self, keys: dict[str, Key], token: str) -> None:
        super().__init__()
        self.keys, self.token = keys, token
        self.log: list[dict[str, Any]] = []
        self.refuse_signing = False

    def authorised(self, header: str | None) -> bool:
        return bearer_authorised(header, self.token)

    def switch(self, data: dict[str, Any]) -> None:
        super().switch(data)
        if "refuse_signing" in data:
            self.refuse_signing = bool(data["refuse_signing"])

    def clear(self) -> None:
        self.log.clear()

    def records(self) -> dict[str, Any]:
        return {"refuse_signing": self.refuse_signing, "signed": list(self.log)}


class SigningHandler(SimulatorHandler):
    server_version = "motcua-remote-signing-simulator/1"
    inspection = frozenset({"/log.json"})
    outage = "simulated service failure"
    bad_credentials = "bad token"
    max_body = 1024 * 1024
    state: SigningState

    def _key(self, path: str, action: str) -> Key | None:
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "keys" and parts[2] == action:
            return self.state.keys.get(parts[1])
        return None

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        if not self.guard():
            return
        if path == "/log.json":
            self.send_json(200, self.state.snapshot())
        elif self.down():
            return
        elif (key := self._key(path, "certificate")) is not None:
            self.send_json(200, {"certificate": base64.b64encode(key.cert).decode(),
                                 "chain": [base64.b64encode(c).decode() for c in key.chain]})
        else:
            self.send_json(404, {"error": "no such key"})

    def post(self, path: str, data: Any) -> None:
        key = self._key(path, "sign")
        if key is None:
            self.send_json(404, {"error": "no such key"})
            return
        self._sign(key, path.strip("/").split("/")[1], data)

    def _sign(self, key: Key, key_id: str, data: Any) -> None:
        algorithm = HASHES.get(str(data.get("digest_algorithm", "")).lower())
        try:
            raw = base64.b64decode(data["data"], validate=True)
        except (KeyError, TypeError, ValueError):
            raw = None
        if algorithm is None or raw is None:
            self.send_json(400, {"error": "digest_algorithm and base64 data are required"})
            return
        state = self.state
        with state.lock:
            if state.refuse_signing:
                self.send_json(503, {"error": self.outage})
                return
            if self.down():
                return
            signature = key.key.sign(raw, PKCS1v15(), algorithm())
            state.log.append({"key": key_id, "description": str(data.get("description", "")),
                              "at": datetime.now(UTC).isoformat()})
        self.send_json(200, {"signature": base64.b64encode(signature).decode()})


def serve(*, host: str, port: int, keys: dict[str, Key], token: str) -> SimulatorServer:
    """A bound server (call serve_forever on it); port 0 picks a free one."""
    return SimulatorServer((host, port), SigningHandler, SigningState(keys, token))


def keys_from(specs: list[str], password: str) -> dict[str, Key]:
    """`id=path.p12` specifications → keys."""
    keys = {}
    for spec in specs:
        key_id, _, path = spec.partition("=")
        keys[key_id] = Key(Path(path), password)
    return keys


def main(argv: list[str] | None = None) -> None:
    parser = arguments("Mô phỏng dịch vụ ký số từ xa.", port=8500)
    parser.add_argument("--key", action="append", default=[],
                        help="mã=đường-dẫn.p12 (lặp lại cho nhiều chứng thư)")
    parser.add_argument("--password", default="motcua-demo")
    parser.add_argument("--token", default="motcua-remote-signing-demo")
    args = parser.parse_args(argv)
    serve_announced(serve(host=args.host, port=args.port, keys=keys_from(args.key, args.password),
                          token=args.token), "Remote-signing simulator")


if __name__ == "__main__":
    main()
