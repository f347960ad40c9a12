"""Seals and signatures through the API (SW-16, SW-17, LN-7): holders, rules, lifecycle, search,
uploads checked by content and size, tenant scoping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import cv2
import numpy as np
import pytest

from integrations.seal_imaging import Colour
from tests.agreements import AGREEMENTS, Signer, prepare, sign, wait_for
from tests.api.test_operators import CREATE, operator_input
from tests.cards import Cards, card_login
from tests.scans import seal_scan, signature_scan
from tests.support import Gateway, resident_id, upload, uscc_for

pytestmark = pytest.mark.req("SW-16", "SW-17", "LN-7")

HOLDERS = "{ sealHolders { account { id username kind } cardNumber certificateValidFrom certificateValidTo } }"
SEAL_FIELDS = "seal { id name type method status validFrom validTo unitText imageDataUrl imageWidth holder { username } }"
CREATE_STANDARD = f"""
mutation($input: SealRecordInput!, $standard: StandardSealInput!) {{
  sealCreateStandard(input: $input, standard: $standard) {{ {SEAL_FIELDS} userErrors {{ code field message }} }}
}}"""
CREATE_IMAGE = f"""
mutation($input: SealRecordInput!, $scan: Upload!) {{
  sealCreateFromImage(input: $input, scan: $scan) {{ {SEAL_FIELDS} userErrors {{ code field message }} }}
}}"""
SEALS = """
query($filter: SealFilter) { seals(filter: $filter, first: 20) { totalCount nodes { id name status type } } }"""
STATUS = "mutation($id: ID!) {{ {verb}(id: $id) {{ seal {{ status }} userErrors {{ code }} }} }}"
DELETE = "mutation($id: ID!) { sealDelete(id: $id) { deletedSealId userErrors { code field } } }"


@dataclass
class Enterprise:
    admin_password: str
    legal_card: str
    operator_card: str
    legal_holder: str
    operator_holder: str
    plain_operator: str
    valid_from: str
    valid_to: str


@pytest.fixture
async def enterprise(gateway: Gateway, cards: Cards) -> Enterprise:
    admin = (await gateway.register_enterprise(1))["token"]
    for index in (70, 71):
        await gateway.gql(CREATE, {"input": operator_input(index)}, token=admin)
    legal = cards.issue("2100000301", "LEGAL_PERSON", uscc_for(1), resident_id(501, "19700315"))
    legal_session = (await card_login(gateway, cards, legal))["token"]
    operator = cards.issue(
        "2100000302", "OPERATOR", uscc_for(1), resident_id(70, "19900101"), holder_name="操作员70"
    )
    operator_session = (await card_login(gateway, cards, operator))["token"]
    holders = (await gateway.gql(HOLDERS, token=legal_session))["sealHolders"]
    by_kind = {h["account"]["kind"]: h for h in holders}
    operators = (
        await gateway.gql(
            '{ viewer { ... on EnterpriseAdmin { enterprise { operators(first: 5, query: "oper0071") { nodes { id } } } } } }',
            token=admin,
        )
    )["viewer"]["enterprise"]["operators"]["nodes"]
    return Enterprise(
        admin_password=admin,
        legal_card=legal_session,
        operator_card=operator_session,
        legal_holder=by_kind["ENTERPRISE_ADMIN"]["account"]["id"],
        operator_holder=by_kind["OPERATOR"]["account"]["id"],
        plain_operator=operators[0]["id"],
        valid_from=by_kind["ENTERPRISE_ADMIN"]["certificateValidFrom"],
        valid_to=by_kind["ENTERPRISE_ADMIN"]["certificateValidTo"],
    )


def record(e: Enterprise, **changes: Any) -> dict[str, Any]:
    start = date.fromisoformat(e.valid_from) + timedelta(days=1)
    data = {
        "holderId": e.legal_holder,
        "name": "公司公章",
        "type": "COMPANY",
        "validFrom": start.isoformat(),
        "validTo": (start + timedelta(days=300)).isoformat(),
        "remark": "用于三方协议",
    }
    data.update(changes)
    return data


STANDARD = {"unitText": "辽宁港通进出口有限公司", "shape": "ROUND", "colour": "RED"}


async def create_standard(
    gateway: Gateway, token: str, data: dict[str, Any], standard: dict[str, Any] | None = None
) -> dict[str, Any]:
    variables = {"input": data, "standard": standard or STANDARD}
    return (await gateway.gql(CREATE_STANDARD, variables, token=token))["sealCreateStandard"]  # type: ignore[no-any-return]


async def test_sw16_holders_are_the_legal_person_and_card_bound_operators(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    holders = (await gateway.gql(HOLDERS, token=enterprise.legal_card))["sealHolders"]
    assert sorted(h["cardNumber"] for h in holders) == ["2100000301", "2100000302"]
    assert enterprise.plain_operator not in {h["account"]["id"] for h in holders}


async def test_sw16_standard_seal_is_created_disabled_by_the_legal_person_card(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    payload = await create_standard(gateway, enterprise.legal_card, record(enterprise))
    assert payload["userErrors"] == []
    seal = payload["seal"]
    assert seal["status"] == "DISABLED"
    assert seal["method"] == "STANDARD"
    assert seal["holder"]["username"] == "admin0001"
    assert seal["imageDataUrl"].startswith("data:image/png;base64,")
    assert seal["imageWidth"] == 500
    # An operator may hold a seal too.
    operator_seal = await create_standard(
        gateway,
        enterprise.legal_card,
        record(enterprise, holderId=enterprise.operator_holder, type="CONTRACT"),
    )
    assert operator_seal["seal"]["holder"]["username"] == "oper0070"


@pytest.mark.parametrize(
    ("changes", "standard", "expected"),
    [
        ({"name": "章" * 26}, None, ("TOO_LONG", ["name"])),
        ({"name": "章" * 16, "platform": "LIAONING"}, None, ("TOO_LONG", ["name"])),
        ({"remark": "备" * 201}, None, ("TOO_LONG", ["remark"])),
        ({}, {"unitText": "单" * 15}, ("UNIT_TEXT_TOO_LONG", ["standard", "unitText"])),
        ({}, {"unitText": "公司", "widthMm": 200}, ("SIZE_OUT_OF_RANGE", ["standard", "widthMm"])),
        ({"validTo": "2099-01-01"}, None, ("VALIDITY_OUTSIDE_CERTIFICATE", ["validTo"])),
        ({"validFrom": "2030-01-01", "validTo": "2029-01-01"}, None, ("DATE_RANGE", ["validTo"])),
        ({"holderId": "plain"}, None, ("HOLDER_NOT_ELIGIBLE", ["holderId"])),
    ],
)
async def test_sw16_rules_refuse_and_write_nothing(
    gateway: Gateway,
    enterprise: Enterprise,
    changes: dict[str, Any],
    standard: dict[str, Any] | None,
    expected: tuple[str, list[str]],
) -> None:
    if changes.get("holderId") == "plain":
        changes["holderId"] = enterprise.plain_operator
    before = await gateway.snapshot()
    payload = await create_standard(
        gateway, enterprise.legal_card, record(enterprise, **changes), standard
    )
    assert (payload["userErrors"][0]["code"], payload["userErrors"][0]["field"]) == expected
    assert payload["seal"] is None
    assert await gateway.snapshot() == before


async def test_sw16_only_a_legal_person_card_session_creates_or_edits(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    for token in (enterprise.admin_password, enterprise.operator_card):
        errors = await gateway.gql_errors(
            CREATE_STANDARD, {"input": record(enterprise), "standard": STANDARD}, token=token
        )
        assert errors[0]["extensions"] == {
            "code": "FORBIDDEN",
            "reason": "LEGAL_PERSON_CARD_REQUIRED",
        }


async def test_sw16_lifecycle_enable_disable_and_delete_only_when_disabled(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    seal_id = (await create_standard(gateway, enterprise.legal_card, record(enterprise)))["seal"][
        "id"
    ]
    # Others (the password admin, an operator) may enable, disable and delete.
    enabled = await gateway.gql(
        STATUS.format(verb="sealEnable"), {"id": seal_id}, token=enterprise.operator_card
    )
    assert enabled["sealEnable"] == {"seal": {"status": "ENABLED"}, "userErrors": []}
    refused = (await gateway.gql(DELETE, {"id": seal_id}, token=enterprise.admin_password))[
        "sealDelete"
    ]
    assert refused == {
        "deletedSealId": None,
        "userErrors": [{"code": "SEAL_NOT_DISABLED", "field": ["id"]}],
    }
    await gateway.gql(
        STATUS.format(verb="sealDisable"), {"id": seal_id}, token=enterprise.admin_password
    )
    deleted = (await gateway.gql(DELETE, {"id": seal_id}, token=enterprise.admin_password))[
        "sealDelete"
    ]
    assert deleted == {"deletedSealId": seal_id, "userErrors": []}
    assert (await gateway.gql(SEALS, token=enterprise.admin_password))["seals"]["totalCount"] == 0


async def test_sw16_search_by_name_status_type_and_creation_date(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    company = (
        await create_standard(gateway, enterprise.legal_card, record(enterprise, name="公司公章"))
    )["seal"]["id"]
    await create_standard(
        gateway, enterprise.legal_card, record(enterprise, name="合同专用章", type="CONTRACT")
    )
    await gateway.gql(
        STATUS.format(verb="sealEnable"), {"id": company}, token=enterprise.legal_card
    )

    async def names(**filter_: Any) -> list[str]:
        seals = (await gateway.gql(SEALS, {"filter": filter_}, token=enterprise.admin_password))[
            "seals"
        ]
        return sorted(n["name"] for n in seals["nodes"])

    assert await names() == ["公司公章", "合同专用章"]
    assert await names(name="合同") == ["合同专用章"]
    assert await names(status="ENABLED") == ["公司公章"]
    assert await names(type="CONTRACT") == ["合同专用章"]
    today = gateway.services.clock.today()
    assert await names(createdFrom=today.isoformat(), createdTo=today.isoformat()) == [
        "公司公章",
        "合同专用章",
    ]
    assert await names(createdFrom=(today + timedelta(days=1)).isoformat()) == []


async def test_sw16_edit_redraws_a_standard_seal(gateway: Gateway, enterprise: Enterprise) -> None:
    seal = (await create_standard(gateway, enterprise.legal_card, record(enterprise)))["seal"]
    edit = f"""mutation($id: ID!, $input: SealRecordInput!, $standard: StandardSealInput) {{
        sealUpdate(id: $id, input: $input, standard: $standard) {{ {SEAL_FIELDS} userErrors {{ code }} }} }}"""
    changed = (
        await gateway.gql(
            edit,
            {
                "id": seal["id"],
                "input": record(enterprise, name="新公章"),
                "standard": {"unitText": "港通公司", "shape": "OVAL", "colour": "BLUE"},
            },
            token=enterprise.legal_card,
        )
    )["sealUpdate"]
    assert changed["userErrors"] == []
    assert changed["seal"]["name"] == "新公章"
    assert changed["seal"]["unitText"] == "港通公司"
    assert changed["seal"]["imageDataUrl"] != seal["imageDataUrl"]
    errors = await gateway.gql_errors(
        edit, {"id": seal["id"], "input": record(enterprise)}, token=enterprise.admin_password
    )
    assert errors[0]["extensions"]["reason"] == "LEGAL_PERSON_CARD_REQUIRED"


async def test_sw16_preview_renders_without_saving(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    before = await gateway.snapshot()
    preview = """query($standard: StandardSealInput!) { sealPreview(type: FINANCE, standard: $standard) {
        imageDataUrl widthMm heightMm } }"""
    data = (
        await gateway.gql(
            preview,
            {"standard": {"unitText": "港通公司", "shape": "SQUARE"}},
            token=enterprise.operator_card,
        )
    )["sealPreview"]
    assert data["imageDataUrl"].startswith("data:image/png;base64,")
    assert (data["widthMm"], data["heightMm"]) == (25.0, 25.0)
    assert await gateway.snapshot() == before


async def test_sw16_image_seal_from_a_scan(gateway: Gateway, enterprise: Enterprise) -> None:
    scan = seal_scan(300, Colour.BLUE, seed=5)
    response = await upload(
        gateway,
        CREATE_IMAGE,
        {"input": record(enterprise), "scan": None},
        {"scan": ("seal.jpg", scan.jpeg, "image/jpeg")},
        token=enterprise.legal_card,
    )
    payload = response.json()["data"]["sealCreateFromImage"]
    assert payload["userErrors"] == []
    assert payload["seal"]["method"] == "IMAGE"
    assert payload["seal"]["status"] == "DISABLED"


async def test_sw16_bad_uploads_are_refused_by_content_and_size(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    before = await gateway.snapshot()
    _, tiny = cv2.imencode(".jpg", np.full((1, 1, 3), 255, np.uint8))
    for name, content, code in (
        ("scan.jpg", b"%PDF-1.7\n" + b"1 0 obj" * 200, "NOT_AN_IMAGE"),
        ("scan.jpg", tiny.tobytes(), "IMAGE_TOO_SMALL"),
        ("scan.jpg", seal_scan(300, with_seal=False, seed=6).jpeg, "NO_SEAL_FOUND"),
    ):
        response = await upload(
            gateway,
            CREATE_IMAGE,
            {"input": record(enterprise), "scan": None},
            {"scan": (name, content, "image/jpeg")},
            token=enterprise.legal_card,
        )
        assert response.json()["data"]["sealCreateFromImage"]["userErrors"][0]["code"] == code
    huge = await upload(
        gateway,
        CREATE_IMAGE,
        {"input": record(enterprise), "scan": None},
        {"scan": ("big.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), "image/jpeg")},
        token=enterprise.legal_card,
    )
    assert huge.status_code == 413
    assert huge.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    no_preflight = await upload(
        gateway,
        CREATE_IMAGE,
        {"input": record(enterprise), "scan": None},
        {"scan": ("s.jpg", tiny.tobytes(), "image/jpeg")},
        token=enterprise.legal_card,
        preflight=False,
    )
    assert no_preflight.status_code == 400
    assert no_preflight.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    assert await gateway.snapshot() == before


async def test_sw16_seals_are_visible_only_to_their_enterprise(
    gateway: Gateway, enterprise: Enterprise, cards: Cards
) -> None:
    seal_id = (await create_standard(gateway, enterprise.legal_card, record(enterprise)))["seal"][
        "id"
    ]
    other = (await gateway.register_enterprise(2))["token"]
    assert (
        await gateway.gql("query($id: ID!) { node(id: $id) { id } }", {"id": seal_id}, token=other)
    ) == {"node": None}
    assert (await gateway.gql(SEALS, token=other))["seals"]["totalCount"] == 0
    refused = await gateway.gql(STATUS.format(verb="sealEnable"), {"id": seal_id}, token=other)
    assert refused["sealEnable"]["userErrors"] == [{"code": "NOT_FOUND"}]
    own = await gateway.gql(
        "query($id: ID!) { node(id: $id) { ... on Seal { name imageDataUrl } } }",
        {"id": seal_id},
        token=enterprise.operator_card,
    )
    assert own["node"]["name"] == "公司公章"


SIGNATURE = """
mutation($input: SignatureInput!, $scan: Upload!) {
  signatureCreate(input: $input, scan: $scan) { signature { id name status declarant { username } } userErrors { code } }
}"""


async def test_sw17_signatures_from_black_pen_scans_with_the_same_lifecycle(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    variables = {
        "input": {"declarantId": enterprise.plain_operator, "name": "申报员签名"},
        "scan": None,
    }
    response = await upload(
        gateway,
        SIGNATURE,
        variables,
        {"scan": ("sig.jpg", signature_scan(300).jpeg, "image/jpeg")},
        token=enterprise.legal_card,
    )
    payload = response.json()["data"]["signatureCreate"]
    assert payload["userErrors"] == []
    assert payload["signature"]["status"] == "DISABLED"
    assert payload["signature"]["declarant"]["username"] == "oper0071"
    signature_id = payload["signature"]["id"]
    big = await upload(
        gateway,
        SIGNATURE,
        variables,
        {"scan": ("sig.jpg", signature_scan(300, width_mm=80).jpeg, "image/jpeg")},
        token=enterprise.legal_card,
    )
    assert big.json()["data"]["signatureCreate"]["userErrors"] == [{"code": "SIGNATURE_TOO_LARGE"}]
    enable = "mutation($id: ID!) { signatureEnable(id: $id) { signature { status } userErrors { code } } }"
    assert (await gateway.gql(enable, {"id": signature_id}, token=enterprise.admin_password))[
        "signatureEnable"
    ]["signature"] == {"status": "ENABLED"}
    delete = (
        "mutation($id: ID!) { signatureDelete(id: $id) { deletedSignatureId userErrors { code } } }"
    )
    assert (await gateway.gql(delete, {"id": signature_id}, token=enterprise.admin_password))[
        "signatureDelete"
    ]["userErrors"] == [{"code": "SEAL_NOT_DISABLED"}]
    listed = "{ signatures(first: 5) { totalCount nodes { name } } }"
    assert (await gateway.gql(listed, token=enterprise.operator_card))["signatures"][
        "totalCount"
    ] == 1


async def test_sw16_extraction_runs_off_the_event_loop(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    """While a 600-dpi scan is being extracted, other requests are still answered at once."""
    import asyncio
    import time

    scan = seal_scan(600, Colour.RED, seed=9)
    latencies: list[float] = []

    async def health_checks() -> None:
        await asyncio.sleep(0.05)
        for _ in range(5):
            started = time.perf_counter()
            assert (await gateway.http.get("/healthz")).status_code == 200
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    response, _ = await asyncio.gather(
        upload(
            gateway,
            CREATE_IMAGE,
            {"input": record(enterprise), "scan": None},
            {"scan": ("seal.jpg", scan.jpeg, "image/jpeg")},
            token=enterprise.legal_card,
        ),
        health_checks(),
    )
    assert response.json()["data"]["sealCreateFromImage"]["userErrors"] == []
    assert max(latencies) < 0.15, latencies


NODE = "query($id: ID!) { node(id: $id) { id ... on Seal { name status } ... on Signature { name status } } }"


async def test_sw16_a_seal_that_signed_leaves_use_and_lists_and_its_documents_stay(
    gateway: Gateway, cards: Cards, signer: Signer
) -> None:
    """Issue 14: deleting a DISABLED seal that signed an agreement failed on the foreign key."""
    signed = await sign(gateway, cards, signer, ["FINANCING"])
    assert signed["userErrors"] == []
    await wait_for(gateway, signer.token, signed["agreement"]["number"], "SIGNED")
    agreements = (await gateway.gql(AGREEMENTS, token=signer.token))["agreements"]["nodes"]
    disabled = await gateway.gql(
        STATUS.format(verb="sealDisable"), {"id": signer.seal_id}, token=signer.token
    )
    assert disabled["sealDisable"] == {"seal": {"status": "DISABLED"}, "userErrors": []}

    deleted = (await gateway.gql(DELETE, {"id": signer.seal_id}, token=signer.token))["sealDelete"]
    assert deleted == {"deletedSealId": signer.seal_id, "userErrors": []}
    # Out of every list and look-up, and of use: it cannot come back nor sign again.
    assert (await gateway.gql(SEALS, token=signer.token))["seals"]["totalCount"] == 0
    assert (await gateway.gql(NODE, {"id": signer.seal_id}, token=signer.token)) == {"node": None}
    before = await gateway.snapshot()
    for verb in ("sealEnable", "sealDisable"):
        refused = await gateway.gql(
            STATUS.format(verb=verb), {"id": signer.seal_id}, token=signer.token
        )
        assert refused[verb] == {"seal": None, "userErrors": [{"code": "NOT_FOUND"}]}
    again = (await gateway.gql(DELETE, {"id": signer.seal_id}, token=signer.token))["sealDelete"]
    assert again == {"deletedSealId": None, "userErrors": [{"code": "NOT_FOUND", "field": ["id"]}]}
    prepared = await prepare(gateway, cards, signer, ["GUARANTEE"])
    assert prepared["signingSessionId"] is None
    assert [e["field"] for e in prepared["userErrors"]] == [["sealId"]]
    assert await gateway.snapshot() == before
    # What it signed keeps its document (with the seal's image) and its history.
    assert (await gateway.gql(AGREEMENTS, token=signer.token))["agreements"]["nodes"] == agreements


async def test_sw16_a_seal_that_signed_nothing_is_deleted_the_same_way(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    seal_id = (await create_standard(gateway, enterprise.legal_card, record(enterprise)))["seal"][
        "id"
    ]
    deleted = (await gateway.gql(DELETE, {"id": seal_id}, token=enterprise.operator_card))[
        "sealDelete"
    ]
    assert deleted == {"deletedSealId": seal_id, "userErrors": []}
    assert (await gateway.gql(NODE, {"id": seal_id}, token=enterprise.operator_card)) == {
        "node": None
    }
    assert (await gateway.gql(SEALS, token=enterprise.operator_card))["seals"]["totalCount"] == 0


PREVIEW = """query($type: SealType!, $standard: StandardSealInput!) {
  sealPreview(type: $type, standard: $standard) {
    imageDataUrl widthMm heightMm userErrors { code field message } } }"""


@pytest.mark.parametrize(
    ("standard", "expected"),
    [
        ({"unitText": "单" * 15}, ("UNIT_TEXT_TOO_LONG", ["standard", "unitText"])),
        ({"unitText": "  "}, ("REQUIRED", ["standard", "unitText"])),
        ({"unitText": ""}, ("REQUIRED", ["standard", "unitText"])),
        ({"unitText": "公司", "widthMm": 9}, ("SIZE_OUT_OF_RANGE", ["standard", "widthMm"])),
        ({"unitText": "公司", "widthMm": 81}, ("SIZE_OUT_OF_RANGE", ["standard", "widthMm"])),
        ({"unitText": "公司", "heightMm": -1}, ("SIZE_OUT_OF_RANGE", ["standard", "heightMm"])),
        (
            {"unitText": "公司", "innerMarginMm": 6},
            ("SIZE_OUT_OF_RANGE", ["standard", "innerMarginMm"]),
        ),
        ({"unitText": "公司", "englishText": "A" * 300}, ("TOO_LONG", ["standard", "englishText"])),
    ],
)
async def test_sw16_preview_refuses_bad_parameters_as_creation_does(
    gateway: Gateway,
    enterprise: Enterprise,
    standard: dict[str, Any],
    expected: tuple[str, list[str]],
) -> None:
    """Issue 14: a bad parameter was an internal server error; now the same userErrors as
    sealCreateStandard, and an empty preview."""
    preview = (
        await gateway.gql(
            PREVIEW, {"type": "COMPANY", "standard": standard}, token=enterprise.operator_card
        )
    )["sealPreview"]
    created = await create_standard(gateway, enterprise.legal_card, record(enterprise), standard)
    assert [(e["code"], e["field"]) for e in preview["userErrors"]] == [expected]
    assert preview["userErrors"] == created["userErrors"]
    assert (preview["imageDataUrl"], preview["widthMm"], preview["heightMm"]) == ("", 0.0, 0.0)


async def test_sw16_preview_sizes_are_the_sizes_a_created_seal_gets(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    for standard in (
        {"unitText": "港通公司"},
        {"unitText": "港通公司", "widthMm": 40},
        {"unitText": "港通公司", "shape": "OVAL"},
        {"unitText": "港通公司", "shape": "OVAL", "widthMm": 45, "heightMm": 30},
    ):
        preview = (
            await gateway.gql(
                PREVIEW, {"type": "CONTRACT", "standard": standard}, token=enterprise.legal_card
            )
        )["sealPreview"]
        assert preview["userErrors"] == []
        created = (
            await gateway.gql(
                CREATE_STANDARD.replace("unitText", "unitText widthMm heightMm"),
                {"input": record(enterprise, type="CONTRACT"), "standard": standard},
                token=enterprise.legal_card,
            )
        )["sealCreateStandard"]["seal"]
        assert (preview["widthMm"], preview["heightMm"]) == (
            created["widthMm"],
            created["heightMm"],
        )


async def test_sw17_node_refetches_a_signature_of_the_viewers_enterprise_only(
    gateway: Gateway, enterprise: Enterprise
) -> None:
    """Issue 14: node(id) of a Signature was always an internal server error."""
    response = await upload(
        gateway,
        SIGNATURE,
        {"input": {"declarantId": enterprise.plain_operator, "name": "申报员签名"}, "scan": None},
        {"scan": ("sig.jpg", signature_scan(300).jpeg, "image/jpeg")},
        token=enterprise.legal_card,
    )
    signature_id = response.json()["data"]["signatureCreate"]["signature"]["id"]
    own = await gateway.gql(NODE, {"id": signature_id}, token=enterprise.operator_card)
    assert own == {"node": {"id": signature_id, "name": "申报员签名", "status": "DISABLED"}}
    other = (await gateway.register_enterprise(2))["token"]
    assert (await gateway.gql(NODE, {"id": signature_id}, token=other)) == {"node": None}
    assert (await gateway.gql(NODE, {"id": signature_id})) == {"node": None}


@pytest.mark.parametrize("value", ["seal.jpg", 42, {"file": "seal.jpg"}])
async def test_sw16_sw17_a_value_that_is_not_a_file_is_bad_input(
    gateway: Gateway, enterprise: Enterprise, value: Any
) -> None:
    """Issue 14: a plain value where an Upload goes crashed on .read()."""
    before = await gateway.snapshot()
    for document, variables in (
        (CREATE_IMAGE, {"input": record(enterprise), "scan": value}),
        (
            SIGNATURE,
            {"input": {"declarantId": enterprise.plain_operator, "name": "签名"}, "scan": value},
        ),
    ):
        errors = await gateway.gql_errors(document, variables, token=enterprise.legal_card)
        assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "reason": "UPLOAD_EXPECTED"}
    assert await gateway.snapshot() == before
