"""The payment page's link: a capability URL that opens one payment, for a limited time.

The SMS and the receipt's QR code lead to the public lookup (code and secret, dossiers/views/
lookup.py), which links to /thanh-toan/<token>/. Anyone holding that URL sees the payment (the
dossier's code, the procedure, the fee lines, the account to pay into) and can start a gateway
order: it must not open forever. A link lives PAYMENT_LINK_LIFETIME; the lookup issues a new token
when the current one is past half its life, and an old token then opens nothing.
"""

import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from payments.models import Payment

PAYMENT_LINK_LIFETIME = timedelta(days=14)


def payment_link_expired(payment: Payment, now: datetime | None = None) -> bool:
    expires = payment.link_expires_at
    return expires is None or expires <= (now or timezone.now())


def payment_link_issue(payment: Payment, now: datetime | None = None) -> str:
    """The token to link the payment page with, from a page that proved the right to it (the
    lookup, by code and secret): the current one while it has half its life left, else a new
    one, which ends the old."""
    now = now or timezone.now()
    expires = payment.link_expires_at
    if expires is None or expires - now < PAYMENT_LINK_LIFETIME / 2:
        payment.public_token = secrets.token_urlsafe(32)
        payment.link_expires_at = now + PAYMENT_LINK_LIFETIME
        Payment.objects.filter(pk=payment.pk).update(public_token=payment.public_token,
                                                     link_expires_at=payment.link_expires_at)
    return payment.public_token
