"""How many PDFs one address may have the public verification check (audit10).

The verification (`/xac-thuc/`, `/xac-thuc/<uid>/`, `POST /api/v1/xac-thuc/`) needs no account
and costs up to about 2 s of a worker's CPU for the worst 20 MB file (results/verification.py):
a script sending them without pause kept a worker busy for each it sent. Each upload checked is
a row of `VerificationTry` per client address, written before it is judged (motcua/
window_counts.py); past MOTCUA_VERIFY_MAX_PER_ADDRESS within MOTCUA_VERIFY_WINDOW_SECONDS the
upload is refused before it is read. Set for a shared address (a commune office, a carrier's
NAT): a person checks a few documents, an office a few dozen in an hour.
"""

from datetime import timedelta

from django.conf import settings

from motcua.errors import DomainError
from motcua.window_counts import address_try_over
from results.models import VerificationTry


def verification_try(*, address: str) -> None:
    """Counts one verification from `address`; DomainError 429 "verification_limit" past the
    limit (the refused try is not counted: the limit ends a window after the tries that made
    it)."""
    window = timedelta(seconds=settings.MOTCUA_VERIFY_WINDOW_SECONDS)
    if address_try_over(VerificationTry, address=address, window=window,
                        limit=settings.MOTCUA_VERIFY_MAX_PER_ADDRESS):
        minutes = max(1, int(window.total_seconds() // 60))
        raise DomainError(
            "verification_limit",
            f"Đã có quá nhiều văn bản được kiểm tra từ địa chỉ mạng này. Vui lòng thử lại sau "
            f"{minutes} phút. Trong lúc chờ, bạn vẫn có thể quét mã QR in trên văn bản để xem "
            f"thông tin đăng ký của văn bản.",
            f"Too many documents were checked from this network address. Try again in "
            f"{minutes} minutes; meanwhile the QR code printed on the document still shows its "
            f"registry entry.", http_status=429)
