"""The thesaurus and the life events, folded and kept in memory until an administrator edits
them (the signature in index.signatures() notices)."""

import threading
from dataclasses import dataclass, field

from catalog.models import LifeEvent, SearchSynonym
from catalog.search import tokens


@dataclass(frozen=True)
class Event:
    pk: int
    name: str
    description: str
    phrases: tuple[tuple[str, ...], ...]
    codes: tuple[str, ...]
    words: frozenset[str]


@dataclass
class Lexicon:
    signature: str
    # folded words typed → folded words of each way the catalogue says it
    rewrites: dict[tuple[str, ...], list[tuple[str, ...]]]
    # the same, for the citizen's own words (everyday words rarely mean the same in the
    # catalogue: "sổ đỏ" folds like "sơ đồ")
    everyday: set[tuple[str, ...]]
    longest: int
    events: list[Event]
    # folded phrase → the ways it is written with its marks ("doi" → {("đổi",)}): a query typed
    # with marks uses the line only when its marked words agree ("đối tượng" is not "đổi")
    marked: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)
    # every single word of the thesaurus phrases and life events' ways of saying them
    words: frozenset[str] = frozenset()
    # phrases that are the catalogue's own wording of a line, or an abbreviation the catalogue
    # writes too ("TNCN", "thu nhập cá nhân" of a line used both ways): they never yield to a
    # longer phrase of the catalogue (query.py), which only writes them in their own sense
    official: frozenset[tuple[str, ...]] = frozenset()


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(tokens.words(text))


def _marked(text: str) -> tuple[str, ...]:
    return tuple(m or w for w, m in zip(tokens.words(text), tokens.marked(text), strict=True))


def _abbreviated(words: tuple[str, ...], short: dict[tuple[str, ...], tuple[str, ...]]
                 ) -> list[tuple[str, ...]]:
    found = []
    for full, abbr in short.items():
        n = len(full)
        for i in range(len(words) - n + 1):
            if words[i:i + n] == full and len(words) > n:
                found.append(words[:i] + abbr + words[i + n:])
    return found


def build(signature: str) -> Lexicon:
    rewrites: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    everyday: set[tuple[str, ...]] = set()

    def add(source: tuple[str, ...], target: tuple[str, ...]) -> None:
        if source and target and source != target:
            options = rewrites.setdefault(source, [])
            if target not in options:
                options.append(target)

    marked: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    official: set[tuple[str, ...]] = set()
    for entry in SearchSynonym.objects.filter(is_active=True):
        typed = _phrase(entry.phrase)
        targets = [_phrase(t) for t in entry.official_terms]
        if entry.kind == SearchSynonym.Kind.ABBREVIATION:
            official.add(typed)
        if entry.both_ways:
            official.update(targets)
        marked.setdefault(typed, set()).add(_marked(entry.phrase))
        for target, text in zip(targets, entry.official_terms, strict=True):
            add(typed, target)
            if entry.both_ways:
                add(target, typed)
                marked.setdefault(target, set()).add(_marked(text))
        if entry.kind == SearchSynonym.Kind.EVERYDAY:
            everyday.add(typed)
    # One step further: "VAT" → "giá trị gia tăng" → "GTGT", and "thuế VAT" → "thuế giá trị gia
    # tăng" → "thuế GTGT": an abbreviation used both ways is put back inside longer wordings,
    # because names write it either way.
    short = {full: abbr for abbr, fulls in rewrites.items() if len(abbr) == 1
             for full in fulls if len(full) > 1 and abbr in rewrites.get(full, [])}
    for source, targets in list(rewrites.items()):
        for target in list(targets):
            for further in [*rewrites.get(target, []), *_abbreviated(target, short)]:
                if further != source and further not in targets:
                    targets.append(further)
    events = []
    for event in LifeEvent.objects.filter(is_active=True):
        phrases = tuple(p for p in (_phrase(x) for x in [event.name, *event.phrase_list]) if p)
        events.append(Event(pk=event.pk, name=event.name, description=event.description,
                            phrases=phrases, codes=tuple(event.codes),
                            words=frozenset(w for p in phrases for w in p)))
    words = frozenset(w for phrase in rewrites for w in phrase) | frozenset(
        w for event in events for w in event.words)
    return Lexicon(signature=signature, rewrites=rewrites, everyday=everyday,
                   longest=max((len(k) for k in rewrites), default=0), events=events,
                   words=words, marked=marked, official=frozenset(official))


_lock = threading.Lock()
_current: Lexicon | None = None


def lexicon_forget() -> None:
    """Drop this process's lexicon: the next search builds it again."""
    global _current
    _current = None


def current_lexicon(signature: str) -> Lexicon:
    global _current
    if _current is not None and _current.signature == signature:
        return _current
    with _lock:
        if _current is None or _current.signature != signature:
            _current = build(signature)
        return _current
