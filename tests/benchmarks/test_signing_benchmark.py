"""The signing benchmark runs in the suite (a few rounds) and guards the gateway's share (LN-2)."""

from __future__ import annotations

import pytest

from tests.benchmarks.signing import measure

pytestmark = [pytest.mark.req("LN-2", "LN-3"), pytest.mark.slow]


async def test_prepare_and_complete_stay_well_under_a_second() -> None:
    rows = dict(await measure(rounds=2))
    share = next(ms for name, ms in rows.items() if name.startswith("prepare + complete"))
    validation = next(ms for name, ms in rows.items() if name.startswith("pyHanko validation"))
    assert share < 1000
    assert validation < 2000
