"""What every GraphQL operation goes through, over HTTP (gateway/graphql_http.py) and over the
WebSocket (gateway/websocket.py) alike: the document limits, the parse and validation caches,
execution with the write intent of mutations, and the public form of errors.

- Size: at most ``max_document_bytes`` of document text; the parser stops after
  ``max_tokens`` tokens.
- Validation in two steps: ``schema/limits.py`` first (linear in the document), and the
  specified rules only for documents within the limits, so that the specified rules' quadratic
  cases (many fields sharing a response name) never see a document large enough to hurt.
- Caches keyed by the document text, bounded by entries and by the bytes of text they hold (a
  parsed document weighs about 55 times its text), and failures are cached too, so repeating a
  bad document costs a lookup.
- Errors: a ``ClientFault`` (or a malformed global ID) keeps its message and code; anything else
  becomes ``Internal server error`` with ``INTERNAL_SERVER_ERROR`` and the request ID, and the
  exception is logged with that ID.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import ASTValidationRule
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.relay.types import GlobalIDValueError
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gateway.database import write_intent
from resolvers.core.context import RequestContext
from resolvers.core.errors import ClientFault

log = logging.getLogger("gateway.graphql")

MAX_TOKENS = 5_000
_ALLOWED_ORIGINAL_ERRORS: tuple[type[BaseException], ...] = (ClientFault, GlobalIDValueError)
# The specified rules, and the two strawberry adds to them.
SPECIFIED_RULES: tuple[type[ASTValidationRule], ...] = (
    *specified_rules,
    MaybeNullValidationRule,
    OneOfInputValidationRule,
)


class DocumentRefused(Exception):
    """A document that will not run; ``errors`` are in their public form."""

    def __init__(self, code: str, errors: Sequence[dict[str, Any]]) -> None:
        super().__init__(code)
        self.code = code
        self.errors = list(errors)


def refusal(code: str, message: str) -> DocumentRefused:
    return DocumentRefused(code, [{"message": message, "extensions": {"code": code}}])


@dataclass(frozen=True, slots=True)
class Prepared:
    document: DocumentNode
    operation: OperationDefinitionNode

    @property
    def is_mutation(self) -> bool:
        return self.operation.operation == OperationType.MUTATION

    @property
    def is_subscription(self) -> bool:
        return self.operation.operation == OperationType.SUBSCRIPTION


@dataclass(slots=True)
class _Entry:
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] | None  # None: not validated yet


class Documents:
    """Size limit, parsing and validation of documents, behind one bounded cache."""

    def __init__(
        self,
        limits: Callable[[GraphQLSchema, DocumentNode], list[GraphQLError]],
        *,
        max_document_bytes: int,
        max_tokens: int = MAX_TOKENS,
        cache_entries: int = 512,
        cache_bytes: int = 1_000_000,
    ) -> None:
        self.limits = limits
        self.max_document_bytes = max_document_bytes
        self.max_tokens = max_tokens
        self.cache_entries = cache_entries
        self.cache_bytes = cache_bytes
        self._schema: GraphQLSchema | None = None
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._cached_bytes = 0

    def bind(self, schema: GraphQLSchema) -> None:
        """The schema documents are validated against (set once the schema is built)."""
        self._schema = schema

    @property
    def schema(self) -> GraphQLSchema:
        assert self._schema is not None, "Documents.bind(schema) first"
        return self._schema

    def prepare(self, query: str, operation_name: str | None) -> Prepared:
        """The parsed, validated document and the operation to run, or ``DocumentRefused``."""
        self.check_size(query)
        entry = self._entry(query)
        if entry.document is None or entry.errors:
            code = "GRAPHQL_PARSE_FAILED" if entry.document is None else "GRAPHQL_VALIDATION_FAILED"
            raise DocumentRefused(code, [dict(e.formatted) for e in entry.errors or ()])
        operation = get_operation_ast(entry.document, operation_name)
        if operation is None:
            raise refusal(
                "OPERATION_NOT_FOUND", "No operation with that name, or a name is needed."
            )
        return Prepared(entry.document, operation)

    def check_size(self, query: str) -> None:
        if len(query.encode()) > self.max_document_bytes:
            raise refusal(
                "DOCUMENT_TOO_LARGE", f"The document exceeds {self.max_document_bytes} bytes."
            )

    def parsed(self, query: str) -> DocumentNode | None:
        """The cached parse of a document within the size limit, else None."""
        if len(query.encode()) > self.max_document_bytes:
            return None
        return self._entry(query, validated=False).document

    def errors(self, query: str) -> tuple[GraphQLError, ...] | None:
        """The validation errors of a document within the size limit, else None."""
        if len(query.encode()) > self.max_document_bytes:
            return None
        entry = self._entry(query)
        return entry.errors if entry.document is not None else None

    def _entry(self, query: str, *, validated: bool = True) -> _Entry:
        entry = self._cache.get(query)
        if entry is None:
            entry = self._parse(query)
            self._remember(query, entry)
        else:
            self._cache.move_to_end(query)
        if validated and entry.errors is None:
            entry.errors = self._validate(entry.document)
        return entry

    def _parse(self, query: str) -> _Entry:
        try:
            return _Entry(parse(query, max_tokens=self.max_tokens), None)
        except GraphQLError as error:
            return _Entry(None, (with_code(error, "GRAPHQL_PARSE_FAILED"),))

    def _validate(self, document: DocumentNode | None) -> tuple[GraphQLError, ...]:
        if document is None:
            return ()
        errors = self.limits(self.schema, document) or validate(
            self.schema, document, SPECIFIED_RULES
        )
        return tuple(with_code(e, "GRAPHQL_VALIDATION_FAILED") for e in errors)

    def _remember(self, query: str, entry: _Entry) -> None:
        self._cache[query] = entry
        self._cached_bytes += len(query)
        while self._cache and (
            len(self._cache) > self.cache_entries or self._cached_bytes > self.cache_bytes
        ):
            evicted, _ = self._cache.popitem(last=False)
            self._cached_bytes -= len(evicted)

    def extension(self) -> SchemaExtension:
        """For strawberry's own execution (subscriptions): this cache instead of its parsing
        and validation."""
        return _CachedDocuments(self)


class _CachedDocuments(SchemaExtension):
    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            context.graphql_document = self.documents.parsed(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.query:
            errors = self.documents.errors(context.query)
            if errors is not None:
                context.pre_execution_errors = list(errors)
        yield


def with_code(error: GraphQLError, default_code: str) -> GraphQLError:
    """The error with ``extensions.code`` set (kept if it has one)."""
    extensions = dict(error.extensions or {})
    extensions.setdefault("code", default_code)
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        None,
        extensions,
    )


def should_mask(error: GraphQLError) -> bool:
    """Whether an execution error must be hidden from the client."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    return not isinstance(original, _ALLOWED_ORIGINAL_ERRORS)


def public_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """What the client sees of an execution error (masked ones are logged here)."""
    if should_mask(error):
        log.error(
            "unexpected error in a resolver",
            exc_info=error.original_error,
            extra={"path": error.path},
        )
        return GraphQLError(
            "Internal server error",
            error.nodes,
            error.source,
            error.positions,
            error.path,
            None,
            {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
    extensions: dict[str, Any] = dict(error.extensions or {})
    if isinstance(error.original_error, GlobalIDValueError):
        extensions.setdefault("code", "BAD_USER_INPUT")
    extensions.setdefault(
        "code", "BAD_USER_INPUT" if error.path is None else "INTERNAL_SERVER_ERROR"
    )
    return GraphQLError(
        error.message, error.nodes, error.source, error.positions, error.path, None, extensions
    )


def format_execution_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    return dict(public_error(error, request_id).formatted)


class PublicErrors(MaskErrors):
    """strawberry's MaskErrors, masking as the HTTP path does (code, request ID, log)."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "-")
        return [public_error(error, request_id) for error in errors]


def is_request_error(result: ExecutionResult) -> bool:
    """Variables that fail to coerce stop the request before execution: no ``data`` at all."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def result_body(result: ExecutionResult, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [format_execution_error(e, request_id) for e in result.errors]
    if not is_request_error(result):
        body["data"] = result.data
    return body


@contextmanager
def intent(prepared: Prepared) -> Iterator[None]:
    """Around everything an operation does with the database, its context included: on SQLite
    a mutation's transactions then begin with the write lock (gateway.database.write_intent)."""
    token = write_intent.set(prepared.is_mutation)
    try:
        yield
    finally:
        write_intent.reset(token)


async def execute_operation(
    schema: GraphQLSchema,
    executor_class: Any,
    ctx: RequestContext,
    prepared: Prepared,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> ExecutionResult:
    """Execute a query or mutation (inside :func:`intent`)."""
    result = execute(
        schema,
        prepared.document,
        variable_values=variables,
        operation_name=operation_name,
        context_value=ctx,
        executor_class=executor_class,
        is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
    )
    if optimized_is_awaitable(result):
        result = await result  # type: ignore[misc]
    return result  # type: ignore[return-value]
