"""Who calls each API operation in the fuzz, and with which identifiers (bench/api_fuzz.py).

A generated identifier almost never names a row, and the desk officer may not call the routes of
other roles: a run as the desk officer alone left 34 operations answering nearly only 404 and 4
only 401/403. Here every operation of the schema is tried, before the run, with every demo
account and the identifiers of its own route family (a PAR assessment's id for the PAR routes,
a plan's for the plans', a dossier's code with its own paper's id, …), each request inside a
transaction rolled back, so nothing the probe does stays. An answer other than 401, 403, 404
and 405 means the request reached the operation's own work (a 400 for the empty body is such
an answer). Each operation then runs as the account that reached it with the most identifiers,
and is offered those identifiers half the time; the other half schemathesis makes its own up.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

# Answers that did not get past the door: no account, no right, no such row for this reader.
REFUSED = frozenset({401, 403, 404, 405})
# Combinations tried per account when choosing it, and in all for the chosen account.
TRIES_PER_ACCOUNT = 6
TRIES_FOR_VALUES = 40


@dataclass
class Target:
    """The account an operation runs as and the path values it reaches past the 404 with."""

    method: str
    path: str
    operation_id: str
    username: str | None
    values: dict[str, list[Any]] = field(default_factory=dict)
    reached: int = 0
    tried: int = 0


def _rows(model, column: str = "pk", limit: int = 30, **filters) -> list:
    rows = model.objects.filter(**filters).order_by("pk").values_list(column, flat=True)
    return list(rows[:limit])


def demo_payments() -> int:
    """The demo has no payment: a demand on each dossier in processing (request_payment by
    whoever may make it), so the payment routes have references to act on."""
    from accounts.models import User
    from dossiers.models import Dossier
    from dossiers.services.transitions import dossier_act
    from payments.models import Payment

    made = 0
    staff = list(User.objects.filter(kind=User.Kind.STAFF).order_by("pk"))
    for dossier in Dossier.objects.filter(state="processing").order_by("pk"):
        if Payment.objects.filter(dossier=dossier).exists():
            continue
        for actor in staff:
            try:
                dossier_act(dossier=dossier, actor=actor, action="request_payment",
                            data={"amount": 50_000})
            except Exception:  # noqa: BLE001 - not this actor's step: try the next one
                continue
            made += 1
            break
    return made


def demo_evaluations() -> int:
    """An evaluation on three returned dossiers (at the centre's kiosk), so the evaluation's
    GET has something to answer with."""
    from accounts.models import User
    from dossiers.models import Dossier
    from evaluations.services import evaluation_submit

    desk = User.objects.get(username="tiepnhan")
    answers = {name: 2 for name in ("total_time", "agency_time", "contacts", "agencies",
                                    "one_stop", "publicity", "attitude", "complaints",
                                    "online_service")}
    answers |= {"ease_rating": "very_satisfied", "overall_rating": "very_satisfied"}
    made = 0
    for dossier in Dossier.objects.filter(state="returned").order_by("pk")[:3]:
        try:
            evaluation_submit(dossier=dossier, answers=answers, channel="kiosk", actor=desk)
        except Exception:  # noqa: BLE001 - already evaluated, or not this desk's
            continue
        made += 1
    return made


def demo_files() -> int:
    """The demo's papers have no file: a one-page PDF on the first paper of five dossiers, so
    the file download route has tokens to serve."""
    import uuid
    from hashlib import sha256

    from django.core.files.base import ContentFile

    from accounts.models import User
    from dossiers.models import DossierDocument, DossierFile

    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]"
           b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    desk = User.objects.get(username="tiepnhan")
    made = 0
    seen: set[int] = set()
    for document in DossierDocument.objects.order_by("pk")[:200]:
        if document.dossier_id in seen or len(seen) == 5:
            continue
        seen.add(document.dossier_id)
        row = DossierFile(token=uuid.uuid4(), dossier_id=document.dossier_id, document=document,
                          original_name="giay-to.pdf", kind="pdf",
                          content_type="application/pdf", size=len(pdf),
                          sha256=sha256(pdf).hexdigest(), uploaded_by=desk)
        row.file.save("giay-to.pdf", ContentFile(pdf), save=True)
        made += 1
    return made


def candidates(path: str) -> list[dict[str, Any]]:
    """The path values of `path`'s route family, related values together (a dossier with its
    own papers, an assessment with its own scores)."""
    from catalog.models import Procedure
    from dossiers.models import Dossier, DossierDocument, DossierFile
    from dossiers.states import TRANSITIONS as DOSSIER_ACTIONS
    from feedback.models import Feedback
    from feedback.states import TRANSITIONS as FEEDBACK_ACTIONS
    from payments.models import Payment
    from reform.api.par import ACTIONS as PAR_ACTIONS
    from reform.models import ParAssessment, ParRound, ParScore, Plan, SipasRound, Task
    from regulations.models import Provision, ReviewRound
    from regulations.states import ACTION_LABELS as PROVISION_ACTIONS
    from results.models import StoredDocument

    def with_actions(rows: list[dict], name: str, actions) -> list[dict]:
        pairs = itertools.product(rows, sorted(actions))
        return [row | {name: action} for row, action in pairs]

    dossiers = _rows(Dossier, "code")
    if path.startswith("/api/v1/dossiers/{code}/documents/{document_id}/"):
        return [{"code": code, "document_id": pk} for code, pk in DossierDocument.objects
                .order_by("pk").values_list("dossier__code", "pk")[:60]]
    if path == "/api/v1/dossiers/{code}/actions/{action}/":
        return with_actions([{"code": c} for c in dossiers], "action", DOSSIER_ACTIONS)
    if path.startswith(("/api/v1/dossiers/{code}/", "/api/v1/my/dossiers/{code}/")):
        return [{"code": c} for c in dossiers]
    if path == "/api/v1/procedures/{code}/":
        return [{"code": c} for c in _rows(Procedure, "code")]
    if path == "/api/v1/feedback/items/{code}/actions/{action}/":
        return with_actions([{"code": c} for c in _rows(Feedback, "code")], "action",
                            FEEDBACK_ACTIONS)
    if path == "/api/v1/feedback/items/{code}/":
        return [{"code": c} for c in _rows(Feedback, "code")]
    if path == "/api/v1/files/{token}/":
        return [{"token": str(t)} for t in _rows(DossierFile, "token")]
    if path == "/api/v1/kho-du-lieu/{uid}/tai-ve/":
        return [{"uid": str(u)} for u in _rows(StoredDocument, "uid")]
    if path.startswith("/api/v1/payments/{reference}/"):
        return [{"reference": r} for r in _rows(Payment, "reference")]
    if path == "/api/v1/reform/par/assessments/{id}/scores/{score_pk}/":
        return [{"id": a, "score_pk": s} for a, s in ParScore.objects.order_by("pk")
                .values_list("assessment_id", "pk")[:60]]
    if path == "/api/v1/reform/par/assessments/{id}/actions/{action}/":
        return with_actions([{"id": i} for i in _rows(ParAssessment)], "action", PAR_ACTIONS)
    if path.startswith("/api/v1/reform/par/assessments/{id}/"):
        return [{"id": i} for i in _rows(ParAssessment)]
    if path.startswith("/api/v1/reform/par/rounds/{id}/"):
        return [{"id": i} for i in _rows(ParRound)]
    if path.startswith("/api/v1/reform/plans/{id}/"):
        return [{"id": i} for i in _rows(Plan)]
    if path.startswith("/api/v1/reform/sipas/{id}/"):
        return [{"id": i} for i in _rows(SipasRound)]
    if path.startswith("/api/v1/reform/tasks/{id}/"):
        return [{"id": i} for i in _rows(Task)]
    if path == "/api/v1/regulation-provisions/{id}/actions/{action}/":
        return with_actions([{"id": i} for i in _rows(Provision)], "action", PROVISION_ACTIONS)
    if path.startswith("/api/v1/regulation-provisions/{id}/"):
        return [{"id": i} for i in _rows(Provision)]
    if path.startswith("/api/v1/regulation-rounds/{id}/"):
        return [{"id": i} for i in _rows(ReviewRound)]
    if "{" in path:
        raise LookupError(f"no identifiers for {path}: add its route family here")
    return [{}]


def _spread(rows: list[dict], count: int) -> list[dict]:
    """`count` rows spread over the list (every k-th), so that each identifier and each action
    of a family is among the first tried, not only the first row's."""
    if len(rows) <= count:
        return rows
    step = len(rows) / count
    return [rows[int(i * step)] for i in range(count)]


def _probe(client, method: str, path: str, values: dict) -> int:
    from django.db import transaction

    url = path.format(**values)
    with transaction.atomic():
        if method == "get":
            answer = client.get(url)
        else:
            answer = getattr(client, method)(url, {}, format="json")
        transaction.set_rollback(True)
    return answer.status_code


def account_token(username: str) -> str:
    from accounts.models import User
    from accounts.tokens import token_issue

    return token_issue(User.objects.get(username=username))


def operations(schema: dict) -> list[tuple[str, str, str]]:
    """(method, path, operationId) of every operation of `schema`."""
    return [(method, path, item[method]["operationId"]) for path, item in schema["paths"].items()
            for method in item if method in ("get", "post", "put", "patch", "delete")]


def targets(schema: dict, usernames: list[str], *, prefer: str) -> list[Target]:
    """For each operation of `schema`: the account among `usernames` that reaches past the
    door with the most identifiers (`prefer` on a tie), and those identifiers."""
    from rest_framework.test import APIClient

    # Each refused probe would be logged as a warning ("Not Found: …"): thousands of lines.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    clients: dict[str, APIClient] = {}
    for name in usernames:
        # The run's own header, not force_authenticate: the routes that take another kind of
        # credential (the national portal's, a signed request) refuse it here as they will then.
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {account_token(name)}")
        clients[name] = client
    found = []
    order = [prefer] + [name for name in usernames if name != prefer]
    for method, path, operation_id in operations(schema):
        rows = candidates(path)
        trial = _spread(rows, TRIES_PER_ACCOUNT)
        best, best_count = None, 0
        for name in order:
            count = sum(_probe(clients[name], method, path, row) not in REFUSED for row in trial)
            if count > best_count:
                best, best_count = name, count
            if count == len(trial):
                break
        target = Target(method, path, operation_id, best)
        if best is not None and "{" in path:
            reached = [row for row in _spread(rows, TRIES_FOR_VALUES)
                       if _probe(clients[best], method, path, row) not in REFUSED]
            target.tried = min(len(rows), TRIES_FOR_VALUES)
            target.reached = len(reached)
            for row in reached:
                for name, value in row.items():
                    if value not in target.values.setdefault(name, []):
                        target.values[name].append(value)
        elif best is not None:
            target.tried = target.reached = 1
        found.append(target)
    return found
