"""A local payment gateway for the demo and the tests: a real HTTP server speaking the protocol
of payments/gateway.py (`manage.py paygate_simulator --port 8300`).

POST /orders            a signed order from motcua → {"order_id", "pay_url"} (signed answer)
GET  /pay/<order_id>    the payer's page: amount, reference, "Thanh toán" and "Hủy"
POST /pay/<order_id>    choice=pay|cancel: posts the signed callback to the order's callback URL,
                        then sends the browser back to the order's return URL
GET  /orders/<order_id> the order and what our callback answered (for tests and operators)
POST /refunds           a signed refund of a paid order's whole amount → {"refund_id"} (signed);
                        refused with 404 (unknown order), 409 (not paid, or refunded already)
                        or 400 (another amount)

It keeps orders in memory: a restart forgets them, as a real provider's sandbox would not.
"""

import html
import json
import secrets
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from motcua.simulators import SimulatorHandler, SimulatorServer, SimulatorState
from payments.gateway import SIGNATURE_HEADER, sign, signature_valid


class Simulator(SimulatorState):
    def __init__(self, *, merchant: str, secret: str) -> None:
        super().__init__()
        self.merchant = merchant
        self.secret = secret
        self.orders: dict[str, dict] = {}

    def callback(self, order: dict, status: str) -> dict:
        body = json.dumps({
            "merchant": self.merchant, "reference": order["reference"], "amount": order["amount"],
            "status": status, "transaction_id": "SIM" + secrets.token_hex(8).upper(),
            "order_id": order["order_id"], "source": "gateway",
            "paid_at": datetime.now(UTC).isoformat(),
        }).encode()
        request = urllib.request.Request(order["callback_url"], data=body, method="POST", headers={
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, body)})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return {"status": response.status, "body": response.read().decode()}
        except urllib.error.HTTPError as exc:
            return {"status": exc.code, "body": exc.read().decode()}
        except OSError as exc:
            return {"status": 0, "body": str(exc)}


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thanh toán mô phỏng</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:3rem auto}}button{{font-size:1.1rem;
padding:.5rem 1.5rem;margin-right:1rem}}</style></head><body>
<h1>Cổng thanh toán mô phỏng</h1>
<p>Đơn vị chấp nhận thanh toán: <strong>{merchant}</strong></p>
<p>Nội dung: {description}</p>
<p>Mã thanh toán: <strong>{reference}</strong></p>
<p>Số tiền: <strong>{amount} đồng</strong></p>
<p>Trạng thái: {state}</p>
<form method="post"><button name="choice" value="pay">Thanh toán</button>
<button name="choice" value="cancel">Hủy</button></form>
<p><small>Máy chủ mô phỏng dùng cho thử nghiệm: không có tiền thật được chuyển.</small></p>
</body></html>"""


class PaygateHandler(SimulatorHandler):
    """Signed JSON both ways (payments/gateway.py), so it reads raw bodies itself; it has no
    control endpoint: a gateway's sandbox is switched from its merchant console, not the API."""

    state: Simulator

    def send_json(self, status: int, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        self.send(status, body, "application/json",
                  {SIGNATURE_HEADER: sign(self.state.secret, body)})

    def _order(self) -> dict | None:
        order_id = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        return self.state.orders.get(order_id)

    def _merchant_request(self, body: bytes) -> dict | None:
        """The signed request of our merchant, or None with the refusal sent."""
        if not signature_valid(self.state.secret, body, self.headers.get(SIGNATURE_HEADER, "")):
            self.send_json(401, {"error": "bad signature"})
            return None
        data = json.loads(body)
        if data.get("merchant") != self.state.merchant:
            self.send_json(400, {"error": "unknown merchant"})
            return None
        return data

    def get(self, path: str, query: dict[str, list[str]]) -> None:
        order = self._order()
        if order is None:
            return self.send_json(404, {"error": "unknown order"})
        if self.path.startswith("/orders/"):
            return self.send_json(200, order)
        page = PAGE.format(**{k: html.escape(str(order[k])) for k in
                              ("merchant", "description", "reference", "amount", "state")})
        self.send_html(page)

    def _refund(self, body: bytes):
        sim = self.state
        if (data := self._merchant_request(body)) is None:
            return
        with sim.lock:
            order = sim.orders.get(str(data.get("order_id")))
            if order is None or order["reference"] != data.get("reference"):
                return self.send_json(404, {"error": "unknown order"})
            if order["state"] == "refunded":
                return self.send_json(409, {"error": "order already refunded"})
            if order["state"] != "paid":
                return self.send_json(409, {"error": "order not paid"})
            if data.get("amount") != order["amount"]:
                return self.send_json(400, {"error": "amount differs from the order"})
            order["state"] = "refunded"
            order["refund_id"] = "RF" + secrets.token_hex(6).upper()
            order["refund_reason"] = str(data.get("reason", ""))
        return self.send_json(200, {"refund_id": order["refund_id"], "status": "refunded"})

    def _create(self, body: bytes):
        sim = self.state
        if (data := self._merchant_request(body)) is None:
            return
        order_id = "ORD" + secrets.token_hex(6).upper()
        host = self.headers.get("Host", f"127.0.0.1:{self.server.server_port}")
        with sim.lock:
            sim.orders[order_id] = {
                "order_id": order_id, "merchant": sim.merchant, "state": "open",
                "reference": data["reference"], "amount": int(data["amount"]),
                "description": data.get("description", ""),
                "return_url": data["return_url"], "callback_url": data["callback_url"],
                "callbacks": []}
        return self.send_json(200, {"order_id": order_id,
                                    "pay_url": f"http://{host}/pay/{order_id}"})

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.read_body()
        self.called(urlsplit(self.path).path)
        if self.path.rstrip("/") == "/refunds":
            return self._refund(body)
        if self.path.rstrip("/") == "/orders":
            return self._create(body)
        order = self._order()
        if order is None or not self.path.startswith("/pay/"):
            return self.send_json(404, {"error": "unknown order"})
        choice = parse_qs(body.decode()).get("choice", [""])[0]
        if choice not in ("pay", "cancel"):
            return self.send_json(400, {"error": "choice must be pay or cancel"})
        status = "paid" if choice == "pay" else "failed"
        answer = self.state.callback(order, status)
        with self.state.lock:
            order["state"] = status
            order["callbacks"].append(answer)
        if answer["status"] != 200:
            return self.send(502, f"Không gửi được thông báo: {answer}".encode(),
                             "text/plain; charset=utf-8")
        sep = "&" if "?" in order["return_url"] else "?"
        self.send(303, b"", "text/plain",
                  {"Location": f"{order['return_url']}{sep}ket-qua={status}"})


def simulator_server(*, host: str, port: int, merchant: str, secret: str) -> SimulatorServer:
    """A server ready for serve_forever(); port 0 picks a free one (server.server_port)."""
    return SimulatorServer((host, port), PaygateHandler,
                           Simulator(merchant=merchant, secret=secret))
