"""What the local simulators of external systems (national PAKN system, SMS gateway, payment
gateway, remote signing, time-stamping authority) share: a threaded HTTP server holding the
simulator's state, JSON in and out, the control endpoint with its "down" and "slow" switches,
the record of the calls received, and serving until Ctrl+C.

Each simulator keeps only what belongs to the system it imitates: its routes, its checks, its
records and its page. Standard library only, so `python -m <app>.<simulator>` starts without
Django in a fraction of a second. Running one as a real server process from the tests is
`motcua/testing.py`.

    POST /control/   {"fail": bool, "delay_seconds": number, "reset": bool, …}: answer 503 to the
                     protocol's calls (the system down), wait that long before answering them
                     (the system slow), forget what was received; a simulator adds its own
                     switches. Answers the simulator's state, as its inspection route does.
    GET  /calls.json {"fail", "delay_seconds", "calls": [{"method", "path", "at"}, …]}: the calls
                     of the protocol received, refused ones too, the last 1,000 (same
                     credentials as /control/).
"""

import argparse
import base64
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import BaseServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CONTROL = "/control/"
CALLS = "/calls.json"
# The calls kept for inspection: enough for any test or demo session, bounded for a long run.
RECORDED_CALLS = 1000


class BodyTooLarge(ValueError):
    pass


def basic_authorised(header: str | None, user: str, password: str) -> bool:
    expected = base64.b64encode(f"{user}:{password}".encode()).decode()
    return bool(header) and hmac.compare_digest(header, f"Basic {expected}")


def bearer_authorised(header: str | None, token: str) -> bool:
    return bool(header) and hmac.compare_digest(header, f"Bearer {token}")


class SimulatorState:
    """The switches every simulator has and the calls it received; a simulator adds its records
    (`clear`, `records`) and switches (`switch`). Everything changes under `lock`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fail = False
        self.delay_seconds = 0.0
        self.calls: list[dict[str, str]] = []

    def authorised(self, header: str | None) -> bool:
        return True

    def switch(self, data: dict[str, Any]) -> None:
        """Apply the control endpoint's switches; called under the lock. ValueError: a bad one."""
        if "fail" in data:
            self.fail = bool(data["fail"])
        if "delay_seconds" in data:
            delay = float(data["delay_seconds"])
            if not 0 <= delay <= 60:
                raise ValueError("delay_seconds must be between 0 and 60")
            self.delay_seconds = delay
        if data.get("reset"):
            self.calls.clear()
            self.clear()

    def clear(self) -> None:
        """Forget what the simulator received (the reset switch); called under the lock."""

    def records(self) -> dict[str, Any]:
        """What the simulator received, for its inspection route; called under the lock."""
        return {}

    def record_call(self, method: str, path: str) -> float:
        """Note a call of the protocol; returns how long to wait before answering it."""
        with self.lock:
            self.calls.append({"method": method, "path": path,
                               "at": datetime.now(UTC).isoformat()})
            del self.calls[:-RECORDED_CALLS]
            return self.delay_seconds

    def snapshot(self) -> dict[str, Any]:
        """What the simulator's inspection route shows (and /control/ answers)."""
        with self.lock:
            return {"fail": self.fail, **self.records()}

    def calls_snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"fail": self.fail, "delay_seconds": self.delay_seconds,
                    "calls": list(self.calls)}


class CredentialsState(SimulatorState):
    """A simulator whose callers sign in with HTTP Basic credentials."""

    def __init__(self, user: str, password: str) -> None:
        super().__init__()
        self.user, self.password = user, password

    def authorised(self, header: str | None) -> bool:
        return basic_authorised(header, self.user, self.password)


class SimulatorServer(ThreadingHTTPServer):
    """A bound server holding its state (call serve_forever on it); port 0 picks a free one."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 state: Any) -> None:
        super().__init__(address, handler)
        self.state = state

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class SimulatorHandler(BaseHTTPRequestHandler):
    """JSON in and out, quiet logs, the control endpoint, and the record and slowness of the
    protocol's calls. A simulator writes `get` and `post` (and `control` if it answers more than
    its state); the inspection paths are neither recorded nor slowed, so a test can always look.
    """

    server: SimulatorServer
    inspection: frozenset[str] = frozenset()
    outage = "simulated outage"
    bad_credentials = "bad credentials"
    max_body: int | None = None

    @property
    def state(self) -> Any:
        return self.server.state

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: the inspection page and JSON are the log

    def send(self, status: int, body: bytes, content_type: str,
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, data: Any) -> None:
        self.send(status, json.dumps(data, ensure_ascii=False).encode(),
                  "application/json; charset=utf-8")

    def send_html(self, page: str) -> None:
        self.send(200, page.encode(), "text/html; charset=utf-8")

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if self.max_body is not None and length > self.max_body:
            raise BodyTooLarge
        return self.rfile.read(length) if length else b""

    def guard(self) -> bool:
        """False, with 401 sent, unless the request carries the simulator's credentials."""
        if self.state.authorised(self.headers.get("Authorization")):
            return True
        self.send_json(401, {"error": self.bad_credentials})
        return False

    def down(self) -> bool:
        """True, with 503 sent, while the "down" switch is on (call it under the lock where the
        answer and a record must agree)."""
        if self.state.fail:
            self.send_json(503, {"error": self.outage})
        return self.state.fail

    def called(self, path: str) -> None:
        """Record a call of the protocol and wait as long as the "slow" switch says."""
        if path not in self.inspection:
            delay = self.state.record_call(self.command, path)
            if delay:
                time.sleep(delay)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        if url.path == CALLS:
            if self.guard():
                self.send_json(200, self.state.calls_snapshot())
            return
        self.called(url.path)
        self.get(url.path, parse_qs(url.query))

    def do_POST(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if not self.guard():
            return
        try:
            data = json.loads(self.read_body() or b"{}")
        except BodyTooLarge:
            self.send_json(413, {"error": "too large"})
            return
        except (ValueError, UnicodeDecodeError):
            self.send_json(400, {"error": "body is not JSON"})
            return
        if path == CONTROL:
            self.control(data)
            return
        self.called(path)
        self.post(path, data)

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        self.send_json(404, {"error": "not found"})

    def post(self, path: str, data: Any) -> None:
        self.send_json(404, {"error": "not found"})

    def control(self, data: Any) -> None:
        if not isinstance(data, dict):
            self.send_json(400, {"error": "the switches are a JSON object"})
            return
        try:
            with self.state.lock:
                self.state.switch(data)
        except (TypeError, ValueError) as exc:
            self.send_json(400, {"error": str(exc) or "bad switch"})
            return
        self.send_json(200, self.state.snapshot())


@contextmanager
def running(server: BaseServer) -> Iterator[BaseServer]:
    """Serve in a background thread for the `with` block, then stop and release the port."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_until_interrupted(server: BaseServer) -> None:
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def arguments(description: str, *, port: int) -> argparse.ArgumentParser:
    """The command line every simulator's `python -m` entry starts from."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    return parser


def serve_announced(server: SimulatorServer, name: str) -> None:
    """The `python -m` entry's last step: say where, then serve until Ctrl+C."""
    print(f"{name} on {server.base_url}/", flush=True)
    serve_until_interrupted(server)


def credentials_main(argv: list[str] | None, serve: Callable[..., SimulatorServer], *,
                     description: str, port: int, password: str, name: str) -> None:
    """The `python -m` entry of a simulator taking HTTP Basic credentials."""
    parser = arguments(description, port=port)
    parser.add_argument("--user", default="motcua")
    parser.add_argument("--password", default=password)
    args = parser.parse_args(argv)
    serve_announced(serve(host=args.host, port=args.port, user=args.user,
                          password=args.password), name)
