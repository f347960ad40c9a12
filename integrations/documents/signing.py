"""PAdES signatures made with a card, in two steps (LN-2, LN-5, TI-4).

1. :func:`prepare` reserves the signature in the PDF, computes the CMS signed attributes (with the
   signer's certificate and the signing time) and returns what the card must sign: the SHA-256
   of those attributes.
2. The card agent signs that digest with slot 9C after the PIN.
3. :func:`complete` checks the signature against the certificate, builds the CMS container and
   writes it into the reserved space.

Between the steps the state is plain bytes (:class:`Prepared`), so it can be stored and the two
steps can run in different requests, on different replicas. A counter-signature (the bank's)
is the same two steps on the signed PDF: an incremental update, so both signatures validate.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from integrations.documents.errors import DocumentSignatureInvalid

DIGEST = "sha256"
RESERVED_BYTES = 16_384


@dataclass(frozen=True)
class Prepared:
    """Everything needed to finish the signature later, as bytes and numbers."""

    pdf: bytes  # the document with the reserved, still empty signature
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    signed_attributes: bytes  # DER of the CMS signed attributes
    field_name: str

    @property
    def digest_to_sign(self) -> bytes:
        return hashlib.sha256(self.signed_attributes).digest()


def _asn1_certificate(certificate_der: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate_der)


async def prepare(
    pdf: bytes,
    certificate_der: bytes,
    field_name: str,
    signing_time: datetime,
    reason: str | None = None,
) -> Prepared:
    certificate = _asn1_certificate(certificate_der)
    signer = signers.ExternalSigner(
        signing_cert=certificate,
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
        signature_value=256,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
    )
    pdf_signer = signers.PdfSigner(metadata, signer=signer)
    prepared_digest, _, output = await pdf_signer.async_digest_doc_for_signing(
        writer, bytes_reserved=RESERVED_BYTES
    )
    attributes = await signer.signed_attrs(
        prepared_digest.document_digest,
        DIGEST,
        attr_settings=PdfCMSSignedAttributes(signing_time=signing_time),
        use_pades=True,
    )
    output.seek(0)
    return Prepared(
        pdf=output.read(),
        document_digest=prepared_digest.document_digest,
        reserved_start=prepared_digest.reserved_region_start,
        reserved_end=prepared_digest.reserved_region_end,
        signed_attributes=attributes.dump(),
        field_name=field_name,
    )


def check_signature(prepared: Prepared, certificate_der: bytes, signature: bytes) -> None:
    key = x509.load_der_x509_certificate(certificate_der).public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise DocumentSignatureInvalid("not an EC key")
    try:
        key.verify(signature, prepared.digest_to_sign, ec.ECDSA(Prehashed(hashes.SHA256())))
    except InvalidSignature as error:
        raise DocumentSignatureInvalid(
            "the signature does not match the prepared document"
        ) from error


async def complete(prepared: Prepared, certificate_der: bytes, signature: bytes) -> bytes:
    """Embed the card's signature; the result is the signed PDF."""
    check_signature(prepared, certificate_der, signature)
    certificate = _asn1_certificate(certificate_der)
    signer = signers.ExternalSigner(
        signing_cert=certificate,
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
        signature_value=signature,
    )
    attributes = cms.CMSAttributes.load(prepared.signed_attributes)
    container = await signer.async_sign_prescribed_attributes(DIGEST, signed_attrs=attributes)
    output = io.BytesIO(prepared.pdf)
    await PdfTBSDocument.async_finish_signing(
        output,
        PreparedByteRangeDigest(
            prepared.document_digest, prepared.reserved_start, prepared.reserved_end
        ),
        container,
    )
    return output.getvalue()


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_common_name: str
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_document: bool
    # The signing certificate's serial number, upper-case hex (an insurer's e-seal certificate
    # is known by it, as a card by its number).
    signer_serial: str = ""


async def validate(pdf: bytes, trust_roots: list[bytes]) -> list[SignatureReport]:
    """Every signature of the PDF, checked by pyHanko against the given roots."""
    roots = [_asn1_certificate(r) for r in trust_roots]
    reader = PdfFileReader(io.BytesIO(pdf))
    reports = []
    for embedded in reader.embedded_signatures:
        status = await async_validate_pdf_signature(embedded, ValidationContext(trust_roots=roots))
        reports.append(
            SignatureReport(
                field_name=embedded.field_name,
                signer_common_name=status.signing_cert.subject.native.get("common_name", ""),
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                covers_whole_document=status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
                signer_serial=f"{status.signing_cert.serial_number:X}",
            )
        )
    return reports


async def sign_with_key(
    pdf: bytes,
    key: ec.EllipticCurvePrivateKey,
    certificate_der: bytes,
    field_name: str,
    signing_time: datetime,
    reason: str = "银行确认",
) -> bytes:
    """An institution's own signature (its key in software or an HSM, not a card): same two
    steps, done at once. Used for counter-signatures and insurers' e-policies."""
    prepared = await prepare(pdf, certificate_der, field_name, signing_time, reason=reason)
    signature = key.sign(prepared.digest_to_sign, ec.ECDSA(Prehashed(hashes.SHA256())))
    return await complete(prepared, certificate_der, signature)
