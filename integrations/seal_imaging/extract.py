"""Seals and signatures extracted from scans of white A4 paper (SW-16, SW-17).

Seals: red (two hue ranges: red wraps at 0/180) or blue ink, found coarse-to-fine: a quarter-
scale JPEG decode locates the largest ink blob of each colour; the full-resolution crop around
it gives the mask; the output is the mask in a uniform ink colour on transparency. Signatures:
black pen, found the same way on dark, unsaturated pixels. Parameters: DOMAIN-NOTES §3.4.

The checks come first and by content: not an image (the magic bytes of a JPEG, whatever the
file name), too many bytes or pixels, too few pixels, resolution below 200 dpi for A4.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from integrations.seal_imaging.errors import (
    BothColours,
    ImageTooLarge,
    ImageTooSmall,
    NoSealFound,
    NoSignatureFound,
    NotAnImage,
    ResolutionTooLow,
    SignatureTooLarge,
)
from integrations.seal_imaging.standard import Colour, to_png

# OpenCV's arrays are typed loosely; every image here is uint8.
Image = NDArray[Any]
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 80_000_000
A4_SHORT_INCHES = 8.27
MIN_DPI = 200
JPEG_MAGIC = b"\xff\xd8\xff"
HSV_RANGES = {
    Colour.RED: [((0, 60, 50), (10, 255, 255)), ((160, 60, 50), (179, 255, 255))],
    Colour.BLUE: [((100, 50, 50), (130, 255, 255))],
}


@dataclass(frozen=True, slots=True)
class Extracted:
    png: bytes
    colour: Colour | None
    dpi: int
    box: tuple[int, int, int, int]  # x, y, width, height in the scan's pixels
    mask: Image

    @property
    def size_mm(self) -> tuple[float, float]:
        return (self.box[2] / self.dpi * 25.4, self.box[3] / self.dpi * 25.4)


def _header_size(data: bytes) -> tuple[int, int]:
    """Width and height from the JPEG's SOF marker, read before decoding anything."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height = int.from_bytes(data[index + 5 : index + 7], "big")
            width = int.from_bytes(data[index + 7 : index + 9], "big")
            return width, height
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        index += 2 + int.from_bytes(data[index + 2 : index + 4], "big")
    raise NotAnImage("no JPEG frame header")


def check_scan(data: bytes) -> tuple[int, int, int]:
    """(width, height, dpi) of an acceptable A4 JPEG scan, or the reason it is not one."""
    if len(data) > MAX_BYTES:
        raise ImageTooLarge(f"{len(data)} bytes")
    if not data.startswith(JPEG_MAGIC):
        raise NotAnImage("not a JPEG")
    width, height = _header_size(data)
    if width * height > MAX_PIXELS:
        raise ImageTooLarge(f"{width}x{height} pixels")
    if min(width, height) < 100:
        raise ImageTooSmall(f"{width}x{height} pixels")
    dpi = round(min(width, height) / A4_SHORT_INCHES)
    if dpi < MIN_DPI:
        raise ResolutionTooLow(f"about {dpi} dpi")
    return width, height, dpi


def _colour_mask(bgr: Image, colour: Colour) -> Image:
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    mask = np.zeros(hsv.shape[:2], np.uint8)
    for low, high in HSV_RANGES[colour]:
        mask |= cv2.inRange(hsv, np.array(low), np.array(high))
    return mask


def _black_mask(bgr: Image) -> Image:
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    return cv2.inRange(hsv, np.array((0, 0, 0)), np.array((179, 90, 110)))


def _ellipse(size: int) -> Image:
    size = max(3, size | 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))


def _largest_blob(mask: Image, close_px: int) -> tuple[tuple[int, int, int, int], int] | None:
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _ellipse(close_px))
    count, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    if count <= 1:
        return None
    index = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = (int(v) for v in stats[index])
    return (x, y, w, h), area


def _decode_quarter(data: bytes) -> Image:
    small = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_REDUCED_COLOR_4)
    if small is None:
        raise NotAnImage("cannot decode")
    return small


def _full_crop(
    data: bytes, box: tuple[int, int, int, int], pad: int
) -> tuple[Image, tuple[int, int]]:
    full = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if full is None:
        raise NotAnImage("cannot decode")
    x, y, w, h = box
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(full.shape[1], x + w + pad), min(full.shape[0], y + h + pad)
    return full[y0:y1, x0:x1].copy(), (x0, y0)


def extract_seal(data: bytes) -> Extracted:
    """The red or blue seal on a scan, as a transparent PNG in a uniform ink colour."""
    _, _, dpi = check_scan(data)
    small = _decode_quarter(data)
    px_per_mm_small = dpi / 4 / 25.4
    minimum = 10 * px_per_mm_small
    found: dict[Colour, tuple[tuple[int, int, int, int], int]] = {}
    for colour in (Colour.RED, Colour.BLUE):
        blob = _largest_blob(_colour_mask(small, colour), int(3 * px_per_mm_small))
        if blob is not None and blob[0][2] >= minimum and blob[0][3] >= minimum:
            found[colour] = blob
    if not found:
        raise NoSealFound("no red or blue seal of at least 10 mm")
    if len(found) == 2:
        raise BothColours("a red and a blue seal")
    colour, ((x, y, w, h), _) = next(iter(found.items()))
    pad = int(2 * dpi / 25.4)
    crop, origin = _full_crop(data, (x * 4, y * 4, w * 4, h * 4), pad)
    mask = _colour_mask(crop, colour)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _ellipse(int(0.3 * dpi / 25.4)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    bx, by, bw, bh = cv2.boundingRect(mask)
    mask = mask[by : by + bh, bx : bx + bw]
    return Extracted(
        to_png(mask, colour), colour, dpi, (origin[0] + bx, origin[1] + by, bw, bh), mask
    )


def extract_signature(data: bytes, max_mm: float = 45.0) -> Extracted:
    """A black-pen signature in the middle of the page (SW-17), at most about 4 x 4 cm."""
    width, height, dpi = check_scan(data)
    small = _decode_quarter(data)
    px_per_mm_small = dpi / 4 / 25.4
    mask = _black_mask(small)
    # Only the middle of the page: printed headers, footers and margins are not the signature.
    keep = np.zeros_like(mask)
    h, w = mask.shape
    keep[h // 4 : 3 * h // 4, w // 8 : 7 * w // 8] = 255
    blob = _largest_blob(mask & keep, int(6 * px_per_mm_small))
    if blob is None or blob[1] < (2 * px_per_mm_small) ** 2:
        raise NoSignatureFound("no black ink in the middle of the page")
    (x, y, bw, bh), _ = blob
    if max(bw, bh) / px_per_mm_small > max_mm:
        raise SignatureTooLarge(f"{bw / px_per_mm_small:.0f} x {bh / px_per_mm_small:.0f} mm")
    pad = int(1 * dpi / 25.4)
    crop, origin = _full_crop(data, (x * 4, y * 4, bw * 4, bh * 4), pad)
    full_mask = cv2.morphologyEx(_black_mask(crop), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    bx, by, fw, fh = cv2.boundingRect(full_mask)
    full_mask = full_mask[by : by + fh, bx : bx + fw]
    ok, encoded = cv2.imencode(".png", np.dstack([np.zeros_like(full_mask)] * 3 + [full_mask]))
    assert ok
    assert width and height
    return Extracted(
        encoded.tobytes(), None, dpi, (origin[0] + bx, origin[1] + by, fw, fh), full_mask
    )
