"""An item's code and its lookup secret.

The code names the day (`PAKN-260306-7KQ3MX`) and a random tail instead of a counter: nothing
prints items in sequence, and a random tail does not tell how many came before. The secret is
the second factor of the lookup, like the one on a dossier's receipt: 8 characters read off
paper or a message and typed on a phone, so no 0/O and 1/I/L.
"""

import secrets
from datetime import datetime

from django.utils import timezone

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TAIL = 6
SECRET_LENGTH = 8


def feedback_code_new(at: datetime) -> str:
    day = timezone.localtime(at).strftime("%y%m%d")
    return f"PAKN-{day}-" + "".join(secrets.choice(ALPHABET) for _ in range(TAIL))


def feedback_secret_new() -> str:
    """31⁸ ≈ 8.5·10¹¹ values, far beyond what a throttled guesser tries."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


def public_ref_new() -> str:
    """The name of a published answer on the public site: random, unrelated to the item's code,
    so the public page does not hand a guesser the first half of the sender's lookup (the code;
    the second half may be 4 phone digits). 31¹² values."""
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def code_normalize(code: str) -> str:
    return "".join(code.split()).upper()


def secret_normalize(secret: str) -> str:
    return "".join(secret.split()).upper()
