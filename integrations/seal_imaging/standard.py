"""Standard seals (制式电子签章) drawn from parameters to a transparent PNG (SW-16).

Conventions (DOMAIN-NOTES §3.2): a company seal is round, 42 mm, with a five-pointed star and
the unit's name along the upper arc, standing on the radius; a contract seal is 40 mm with
"合同专用章" under the star; a finance seal is a 25 mm square with the name and "财务专用章" in
columns read right to left (round or oval finance seals put it under the star). Shapes are drawn
with OpenCV (anti-aliased); CJK glyphs come from a CJK font through Pillow, since OpenCV has none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from integrations.seal_imaging.errors import FontMissing

FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
MM_PER_INCH = 25.4


class Shape(StrEnum):
    ROUND = "ROUND"
    OVAL = "OVAL"
    SQUARE = "SQUARE"


class Colour(StrEnum):
    RED = "RED"
    BLUE = "BLUE"


class Kind(StrEnum):
    COMPANY = "COMPANY"
    CONTRACT = "CONTRACT"
    FINANCE = "FINANCE"


# RGB of the ink: the red of Chinese seals and a blue ink pad.
INK = {Colour.RED: (230, 0, 18), Colour.BLUE: (0, 51, 204)}
BOTTOM_TEXT = {Kind.COMPANY: "", Kind.CONTRACT: "合同专用章", Kind.FINANCE: "财务专用章"}
DEFAULT_SIZE_MM = {
    (Kind.COMPANY, Shape.ROUND): (42.0, 42.0),
    (Kind.CONTRACT, Shape.ROUND): (40.0, 40.0),
    (Kind.FINANCE, Shape.ROUND): (38.0, 38.0),
    (Kind.FINANCE, Shape.SQUARE): (25.0, 25.0),
}


def default_size(kind: Kind, shape: Shape) -> tuple[float, float]:
    """The standard size the form prefills ("系统默认设置印章长宽为标准印章长宽")."""
    if (kind, shape) in DEFAULT_SIZE_MM:
        return DEFAULT_SIZE_MM[(kind, shape)]
    if shape == Shape.OVAL:
        return (40.0, 30.0)
    if shape == Shape.SQUARE:
        return (25.0, 25.0)
    return (42.0, 42.0)


@dataclass(frozen=True, slots=True)
class StandardSeal:
    unit_text: str
    kind: Kind = Kind.COMPANY
    shape: Shape = Shape.ROUND
    colour: Colour = Colour.RED
    english_text: str | None = None
    width_mm: float | None = None
    height_mm: float | None = None
    inner_margin_mm: float = 0.0
    dpi: int = 300


@lru_cache(maxsize=1)
def font_path() -> tuple[Path, int]:
    """A CJK font and the index of its Simplified Chinese face (installed by make)."""
    for path in FONT_CANDIDATES:
        if not path.exists():
            continue
        for index in range(12):
            try:
                face = ImageFont.truetype(str(path), 20, index=index)
            except OSError:
                break
            if "SC" in " ".join(str(part) for part in face.getname()):
                return path, index
        return path, 0
    raise FontMissing("no CJK font: install fonts-noto-cjk (make test does)")


@lru_cache(maxsize=64)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    path, index = font_path()
    return ImageFont.truetype(str(path), size_px, index=index)


def _glyph(char: str, height_px: int, width_scale: float = 1.0) -> NDArray[np.uint8]:
    """One character as an alpha mask, ``height_px`` tall."""
    font = _font(max(6, height_px))
    left, top, right, bottom = font.getbbox(char)
    canvas = Image.new("L", (int(max(1, right - left)) + 4, int(max(1, bottom - top)) + 4), 0)
    ImageDraw.Draw(canvas).text((2 - left, 2 - top), char, font=font, fill=255)
    if width_scale != 1.0:
        canvas = canvas.resize(
            (max(1, int(canvas.width * width_scale)), canvas.height), Image.Resampling.LANCZOS
        )
    return np.asarray(canvas, dtype=np.uint8)


def _stamp(
    alpha: NDArray[np.uint8], glyph: NDArray[np.uint8], cx: float, cy: float, angle_deg: float
) -> None:
    """Max-composite ``glyph`` rotated by ``angle_deg`` (clockwise) centred at (cx, cy)."""
    h, w = glyph.shape
    size = math.ceil(math.hypot(h, w)) + 2
    padded = np.zeros((size, size), np.uint8)
    y0, x0 = (size - h) // 2, (size - w) // 2
    padded[y0 : y0 + h, x0 : x0 + w] = glyph
    matrix = cv2.getRotationMatrix2D((size / 2, size / 2), -angle_deg, 1.0)
    rotated = cv2.warpAffine(padded, matrix, (size, size), flags=cv2.INTER_LINEAR)
    top, left = round(cy - size / 2), round(cx - size / 2)
    y1, x1 = max(0, top), max(0, left)
    y2, x2 = min(alpha.shape[0], top + size), min(alpha.shape[1], left + size)
    if y2 <= y1 or x2 <= x1:
        return
    region = rotated[y1 - top : y2 - top, x1 - left : x2 - left]
    np.maximum(alpha[y1:y2, x1:x2], region, out=alpha[y1:y2, x1:x2])


def _arc_text(
    alpha: NDArray[np.uint8],
    text: str,
    centre: tuple[float, float],
    radii: tuple[float, float],
    glyph_px: int,
    span_deg: float,
) -> None:
    """Characters along the upper part of an ellipse, symmetric about the top, read clockwise,
    each standing on the ellipse's normal."""
    n = len(text)
    if n == 0:
        return
    step = span_deg / (n - 1) if n > 1 else 0.0
    a, b = radii
    for i, char in enumerate(text):
        # Angle from 12 o'clock, clockwise positive.
        theta = math.radians(-span_deg / 2 + i * step)
        x = centre[0] + a * math.sin(theta)
        y = centre[1] - b * math.cos(theta)
        normal = math.degrees(math.atan2(math.sin(theta) / a, math.cos(theta) / b))
        _stamp(alpha, _glyph(char, glyph_px, width_scale=0.85), x, y, normal)


def _star(alpha: NDArray[np.uint8], centre: tuple[float, float], radius: float) -> None:
    inner = radius * math.sin(math.radians(18)) / math.cos(math.radians(36))
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else inner
        angle = math.radians(-90 + k * 36)
        points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
    polygon = np.array([[round(x * 16), round(y * 16)] for x, y in points], np.int32)
    cv2.fillPoly(alpha, [polygon], 255, lineType=cv2.LINE_AA, shift=4)


def _horizontal(alpha: NDArray[np.uint8], text: str, cx: float, top: float, glyph_px: int) -> None:
    glyphs = [_glyph(c, glyph_px, width_scale=0.85) for c in text]
    width = sum(g.shape[1] for g in glyphs) * 1.05
    x = cx - width / 2
    for glyph in glyphs:
        _stamp(alpha, glyph, x + glyph.shape[1] / 2, top + glyph.shape[0] / 2, 0.0)
        x += glyph.shape[1] * 1.05


def _columns(alpha: NDArray[np.uint8], text: str, box: tuple[float, float, float, float]) -> None:
    """The square finance seal: characters in columns read top-down, right to left."""
    x0, y0, x1, y1 = box
    count = len(text)
    columns = 2 if count <= 8 else 3
    rows = math.ceil(count / columns)
    cell_w, cell_h = (x1 - x0) / columns, (y1 - y0) / rows
    glyph_px = int(min(cell_w, cell_h) * 0.9)
    for index, char in enumerate(text):
        column, row = divmod(index, rows)
        cx = x1 - (column + 0.5) * cell_w
        cy = y0 + (row + 0.5) * cell_h
        _stamp(alpha, _glyph(char, glyph_px, width_scale=cell_w / max(cell_h, 1)), cx, cy, 0.0)


def render_alpha(spec: StandardSeal) -> NDArray[np.uint8]:
    """The seal's ink as an 8-bit alpha mask at ``spec.dpi``."""
    default_w, default_h = default_size(spec.kind, spec.shape)
    width_mm = spec.width_mm or default_w
    height_mm = spec.height_mm or (
        spec.width_mm if spec.shape == Shape.ROUND and spec.width_mm else default_h
    )
    px_per_mm = spec.dpi / MM_PER_INCH
    w, h = round(width_mm * px_per_mm), round(height_mm * px_per_mm)
    alpha = np.zeros((h + 4, w + 4), np.uint8)
    centre = ((w + 4) / 2, (h + 4) / 2)
    border = max(2, round((1.2 if width_mm >= 42 else 1.0) * px_per_mm))
    margin = spec.inner_margin_mm * px_per_mm
    if spec.shape == Shape.SQUARE:
        cv2.rectangle(
            alpha,
            (2 + border // 2, 2 + border // 2),
            (w + 1 - border // 2, h + 1 - border // 2),
            255,
            border,
            lineType=cv2.LINE_AA,
        )
        inset = border + 0.8 * px_per_mm + margin
        text = spec.unit_text + BOTTOM_TEXT[spec.kind]
        _columns(alpha, text, (2 + inset, 2 + inset, w + 2 - inset, h + 2 - inset))
        return alpha
    axes = (int(w / 2 - border / 2), int(h / 2 - border / 2))
    cv2.ellipse(
        alpha, (int(centre[0]), int(centre[1])), axes, 0, 0, 360, 255, border, lineType=cv2.LINE_AA
    )
    short_mm = min(width_mm, height_mm)
    n = max(1, len(spec.unit_text))
    glyph_mm = min(6.5 if n <= 10 else max(4.5, 6.5 - (n - 10) * 0.5), short_mm * 0.16)
    glyph_px = int(glyph_mm * px_per_mm)
    arc_offset = border + 0.8 * px_per_mm + margin + glyph_px / 2
    radii = (w / 2 - arc_offset, h / 2 - arc_offset)
    oval = spec.shape == Shape.OVAL
    span = (
        (200.0 if oval else 210.0)
        if n <= 6
        else min(230.0 if oval else 250.0, 210.0 + (n - 6) * 6.0)
    )
    bottom = BOTTOM_TEXT[spec.kind]
    if bottom:
        # Leave the lower part of the ring to the horizontal text.
        span = min(span, 220.0 if oval else 230.0)
    _arc_text(alpha, spec.unit_text, centre, radii, glyph_px, span)
    if spec.english_text:
        # A second, smaller arc inside the Chinese one, as large as fits (at most 2.6 mm).
        text = spec.english_text.upper()[:48]
        inner = (radii[0] - glyph_px * 0.9, radii[1] - glyph_px * 0.9)
        arc_length = math.radians(span) * (inner[0] + inner[1]) / 2
        english_px = int(min(2.6 * px_per_mm, arc_length / max(1, len(text)) / 0.62))
        _arc_text(alpha, text, centre, inner, english_px, span)
    star_radius = min(w, h) / (8 if oval else 6)
    _star(alpha, centre, star_radius)
    if bottom:
        bottom_px = int(min(4.2, short_mm * 0.12) * px_per_mm)
        _horizontal(alpha, bottom, centre[0], centre[1] + star_radius * 1.05, bottom_px)
    return alpha


def to_png(alpha: NDArray[Any], colour: Colour) -> bytes:
    """Uniform ink colour with the mask as alpha, as a BGRA PNG."""
    red, green, blue = INK[colour]
    image = np.zeros((*alpha.shape, 4), np.uint8)
    image[..., 0], image[..., 1], image[..., 2] = blue, green, red
    image[..., 3] = alpha
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    return encoded.tobytes()


def render(spec: StandardSeal) -> bytes:
    return to_png(render_alpha(spec), spec.colour)
