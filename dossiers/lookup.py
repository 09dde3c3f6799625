"""The second factor of the public status lookup: a short secret printed on the receipt."""

import base64
import secrets
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.utils.html import format_html

# No 0/O, 1/I/L: the secret is read off paper and typed on a phone.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 8
# What the lookup forms read at most: a code is about 25 characters, a factor 8.
CODE_MAX_LENGTH = 60
FACTOR_MAX_LENGTH = 20


def lookup_secret_new() -> str:
    """8 characters of 31: about 8.5·10^11 values, far beyond what a throttled guesser tries."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def qr_svg(data: str, size: int = 120) -> str:
    """A QR code of `data` for an HTML page (the PDF draws its own): an `<img>` of an SVG.

    An image, not SVG markup in the page: reportlab's SVG paints with style attributes, which the
    page's Content-Security-Policy refuses; inside an image they are the image's own business.
    """
    from reportlab.graphics import renderSVG

    from dossiers.printing.pdf import qr_code

    svg = renderSVG.drawToString(qr_code(data, size=size)).encode()
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return format_html('<img class="qr-image" src="{}" width="{}" height="{}" alt="">',
                       source, size, size)


# Codes this browser session proved with a factor, so the pages the lookup links to (the
# evaluation) need not carry the secret in their URL. Kept short: a session is one person.
PROVEN_SESSION_KEY = "motcua_lookup_proven"
PROVEN_KEEP = 10


def lookup_proof_record(session: SessionBase, code: str) -> None:
    """Remember in the session that its holder proved a factor for dossier `code`."""
    proven = [c for c in session.get(PROVEN_SESSION_KEY, []) if c != code]
    session[PROVEN_SESSION_KEY] = (proven + [code])[-PROVEN_KEEP:]


def lookup_proven(session: SessionBase, code: str) -> bool:
    return code in session.get(PROVEN_SESSION_KEY, [])


def lookup_address(page_url: str, code: str, secret: str = "") -> str:
    """The link printed in Form 01's QR code and sent by SMS: `…/tra-cuu/?ma=CODE#bi-mat=SECRET`.

    The secret rides in the fragment, which a browser never sends: it reaches no access log, no
    proxy and no Referer header. The page's script (lookup.js) reads it, fills the form and
    posts it; without script the person types the secret printed beside the QR code.
    """
    url = f"{page_url}?{urlencode({'ma': code})}"
    return f"{url}#{urlencode({'bi-mat': secret})}" if secret else url
