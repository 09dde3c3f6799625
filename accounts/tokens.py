"""API tokens that end (issue #17's "production-safe by default").

DRF's tokens never expire: a token copied into a script or a leaked log works for ever. Here a
token lives MOTCUA_API_TOKEN_DAYS days from its issue (a setting: an integration that wants
longer says so in its environment); after that the API answers 401 and `/api/v1/auth/token/`
issues a new one, with the second factor where the account needs it (accounts/api.py).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import User
from motcua.prepared import Prepared


def token_expired(token: Token) -> bool:
    days = settings.MOTCUA_API_TOKEN_DAYS
    return bool(days) and token.created < timezone.now() - timedelta(days=days)


def token_issue(user: User) -> Token:
    """The account's token, a new one when the old has expired."""
    token, _ = Token.objects.get_or_create(user=user)
    if token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


# The token with its user, as DRF's TokenAuthentication reads it, compiled once per process
# (motcua/prepared.py): compiling the read cost about a tenth of a filing's CPU (issue #18).
_TOKEN_READ = Prepared(lambda key: Token.objects.select_related("user").filter(key=key), str)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        found = _TOKEN_READ.rows(key)
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
