"""Signed documents (LN-2, LN-3, GW-3): an agreement PDF with the seal, signed by a virtual card
in two steps, valid in pyHanko's validator and in poppler's ``pdfsig``; a counter-signature
keeps both valid."""

from __future__ import annotations

import base64
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from integrations.card import (
    CardAgent,
    CardHolder,
    CertificateAuthority,
    VirtualBackend,
    VirtualCardStore,
)
from integrations.documents import (
    Document,
    DocumentSignatureInvalid,
    Party,
    complete,
    prepare,
    render,
    validate,
)
from integrations.seal_imaging import Colour, Kind, Shape, StandardSeal
from integrations.seal_imaging import render as render_seal
from tests.conftest import IN_CI

pytestmark = pytest.mark.req("LN-2", "LN-3", "GW-3")
PIN = "123456"


def agreement(seal: bytes | None) -> Document:
    return Document(
        title="三方协议",
        number="2026112300000001",
        date="2026-11-23",
        parties=(
            Party(
                "甲方",
                "辽宁港通进出口有限公司",
                ("统一社会信用代码：91210100MA0LN00954", "法定代表人：王建国"),
            ),
            Party("乙方", "中国银行"),
            Party("丙方", "中国电子口岸数据中心"),
        ),
        sections=(
            ("签约功能", ("用户绑定、汇入汇款、汇出汇款、融资申请",)),
            ("第一条", ("甲方授权丙方向乙方提供甲方的海关数据，用于乙方办理上述业务。" * 4,)),
        ),
        seal_png=seal,
    )


@pytest.fixture
def agent(tmp_path: Path) -> tuple[CardAgent, CertificateAuthority]:
    authority = CertificateAuthority.create()
    store = VirtualCardStore(tmp_path / "cards")
    for number, kind, name in (
        ("2100000501", "LEGAL_PERSON", "王建国"),
        ("2100000502", "LEGAL_PERSON", "中国银行签章"),
    ):
        store.issue(
            authority,
            CardHolder(
                number,
                kind,
                "91210100MA0LN00954",
                "企业",
                name,
                "RESIDENT_ID",
                "210102197003151234",
            ),
            PIN,
        )
    return CardAgent(VirtualBackend(store)), authority


async def sign(pdf: bytes, agent: CardAgent, card: str, field: str) -> bytes:
    certificate = base64.b64decode(agent.sign_digest(b"\0" * 32, PIN, card).certificate)
    prepared = await prepare(pdf, certificate, field, datetime.now(UTC), reason="三方协议签署")
    signed = agent.sign_digest(prepared.digest_to_sign, PIN, card)
    return await complete(prepared, certificate, base64.b64decode(signed.signature))


async def test_a_card_signed_agreement_validates_and_a_counter_signature_keeps_it_valid(
    agent: tuple[CardAgent, CertificateAuthority], tmp_path: Path
) -> None:
    cards, authority = agent
    seal = render_seal(
        StandardSeal("辽宁港通进出口有限公司", Kind.CONTRACT, Shape.ROUND, Colour.RED)
    )
    pdf = render(agreement(seal))
    assert pdf.startswith(b"%PDF")
    root = authority.certificate.public_bytes(Encoding.DER)
    signed = await sign(pdf, cards, "2100000501", "Enterprise")
    [report] = await validate(signed, [root])
    assert (report.intact, report.valid, report.trusted, report.covers_whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert report.signer_common_name == "王建国"
    both = await sign(signed, cards, "2100000502", "Bank")
    reports = await validate(both, [root])
    assert [r.field_name for r in reports] == ["Enterprise", "Bank"]
    assert all(r.intact and r.valid and r.trusted for r in reports)
    assert reports[1].covers_whole_document
    check_with_pdfsig(both, tmp_path)


def check_with_pdfsig(pdf: bytes, tmp_path: Path) -> None:
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        if IN_CI:
            pytest.fail("pdfsig (poppler-utils) is required; make test installs it")
        pytest.skip("pdfsig is not installed")
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    output = subprocess.run([pdfsig, str(path)], capture_output=True, text=True, timeout=60).stdout
    assert output.count("Signature Validation: Signature is Valid.") == 2, output
    assert "Total document signed" in output, output


async def test_a_signature_over_something_else_is_refused(
    agent: tuple[CardAgent, CertificateAuthority],
) -> None:
    cards, _ = agent
    pdf = render(agreement(None))
    certificate = base64.b64decode(cards.sign_digest(b"\0" * 32, PIN, "2100000501").certificate)
    prepared = await prepare(pdf, certificate, "Enterprise", datetime.now(UTC))
    wrong = cards.sign_digest(b"\1" * 32, PIN, "2100000501")
    with pytest.raises(DocumentSignatureInvalid):
        await complete(prepared, certificate, base64.b64decode(wrong.signature))
