"""Loads the 34 provinces and 3,321 communes shipped in accounts/data/ (official NSO codes)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_provinces() -> list[dict[str, str]]:
    with open(DATA_DIR / "provinces.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_communes() -> list[dict[str, str]]:
    with open(DATA_DIR / "communes.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_admin_units(province_model, commune_model) -> None:
    """Idempotent: run by a data migration with historical models, or again after an update."""
    for row in read_provinces():
        province_model.objects.update_or_create(
            code=int(row["province_code"]),
            defaults={"name": row["name"], "division_type": row["division_type"],
                      "codename": row["codename"]},
        )
    existing = set(commune_model.objects.values_list("code", flat=True))
    new = []
    for row in read_communes():
        code = int(row["ward_code"])
        values = {"name": row["name"], "division_type": row["division_type"],
                  "codename": row["codename"], "province_id": int(row["province_code"])}
        if code in existing:
            commune_model.objects.filter(code=code).update(**values)
        else:
            new.append(commune_model(code=code, **values))
    commune_model.objects.bulk_create(new, batch_size=1000)
