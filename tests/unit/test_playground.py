"""Every saved GraphiQL operation in playground/ is valid against the schema (GW-4 consumers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from gateway.graphiql import PLAYGROUND, saved_tabs
from schema import build_schema

pytestmark = pytest.mark.req("GW-1", "GW-4")
SCHEMA = build_schema(development=True)


@pytest.mark.parametrize("path", sorted(PLAYGROUND.glob("*.graphql")), ids=lambda p: p.name)
def test_saved_operations_validate(path: Path) -> None:
    errors = validate(SCHEMA._schema, parse(path.read_text(encoding="utf-8")))
    assert errors == []


def test_every_consumer_has_a_tab() -> None:
    names = {p.stem.split("-", 1)[1] for p in PLAYGROUND.glob("*.graphql")}
    assert names >= {
        "single-window",
        "liaoning",
        "hunan",
        "xuchang",
        "wechat-mini-program",
        "bank-portal",
    }
    assert len(saved_tabs()) == len(names)
