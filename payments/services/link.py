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
    lookup, by code and secret; the officer's dossier page): the current one while it has half
    its life left, else a new one, which ends the old.

    Called by the views (payments/consumers.py, `payment_links_on_open`), never by a template.
    No ledger row: the ledger (PaymentEvent) records changes of state, and the payment's state
    does not change.
    """
    now = now or timezone.now()
    expires = payment.link_expires_at
    if expires is not None and expires - now >= PAYMENT_LINK_LIFETIME / 2:
        return payment.public_token
    token, until = secrets.token_urlsafe(32), now + PAYMENT_LINK_LIFETIME
    # Only the token read above is replaced. When two pages renew at once (the applicant's lookup
    # and the officer's desk), the second must not end the link the first has just shown: it
    # finds the token changed, updates nothing and links the first one's.
    if Payment.objects.filter(pk=payment.pk, public_token=payment.public_token).update(
            public_token=token, link_expires_at=until):
        payment.public_token, payment.link_expires_at = token, until
    else:
        payment.public_token, payment.link_expires_at = (
            Payment.objects.values_list("public_token", "link_expires_at").get(pk=payment.pk))
    return payment.public_token
