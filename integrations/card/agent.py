"""The card agent (客户端控件): lists the cards in the readers and signs after PIN entry.

It talks PIV to any reader backend: the virtual cards of the embedded mode, or real readers
through PC/SC with pyscard (the optional ``card`` extra). The PIN goes to the card only.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

from integrations.card import piv
from integrations.card.certificates import CardHolder, load_certificate, login_digest, read_holder
from integrations.card.errors import CardBlocked, CardCommunicationError, CardNotPresent, WrongPin
from integrations.card.virtual import VirtualCardStore

Transmit = Callable[[bytes], bytes]


class ReaderBackend(Protocol):
    def reader_names(self) -> list[str]: ...

    def connect(self, reader: str) -> AbstractContextManager[Transmit]: ...


class VirtualBackend:
    """Each virtual card file appears as a reader holding that card."""

    PREFIX = "Virtual card "

    def __init__(self, store: VirtualCardStore) -> None:
        self.store = store

    def reader_names(self) -> list[str]:
        return [self.PREFIX + number for number in self.store.card_numbers()]

    @contextmanager
    def connect(self, reader: str) -> Iterator[Transmit]:
        with self.store.opened(reader.removeprefix(self.PREFIX)) as card:
            yield card.transmit


class PcscBackend:
    """Real readers (or a virtual reader such as vpcd) through pcscd, with pyscard."""

    def __init__(self, reader_filter: str = "") -> None:
        self.reader_filter = reader_filter

    def reader_names(self) -> list[str]:
        from smartcard.System import readers

        return [str(r) for r in readers() if self.reader_filter in str(r)]

    @contextmanager
    def connect(self, reader: str) -> Iterator[Transmit]:
        from smartcard.Exceptions import CardConnectionException, NoCardException
        from smartcard.System import readers

        match = next((r for r in readers() if str(r) == reader), None)
        if match is None:
            raise CardNotPresent(reader)
        connection = match.createConnection()
        try:
            connection.connect()
        except (NoCardException, CardConnectionException) as error:
            raise CardNotPresent(reader) from error

        def transmit(apdu: bytes) -> bytes:
            data, sw1, sw2 = connection.transmit(list(apdu))
            return bytes(data) + bytes([sw1, sw2])

        try:
            yield transmit
        finally:
            # Release the PC/SC context now: left to the garbage collector, pyscard's __del__
            # raises if pcscd has gone by then.
            try:
                connection.disconnect()
                connection.release()
            except CardConnectionException:
                pass


class PivSession:
    """PIV commands over one connection, following GET RESPONSE chains."""

    def __init__(self, transmit: Transmit) -> None:
        self._transmit = transmit

    def command(self, apdu: bytes) -> bytes:
        response = self._transmit(apdu)
        data, status = response[:-2], int.from_bytes(response[-2:], "big")
        while status >> 8 == 0x61:
            more = self._transmit(piv.get_response_apdu(status & 0xFF))
            data, status = data + more[:-2], int.from_bytes(more[-2:], "big")
        if status == 0x6983:
            raise CardBlocked()
        if status >> 4 == 0x63C:
            raise WrongPin(status & 0x0F)
        if status != 0x9000:
            raise CardCommunicationError(status)
        return data

    def select(self) -> None:
        self.command(piv.select_apdu())

    def verify(self, pin: str) -> None:
        self.command(piv.verify_apdu(pin))

    def certificate(self, slot: int) -> bytes:
        data = self.command(piv.get_certificate_apdu(slot))
        return piv.parse_tlv(piv.parse_tlv(data)[b"\x53"])[b"\x70"]

    def sign(self, slot: int, digest: bytes) -> bytes:
        data = self.command(piv.sign_apdu(slot, digest))
        return piv.parse_tlv(piv.parse_tlv(data)[b"\x7c"])[b"\x82"]


@dataclass(frozen=True, slots=True)
class CardInfo:
    reader: str
    holder: CardHolder
    not_after: str


@dataclass(frozen=True, slots=True)
class Signed:
    """What the agent hands back to paste into the API: both base64."""

    certificate: str
    signature: str

    def as_json(self) -> dict[str, str]:
        return {"certificate": self.certificate, "signature": self.signature}


class CardAgent:
    def __init__(self, backend: ReaderBackend) -> None:
        self.backend = backend

    def list_cards(self) -> list[CardInfo]:
        cards = []
        for reader in self.backend.reader_names():
            try:
                with self.backend.connect(reader) as transmit:
                    session = PivSession(transmit)
                    session.select()
                    certificate = load_certificate(session.certificate(piv.SLOT_AUTHENTICATION))
            except CardNotPresent:
                continue
            cards.append(
                CardInfo(
                    reader,
                    read_holder(certificate),
                    certificate.not_valid_after_utc.date().isoformat(),
                )
            )
        return cards

    def signing_certificate(self, card_number: str | None = None) -> str:
        """The certificate of slot 9C (no PIN needed), base64 DER: step one of document signing."""
        with self.backend.connect(self._reader_for(card_number)) as transmit:
            session = PivSession(transmit)
            session.select()
            return base64.b64encode(session.certificate(piv.SLOT_SIGNATURE)).decode()

    def sign_login(self, nonce: str, pin: str, card_number: str | None = None) -> Signed:
        """Slot 9A: the login challenge-response."""
        return self._sign(piv.SLOT_AUTHENTICATION, login_digest(nonce), pin, card_number)

    def sign_digest(self, digest: bytes, pin: str, card_number: str | None = None) -> Signed:
        """Slot 9C ("PIN always"): a document digest, VERIFY immediately before."""
        if len(digest) != 32:
            raise ValueError("a SHA-256 digest is 32 bytes")
        return self._sign(piv.SLOT_SIGNATURE, digest, pin, card_number)

    def _sign(self, slot: int, digest: bytes, pin: str, card_number: str | None) -> Signed:
        reader = self._reader_for(card_number)
        with self.backend.connect(reader) as transmit:
            session = PivSession(transmit)
            session.select()
            certificate = session.certificate(slot)
            session.verify(pin)
            signature = session.sign(slot, digest)
        return Signed(base64.b64encode(certificate).decode(), base64.b64encode(signature).decode())

    def _reader_for(self, card_number: str | None) -> str:
        cards = self.list_cards()
        if card_number is not None:
            cards = [c for c in cards if c.holder.card_number == card_number]
        if not cards:
            raise CardNotPresent(card_number or "no card in any reader")
        return cards[0].reader
