"""What the two benches of the hot actions share (issue #18): bench/actions_profile.py (times and
cProfile) and bench/actions_instructions.py (callgrind's instruction counts) set Django up the
same way, file the same dossier and call the API the same way, so their figures compare."""

import os
from pathlib import Path


def actions_django(database: str) -> None:
    """Django as the server runs it, on the bench database `database` (PostgreSQL, this
    machine): production's settings with the trivial write's URL (bench/trivial_settings.py),
    DEBUG off (no statement log), no signing certificate (an approval without signing)."""
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.trivial_settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["MOTCUA_SIGNING_REQUIRED"] = "0"
    import logging

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.MOTCUA_SIGNING_PKCS12 = settings.MOTCUA_SIGNING_HEAD_PKCS12 = ""
    settings.ALLOWED_HOSTS = ["*"]
    # Each unsigned result says so in the log: once is enough here.
    logging.getLogger("results.signing").setLevel(logging.ERROR)


def actions_filing() -> dict:
    """The filing of issue #18 (accept: true): the first procedure with a competent unit and a
    time limit at the counter, its required papers, one applicant."""
    from catalog.models import Variant

    variant = Variant.objects.filter(procedure__competent_unit__isnull=False,
                                     time_limits__channel=1).order_by("pk").first()
    docs = [{"required_document": d.pk}
            for d in variant.documents.filter(optional=False).order_by("pk")]
    return {"variant": variant.pk, "channel": 1, "accept": True, "documents": docs,
            "applicant": {"kind": 1, "name": "Trần Thị Bích", "id_number": "056185004321"}}


def token_client(user):
    """An API client authenticated as `user` by token, as a desk's or a head's software is."""
    from rest_framework.test import APIClient

    from accounts.tokens import token_issue

    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {token_issue(user)}")
    return client


def backend_ticks() -> int | None:
    """The CPU clock ticks PostgreSQL's process serving this connection has used (Linux /proc,
    the server on this machine): the database's side of a request; None if unreadable."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def at_head(codes: list[str], desk) -> tuple[list, object]:
    """The dossiers `codes`, forwarded by `desk` and moved on until they wait for the head (the
    specialist's draft made on the way), and an API client of that head: what an approval bench
    approves, and who approves it."""
    from accounts.models import Membership
    from bench.submissions import _moved_on
    from catalog.models import Step
    from dossiers.models import Dossier, State
    from dossiers.services import dossier_act

    for code in codes:
        dossier_act(dossier=Dossier.objects.get(code=code), actor=desk, action="forward")
    ours = Dossier.objects.filter(code__in=codes).select_related("current_step__unit")
    waiting = _moved_on(ours.filter(state=State.PROCESSING),
                        lambda d: d.current_step.role == Step.Role.HEAD, len(codes))
    head = Membership.objects.filter(unit_id=waiting[0].current_step.unit_id,
                                     role="head").first().user
    return waiting, token_client(head)
