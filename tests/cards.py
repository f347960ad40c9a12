"""Virtual cards for tests: issued by the gateway's development CA, used through the agent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from gateway.cards import development_ca
from gateway.settings import Settings
from integrations.card import (
    CardAgent,
    CardHolder,
    CertificateAuthority,
    VirtualBackend,
    VirtualCardStore,
)
from tests.support import Gateway

PIN = "123456"
CHALLENGE = "mutation($p: CardChallengePurpose!) { cardChallengeCreate(purpose: $p) { id nonce expiresAt } }"
CARD_LOGIN = """
mutation($input: CardSignatureInput!) {
  sessionCreateWithCard(input: $input) {
    token createdUsernames replacedCardNumber
    account { username kind name activated }
    card { cardNumber kind holderName }
    userErrors { code field message }
  }
}"""
BIND = """
mutation($input: CardSignatureInput!) {
  cardBind(input: $input) { card { id cardNumber } replacedCardNumber userErrors { code field } }
}"""
SESSION = "{ viewerSession { method cardKind businessPermissions } viewer { username name } }"
ACTIVATE = """
mutation($input: AccountActivateInput!) { accountActivate(input: $input) { account { activated } userErrors { code } } }"""


class Cards:
    """Virtual cards from the gateway's own development CA, used through the card agent."""

    def __init__(self, settings: Settings, directory: Path) -> None:
        self.authority = development_ca(settings)
        self.store = VirtualCardStore(directory)
        self.agent = CardAgent(VirtualBackend(self.store))

    def issue(
        self,
        number: str,
        kind: str,
        uscc: str,
        holder_id: str,
        holder_name: str = "王建国",
        enterprise: str = "测试进出口有限公司",
        authority: CertificateAuthority | None = None,
        not_before: datetime | None = None,
        valid_days: int = 365,
    ) -> str:
        holder = CardHolder(number, kind, uscc, enterprise, holder_name, "RESIDENT_ID", holder_id)
        self.store.issue(
            authority or self.authority, holder, PIN, valid_days=valid_days, not_before=not_before
        )
        return number

    def sign(self, number: str, nonce: str, pin: str = PIN) -> dict[str, str]:
        return self.agent.sign_login(nonce, pin, number).as_json()


async def challenge(
    gateway: Gateway, purpose: str = "LOGIN", token: str | None = None
) -> dict[str, str]:
    return (await gateway.gql(CHALLENGE, {"p": purpose}, token=token))["cardChallengeCreate"]  # type: ignore[no-any-return]


async def card_login(gateway: Gateway, cards: Cards, number: str, pin: str = PIN) -> dict[str, Any]:
    issued = await challenge(gateway)
    signed = cards.sign(number, issued["nonce"], pin)
    payload = await gateway.gql(CARD_LOGIN, {"input": {"challengeId": issued["id"], **signed}})
    return payload["sessionCreateWithCard"]  # type: ignore[no-any-return]
