"""Card trust: the development CA of the embedded mode, or the issuer's roots in production."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from gateway.settings import Settings
from integrations import documents
from integrations.card import CertificateAuthority, CertificateVerifier, VirtualCardStore
from integrations.card.certificates import issue_institution_certificate
from integrations.institutions import InstitutionSigner


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


def simulated_institution_signers(settings: Settings) -> Callable[[str], InstitutionSigner]:
    """Embedded mode: each simulated bank or insurer signs with its own key, certified by the
    dev CA."""
    authority = development_ca(settings)

    def for_institution(code: str) -> InstitutionSigner:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = issue_institution_certificate(authority, f"{code} 电子签章", key.public_key())

        async def sign(pdf: bytes, field: str, reason: str) -> bytes:
            return await documents.sign_with_key(
                pdf, key, certificate, field, datetime.now(UTC), reason
            )

        return sign

    return for_institution
