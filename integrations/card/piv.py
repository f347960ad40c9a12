"""The PIV subset (NIST SP 800-73-4) the card agent speaks, and a card implementing it in software.

Commands: SELECT, VERIFY (PIN, with retry counter and blocking; P1=FF resets the security
status), GET DATA (certificates of slots 9A and 9C, chained with GET RESPONSE past 256 bytes),
GENERAL AUTHENTICATE with ECC P-256 (slot 9A after one VERIFY per session; slot 9C "PIN
always": a VERIFY must come right before each signature).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

PIV_AID = bytes.fromhex("A000000308000010000100")
SELECT_AID = PIV_AID[:9]
SLOT_AUTHENTICATION = 0x9A
SLOT_SIGNATURE = 0x9C
ALGORITHM_P256 = 0x11
OBJECT_TAGS = {
    SLOT_AUTHENTICATION: bytes.fromhex("5FC105"),
    SLOT_SIGNATURE: bytes.fromhex("5FC10A"),
}

OK = b"\x90\x00"
SECURITY_NOT_SATISFIED = b"\x69\x82"
BLOCKED = b"\x69\x83"
CONDITIONS_NOT_SATISFIED = b"\x69\x85"
WRONG_DATA = b"\x6a\x80"
NOT_FOUND = b"\x6a\x82"
WRONG_P1P2 = b"\x6a\x86"
WRONG_LENGTH = b"\x67\x00"
INS_NOT_SUPPORTED = b"\x6d\x00"
CLA_NOT_SUPPORTED = b"\x6e\x00"


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length <= 0xFF:
        return bytes([0x81, length])
    return bytes([0x82, length >> 8, length & 0xFF])


def tlv(tag: bytes, value: bytes) -> bytes:
    return tag + encode_length(len(value)) + value


def parse_tlv(data: bytes) -> dict[bytes, bytes]:
    """One level of BER-TLV with 1-3 byte tags (as PIV uses them)."""
    items: dict[bytes, bytes] = {}
    index = 0
    while index < len(data):
        start = index
        index += 1
        if data[start] & 0x1F == 0x1F:
            while data[index] & 0x80:
                index += 1
            index += 1
        tag = data[start:index]
        length = data[index]
        index += 1
        if length & 0x80:
            size = length & 0x7F
            length = int.from_bytes(data[index : index + size], "big")
            index += size
        items[tag] = data[index : index + length]
        index += length
    return items


def pad_pin(pin: str) -> bytes:
    raw = pin.encode("ascii")
    if not 6 <= len(raw) <= 8 or not pin.isdigit():
        raise ValueError("a PIN is 6 to 8 digits")
    return raw + b"\xff" * (8 - len(raw))


@dataclass
class CardState:
    """What a card holds. The private keys never leave it."""

    pin: str
    keys: dict[int, ec.EllipticCurvePrivateKey]
    certificates: dict[int, bytes]
    pin_tries_left: int = 3
    pin_max_tries: int = 3
    extras: dict[str, str] = field(default_factory=dict)


class VirtualPivCard:
    """A card in software that answers APDUs exactly as the agent expects a real one to."""

    def __init__(self, state: CardState) -> None:
        self.state = state
        self.power_cycle()

    def power_cycle(self) -> None:
        self._selected = False
        self._pin_verified = False
        self._pin_always_ready = False
        self._pending = b""

    def transmit(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return WRONG_LENGTH
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        data = b""
        if len(apdu) > 5:
            data = apdu[5 : 5 + apdu[4]]
        if cla not in (0x00, 0x10):
            return CLA_NOT_SUPPORTED
        if ins == 0xA4:
            return self._select(p1, data)
        if ins == 0xC0:
            return self._get_response(apdu[4] if len(apdu) == 5 else 0)
        if not self._selected:
            return CONDITIONS_NOT_SATISFIED
        if ins == 0x20:
            return self._verify(p1, p2, data)
        if ins == 0xCB:
            return self._get_data(p1, p2, data)
        if ins == 0x87:
            return self._general_authenticate(p1, p2, data)
        return INS_NOT_SUPPORTED

    def _select(self, p1: int, aid: bytes) -> bytes:
        if p1 != 0x04 or not PIV_AID.startswith(aid) or len(aid) < 5:
            return NOT_FOUND
        self._selected = True
        template = tlv(b"\x4f", PIV_AID[5:]) + tlv(b"\x79", tlv(b"\x4f", PIV_AID[:5]))
        return tlv(b"\x61", template) + OK

    def _verify(self, p1: int, p2: int, data: bytes) -> bytes:
        if p2 != 0x80:
            return WRONG_P1P2
        if p1 == 0xFF:
            self._pin_verified = self._pin_always_ready = False
            return OK
        if self.state.pin_tries_left == 0:
            return BLOCKED
        if not data:
            return OK if self._pin_verified else bytes([0x63, 0xC0 | self.state.pin_tries_left])
        if len(data) != 8:
            return WRONG_LENGTH
        if data != pad_pin(self.state.pin):
            self.state.pin_tries_left -= 1
            self._pin_verified = self._pin_always_ready = False
            if self.state.pin_tries_left == 0:
                return BLOCKED
            return bytes([0x63, 0xC0 | self.state.pin_tries_left])
        self.state.pin_tries_left = self.state.pin_max_tries
        self._pin_verified = self._pin_always_ready = True
        return OK

    def _get_data(self, p1: int, p2: int, data: bytes) -> bytes:
        if (p1, p2) != (0x3F, 0xFF):
            return WRONG_P1P2
        requested = parse_tlv(data).get(b"\x5c")
        slot = next((s for s, tag in OBJECT_TAGS.items() if tag == requested), None)
        if slot is None or slot not in self.state.certificates:
            return NOT_FOUND
        body = (
            tlv(b"\x70", self.state.certificates[slot]) + tlv(b"\x71", b"\x00") + tlv(b"\xfe", b"")
        )
        return self._chunked(tlv(b"\x53", body))

    def _chunked(self, response: bytes) -> bytes:
        head, self._pending = response[:256], response[256:]
        if self._pending:
            return head + bytes([0x61, min(len(self._pending), 0xFF) & 0xFF])
        return head + OK

    def _get_response(self, _expected: int) -> bytes:
        if not self._pending:
            return CONDITIONS_NOT_SATISFIED
        return self._chunked(self._pending)

    def _general_authenticate(self, algorithm: int, slot: int, data: bytes) -> bytes:
        if algorithm != ALGORITHM_P256 or slot not in self.state.keys:
            return WRONG_P1P2
        if self.state.pin_tries_left == 0:
            return BLOCKED
        ready = self._pin_always_ready if slot == SLOT_SIGNATURE else self._pin_verified
        if not ready:
            return SECURITY_NOT_SATISFIED
        template = parse_tlv(data).get(b"\x7c")
        if template is None:
            return WRONG_DATA
        fields = parse_tlv(template)
        challenge = fields.get(b"\x81")
        if challenge is None or len(challenge) != 32 or b"\x82" not in fields:
            return WRONG_DATA
        signature = self.state.keys[slot].sign(challenge, ec.ECDSA(Prehashed(hashes.SHA256())))
        if slot == SLOT_SIGNATURE:
            self._pin_always_ready = False
        return self._chunked(tlv(b"\x7c", tlv(b"\x82", signature)))


def select_apdu() -> bytes:
    return bytes([0x00, 0xA4, 0x04, 0x00, len(SELECT_AID)]) + SELECT_AID + b"\x00"


def verify_apdu(pin: str | None) -> bytes:
    if pin is None:
        return bytes([0x00, 0x20, 0x00, 0x80])
    return bytes([0x00, 0x20, 0x00, 0x80, 0x08]) + pad_pin(pin)


def get_certificate_apdu(slot: int) -> bytes:
    tag_list = tlv(b"\x5c", OBJECT_TAGS[slot])
    return bytes([0x00, 0xCB, 0x3F, 0xFF, len(tag_list)]) + tag_list + b"\x00"


def get_response_apdu(length: int) -> bytes:
    return bytes([0x00, 0xC0, 0x00, 0x00, length])


def sign_apdu(slot: int, digest: bytes) -> bytes:
    template = tlv(b"\x7c", tlv(b"\x82", b"") + tlv(b"\x81", digest))
    return bytes([0x00, 0x87, ALGORITHM_P256, slot, len(template)]) + template + b"\x00"
