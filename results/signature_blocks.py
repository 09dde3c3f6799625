"""The signature block of a result, as Decree 30/2020/NĐ-CP on administrative documents writes it.

- Article 8 (clause 1) lists the parts of an administrative document: issuing body, number and
  symbol, place and date, type and subject, content, the signer's authority, title, name and
  signature, the seal or the body's digital signature, the recipients.
- Article 13 says who signs: the head, or a deputy signing for the head (ký thay, KT.); the head
  of a collective body for it (thay mặt, TM.); one given the head's powers (quyền, Q.); by order
  (thừa lệnh, TL.) or by delegated authority (thừa ủy quyền, TUQ.).
- Appendix I, Part I, Section II, item 7 (điểm a, b): the authority abbreviation is written before
  the head's title or the collective's name, in capitals, and the signer's own title on the next
  line; the name below the signature, without academic titles.
- Appendix I, Part I, Section II, item 3: the number and symbol, "Số: 12/QĐ-STP".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from accounts.models import Unit, User
from dossiers.numbering import unit_abbreviation
from motcua.prepared import Prepared
from results.models import SignatureBlock

A = SignatureBlock.Authority


@dataclass(frozen=True)
class BlockText:
    """What is printed: the authority/title lines (capitals), then the signer's name."""

    lines: tuple[str, ...]
    name: str
    issuing_body: str
    symbol: str
    authority: str
    method: str
    remote_key_id: str = ""
    # The signer's own title as configured ("Phó Giám đốc"), kept with the stored result.
    title: str = ""
    # The signer's account: a remote-signing service's certificate must be theirs
    # (results/remote_signing.py, certificate_refusal).
    signer_pk: int | None = None
    # Their username: names their own PKCS#12 file, if the installation keeps one
    # (MOTCUA_SIGNING_HEAD_DIR, results/signing.py).
    username: str = ""

    @property
    def heading(self) -> str:
        return "\n".join(self.lines)


def authority_lines(*, authority: str, on_behalf_of: str, signer_title: str,
                    collective: str = "") -> tuple[str, ...]:
    """The lines above the signature (Decree 30/2020, Appendix I, Part I, Section II, item 7a).

    KT./TL./TUQ.: "<abbr>. <HEAD'S TITLE>" then the signer's own title ("KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC"). TM.: "TM. <COLLECTIVE>" then the signer's title ("TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH"). A deputy of a body working collectively (Article 13, clause 2): "TM. ỦY BAN
    NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH". Q.: one line, "Q. <HEAD'S TITLE>". The head
    signing in person: the title alone.
    """
    title = signer_title.strip().upper()
    behalf = on_behalf_of.strip().upper()
    above = (f"TM. {collective.strip().upper()}",) if collective.strip() \
        and authority != A.TM else ()
    if authority == A.Q:
        return (*above, f"Q. {behalf or title}")
    if authority in (A.KT, A.TM, A.TL, A.TUQ) and behalf:
        return (*above, f"{authority}. {behalf}", title)
    return (*above, title)


def block_text(block: SignatureBlock, *, unit: Unit | None = None,
               signer: User | None = None) -> BlockText:
    """What `block` prints; `unit` and `signer`, when given, are its unit and signer as the
    caller holds them (not read through the block)."""
    unit = unit or block.unit
    signer = signer or block.signer
    return BlockText(
        lines=authority_lines(authority=block.authority, on_behalf_of=block.on_behalf_of,
                              signer_title=block.signer_title, collective=block.collective),
        name=signer.display_name, issuing_body=block.issuing_body or unit.name,
        symbol=block.number_symbol or unit_abbreviation(unit), authority=block.authority,
        method=block.method, remote_key_id=block.remote_key_id, title=block.signer_title,
        signer_pk=signer.pk, username=signer.username)


# Read on every approval (the head's block for the unit): compiled once (motcua/prepared.py).
_BLOCK = Prepared(lambda unit, signer: SignatureBlock.objects.filter(
    unit_id=unit, signer_id=signer, active=True).select_related("unit", "signer")
    .order_by("pk")[:1], int, int)

# (unit id, signer id) -> (reference version, the active block or None), per worker process.
_cache: dict[tuple[int, int], tuple[Any, SignatureBlock | None]] = {}
_cache_lock = threading.Lock()
_NOT_CACHED = object()
# (unit id, signer id) -> (the block, the names printed, its BlockText): what the block printed
# last for them, per worker (frozen: shared).
_texts: dict[tuple[int, int], tuple[SignatureBlock | None, tuple, BlockText]] = {}


def signature_block_for(*, unit: Unit, signer: User, version: Any = _NOT_CACHED) -> BlockText:
    """The configured block of `signer` for `unit`; without one, the head signing in person with
    the title of their account (“Lãnh đạo” when they have none).

    `version`: the reference version the caller read (an approval reads it with the dossier's
    lock, results/lock_reads.py): the block is then this worker's copy read under that version,
    read afresh only when a block's save or delete moved it (results/apps.py). Its unit and
    signer are the ones given (the approving head and their unit, as they are now), not copies
    kept with it."""
    if version is _NOT_CACHED:
        found = _BLOCK.rows(unit.pk, signer.pk)
        if found:
            return block_text(found[0])
    else:
        # Shared by the worker's requests: read, never changed (a signer's renaming moves no
        # version, so the name is the caller's signer's).
        block = _block_cached(unit, signer, version)
        # What it prints, kept with the block it was made from and the names it printed of the
        # unit and the signer as given: made again when any of them changed (an approval asks
        # for it every time: issue #18).
        names = (unit.name, unit.short_name, signer.display_name, signer.username,
                 signer.title)
        key = (unit.pk, signer.pk)
        kept = _texts.get(key)
        if kept is not None and kept[0] is block and kept[1] == names:
            return kept[2]
        text = (block_text(block, unit=unit, signer=signer) if block is not None
                else _in_person(unit, signer))
        _texts[key] = (block, names, text)
        return text
    return _in_person(unit, signer)


def _in_person(unit: Unit, signer: User) -> BlockText:
    """The head signing in person with the title of their account, for a unit and signer with
    no configured block."""
    return BlockText(lines=((signer.title or "Lãnh đạo").upper(),), name=signer.display_name,
                     issuing_body=unit.name, symbol=unit_abbreviation(unit), authority="",
                     method=SignatureBlock.Method.LOCAL, title=signer.title or "Lãnh đạo",
                     signer_pk=signer.pk, username=signer.username)


def _block_cached(unit: Unit, signer: User, version: Any) -> SignatureBlock | None:
    key = (unit.pk, signer.pk)
    hit = _cache.get(key)
    if hit is not None and hit[0] == version:
        block = hit[1]
    else:
        found = _BLOCK.rows(unit.pk, signer.pk)
        block = found[0] if found else None
        with _cache_lock:
            for old in [k for k, (v, _) in _cache.items() if v != version]:
                del _cache[old]
            _cache[key] = (version, block)
    return block


def signature_blocks_forget() -> None:
    """Forget this worker's cached blocks (tests)."""
    with _cache_lock:
        _cache.clear()
        _texts.clear()
