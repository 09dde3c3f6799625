"""The online payment gateway behind a small adapter: create an order, authenticate callbacks.

The wire protocol (docs/payments.md): JSON bodies; the sender signs the exact body bytes with
HMAC-SHA256 under the shared merchant secret and sends the hex digest in `X-Motcua-Signature`.
`HttpGateway` talks to any provider speaking it (MOTCUA_PAYGATE_URL/_MERCHANT/_SECRET); the
local simulator (payments/simulator.py, `manage.py paygate_simulator`) is one, run as a real
server process in the demo and the tests. A provider with another protocol gets its own class
with the same two methods.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings

from motcua.errors import DomainError

SIGNATURE_HEADER = "X-Motcua-Signature"


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, signature: str) -> bool:
    # An installation without a secret accepts nothing: an empty key would let anyone sign.
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


@dataclass(frozen=True)
class GatewayOrder:
    order_id: str
    pay_url: str


class PaymentGateway(Protocol):
    merchant: str
    secret: str

    def create_order(self, *, reference: str, amount: int, description: str, return_url: str,
                     callback_url: str) -> GatewayOrder: ...


class HttpGateway:
    """A gateway reached over HTTP at `url` (POST {url}orders)."""

    def __init__(self, *, url: str, merchant: str, secret: str, timeout: float = 10) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.merchant = merchant
        self.secret = secret
        self.timeout = timeout

    def create_order(self, *, reference: str, amount: int, description: str, return_url: str,
                     callback_url: str) -> GatewayOrder:
        if not (self.url.startswith("http") and self.merchant and self.secret):
            raise _unavailable("MOTCUA_PAYGATE_URL, _MERCHANT and _SECRET are not all set")
        body = json.dumps({"merchant": self.merchant, "reference": reference, "amount": amount,
                           "description": description, "return_url": return_url,
                           "callback_url": callback_url}, ensure_ascii=False).encode()
        try:
            response = httpx.post(self.url + "orders", content=body, timeout=self.timeout,
                                  headers={"Content-Type": "application/json",
                                           SIGNATURE_HEADER: sign(self.secret, body)})
        except httpx.HTTPError as exc:
            raise _unavailable(str(exc)) from exc
        if response.status_code != 200:
            raise _unavailable(f"HTTP {response.status_code}: {response.text[:200]}")
        if not signature_valid(self.secret, response.content,
                               response.headers.get(SIGNATURE_HEADER, "")):
            raise _unavailable("the answer is not signed with our secret")
        answer = response.json()
        if not answer.get("order_id") or not str(answer.get("pay_url", "")).startswith("http"):
            raise _unavailable(f"unexpected answer {answer!r}")
        return GatewayOrder(order_id=str(answer["order_id"]), pay_url=str(answer["pay_url"]))


def _unavailable(detail: str) -> DomainError:
    return DomainError("gateway_unavailable",
                       "Cổng thanh toán tạm thời không phản hồi. Vui lòng thử lại sau hoặc "
                       "chuyển khoản bằng mã VietQR.",
                       f"The payment gateway is unavailable: {detail}", http_status=503)


def gateway_default() -> PaymentGateway:
    return HttpGateway(url=settings.MOTCUA_PAYGATE_URL, merchant=settings.MOTCUA_PAYGATE_MERCHANT,
                       secret=settings.MOTCUA_PAYGATE_SECRET,
                       timeout=settings.MOTCUA_PAYGATE_TIMEOUT)
