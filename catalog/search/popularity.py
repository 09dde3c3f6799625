"""How often each procedure is used: this installation's dossier counts, else a shipped prior.

A fresh installation has no dossiers, so the catalogue ships a prior (`data/popular.json`):
the procedures of the National Public Service Portal's essential online services (Decision
06/QĐ-TTg 2022, "Đề án 06", and Decision 422/QĐ-TTg 2022), which are the ones citizens file
most. Once the installation has its own counts, they take over: a higher app fills
`settings.MOTCUA_CATALOG_POPULARITY` with a function returning {procedure code: dossiers
received in the last twelve months} (metrics does, from its monthly counters).
"""

import json
import math
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "popular.json"
# How much the shipped prior weighs against the installation's own counts, which replace it
# procedure by procedure as soon as the procedure has dossiers.
SHIPPED_WEIGHT = 0.6


def shipped_prior() -> dict[str, float]:
    with open(SHIPPED, encoding="utf-8") as f:
        return {code: float(value) for code, value in json.load(f)["codes"].items()}


def installation_counts() -> dict[str, int]:
    path = getattr(settings, "MOTCUA_CATALOG_POPULARITY", "")
    return import_string(path)() if path else {}


def procedure_prior() -> dict[str, float]:
    """{code: prior in [0, 1]}: log-scaled dossier counts, the shipped prior where none."""
    prior = {code: SHIPPED_WEIGHT * value for code, value in shipped_prior().items()}
    counts = installation_counts()
    top = max(counts.values(), default=0)
    if top > 0:
        for code, n in counts.items():
            if n > 0:
                prior[code] = max(prior.get(code, 0.0), math.log1p(n) / math.log1p(top))
    return prior
