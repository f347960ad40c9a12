"""Card trust: the development CA of the embedded mode, or the issuer's roots in production."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.settings import Settings
from integrations import documents
from integrations.banks.simulator import CounterSigner
from integrations.card import CertificateAuthority, CertificateVerifier, VirtualCardStore
from integrations.card.certificates import issue_institution_certificate


def development_ca(settings: Settings) -> CertificateAuthority:
    return CertificateAuthority.load_or_create(settings.data_dir / "ca")


def virtual_cards(settings: Settings) -> VirtualCardStore:
    return VirtualCardStore(settings.data_dir / "cards")


def card_verifier(settings: Settings) -> CertificateVerifier:
    if settings.card_trust_roots:
        roots = x509.load_pem_x509_certificates(Path(settings.card_trust_roots).read_bytes())
    else:
        roots = [development_ca(settings).certificate]
    crl = None
    if settings.card_crl:
        data = Path(settings.card_crl).read_bytes()
        crl = (
            x509.load_pem_x509_crl(data)
            if data.lstrip().startswith(b"-----BEGIN")
            else x509.load_der_x509_crl(data)
        )
    return CertificateVerifier(roots, crl)


def simulated_bank_signers(settings: Settings) -> Callable[[str], CounterSigner]:
    """Embedded mode: each simulated bank signs with its own key, certified by the dev CA."""
    authority = development_ca(settings)

    def for_bank(code: str) -> CounterSigner:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = issue_institution_certificate(authority, f"{code} 电子签章", key.public_key())

        async def counter_sign(pdf: bytes) -> bytes:
            return await documents.sign_with_key(pdf, key, certificate, "Bank", datetime.now(UTC))

        return counter_sign

    return for_bank
