"""API tokens: issued once, kept as a digest, ended after their days (issue #17, audit10).

DRF's tokens never expire: a token copied into a script or a leaked log works for ever. Here a
token lives MOTCUA_API_TOKEN_DAYS days from its issue (a setting: an integration that wants
longer says so in its environment); after that the API answers 401 and `/api/v1/auth/token/`
issues a new one, with the second factor where the account needs it (accounts/api.py).

DRF also keeps the key itself in the database, so a copy of it (a backup, a replica, a dump
handed to a contractor) called the API as every account holding one. Only the SHA-256 digest
of a key is kept (`accounts.models.ApiToken`): the key is 160 random bits, so a plain digest is
enough (no salt or slow hash: nothing to guess), and the read is by the digest, so no secret is
compared in Python. The key is shown once, in the token endpoint's answer, and never again.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import ApiToken, User
from motcua.prepared import Prepared

# Live tokens an account keeps: each call of the token endpoint issues one (the key cannot be
# given again), so an integration calling it at every start would otherwise pile them up when
# MOTCUA_API_TOKEN_DAYS is 0. Past this the oldest end.
TOKENS_PER_ACCOUNT = 10


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_expired(token: ApiToken) -> bool:
    days = settings.MOTCUA_API_TOKEN_DAYS
    return bool(days) and token.created < timezone.now() - timedelta(days=days)


def token_issue(user: User) -> str:
    """A new token for the account; returns its key, which is stored nowhere. The account's
    expired tokens, and its oldest past TOKENS_PER_ACCOUNT, end."""
    key = secrets.token_hex(20)
    days = settings.MOTCUA_API_TOKEN_DAYS
    if days:
        ApiToken.objects.filter(
            user=user, created__lt=timezone.now() - timedelta(days=days)).delete()
    kept = list(ApiToken.objects.filter(user=user).order_by("-created")
                .values_list("digest", flat=True)[TOKENS_PER_ACCOUNT - 1:])
    if kept:
        ApiToken.objects.filter(digest__in=kept).delete()
    ApiToken.objects.create(digest=token_digest(key), user=user)
    return key


# The token with its user, as DRF's TokenAuthentication reads it, compiled once per process
# (motcua/prepared.py): compiling the read cost about a tenth of a filing's CPU (issue #18).
_TOKEN_READ = Prepared(lambda digest: ApiToken.objects.select_related("user").filter(
    digest=digest), str)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        found = _TOKEN_READ.rows(token_digest(key))
        if not found:
            raise AuthenticationFailed(_("Mã truy cập API không hợp lệ."))
        token = found[0]
        if not token.user.is_active:
            raise AuthenticationFailed(_("Tài khoản không còn hoạt động hoặc đã bị xóa."))
        user = token.user
        if token_expired(token):
            # The message in both languages is the error format's (motcua/api_errors.py).
            raise AuthenticationFailed(code="token_expired")
        return user, token
