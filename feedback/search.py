"""How the public answers are searched: like the catalogue (catalog.text.fold_words), by whole
syllables, diacritics and case ignored, punctuation kept off the words, the catalogue's
abbreviations spelled out. Written on an item when its answer is approved or published, read by
`feedback.selectors.public_answers`."""

from catalog.text import fold_words


def answer_search_text(item) -> str:
    """The folded words of the title, the content, the answer and the procedure, with a space
    at each end so that every word, the first and last included, is matched as " word ".
    The content only when the sender agreed to publish it (feedback.selectors._public): else a
    search would tell, word by word, what the unpublished text says."""
    content = item.content if item.publish_consent else ""
    parts = [item.title, content, item.answer, item.procedure_name, item.procedure_code]
    return f" {fold_words(' | '.join(p for p in parts if p))} "


def query_words(query: str, *, limit: int = 10) -> list[str]:
    """The words a query must all contain, each as " word " (a syllable inside another word —
    "an" in "căn" — does not match)."""
    words = [w for w in fold_words(query).split() if w != "|"]
    return [f" {w} " for w in dict.fromkeys(words)][:limit]
