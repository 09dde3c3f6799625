"""The feedback lookup's limits, on the approach of the dossier lookup (dossiers/services/
lookup.py): wrong tries are written to the database before they are judged, counted per code and
per address within a window, and a success deletes its rows again. The same settings
(MOTCUA_LOOKUP_*) set the budget, so an operator tunes one lookup policy.

- Per code: past the limit, the last 4 phone digits (10,000 values) no longer open that item;
  the 8-character secret still does, so guessing at someone's code never locks its owner out.
- Per address: past the limit, that address is refused whatever it sends.
"""

import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from feedback.codes import code_normalize, secret_normalize
from feedback.models import Feedback, LookupFailure
from motcua.errors import DomainError
from motcua.window_counts import tries_count


def _weak(factor: str) -> bool:
    return len(factor) == 4 and factor.isdigit()


def _matches(item: Feedback, factor: str) -> bool:
    if _weak(factor):
        digits = "".join(ch for ch in item.sender_phone if ch.isdigit())
        return len(digits) >= 4 and digits[-4:] == factor
    return bool(item.lookup_secret) and hmac.compare_digest(item.lookup_secret, factor)


def feedback_lookup_attempt(*, code: str, factor: str, address: str) -> Feedback:
    """The item `code` and `factor` open. DomainError 429 "lookup_locked" past a limit; 404
    "lookup_not_found" for an unknown code or a wrong factor alike (codes are not revealed)."""
    code, factor = code_normalize(code), secret_normalize(factor)
    now = timezone.now()
    window = timedelta(seconds=settings.MOTCUA_LOOKUP_WINDOW_SECONDS)
    since = now - window
    rows = [LookupFailure(scope=LookupFailure.Scope.ADDRESS, key=address[:100], at=now)]
    if _weak(factor):
        rows.append(LookupFailure(scope=LookupFailure.Scope.CODE, key=code[:100], at=now))
    limit = {LookupFailure.Scope.ADDRESS: settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS,
             LookupFailure.Scope.CODE: settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE}
    reserved, over = tries_count(LookupFailure, rows, now=now,
                                 windows=dict.fromkeys(limit, window), limits=limit)
    minutes = max(1, int(window.total_seconds() // 60))
    if over:
        if LookupFailure.Scope.ADDRESS in over:
            raise DomainError(
                "lookup_locked",
                f"Có quá nhiều lần tra cứu sai từ địa chỉ mạng này. Vui lòng thử lại sau "
                f"{minutes} phút.",
                f"Too many wrong tries from this network address. Try again in {minutes} "
                "minutes.", http_status=429)
        raise DomainError(
            "lookup_locked",
            "Phản ánh này đã bị tra cứu sai quá nhiều lần bằng 4 số cuối điện thoại. Hãy dùng "
            f"mã bí mật 8 ký tự đã nhận khi gửi, hoặc thử lại sau {minutes} phút.",
            "This item was looked up with wrong phone digits too many times. Use the "
            f"8-character secret, or try again in {minutes} minutes.", http_status=429)
    item = Feedback.objects.filter(code=code).first()
    if item is not None and _matches(item, factor):
        LookupFailure.objects.filter(pk__in=reserved).delete()
        return item
    LookupFailure.objects.filter(at__lt=since).delete()
    raise DomainError(
        "lookup_not_found",
        "Không tìm thấy phản ánh với mã và thông tin xác minh đã nhập. Kiểm tra lại mã phản ánh "
        "và mã bí mật.",
        "No item was found with the code and verification details entered.", http_status=404)
