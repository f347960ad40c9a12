"""Documents as PDF: agreements, authorisation letters, e-policies (LN-2, LN-5, TI-4, TI-6).

The number at the top is labelled by what the document is (协议编号 for an agreement, 授权书编号
for an authorisation letter, 保单编号 for a policy) unless the document names its label. Chinese
text is set in WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``), embedded as a subset so that every
reader shows the same glyphs; the seal image (a transparent PNG) sits on the signature block.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from integrations.documents.errors import DocumentError

FONT = "WenQuanYiZenHei"
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _register_font() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    if not FONT_PATH.exists():
        raise DocumentError("install fonts-wqy-zenhei (make test does)")
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))


@dataclass(frozen=True)
class Party:
    role: str  # 甲方 / 乙方 / 丙方
    name: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    number: str
    date: str
    parties: tuple[Party, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    seal_png: bytes | None = None
    seal_size_mm: float = 40.0
    signer_label: str = "甲方（盖章）"
    extra_signature_labels: tuple[str, ...] = field(default_factory=tuple)
    # The label of ``number``; None: by the kind of document its title names.
    number_label: str | None = None


# The label of the number by what the title says the document is, first match wins.
NUMBER_LABELS = (("保单", "保单编号"), ("授权书", "授权书编号"), ("协议", "协议编号"))


def number_label(document: Document) -> str:
    if document.number_label:
        return document.number_label
    return next((label for word, label in NUMBER_LABELS if word in document.title), "编号")


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break Chinese (and mixed) text into lines no wider than ``width`` points."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def render(document: Document) -> bytes:
    _register_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(document.title)
    page.setAuthor("trade-finance gateway")
    width, height = A4
    left, right = 22 * mm, width - 22 * mm
    y = height - 28 * mm
    page.setFont(FONT, 18)
    page.drawCentredString(width / 2, y, document.title)
    y -= 10 * mm
    page.setFont(FONT, 10)
    page.drawRightString(
        right, y, f"{number_label(document)}：{document.number}    日期：{document.date}"
    )
    y -= 10 * mm

    def line(text: str, size: float = 10.5, indent: float = 0) -> None:
        nonlocal y
        for piece in _wrap(text, right - left - indent, size):
            if y < 40 * mm:
                page.showPage()
                y = height - 25 * mm
            page.setFont(FONT, size)
            page.drawString(left + indent, y, piece)
            y -= size * 1.6

    for party in document.parties:
        line(f"{party.role}：{party.name}", 11.5)
        for detail in party.details:
            line(detail, 10, indent=8 * mm)
        y -= 2 * mm
    for heading, paragraphs in document.sections:
        y -= 2 * mm
        line(heading, 11.5)
        for paragraph in paragraphs:
            line(paragraph, 10.5, indent=4 * mm)
    if y < 70 * mm:
        page.showPage()
        y = height - 40 * mm
    y -= 12 * mm
    page.setFont(FONT, 11)
    page.drawString(left, y, document.signer_label)
    for index, label in enumerate(document.extra_signature_labels):
        page.drawString(left + (index + 1) * 60 * mm, y, label)
    if document.seal_png:
        size = document.seal_size_mm * mm
        page.drawImage(
            ImageReader(io.BytesIO(document.seal_png)),
            left + 5 * mm,
            y - size + 4 * mm,
            size,
            size,
            mask="auto",
        )
    page.drawString(left, y - 46 * mm, f"日期：{document.date}")
    page.save()
    return buffer.getvalue()
