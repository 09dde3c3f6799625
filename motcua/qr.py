"""QR codes for pages (the PDFs draw theirs with dossiers.printing.pdf.qr_code)."""

import base64

from django.utils.html import format_html
from django.utils.safestring import SafeString
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


def qr_img(data: str, size: int = 180, alt: str = "") -> SafeString:
    """An `<img>` of an SVG QR code of `data` (error correction M).

    An image, not SVG markup in the page: reportlab's SVG paints with style attributes, which a
    Content-Security-Policy without 'unsafe-inline' refuses in the page, not inside an image.
    """
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing).encode()
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return format_html('<img class="qr-image" src="{}" width="{}" height="{}" alt="{}">',
                       source, size, size, alt)
