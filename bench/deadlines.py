"""Benchmark: due-moment calculations per second of the deadline engine (no Django, no database).

    .venv/bin/python bench/deadlines.py [--starts 200000] [--repeat 5] [--seed 2026]

Builds the default calendar from weekends and the `holidays` package (what every unit starts
from), draws random receipt moments across 2026 (any second of the year, so some fall at night,
on weekends and in Tết), and times `due_moment` for a 3-working-day limit, an 8-working-hour
limit and a 15-calendar-day limit, the amounts given as Decimal as they come from the catalogue.
Prints the best of `--repeat` runs per case, the data size and the machine.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from dossiers.calendar import default_calendar, default_years  # noqa: E402
from dossiers.deadlines import TZ, due_moment  # noqa: E402

CASES = (
    ("working_days", Decimal("3")),
    ("working_hours", Decimal("8")),
    ("calendar_days", Decimal("15")),
)


def random_starts(n: int, seed: int) -> list[datetime]:
    rnd = random.Random(seed)
    first = datetime(2026, 1, 1, tzinfo=TZ)
    seconds_in_2026 = 365 * 86_400
    return [first + timedelta(seconds=rnd.randrange(seconds_in_2026)) for _ in range(n)]


def run(starts: list[datetime], unit: str, amount: Decimal, cal) -> float:
    started = time.perf_counter()
    for start in starts:
        due_moment(start, amount, unit, cal)
    return len(starts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    years = default_years()
    built = time.perf_counter()
    cal = default_calendar(years)
    build_seconds = time.perf_counter() - built
    starts = random_starts(args.starts, args.seed)
    # Warm the working-day index outside the timed loops, as a long-running server would be.
    due_moment(starts[0], 1, "working_days", cal)

    print(f"Machine: {describe()}")
    print(f"Data: {len(starts):,} random starts across 2026; calendar {years.start}-"
          f"{years.stop - 1} with {len(cal.days_off)} holidays, "
          f"{len(cal.extra_working_days)} make-up working days; built in {build_seconds:.2f} s")
    print(f"Best of {args.repeat} runs (median in brackets), due-moment calculations per second:")
    for unit, amount in CASES:
        rates = [run(starts, unit, amount, cal) for _ in range(args.repeat)]
        print(f"  {unit:<14} amount {amount!s:>3}: {max(rates):>10,.0f}/s"
              f"  ({statistics.median(rates):,.0f}/s)")


if __name__ == "__main__":
    main()
