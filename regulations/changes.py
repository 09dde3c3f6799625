"""Which change to the catalogue an approved proposal makes (catalog/versions.py).

The proposal's action on the element reviewed: abolishing a paper removes it; a shorter time
limit replaces the case's limit; an abolished fee is removed and an amended one gets its new
amount; an abolished step is removed (the others share its time); an abolished or amended
condition is cut from, or rewritten in, the procedure's conditions; decentralising moves the
procedure to the lower level. Keeping, or amending a provision of a legal text, changes nothing
in the catalogue by itself.
"""

from catalog.services import (
    REMOVE_DOCUMENT,
    REMOVE_FEE,
    REMOVE_STEP,
    REPLACE_CONDITION,
    SET_FEE,
    SET_LEVEL,
    SET_TIME_LIMIT,
    VersionChange,
)
from regulations.models import Provision

K, A = Provision.Kind, Provision.Action
CHANGING = (A.AMEND, A.SIMPLIFY)


def catalogue_changes(p: Provision) -> list[VersionChange]:
    """The changes `p` makes to its procedure's next version; empty when none."""
    if p.procedure_id is None or p.action in ("", A.KEEP):
        return []
    changes: list[VersionChange] = []
    if p.kind == K.DOCUMENT and p.document_id and p.action == A.ABOLISH:
        changes.append(VersionChange(REMOVE_DOCUMENT, p.document_id))
    if p.kind == K.TIME_LIMIT and p.time_limit_id and p.new_time_limit is not None \
            and p.action in CHANGING:
        changes.append(VersionChange(SET_TIME_LIMIT, p.time_limit_id, p.new_time_limit))
    if p.kind == K.FEE and p.fee_id:
        if p.action == A.ABOLISH:
            changes.append(VersionChange(REMOVE_FEE, p.fee_id))
        elif p.action in CHANGING and p.new_fee is not None:
            changes.append(VersionChange(SET_FEE, p.fee_id, p.new_fee))
    if p.kind == K.STEP and p.step_id and p.action == A.ABOLISH:
        changes.append(VersionChange(REMOVE_STEP, p.step_id))
    if p.kind == K.CONDITION:
        if p.action == A.ABOLISH:
            changes.append(VersionChange(REPLACE_CONDITION, None, (p.content, "")))
        elif p.action in CHANGING and p.new_text:
            changes.append(VersionChange(REPLACE_CONDITION, None, (p.content, p.new_text)))
    if p.action == A.DECENTRALISE and p.new_level:
        changes.append(VersionChange(SET_LEVEL, None, p.new_level))
    return changes
