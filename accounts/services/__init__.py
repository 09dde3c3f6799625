"""Writes on accounts: self sign-up, contact verification, a forgotten password, the profile,
VNeID log-in."""

from accounts.services.password_reset import password_reset_confirm, password_reset_request
from accounts.services.profile import contact_confirm, profile_update
from accounts.services.signup import account_signup
from accounts.services.verification import verification_confirm, verification_issue
from accounts.services.vneid import vneid_user_for_claims

__all__ = ["account_signup", "contact_confirm", "password_reset_confirm", "password_reset_request",
           "profile_update", "verification_confirm", "verification_issue",
           "vneid_user_for_claims"]
