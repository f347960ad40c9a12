"""GraphQL over HTTP, following the GraphQL-over-HTTP specification.

Why not strawberry's view: it cannot negotiate ``application/graphql-response+json`` (which
requires 4xx for documents that fail to parse or validate), and owning the request path
lets us cache parsing and validation, bound sizes, mask errors and encode with orjson.

- POST with ``application/json``; GET with query parameters (queries only: a mutation over
  GET gets 405 and ``Allow: POST``).
- The response type follows ``Accept``: ``application/graphql-response+json`` (4xx for
  request errors) or ``application/json`` (200 for every well-formed request); 406 otherwise.
- Errors that are the client's fault carry ``extensions.code``; anything else is masked as
  INTERNAL_SERVER_ERROR and logged with the request ID.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import strawberry
from graphql import OperationType
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.file_uploads.utils import replace_placeholders_with_files

from gateway.bodies import CLOSE, BodyTooLarge, FileTooLarge, read_body, read_multipart
from gateway.context import build_context
from gateway.operations import (
    DocumentRefused,
    Documents,
    Prepared,
    execute_operation,
    intent,
    is_request_error,
    result_body,
)
from gateway.persisted import PersistedQueries, digest
from resolvers.core.context import Services
from resolvers.core.errors import ClientFault

JSON = "application/json"
MULTIPART = "multipart/form-data"
PREFLIGHT_HEADERS = ("graphql-preflight", "apollo-require-preflight", "x-apollo-operation-name")
# Uploads: a multipart body of at most 5 files and 10 fields in all (operations, map, the files).
MAX_UPLOAD_FILES = 5
MAX_UPLOAD_FIELDS = 10
GRAPHQL_RESPONSE = "application/graphql-response+json"


class RequestError(Exception):
    """A GraphQL-over-HTTP request that cannot be executed; becomes a 4xx response."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        headers: Mapping[str, str] | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = dict(headers or {})
        self.errors = errors or [{"message": message, "extensions": {"code": code}}]


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


def choose_media_type(accept: str | None) -> str | None:
    """The best response type the client accepts, or None (406)."""
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        if media == GRAPHQL_RESPONSE:
            candidate = GRAPHQL_RESPONSE
        elif media in (JSON, "application/*", "*/*"):
            candidate = JSON
        else:
            continue
        if q <= 0:
            continue
        # Prefer the higher q; on a tie the one listed first; graphql-response+json wins ties
        # against a wildcard.
        rank = (q, -position, candidate)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None


def wants_ide(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.method == "GET" and "text/html" in accept and "query" not in request.query_params


class GraphQLHttp:
    """The ``/graphql`` HTTP endpoint."""

    def __init__(
        self,
        schema: strawberry.Schema,
        services: Services,
        documents: Documents,
        *,
        max_request_bytes: int,
        max_upload_bytes: int = 21 * 1024 * 1024,
        max_upload_file_bytes: int = 20 * 1024 * 1024,
        render_ide: Callable[[], str] | None,
        persisted: PersistedQueries | None = None,
    ) -> None:
        self.schema = schema
        self.graphql_schema = schema._schema
        self.services = services
        self.documents = documents
        self.max_request_bytes = max_request_bytes
        self.max_upload_bytes = max_upload_bytes
        self.max_upload_file_bytes = max_upload_file_bytes
        self.persisted = persisted or PersistedQueries({})
        self.render_ide = render_ide
        self.executor_class = schema.execution_context_class

    async def __call__(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            return self._error_response(
                RequestError(
                    405,
                    "GraphQL accepts GET and POST.",
                    "METHOD_NOT_ALLOWED",
                    {"Allow": "GET, POST"},
                ),
                JSON,
            )
        if wants_ide(request):
            if self.render_ide is None:
                return Response("Not Found", status_code=404)
            return HTMLResponse(self.render_ide())
        media_type = choose_media_type(request.headers.get("accept"))
        if media_type is None:
            return self._error_response(
                RequestError(406, f"Accept {GRAPHQL_RESPONSE} or {JSON}.", "NOT_ACCEPTABLE"), JSON
            )
        form: FormData | None = None
        try:
            try:
                if _content_type(request) == MULTIPART:
                    form = await self._read_multipart(request)
                    params = _params(_with_files(form), self.persisted)
                else:
                    params = await self._read_params(request)
                prepared = self._prepare(params, request.method, media_type)
            except FileTooLarge as too_large:
                return self._error_response(
                    RequestError(
                        413, f"A file exceeds {too_large.limit} bytes.", "FILE_TOO_LARGE", CLOSE
                    ),
                    media_type,
                )
            except BodyTooLarge:
                return self._error_response(
                    RequestError(413, "The request body is too large.", "REQUEST_TOO_LARGE", CLOSE),
                    media_type,
                )
            except RequestError as error:
                return self._error_response(error, media_type)
            return await self._execute(request, params, prepared, media_type)
        finally:
            if form is not None:
                await form.close()

    async def _read_multipart(self, request: Request) -> FormData:
        """The GraphQL multipart request spec (uploads), for mutations over POST only.

        CSRF: a browser can send multipart/form-data cross-site without a preflight, so one of
        the preflight headers Apollo's and strawberry's clients send is required. The body is
        bounded while it is read (``gateway.bodies``): at most ``max_upload_bytes`` in all (a
        declared length over it is refused unread), ``max_upload_file_bytes`` per file and
        ``max_request_bytes`` per other field, so an upload never fills the memory or the disk."""
        if request.method != "POST":
            raise RequestError(
                405, "Uploads must be sent with POST.", "MUTATION_OVER_GET", {"Allow": "POST"}
            )
        if not any(h in request.headers for h in PREFLIGHT_HEADERS):
            raise RequestError(
                400,
                "Uploads need a preflight header, e.g. GraphQL-Preflight: 1.",
                "CSRF_PREFLIGHT_REQUIRED",
            )
        try:
            return await read_multipart(
                request,
                limit=self.max_upload_bytes,
                max_file_bytes=self.max_upload_file_bytes,
                max_files=MAX_UPLOAD_FILES,
                max_fields=MAX_UPLOAD_FIELDS,
                max_field_bytes=self.max_request_bytes,
            )
        except (MultiPartException, ValueError) as error:
            raise RequestError(400, "The multipart body cannot be read.", "BAD_REQUEST") from error

    async def _read_params(self, request: Request) -> GraphQLParams:
        if request.method == "GET":
            raw: Mapping[str, Any] = dict(request.query_params)
            variables = raw.get("variables")
            if isinstance(variables, str) and variables:
                raw = {**raw, "variables": _loads(variables, "variables")}
        else:
            if _content_type(request) != JSON:
                raise RequestError(415, f"POST bodies must be {JSON}.", "UNSUPPORTED_MEDIA_TYPE")
            raw = _loads(await read_body(request, self.max_request_bytes), "body")
            if not isinstance(raw, dict):
                raise RequestError(400, "The body must be a JSON object.", "BAD_REQUEST")
        return _params(raw, self.persisted)

    def _prepare(self, params: GraphQLParams, method: str, media_type: str) -> Prepared:
        try:
            prepared = self.documents.prepare(params.query, params.operation_name)
        except DocumentRefused as refused:
            strict = media_type == GRAPHQL_RESPONSE
            status = {"DOCUMENT_TOO_LARGE": 413 if strict else 400, "OPERATION_NOT_FOUND": 400}
            raise RequestError(
                status.get(refused.code, 400 if strict else 200),
                refused.code,
                refused.code,
                errors=refused.errors,
            ) from refused
        operation = prepared.operation
        if operation.operation == OperationType.SUBSCRIPTION:
            raise RequestError(
                405,
                "Subscriptions use the graphql-transport-ws WebSocket.",
                "SUBSCRIPTION_OVER_HTTP",
                {"Allow": "GET, POST"},
            )
        if method == "GET" and operation.operation != OperationType.QUERY:
            raise RequestError(
                405, "Mutations must be sent with POST.", "MUTATION_OVER_GET", {"Allow": "POST"}
            )
        return prepared

    async def _execute(
        self, request: Request, params: GraphQLParams, prepared: Prepared, media_type: str
    ) -> Response:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        with intent(prepared):
            try:
                ctx = await build_context(
                    self.services,
                    request.headers,
                    request.client.host if request.client else None,
                    request_id,
                )
            except ClientFault as fault:
                return self._json(
                    {"errors": [{"message": str(fault), "extensions": fault.extensions}]},
                    401,
                    media_type,
                )
            try:
                result = await execute_operation(
                    self.graphql_schema,
                    self.executor_class,
                    ctx,
                    prepared,
                    params.variables,
                    params.operation_name,
                )
            finally:
                await ctx.close()
        body = result_body(result, request_id)
        # Variables that fail to coerce stop the request before execution: no "data" at all.
        status = 400 if is_request_error(result) and media_type == GRAPHQL_RESPONSE else 200
        return self._json(body, status, media_type)

    def _error_response(self, error: RequestError, media_type: str) -> Response:
        body = {"errors": error.errors}
        return self._json(body, error.status, media_type, error.headers)

    @staticmethod
    def _json(
        body: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        return Response(
            orjson.dumps(body),
            status_code=status,
            media_type=f"{media_type}; charset=utf-8",
            headers=dict(headers or {}),
        )


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _with_files(form: FormData) -> Mapping[str, Any]:
    """``operations`` with each file put where ``map`` says (multipart request spec)."""
    operations = _loads(str(form.get("operations", "")), "operations")
    files_map = _loads(str(form.get("map", "{}")), "map")
    if not isinstance(operations, dict) or not isinstance(files_map, dict):
        raise RequestError(
            400, "`operations` must be one object and `map` an object.", "BAD_REQUEST"
        )
    files = {key: value for key, value in form.multi_items() if isinstance(value, UploadFile)}
    try:
        return replace_placeholders_with_files(operations, files_map, files)
    except (KeyError, IndexError, TypeError) as error:
        raise RequestError(
            400, "`map` names a file or path that is not there.", "BAD_REQUEST"
        ) from error


def _loads(data: str | bytes, what: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise RequestError(400, f"The {what} is not valid JSON.", "MALFORMED_JSON") from error


def _params(raw: Mapping[str, Any], persisted: PersistedQueries | None = None) -> GraphQLParams:
    query = raw.get("query")
    extensions = raw.get("extensions")
    if isinstance(extensions, str) and extensions:
        extensions = _loads(extensions, "extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "`extensions` must be an object.", "BAD_REQUEST")
    wanted = (extensions or {}).get("persistedQuery")
    if isinstance(wanted, dict) and persisted is not None:
        query = _persisted(persisted, wanted, query)
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "A `query` string is required.", "BAD_REQUEST")
    variables = raw.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "`variables` must be an object.", "BAD_REQUEST")
    operation_name = raw.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "`operationName` must be a string.", "BAD_REQUEST")
    if operation_name == "":
        operation_name = None
    return GraphQLParams(query, variables or None, operation_name)


def _persisted(persisted: PersistedQueries, wanted: dict[str, Any], query: Any) -> str:
    """The registered document for ``sha256Hash``; a sent document must be that document."""
    key = wanted.get("sha256Hash")
    if wanted.get("version") != 1 or not isinstance(key, str):
        raise RequestError(400, "persistedQuery needs version 1 and a sha256Hash.", "BAD_REQUEST")
    if isinstance(query, str) and query.strip():
        if digest(query) != key:
            raise RequestError(
                400, "The document does not match its hash.", "PERSISTED_QUERY_HASH_MISMATCH"
            )
        return query
    known = persisted.lookup(key)
    if known is None:
        raise RequestError(400, "No persisted query has this hash.", "PERSISTED_QUERY_NOT_FOUND")
    return known
