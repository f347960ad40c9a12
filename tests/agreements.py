"""Agreement signing for tests: a legal-person card session with an enabled seal, and helpers."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from models import Institution, InstitutionKind
from tests.cards import PIN, Cards, card_login
from tests.support import Gateway, resident_id, uscc_for

PREPARE = """
mutation($input: AgreementSignPrepareInput!) {
  agreementSignPrepare(input: $input) { signingSessionId digestToSign previewDataUrl userErrors { code field message } }
}"""
COMPLETE = """
mutation($input: AgreementSignCompleteInput!) {
  agreementSignComplete(input: $input) { agreement { id number status functions } userErrors { code field } }
}"""
AGREEMENTS = """
query($filter: AgreementFilter) { agreements(filter: $filter, first: 20) { totalCount nodes {
  id number status functions bankReason submittedAt decidedAt viewerCanTerminate
  bank { code name } history { status reason } document { sha256 dataUrl }
} } }"""
TERMINATE = """
mutation($id: ID!, $confirm: Boolean!) { agreementTerminate(id: $id, confirm: $confirm) { agreement { status } userErrors { code field } } }"""
CARD = "2100000601"


@dataclass
class Signer:
    token: str
    seal_id: str
    banks: dict[str, str]


async def add_banks(gateway: Gateway) -> dict[str, str]:
    async with gateway.services.sessionmaker() as db:
        for code, name in (("BOC", "中国银行"), ("ICBC", "中国工商银行")):
            db.add(Institution(code=code, name=name, kind=InstitutionKind.BANK))
        await db.commit()
    nodes = (await gateway.gql("{ institutions(kind: BANK) { nodes { id code } } }"))[
        "institutions"
    ]["nodes"]
    return {n["code"]: n["id"] for n in nodes}


async def make_signer(gateway: Gateway, cards: Cards) -> Signer:
    """A registered enterprise, its legal-person card session, an ENABLED seal, two banks."""
    await gateway.register_enterprise(1)
    cards.issue(CARD, "LEGAL_PERSON", uscc_for(1), resident_id(501, "19700315"))
    token = (await card_login(gateway, cards, CARD))["token"]
    holders = (
        await gateway.gql("{ sealHolders { account { id } certificateValidFrom } }", token=token)
    )["sealHolders"]
    start = holders[0]["certificateValidFrom"]
    create = """mutation($h: ID!, $f: Date!, $t: Date!) { sealCreateStandard(
        input: {holderId: $h, name: "公司章", type: COMPANY, validFrom: $f, validTo: $t}
        standard: {unitText: "测试进出口有限公司1"}) { seal { id } userErrors { code } } }"""
    end = f"{int(start[:4])}-12-31" if start[5:] < "12-31" else f"{int(start[:4]) + 1}-06-30"
    seal = await gateway.gql(
        create, {"h": holders[0]["account"]["id"], "f": start, "t": end}, token=token
    )
    seal_id = seal["sealCreateStandard"]["seal"]["id"]
    await gateway.gql(
        "mutation($id: ID!) { sealEnable(id: $id) { userErrors { code } } }",
        {"id": seal_id},
        token=token,
    )
    return Signer(token, seal_id, await add_banks(gateway))


async def prepare(
    gateway: Gateway,
    cards: Cards,
    signer: Signer,
    functions: list[str],
    bank: str = "BOC",
    **changes: Any,
) -> dict[str, Any]:
    data = {
        "bankId": signer.banks[bank],
        "functions": functions,
        "sealId": signer.seal_id,
        "certificate": cards.agent.signing_certificate(CARD),
        "acceptTerms": True,
        **changes,
    }
    return (await gateway.gql(PREPARE, {"input": data}, token=signer.token))["agreementSignPrepare"]  # type: ignore[no-any-return]


async def sign(
    gateway: Gateway, cards: Cards, signer: Signer, functions: list[str], bank: str = "BOC"
) -> dict[str, Any]:
    prepared = await prepare(gateway, cards, signer, functions, bank)
    assert prepared["userErrors"] == [], prepared
    signature_b64 = cards.agent.sign_digest(
        bytes.fromhex(prepared["digestToSign"]), PIN, CARD
    ).signature
    payload = {"signingSessionId": prepared["signingSessionId"], "signature": signature_b64}
    return (await gateway.gql(COMPLETE, {"input": payload}, token=signer.token))[
        "agreementSignComplete"
    ]  # type: ignore[no-any-return]


async def wait_for(
    gateway: Gateway, token: str, number: str, status: str, timeout: float = 10
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        nodes = (await gateway.gql(AGREEMENTS, token=token))["agreements"]["nodes"]
        found = next(n for n in nodes if n["number"] == number)
        if found["status"] == status or time.monotonic() > deadline:
            assert found["status"] == status, found
            return found  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
