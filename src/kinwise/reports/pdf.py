"""HTML to PDF with WeasyPrint. The HTML is self-contained (inline CSS and SVG)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document."""
    from weasyprint import HTML

    # WeasyPrint's own warnings (fonts, CSS it ignores) are not errors of the report.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = HTML(string=html, base_url=None).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf without a target always returns bytes
        raise RuntimeError("the PDF could not be written")
    return bytes(pdf)
