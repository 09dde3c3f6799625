"""A local national PAKN system for the demo and the tests: a real HTTP server that speaks the
protocol of feedback/national.py and keeps what it receives in memory.

    python -m feedback.national_simulator --port 8230    (or: manage.py feedback_national_simulator)

    POST /api/pakn/items/               take an item → {"id": "QG-000001"}
    POST /api/pakn/items/<id>/answer/   take its answer
    GET  /api/pakn/inbox/?unit=…        items citizens sent on the national portal, not yet taken
    POST /api/pakn/inbox/<id>/ack/      taken
    GET  /                              an HTML page of everything received
    GET  /state.json                    the same as JSON
    POST /control/                      {"fail": bool, "reset": bool, "inbox": [item, …]}: refuse
                                        every call with 503 (the system down), empty it, or put
                                        items in the inbox as if citizens had sent them

Standard library only, so tests start it as its own process in a fraction of a second.
"""

import argparse
import base64
import hmac
import html
import json
import re
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from motcua.simulators import serve_until_interrupted

ANSWER = re.compile(r"^/api/pakn/items/([^/]+)/answer/$")
ACK = re.compile(r"^/api/pakn/inbox/([^/]+)/ack/$")


class State:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.lock = threading.Lock()
        self.items: dict[str, dict[str, Any]] = {}
        self.inbox: dict[str, dict[str, Any]] = {}
        self.fail = False
        self.counter = 0

    def authorised(self, header: str | None) -> bool:
        expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        return bool(header) and hmac.compare_digest(header, f"Basic {expected}")

    def next_id(self) -> str:
        self.counter += 1
        return f"QG-{self.counter:06d}"

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"fail": self.fail, "items": list(self.items.values()),
                    "inbox": list(self.inbox.values())}


def _handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "motcua-pakn-simulator/1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

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
            return json.loads(self.rfile.read(length) or b"{}") if length else {}

        def _guard(self) -> bool:
            if not state.authorised(self.headers.get("Authorization")):
                self._json(401, {"error": "bad credentials"})
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path == "/state.json":
                self._json(200, state.snapshot())
            elif url.path == "/":
                self._send(200, _page(state.snapshot()).encode(), "text/html; charset=utf-8")
            elif url.path == "/api/pakn/inbox/":
                if not self._guard():
                    return
                units = set(parse_qs(url.query).get("unit", []))
                with state.lock:
                    if state.fail:
                        self._json(503, {"error": "simulated outage"})
                        return
                    items = [i for i in state.inbox.values()
                             if not i.get("taken") and i.get("unit_code") in units]
                self._json(200, {"items": items})
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if not self._guard():
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
                        state.items.clear()
                        state.inbox.clear()
                    for item in data.get("inbox") or []:
                        national_id = item.get("id") or state.next_id()
                        state.inbox[national_id] = {**item, "id": national_id}
                self._json(200, state.snapshot())
                return
            with state.lock:
                if state.fail:
                    self._json(503, {"error": "simulated outage"})
                    return
                now = datetime.now(UTC).isoformat()
                if path == "/api/pakn/items/":
                    if not isinstance(data, dict) or not data.get("ref") or not data.get("title"):
                        self._json(400, {"error": "ref and title are required"})
                        return
                    # Idempotent by our reference: a retry after a lost answer gets the same id.
                    for national_id, known in state.items.items():
                        if known["ref"] == data["ref"]:
                            self._json(200, {"id": national_id})
                            return
                    national_id = state.next_id()
                    state.items[national_id] = {**data, "id": national_id, "received_at_sim": now}
                    self._json(201, {"id": national_id})
                elif match := ANSWER.match(path):
                    national_id = match[1]
                    target = state.items.get(national_id) or state.inbox.get(national_id)
                    if target is None:
                        self._json(404, {"error": "unknown item"})
                        return
                    target["answer"] = data.get("answer", "")
                    target["answered_at"] = data.get("answered_at")
                    self._json(200, {"id": national_id, "status": "answered"})
                elif match := ACK.match(path):
                    target = state.inbox.get(match[1])
                    if target is None:
                        self._json(404, {"error": "unknown item"})
                        return
                    target["taken"] = True
                    self._json(200, {"id": match[1], "status": "taken"})
                else:
                    self._json(404, {"error": "not found"})

    return Handler


def _page(snapshot: dict[str, Any]) -> str:
    def rows(items):
        return "".join(
            f"<tr><td>{html.escape(str(i.get('id')))}</td><td>{html.escape(str(i.get('ref', '')))}"
            f"</td><td>{html.escape(str(i.get('title', '')))}</td>"
            f"<td>{html.escape(str(i.get('unit_code', '')))}</td>"
            f"<td>{html.escape(str(i.get('answer', '') or ''))}</td></tr>" for i in items)

    head = ("<tr><th>Mã quốc gia</th><th>Mã địa phương</th><th>Tiêu đề</th><th>Đơn vị</th>"
            "<th>Trả lời</th></tr>")
    mode = "ĐANG GIẢ LẬP NGỪNG HOẠT ĐỘNG (trả 503)" if snapshot["fail"] else "hoạt động bình thường"
    return ("<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
            "<title>Mô phỏng Hệ thống PAKN quốc gia</title></head><body>"
            f"<h1>Mô phỏng Hệ thống PAKN quốc gia</h1><p>Trạng thái: {mode}.</p>"
            f"<h2>Nhận từ địa phương</h2><table border='1'>{head}{rows(snapshot['items'])}</table>"
            f"<h2>Người dân gửi trên Cổng quốc gia</h2><table border='1'>{head}"
            f"{rows(snapshot['inbox'])}</table></body></html>")


def serve(*, host: str, port: int, user: str, password: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _handler(State(user, password)))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mô phỏng Hệ thống PAKN quốc gia.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8230)
    parser.add_argument("--user", default="motcua")
    parser.add_argument("--password", default="motcua-pakn-demo")
    args = parser.parse_args(argv)
    server = serve(host=args.host, port=args.port, user=args.user, password=args.password)
    print(f"National PAKN simulator on http://{args.host}:{server.server_address[1]}/",
          flush=True)
    serve_until_interrupted(server)


if __name__ == "__main__":
    main()
