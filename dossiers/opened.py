"""What the apps above dossiers do when a person entitled to a dossier opens its page.

The public lookup (code and secret) and an officer's dossier page show panels of higher apps:
payments' fees panel links the applicant's payment page, whose link may have run out and must be
renewed first. A template only reads, and dossiers cannot import payments (an arrow never runs
up), so each app names a function in settings.MOTCUA_DOSSIER_OPENED and the views call them
after the right to the dossier was checked, before the page is rendered.
"""

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from dossiers.models import Dossier

# Who opened the page: someone who gave the dossier's code and its secret (or the phone's last
# digits) on /tra-cuu/, or an officer who reads the dossier under its rule (dossier_get).
BY_LOOKUP = "lookup"
BY_STAFF = "staff"


@cache
def dossier_opened_hooks() -> tuple[Callable[..., None], ...]:
    """The functions of settings.MOTCUA_DOSSIER_OPENED, called with (dossier=, by=)."""
    return tuple(import_string(path) for path in settings.MOTCUA_DOSSIER_OPENED)


def dossier_opened(*, dossier: Dossier, by: str) -> None:
    """Call every hook for `dossier`, opened `by` BY_LOOKUP or BY_STAFF.

    A hook may write (each write its own statement, safe when two pages open at once) and may
    load onto `dossier` what its panel reads, so the page reads it once.
    """
    for hook in dossier_opened_hooks():
        hook(dossier=dossier, by=by)
