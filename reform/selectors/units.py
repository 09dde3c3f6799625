"""The units an annex may name, read once per import."""

from accounts.models import Unit
from catalog.text import fold


def units_for_matching() -> dict[str, Unit]:
    """Active units by folded code, name and short name (a name shared by two units is left
    out of the short names: the annex must then give the full name or the code)."""
    names: dict[str, Unit] = {}
    shorts: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(is_active=True):
        names[fold(unit.code)] = unit
        names[fold(unit.name)] = unit
        if unit.short_name:
            shorts.setdefault(fold(unit.short_name), []).append(unit)
    for short, units in shorts.items():
        if len(units) == 1:
            names.setdefault(short, units[0])
    return names
