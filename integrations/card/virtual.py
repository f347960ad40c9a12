"""Virtual cards on disk: one JSON file per card (keys, certificates, PIN and its counter).

The embedded mode and the tests use them in place of real cards; the PIN counter persists, so a
card blocked by wrong PINs stays blocked across runs, as a real one would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from integrations.card.certificates import CardHolder, CertificateAuthority
from integrations.card.errors import CardNotPresent
from integrations.card.piv import SLOT_AUTHENTICATION, SLOT_SIGNATURE, CardState, VirtualPivCard


class VirtualCardStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, card_number: str) -> Path:
        return self.directory / f"{card_number}.json"

    def card_numbers(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json"))

    def issue(
        self,
        authority: CertificateAuthority,
        holder: CardHolder,
        pin: str,
        valid_days: int = 3 * 365,
        not_before: datetime | None = None,
    ) -> Path:
        """Make a card: two P-256 keys (9A login, 9C signing) with certificates from the CA."""
        start = not_before or datetime.now(UTC) - timedelta(days=1)
        keys = {
            slot: ec.generate_private_key(ec.SECP256R1())
            for slot in (SLOT_AUTHENTICATION, SLOT_SIGNATURE)
        }
        certificates = {
            slot: authority.issue(
                holder, key.public_key(), start, start + timedelta(days=valid_days)
            )
            for slot, key in keys.items()
        }
        state = CardState(pin=pin, keys=keys, certificates=certificates)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._write(holder.card_number, state)
        return self.path(holder.card_number)

    def load(self, card_number: str) -> CardState:
        path = self.path(card_number)
        if not path.exists():
            raise CardNotPresent(card_number)
        raw = json.loads(path.read_text(encoding="utf-8"))
        keys = {}
        for slot, pem in raw["keys"].items():
            key = serialization.load_pem_private_key(pem.encode(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            keys[int(slot, 16)] = key
        return CardState(
            pin=raw["pin"],
            keys=keys,
            certificates={int(s, 16): bytes.fromhex(c) for s, c in raw["certificates"].items()},
            pin_tries_left=raw["pinTriesLeft"],
            pin_max_tries=raw["pinMaxTries"],
        )

    @contextmanager
    def opened(self, card_number: str) -> Iterator[VirtualPivCard]:
        """The card, powered on; its state (the PIN counter) is saved when done."""
        card = VirtualPivCard(self.load(card_number))
        try:
            yield card
        finally:
            self._write(card_number, card.state)

    def _write(self, card_number: str, state: CardState) -> None:
        raw = {
            "pin": state.pin,
            "pinTriesLeft": state.pin_tries_left,
            "pinMaxTries": state.pin_max_tries,
            "keys": {
                f"{slot:02X}": key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode()
                for slot, key in state.keys.items()
            },
            "certificates": {f"{slot:02X}": der.hex() for slot, der in state.certificates.items()},
        }
        path = self.path(card_number)
        path.write_text(json.dumps(raw), encoding="utf-8")
        path.chmod(0o600)
