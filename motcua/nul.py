"""JSON may carry "\\u0000"; no PostgreSQL text or jsonb column can hold it, so what arrives from
outside with it is refused (or, for a log of what arrived, replaced) before it is stored."""

from typing import Any


def has_nul(value: Any) -> bool:
    """Whether a NUL character is in any string, key or value, of a decoded JSON value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False
