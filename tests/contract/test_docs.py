"""docs/ stays true to the code: every module, package or function of ours that a page names in
backticks exists (a path like `resolvers/core/uow.py`, or a dotted name like
`resolvers.core.uow.commit` or `gateway/app.py:build_services`)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("gateway", "schema", "resolvers", "models", "integrations")
ALTERNATIVES = "|".join(LAYERS)
PATH = re.compile(r"`((?:" + ALTERNATIVES + r")/[\w/.]*?)(?::(\w+))?`")
DOTTED = re.compile(r"`((?:" + ALTERNATIVES + r")(?:\.\w+)+)(?:\(.*?\))?`")


def _names() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text()
        found += [(page.name, m.group(0)) for m in PATH.finditer(text)]
        found += [(page.name, m.group(0)) for m in DOTTED.finditer(text)]
    return found


def _exists_path(path: str, attribute: str | None) -> bool:
    target = ROOT / path.rstrip("/")
    if not target.exists():
        return False
    if attribute and target.suffix == ".py":
        return (
            re.search(
                rf"^\s*(async def|def|class) {attribute}\b|^{attribute}\s*[:=]",
                target.read_text(),
                re.M,
            )
            is not None
        )
    return True


def _exists_dotted(name: str) -> bool:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        try:
            obj: object = importlib.import_module(module)
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


@pytest.mark.parametrize(("page", "name"), _names())
def test_named_code_exists(page: str, name: str) -> None:
    path = PATH.fullmatch(name)
    if path:
        assert _exists_path(path.group(1), path.group(2)), f"{page} names {name}"
    else:
        dotted = DOTTED.fullmatch(name)
        assert dotted
        assert _exists_dotted(dotted.group(1)), f"{page} names {name}"
