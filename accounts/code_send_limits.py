"""How many codes one address may have sent to typed phones and e-mails (audit11).

A sign-up needs no account and sends, from the authority's SMS gateway or mailer, a code to the
phone or e-mail typed; so do "send the code again" and the forgotten password. Each account is
limited (one code a minute, five an hour: accounts/services/verification.py), but a script
signing up a new number at each request sent one SMS to each, without end — the authority pays
for every message, and a list of numbers receives them unasked. Each such request is a row of
`CodeSendTry` per client address, written before it is judged (motcua/window_counts.py); past
MOTCUA_CODE_SEND_MAX_PER_ADDRESS within MOTCUA_CODE_SEND_WINDOW_SECONDS it is refused before
anything is sent. Set for a shared address (a commune office helping people sign up, a mobile
carrier's NAT): a person needs one to three codes, an office a dozen in an hour. A forgotten
password counts whether or not an account signs in with what was typed, so the refusal tells
nothing about who holds an account.
"""

from datetime import timedelta

from django.conf import settings

from accounts.lockout import lockout_client_ip
from accounts.models import CodeSendTry
from motcua.errors import DomainError
from motcua.window_counts import address_try_over


def code_send_try(request) -> None:
    """Counts one request that would send a code, from the request's client address;
    DomainError 429 "code_send_limit" past the limit (the refused try is not counted: the limit
    ends a window after the tries that made it)."""
    window = timedelta(seconds=settings.MOTCUA_CODE_SEND_WINDOW_SECONDS)
    if address_try_over(CodeSendTry, address=lockout_client_ip(request) or "", window=window,
                        limit=settings.MOTCUA_CODE_SEND_MAX_PER_ADDRESS):
        minutes = max(1, int(window.total_seconds() // 60))
        raise DomainError(
            "code_send_limit",
            f"Đã có quá nhiều yêu cầu gửi mã xác minh từ địa chỉ mạng này. Vui lòng thử lại sau "
            f"{minutes} phút, hoặc đến bộ phận một cửa để được hỗ trợ.",
            f"Too many verification codes were requested from this network address. Try again "
            f"in {minutes} minutes, or ask at a one-stop desk.", http_status=429)
