"""The rules of recovery and real-name checks as properties (SW-9, SW-10, SW-18): the admin's
"two of four", bank-card numbers, masking, upload checks, and the simulators' verdicts."""

from __future__ import annotations

import io
import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from integrations.identity import BankCard, Outcome, Person, SimulatedIdentityVerifier
from integrations.registry import SimulatedRegistry
from models import UploadKind
from resolvers.core.errors import CommonErrorCode, Problems
from resolvers.core.identifiers import (
    IdentifierError,
    luhn_valid,
    validate_bank_card,
)
from resolvers.core.uploads import MAX_BYTES, UploadedFile, check_file
from resolvers.recovery.manual_reviews import offered_after
from resolvers.recovery.tickets import (
    ADMIN_FACTORS,
    RecoveryFactor,
    admin_checks_needed,
    admin_factors_satisfied,
    mask_email,
    mask_mobile,
    mask_name,
)

pytestmark = pytest.mark.req("SW-9", "SW-10", "SW-18")
OTHER_FACTORS = [f for f in RecoveryFactor if f not in ADMIN_FACTORS]


@given(st.sets(st.sampled_from(list(RecoveryFactor))))
def test_sw9_two_of_the_four_admin_checks_and_nothing_else_counts(
    factors: set[RecoveryFactor],
) -> None:
    counted = {f for f in factors if f in ADMIN_FACTORS}
    assert admin_factors_satisfied({f.value for f in factors}) == (len(counted) >= 2)


def test_sw9_a_bound_mobile_counts_as_exactly_one_of_the_four() -> None:
    others = [RecoveryFactor.LEGAL_REP, RecoveryFactor.ADMIN, RecoveryFactor.OPERATOR_MOBILES]
    for other in others:
        assert admin_factors_satisfied({RecoveryFactor.BOUND_MOBILE, other})
    assert not admin_factors_satisfied({RecoveryFactor.BOUND_MOBILE})
    for pair in itertools.combinations(others, 2):
        assert admin_factors_satisfied(set(pair))
    assert not admin_factors_satisfied({RecoveryFactor.BOUND_MOBILE, *OTHER_FACTORS})


@given(st.sets(st.sampled_from(list(RecoveryFactor))))
def test_sw9_checks_needed_counts_the_four_down_to_none(factors: set[RecoveryFactor]) -> None:
    passed = {f.value for f in factors}
    needed = admin_checks_needed(passed)
    assert needed == max(0, 2 - len(factors & ADMIN_FACTORS))
    assert (needed == 0) == admin_factors_satisfied(passed)


def test_sw10_only_a_register_mismatch_offers_the_manual_review() -> None:
    assert offered_after([CommonErrorCode.LEGAL_REP_MISMATCH])
    assert offered_after([CommonErrorCode.REQUIRED, CommonErrorCode.LEGAL_REP_MISMATCH])
    assert not offered_after([CommonErrorCode.VERIFICATION_FAILED])
    assert not offered_after([])


def with_luhn(body: str) -> str:
    for digit in "0123456789":
        if luhn_valid(body + digit):
            return body + digit
    raise AssertionError


@given(st.text(alphabet="0123456789", min_size=15, max_size=18))
def test_sw18_card_numbers_with_a_luhn_digit_pass_and_one_changed_digit_fails(body: str) -> None:
    card = with_luhn(body)
    assert validate_bank_card(card[:4] + " " + card[4:]) == card
    changed = card[:-1] + str((int(card[-1]) + 1) % 10)
    with pytest.raises(IdentifierError) as error:
        validate_bank_card(changed)
    assert error.value.code == CommonErrorCode.CARD_LUHN


@pytest.mark.parametrize(
    ("value", "code"),
    [("", "EMPTY"), ("6216 2610 0000 000A", "CARD_CHARSET"), ("621626100000001", "CARD_LENGTH")],
)
def test_sw18_card_number_shape(value: str, code: str) -> None:
    with pytest.raises(IdentifierError) as error:
        validate_bank_card(value)
    assert error.value.code == code


def test_sw10_masks_as_the_manual_shows() -> None:
    assert mask_mobile("13812340001") == "138****0001"
    assert mask_email("longwang@126.com") == "lo*****ng@126.com"
    assert mask_email("ab@x.cn") == "a***@x.cn"
    assert mask_name("钱培") == "*培"
    assert mask_name("孙丽英") == "**英"


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("id.jpg", image("JPEG"), None),
        ("id.JPEG", image("JPEG"), None),
        ("id.png", image("PNG"), None),
        ("id.bmp", image("BMP"), None),
        ("id.gif", image("GIF"), CommonErrorCode.FILE_TYPE),
        ("id.png", b"%PDF-1.7\n%%EOF", CommonErrorCode.FILE_TYPE),
        ("id.png", image("PNG")[:40], CommonErrorCode.FILE_TYPE),
        ("id.pdf", image("PNG"), CommonErrorCode.FILE_TYPE),
        ("id", image("PNG"), CommonErrorCode.FILE_TYPE),
        ("id.png", image("PNG") + b"\0" * MAX_BYTES, CommonErrorCode.FILE_TOO_LARGE),
    ],
)
def test_sw10_uploads_are_checked_by_content_size_and_name(
    name: str, content: bytes, code: CommonErrorCode | None
) -> None:
    problems = Problems()
    checked = check_file(UploadedFile(UploadKind.ID_FRONT, name, content), problems, "file")
    assert [p.code for p in problems.items] == ([code] if code else [])
    assert (checked is None) == (code is not None)


async def test_sw18_identity_simulator_verdicts() -> None:
    service = SimulatedIdentityVerifier(delay_seconds=0)
    person = Person("李红", "RESIDENT_ID", "210102198503071234", "20180101", "00000000")
    assert await service.check_person(person) == Outcome.NOT_FOUND
    service.add_bank_card(BankCard(person, "6216261000000000018", "13800000001"))
    assert await service.check_person(person) == Outcome.MATCH
    renamed = Person("李宏", person.id_type, person.id_number)
    assert await service.check_person(renamed) == Outcome.NAME_MISMATCH
    expired = Person("李红", person.id_type, person.id_number, "20080101", "20180101")
    assert await service.check_person(expired) == Outcome.VALIDITY_MISMATCH
    card = BankCard(person, "6216261000000000018", "13800000001")
    assert await service.check_bank_card(card) == Outcome.MATCH
    wrong_mobile = BankCard(person, card.card_number, "13800000002")
    assert await service.check_bank_card(wrong_mobile) == Outcome.MOBILE_MISMATCH
    unknown = BankCard(person, "6222021234567890128", "13800000001")
    assert await service.check_bank_card(unknown) == Outcome.CARD_MISMATCH


async def test_sw15_registry_dataset_has_valid_codes_and_fuzzy_name_search() -> None:
    from resolvers.core.identifiers import validate_resident_id, validate_uscc

    registry = SimulatedRegistry(delay_seconds=0)
    assert registry.size == 160
    hits = await registry.search("沈阳宏达")
    assert hits
    assert all("沈阳" in h.name and "宏达" in h.name for h in hits)
    assert await registry.search("沈阳 宏达 机械") == await registry.search("沈阳宏达机械")
    for record in await registry.search("有限公司", limit=200):
        assert validate_uscc(record.uscc) == record.uscc
        validate_resident_id(record.legal_rep_id_number, date(2026, 12, 1))
    filing = await registry.foreign_trade_filing(hits[0].uscc)
    assert filing is None or len(filing.customs_code) == 10


@pytest.mark.req("HN-3")
def test_hn3_certification_documents_may_also_be_pdf_checked_by_content() -> None:
    from integrations.documents.render import Document, render

    pdf = render(Document("企业授权书", "T-1", "2026-12-01", (), (("一、授权事项", ("测试",)),)))
    problems = Problems()
    kept = check_file(UploadedFile("LICENCE", "licence.pdf", pdf), problems, "f", allow_pdf=True)
    assert kept is not None
    assert kept.content_type == "application/pdf"
    for name, content in (
        ("licence.pdf", b"MZ\x90\x00" + b"\0" * 100),
        ("licence.pdf", b"%PDF-1.7\n garbage %%EOF"),
        ("licence.exe", pdf),
    ):
        refused = Problems()
        assert check_file(UploadedFile("L", name, content), refused, "f", allow_pdf=True) is None
        assert [p.code for p in refused.items] == [CommonErrorCode.FILE_TYPE_PDF]
    # Without allow_pdf a PDF is not an image.
    refused = Problems()
    assert check_file(UploadedFile("L", "licence.pdf", pdf), refused, "f") is None
    assert [p.code for p in refused.items] == [CommonErrorCode.FILE_TYPE]
