"""The fuzz test's server (one per test session) and its report of the server errors found."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.target import ServerError, Target, seed

_TARGETS: list[Target] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: schemathesis fuzzing of a real server (tests/fuzz)")


@pytest.fixture(scope="session")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """A gateway subprocess on 127.0.0.1 with the demo data, every identity logged in and the
    seeded objects in its pools."""
    target = Target(tmp_path_factory.mktemp("fuzz-server"))
    _TARGETS.append(target)
    try:
        seed(target)
        yield target
    finally:
        target.close()


def distinct(errors: list[ServerError]) -> dict[tuple[str, str, str], list[ServerError]]:
    groups: dict[tuple[str, str, str], list[ServerError]] = {}
    for error in errors:
        groups.setdefault(error.key, []).append(error)
    return groups


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for target in _TARGETS:
        groups = distinct(target.errors)
        broken = {n: i.broken for n, i in target.identities.items() if i.broken}
        terminalreporter.section("fuzz: distinct server errors")
        terminalreporter.write_line(
            f"{target.requests} fuzzed requests, {len(target.errors)} server errors, "
            f"{len(groups)} distinct (operation, exception, innermost frame)"
        )
        for (operation, _, where), found in sorted(groups.items()):
            first = min(
                found, key=lambda e: len(e.query) + len(json.dumps(e.variables, default=str))
            )
            identities = ", ".join(sorted({e.identity for e in found}))
            terminalreporter.write_line(
                f"- {operation}: {first.summary} [{where}] x{len(found)} as {identities}"
            )
        pools = ", ".join(f"{t} {len(ids)}" for t, ids in sorted(target.pools.ids.items()))
        terminalreporter.write_line(f"seeded and harvested IDs: {pools}")
        for name, reason in broken.items():
            terminalreporter.write_line(f"identity {name} lost during the run: {reason}")
        report = os.environ.get("FUZZ_REPORT")
        if report:
            Path(report).write_text(
                json.dumps(
                    [
                        {
                            "operation": operation,
                            "exception": exception,
                            "where": where,
                            "count": len(found),
                            "identities": sorted({e.identity for e in found}),
                            "examples": [
                                {
                                    "identity": e.identity,
                                    "status": e.status,
                                    "query": e.query,
                                    "variables": e.variables,
                                    "files": e.files,
                                    "summary": e.summary,
                                    "traceback": e.exception,
                                }
                                for e in sorted(found, key=lambda e: len(e.query))[:3]
                            ],
                        }
                        for (operation, exception, where), found in sorted(groups.items())
                    ],
                    ensure_ascii=False,
                    indent=1,
                    default=str,
                )
            )
