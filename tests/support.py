"""A consumer's view of the gateway for tests: GraphQL documents over HTTP, nothing else.

Captcha answers and SMS / email codes are read from the development view, as a newcomer in
GraphiQL would, so every flow is completed through the public API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import text
from sqlmodel import SQLModel
from starlette.applications import Starlette

import models  # noqa: F401  (registers every table on SQLModel.metadata)
from gateway.database import count_statements
from gateway.demo_data import make_resident_id, make_uscc
from resolvers.core.context import Services

# Tables a refused mutation may write on purpose (docs/architecture.md, "nothing half-written"):
# a guess uses up its captcha, a wrong code or card response is counted, every recovery attempt
# counts towards its throttle, and webhook receipts are the callbacks' idempotency keys.
NOT_BUSINESS_TABLES = {
    "captcha",
    "verification_code",
    "card_challenge",
    "recovery_attempt",
    "webhook_receipt",
}
# Every other table, derived from the models so that a new table is covered without anyone
# remembering to add it.
BUSINESS_TABLES = tuple(sorted(set(SQLModel.metadata.tables) - NOT_BUSINESS_TABLES))
PASSWORD = "Passw0rd!"

CAPTCHA = "mutation { captchaCreate { id } }"
OPEN_CAPTCHAS = "{ development { captchas { id answer } } }"
MESSAGES = "query($t: String) { development { messages(target: $t, first: 5) { text channel } } }"
SEND_CODE = """
mutation($input: VerificationCodeSendInput!) {
  verificationCodeSend(input: $input) { sent userErrors { code field message } }
}"""
REGISTER_ENTERPRISE = """
mutation($input: EnterpriseRegisterInput!) {
  enterpriseRegister(input: $input) {
    token
    account { id username kind ... on EnterpriseAdmin { enterprise { id uscc name kind } } }
    userErrors { code field message }
  }
}"""
LOGIN = """
mutation($input: SessionCreateInput!) {
  sessionCreate(input: $input) {
    token
    account { id username kind nextStep }
    userErrors { code field message }
  }
}"""


def uscc_for(index: int, division: str = "210100") -> str:
    return make_uscc(division, f"MA{index:06d}")


def resident_id(index: int, birth: str = "19850307", region: str = "210102") -> str:
    return make_resident_id(f"{region}{birth}{index % 1000:03d}")


def enterprise_input(index: int, **admin_changes: Any) -> dict[str, Any]:
    uscc = uscc_for(index)
    admin = {
        "username": f"admin{index:04d}",
        "password": PASSWORD,
        "passwordConfirmation": PASSWORD,
        "name": "李红",
        "idType": "RESIDENT_ID",
        "idNumber": resident_id(index),
        "idValidFrom": "20180101",
        "idValidTo": "00000000",
        "email": f"admin{index}@example.com",
        "mobile": f"138{index:08d}",
    }
    admin.update(admin_changes)
    return {
        "kind": "ENTERPRISE",
        "enterprise": {
            "uscc": uscc,
            "orgCode": uscc[8:17],
            "name": f"测试进出口有限公司{index}",
            "legalRepName": "王建国",
            "legalRepIdType": "RESIDENT_ID",
            "legalRepIdNumber": resident_id(index + 500, "19700315"),
            "legalRepIdValidFrom": "20150101",
            "legalRepIdValidTo": "00000000",
        },
        "admin": admin,
        "smsCode": "",
        "acceptTerms": True,
    }


class GraphQLFailure(AssertionError):
    pass


class Gateway:
    """In-process (an app) or remote (a base URL of a running server)."""

    def __init__(self, app: Starlette | None = None, base_url: str | None = None) -> None:
        self.app = app
        if app is not None:
            self.http = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 50000)),
                base_url="http://testserver",
            )
        else:
            self.http = httpx.AsyncClient(base_url=base_url or "", timeout=30)

    async def __aenter__(self) -> Gateway:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.http.aclose()

    @property
    def services(self) -> Services:
        assert self.app is not None, "only an in-process gateway exposes its services"
        return self.app.state.services  # type: ignore[no-any-return]

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        locale: str | None = None,
        accept: str = "application/graphql-response+json",
    ) -> httpx.Response:
        headers = {"accept": accept}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if locale:
            headers["accept-language"] = locale
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        locale: str | None = None,
    ) -> dict[str, Any]:
        """Data of a request that must succeed without top-level errors."""
        response = await self.post(query, variables, token, locale)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise GraphQLFailure(f"{response.status_code}: {body}")
        return body["data"]  # type: ignore[no-any-return]

    async def gql_errors(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        locale: str | None = None,
    ) -> list[dict[str, Any]]:
        response = await self.post(query, variables, token, locale)
        body = response.json()
        assert body.get("errors"), body
        return body["errors"]  # type: ignore[no-any-return]

    async def captcha(self) -> dict[str, str]:
        created = (await self.gql(CAPTCHA))["captchaCreate"]["id"]
        captchas = (await self.gql(OPEN_CAPTCHAS))["development"]["captchas"]
        answer = next(c["answer"] for c in captchas if c["id"] == created)
        return {"id": created, "answer": answer}

    async def last_code(self, target: str) -> str:
        messages = (await self.gql(MESSAGES, {"t": target}))["development"]["messages"]
        assert messages, f"no message was sent to {target}"
        match = re.search(r"\d{6}", messages[0]["text"])
        assert match is not None
        return match.group(0)

    async def send_code(
        self,
        purpose: str,
        target: str | None = None,
        channel: str = "SMS",
        token: str | None = None,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"channel": channel, "purpose": purpose, "target": target}
        if purpose in ("REGISTRATION", "ACCOUNT_RECOVERY", "BANK_CARD"):
            payload["captcha"] = await self.captcha()
        data = await self.gql(SEND_CODE, {"input": payload}, token=token)
        return data["verificationCodeSend"]  # type: ignore[no-any-return]

    async def code_for(
        self, purpose: str, target: str, channel: str = "SMS", token: str | None = None
    ) -> str:
        sent = await self.send_code(purpose, target, channel, token)
        assert sent["sent"], sent
        return await self.last_code(target)

    async def register_enterprise(self, index: int, **admin_changes: Any) -> dict[str, Any]:
        """Register an enterprise admin through the API; returns the payload (with token)."""
        data = enterprise_input(index, **admin_changes)
        data["smsCode"] = await self.code_for("REGISTRATION", data["admin"]["mobile"])
        payload = (await self.gql(REGISTER_ENTERPRISE, {"input": data}))["enterpriseRegister"]
        assert payload["userErrors"] == [], payload
        return payload  # type: ignore[no-any-return]

    async def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        variables = {
            "input": {"username": username, "password": password, "captcha": await self.captcha()}
        }
        return (await self.gql(LOGIN, variables))["sessionCreate"]  # type: ignore[no-any-return]

    async def token_for(self, username: str, password: str = PASSWORD) -> str:
        payload = await self.login(username, password)
        assert payload["token"], payload
        return str(payload["token"])

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the business tables, to prove a failed mutation wrote nothing."""
        rows: dict[str, list[tuple[Any, ...]]] = {}
        async with self.services.sessionmaker() as db:
            for table in BUSINESS_TABLES:
                result = await db.exec(text(f"SELECT * FROM {table} ORDER BY 1"))  # type: ignore[call-overload]
                rows[table] = [tuple(r) for r in result.all()]
        return rows

    @contextmanager
    def statements(self) -> Iterator[list[int]]:
        with count_statements() as box:
            yield box


async def upload(
    gateway: Gateway,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, bytes, str]],
    token: str | None = None,
    preflight: bool = True,
) -> httpx.Response:
    """A GraphQL multipart request: ``files`` maps a variable path (e.g. "scan") to a file."""
    import json

    mapping = {str(i): [f"variables.{path}"] for i, path in enumerate(files)}
    parts: dict[str, Any] = {
        str(i): (name, content, content_type)
        for i, (name, content, content_type) in enumerate(files.values())
    }
    data = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps(mapping),
    }
    headers = {"accept": "application/graphql-response+json"}
    if preflight:
        headers["graphql-preflight"] = "1"
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await gateway.http.post("/graphql", data=data, files=parts, headers=headers)
