"""The code's layout rules, checked from its source: no import cycles among our modules
(imports inside functions count), the kernel imports no domain, and every error code has one
owner and both messages (issue 13; docs/architecture.md)."""

from __future__ import annotations

import ast
import importlib
from enum import Enum
from pathlib import Path

import pytest

from resolvers.core.errors import ErrorCode, registered

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("gateway", "schema", "resolvers", "models", "integrations")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """Our modules that ``module`` imports anywhere in its body (functions included)."""
    targets: set[str] = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            if node.level:
                base = package[: len(package) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        targets.update(n for n in names if n in MODULES and n != module)
    # A package's own __init__ runs on import of any submodule; that is not an edge.
    return {t for t in targets if not module.startswith(t + ".")}


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_among_our_modules() -> None:
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_kernel_imports_no_domain() -> None:
    kernel = {m: deps for m, deps in GRAPH.items() if m.startswith("resolvers.core")}
    assert kernel, "resolvers.core not found"
    offending = {
        m: sorted(
            d for d in deps if d.startswith("resolvers.") and not d.startswith("resolvers.core")
        )
        for m, deps in kernel.items()
    }
    assert {m: d for m, d in offending.items() if d} == {}


def test_layers_point_down() -> None:
    """schema -> resolvers -> (models, integrations); integrations and models import no layer above."""
    above = {
        "resolvers": ("schema", "gateway"),
        "models": ("schema", "gateway", "resolvers", "integrations"),
        "integrations": ("schema", "gateway", "resolvers"),
        "schema": ("gateway",),
    }
    wrong = [
        (m, d)
        for m, deps in GRAPH.items()
        for d in deps
        if d.split(".")[0] in above.get(m.split(".")[0], ())
    ]
    assert wrong == []


def _domain_error_modules() -> list[str]:
    return sorted(
        f"resolvers.{p.parent.name}.errors"
        for p in (ROOT / "resolvers").glob("*/errors.py")
        if p.parent.name != "core"
    )


def test_every_code_has_one_owner_and_both_messages() -> None:
    for name in _domain_error_modules():
        importlib.import_module(name)
    owners = registered()
    enums = set(owners.values())
    # Every ErrorCode enum is registered, and every member belongs to exactly one enum.
    assert set(ErrorCode.__subclasses__()) == enums
    assert sum(len(e) for e in enums) == len(owners)
    for code, owner in owners.items():
        member = owner(code)
        assert member.zh.strip(), code
        assert member.en.strip(), code
        assert member.zh != member.en, code


def test_a_second_owner_is_refused() -> None:
    from resolvers.core.errors import register

    class Twice(ErrorCode):
        NOT_FOUND = "NOT_FOUND", "未找到", "Not found"

    with pytest.raises(ValueError, match="owned by"):
        register(Twice)


def test_each_domain_owns_its_errors_and_loaders_next_to_its_use_cases() -> None:
    domains = sorted(p.name for p in (ROOT / "resolvers").iterdir() if (p / "__init__.py").exists())
    assert "core" in domains
    for domain in domains:
        if domain in ("core", "outbox"):
            continue
        assert (ROOT / "resolvers" / domain / "errors.py").exists() or domain in {
            "qualifications"
        }, domain


def test_no_module_is_over_500_lines_without_a_reason() -> None:
    long = []
    for module, path in MODULES.items():
        if not module.startswith(("resolvers", "schema")):
            continue
        text = path.read_text()
        if text.count("\n") > 520 and "Why this module is long:" not in text[:2000]:
            long.append((module, text.count("\n")))
    assert long == []


def test_enums_are_not_silenced_for_the_type_checker() -> None:
    silenced = [
        (module, text.count("type: ignore[valid-type]"))
        for module, path in MODULES.items()
        if (text := path.read_text()).count("type: ignore[valid-type]")
    ]
    assert silenced == []


def test_error_enum_members_are_strings() -> None:
    for owner in set(registered().values()):
        assert issubclass(owner, Enum)
        assert issubclass(owner, str)
