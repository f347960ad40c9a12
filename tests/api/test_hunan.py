"""湘企融 (HN-1..HN-3): registration by company name from the register, login with account +
password + SMS code, and certification reviewed by the platform with the outcome in messages."""

from __future__ import annotations

import pytest

from tests.api.test_manual_review import reviewer
from tests.hunan import (
    APPROVE,
    HN_PASSWORD,
    MESSAGES,
    REJECT,
    REVIEWS,
    SAVE,
    SUBMIT,
    SUGGEST,
    certification_form,
    register,
    registered_user,
    registry_company,
    submitted_certification,
    upload_document,
)
from tests.marketplace import login_with_code
from tests.recovery import jpeg, png
from tests.support import Gateway

pytestmark = pytest.mark.req("HN-1", "HN-2", "HN-3")


async def test_hn1_typing_the_company_name_suggests_it_with_uscc_and_address(
    gateway: Gateway,
) -> None:
    company = registry_company(gateway)
    found = (await gateway.gql(SUGGEST, {"n": company.name[:6]}))["registrySuggestions"]
    assert {"name": company.name, "uscc": company.uscc, "address": company.address} in found
    assert len(found) <= 10
    assert (await gateway.gql(SUGGEST, {"n": "湘"}))["registrySuggestions"] == []


async def test_hn1_hn2_register_then_log_in_with_the_code_to_the_registered_mobile(
    gateway: Gateway,
) -> None:
    company = registry_company(gateway)
    created = await register(gateway, "xqrUser01", company, "13912340001")
    assert created["userErrors"] == []
    assert created["account"]["kind"] == "ENTERPRISE_USER"
    assert created["account"]["certifiedAt"] is None
    assert created["account"]["enterprise"] == {
        "name": company.name,
        "uscc": company.uscc,
        "address": company.address,
    }
    wrong = await login_with_code(gateway, "xqrUser01", "wrong-pass1")
    assert wrong["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    login = await login_with_code(gateway, "xqrUser01", HN_PASSWORD)
    assert login["account"]["kind"] == "ENTERPRISE_USER"


async def test_hn1_bad_registrations_get_codes_and_write_nothing(gateway: Gateway) -> None:
    company = registry_company(gateway)
    before = await gateway.snapshot()
    unknown = await register(
        gateway,
        "xqrUser02",
        company,
        "13912340002",
        uscc="91430100MA4L0000X0",
        companyName="不存在的公司",
    )
    assert [e["code"] for e in unknown["userErrors"]] == ["ENTERPRISE_NOT_IN_REGISTRY"]
    renamed = await register(gateway, "xqrUser02", company, "13912340002", companyName="别的公司")
    assert [(e["code"], e["field"]) for e in renamed["userErrors"]] == [
        ("ENTERPRISE_NOT_IN_REGISTRY", ["companyName"])
    ]
    bad = await register(
        gateway, "1user", company, "13912340002", password="short", acceptTerms=False
    )
    assert [e["code"] for e in bad["userErrors"]] == [
        "HUNAN_ACCOUNT_FORMAT",
        "HUNAN_PASSWORD_POLICY",
        "CONSENT_REQUIRED",
    ]
    assert await gateway.snapshot() == before


async def test_hn3_certification_reviewed_rejected_resubmitted_and_approved(
    gateway: Gateway,
) -> None:
    token, company = await registered_user(gateway)
    # The form starts from the register's record.
    saved = (await gateway.gql(SAVE, {"input": {"contactName": "张三"}}, token=token))[
        "certificationSave"
    ]
    certification = saved["certification"]
    assert certification["status"] == "DRAFT"
    assert certification["legalRepName"] == company.legal_rep_name
    assert certification["businessScope"] == company.business_scope
    assert certification["registrationStatus"] == company.status
    incomplete = (await gateway.gql(SUBMIT, token=token))["certificationSubmit"]
    assert incomplete["userErrors"][0]["code"] == "CERTIFICATION_INCOMPLETE"
    # Documents are checked by content and replaceable before submission.
    exe = b"MZ\x90\x00" + b"\0" * 500
    refused = await upload_document(
        gateway, token, "BUSINESS_LICENCE", "licence.pdf", exe, "application/pdf"
    )
    assert [e["code"] for e in refused["userErrors"]] == ["FILE_TYPE_PDF"]
    big = await upload_document(
        gateway,
        token,
        "BUSINESS_LICENCE",
        "licence.png",
        png() + b"\0" * (12 * 1024 * 1024),
        "image/png",
    )
    assert [e["message"] for e in big["userErrors"]] == ["文件大小不超过10M"]
    # 30 MB is refused before it is read: the HTTP upload limit (413, REQUEST_TOO_LARGE).
    from tests.hunan import UPLOAD
    from tests.support import upload

    huge = b"\0" * (30 * 1024 * 1024)
    response = await upload(
        gateway,
        UPLOAD,
        {"kind": "BUSINESS_LICENCE", "file": None},
        {"file": ("huge.png", huge, "image/png")},
        token,
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    first = await upload_document(gateway, token, "BUSINESS_LICENCE", "old.png", png(), "image/png")
    assert [d["fileName"] for d in first["certification"]["documents"]] == ["old.png"]
    replaced = await upload_document(
        gateway, token, "BUSINESS_LICENCE", "licence.jpg", jpeg(), "image/jpeg"
    )
    assert [d["fileName"] for d in replaced["certification"]["documents"]] == ["licence.jpg"]
    await submitted_certification(gateway, token, company)
    locked = await upload_document(
        gateway, token, "BUSINESS_LICENCE", "late.png", png(), "image/png"
    )
    assert [e["code"] for e in locked["userErrors"]] == ["INVALID_TRANSITION"]

    staff = await reviewer(gateway)
    [pending] = (await gateway.gql(REVIEWS, {"status": "SUBMITTED"}, token=staff))[
        "certificationReviews"
    ]["nodes"]
    assert pending["enterpriseName"] == company.name
    rejected = (
        await gateway.gql(REJECT, {"id": pending["id"], "r": "营业执照未加盖公章"}, token=staff)
    )["certificationReject"]
    assert rejected["certification"] == {"status": "REJECTED", "reason": "营业执照未加盖公章"}
    inbox = await gateway.gql(MESSAGES, token=token)
    assert inbox["unreadMessageCount"] == 1
    assert "营业执照未加盖公章" in inbox["messages"]["nodes"][0]["body"]
    mark = "mutation { messagesMarkRead { marked unreadCount } }"
    assert (await gateway.gql(mark, token=token))["messagesMarkRead"] == {
        "marked": 1,
        "unreadCount": 0,
    }

    # Resubmission after the rejection.
    await submitted_certification(gateway, token, company)
    approved = (await gateway.gql(APPROVE, {"id": pending["id"]}, token=staff))[
        "certificationApprove"
    ]
    assert approved == {"certification": {"status": "APPROVED"}, "userErrors": []}
    twice = (await gateway.gql(APPROVE, {"id": pending["id"]}, token=staff))["certificationApprove"]
    assert twice["userErrors"] == [{"code": "REVIEW_ALREADY_DECIDED"}]
    viewer = await gateway.gql(
        "{ viewer { ... on EnterpriseUser { certifiedAt } } unreadMessageCount }", token=token
    )
    assert viewer["viewer"]["certifiedAt"]
    assert viewer["unreadMessageCount"] == 1


async def test_hn3_only_reviewers_decide_and_users_see_only_their_own(gateway: Gateway) -> None:
    token, company = await registered_user(gateway)
    await submitted_certification(gateway, token, company)
    other, _ = await registered_user(gateway, "xqrUser02", 0, "13912340002")
    errors = await gateway.gql_errors(REVIEWS, {}, token=token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    staff = await reviewer(gateway)
    [pending] = (await gateway.gql(REVIEWS, {}, token=staff))["certificationReviews"]["nodes"]
    node = "query($id: ID!) { node(id: $id) { ... on Certification { status } } }"
    assert (await gateway.gql(node, {"id": pending["id"]}, token=other))["node"] is None
    assert (await gateway.gql(node, {"id": pending["id"]}, token=token))["node"] == {
        "status": "SUBMITTED"
    }
    errors = await gateway.gql_errors(APPROVE, {"id": pending["id"]}, token=token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    template = await gateway.gql("{ certificationLetterTemplate }", token=token)
    assert template["certificationLetterTemplate"].startswith("data:application/pdf;base64,")
    assert certification_form(company)["contactName"] == "张三"


@pytest.mark.req("GW-1")
async def test_hn3_the_review_queue_costs_the_same_statements_for_2_or_12(
    gateway: Gateway,
) -> None:
    from models import Certification, CertificationDocument, CertificationStatus
    from tests.api.test_manual_review import reviewer

    await registered_user(gateway)
    from sqlmodel import select

    from models import Account

    async with gateway.services.sessionmaker() as db:
        user = (await db.exec(select(Account).where(Account.username == "xqrUser01"))).one()
        for index in range(12):
            owner = Account(
                kind=user.kind,
                username=f"queue{index:02d}",
                username_key=f"queue{index:02d}",
                enterprise_id=user.enterprise_id,
                name="x",
            )
            db.add(owner)
            await db.flush()
            assert owner.id is not None
            assert user.enterprise_id is not None
            certification = Certification(
                account_id=owner.id,
                enterprise_id=user.enterprise_id,
                status=CertificationStatus.SUBMITTED,
            )
            db.add(certification)
            await db.flush()
            assert certification.id is not None
            for kind in ("BUSINESS_LICENCE", "AUTHORISATION_LETTER"):
                db.add(
                    CertificationDocument(
                        certification_id=certification.id,
                        kind=kind,
                        file_name="f.png",
                        content_type="image/png",
                        size=3,
                        sha256="0" * 64,
                        content=b"png",
                    )
                )
        await db.commit()
    staff = await reviewer(gateway)
    page = """query($n: Int!) { certificationReviews(first: $n) { nodes { enterpriseName
      documents { kind } } } }"""
    with gateway.statements() as two:
        assert (
            len((await gateway.gql(page, {"n": 2}, token=staff))["certificationReviews"]["nodes"])
            == 2
        )
    with gateway.statements() as twelve:
        nodes = (await gateway.gql(page, {"n": 12}, token=staff))["certificationReviews"]["nodes"]
    assert [n["documents"] for n in nodes] == [
        [{"kind": "AUTHORISATION_LETTER"}, {"kind": "BUSINESS_LICENCE"}]
    ] * 12
    assert two[0] == twelve[0]


MARK_ONE = """mutation($id: Int) { messagesMarkRead(id: $id) {
  marked unreadCount userErrors { code field } } }"""


async def test_hn3_marking_a_message_not_the_viewers_is_not_found_and_writes_nothing(
    gateway: Gateway,
) -> None:
    """Issue 14: an id of another account's message, or of none, was MissingGreenlet."""
    from sqlmodel import col, select

    from models import Account, Message

    token, _ = await registered_user(gateway)
    await registered_user(gateway, "xqrUser02", 0, "13912340002")
    async with gateway.services.sessionmaker() as db:
        ids = {
            a.username: a.id
            for a in (
                await db.exec(
                    select(Account).where(col(Account.username).in_(("xqrUser01", "xqrUser02")))
                )
            ).all()
        }
        mine = [Message(account_id=ids["xqrUser01"], title="t", body=f"b{i}") for i in (1, 2)]
        theirs = Message(account_id=ids["xqrUser02"], title="t", body="b")
        db.add_all([*mine, theirs])
        await db.commit()
        mine_id, theirs_id = mine[0].id, theirs.id
    before = await gateway.snapshot()
    for wanted in (theirs_id, 999_999, 0, -1):
        refused = (await gateway.gql(MARK_ONE, {"id": wanted}, token=token))["messagesMarkRead"]
        assert refused == {
            "marked": 0,
            "unreadCount": 2,
            "userErrors": [{"code": "NOT_FOUND", "field": ["id"]}],
        }
    assert await gateway.snapshot() == before
    marked = (await gateway.gql(MARK_ONE, {"id": mine_id}, token=token))["messagesMarkRead"]
    assert marked == {"marked": 1, "unreadCount": 1, "userErrors": []}
    again = (await gateway.gql(MARK_ONE, {"id": mine_id}, token=token))["messagesMarkRead"]
    assert again == {"marked": 0, "unreadCount": 1, "userErrors": []}


@pytest.mark.parametrize("value", ["licence.png", 7, {"name": "licence.png"}])
async def test_hn3_a_value_that_is_not_a_file_is_bad_input(gateway: Gateway, value: object) -> None:
    """Issue 14: a plain value where the Upload goes crashed on .read()."""
    from tests.hunan import UPLOAD

    token, _ = await registered_user(gateway)
    before = await gateway.snapshot()
    errors = await gateway.gql_errors(
        UPLOAD, {"kind": "BUSINESS_LICENCE", "file": value}, token=token
    )
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "reason": "UPLOAD_EXPECTED"}
    assert await gateway.snapshot() == before
