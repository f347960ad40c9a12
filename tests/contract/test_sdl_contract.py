"""The published contract: the schema may grow, but no type, field, argument or enum value that
clients use disappears or changes kind unnoticed. The baseline is the SDL before the domain
packages (issue 13); a deliberate change is acknowledged in ``ACKNOWLEDGED`` with its reason."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, find_breaking_changes

from schema import build_schema as build_gateway_schema

BASELINE = Path(__file__).with_name("schema.baseline.graphql")

# (change type, description) pairs a reviewed change may make, each with the issue behind it.
ACKNOWLEDGED: set[tuple[str, str]] = {
    # Issue 14: an operator or a bank's portal user asking for the admin-only operator list gets
    # the rest of the answer with FORBIDDEN at the list's path, not a nulled viewer or response.
    (
        "FIELD_CHANGED_KIND",
        "Field Enterprise.operators changed type from OperatorConnection! to OperatorConnection.",
    ),
}


def _breaking() -> set[tuple[str, str]]:
    old = build_schema(BASELINE.read_text())
    new = build_schema(str(build_gateway_schema(development=False)))
    return {(change.type.name, change.description) for change in find_breaking_changes(old, new)}


def test_no_breaking_change_against_the_baseline() -> None:
    assert _breaking() - ACKNOWLEDGED == set()


def test_user_error_codes_keep_every_value() -> None:
    old = build_schema(BASELINE.read_text()).get_type("UserErrorCode")
    new = build_schema(str(build_gateway_schema(development=False))).get_type("UserErrorCode")
    assert set(old.values) <= set(new.values)  # type: ignore[union-attr]
