"""A local SMS gateway for the demo and the tests: a real HTTP server that records what it receives.

    python -m notifications.sms_simulator --port 8200        (or: manage.py sms_simulator)

    POST /api/sms/      the gateway protocol of notifications/sms.py (HTTP Basic auth)
    GET  /              an HTML page listing the received messages, newest first
    GET  /messages.json the same as JSON, with the switches
    POST /control/      {"fail": true|false, "delay_seconds": n, "reset": true} — make the gateway
                        refuse messages (503), answer slowly, or empty its list; needs the same
                        credentials (motcua/simulators.py)

Standard library only, so the tests start it as its own process in a fraction of a second. The
messages live in memory: a simulator restart forgets them.
"""

import html
from datetime import UTC, datetime
from typing import Any

from motcua.simulators import CredentialsState, SimulatorHandler, SimulatorServer, credentials_main


class SmsState(CredentialsState):
    def __init__(self, user: str, password: str) -> None:
        super().__init__(user, password)
        self.messages: list[dict[str, Any]] = []

    def clear(self) -> None:
        self.messages.clear()

    def records(self) -> dict[str, Any]:
        return {"messages": list(reversed(self.messages))}


class SmsHandler(SimulatorHandler):
    server_version = "motcua-sms-simulator/1"
    inspection = frozenset({"/", "/messages.json"})
    outage = "simulated gateway failure"
    state: SmsState

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/messages.json":
            self.send_json(200, self.state.snapshot())
        elif path == "/":
            self.send_html(_page(self.state.snapshot()))
        else:
            self.send_json(404, {"error": "not found"})

    def post(self, path: str, data: Any) -> None:
        if path != "/api/sms/":
            self.send_json(404, {"error": "not found"})
        elif not isinstance(data, dict) or not data.get("to") or not data.get("text"):
            self.send_json(400, {"error": "to and text are required"})
        else:
            self._receive(data)

    def _receive(self, data: dict[str, Any]) -> None:
        state = self.state
        with state.lock:
            if self.down():
                return
            message = {"id": f"SIM-{len(state.messages) + 1:06d}", "to": str(data["to"]),
                       "text": str(data["text"]), "ref": str(data.get("ref", "")),
                       "received_at": datetime.now(UTC).isoformat()}
            state.messages.append(message)
        self.send_json(200, {"id": message["id"], "status": "accepted"})


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


def serve(*, host: str, port: int, user: str, password: str) -> SimulatorServer:
    """A bound server (call serve_forever on it); port 0 picks a free one."""
    return SimulatorServer((host, port), SmsHandler, SmsState(user, password))


def main(argv: list[str] | None = None) -> None:
    credentials_main(argv, serve, description="Mô phỏng cổng SMS cho demo và kiểm thử.",
                     port=8200, password="motcua-sms-demo", name="SMS simulator")


if __name__ == "__main__":
    main()
