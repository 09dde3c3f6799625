"""Issue #16: the main pages in each language show no label of the other — no Vietnamese state,
delivery or form label on an English page, no English on a Vietnamese one (Django's own
"10 minutes" included). Labels are found by the catalogue itself: a text of the page that is a
Vietnamese source string is untranslated on an English page; one that is an English translation
is a leftover on a Vietnamese page."""

import re
import unicodedata
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import trans_real

from accounts.models import Unit, User
from catalog.models import Procedure, RequiredDocument, Variant
from dossiers.tests.conftest import APPLICANT

VIETNAMESE = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]",
                        re.IGNORECASE)
# A duration Django or the code wrote in the wrong language.
ENGLISH_DURATION = re.compile(r"\b\d+\s(minute|hour|day|week|month|year)s?\b")
VIETNAMESE_DURATION = re.compile(r"\b\d+\s(phút|giờ|tuần|tháng)(?=[\s,.)]|$)")


class _Texts(HTMLParser):
    """Every text node and every label-like attribute of a page, whitespace collapsed."""

    ATTRS = {"placeholder", "aria-label", "title", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.texts.append(unicodedata.normalize("NFC", " ".join(value.split())))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        text = unicodedata.normalize("NFC", " ".join(data.split()))
        if text and not self.skip:
            self.texts.append(text)


def _texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def _catalogue() -> list[tuple[str, str]]:
    pairs = []
    for key, value in trans_real.translation("en")._catalog.items():
        if isinstance(key, str) and isinstance(value, str) and value and key:
            msgid = key.split("\x04")[-1]
            if msgid != value:
                pairs.append((msgid, value))
    return pairs


def _data() -> set[str]:
    """Names that are data (the catalogue's, the units', the people's), Vietnamese in both."""
    names = set()
    for model, field in ((Procedure, "name"), (Variant, "name"), (Unit, "name"),
                         (RequiredDocument, "name"), (User, "full_name")):
        names |= set(model.objects.values_list(field, flat=True))
    names |= {n.upper() for n in names}  # the forms' headers print unit names in capitals
    return names | set(APPLICANT.values()) - {1}


def untranslated(html: str) -> list[str]:
    """Texts of an English page that are Vietnamese source strings, or Vietnamese durations."""
    data = _data()
    # The language switcher names each language in itself ("Tiếng Việt"), on purpose.
    sources = {m for m, _ in _catalogue()} - data - {"Tiếng Việt"}
    texts = _texts(html)
    # Any other Vietnamese text must be data, or hold some (a name in a sentence, a code).
    other = [t for t in texts if t not in sources and VIETNAMESE.search(t)
             and not any(d and d in t for d in data) and "Tiếng Việt" not in t
             and "«" not in t]  # examples of what a citizen types, quoted
    return ([t for t in texts if t in sources] + other
            + [t for t in texts if VIETNAMESE_DURATION.search(t)])


def english_leftovers(html: str) -> list[str]:
    """Texts of a Vietnamese page that are English translations (two words or more), or English
    durations."""
    english = {s for _, s in _catalogue() if " " in s and s.isascii()}
    texts = _texts(html)
    return ([t for t in texts if t in english]
            + [t for t in texts if ENGLISH_DURATION.search(t)])


@pytest.fixture
def world(org, make_dossier, client_for):
    desk_dossier = make_dossier(return_method="Nhận trực tiếp tại bộ phận một cửa")
    online = make_dossier(accept=False, channel=2, actor=org.citizen,
                          return_method="Qua dịch vụ bưu chính công ích")
    operator = User.objects.create_superuser("quantri.test", password="x-Test-2026",
                                             kind=User.Kind.STAFF)
    from sync.models import OutboxMessage

    OutboxMessage.objects.filter(status="pending").update(
        created_at=timezone.now() - timezone.timedelta(minutes=10))
    return {
        "desk": (client_for(org.desk), [
            reverse("dossiers:box", args=["all"]),
            reverse("dossiers:detail", args=[desk_dossier.code]),
            reverse("dossiers:detail", args=[online.code]),
            reverse("dossiers:slip", args=[desk_dossier.code]),
            reverse("dossiers:receipt", args=[desk_dossier.code]),
            reverse("dossiers:register") + "?tu-ngay=2026-03-01&den-ngay=2026-03-31",
        ]),
        "citizen": (client_for(org.citizen), [
            reverse("dossiers:my_list"), reverse("dossiers:my_detail", args=[online.code]),
        ]),
        "operator": (client_for(operator), [reverse("sync:status")]),
        "public": (None, [reverse("catalog:list")]),
    }


def _pages(world, client, language: str):
    for who, (logged, urls) in world.items():
        browser = logged or client
        browser.cookies["django_language"] = language
        for url in urls:
            r = browser.get(url)
            assert r.status_code == 200, (who, url, r.status_code)
            yield who, url, r.content.decode()


def test_english_pages_show_no_vietnamese_label(world, client):
    found = {url: untranslated(html) for _, url, html in _pages(world, client, "en")}
    assert {url: texts for url, texts in found.items() if texts} == {}


def test_vietnamese_pages_show_no_english_label(world, client):
    found = {url: english_leftovers(html) for _, url, html in _pages(world, client, "vi")}
    assert {url: texts for url, texts in found.items() if texts} == {}
