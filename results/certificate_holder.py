"""Whose certificate it is: the rule that a head's signature is made only with a certificate
issued to that head, shared by the remote-signing service's key (results/remote_signing.py) and
the PKCS#12 files the installation keeps (results/signing.py).

Decree 130/2018/NĐ-CP art. 9 clause 1 (kept by the Law on E-Transactions 20/2023/QH15 and
Decree 23/2025/NĐ-CP): a digital signature is secure only when made with the key that a
certificate issued to the signer names; Decree 30/2020/NĐ-CP art. 13: the competent person signs.
A result signed with someone else's key bears a forged signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509

from catalog.text import fold


@dataclass(frozen=True)
class ExpectedSigner:
    """Who the signature block says signs: the name of their account and the personal ID
    numbers it is proven to stand for (accounts.selectors.proven_ids; none for most staff)."""

    name: str
    numbers: frozenset[str] = frozenset()


# A Vietnamese CA writes the holder's identity number into the subject, in the UID attribute
# ("CCCD:056090000123", "CMND:…", "HC:…") or the serial number: a run of 9 or more digits.
_NUMBER = re.compile(r"\d{9,}")
_NUMBER_ATTRIBUTES = ("user_id", "serial_number")


def certificate_numbers(cert: x509.Certificate) -> set[str]:
    """The identity numbers the certificate's subject names (none on most test certificates)."""
    subject = cert.subject.native
    return {n for attribute in _NUMBER_ATTRIBUTES
            for value in _values(subject.get(attribute)) for n in _NUMBER.findall(value)}


def issued_to(cert: x509.Certificate, signer: ExpectedSigner) -> bool:
    """Whether `cert` is issued to `signer`: the same proven identity number when both sides
    name one (two people may share a name), else the subject's common name equal to the
    account's full name, ignoring case, accents and spacing."""
    numbers = certificate_numbers(cert)
    if numbers and signer.numbers:
        return bool(numbers & signer.numbers)
    names = {fold(v) for v in _values(cert.subject.native.get("common_name"))}
    return bool(fold(signer.name)) and fold(signer.name) in names


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
