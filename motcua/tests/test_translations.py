"""English is the second language of every screen: a complete catalogue, compiled, and in use.

The source strings are Vietnamese; English lives in locale/en/LC_MESSAGES/django.po and its
compiled django.mo, which is committed so that CI needs no gettext tools. These tests fail when a
string is left untranslated or fuzzy, when a translation loses a placeholder, when the .mo is
older than the .po, and when a real page switched to English still shows Vietnamese labels.
"""

import ast
import gettext
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"
DEMO_PROCEDURES = Path(settings.BASE_DIR) / "catalog" / "demo" / "procedures.jsonl"

# Letters that occur in Vietnamese and never in English UI text.
VIETNAMESE = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]",
                        re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}|</?[a-z]+[^>]*>")
# Entries whose English is rightly the same as the source (names and codes).
SAME_IN_ENGLISH = {"English"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str = ""  # the meaning, where one Vietnamese text has two (pgettext)
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0


def parse_po(text: str) -> list[Entry]:
    """A small reader for the subset of the PO format that makemessages writes.

    polib would do, but it is a development tool only; the test must run on the installed
    dependencies.
    """
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal current
        if current.line:
            entries.append(current)
        current = Entry()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            target = None
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if not current.line:
            current.line = number
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest) if rest else ""
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgid":
                target = ("msgid", None)
            elif keyword == "msgid_plural":
                target = ("msgid_plural", None)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
            elif match:
                target = ("msgstr", int(match.group(1)))
            elif keyword == "msgctxt":
                target = ("msgctxt", None)
            else:
                raise AssertionError(f"django.po:{number}: unexpected line {raw!r}")
        assert target is not None, f"django.po:{number}: text outside an entry"
        name, index = target
        if name == "msgctxt":
            current.msgctxt += value
        elif name == "msgid":
            current.msgid += value
        elif name == "msgid_plural":
            current.msgid_plural += value
        elif name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
    flush()
    return entries


def _messages() -> list[Entry]:
    return [e for e in parse_po(PO_FILE.read_text(encoding="utf-8"))
            if e.msgid and not e.obsolete]


def _where(e: Entry) -> str:
    return f"django.po:{e.line} {e.msgid!r}"


def test_catalogue_exists_and_is_big_enough():
    # A guard against testing an empty or truncated file: the UI has hundreds of strings.
    assert len(_messages()) > 500


def test_every_message_is_translated_and_none_is_fuzzy():
    header = parse_po(PO_FILE.read_text(encoding="utf-8"))[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    untranslated = [_where(e) for e in _messages()
                    if not e.msgstr or not all(s.strip() for s in e.msgstr.values())]
    fuzzy = [_where(e) for e in _messages() if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_english_forms():
    for e in _messages():
        if e.msgid_plural:
            assert sorted(e.msgstr) == [0, 1], _where(e)


def test_translations_keep_placeholders_and_html():
    broken = []
    for e in _messages():
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        for text in e.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                broken.append((_where(e), text))
    assert broken == []


def test_translations_are_english_not_copies_of_the_source():
    copied = [_where(e) for e in _messages()
              if e.msgstr.get(0) == e.msgid and e.msgid not in SAME_IN_ENGLISH]
    vietnamese = [(_where(e), s) for e in _messages() for s in e.msgstr.values()
                  if VIETNAMESE.search(s) and not _quotes_vietnamese_example(e.msgid, s)]
    assert copied == []
    assert vietnamese == []


def _quotes_vietnamese_example(msgid: str, msgstr: str) -> bool:
    # A few help texts show what to type in Vietnamese («…» or "e.g. …"); the example itself
    # stays Vietnamese because the data it searches is Vietnamese. Everything else must not.
    rest = re.sub(r"«[^»]*»", "", msgstr)
    rest = re.sub(r"e\.g\. [^(]*\(", "e.g. (", rest)
    return not VIETNAMESE.search(rest)


# What `makemessages` reads: .py, .html and .txt files outside the folders the project leaves out
# (see docs/translation.md), with the function names xgettext looks for.
SKIPPED_DIRS = {".venv", "e2e", "idp", "bench", "node_modules", "var", "locale", "staticfiles",
                "media", "__pycache__"}
GETTEXT_CALLS = {"_": 0, "gettext": 0, "gettext_lazy": 0, "gettext_noop": 0, "ngettext": 0,
                 "ngettext_lazy": 0, "pgettext": 1, "pgettext_lazy": 1, "npgettext": 1,
                 "npgettext_lazy": 1}
FILTER_ARGUMENT = re.compile(r'\b_\(("(?:[^"\\]|\\.)*")\)')
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(u'((?:[^'\\]|\\.)*)'(?:, u'((?:[^'\\]|\\.)*)')?")


def _source_files(*suffixes: str) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(settings.BASE_DIR):
        # Pruned in place so that os.walk never enters .venv and friends.
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")
                   and not d.endswith(".egg-info")]
        found += [Path(root) / f for f in files if f.endswith(suffixes)]
    return found


def _msgids_in_python(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        index = GETTEXT_CALLS.get(name)
        if index is None or len(node.args) <= index:
            continue
        arg = node.args[index]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
            found.add(arg.value)
    return found


def _msgids_in_template(path: Path) -> set[str]:
    from django.utils.translation.template import templatize

    # Django's own template-to-gettext conversion, the one makemessages feeds to xgettext.
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = set()
    for name, first, second in TEMPLATE_CALL.findall(code):
        # pgettext(u'context', u'msgid'): the msgid is the second string.
        text = second if name.startswith(("pgettext", "npgettext")) else first
        found.add(ast.literal_eval(f"'{text}'"))
    # A translated filter argument, {{ x|default:_("…") }}, comes out as _("…").
    found.update(ast.literal_eval(m) for m in FILTER_ARGUMENT.findall(code))
    return found


def test_every_string_marked_in_the_code_is_in_the_catalogue():
    # Fails when someone adds or rewords a string and forgets makemessages: the page would
    # silently stay Vietnamese for English readers.
    known = {e.msgid for e in _messages()}
    missing = []
    for path in _source_files(".py"):
        missing += [(str(path), m) for m in _msgids_in_python(path) - known]
    for path in _source_files(".html", ".txt"):
        missing += [(str(path), m) for m in _msgids_in_template(path) - known]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    # The .mo is committed; a .po edited without compilemessages would silently show Vietnamese.
    with MO_FILE.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in _messages():
        if e.msgid_plural:
            got = [compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
            if got != [e.msgstr[0], e.msgstr[1]]:
                stale.append(_where(e))
        elif (compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt
              else compiled.gettext(e.msgid)) != e.msgstr[0]:
            stale.append(_where(e))
    assert stale == []


# --- Real pages in English -------------------------------------------------------------------

class _Labels(HTMLParser):
    """Collects the text of the elements that carry the interface's own words."""

    TAGS = {"h1", "h2", "h3", "label", "button", "th", "dt", "legend", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.html_lang = ""

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.html_lang = dict(attrs).get("lang", "")
        if tag in self.TAGS:
            self.open.append(tag)
            self.texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.texts[self.open[-1]][-1] += data

    def all(self, *, skip: set[str] = frozenset()) -> list[str]:
        return [" ".join(t.split()) for tag, items in self.texts.items() if tag not in skip
                for t in items if t.strip()]


def _labels(html: str) -> _Labels:
    parser = _Labels()
    parser.feed(html)
    return parser


@pytest.fixture
def english(client):
    """A browser that chose English with the language switcher of every page."""
    r = client.post(reverse("set_language"), {"language": "en", "next": "/thu-tuc/"})
    assert r.status_code == 302 and r["Location"] == "/thu-tuc/"
    return client


@pytest.fixture
def procedures(db):
    from catalog.importer import import_catalog

    # Three real records from the national catalogue, as shipped for the demo.
    lines = [ln for ln in DEMO_PROCEDURES.read_text(encoding="utf-8").splitlines() if ln.strip()]
    report = import_catalog(lines[:3])
    assert report.created == 3
    from catalog.models import Procedure

    return list(Procedure.objects.order_by("code"))


def _assert_english(html: str, *, headings: list[str], skip: set[str] = frozenset()) -> None:
    page = _labels(html)
    assert page.html_lang == "en"
    texts = page.all(skip=skip)
    for heading in headings:
        assert heading in texts, (heading, texts)
    leftovers = [t for t in texts if VIETNAMESE.search(t)]
    assert leftovers == []


def test_language_switch_is_remembered_and_vietnamese_stays_the_default(client, procedures):
    vi = client.get("/thu-tuc/").content.decode()
    assert '<html lang="vi">' in vi and "Tra cứu thủ tục hành chính" in vi
    client.post(reverse("set_language"), {"language": "en", "next": "/thu-tuc/"})
    en = client.get("/thu-tuc/").content.decode()
    assert '<html lang="en">' in en and "Tra cứu thủ tục hành chính" not in en


def test_browser_language_decides_until_the_visitor_chooses(client, db):
    url = reverse("dossiers:lookup")
    assert '<html lang="en">' in client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode()
    assert '<html lang="vi">' in client.get(url, HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": url})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode()
    assert '<html lang="vi">' in page


def test_procedure_search_page_in_english(english, procedures):
    html = english.get("/thu-tuc/").content.decode()
    _assert_english(html, headings=["Search administrative procedures",
                                    "Procedure name, code, or what you need to do",
                                    "Field", "Search"])
    assert "3 procedures." in html
    # The skip link and the language switcher come from base.html.
    assert "Skip to main content" in html and ">Language<" in html
    # Procedure names are data from the national catalogue and stay as published.
    assert procedures[0].name in html


def test_procedure_search_without_result_in_english(english, procedures):
    html = english.get("/thu-tuc/", {"q": "qxzqxz wvwvwv"}).content.decode()
    assert "No matching procedure found" in html
    assert "Không tìm thấy" not in html


def test_procedure_page_in_english(english, procedures):
    html = english.get(reverse("catalog:detail", args=[procedures[0].code])).content.decode()
    # The h1 and the title hold the procedure's name, which is Vietnamese data.
    _assert_english(html, headings=["Procedure code", "Dossier components", "Legal basis"],
                    skip={"h1", "title"})
    assert "Search administrative procedures" in html


def test_dossier_lookup_page_in_english(english, db):
    html = english.get(reverse("dossiers:lookup")).content.decode()
    _assert_english(html, headings=["Check the status of a dossier", "Dossier code",
                                    "Secret code or last 4 digits of the phone number",
                                    "Look up"])
    r = english.post(reverse("dossiers:lookup"), {"ma": "000.00.12.H56-260305-0001",
                                                  "bi-mat": "ABCDEFGH"})
    assert r.status_code == 404
    assert "No dossier was found with the code and verification details entered" in (
        r.content.decode())


def test_staff_login_page_in_english(english, db):
    html = english.get(reverse("accounts:login")).content.decode()
    _assert_english(html, headings=["Log in", "Password"])
    assert "Đăng nhập" not in html


def test_domain_error_shows_the_english_message_on_english_pages():
    from django.utils import translation

    from motcua.errors import DomainError

    err = DomainError("invalid", "Ngày sinh không được ở tương lai.",
                      "The date of birth cannot be in the future.")
    with translation.override("vi"):
        assert err.localized_message == "Ngày sinh không được ở tương lai."
    with translation.override("en"):
        assert err.localized_message == "The date of birth cannot be in the future."
    # The API always carries the Vietnamese text in `message`, whatever the page language.
    with translation.override("en"):
        assert err.message == "Ngày sinh không được ở tương lai."
    # Without an English text the Vietnamese one is shown rather than nothing.
    with translation.override("en"):
        assert DomainError("x", "Lỗi.").localized_message == "Lỗi."


def test_one_vietnamese_text_with_two_meanings_gets_each_english_one():
    from django.template import Context, Template
    from django.utils import translation

    from dossiers.models import State
    from dossiers.states import transition

    with translation.override("en"):
        # "Dừng xử lý" is the head's button and the state it leads to.
        assert str(transition("stop").label) == "Stop processing"
        assert str(State.STOPPED.label) == "Processing stopped"
        # "ngày" is a time limit's unit, a date field, and the word before a date.
        from catalog.models import TimeUnit
        from metrics.models import DailyCounter

        assert str(TimeUnit.CALENDAR_DAYS.label) == "days"
        assert str(DailyCounter._meta.get_field("day").verbose_name) == "date"
        html = Template('{% load i18n %}09:30 {% translate "ngày" context "before a date" %} '
                        '02/03/2026').render(Context())
        assert html == "09:30 on 02/03/2026"
    with translation.override("vi"):
        assert str(transition("stop").label) == "Dừng xử lý"
