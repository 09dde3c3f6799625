"""The second factor of the public status lookup: a short secret printed on the receipt."""

import secrets

# No 0/O, 1/I/L: the secret is read off paper and typed on a phone.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 8


def lookup_secret_new() -> str:
    """8 characters of 31: about 8.5·10^11 values, far beyond what a throttled guesser tries."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def qr_svg(data: str, size: int = 120) -> str:
    """An inline SVG QR code of `data`, for the HTML receipt (the PDF draws its own)."""
    from reportlab.graphics import renderSVG

    from dossiers.printing.pdf import qr_code

    svg = renderSVG.drawToString(qr_code(data, size=size))
    # Drop the XML prologue and doctype: the SVG goes inside an HTML page.
    return svg[svg.index("<svg"):]
