"""VNeID log-in through OpenID Connect (mozilla-django-oidc), tightened for this project.

The library's defaults match users by e-mail and do not check the ID token's audience or
issuer. Here the personal ID is the identifier, the token must be issued by
MOTCUA_OIDC_ISSUER for our client id, and the account rules live in
`accounts.services.vneid_user_for_claims`.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from accounts.models import User
from accounts.services import vneid_user_for_claims
from motcua.errors import DomainError

logger = logging.getLogger(__name__)

_LINK_SESSION_KEY = "vneid_link_user_id"


class VNeIDBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs) -> User | None:
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation) as e:
            # The identity provider refused the code, could not be reached, or sent a token we
            # do not trust: a failed log-in (logged), not a server error.
            logger.warning("VNeID log-in failed: %s", e)
            return None

    def get_user(self, user_id) -> User | None:
        """The session's account, at each request. mozilla-django-oidc returns it even when
        inactive, and Django asks the backend that signed the session in: an account an
        administrator deactivated kept its VNeID sessions (audit8). As Django's password
        backend does, an inactive account has no user."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def _verify_jws(self, payload: str, key: object) -> dict:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm")
        try:
            return jwt.decode(payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO],
                              audience=self.OIDC_RP_CLIENT_ID,
                              issuer=settings.MOTCUA_OIDC_ISSUER,
                              options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        except jwt.PyJWTError as e:
            raise SuspiciousOperation(f"ID token rejected: {e}") from None

    def verify_claims(self, claims: dict) -> bool:
        return bool(claims.get(settings.MOTCUA_OIDC_CLAIM_PERSONAL_ID))

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> User | None:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OIDC Core 5.3.2: userinfo must be about the subject of the ID token.
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("userinfo subject differs from the ID token's")
        claims = payload | userinfo
        if not self.verify_claims(claims):
            raise SuspiciousOperation("no personal ID claim")
        current = None
        link_id = self.request.session.get(_LINK_SESSION_KEY)
        if link_id and self.request.user.is_authenticated and self.request.user.pk == link_id:
            current = self.request.user
        try:
            return vneid_user_for_claims(
                claims=claims, personal_id_claim=settings.MOTCUA_OIDC_CLAIM_PERSONAL_ID,
                current_user=current)
        except DomainError as e:
            messages.error(self.request, e.localized_message)
            self.request.vneid_refused = True
            logger.info("VNeID log-in refused: %s", e.code)
            return None


class VNeIDCallbackView(OIDCAuthenticationCallbackView):
    """Lands citizens on their profile, staff on their inbox, failures back on the login page."""

    @property
    def failure_url(self) -> str:
        return resolve_url("accounts:login")

    @property
    def success_url(self) -> str:
        next_url = self.request.session.get("oidc_login_next")
        if next_url:
            return next_url
        if self.user.kind == User.Kind.STAFF:
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        return resolve_url("accounts:profile")

    def login_success(self) -> HttpResponseRedirect:
        self.request.session.pop(_LINK_SESSION_KEY, None)
        return super().login_success()

    def login_failure(self) -> HttpResponseRedirect:
        self.request.session.pop(_LINK_SESSION_KEY, None)
        if not getattr(self.request, "vneid_refused", False):
            messages.error(self.request, _("Đăng nhập bằng VNeID không thành công. "
                                           "Vui lòng thử lại."))
        return super().login_failure()


def vneid_link_start(request) -> None:
    """Mark that the next VNeID callback links the logged-in account instead of logging in."""
    request.session[_LINK_SESSION_KEY] = request.user.pk
