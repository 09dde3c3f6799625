"""A local national PAKN system for the demo and the tests: a real HTTP server that speaks the
protocol of feedback/national.py and keeps what it receives in memory.

    python -m feedback.national_simulator --port 8230    (or: manage.py feedback_national_simulator)

    POST /api/pakn/items/               take an item → {"id": "QG-000001"}
    POST /api/pakn/items/<id>/answer/   take its answer
    GET  /api/pakn/inbox/?unit=…        items citizens sent on the national portal, not yet taken
    POST /api/pakn/inbox/<id>/ack/      taken
    GET  /                              an HTML page of everything received
    GET  /state.json                    the same as JSON
    POST /control/                      {"fail": bool, "delay_seconds": n, "reset": bool,
                                        "inbox": [item, …]}: refuse every call with 503 (the
                                        system down), answer slowly, empty it, or put items in
                                        the inbox as if citizens had sent them
                                        (motcua/simulators.py)

Standard library only, so tests start it as its own process in a fraction of a second.
"""

import html
import re
from datetime import UTC, datetime
from typing import Any

from motcua.simulators import CredentialsState, SimulatorHandler, SimulatorServer, credentials_main

ANSWER = re.compile(r"^/api/pakn/items/([^/]+)/answer/$")
ACK = re.compile(r"^/api/pakn/inbox/([^/]+)/ack/$")


class State(CredentialsState):
    def __init__(self, user: str, password: str) -> None:
        super().__init__(user, password)
        self.items: dict[str, dict[str, Any]] = {}
        self.inbox: dict[str, dict[str, Any]] = {}
        self.counter = 0

    def next_id(self) -> str:
        self.counter += 1
        return f"QG-{self.counter:06d}"

    def switch(self, data: dict[str, Any]) -> None:
        super().switch(data)
        # Items citizens sent on the national portal, for the inbox the worker fetches.
        for item in data.get("inbox") or []:
            national_id = item.get("id") or self.next_id()
            self.inbox[national_id] = {**item, "id": national_id}

    def clear(self) -> None:
        self.items.clear()
        self.inbox.clear()

    def records(self) -> dict[str, Any]:
        return {"items": list(self.items.values()), "inbox": list(self.inbox.values())}


class Handler(SimulatorHandler):
    server_version = "motcua-pakn-simulator/1"
    inspection = frozenset({"/", "/state.json"})
    state: State

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        state = self.state
        if path == "/state.json":
            self.send_json(200, state.snapshot())
        elif path == "/":
            self.send_html(_page(state.snapshot()))
        elif path == "/api/pakn/inbox/":
            if not self.guard():
                return
            units = set(query.get("unit", []))
            with state.lock:
                if self.down():
                    return
                items = [i for i in state.inbox.values()
                         if not i.get("taken") and i.get("unit_code") in units]
            self.send_json(200, {"items": items})
        else:
            self.send_json(404, {"error": "not found"})

    def post(self, path: str, data: Any) -> None:
        state = self.state
        with state.lock:
            if self.down():
                return
            now = datetime.now(UTC).isoformat()
            if path == "/api/pakn/items/":
                if not isinstance(data, dict) or not data.get("ref") or not data.get("title"):
                    self.send_json(400, {"error": "ref and title are required"})
                    return
                # Idempotent by our reference: a retry after a lost answer gets the same id.
                for national_id, known in state.items.items():
                    if known["ref"] == data["ref"]:
                        self.send_json(200, {"id": national_id})
                        return
                national_id = state.next_id()
                state.items[national_id] = {**data, "id": national_id, "received_at_sim": now}
                self.send_json(201, {"id": national_id})
            elif match := ANSWER.match(path):
                national_id = match[1]
                target = state.items.get(national_id) or state.inbox.get(national_id)
                if target is None:
                    self.send_json(404, {"error": "unknown item"})
                    return
                target["answer"] = data.get("answer", "")
                target["answered_at"] = data.get("answered_at")
                self.send_json(200, {"id": national_id, "status": "answered"})
            elif match := ACK.match(path):
                target = state.inbox.get(match[1])
                if target is None:
                    self.send_json(404, {"error": "unknown item"})
                    return
                target["taken"] = True
                self.send_json(200, {"id": match[1], "status": "taken"})
            else:
                self.send_json(404, {"error": "not found"})


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


def serve(*, host: str, port: int, user: str, password: str) -> SimulatorServer:
    """A bound server (call serve_forever on it); port 0 picks a free one."""
    return SimulatorServer((host, port), Handler, State(user, password))


def main(argv: list[str] | None = None) -> None:
    credentials_main(argv, serve, description="Mô phỏng Hệ thống PAKN quốc gia.", port=8230,
                     password="motcua-pakn-demo", name="National PAKN simulator")


if __name__ == "__main__":
    main()
