"""What an outbox row keeps once its message is sent, and what the admin shows of it.

A message to an applicant carries what opens their dossier or answers for them: the lookup
link's secret (`#bi-mat=…`), a survey's one-time link, an evaluation's confirmation code. The
person has it once the message is sent; a copy kept in the row would let anyone who reads the
outbox (an administrator, a database backup) open every dossier's lookup, result download and
payment page, answer surveys and confirm evaluations in the applicant's name. So each row names
those parts (`Notification.secrets`), the sender strikes them from the text once the message is
out, and the admin never shows them, sent or not.
"""

import re
from collections.abc import Iterable

MASK = "•••"


def text_redacted(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-empty secret replaced by MASK where it stands as a word of its own
    (longest first, so that a secret holding another is struck whole): a 6-digit code that
    happens to be a group of the dossier's code (`…-261207-0001`) leaves the code alone."""
    for secret in sorted({s for s in secrets if isinstance(s, str) and s}, key=len,
                         reverse=True):
        text = re.sub(rf"(?<![\w.-]){re.escape(secret)}(?![\w-])", MASK, text)
    return text
