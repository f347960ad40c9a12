"""Benchmark: seal extraction from a 600-dpi A4 scan and standard-seal rendering, as ratios to a
bare ``cv2.imread`` of the same file measured in the same run.

    python -m tests.benchmarks.seal_imaging [--rounds 5]

Prints a Markdown table for docs/benchmarks.md. Best-of-N wall time per step (the machine is
shared; the minimum is the least noisy estimate of the work itself).
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2

from integrations.seal_imaging import (
    Colour,
    Kind,
    Shape,
    StandardSeal,
    extract_seal,
    extract_signature,
    render,
)
from tests.scans import iou, seal_scan, signature_scan


def best_of(rounds: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000


def measure(rounds: int) -> list[tuple[str, float, float]]:
    scan = seal_scan(600, Colour.RED, seed=11)
    signature = signature_scan(600, width_mm=30)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.jpg"
        path.write_bytes(scan.jpeg)
        baseline = best_of(rounds, lambda: cv2.imread(str(path)))
        extraction = best_of(rounds, lambda: extract_seal(path.read_bytes()))
    signature_ms = best_of(rounds, lambda: extract_signature(signature.jpeg))
    company = StandardSeal("辽宁港通进出口有限公司", Kind.COMPANY, Shape.ROUND, Colour.RED)
    render(company)  # fonts and glyph caches warm
    standard = best_of(rounds, lambda: render(company))
    contract = StandardSeal(
        "湖南湘江国际贸易有限公司",
        Kind.CONTRACT,
        Shape.ROUND,
        Colour.RED,
        english_text="Hunan Xiangjiang International Trade Co Ltd",
        dpi=600,
    )
    standard_600 = best_of(rounds, lambda: render(contract))
    quality = iou(scan.truth, extract_seal(scan.jpeg).mask, extract_seal(scan.jpeg).box)
    return [
        ("bare `cv2.imread` of the 600-dpi A4 JPEG (4961 x 7016)", baseline, 1.0),
        (
            f"`extract_seal` (locate, crop, mask, PNG); IoU {quality:.3f}",
            extraction,
            extraction / baseline,
        ),
        ("`extract_signature` (600 dpi)", signature_ms, signature_ms / baseline),
        ("`render` company seal, 42 mm at 300 dpi", standard, standard / baseline),
        (
            "`render` contract seal with English, 40 mm at 600 dpi",
            standard_600,
            standard_600 / baseline,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = measure(args.rounds)
    print(f"Python {platform.python_version()}, OpenCV {cv2.__version__}, best of {args.rounds}\n")
    print("| step | ms | x imread |")
    print("|---|---|---|")
    for name, ms, ratio in rows:
        print(f"| {name} | {ms:.1f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
