"""Validation rules that bound what one document may cost: depth, aliases, and a cost
that multiplies each list field by its ``first`` (strawberry has no cost limit of its own).

Each rule is a class built by a factory so the limits come from settings.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation.validation_context import ASTValidationContext

DEFAULT_PAGE = 20
MAX_PAGE = 100


def _fragments(context: ASTValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {
        d.name.value: d
        for d in context.document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }


def _multiplier(field: FieldNode) -> int:
    """A list field costs its page size: the literal ``first``, or the maximum for a variable."""
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE))
            return MAX_PAGE
    return 1


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    seen: frozenset[str],
) -> tuple[int, int]:
    """(deepest depth, total cost) of a selection set, fragments inlined, cycles cut."""
    if selection_set is None:
        return depth, 0
    deepest, cost = depth, 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                child_depth, child_cost = depth, 0
            else:
                child_depth, child_cost = _walk(selection.selection_set, fragments, depth + 1, seen)
                child_cost = _multiplier(selection) * (1 + child_cost)
        elif isinstance(selection, InlineFragmentNode):
            child_depth, child_cost = _walk(selection.selection_set, fragments, depth, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue
            child_depth, child_cost = _walk(fragment.selection_set, fragments, depth, seen | {name})
        else:
            continue
        deepest = max(deepest, child_depth)
        cost += child_cost
    return deepest, cost


def limits_rule(max_depth: int, max_cost: int, max_aliases: int) -> type[ASTValidationRule]:
    class QueryLimits(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            context = self.context
            depth, cost = _walk(node.selection_set, _fragments(context), 0, frozenset())
            if depth > max_depth:
                context.report_error(
                    GraphQLError(
                        f"Query depth {depth} exceeds the limit of {max_depth}.",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP", "limit": max_depth},
                    )
                )
            if cost > max_cost:
                context.report_error(
                    GraphQLError(
                        f"Query cost {cost} exceeds the limit of {max_cost}.",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "limit": max_cost},
                    )
                )

        def enter_document(self, node: Any, *_args: Any) -> None:
            aliases = 0

            def count(selection_set: SelectionSetNode | None) -> None:
                nonlocal aliases
                if selection_set is None:
                    return
                for selection in selection_set.selections:
                    if isinstance(selection, FieldNode) and selection.alias is not None:
                        aliases += 1
                    count(getattr(selection, "selection_set", None))

            for definition in node.definitions:
                count(getattr(definition, "selection_set", None))
            if aliases > max_aliases:
                self.context.report_error(
                    GraphQLError(
                        f"{aliases} aliases exceed the limit of {max_aliases}.",
                        extensions={"code": "TOO_MANY_ALIASES", "limit": max_aliases},
                    )
                )

    return QueryLimits
