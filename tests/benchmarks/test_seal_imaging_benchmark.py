"""The seal-imaging benchmark runs in the suite (one round) and guards its ratios (SW-16)."""

from __future__ import annotations

import pytest

from tests.benchmarks.seal_imaging import measure

pytestmark = [pytest.mark.req("SW-16"), pytest.mark.slow]


def test_extraction_stays_within_a_few_image_reads() -> None:
    rows = {name.split(" ")[0]: ratio for name, _, ratio in measure(rounds=2)}
    # Measured 1.8x; a naive full-page pass is 10-19x. Fail well before that.
    assert rows["`extract_seal`"] < 4.0
    assert rows["`render`"] < 1.0
