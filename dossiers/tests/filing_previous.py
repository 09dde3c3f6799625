"""The filing path as it was before the lean one (issue #18), kept only to compare with.

Insert the dossier under a placeholder code in state "submitted", write the "submit" event,
accept it through dossier_act (an all-column update, the steps inserted then the first one
updated), then number it (an update of the code); the consumers run at the end of the batch.
"""

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction

from accounts.models import Unit, User
from catalog.models import Variant
from dossiers.codes import PROVISIONAL_CODE_PREFIX, dossier_code_generate
from dossiers.events import event_batch, event_write
from dossiers.lookup import lookup_secret_new
from dossiers.models import Dossier, DossierDocument, State
from dossiers.services.intake import _check_applicant, _documents
from dossiers.services.transitions import dossier_act


def dossier_create_previous(*, actor: User, variant: Variant, channel: int, receiving_unit: Unit,
                            applicant: dict[str, Any], documents: list[dict[str, Any]],
                            accept: bool, at: datetime, summary: str = "") -> Dossier:
    procedure = variant.procedure
    values = _check_applicant(applicant)
    rows = _documents({d.pk: d for d in variant.documents.all()}, documents)
    with transaction.atomic(), event_batch():
        dossier = Dossier.objects.create(
            code=PROVISIONAL_CODE_PREFIX + uuid.uuid4().hex,
            lookup_secret=lookup_secret_new(),
            procedure=procedure, variant=variant, channel=int(channel),
            state=State.SUBMITTED, receiving_unit=receiving_unit,
            competent_unit=procedure.competent_unit or receiving_unit,
            current_unit=receiving_unit, applicant_user=None,
            summary=summary or procedure.name, sets_count=1, return_method="",
            submitted_at=at, created_by=actor, **values)
        for row in rows:
            row.dossier = dossier
        DossierDocument.objects.bulk_create(rows)
        event_write(dossier=dossier, action="submit", actor=actor, at=at, from_state="",
                    to_state=State.SUBMITTED, actor_unit=receiving_unit,
                    data={"channel": int(channel), "documents": len(rows)})
        if accept:
            dossier = dossier_act(dossier=dossier, actor=actor, action="accept", at=at)
        dossier.code = dossier_code_generate(unit=receiving_unit, at=at)
        Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
    return dossier
