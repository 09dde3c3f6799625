"""The second factor of the public status lookup: a short secret printed on the receipt."""

import base64
import secrets

from django.utils.html import format_html

# No 0/O, 1/I/L: the secret is read off paper and typed on a phone.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 8


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
