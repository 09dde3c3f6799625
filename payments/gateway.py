"""The online payment gateway behind a small adapter: create an order, refund a paid one,
authenticate callbacks.

The wire protocol (docs/payments.md): JSON bodies; the sender signs the exact body bytes with
HMAC-SHA256 under the shared merchant secret and sends the hex digest in `X-Motcua-Signature`.
`HttpGateway` talks to any provider speaking it (MOTCUA_PAYGATE_URL/_MERCHANT/_SECRET); the
local simulator (payments/simulator.py, `manage.py paygate_simulator`) is one, run as a real
server process in the demo and the tests. A provider with another protocol gets its own class
with the same methods.
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


@dataclass(frozen=True)
class GatewayRefund:
    refund_id: str


class PaymentGateway(Protocol):
    merchant: str
    secret: str

    def create_order(self, *, reference: str, amount: int, description: str, return_url: str,
                     callback_url: str) -> GatewayOrder: ...

    def refund(self, *, order_id: str, reference: str, amount: int,
               reason: str) -> GatewayRefund: ...


class HttpGateway:
    """A gateway reached over HTTP at `url` (POST {url}orders, POST {url}refunds)."""

    def __init__(self, *, url: str, merchant: str, secret: str, timeout: float = 10) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.merchant = merchant
        self.secret = secret
        self.timeout = timeout

    def _post(self, path: str, data: dict, unavailable) -> dict:
        """POST `data` signed to {url}{path}; the signed JSON answer. A refusal (HTTP 4xx with
        an error) comes back as {"error": ...}; no answer, or an unsigned one, raises
        `unavailable(detail)`."""
        if not (self.url.startswith("http") and self.merchant and self.secret):
            raise unavailable("MOTCUA_PAYGATE_URL, _MERCHANT and _SECRET are not all set")
        body = json.dumps({"merchant": self.merchant, **data}, ensure_ascii=False).encode()
        try:
            response = httpx.post(self.url + path, content=body, timeout=self.timeout,
                                  headers={"Content-Type": "application/json",
                                           SIGNATURE_HEADER: sign(self.secret, body)})
        except httpx.HTTPError as exc:
            raise unavailable(str(exc)) from exc
        if response.status_code != 200 and not 400 <= response.status_code < 500:
            raise unavailable(f"HTTP {response.status_code}: {response.text[:200]}")
        if not signature_valid(self.secret, response.content,
                               response.headers.get(SIGNATURE_HEADER, "")):
            raise unavailable(f"HTTP {response.status_code}, the answer is not signed with our "
                              f"secret")
        answer = response.json()
        if response.status_code != 200:
            return {"error": str(answer.get("error") or response.status_code)}
        return answer

    def create_order(self, *, reference: str, amount: int, description: str, return_url: str,
                     callback_url: str) -> GatewayOrder:
        answer = self._post("orders", {"reference": reference, "amount": amount,
                                       "description": description, "return_url": return_url,
                                       "callback_url": callback_url}, _unavailable)
        if not answer.get("order_id") or not str(answer.get("pay_url", "")).startswith("http"):
            raise _unavailable(f"unexpected answer {answer!r}")
        return GatewayOrder(order_id=str(answer["order_id"]), pay_url=str(answer["pay_url"]))

    def refund(self, *, order_id: str, reference: str, amount: int,
               reason: str) -> GatewayRefund:
        """Give back the whole amount of a paid order; the money returns to the payer's card or
        account through the gateway."""
        answer = self._post("refunds", {"order_id": order_id, "reference": reference,
                                        "amount": amount, "reason": reason},
                            _refund_unavailable)
        if answer.get("error"):
            raise DomainError("gateway_refund_refused",
                              f"Cổng thanh toán từ chối hoàn tiền: {answer['error']}.",
                              f"The payment gateway refused the refund: {answer['error']}.",
                              http_status=409)
        if not answer.get("refund_id"):
            raise _refund_unavailable(f"unexpected answer {answer!r}")
        return GatewayRefund(refund_id=str(answer["refund_id"]))


def _unavailable(detail: str) -> DomainError:
    return DomainError("gateway_unavailable",
                       "Cổng thanh toán tạm thời không phản hồi. Vui lòng thử lại sau hoặc "
                       "chuyển khoản bằng mã VietQR.",
                       f"The payment gateway is unavailable: {detail}", http_status=503)


def _refund_unavailable(detail: str) -> DomainError:
    return DomainError("gateway_unavailable",
                       "Cổng thanh toán tạm thời không phản hồi; tiền chưa được hoàn. Vui lòng "
                       "thử lại sau.",
                       f"The payment gateway is unavailable; nothing was refunded: {detail}",
                       http_status=503)


def gateway_default() -> PaymentGateway:
    return HttpGateway(url=settings.MOTCUA_PAYGATE_URL, merchant=settings.MOTCUA_PAYGATE_MERCHANT,
                       secret=settings.MOTCUA_PAYGATE_SECRET,
                       timeout=settings.MOTCUA_PAYGATE_TIMEOUT)
