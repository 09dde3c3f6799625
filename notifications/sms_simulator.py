"""A local SMS gateway for the demo and the tests: a real HTTP server that records what it receives.

    python -m notifications.sms_simulator --port 8200        (or: manage.py sms_simulator)

    POST /api/sms/      the gateway protocol of notifications/sms.py (HTTP Basic auth)
    GET  /              an HTML page listing the received messages, newest first
    GET  /messages.json the same as JSON, with the failure switch
    POST /control/      {"fail": true|false, "reset": true} — make the gateway refuse messages
                        (503) or empty its list; needs the same credentials

Standard library only, so the tests start it as its own process in a fraction of a second. The
messages live in memory: a simulator restart forgets them.
"""

import argparse
import base64
import hmac
import html
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from motcua.simulators import serve_until_interrupted


class SimulatorState:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.fail = False

    def authorised(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        return bool(header) and hmac.compare_digest(header, f"Basic {expected}")

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"fail": self.fail, "messages": list(reversed(self.messages))}


def _handler(state: SimulatorState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "motcua-sms-simulator/1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet: the page and the JSON are the log

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: Any) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode(),
                       "application/json; charset=utf-8")

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            return json.loads(raw or b"{}")

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            if path == "/messages.json":
                self._json(200, state.snapshot())
            elif path == "/":
                self._send(200, _page(state.snapshot()).encode(), "text/html; charset=utf-8")
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            if not state.authorised(self.headers.get("Authorization")):
                self._json(401, {"error": "bad credentials"})
                return
            try:
                data = self._body()
            except (ValueError, UnicodeDecodeError):
                self._json(400, {"error": "body is not JSON"})
                return
            if path == "/control/":
                with state.lock:
                    if "fail" in data:
                        state.fail = bool(data["fail"])
                    if data.get("reset"):
                        state.messages.clear()
                self._json(200, state.snapshot())
            elif path == "/api/sms/":
                self._receive(data)
            else:
                self._json(404, {"error": "not found"})

        def _receive(self, data: Any) -> None:
            if not isinstance(data, dict) or not data.get("to") or not data.get("text"):
                self._json(400, {"error": "to and text are required"})
                return
            with state.lock:
                if state.fail:
                    self._json(503, {"error": "simulated gateway failure"})
                    return
                message = {"id": f"SIM-{len(state.messages) + 1:06d}", "to": str(data["to"]),
                           "text": str(data["text"]), "ref": str(data.get("ref", "")),
                           "received_at": datetime.now(UTC).isoformat()}
                state.messages.append(message)
            self._json(200, {"id": message["id"], "status": "accepted"})

    return Handler


def _page(snapshot: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(m['received_at'])}</td><td>{html.escape(m['to'])}</td>"
        f"<td>{html.escape(m['text'])}</td><td>{html.escape(m['id'])}</td></tr>"
        for m in snapshot["messages"])
    mode = "ĐANG GIẢ LẬP LỖI (trả 503)" if snapshot["fail"] else "hoạt động bình thường"
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<meta http-equiv='refresh' content='5'><title>Mô phỏng cổng SMS</title>"
        "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:.3rem;vertical-align:top}</style></head><body>"
        f"<h1>Mô phỏng cổng SMS</h1><p>Trạng thái: {mode}. Đã nhận "
        f"{len(snapshot['messages'])} tin nhắn (mới nhất trước).</p>"
        "<table><thead><tr><th>Thời điểm (UTC)</th><th>Số nhận</th><th>Nội dung</th>"
        f"<th>Mã</th></tr></thead><tbody>{rows}</tbody></table></body></html>")


def serve(*, host: str, port: int, user: str, password: str) -> ThreadingHTTPServer:
    """A bound server (call serve_forever on it); port 0 picks a free one."""
    server = ThreadingHTTPServer((host, port), _handler(SimulatorState(user, password)))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mô phỏng cổng SMS cho demo và kiểm thử.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--user", default="motcua")
    parser.add_argument("--password", default="motcua-sms-demo")
    args = parser.parse_args(argv)
    server = serve(host=args.host, port=args.port, user=args.user, password=args.password)
    print(f"SMS simulator on http://{args.host}:{server.server_address[1]}/", flush=True)
    serve_until_interrupted(server)


if __name__ == "__main__":
    main()
