"""The real server the fuzz test attacks: a gateway subprocess with the demo data, the accounts
it logs in as, the objects it seeds, and the server errors it finds.

Accounts (``IDENTITIES``), each with its own session token:

- ``anonymous``: no token;
- ``enterprise_admin``: lngtadmin, password + image captcha (``sessionCreate``);
- ``legal_person_card``: the demo legal person's virtual card 2101000001 (``cardChallengeCreate``,
  the card agent signs the nonce, ``sessionCreateWithCard``): every business permission;
- ``operator``: lngtop01, password + captcha, granted every business permission by the legal
  person (``operatorPermissionsSet``);
- ``operator_card_new_enterprise``: a virtual OPERATOR card of an enterprise the gateway does not
  know (the card login creates the enterprise, its admin and the operator);
- ``individual``: zhangwei01; ``overseas``: globaltrade01; ``ministry``: mofcomuser01;
  ``enterprise_user``: xqrdemo (Hunan) - password + captcha;
- ``bank_portal``: bocportal01 and ``insurer_portal``: paicportal01 (institution users),
  ``reviewer``: reviewer01 (platform reviewer) - password + captcha;
- ``government_admin``: xcgovadmin, password + SMS code (``sessionCreateWithSmsCode``, the code
  read from the development view as a newcomer in GraphiQL would).

Captchas are created from addresses of their own in 127.0.0.0/8 (the server limits captchas per
client address); the fuzzed requests come from 127.0.0.3.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from gateway.cards import development_ca, virtual_cards
from gateway.demo_data import (
    DEMO_BANK_CARDS,
    DEMO_PASSWORD,
    DEMO_PIN,
    ENTERPRISES,
    GOVERNMENT_ADMIN,
    HUNAN_COMPANY,
    INDIVIDUAL,
    WHITELIST,
    make_resident_id,
    make_uscc,
)
from gateway.settings import Settings
from integrations.card import CardAgent, CardHolder, VirtualBackend
from resolvers.insurance.customs import OFFICES
from tests.integration.servers import ROOT, Server

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
FUZZ_ADDRESS = "127.0.0.3"
SETUP_ADDRESS = "127.0.0.2"
LEGAL_CARD = "2101000001"
NEW_OPERATOR_CARD = "2109990001"
NEW_ENTERPRISE_USCC = make_uscc("210100", "MA0FW014")
# Passwords the fuzzer may set (see enrich.NAMED): tried in turn when an account logs in again.
PASSWORDS = (DEMO_PASSWORD, "Passw0rd!", "Fuzz@2026abc")
RESIDENT_IDS = (
    *(
        make_resident_id(first17)
        for demo in ENTERPRISES
        for first17 in (
            demo.legal_rep_id17,
            demo.admin_id17,
            *(o.id_first17 for o in demo.operators),
        )
    ),
    make_resident_id(INDIVIDUAL[1]),
)
USCCS = (
    *(make_uscc(e.region, e.org_body) for e in ENTERPRISES),
    HUNAN_COMPANY,
    *(w[0] for w in WHITELIST),
    NEW_ENTERPRISE_USCC,
)
MOBILES = (
    *(e.admin_mobile for e in ENTERPRISES),
    *(o.mobile for e in ENTERPRISES for o in e.operators),
    INDIVIDUAL[4],
    GOVERNMENT_ADMIN[2],
    "13700000088",
    "13912345678",
    "13600000001",
)

CAPTCHA = "mutation { captchaCreate { id } }"
OPEN_CAPTCHAS = "{ development { captchas { id answer } } }"
LOGIN = """mutation($input: SessionCreateInput!) { sessionCreate(input: $input) {
  token userErrors { code field } } }"""
SEND_CODE = """mutation($input: VerificationCodeSendInput!) {
  verificationCodeSend(input: $input) { sent userErrors { code field } } }"""
MESSAGES = "query($t: String) { development { messages(target: $t, first: 5) { text } } }"
LOGIN_WITH_CODE = """mutation($input: SessionCreateWithSmsCodeInput!) {
  sessionCreateWithSmsCode(input: $input) { token userErrors { code field } } }"""
CARD_CHALLENGE = "mutation { cardChallengeCreate { id nonce } }"
CARD_LOGIN = """mutation($input: CardSignatureInput!) { sessionCreateWithCard(input: $input) {
  token createdUsernames userErrors { code field } } }"""
VIEWER = "{ viewer { id username kind } }"


EXCEPTION_NAME = re.compile(
    r"^[A-Za-z_][\w.]*(Error|Exception|Greenlet|Operation|Errors|Implemented\w*)$"
)
PROJECT_DIRS = tuple(
    str(ROOT / d) + os.sep for d in ("gateway", "resolvers", "schema", "models", "integrations")
)


class SetupFailure(RuntimeError):
    pass


@dataclass
class Identity:
    name: str
    login: Callable[[], str | None]
    token: str | None = None
    account_id: str | None = None
    broken: str | None = None


@dataclass
class ServerError:
    """One request that made the server fail."""

    operation: str
    identity: str
    status: int
    query: str
    variables: dict[str, Any]
    files: dict[str, str]
    errors: list[Any]
    exception: str
    request_id: str

    @property
    def summary(self) -> str:
        """The exception line of the server's traceback, or what the response said."""
        lines = [line.strip() for line in self.exception.strip().splitlines() if line.strip()]
        for line in reversed(lines):
            name = line.split(":", 1)[0]
            if EXCEPTION_NAME.match(name) and (line == name or line[len(name)] == ":"):
                return line
        return lines[-1] if lines else f"HTTP {self.status}"

    @property
    def key(self) -> tuple[str, str, str]:
        """Deduplication: the operation, the exception type, and the innermost project frame."""
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', self.exception)
        ours = [f for f in frames if f[0].startswith(PROJECT_DIRS)]
        where = ""
        if ours:
            path, _, function = ours[-1]
            where = f"{Path(path).relative_to(ROOT)}:{function}"
        exception_type = self.summary.split(":", 1)[0]
        return (self.operation, exception_type, where)

    def describe(self) -> str:
        files = f"\nfiles: {self.files}" if self.files else ""
        variables = json.dumps(self.variables, ensure_ascii=False)[:2000]
        return (
            f"server error in {self.operation} as {self.identity} (HTTP {self.status}, "
            f"request {self.request_id}): {self.summary}\n"
            f"query: {self.query[:4000]}\nvariables: {variables}{files}\n"
            f"errors: {json.dumps(self.errors, ensure_ascii=False)[:1000]}\n"
            f"server traceback:\n{self.exception[-6000:]}"
        )


@dataclass
class Pools:
    """Real objects of the server, by type, for ID arguments; and other values worth trying."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    certificate: str = ""
    seal_dates: tuple[str, str] = ("", "")

    def add(self, global_id: str | None) -> None:
        if not global_id:
            return
        try:
            type_name = base64.b64decode(global_id).decode().split(":", 1)[0]
        except ValueError:
            return
        bucket = self.ids.setdefault(type_name, [])
        if global_id not in bucket:
            bucket.append(global_id)

    def all_ids(self) -> list[str]:
        return sorted(i for bucket in self.ids.values() for i in bucket)


def server_env(data_dir: Path) -> dict[str, str]:
    return {
        "GATEWAY_SECRET_KEY": TEST_SECRET,
        "GATEWAY_PASSWORD_TIME_COST": "1",
        "GATEWAY_PASSWORD_MEMORY_KIB": "1024",
        "GATEWAY_DATA_DIR": str(data_dir),
        "GATEWAY_LOG_LEVEL": "WARNING",
        # Logging in again by SMS code must not wait a minute for the next code.
        "GATEWAY_CODE_RESEND_SECONDS": "0",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }


PREPARE_DATABASE = """
import asyncio
from gateway.database import upgrade_database
from gateway.demo_data import load_demo_data
from gateway.settings import load_settings
settings = load_settings()
upgrade_database(settings)
print(asyncio.run(load_demo_data(settings)))
"""


class Target:
    """The server, a client per purpose, the identities and the pools."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        env = server_env(data_dir)
        subprocess.run(
            [sys.executable, "-c", PREPARE_DATABASE],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
            timeout=180,
        )
        self.server = Server(env, data_dir / "server.log")
        self.server.wait_ready(60)
        self.url = self.server.url + "/graphql"
        self.fuzz = self._client(FUZZ_ADDRESS)
        self.setup = self._client(SETUP_ADDRESS)
        self._captcha_addresses = itertools.count()
        settings = Settings(data_dir=data_dir)
        self.cards = virtual_cards(settings)
        self.agent = CardAgent(VirtualBackend(self.cards))
        self._issue_new_enterprise_card(settings)
        self.pools = Pools()
        self.errors: list[ServerError] = []
        self.requests = 0
        self._ids = itertools.count(1)
        self.identities = self._identities()

    def _client(self, address: str) -> httpx.Client:
        return httpx.Client(
            transport=httpx.HTTPTransport(local_address=address),
            timeout=httpx.Timeout(60),
            headers={"accept": "application/graphql-response+json"},
        )

    def close(self) -> None:
        for client in (self.fuzz, self.setup):
            client.close()
        self.server.stop()

    # -- plain calls for the setup ------------------------------------------------------------

    def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        client: httpx.Client | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        response = self._post(client or self.setup, query, variables or {}, token, files, "setup")
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise SetupFailure(f"{query[:200]}: {response.status_code} {body}")
        return body["data"]  # type: ignore[no-any-return]

    def _post(
        self,
        client: httpx.Client,
        query: str,
        variables: dict[str, Any],
        token: str | None,
        files: dict[str, tuple[str, bytes, str]] | None,
        request_id: str,
    ) -> httpx.Response:
        headers = {"x-request-id": request_id}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if not files:
            return client.post(
                self.url, json={"query": query, "variables": variables}, headers=headers
            )
        mapping = {str(i): [f"variables.{path}"] for i, path in enumerate(files)}
        parts = {str(i): part for i, part in enumerate(files.values())}
        data = {
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps(mapping),
        }
        headers["graphql-preflight"] = "1"
        return client.post(self.url, data=data, files=parts, headers=headers)

    def captcha_client(self) -> httpx.Client:
        """A client of its own address: the server allows 60 captchas (and 30 codes) an hour
        per client address, and long runs need thousands."""
        n = next(self._captcha_addresses) % 60_000
        return self._client(f"127.0.{10 + n // 250}.{1 + n % 250}")

    def captcha(self) -> dict[str, str]:
        """A fresh captcha and its answer (development view)."""
        with self.captcha_client() as client:
            created = self.gql(CAPTCHA, client=client)["captchaCreate"]["id"]
        answers = self.gql(OPEN_CAPTCHAS)["development"]["captchas"]
        return {"id": created, "answer": next(c["answer"] for c in answers if c["id"] == created)}

    # -- logging in ---------------------------------------------------------------------------

    def password_login(self, username: str) -> Callable[[], str | None]:
        def login() -> str | None:
            for password in PASSWORDS:
                variables = {
                    "input": {"username": username, "password": password, "captcha": self.captcha()}
                }
                payload = self.gql(LOGIN, variables)["sessionCreate"]
                if payload["token"]:
                    return str(payload["token"])
                if any(e["code"] == "ACCOUNT_LOCKED" for e in payload["userErrors"]):
                    return None
            return None

        return login

    def sms_login(self, username: str, mobile: str) -> Callable[[], str | None]:
        """Password + SMS code; password + captcha when no code can be had (five an hour)."""
        by_password = self.password_login(username)

        def login() -> str | None:
            return by_code() or by_password()

        def by_code() -> str | None:
            # A code is used up by a wrong password too: one code per password tried.
            for password in PASSWORDS:
                request = {
                    "channel": "SMS",
                    "purpose": "LOGIN",
                    "target": username,
                    "captcha": self.captcha(),
                }
                with self.captcha_client() as client:
                    sent = self.gql(SEND_CODE, {"input": request}, client=client)
                if not sent["verificationCodeSend"]["sent"]:
                    return None
                messages = self.gql(MESSAGES, {"t": mobile})["development"]["messages"]
                code = re.search(r"\d{6}", messages[0]["text"]) if messages else None
                if code is None:
                    return None
                variables = {
                    "input": {"login": username, "password": password, "smsCode": code.group(0)}
                }
                token = self.gql(LOGIN_WITH_CODE, variables)["sessionCreateWithSmsCode"]["token"]
                if token:
                    return str(token)
            return None

        return login

    def card_login(self, number: str) -> Callable[[], str | None]:
        def login() -> str | None:
            challenge = self.gql(CARD_CHALLENGE)["cardChallengeCreate"]
            signed = self.agent.sign_login(challenge["nonce"], DEMO_PIN, number).as_json()
            payload = self.gql(CARD_LOGIN, {"input": {"challengeId": challenge["id"], **signed}})
            token = payload["sessionCreateWithCard"]["token"]
            return str(token) if token else None

        return login

    def _issue_new_enterprise_card(self, settings: Settings) -> None:
        if NEW_OPERATOR_CARD in self.cards.card_numbers():
            return
        holder = CardHolder(
            NEW_OPERATOR_CARD,
            "OPERATOR",
            NEW_ENTERPRISE_USCC,
            "沈阳模糊测试贸易有限公司",
            "钱多多",
            "RESIDENT_ID",
            make_resident_id("21010219910101123"),
        )
        self.cards.issue(development_ca(settings), holder, DEMO_PIN)

    def _identities(self) -> dict[str, Identity]:
        government, _, government_mobile, _ = GOVERNMENT_ADMIN
        logins: dict[str, Callable[[], str | None]] = {
            "anonymous": lambda: None,
            "enterprise_admin": self.password_login("lngtadmin"),
            "legal_person_card": self.card_login(LEGAL_CARD),
            "operator": self.password_login("lngtop01"),
            "operator_card_new_enterprise": self.card_login(NEW_OPERATOR_CARD),
            "individual": self.password_login("zhangwei01"),
            "overseas": self.password_login("globaltrade01"),
            "ministry": self.password_login("mofcomuser01"),
            "enterprise_user": self.password_login("xqrdemo"),
            "bank_portal": self.password_login("bocportal01"),
            "insurer_portal": self.password_login("paicportal01"),
            "reviewer": self.password_login("reviewer01"),
            "government_admin": self.sms_login(government, government_mobile),
        }
        identities = {}
        for name, login in logins.items():
            identity = Identity(name, login)
            if name != "anonymous":
                identity.token = login()
                if identity.token is None:
                    raise SetupFailure(f"{name} could not log in")
                viewer = self.gql(VIEWER, token=identity.token)["viewer"]
                identity.account_id = viewer["id"]
            identities[name] = identity
        return identities

    def token_of(self, name: str) -> str | None:
        return self.identities[name].token

    def refresh(self, name: str) -> None:
        """After a request that may have ended the session: log in again if it did."""
        identity = self.identities[name]
        if identity.token is None or identity.broken:
            return
        viewer = self._post(self.setup, VIEWER, {}, identity.token, None, "refresh").json()
        if (viewer.get("data") or {}).get("viewer"):
            return
        token = identity.login()
        if token is None:
            identity.broken = "could not log in again (password changed or account locked)"
        identity.token = token

    # -- the fuzzed requests ------------------------------------------------------------------

    def send(
        self,
        operation: str,
        identity: str,
        query: str,
        variables: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]],
    ) -> ServerError | None:
        """One fuzzed request; a ServerError when the server failed on it."""
        self.requests += 1
        request_id = f"fuzz-{next(self._ids):08d}"
        token = self.token_of(identity)
        try:
            response = self._post(self.fuzz, query, variables, token, files, request_id)
        except httpx.TransportError as error:
            return self._error(
                operation, identity, 0, query, variables, files, [], request_id, repr(error)
            )
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        errors = (body.get("errors") or []) if isinstance(body, dict) else []
        internal = [
            e
            for e in errors
            if isinstance(e, dict)
            and (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
        ]
        if status < 500 and not internal:
            return None
        return self._error(operation, identity, status, query, variables, files, errors, request_id)

    def _error(
        self,
        operation: str,
        identity: str,
        status: int,
        query: str,
        variables: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]],
        errors: list[Any],
        request_id: str,
        transport: str = "",
    ) -> ServerError:
        error = ServerError(
            operation=operation,
            identity=identity,
            status=status,
            query=query,
            variables=variables,
            files={
                path: f"{name} ({kind}, {len(content)} bytes)"
                for path, (name, content, kind) in files.items()
            },
            errors=errors,
            exception=transport or self.traceback(request_id),
            request_id=request_id,
        )
        self.errors.append(error)
        return error

    def traceback(self, request_id: str, wait: float = 2.0) -> str:
        """The exception the server logged for a request (its JSON log lines carry the ID)."""
        deadline = time.monotonic() + wait
        while True:
            found = []
            for line in self.server.log.read_text(errors="replace").splitlines():
                if request_id not in line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("requestId") == request_id and entry.get("level") in (
                    "ERROR",
                    "CRITICAL",
                ):
                    found.append(entry.get("exception") or entry.get("message", ""))
            if found or time.monotonic() > deadline:
                return "\n".join(found) or "(no traceback in the server log)"
            time.sleep(0.1)


def seal_dates(holder_valid_from: str) -> tuple[str, str]:
    start = date.fromisoformat(holder_valid_from)
    return start.isoformat(), (start + timedelta(days=300)).isoformat()


def valid_strings() -> tuple[str, ...]:
    """Values that pass one validator or another of the schema's forms."""
    return (
        *USCCS,
        *(u[8:17] for u in USCCS),
        *RESIDENT_IDS,
        *MOBILES,
        *DEMO_BANK_CARDS.values(),
        *PASSWORDS,
        "20180101",
        "00000000",
        "20380101",
        "RESIDENT_ID",
        "admin@example.com",
        "210100",
        "411000",
        "430100",
        "DEU",
        "123456",
        "000000",
        "2101961001",
        *list(OFFICES)[:5],
        LEGAL_CARD,
        "辽宁港通进出口有限公司",
        "王建国",
    )


SEAL_CREATE = """mutation($h: ID!, $n: String!, $f: Date!, $t: Date!) { sealCreateStandard(
  input: {holderId: $h, name: $n, type: COMPANY, validFrom: $f, validTo: $t},
  standard: {unitText: "辽宁港通进出口有限公司"}) { seal { id } userErrors { code field } } }"""
SEAL_ENABLE = "mutation($id: ID!) { sealEnable(id: $id) { userErrors { code } } }"
SEAL_DISABLE = "mutation($id: ID!) { sealDisable(id: $id) { userErrors { code } } }"
PREPARE = """mutation($input: AgreementSignPrepareInput!) { agreementSignPrepare(input: $input) {
  signingSessionId digestToSign userErrors { code field } } }"""
COMPLETE = """mutation($input: AgreementSignCompleteInput!) { agreementSignComplete(input: $input) {
  agreement { id } userErrors { code field } } }"""
OPERATORS = """{ viewer { ... on EnterpriseAdmin { enterprise { id operators(first: 50) {
  nodes { id username } } } } ... on Operator { enterprise { id } } } }"""
OPERATOR_CREATE = """mutation($input: OperatorCreateInput!) { operatorCreate(input: $input) {
  operator { id } userErrors { code field } } }"""
PERMISSIONS = """mutation($id: ID!) { operatorPermissionsSet(id: $id, permissions:
  [INTERNATIONAL_SETTLEMENT, FINANCING, ACCOUNT_OPENING, TARIFF_INSURANCE]) { userErrors { code } } }"""
APPLY_QUOTA = """mutation($input: TariffQuotaInput!) { tariffQuotaApply(input: $input) {
  quota { id } userErrors { code field } } }"""
SIGNATURE = """mutation($input: SignatureInput!, $scan: Upload!) { signatureCreate(input: $input, scan: $scan) {
  signature { id } userErrors { code } } }"""
# What each identity can list; the IDs go to the pools (queries an identity may not make fail
# with a client error and are skipped).
HARVEST = {
    "anonymous": [
        "{ institutions(first: 100) { nodes { id } } }",
        "{ marketplaceProducts(first: 100) { nodes { id } } }",
    ],
    "legal_person_card": [
        "{ seals(first: 100) { nodes { id } } }",
        "{ signatures(first: 100) { nodes { id } } }",
        "{ agreements(first: 100) { nodes { id } } }",
        "{ viewerCards { id } }",
        "{ sealHolders { account { id } } }",
        "{ loanOrders(first: 100) { nodes { id } } }",
        "{ creditAuthorisations(first: 100) { nodes { id } } }",
        "{ tariffQuotas(first: 100) { nodes { id } } }",
        "{ tariffPolicies(first: 100) { nodes { id } } }",
        "{ insuranceClaims(first: 100) { nodes { id } } }",
    ],
    "operator_card_new_enterprise": ["{ viewerCards { id } }"],
    "insurer_portal": ["{ insuranceClaims(first: 100) { nodes { id } } }"],
    "reviewer": [
        "{ manualReviews(first: 100) { nodes { id } } }",
        "{ certificationReviews(first: 100) { nodes { id } } }",
    ],
    "government_admin": ["{ governedInstitutions(first: 100) { nodes { id } } }"],
    "bank_portal": ["{ institutionProducts(first: 100) { nodes { id } } }"],
}


def _global_ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [
            i
            for key, item in value.items()
            for i in ([item] if key == "id" and isinstance(item, str) else _global_ids(item))
        ]
    if isinstance(value, list):
        return [i for item in value for i in _global_ids(item)]
    return []


def seed(target: Target) -> None:
    """Objects for the fuzzer to find: the operator's permissions, two extra operators, an
    ENABLED seal, a seal that signed an agreement and was then DISABLED, a signature; then the
    IDs of everything the identities can list."""
    from tests.scans import signature_scan

    legal = target.token_of("legal_person_card")
    admin = target.token_of("enterprise_admin")
    operators = target.gql(OPERATORS, token=admin)["viewer"]["enterprise"]["operators"]["nodes"]
    operator_id = next(o["id"] for o in operators if o["username"] == "lngtop01")
    assert not target.gql(PERMISSIONS, {"id": operator_id}, token=legal)["operatorPermissionsSet"][
        "userErrors"
    ]
    for index in (1, 2):
        created = target.gql(
            OPERATOR_CREATE,
            {
                "input": {
                    "username": f"fuzzop{index:02d}",
                    "name": f"模糊{index}",
                    "mobile": f"1371400000{index}",
                    "idType": "RESIDENT_ID",
                    "idNumber": make_resident_id(f"2101021990010114{index}"),
                    "idValidFrom": "20200101",
                    "idValidTo": "00000000",
                }
            },
            token=admin,
        )["operatorCreate"]
        target.pools.add((created["operator"] or {}).get("id"))
    holders = target.gql(
        "{ sealHolders { account { id username } certificateValidFrom } }", token=legal
    )
    holder = next(h for h in holders["sealHolders"] if h["account"]["username"] == "lngtadmin")
    start, end = seal_dates(holder["certificateValidFrom"])
    target.pools.seal_dates = (start, end)
    seal_ids = []
    for name in ("公章", "合同章"):
        variables = {"h": holder["account"]["id"], "n": name, "f": start, "t": end}
        created = target.gql(SEAL_CREATE, variables, token=legal)["sealCreateStandard"]
        assert created["seal"], created
        seal_ids.append(created["seal"]["id"])
        target.gql(SEAL_ENABLE, {"id": seal_ids[-1]}, token=legal)
    target.pools.certificate = target.agent.signing_certificate(LEGAL_CARD)
    banks = target.gql("{ institutions(kind: BANK, first: 50) { nodes { id code } } }")
    boc = next(b["id"] for b in banks["institutions"]["nodes"] if b["code"] == "BOC")
    prepared = target.gql(
        PREPARE,
        {
            "input": {
                "bankId": boc,
                "functions": ["USER_BINDING"],
                "sealId": seal_ids[1],
                "certificate": target.pools.certificate,
                "acceptTerms": True,
            }
        },
        token=legal,
    )["agreementSignPrepare"]
    assert not prepared["userErrors"], prepared
    signature = target.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), DEMO_PIN, LEGAL_CARD
    )
    completed = target.gql(
        COMPLETE,
        {
            "input": {
                "signingSessionId": prepared["signingSessionId"],
                "signature": signature.signature,
            }
        },
        token=legal,
    )["agreementSignComplete"]
    assert not completed["userErrors"], completed
    target.gql(SEAL_DISABLE, {"id": seal_ids[1]}, token=legal)
    created_signature = target.gql(
        SIGNATURE,
        {"input": {"declarantId": operator_id, "name": "申报员签名"}, "scan": None},
        token=legal,
        files={"scan": ("signature.jpg", signature_scan(300).jpeg, "image/jpeg")},
    )["signatureCreate"]
    assert created_signature["signature"], created_signature
    target.pools.add(created_signature["signature"]["id"])
    insurance(target, legal, seal_ids[0])
    harvest(target)


def insurance(target: Target, legal: str | None, seal_id: str) -> None:
    """A credit-check authorisation with PAIC and a tariff quota (so that the quota's and the
    policies' mutations get past "not found"); best effort within a few seconds."""
    from tests.insurance import AUTHORISE, AUTHORISE_COMPLETE, quota_form

    insurers = target.gql("{ institutions(kind: INSURER, first: 50) { nodes { id code } } }")
    paic = next(i["id"] for i in insurers["institutions"]["nodes"] if i["code"] == "PAIC")
    data = {"insurerId": paic, "sealId": seal_id, "certificate": target.pools.certificate}
    prepared = target.gql(AUTHORISE, {"input": data}, token=legal)["creditAuthorisationSignPrepare"]
    assert not prepared["userErrors"], prepared
    signature = target.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), DEMO_PIN, LEGAL_CARD
    )
    payload = {"signingSessionId": prepared["signingSessionId"], "signature": signature.signature}
    target.gql(AUTHORISE_COMPLETE, {"input": payload}, token=legal)
    if not _wait(
        target,
        legal,
        "{ creditAuthorisations(first: 5) { nodes { status } } }",
        "creditAuthorisations",
        "SUCCEEDED",
    ):
        return
    applied = target.gql(APPLY_QUOTA, {"input": quota_form(paic)}, token=legal)["tariffQuotaApply"]
    assert not applied["userErrors"], applied
    _wait(
        target, legal, "{ tariffQuotas(first: 5) { nodes { status } } }", "tariffQuotas", "APPROVED"
    )


def _wait(
    target: Target, token: str | None, query: str, field: str, status: str, timeout: float = 8
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        nodes = target.gql(query, token=token)[field]["nodes"]
        if nodes and nodes[0]["status"] == status:
            return True
        time.sleep(0.1)
    return False


def harvest(target: Target) -> None:
    own = {i.account_id for i in target.identities.values()}
    for name, queries in HARVEST.items():
        token = target.token_of(name)
        for query in queries:
            response = target._post(target.setup, query, {}, token, None, "harvest").json()
            for global_id in _global_ids(response.get("data") or {}):
                # The identities' own accounts stay out: deleting or disabling one of them
                # would end the fuzzing as that kind of account.
                if global_id not in own:
                    target.pools.add(global_id)
