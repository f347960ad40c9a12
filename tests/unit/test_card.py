"""The card layer on its own: certificate checks (chain, validity, key usage, revocation) and
the PIV card's APDU rules (SW-7, LN-1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from integrations.card import (
    CardHolder,
    CertificateAuthority,
    CertificateRejected,
    CertificateVerifier,
    piv,
)
from integrations.card.agent import PivSession
from integrations.card.errors import CardCommunicationError
from integrations.card.piv import CardState, VirtualPivCard

pytestmark = pytest.mark.req("SW-7", "LN-1")
HOLDER = CardHolder(
    "2100000401",
    "LEGAL_PERSON",
    "91210100MA0LN00954",
    "企业",
    "王建国",
    "RESIDENT_ID",
    "210102197003151234",
)
NOW = datetime.now(UTC)


def issue(
    authority: CertificateAuthority, usage: x509.KeyUsage | None = None
) -> tuple[bytes, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    der = authority.issue(
        HOLDER, key.public_key(), NOW - timedelta(days=1), NOW + timedelta(days=30), usage
    )
    return der, key


def test_revoked_certificates_are_refused_when_a_crl_is_configured() -> None:
    authority = CertificateAuthority.create()
    der, _ = issue(authority)
    certificate = x509.load_der_x509_certificate(der)
    assert CertificateVerifier([authority.certificate]).verify(der, NOW).holder == HOLDER
    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(certificate.serial_number)
        .revocation_date(NOW)
        .build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(NOW)
        .next_update(NOW + timedelta(days=1))
        .add_revoked_certificate(revoked)
        .sign(authority.key, hashes.SHA256())
    )
    with pytest.raises(CertificateRejected) as rejected:
        CertificateVerifier([authority.certificate], crl).verify(der, NOW)
    assert rejected.value.reason == "REVOKED"


def test_key_usage_validity_and_trust() -> None:
    authority = CertificateAuthority.create()
    encipher_only = x509.KeyUsage(False, False, True, False, False, False, False, False, False)
    der, _ = issue(authority, encipher_only)
    verifier = CertificateVerifier([authority.certificate])
    with pytest.raises(CertificateRejected) as usage:
        verifier.verify(der, NOW)
    assert usage.value.reason == "KEY_USAGE"
    good, _ = issue(authority)
    for when, reason in (
        (NOW + timedelta(days=60), "EXPIRED"),
        (NOW - timedelta(days=5), "NOT_YET_VALID"),
    ):
        with pytest.raises(CertificateRejected) as timing:
            verifier.verify(good, when)
        assert timing.value.reason == reason
    with pytest.raises(CertificateRejected) as foreign:
        CertificateVerifier([CertificateAuthority.create().certificate]).verify(good, NOW)
    assert foreign.value.reason == "UNTRUSTED"
    with pytest.raises(CertificateRejected) as garbage:
        verifier.verify(b"not a certificate", NOW)
    assert garbage.value.reason == "MALFORMED"


def test_signing_slot_needs_a_verify_right_before_each_signature() -> None:
    authority = CertificateAuthority.create()
    keys = {
        slot: ec.generate_private_key(ec.SECP256R1())
        for slot in (piv.SLOT_AUTHENTICATION, piv.SLOT_SIGNATURE)
    }
    certificates = {
        slot: authority.issue(
            HOLDER, k.public_key(), NOW - timedelta(days=1), NOW + timedelta(days=9)
        )
        for slot, k in keys.items()
    }
    card = VirtualPivCard(CardState(pin="123456", keys=keys, certificates=certificates))
    session = PivSession(card.transmit)
    # Nothing works before SELECT.
    assert card.transmit(piv.verify_apdu("123456")) == piv.CONDITIONS_NOT_SATISFIED
    session.select()
    session.verify("123456")
    digest = b"\x01" * 32
    session.sign(piv.SLOT_SIGNATURE, digest)
    with pytest.raises(CardCommunicationError) as second:
        session.sign(piv.SLOT_SIGNATURE, digest)
    assert second.value.status == 0x6982
    # The login slot keeps its PIN state for the session.
    session.sign(piv.SLOT_AUTHENTICATION, digest)
    session.sign(piv.SLOT_AUTHENTICATION, digest)
    # A certificate of more than 256 bytes arrives in pieces (61xx + GET RESPONSE).
    assert session.certificate(piv.SLOT_SIGNATURE) == certificates[piv.SLOT_SIGNATURE]
    card.power_cycle()
    session.select()
    with pytest.raises(CardCommunicationError):
        session.sign(piv.SLOT_AUTHENTICATION, digest)
