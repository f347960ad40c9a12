"""Media-type and language negotiation of the HTTP layer."""

from __future__ import annotations

import pytest

from gateway.context import bearer_token, locale_from
from gateway.graphql_http import GRAPHQL_RESPONSE, JSON, choose_media_type

pytestmark = pytest.mark.req("GW-1")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", JSON),
        ("text/html", None),
        ("application/json;q=0", None),
    ],
)
def test_choose_media_type(accept: str | None, chosen: str | None) -> None:
    assert choose_media_type(accept) == chosen


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "zh-CN"),
        ("en", "en"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("zh-CN,en;q=0.5", "zh-CN"),
        ("fr", "zh-CN"),
        ("zh;q=0.1, en;q=0.9", "en"),
    ],
)
def test_locale(header: str | None, locale: str) -> None:
    assert locale_from(header) == locale


def test_bearer_token() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token("Bearer ") is None
