"""Payment pieces inside the dossier pages, so dossiers/ needs no import of payments/.

They only read: the links they show were renewed by the view before it rendered
(payments/consumers.py, `payment_links_on_open`, called through dossiers/opened.py).
"""

from django import template

from dossiers.services.transitions import actor_may
from dossiers.states import transition
from payments.selectors import payment_current, payments_of_dossier_loaded
from payments.states import PAYABLE_STATES

register = template.Library()


@register.filter
def dong(value) -> str:
    """205000 → "205.000": Vietnamese grouping whatever the active locale's format says."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.filter
def dong_signed(value) -> str:
    """A difference: "+5.000", "-5.000", "0"."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return ""
    return ("+" if n > 0 else "-" if n < 0 else "") + dong(abs(n))


@register.simple_tag
def payment_for_lookup(code: str):
    """The payment the public lookup result links to (the page is keyed by its token).

    The lookup result is shown only to whoever gave the dossier's code and secret: the right to
    the payment page, so the lookup's view renewed a link that has run out before rendering.
    """
    return payment_current(dossier_code=code) if code else None


@register.inclusion_tag("payments/_staff_panel.html", takes_context=True)
def payment_staff_panel(context, dossier):
    user = context["request"].user
    # The officer shows the applicant's payment page at the desk: the dossier page's view renewed
    # a link that has run out and loaded the payments onto `dossier`, read here without a query.
    payments = payments_of_dossier_loaded(dossier=dossier)
    return {
        "payments": payments,
        "payable_states": PAYABLE_STATES,
        "may_confirm": actor_may(dossier, user, transition("mark_paid"))[0],
        "csrf_token": context.get("csrf_token"),
    }
