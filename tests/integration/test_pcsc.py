"""The pyscard path of the card agent against a real pcscd with a virtual reader (vpcd).

pcscd runs with a private reader configuration (its own reader name and port); the virtual
PIV card attaches over the vpcd socket. The agent then lists, reads and signs through PC/SC
exactly as with a physical reader, and the gateway accepts the result (SW-7, LN-1).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gateway.cards import development_ca
from gateway.settings import Settings
from integrations.card import (
    CardAgent,
    CardBlocked,
    CardHolder,
    CertificateVerifier,
    PcscBackend,
    VirtualCardStore,
    WrongPin,
    login_digest,
)
from integrations.card.piv import VirtualPivCard
from integrations.card.vpcd import VpcdCard
from tests.cards import CARD_LOGIN, challenge
from tests.conftest import IN_CI
from tests.support import Gateway, resident_id, uscc_for

pytestmark = [pytest.mark.req("SW-7", "LN-1"), pytest.mark.slow]
READER = "Gateway Test PCD"
PORT = 0x8C7D
DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")


def _missing() -> str | None:
    if shutil.which("pcscd") is None and not Path("/usr/sbin/pcscd").exists():
        return "pcscd is not installed"
    if not DRIVER.exists():
        return "vsmartcard-vpcd is not installed"
    try:
        import smartcard  # noqa: F401
    except ImportError:
        return "pyscard is not installed (the `card` extra)"
    if os.geteuid() != 0:
        return "pcscd needs root here"
    return None


@pytest.fixture(scope="module")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    missing = _missing()
    if missing:
        if IN_CI:
            pytest.fail(f"{missing}: make test installs it", pytrace=False)
        pytest.skip(missing)
    config = tmp_path_factory.mktemp("pcscd") / "reader.conf.d"
    config.mkdir()
    (config / "vpcd").write_text(
        f'FRIENDLYNAME "{READER}"\nDEVICENAME /dev/null:{PORT:#x}\nLIBPATH {DRIVER}\nCHANNELID {PORT:#x}\n'
    )
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    process = subprocess.Popen(
        [binary, "--foreground", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        if process.poll() is not None:
            pytest.fail("pcscd did not start (is another pcscd running?)", pytrace=False)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def inserted_card(pcscd: None, settings: Settings, tmp_path: Path) -> Iterator[VirtualPivCard]:
    store = VirtualCardStore(tmp_path / "pcsc-cards")
    holder = CardHolder(
        "2100000201",
        "LEGAL_PERSON",
        uscc_for(201),
        "企业",
        "王建国",
        "RESIDENT_ID",
        resident_id(201),
    )
    store.issue(development_ca(settings), holder, "123456")
    card = VirtualPivCard(store.load("2100000201"))
    client = VpcdCard(card, port=PORT)
    client.insert()
    agent = CardAgent(PcscBackend(READER))
    deadline = time.monotonic() + 10
    while not agent.list_cards() and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        yield card
    finally:
        client.remove()


async def test_pyscard_agent_signs_a_login_the_gateway_accepts(
    inserted_card: VirtualPivCard, gateway: Gateway, settings: Settings
) -> None:
    agent = CardAgent(PcscBackend(READER))
    cards = agent.list_cards()
    assert [c.holder.card_number for c in cards] == ["2100000201"]
    assert cards[0].reader.startswith(READER)
    issued = await challenge(gateway)
    signed = agent.sign_login(issued["nonce"], "123456")
    payload = await gateway.gql(
        CARD_LOGIN, {"input": {"challengeId": issued["id"], **signed.as_json()}}
    )
    assert payload["sessionCreateWithCard"]["userErrors"] == []
    assert payload["sessionCreateWithCard"]["account"]["name"] == "王建国"


def test_pyscard_pin_counter_document_signature_and_blocking(
    inserted_card: VirtualPivCard, settings: Settings
) -> None:
    agent = CardAgent(PcscBackend(READER))
    verifier = CertificateVerifier([development_ca(settings).certificate])
    digest = hashlib.sha256(b"three-party agreement").digest()
    signed = agent.sign_digest(digest, "123456")
    identity = verifier.verify(base64.b64decode(signed.certificate), datetime.now(UTC))
    verifier.verify_signature(identity, digest, base64.b64decode(signed.signature))
    login = agent.sign_login("nonce", "123456")
    identity = verifier.verify(base64.b64decode(login.certificate), datetime.now(UTC))
    verifier.verify_signature(identity, login_digest("nonce"), base64.b64decode(login.signature))
    with pytest.raises(WrongPin) as first:
        agent.sign_login("nonce", "000000")
    assert first.value.tries_left == 2
    with pytest.raises(WrongPin):
        agent.sign_login("nonce", "000000")
    with pytest.raises(CardBlocked):
        agent.sign_login("nonce", "000000")
    with pytest.raises(CardBlocked):
        agent.sign_login("nonce", "123456")
    assert inserted_card.state.pin_tries_left == 0
