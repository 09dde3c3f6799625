"""The HTTP client of the National Public Service Portal's sync services.

Session-token authentication: the token is fetched on first use, renewed shortly before it
expires and once more when the portal says the session is no longer valid. Every call has a
timeout. Transport failures, HTTP 5xx and unreadable answers raise `PortalUnavailable` (the
worker retries later); every answer the portal does give comes back as a `PortalAnswer`.
"""

import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from sync.models import Kind
from sync.portal_format import ALREADY_EXISTS, SUCCESS_CODES, envelope

# The portal's answers that the client acts on itself (national mode answers with these too).
SESSION_INVALID = "-1"
INVALID_PAYLOAD = "-2"
# Renew the session this many seconds before the portal would expire it.
_TOKEN_MARGIN = 30


class PortalUnavailable(Exception):
    """The portal could not be reached or gave no usable answer; try again later."""


@dataclass(frozen=True)
class PortalAnswer:
    code: str
    message: str

    @property
    def ok(self) -> bool:
        return self.code in SUCCESS_CODES

    @property
    def permanent(self) -> bool:
        """Sending the same payload again cannot succeed (the portal refused its content)."""
        return self.code == INVALID_PAYLOAD


class PortalClient:
    def __init__(self, *, url: str, username: str, password: str, unit_code: str,
                 timeout: float, http: httpx.Client | None = None) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.username = username
        self.password = password
        self.unit_code = unit_code
        self.http = http or httpx.Client(timeout=httpx.Timeout(timeout))
        self._token = ""
        self._token_until = 0.0

    @classmethod
    def from_settings(cls) -> "PortalClient":
        return cls(url=settings.MOTCUA_PORTAL_URL, username=settings.MOTCUA_PORTAL_USERNAME,
                   password=settings.MOTCUA_PORTAL_PASSWORD,
                   unit_code=settings.MOTCUA_PORTAL_UNIT_CODE,
                   timeout=settings.MOTCUA_PORTAL_TIMEOUT)

    def close(self) -> None:
        self.http.close()

    def _post(self, path: str, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            response = self.http.post(self.url + path, json=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise PortalUnavailable(f"Hết thời gian chờ Cổng trả lời ({exc!r}).") from exc
        except httpx.HTTPError as exc:
            raise PortalUnavailable(f"Không kết nối được tới Cổng ({exc!r}).") from exc
        if response.status_code >= 500:
            raise PortalUnavailable(f"Cổng trả lời lỗi HTTP {response.status_code}.")
        try:
            answer = response.json()
        except ValueError as exc:
            raise PortalUnavailable(
                f"Cổng trả lời không đọc được (HTTP {response.status_code}).") from exc
        if not isinstance(answer, dict):
            raise PortalUnavailable("Cổng trả lời không đúng định dạng.")
        return answer

    def session(self, *, renew: bool = False) -> str:
        if renew or not self._token or time.monotonic() >= self._token_until:
            answer = self._post("token/", {"username": self.username, "password": self.password,
                                           "madonvi": self.unit_code})
            if str(answer.get("error_code")) not in SUCCESS_CODES or not answer.get("session"):
                raise PortalUnavailable(
                    f"Không lấy được phiên làm việc: {answer.get('message', answer)}")
            self._token = str(answer["session"])
            lifetime = float(answer.get("expires_in") or 3600)
            self._token_until = time.monotonic() + max(lifetime - _TOKEN_MARGIN, lifetime / 2)
        return self._token

    def call(self, *, service: str, data: list[dict[str, Any]], is_updating: bool | None,
             idempotency_key: str) -> PortalAnswer:
        """One call of a service, renewing the session once if the portal no longer knows it."""
        for renew in (False, True):
            body = envelope(service=service, session=self.session(renew=renew),
                            unit_code=self.unit_code, data=data, is_updating=is_updating)
            answer = self._post("dich-vu/", body, headers={"Idempotency-Key": idempotency_key})
            code = str(answer.get("error_code", ""))
            if code != SESSION_INVALID:
                break
        return PortalAnswer(code=code, message=str(answer.get("message", "")))

    def send(self, *, kind: str, records: list[dict[str, Any]], is_update: bool,
             keys: list[str]) -> PortalAnswer:
        """Send outbox records of one kind in one call; a create that already exists is sent
        again as an update. `keys` holds each record's idempotency key, in order."""
        header = ",".join(keys)
        if kind == Kind.PROGRESS:
            return self.call(service=kind, data=records, is_updating=None, idempotency_key=header)
        answer = self.call(service=kind, data=records, is_updating=is_update,
                           idempotency_key=header)
        if answer.code == ALREADY_EXISTS and not is_update:
            answer = self.call(service=kind, data=records, is_updating=True,
                               idempotency_key=header)
        return answer

    def lookup(self, codes: list[str]) -> dict[str, int]:
        """Status codes at the portal of these dossiers; a dossier it does not know is left out."""
        answer = self._post("tra-cuu/", {"session": self.session(), "madonvi": self.unit_code,
                                         "MaHoSo": codes})
        if str(answer.get("error_code")) == SESSION_INVALID:
            answer = self._post("tra-cuu/", {"session": self.session(renew=True),
                                             "madonvi": self.unit_code, "MaHoSo": codes})
        if str(answer.get("error_code")) not in SUCCESS_CODES:
            raise PortalUnavailable(f"Tra cứu không thành công: {answer.get('message')}")
        return {row["MaHoSo"]: int(row["TrangThaiHoSo"]) for row in answer.get("data", [])}
