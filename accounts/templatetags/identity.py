"""{% identity_notice %}: where a citizen's pages open data keyed by a personal ID, say whether
the account's number is proven and, if not, how to prove it (issue #17)."""

from django import template

from accounts.models import User
from accounts.selectors import proven_ids

register = template.Library()


@register.inclusion_tag("accounts/_identity_notice.html", takes_context=True)
def identity_notice(context) -> dict:
    user = context["request"].user
    show = (getattr(user, "is_authenticated", False) and user.kind != User.Kind.STAFF
            and not proven_ids(user))
    return {"show": show, "held": (user.personal_id or user.tax_code) if show else ""}
