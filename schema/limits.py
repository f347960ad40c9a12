"""Validation rules that bound what one document may cost: depth, aliases, a cost that
multiplies each connection by its page size, and how much work graphql-core's own rules will
have to do (strawberry has no cost limit of its own).

Everything is measured in one pass that is linear in the document: each fragment is measured
once and its result reused wherever it is spread (a document of fragments that spread the next
one twice is tiny but stands for an exponentially large query), fragment cycles are cut, and
costs saturate just above the limit, so no arithmetic grows with what the document expands to.

- depth: field levels below the operation, fragments inlined; introspection fields add nothing.
- cost: each field costs 1, a connection multiplies its own cost and its subtree's by its page
  size: the literal ``first``, the maximum (100) for a variable, the field's default page (20)
  when ``first`` is omitted.
- aliases: aliased fields in the document, as written.
- overlaps: pairs of field selections that share a response path within one definition,
  fragments inlined. graphql-core's ``OverlappingFieldsCanBeMergedRule`` compares each such
  pair, so a few kilobytes repeating one field (``{ a{b} a{b} ... }``) cost it seconds.
- selections: the field selections the measurement itself had to record; past the limit it
  stops and refuses the document.
- definitions and variables: operations plus fragments (64), declared variables (64);
  graphql-core's variable rules visit each definition on its own.

The gateway runs this rule before the specified rules and runs those only on documents this one
accepts (gateway/documents.py), so the quadratic work of the specified rules stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BREAK,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)

DEFAULT_PAGE = 20
MAX_PAGE = 100
MAX_OVERLAPS = 250
MAX_SELECTIONS = 10_000
# graphql-core's rules pay per definition and per variable (a visit each for the variable rules):
# 200 fragments cost 100+ ms where 60 cost a few; the front-ends' documents use a handful.
MAX_DEFINITIONS = 64
MAX_VARIABLES = 64

Path = tuple[str, ...]


@dataclass(slots=True)
class Measure:
    """What one definition (an operation or a fragment) adds where it is used."""

    depth: int = 0
    cost: int = 0
    # Response path (relative to the definition) -> the field nodes selected there.
    positions: dict[Path, set[int]] = field(default_factory=dict)

    @property
    def overlaps(self) -> int:
        return sum(len(nodes) * (len(nodes) - 1) // 2 for nodes in self.positions.values())


class TooManySelections(Exception):
    """The measurement stopped: the document selects more than the limit."""


def is_connection(named: GraphQLNamedType | None) -> bool:
    """A Relay connection: an object type with ``edges`` and ``pageInfo``."""
    return (
        isinstance(named, GraphQLObjectType)
        and "edges" in named.fields
        and "pageInfo" in named.fields
    )


def page_size(node: FieldNode, definition: GraphQLField | None) -> int:
    """How many items a field stands for: its ``first``, else a connection's default page."""
    for argument in node.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE))
            if isinstance(argument.value, VariableNode):
                return MAX_PAGE
            return 1
    if definition is not None and is_connection(get_named_type(definition.type)):
        declared = definition.args.get("first")
        default = declared.default_value if declared is not None else None
        if isinstance(default, int) and not isinstance(default, bool):
            return max(1, min(default, MAX_PAGE))
        return DEFAULT_PAGE
    return 1


class Measurer:
    """Measures the definitions of one document; each fragment once."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, max_cost: int, max_selections: int
    ) -> None:
        self.schema = schema
        self.cap = max_cost + 1
        self.max_selections = max_selections
        self.recorded = 0
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.measures: dict[str, Measure] = {}

    def measure_fragments(self) -> None:
        """Every fragment, those it spreads first, without recursion (chains may be long); a
        spread that closes a cycle adds nothing (NoFragmentCyclesRule reports the cycle)."""
        spreads = {name: _spreads(f.selection_set) for name, f in self.fragments.items()}
        for root in self.fragments:
            if root in self.measures:
                continue
            path = [(root, iter(spreads[root]))]
            on_path = {root}
            while path:
                name, pending = path[-1]
                for spread in pending:
                    known = spread not in self.fragments or spread in self.measures
                    if not known and spread not in on_path:
                        path.append((spread, iter(spreads[spread])))
                        on_path.add(spread)
                        break
                else:
                    path.pop()
                    on_path.discard(name)
                    fragment = self.fragments[name]
                    self.measures[name] = self.measure(
                        fragment.selection_set, self._type(fragment.type_condition.name.value)
                    )

    def measure(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> Measure:
        result = Measure()
        result.depth, result.cost = self._walk(selection_set, parent, (), result.positions)
        return result

    def operation(self, node: OperationDefinitionNode) -> Measure:
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }.get(node.operation)
        return self.measure(node.selection_set, root)

    def _walk(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType | None,
        prefix: Path,
        positions: dict[Path, set[int]],
    ) -> tuple[int, int]:
        """(depth, cost) of a selection set; its fields are recorded under ``prefix``."""
        deepest, cost, cap = 0, 0, self.cap
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                path = (*prefix, (selection.alias or selection.name).value)
                self._record(positions, path, (id(selection),))
                name = selection.name.value
                if name.startswith("__"):
                    # Introspection adds neither depth nor cost, but its fields are still
                    # selections the specified rules compare.
                    if selection.selection_set is not None:
                        self._walk(selection.selection_set, None, path, positions)
                    continue
                definition = None
                if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                    definition = parent.fields.get(name)
                child_depth, child_cost = 0, 0
                if selection.selection_set is not None:
                    child = get_named_type(definition.type) if definition is not None else None
                    child_depth, child_cost = self._walk(
                        selection.selection_set, child, path, positions
                    )
                deepest = max(deepest, 1 + child_depth)
                cost = min(cap, cost + page_size(selection, definition) * (1 + child_cost))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value) if condition is not None else parent
                child_depth, child_cost = self._walk(
                    selection.selection_set, inner, prefix, positions
                )
                deepest = max(deepest, child_depth)
                cost = min(cap, cost + child_cost)
            elif isinstance(selection, FragmentSpreadNode):
                measured = self.measures.get(selection.name.value)
                if measured is None:  # unknown, or closes a cycle
                    continue
                deepest = max(deepest, measured.depth)
                cost = min(cap, cost + measured.cost)
                for path, nodes in measured.positions.items():
                    self._record(positions, prefix + path, nodes)
        return deepest, cost

    def _record(self, positions: dict[Path, set[int]], path: Path, nodes: Any) -> None:
        self.recorded += len(nodes)
        if self.recorded > self.max_selections:
            raise TooManySelections
        known = positions.get(path)
        if known is None:
            positions[path] = set(nodes)
        else:
            known.update(nodes)

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name)


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """Names of the fragments a selection set spreads, at any level."""
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            else:
                nested = getattr(selection, "selection_set", None)
                if nested is not None:
                    stack.append(nested)
    return names


def count_aliases(document: DocumentNode) -> int:
    aliases = 0
    stack = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode) and selection.alias is not None:
                aliases += 1
            nested = getattr(selection, "selection_set", None)
            if nested is not None:
                stack.append(nested)
    return aliases


def check_limits(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    max_depth: int,
    max_cost: int,
    max_aliases: int,
    max_overlaps: int = MAX_OVERLAPS,
    max_selections: int = MAX_SELECTIONS,
) -> list[GraphQLError]:
    """The limits a document exceeds, in time linear in its size."""
    definitions = len(document.definitions)
    variables = sum(
        len(d.variable_definitions or ())
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )
    if definitions > MAX_DEFINITIONS or variables > MAX_VARIABLES:
        return [
            GraphQLError(
                f"A document may hold at most {MAX_DEFINITIONS} operations and fragments and "
                f"declare at most {MAX_VARIABLES} variables.",
                extensions={
                    "code": "TOO_MANY_DEFINITIONS",
                    "limit": MAX_DEFINITIONS,
                    "variablesLimit": MAX_VARIABLES,
                },
            )
        ]
    measurer = Measurer(schema, document, max_cost, max_selections)
    try:
        measurer.measure_fragments()
        operations = [
            (d, measurer.operation(d))
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        ]
    except TooManySelections:
        return [
            GraphQLError(
                f"The document selects more than {max_selections} fields "
                "(fragments counted where they are spread).",
                extensions={"code": "TOO_MANY_SELECTIONS", "limit": max_selections},
            )
        ]
    errors: list[GraphQLError] = []
    for operation, measured in operations:
        if measured.depth > max_depth:
            errors.append(
                GraphQLError(
                    f"Query depth {measured.depth} exceeds the limit of {max_depth}.",
                    operation,
                    extensions={"code": "QUERY_TOO_DEEP", "limit": max_depth},
                )
            )
        if measured.cost > max_cost:  # saturated: how far above is not computed
            errors.append(
                GraphQLError(
                    f"Query cost exceeds the limit of {max_cost}.",
                    operation,
                    extensions={"code": "QUERY_TOO_COSTLY", "limit": max_cost},
                )
            )
    overlaps = sum(m.overlaps for _, m in operations)
    overlaps += sum(m.overlaps for m in measurer.measures.values())
    if overlaps > max_overlaps:
        errors.append(
            GraphQLError(
                f"{overlaps} pairs of fields with the same response name exceed the limit "
                f"of {max_overlaps}.",
                extensions={"code": "TOO_MANY_OVERLAPPING_FIELDS", "limit": max_overlaps},
            )
        )
    aliases = count_aliases(document)
    if aliases > max_aliases:
        errors.append(
            GraphQLError(
                f"{aliases} aliases exceed the limit of {max_aliases}.",
                extensions={"code": "TOO_MANY_ALIASES", "limit": max_aliases},
            )
        )
    return errors


def limits_rule(
    max_depth: int,
    max_cost: int,
    max_aliases: int,
    max_overlaps: int = MAX_OVERLAPS,
    max_selections: int = MAX_SELECTIONS,
) -> type[ValidationRule]:
    """:func:`check_limits` as a validation rule (for graphql-core's ``validate``)."""

    class QueryLimits(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> Any:
            for error in check_limits(
                self.context.schema,
                node,
                max_depth=max_depth,
                max_cost=max_cost,
                max_aliases=max_aliases,
                max_overlaps=max_overlaps,
                max_selections=max_selections,
            ):
                self.report_error(error)
            return BREAK

    return QueryLimits
