"""The public lookup's limits: wrong tries counted per dossier code and per address, in the
database, one budget for every page that takes a lookup factor (`/tra-cuu/`, `/danh-gia/ho-so/`).

- Per code: after MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE wrong tries within the window, the last
  4 phone digits no longer open that dossier (10,000 values: the guessable factor). The 8-letter
  secret printed on Form 01 (31⁸ ≈ 8.5·10¹¹ values) still does, so guessing at someone's code
  never locks its owner out.
- Per address: after MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS wrong tries within the window, that
  address is refused whatever it sends. The number is set for a shared address (a commune
  office, a mobile carrier's NAT): people's typos there never reach it, one guesser does.

Each try is written as a failure before it is judged, so concurrent tries in other workers see
it at once and a burst cannot slip through between a count and a write; a successful try
deletes its rows again.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from dossiers.models import Dossier, LookupFailure
from dossiers.selectors import dossier_public_lookup, lookup_code_normalize, lookup_factor_normalize
from motcua.errors import DomainError
from motcua.window_counts import tries_count


@dataclass(frozen=True)
class LookupLimits:
    per_code: int
    per_address: int
    window: timedelta


def lookup_limits() -> LookupLimits:
    return LookupLimits(per_code=settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE,
                        per_address=settings.MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS,
                        window=timedelta(seconds=settings.MOTCUA_LOOKUP_WINDOW_SECONDS))


def _weak(factor: str) -> bool:
    return len(factor) == 4 and factor.isdigit()


def lookup_attempt(*, code: str, factor: str, address: str) -> Dossier:
    """The dossier that `code` and `factor` open, counting the try against the limits.

    Raises DomainError: 429 "lookup_locked" past a limit, 404 "lookup_not_found" for an unknown
    code or a wrong factor (one answer for both: the page must not tell which codes exist).
    """
    code, factor = lookup_code_normalize(code), lookup_factor_normalize(factor)
    limits = lookup_limits()
    now = timezone.now()
    since = now - limits.window
    rows = [LookupFailure(scope=LookupFailure.Scope.ADDRESS, key=address[:100], at=now)]
    if _weak(factor):
        rows.append(LookupFailure(scope=LookupFailure.Scope.CODE, key=code[:100], at=now))
    limit = {LookupFailure.Scope.ADDRESS: limits.per_address,
             LookupFailure.Scope.CODE: limits.per_code}
    # A refused try is not a new failure (tries_count deletes it again): the lock ends a window
    # after the tries that made it.
    reserved, over = tries_count(LookupFailure, rows, now=now,
                                 windows=dict.fromkeys(limit, limits.window), limits=limit)
    if over:
        minutes = max(1, int(limits.window.total_seconds() // 60))
        if LookupFailure.Scope.ADDRESS in over:
            raise DomainError(
                "lookup_locked",
                f"Có quá nhiều lần tra cứu sai từ địa chỉ mạng này. Vui lòng thử lại sau "
                f"{minutes} phút.",
                f"Too many wrong tries from this network address. Try again in {minutes} "
                "minutes.", http_status=429)
        raise DomainError(
            "lookup_locked",
            "Hồ sơ này đã bị tra cứu sai quá nhiều lần bằng 4 số cuối điện thoại. Hãy dùng mã "
            f"bí mật 8 ký tự in trên giấy tiếp nhận, hoặc thử lại sau {minutes} phút.",
            "This dossier was looked up with wrong phone digits too many times. Use the "
            f"8-character secret printed on the receipt, or try again in {minutes} minutes.",
            http_status=429)
    dossier = dossier_public_lookup(code=code, factor=factor)
    if dossier is not None:
        LookupFailure.objects.filter(pk__in=reserved).delete()
        return dossier
    LookupFailure.objects.filter(at__lt=since).delete()
    raise DomainError(
        "lookup_not_found",
        "Không tìm thấy hồ sơ với mã và thông tin xác minh đã nhập. Kiểm tra lại mã hồ sơ và "
        "mã bí mật trên giấy tiếp nhận.",
        "No dossier was found with the code and verification details entered. Check the dossier "
        "code and the secret code on the receipt.", http_status=404)
