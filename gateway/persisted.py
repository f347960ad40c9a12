"""Persisted queries for the known front-ends (GW-4).

The front-ends' operations are the saved operations of ``playground/`` (one file per consumer:
Single Window, Liaoning, Hunan, Xuchang, the WeChat mini-program, the bank portal). Each
operation, printed on its own with the fragments it uses, is registered under the SHA-256 of that
text. A client sends ``extensions.persistedQuery.sha256Hash`` (Apollo's format, ``version`` 1)
instead of the document; the gateway answers as if the document had been sent. A hash it does
not know is ``PERSISTED_QUERY_NOT_FOUND``; a document sent with a hash that is not its own is
refused. Documents may still be sent in full (GraphiQL, new front-end versions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor


def digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.names.add(node.name.value)


def operations(document: DocumentNode) -> Iterable[str]:
    """Each operation of a document as a document of its own (with the fragments it uses)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        needed: list[FragmentDefinitionNode] = []
        todo = [definition]
        seen: set[str] = set()
        while todo:
            spreads = _Spreads()
            visit(todo.pop(), spreads)
            for name in sorted(spreads.names - seen):
                seen.add(name)
                needed.append(fragments[name])
                todo.append(fragments[name])  # type: ignore[arg-type]
        yield print_ast(DocumentNode(definitions=(definition, *needed)))


class PersistedQueries:
    def __init__(self, documents: dict[str, str]) -> None:
        self.documents = documents

    @classmethod
    def from_folder(cls, folder: Path) -> PersistedQueries:
        documents: dict[str, str] = {}
        for path in sorted(folder.glob("*.graphql")):
            for text in operations(parse(path.read_text(encoding="utf-8"))):
                documents[digest(text)] = text
        return cls(documents)

    def add(self, query: str) -> str:
        """Register a document (e.g. a benchmark's operation); returns its hash."""
        key = digest(query)
        self.documents[key] = query
        return key

    def lookup(self, sha256: str) -> str | None:
        return self.documents.get(sha256)
