"""Card certificates: who a card says it is, the CA that vouches for it, and checking both.

A card certificate names the card and its holder in the subject:

- ``UID`` (0.9.2342.19200300.100.1.1): the card number
- ``OU``: the card kind, ``LEGAL_PERSON`` or ``OPERATOR``
- ``O`` and ``organizationIdentifier`` (2.5.4.97): the enterprise's name and USCC
- ``CN`` and ``serialNumber`` (2.5.4.5): the holder's name and ``<ID type>:<ID number>``

The embedded mode runs a development CA under the data directory; production is configured
with the issuer's trust roots (and a revocation list, if the issuer publishes one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import NameOID

from integrations.card.errors import CertificateRejected, SignatureInvalid

LOGIN_CONTEXT = b"trade-finance-gateway/card-login\x00"


def login_digest(nonce: str) -> bytes:
    """What a card signs to log in: SHA-256 over a fixed context and the gateway's nonce.

    The context keeps a login signature from ever being valid as a document signature."""
    return hashlib.sha256(LOGIN_CONTEXT + nonce.encode()).digest()


@dataclass(frozen=True, slots=True)
class CardHolder:
    card_number: str
    kind: str
    uscc: str
    enterprise_name: str
    holder_name: str
    holder_id_type: str
    holder_id_number: str


@dataclass(frozen=True, slots=True)
class CardIdentity:
    holder: CardHolder
    not_before: datetime
    not_after: datetime
    fingerprint: str
    certificate: x509.Certificate

    @property
    def card_number(self) -> str:
        return self.holder.card_number


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    if not values:
        raise CertificateRejected("MALFORMED")
    return str(values[0].value)


def read_holder(certificate: x509.Certificate) -> CardHolder:
    subject = certificate.subject
    id_type, _, id_number = _attribute(subject, NameOID.SERIAL_NUMBER).partition(":")
    # serialNumber is a PrintableString, which has no "_": RESIDENT_ID travels as RESIDENT-ID.
    id_type = id_type.replace("-", "_")
    kind = _attribute(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)
    if kind not in ("LEGAL_PERSON", "OPERATOR") or not id_number:
        raise CertificateRejected("MALFORMED")
    return CardHolder(
        card_number=_attribute(subject, NameOID.USER_ID),
        kind=kind,
        uscc=_attribute(subject, NameOID.ORGANIZATION_IDENTIFIER),
        enterprise_name=_attribute(subject, NameOID.ORGANIZATION_NAME),
        holder_name=_attribute(subject, NameOID.COMMON_NAME),
        holder_id_type=id_type,
        holder_id_number=id_number,
    )


def load_certificate(data: bytes) -> x509.Certificate:
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as error:
        raise CertificateRejected("MALFORMED") from error


class CertificateVerifier:
    """Checks a card certificate against the trust roots: chain, validity, key usage, CRL."""

    def __init__(
        self, roots: list[x509.Certificate], crl: x509.CertificateRevocationList | None = None
    ) -> None:
        self.roots = roots
        self.crl = crl

    def verify(self, data: bytes, now: datetime) -> CardIdentity:
        certificate = load_certificate(data)
        issuer = next((r for r in self.roots if r.subject == certificate.issuer), None)
        if issuer is None:
            raise CertificateRejected("UNTRUSTED")
        try:
            certificate.verify_directly_issued_by(issuer)
        except (InvalidSignature, ValueError, TypeError) as error:
            raise CertificateRejected("UNTRUSTED") from error
        if now < certificate.not_valid_before_utc:
            raise CertificateRejected("NOT_YET_VALID")
        if now > certificate.not_valid_after_utc:
            raise CertificateRejected("EXPIRED")
        try:
            usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound as error:
            raise CertificateRejected("KEY_USAGE") from error
        if not usage.digital_signature:
            raise CertificateRejected("KEY_USAGE")
        if not isinstance(certificate.public_key(), ec.EllipticCurvePublicKey):
            raise CertificateRejected("KEY_USAGE")
        if self.crl is not None and self.crl.get_revoked_certificate_by_serial_number(
            certificate.serial_number
        ):
            raise CertificateRejected("REVOKED")
        return CardIdentity(
            holder=read_holder(certificate),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
            certificate=certificate,
        )

    @staticmethod
    def verify_signature(identity: CardIdentity, digest: bytes, signature: bytes) -> None:
        key = identity.certificate.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey)
        try:
            key.verify(signature, digest, ec.ECDSA(Prehashed(hashes.SHA256())))
        except (InvalidSignature, ValueError) as error:
            raise SignatureInvalid() from error


class CertificateAuthority:
    """The development CA of the embedded mode (never used in production)."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate) -> None:
        self.key = key
        self.certificate = certificate

    @classmethod
    def create(
        cls, name: str = "Trade-finance gateway development card CA"
    ) -> CertificateAuthority:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, certificate)

    @classmethod
    def load_or_create(cls, directory: Path) -> CertificateAuthority:
        key_path, cert_path = directory / "ca.key", directory / "ca.pem"
        if key_path.exists() and cert_path.exists():
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            return cls(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))
        authority = cls.create()
        directory.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(
            authority.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_path.chmod(0o600)
        cert_path.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
        return authority

    def issue(
        self,
        holder: CardHolder,
        public_key: ec.EllipticCurvePublicKey,
        not_before: datetime,
        not_after: datetime,
        key_usage: x509.KeyUsage | None = None,
    ) -> bytes:
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.USER_ID, holder.card_number),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, holder.kind),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, holder.enterprise_name),
                x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, holder.uscc),
                x509.NameAttribute(NameOID.COMMON_NAME, holder.holder_name),
                x509.NameAttribute(
                    NameOID.SERIAL_NUMBER,
                    f"{holder.holder_id_type.replace('_', '-')}:{holder.holder_id_number}",
                ),
            ]
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(key_usage or _key_usage(ca=False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.DER)


def issue_institution_certificate(
    authority: CertificateAuthority,
    name: str,
    public_key: ec.EllipticCurvePublicKey,
    days: int = 365,
) -> bytes:
    """A signing certificate for an institution's own key (a bank's counter-signature)."""
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(authority.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(_key_usage(ca=False), critical=True)
        .sign(authority.key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def _key_usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
