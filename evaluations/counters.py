"""Per-day counters of the evaluations, for the satisfaction indicator of the service index.

Same discipline as metrics/counters.py: `evaluation_counted` runs inside the transaction that
saves the evaluation, with one atomic INSERT … ON CONFLICT DO UPDATE (no read-modify-write in
Python, so concurrent evaluations never lose a count); `evaluation_counters_rebuild` recomputes
the table from the evaluations with the same `evaluation_deltas` rule, and `manage.py
metrics_rebuild` calls it with the dossier counters. The key is (Vietnam day of the evaluation,
the competent unit): the agency answerable for the result is the one the applicant rates.
"""

from collections import defaultdict
from datetime import date

from django.db import connection, transaction

from evaluations.criteria import CRITERION_KEYS, Rating
from evaluations.models import EVALUATION_COUNTER_FIELDS, Evaluation, EvaluationCounter
from metrics.counters import local_day

Key = tuple[date, int]
_RATING_FIELD = {Rating.VERY_SATISFIED: "very_satisfied", Rating.SATISFIED: "satisfied",
                 Rating.UNSATISFIED: "unsatisfied"}


def evaluation_deltas(*, overall_rating: str, points: int,
                      counted: bool = True) -> dict[str, int]:
    """What one evaluation adds: one evaluated, its overall rating, its 9-criteria points; an
    officer-entered one the applicant has not confirmed adds only to `officer_unconfirmed`
    (it counts in no index, audit8)."""
    if not counted:
        return {"officer_unconfirmed": 1}
    return {"evaluated": 1, _RATING_FIELD[Rating(overall_rating)]: 1, "points": points}


def _upsert(key: Key, deltas: dict[str, int]) -> None:
    table = connection.ops.quote_name(EvaluationCounter._meta.db_table)
    q = connection.ops.quote_name
    columns = ", ".join(["day", "unit_id", *[q(n) for n in EVALUATION_COUNTER_FIELDS]])
    marks = ", ".join(["%s"] * (2 + len(EVALUATION_COUNTER_FIELDS)))
    updates = ", ".join(f"{q(n)} = {table}.{q(n)} + EXCLUDED.{q(n)}" for n in deltas)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
           f"ON CONFLICT (day, unit_id) DO UPDATE SET {updates}")
    params = [*key, *[deltas.get(n, 0) for n in EVALUATION_COUNTER_FIELDS]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def evaluation_counted(*, evaluation: Evaluation) -> None:
    """Count one saved evaluation; call inside the transaction that saved it."""
    _upsert((local_day(evaluation.created_at), evaluation.unit_id),
            evaluation_deltas(overall_rating=evaluation.overall_rating,
                              points=evaluation.points, counted=evaluation.counted))


def evaluation_confirmed_counted(*, evaluation: Evaluation) -> None:
    """The applicant confirmed an officer-entered evaluation: it leaves `officer_unconfirmed`
    and counts as any other, on its own day; call inside the confirming transaction."""
    deltas = evaluation_deltas(overall_rating=evaluation.overall_rating,
                               points=evaluation.points)
    _upsert((local_day(evaluation.created_at), evaluation.unit_id),
            {**deltas, "officer_unconfirmed": -1})


def evaluation_counters_from_table() -> dict[Key, dict[str, int]]:
    rows: dict[Key, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(EVALUATION_COUNTER_FIELDS, 0))
    for created_at, unit_id, overall, officer, confirmed, *scores in (
            Evaluation.objects.values_list("created_at", "unit_id", "overall_rating",
                                           "officer_entered", "confirmed_at",
                                           *CRITERION_KEYS).iterator(chunk_size=20000)):
        row = rows[(local_day(created_at), unit_id)]
        counted = not officer or confirmed is not None
        for name, value in evaluation_deltas(overall_rating=overall, points=sum(scores),
                                             counted=counted).items():
            row[name] += value
    return dict(rows)


def evaluation_counters_table() -> dict[Key, dict[str, int]]:
    return {(r["day"], r["unit_id"]): {n: r[n] for n in EVALUATION_COUNTER_FIELDS}
            for r in EvaluationCounter.objects.values("day", "unit_id",
                                                      *EVALUATION_COUNTER_FIELDS)}


def evaluation_counters_rebuild() -> int:
    """Replace the counters by their recomputation from the evaluations; returns the row count."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(EvaluationCounter._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        EvaluationCounter.objects.all().delete()
        rows = evaluation_counters_from_table()
        EvaluationCounter.objects.bulk_create(
            (EvaluationCounter(day=day, unit_id=unit, **values)
             for (day, unit), values in rows.items()), batch_size=5000)
    return len(rows)
