"""Card trust: the development CA of the embedded mode, or the issuer's roots in production."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from gateway.settings import Settings
from integrations.card import CertificateAuthority, CertificateVerifier, VirtualCardStore


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
