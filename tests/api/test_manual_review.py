"""Manual review (SW-9, SW-10): forms and images from the login page, the reviewers' queue, the
decision by SMS, the audit log; bad uploads and double decisions write nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from models import Account, AccountKind, AuditEntry
from tests.recovery import (
    APPROVE,
    REJECT,
    REVIEW_SUBMIT,
    REVIEWS,
    VIEWER,
    admin_identity,
    identity,
    jpeg,
    legal_rep_identity,
    messages_to,
    png,
)
from tests.support import PASSWORD, Gateway, enterprise_input, resident_id, upload

pytestmark = pytest.mark.req("SW-9", "SW-10")
CONTACT = "13700000088"
NEW_PASSWORD = "Rev1ewed-Pass"


async def reviewer(gateway: Gateway, username: str = "reviewer01") -> str:
    """A platform reviewer's session (the account is made once)."""
    async with gateway.services.sessionmaker() as db:
        if (await db.exec(select(Account).where(Account.username == username))).first():
            return await gateway.token_for(username)
        db.add(
            Account(
                kind=AccountKind.PLATFORM_REVIEWER,
                username=username,
                username_key=username,
                password_hash=await gateway.services.passwords.hash(PASSWORD),
                name="平台审核员",
            )
        )
        await db.commit()
    return await gateway.token_for(username)


async def form(
    gateway: Gateway, index: int, purpose: str = "USERNAME", **changes: Any
) -> dict[str, Any]:
    gateway.services.clock.advance(timedelta(seconds=61))
    enterprise = enterprise_input(index)["enterprise"]
    data = {
        "purpose": purpose,
        "accountKind": "ENTERPRISE_ADMIN",
        "contactMobile": CONTACT,
        "smsCode": await gateway.code_for("ACCOUNT_RECOVERY", CONTACT),
        "applicant": admin_identity(index),
        "enterpriseName": enterprise["name"],
        "orgCode": enterprise["orgCode"],
        "legalRep": legal_rep_identity(index),
    }
    if purpose == "PASSWORD":
        data |= {
            "username": f"admin{index:04d}",
            "password": NEW_PASSWORD,
            "passwordConfirmation": NEW_PASSWORD,
        }
    data.update(changes)
    return data


async def submit(
    gateway: Gateway,
    data: dict[str, Any],
    identity_image: tuple[str, bytes, str] | None = None,
    licence: tuple[str, bytes, str] | None = None,
) -> dict[str, Any]:
    files = {"identityImage": identity_image or ("id.png", png(), "image/png")}
    files["licenceImage"] = licence or ("licence.jpg", jpeg(), "image/jpeg")
    variables = {"input": data, "identityImage": None, "licenceImage": None}
    response = await upload(gateway, REVIEW_SUBMIT, variables, files)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["manualReviewSubmit"]  # type: ignore[no-any-return]


async def test_sw9_username_recovery_by_manual_review_with_sms_and_audit(gateway: Gateway) -> None:
    await gateway.register_enterprise(1)
    submitted = await submit(gateway, await form(gateway, 1))
    assert submitted == {"submitted": True, "status": "PENDING", "userErrors": []}
    token = await reviewer(gateway)
    queue = (await gateway.gql(REVIEWS, {"status": "PENDING"}, token=token))["manualReviews"]
    assert queue["totalCount"] == 1
    [review] = queue["nodes"]
    assert review["contactMobile"] == CONTACT
    assert review["form"]["enterpriseName"] == enterprise_input(1)["enterprise"]["name"]
    assert review["form"]["legalRepName"] == "王建国"
    assert [u["kind"] for u in review["uploads"]] == ["ID_FRONT", "BUSINESS_LICENCE"]
    assert review["uploads"][0]["dataUrl"].startswith("data:image/png;base64,")
    assert review["uploads"][1]["contentType"] == "image/jpeg"
    assert review["candidates"] == [
        {"username": "admin0001", "name": "李红", "kind": "ENTERPRISE_ADMIN"}
    ]
    approved = (await gateway.gql(APPROVE, {"input": {"id": review["id"]}}, token=token))[
        "manualReviewApprove"
    ]
    assert approved["review"] == {"status": "APPROVED", "reviewerUsername": "reviewer01"}
    assert "用户名为：admin0001" in (await messages_to(gateway, CONTACT))[0]
    twice = (await gateway.gql(APPROVE, {"input": {"id": review["id"]}}, token=token))[
        "manualReviewApprove"
    ]
    assert [e["code"] for e in twice["userErrors"]] == ["REVIEW_ALREADY_DECIDED"]
    rejected_late = (
        await gateway.gql(REJECT, {"input": {"id": review["id"], "reason": "迟到"}}, token=token)
    )["manualReviewReject"]
    assert [e["code"] for e in rejected_late["userErrors"]] == ["REVIEW_ALREADY_DECIDED"]
    async with gateway.services.sessionmaker() as db:
        entries = (await db.exec(select(AuditEntry))).all()
    assert [(e.action, e.subject_type, e.detail) for e in entries] == [
        ("MANUAL_REVIEW_APPROVED", "manual_review", {"account": "admin0001"})
    ]
    assert entries[0].actor_account_id is not None


async def test_sw10_password_reset_by_manual_review_sets_the_submitted_password(
    gateway: Gateway,
) -> None:
    old_token = (await gateway.register_enterprise(2))["token"]
    assert (await submit(gateway, await form(gateway, 2, "PASSWORD")))["submitted"]
    # Nothing changes before a reviewer decides.
    assert (await gateway.login("admin0002"))["token"]
    token = await reviewer(gateway)
    [review] = (await gateway.gql(REVIEWS, {}, token=token))["manualReviews"]["nodes"]
    assert review["purpose"] == "PASSWORD"
    assert "password" not in str(review["form"]).lower()
    approved = (await gateway.gql(APPROVE, {"input": {"id": review["id"]}}, token=token))[
        "manualReviewApprove"
    ]
    assert approved["userErrors"] == []
    assert (await gateway.gql_errors(VIEWER, token=old_token))[0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert (await gateway.login("admin0002", NEW_PASSWORD))["token"]
    assert "重置密码申请已通过人工审核" in (await messages_to(gateway, CONTACT))[0]


async def test_sw9_rejection_reaches_the_user_by_sms(gateway: Gateway) -> None:
    submitted = await submit(
        gateway,
        await form(
            gateway,
            3,
            accountKind="INDIVIDUAL",
            applicant=identity("张伟", resident_id(3, "19800101")),
            enterpriseName=None,
            orgCode=None,
            legalRep=None,
        ),
    )
    assert submitted["submitted"]
    token = await reviewer(gateway)
    [review] = (await gateway.gql(REVIEWS, {}, token=token))["manualReviews"]["nodes"]
    assert review["candidates"] == []
    no_account = (await gateway.gql(APPROVE, {"input": {"id": review["id"]}}, token=token))[
        "manualReviewApprove"
    ]
    assert [e["code"] for e in no_account["userErrors"]] == ["REVIEW_ACCOUNT_REQUIRED"]
    rejected = (
        await gateway.gql(
            REJECT, {"input": {"id": review["id"], "reason": "身份证图片不清晰"}}, token=token
        )
    )["manualReviewReject"]
    assert rejected["review"] == {"status": "REJECTED", "reason": "身份证图片不清晰"}
    assert "未通过人工审核，原因：身份证图片不清晰" in (await messages_to(gateway, CONTACT))[0]


async def test_sw10_uploads_are_checked_by_size_and_content_and_nothing_is_written(
    gateway: Gateway,
) -> None:
    await gateway.register_enterprise(4)
    before = await gateway.snapshot()
    big = await submit(
        gateway, await form(gateway, 4), ("id.png", png() + b"\0" * (5 * 1024 * 1024), "image/png")
    )
    assert [(e["code"], e["field"], e["message"]) for e in big["userErrors"]] == [
        ("FILE_TOO_LARGE", ["identityImage"], "文件大小不超过4M")
    ]
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    renamed = await submit(gateway, await form(gateway, 4), None, ("licence.png", pdf, "image/png"))
    assert [(e["code"], e["field"]) for e in renamed["userErrors"]] == [
        ("FILE_TYPE", ["licenceImage"])
    ]
    exe = b"MZ\x90\x00" + b"\0" * 200
    program = await submit(gateway, await form(gateway, 4), ("id.bmp", exe, "image/bmp"))
    assert [e["code"] for e in program["userErrors"]] == ["FILE_TYPE"]
    assert await gateway.snapshot() == before


async def test_sw9_reviewer_queue_is_for_reviewers_only(gateway: Gateway) -> None:
    token = (await gateway.register_enterprise(5))["token"]
    errors = await gateway.gql_errors(REVIEWS, {}, token=token)
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await gateway.gql_errors(REVIEWS, {})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.req("GW-1")
async def test_sw9_the_queue_page_costs_the_same_statements_for_2_or_20_reviews(
    gateway: Gateway,
) -> None:
    from models import ManualReview, RecoveryPurpose, ReviewUpload, UploadKind

    await gateway.register_enterprise(6)
    token = await reviewer(gateway)
    enterprise = enterprise_input(6)["enterprise"]
    async with gateway.services.sessionmaker() as db:
        for index in range(20):
            review = ManualReview(
                purpose=RecoveryPurpose.USERNAME,
                account_kind=AccountKind.ENTERPRISE_ADMIN if index % 2 else AccountKind.INDIVIDUAL,
                contact_mobile=CONTACT,
                form={
                    "enterpriseName": enterprise["name"],
                    "orgCode": enterprise["orgCode"],
                    "applicantIdType": "RESIDENT_ID",
                    "applicantIdNumber": resident_id(index),
                },
            )
            db.add(review)
            await db.flush()
            assert review.id is not None
            db.add(
                ReviewUpload(
                    review_id=review.id,
                    kind=UploadKind.ID_FRONT,
                    content_type="image/png",
                    file_name="id.png",
                    size=3,
                    sha256="0" * 64,
                    content=b"png",
                )
            )
        await db.commit()
    page = """query($n: Int!) { manualReviews(first: $n) { nodes { id reviewerUsername
      uploads { kind size } candidates { username } } } }"""
    with gateway.statements() as two:
        assert len((await gateway.gql(page, {"n": 2}, token=token))["manualReviews"]["nodes"]) == 2
    with gateway.statements() as twenty:
        nodes = (await gateway.gql(page, {"n": 20}, token=token))["manualReviews"]["nodes"]
    assert len(nodes) == 20
    assert [n["candidates"] for n in nodes[1:3]] == [[{"username": "admin0006"}], []]
    assert two[0] == twenty[0]


async def test_a_string_where_an_image_is_expected_is_bad_input(gateway: Gateway) -> None:
    """Issue 14: the Upload scalar lets any value through; without login and without a file the
    answer is a client error, not a crash on ``.read()``; nothing is written."""
    variables = {"input": await form(gateway, 3), "identityImage": "not a file"}
    before = await gateway.snapshot()
    response = await gateway.post(REVIEW_SUBMIT, variables)
    errors = response.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert errors[0]["extensions"]["reason"] == "UPLOAD_EXPECTED"
    assert await gateway.snapshot() == before
