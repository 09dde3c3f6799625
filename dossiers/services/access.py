"""Which units' staff may see a dossier, kept as (unit, dossier) rows (DossierAccess).

The rule (docs/staff-lists.md, "Who sees a dossier"; docs/security.md, a unit against another
unit): the staff of the unit that received the dossier, of the competent unit, of the unit
holding it now, and of every unit named in a step of its plan see it, and no other unit.

The rows are written by `access_grant` in the transaction of the hand-off that involves a unit:
the filing (receiving, competent and current unit, and the plan's units when it is received at
once) and every action of dossiers.services.transitions (an acceptance planning steps of other
units, a forward or a return to another unit). None of the rule's sources is ever taken back —
a step is never deleted, the receiving and competent units never change, the current unit is
always one of them — so rows are only added.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from dossiers.models import Dossier, DossierAccess, DossierStep
from motcua.prepared import row_new, rows_insert


def dossier_access_units(dossier: Dossier, steps: Iterable[DossierStep]) -> set[int]:
    """The units that may see `dossier` with these steps, from what is in memory (no query)."""
    units = {dossier.receiving_unit_id, dossier.competent_unit_id, dossier.current_unit_id}
    units.update(step.unit_id for step in steps)
    units.discard(None)
    return units


def access_grant(*, dossier: Dossier, units: Iterable[int], known: Iterable[int] = (),
                 new: bool = False) -> int:
    """Let the staff of `units` see `dossier`, inside the caller's transaction: one insert of the
    units not in `known` (those the dossier's rows hold already), none when there is no new one.
    `new`: the dossier is being inserted now, so no row of it can exist yet. Returns the number
    of units given."""
    given = sorted(set(units) - set(known))
    if not given:
        return 0
    # Built as DossierAccess(...) builds them, without Model.__init__'s walk (motcua/prepared.py
    # `row_new`: a filing gives two units or more, issue #18).
    rows = [row_new(DossierAccess, unit_id=unit, dossier_id=dossier.pk) for unit in given]
    # Its statement's text built once (motcua/prepared.py), not compiled; held for the
    # transaction's joined writes when there are (the filing's, an action's). A dossier that
    # exists may have a row `known` missed (one written by `access_rebuild`): left as it is.
    rows_insert(rows, conflicts_ignored=not new)
    return len(given)


# The rule over every dossier, in SQL: what the rows must be.
_EXPECTED = """
    SELECT receiving_unit_id AS unit_id, id AS dossier_id FROM dossiers_dossier
    UNION SELECT competent_unit_id, id FROM dossiers_dossier
    UNION SELECT current_unit_id, id FROM dossiers_dossier
    UNION SELECT unit_id, dossier_id FROM dossiers_dossierstep
"""
_ADD_MISSING = f"""
    INSERT INTO dossiers_dossieraccess (unit_id, dossier_id)
    SELECT e.unit_id, e.dossier_id FROM ({_EXPECTED}) e
    WHERE NOT EXISTS (SELECT 1 FROM dossiers_dossieraccess a
                      WHERE a.unit_id = e.unit_id AND a.dossier_id = e.dossier_id)
"""
_REMOVE_EXTRA = """
    DELETE FROM dossiers_dossieraccess
    WHERE NOT EXISTS (
        SELECT 1 FROM dossiers_dossier d WHERE d.id = dossiers_dossieraccess.dossier_id
          AND dossiers_dossieraccess.unit_id IN (d.receiving_unit_id, d.competent_unit_id,
                                                 d.current_unit_id))
      AND NOT EXISTS (
        SELECT 1 FROM dossiers_dossierstep s
        WHERE s.dossier_id = dossiers_dossieraccess.dossier_id
          AND s.unit_id = dossiers_dossieraccess.unit_id)
"""


def access_rebuild() -> tuple[int, int]:
    """Make the rows what the rule says for every dossier, in the database (manage.py
    dossiers_rebuild_access): after data loaded around the services, or to check the incremental
    writes — on a table kept by the hand-offs both numbers are 0. Returns (added, removed)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_ADD_MISSING)
        added = cursor.rowcount
        cursor.execute(_REMOVE_EXTRA)
        removed = cursor.rowcount
    return added, removed
