"""The public answers are searched like the catalogue (catalog.text.fold_words): whole syllables,
diacritics and case ignored, punctuation not glued to a word, the catalogue's abbreviations
spelled out; a syllable inside another word ("an" in "căn", "ho" in "cho") finds nothing."""

from django.test import Client

from feedback.models import State
from feedback.selectors import public_answers
from feedback.services import feedback_act


def _publish(pakn, make_item, title: str, answer: str):
    item = make_item(State.DRAFTED, title=title, answer=answer)
    feedback_act(feedback=item, actor=pakn.head, action="approve")
    return feedback_act(feedback=item, actor=pakn.officer, action="publish")


def test_whole_syllables_without_diacritics_find_the_answer(pakn, make_item):
    item = _publish(pakn, make_item, "Bản sao chứng thực (căn cước), sổ BHXH",
                    "Không yêu cầu bản sao; Sở khai thác dữ liệu.")
    codes = lambda q: [a.ref for a in public_answers(query=q)]  # noqa: E731
    found = [item.public_ref]
    assert codes("ban sao chung thuc") == found
    assert codes("CĂN CƯỚC") == found
    assert codes("cuoc can") == found  # every word, in any order
    assert codes("bao hiem xa hoi") == found  # BHXH spelled out, as in the catalogue
    assert codes("bhxh") == found
    assert codes("cuoc,") == found  # the comma typed after a word is not part of it
    # Parts of other syllables find nothing: "an" is in "căn", "ha" in "khai", "ao" in "sao".
    for part in ("an", "ha", "ao", "chun"):
        assert codes(part) == [], part
    page = Client().get("/phan-anh/", {"q": "an"}).content.decode()
    assert item.public_ref not in page
