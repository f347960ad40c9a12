"""``gateway demo-data``: regions, real banks and insurers, demo enterprises and accounts.

Loading twice changes nothing. Every identifier is generated with its correct check
character so that the validators accept what the demo shows. Passwords are in the README.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import orjson
from cryptography import x509
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.app import CREDIT_DATASET, IDENTITY_DATASET, REGISTRY_DATASET
from gateway.cards import development_ca, virtual_cards
from gateway.database import create_engine, session_factory
from gateway.settings import Settings
from integrations.card import CardAgent, CardHolder, VirtualBackend
from integrations.credit.simulator import WHITELIST_KEY
from integrations.documents import Document, Party
from integrations.documents import complete as complete_signature
from integrations.documents import prepare as prepare_signature
from integrations.documents import render as render_document
from integrations.identity import Person as IdentityPerson
from integrations.identity import person_to_json
from integrations.registry import (
    EnterpriseRecord,
    ForeignTradeRecord,
    SimulatedRegistry,
    enterprise_to_json,
    foreign_trade_to_json,
)
from integrations.seal_imaging import StandardSeal
from integrations.seal_imaging import render as render_seal
from models import (
    Account,
    AccountKind,
    Agreement,
    AgreementEvent,
    AgreementFunction,
    AgreementStatus,
    CertificationStatus,
    DocumentKind,
    Enterprise,
    EnterpriseKind,
    Institution,
    InstitutionKind,
    InsuranceClaim,
    OverseasProfile,
    Product,
    ProductRegion,
    Region,
    SignedDocument,
)
from models.seals import Seal, SealMethod, SealStatus, SealType
from resolvers.accounts.hunan_registration import enterprise_from_record
from resolvers.agreements.actions import DATA_CENTER, FUNCTION_NAMES
from resolvers.agreements.actions import TERMS as AGREEMENT_TERMS
from resolvers.core.identifiers import org_code_check_char, resident_id_check_char, uscc_check_char
from resolvers.core.passwords import DEFAULT_OPERATOR_PASSWORD, PasswordHashing
from resolvers.marketplace.certification import from_record as certification_from_record
from resolvers.marketplace.government import INITIAL_INSTITUTION_PASSWORD

DEMO_PASSWORD = "Demo@2026"

REGIONS: list[tuple[str, str, str | None]] = [
    ("210000", "辽宁省", None),
    ("210100", "沈阳市", "210000"),
    ("210200", "大连市", "210000"),
    ("430000", "湖南省", None),
    ("430100", "长沙市", "430000"),
    ("410000", "河南省", None),
    ("411000", "许昌市", "410000"),
]

INSTITUTIONS: list[tuple[str, str, InstitutionKind]] = [
    ("BOC", "中国银行", InstitutionKind.BANK),
    ("ICBC", "中国工商银行", InstitutionKind.BANK),
    ("CCB", "中国建设银行", InstitutionKind.BANK),
    ("ABC", "中国农业银行", InstitutionKind.BANK),
    ("CMBC", "中国民生银行", InstitutionKind.BANK),
    ("BOCOM", "交通银行", InstitutionKind.BANK),
    ("CMB", "招商银行", InstitutionKind.BANK),
    ("SJB", "盛京银行", InstitutionKind.BANK),
    ("BCS", "长沙银行", InstitutionKind.BANK),
    ("PAIC", "中国平安财产保险股份有限公司", InstitutionKind.INSURER),
    ("BOCI", "中银保险有限公司", InstitutionKind.INSURER),
]


def make_org_code(body8: str) -> str:
    return body8 + org_code_check_char(body8)


def make_uscc(division: str, org_body8: str) -> str:
    first17 = "91" + division + make_org_code(org_body8)
    return first17 + uscc_check_char(first17)


def make_resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


@dataclass(frozen=True)
class DemoOperator:
    username: str
    name: str
    mobile: str
    id_first17: str
    initial_password: bool = False


@dataclass(frozen=True)
class DemoEnterprise:
    region: str
    name: str
    org_body: str
    legal_rep: str
    legal_rep_id17: str
    admin_username: str
    admin_name: str
    admin_mobile: str
    admin_id17: str
    operators: tuple[DemoOperator, ...]


ENTERPRISES = (
    DemoEnterprise(
        "210100",
        "辽宁港通进出口有限公司",
        "MA0LN001",
        "王建国",
        "21010219700315123",
        "lngtadmin",
        "李红",
        "13812340001",
        "21010219850307234",
        (
            DemoOperator("lngtop01", "赵磊", "13812340002", "21010219900612345"),
            DemoOperator(
                "lngtop02", "孙悦", "13812340003", "21010219920820456", initial_password=True
            ),
        ),
    ),
    DemoEnterprise(
        "430100",
        "湖南湘江国际贸易有限公司",
        "MA0HN002",
        "陈志强",
        "43010219751105111",
        "xjtradeadmin",
        "周敏",
        "13912340001",
        "43010219880101222",
        (DemoOperator("xjtradeop01", "吴刚", "13912340002", "43010219910203333"),),
    ),
    DemoEnterprise(
        "411000",
        "许昌瑞发发制品进出口有限公司",
        "MA0XC003",
        "刘振华",
        "41100219680909444",
        "rfhairadmin",
        "郑洁",
        "13712340001",
        "41100219870707555",
        (DemoOperator("rfhairop01", "何平", "13712340002", "41100219930404666"),),
    ),
)


async def load_demo_data(settings: Settings) -> str:
    engine = create_engine(settings)
    passwords = PasswordHashing(settings.password_time_cost, settings.password_memory_kib)
    try:
        async with session_factory(engine)() as db:
            regions = await _regions(db)
            institutions = await _institutions(db, regions)
            accounts = await _enterprises(db, regions, passwords)
            accounts += await _other_accounts(db, passwords)
            claims = await _claims(db)
            accounts += await _marketplace(db, regions, passwords)
            accounts += await _hunan(db, regions, passwords)
            await db.commit()
    finally:
        await engine.dispose()
    cards = issue_demo_cards(settings)
    agreements = await three_party_agreement(settings)
    write_credit_dataset(settings)
    write_identity_dataset(settings)
    write_registry_dataset(settings)
    return (
        f"demo data: {len(regions)} regions, {institutions} institutions, {accounts} new accounts, "
        f"{claims} new claims, {cards} new virtual cards (PIN {DEMO_PIN}); "
        f"{agreements} new signed three-party agreements"
    )


def write_credit_dataset(settings: Settings) -> None:
    """The simulated credit service's records of the demo enterprises (TI-1, XC-8): the
    Liaoning importer is a GENERAL customs-credit enterprise, the Hunan one ADVANCED_CERTIFIED,
    the Xuchang one DISHONEST (listed as a dishonest judgment debtor: risky, not insurable)."""
    liaoning, hunan, xuchang = (make_uscc(e.region, e.org_body) for e in ENTERPRISES)

    def record(kind: str, value: str, source: str, day: str, **extra: str) -> dict[str, str]:
        return {"kind": kind, "value": value, "source": source, "recordDate": day, **extra}

    dataset = {
        liaoning: [
            record("CUSTOMS_CREDIT_RATING", "GENERAL", "海关总署", "2025-03-01"),
            record("TAX_CREDIT_RATING", "B", "国家税务总局", "2025-04-01"),
        ],
        hunan: [
            record("CUSTOMS_CREDIT_RATING", "ADVANCED_CERTIFIED", "海关总署", "2024-11-20"),
            record("TAX_CREDIT_RATING", "A", "国家税务总局", "2025-04-01"),
        ],
        xuchang: [
            record("CUSTOMS_CREDIT_RATING", "DISHONEST", "海关总署", "2025-10-09"),
            record("TAX_CREDIT_RATING", "C", "国家税务总局", "2025-04-01"),
            record(
                "DISHONEST_JUDGMENT_DEBTOR",
                "有履行能力而拒不履行生效法律文书确定义务",
                "中国执行信息公开网",
                "2025-09-18",
                id="(2025)豫1002执1234号",
            ),
            record(
                "ADMINISTRATIVE_PENALTY",
                "货物申报不实，罚款人民币30,000元",
                "许昌海关",
                "2025-06-30",
                activeUntil="2026-06-30",
            ),
        ],
        # The certified Hunan user's company: a tax penalty still in its publicity period.
        HUNAN_COMPANY: [
            record("CUSTOMS_CREDIT_RATING", "GENERAL", "海关总署", "2025-02-01"),
            record("TAX_CREDIT_RATING", "B", "国家税务总局", "2025-04-01"),
            record(
                "ADMINISTRATIVE_PENALTY",
                "未按规定期限办理纳税申报，罚款人民币2,000元",
                "国家税务总局长沙市税务局",
                "2026-08-12",
                activeUntil="2027-08-12",
            ),
        ],
        WHITELIST_KEY: [
            {
                "uscc": uscc,
                "name": name,
                "regionCode": region,
                "source": source,
                "listedOn": listed,
            }
            for uscc, name, region, source, listed in WHITELIST
        ],
    }
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / CREDIT_DATASET).write_bytes(orjson.dumps(dataset))


# Hunan (HN-1..HN-4): a certified enterprise user of a company in the shipped register, and the
# credit-easy-loan whitelist of Xuchang and Changsha.
HUNAN_COMPANY = "91430100MA000012XL"  # 长沙永盛发制品有限公司
HUNAN_USER = ("xqrdemo", "13912345678")
WHITELIST = [
    ("91411000MA0000146E", "许昌中联发制品有限公司", "411000", "许昌市信用办", "2026-03-18"),
    ("91411000MA00002262", "许昌永盛进出口有限公司", "411000", "许昌市信用办", "2026-03-18"),
    ("91430100MA00002856", "长沙鑫源国际贸易有限公司", "430100", "长沙市信用办", "2026-05-06"),
]

# The demo operator's and individual's bank cards (UnionPay test numbers, Luhn-valid).
DEMO_BANK_CARDS = {"lngtop01": "6216261000000000018", "zhangwei01": "6222021234567890128"}
INDIVIDUAL = ("张伟", "11010519800101123", "20100101", "00000000", "13612340001")
REVIEWER = "reviewer01"


def write_identity_dataset(settings: Settings) -> None:
    """The simulated identity service's population: every demo person (legal representatives,
    admins, operators, the individual), and bank cards of one operator and the individual."""
    people: list[dict[str, object]] = []
    cards: list[dict[str, object]] = []
    for demo in ENTERPRISES:
        people.append(_person(demo.legal_rep, demo.legal_rep_id17, "20150101", "00000000"))
        people.append(_person(demo.admin_name, demo.admin_id17, "20180101", "20380101"))
        for operator in demo.operators:
            person = _person(operator.name, operator.id_first17, "20200101", "20400101")
            people.append(person)
            if operator.username in DEMO_BANK_CARDS:
                card = DEMO_BANK_CARDS[operator.username]
                cards.append({**person, "cardNumber": card, "reservedMobile": operator.mobile})
    name, id17, start, end, mobile = INDIVIDUAL
    individual = _person(name, id17, start, end)
    people.append(individual)
    cards.append(
        {**individual, "cardNumber": DEMO_BANK_CARDS["zhangwei01"], "reservedMobile": mobile}
    )
    dataset = {"people": people, "bankCards": cards}
    (settings.data_dir / IDENTITY_DATASET).write_bytes(orjson.dumps(dataset))


def _person(name: str, id17: str, start: str, end: str) -> dict[str, object]:
    return dict(
        person_to_json(IdentityPerson(name, "RESIDENT_ID", make_resident_id(id17), start, end))
    )


def write_registry_dataset(settings: Settings) -> None:
    """The market regulator's and commerce ministry's records of the demo enterprises."""
    enterprises, filings = [], []
    for index, demo in enumerate(ENTERPRISES):
        uscc = make_uscc(demo.region, demo.org_body)
        enterprises.append(
            enterprise_to_json(
                EnterpriseRecord(
                    uscc=uscc,
                    name=demo.name,
                    legal_rep_name=demo.legal_rep,
                    legal_rep_id_type="RESIDENT_ID",
                    legal_rep_id_number=make_resident_id(demo.legal_rep_id17),
                    status="存续",
                    enterprise_type="有限责任公司(自然人投资或控股)",
                    established_on=date(2012 + index, 5, 18),
                    registered_capital="1000万人民币",
                    authority="市场监督管理局",
                    address=f"示范路{index + 1}号",
                    region_code=demo.region,
                    industry="批发业",
                    business_scope="货物进出口；技术进出口；国内贸易代理",
                )
            )
        )
        filings.append(
            foreign_trade_to_json(
                ForeignTradeRecord(
                    uscc=uscc,
                    filing_number=f"0{4213570 + index * 1111:07d}",
                    filed_on=date(2013 + index, 3, 1),
                    operator_type="有限责任公司",
                    english_name=f"Demo Trading Co., Ltd. No. {index + 1}",
                    english_address=f"No. {index + 1} Shifan Road, China",
                    customs_code=f"{demo.region[:4]}96{1001 + index:04d}",
                )
            )
        )
    dataset = {"enterprises": enterprises, "foreignTrade": filings}
    (settings.data_dir / REGISTRY_DATASET).write_bytes(orjson.dumps(dataset))


# Xuchang (XC-2..XC-5): the government admin, an institution onboarded by it with its admin
# (first login still due: password 111111), and products in the marketplace.
GOVERNMENT_ADMIN = ("xcgovadmin", "许昌市地方金融监督管理局", "13500000001", "411000")
XUCHANG_BANK = ("XCRCB", "许昌农商银行", "13700000088", "许昌农商银行客户经理")
DEMO_PRODUCTS: list[tuple[str, str, str, str, str, str, int, int, list[str], list[str], bool]] = [
    # institution, name, min, max, min rate, max rate, min term, max term, guarantees, regions,
    # featured
    (
        "XCRCB",
        "许昌惠企贷",
        "100000",
        "3000000",
        "3.45",
        "5.20",
        3,
        36,
        ["CREDIT"],
        ["411000"],
        True,
    ),
    (
        "XCRCB",
        "发制品出口订单贷",
        "500000",
        "10000000",
        "3.85",
        "5.60",
        6,
        24,
        ["PLEDGE", "GUARANTEE"],
        ["411000"],
        False,
    ),
    (
        "BOC",
        "惠如愿-专精特新贷",
        "1000000",
        "20000000",
        "3.20",
        "4.35",
        12,
        36,
        ["CREDIT", "GUARANTEE"],
        ["410000", "430000"],
        True,
    ),
    (
        "BCS",
        "潇湘信用贷",
        "100000",
        "5000000",
        "3.65",
        "6.00",
        6,
        36,
        ["CREDIT"],
        ["430100"],
        False,
    ),
]


async def _marketplace(
    db: AsyncSession, regions: dict[str, Region], passwords: PasswordHashing
) -> int:
    created = 0
    username, name, mobile, region = GOVERNMENT_ADMIN
    if not await _account_exists(db, username):
        db.add(
            Account(
                kind=AccountKind.GOVERNMENT_ADMIN,
                username=username,
                username_key=username,
                password_hash=await passwords.hash(DEMO_PASSWORD),
                name=name,
                mobile=mobile,
                region_id=regions[region].id,
            )
        )
        created += 1
    code, bank_name, admin_mobile, admin_name = XUCHANG_BANK
    bank = (await db.exec(select(Institution).where(col(Institution.code) == code))).first()
    if bank is None:
        bank = Institution(
            code=code, name=bank_name, kind=InstitutionKind.BANK, region_id=regions[region].id
        )
        db.add(bank)
        await db.flush()
    if not await _account_exists(db, admin_mobile):
        db.add(
            Account(
                kind=AccountKind.INSTITUTION_USER,
                username=admin_mobile,
                username_key=admin_mobile,
                password_hash=await passwords.hash(INITIAL_INSTITUTION_PASSWORD),
                must_change_password=True,
                institution_id=bank.id,
                name=admin_name,
                mobile=admin_mobile,
            )
        )
        created += 1
    for row in DEMO_PRODUCTS:
        owner, product_name, low, high, low_rate, high_rate, shortest, longest = row[:8]
        guarantees, served, featured = row[8], row[9], row[10]
        institution = (
            await db.exec(select(Institution).where(col(Institution.code) == owner))
        ).one()
        exists = (
            await db.exec(
                select(Product.id)
                .where(col(Product.institution_id) == institution.id)
                .where(col(Product.name) == product_name)
            )
        ).first()
        if exists is not None:
            continue
        assert institution.id is not None
        product = Product(
            institution_id=institution.id,
            name=product_name,
            min_amount=Decimal(low),
            max_amount=Decimal(high),
            min_rate=Decimal(low_rate),
            max_rate=Decimal(high_rate),
            min_term_months=shortest,
            max_term_months=longest,
            guarantee_methods=guarantees,
            industries=[],
            description=f"{institution.name}面向中小微企业的{product_name}，线上申请，快速审批。",
            featured=featured,
        )
        db.add(product)
        await db.flush()
        assert product.id is not None
        for code_ in served:
            region_id = regions[code_].id
            assert region_id is not None
            db.add(ProductRegion(product_id=product.id, region_id=region_id))
    return created


async def _hunan(db: AsyncSession, regions: dict[str, Region], passwords: PasswordHashing) -> int:
    """A certified 湘企融 user of a company the shipped register knows."""
    username, mobile = HUNAN_USER
    if await _account_exists(db, username):
        return 0
    record = SimulatedRegistry(delay_seconds=0).record(HUNAN_COMPANY)
    assert record is not None
    enterprise = (
        await db.exec(select(Enterprise).where(col(Enterprise.uscc) == record.uscc))
    ).first()
    if enterprise is None:
        enterprise = enterprise_from_record(record, regions["430100"].id)
        db.add(enterprise)
        await db.flush()
    now = datetime.now(UTC)
    account = Account(
        kind=AccountKind.ENTERPRISE_USER,
        username=username,
        username_key=username,
        password_hash=await passwords.hash(DEMO_PASSWORD),
        enterprise_id=enterprise.id,
        name=username,
        mobile=mobile,
        certified_at=now,
    )
    db.add(account)
    await db.flush()
    assert account.id is not None and enterprise.id is not None
    certification = certification_from_record(record, account.id, enterprise.id)
    certification.status = CertificationStatus.APPROVED
    certification.legal_rep_id_number = record.legal_rep_id_number
    certification.legal_rep_phone = certification.contact_phone = mobile
    certification.contact_name, certification.contact_title = "周敏", "财务总监"
    certification.contact_email = "finance@example.com"
    certification.submitted_at = certification.decided_at = now
    db.add(certification)
    return 1


async def _claims(db: AsyncSession) -> int:
    """Claims PAIC and BOCI shared with the platform (TI-7), as in the manual's screen."""
    liaoning = ENTERPRISES[0]
    uscc = make_uscc(liaoning.region, liaoning.org_body)
    enterprise = (await db.exec(select(Enterprise).where(col(Enterprise.uscc) == uscc))).one()
    created = 0
    for code, report, policy, insured, amount, incident, paid in (
        (
            "PAIC",
            "93676004100001984891",
            "13676003900157122949",
            None,
            "22.00",
            datetime(2026, 9, 3, 14, 30, tzinfo=UTC),
            datetime(2026, 9, 5, 13, 14, 55, tzinfo=UTC),
        ),
        (
            "BOCI",
            "32238201900000000001",
            "322382019000000000011",
            "中华人民共和国大连海关",
            "7000.00",
            datetime(2026, 8, 13, 16, 0, tzinfo=UTC),
            datetime(2026, 8, 21, 8, 1, 58, tzinfo=UTC),
        ),
    ):
        insurer = (await db.exec(select(Institution).where(col(Institution.code) == code))).one()
        exists = await db.exec(
            select(InsuranceClaim.id)
            .where(col(InsuranceClaim.institution_id) == insurer.id)
            .where(col(InsuranceClaim.report_number) == report)
        )
        if exists.first() is not None:
            continue
        db.add(
            InsuranceClaim(
                institution_id=insurer.id or 0,
                report_number=report,
                enterprise_id=enterprise.id,
                enterprise_name=enterprise.name,
                enterprise_uscc=enterprise.uscc,
                insured_name=insured,
                policy_number=policy,
                insurance_type="关税保证保险",
                payout_amount=Decimal(amount),
                incident_at=incident,
                paid_at=paid,
            )
        )
        created += 1
    return created


DEMO_PIN = "123456"
LEGAL_PERSON_CARD = "2101000001"
# The Liaoning enterprise's three-party agreement, signed before tariff insurance (TI-3, TI-4).
DEMO_AGREEMENT_BANK = "SJB"
DEMO_AGREEMENT_FUNCTIONS = ["USER_BINDING", "ACCOUNT_OPENING"]


async def three_party_agreement(settings: Settings) -> int:
    """The three-party agreement the tariff-insurance guide has the legal person sign first
    ("使用'单一窗口'关税保证保险服务首先需要企业签署此文书"): the Liaoning enterprise's, with
    盛京银行, stamped with the legal person's company seal, signed with the demo legal-person
    card (PAdES) and SIGNED by the bank. Made once; 1 if made now."""
    liaoning = ENTERPRISES[0]
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as db:
            uscc = make_uscc(liaoning.region, liaoning.org_body)
            enterprise = (
                await db.exec(select(Enterprise).where(col(Enterprise.uscc) == uscc))
            ).one()
            signed = select(Agreement.id).where(col(Agreement.enterprise_id) == enterprise.id)
            if (await db.exec(signed)).first() is not None:
                return 0
            admin = (
                await db.exec(
                    select(Account).where(col(Account.username) == liaoning.admin_username)
                )
            ).one()
            bank = (
                await db.exec(
                    select(Institution).where(col(Institution.code) == DEMO_AGREEMENT_BANK)
                )
            ).one()
            agent = CardAgent(VirtualBackend(virtual_cards(settings)))
            certificate = base64.b64decode(agent.signing_certificate(LEGAL_PERSON_CARD))
            validity = x509.load_der_x509_certificate(certificate)
            seal = Seal(
                enterprise_id=enterprise.id or 0,
                holder_account_id=admin.id or 0,
                name="公司章",
                seal_type=SealType.COMPANY,
                method=SealMethod.STANDARD,
                status=SealStatus.ENABLED,
                valid_from=validity.not_valid_before_utc.date(),
                valid_to=validity.not_valid_after_utc.date(),
                unit_text=liaoning.name,
                shape="ROUND",
                colour="RED",
                width_mm=42.0,
                height_mm=42.0,
                image_png=await asyncio.to_thread(
                    render_seal, StandardSeal(unit_text=liaoning.name)
                ),
                image_width=0,
                image_height=0,
                created_with_card=LEGAL_PERSON_CARD,
            )
            seal.image_width = int.from_bytes(seal.image_png[16:20], "big")
            seal.image_height = int.from_bytes(seal.image_png[20:24], "big")
            db.add(seal)
            await db.flush()
            now = datetime.now(UTC)
            number = now.strftime("%Y%m%d") + "000000000001"
            names = "、".join(
                FUNCTION_NAMES[AgreementFunction(f)] for f in DEMO_AGREEMENT_FUNCTIONS
            )
            pdf = render_document(
                Document(
                    title="三方协议",
                    number=number,
                    date=now.date().isoformat(),
                    parties=(
                        Party("甲方", enterprise.name, (f"统一社会信用代码：{enterprise.uscc}",)),
                        Party("乙方", bank.name),
                        Party("丙方", DATA_CENTER),
                    ),
                    sections=(("签约功能", (names,)), ("协议条款", AGREEMENT_TERMS)),
                    seal_png=seal.image_png,
                    seal_size_mm=42.0,
                )
            )
            prepared = await prepare_signature(pdf, certificate, "Signer", now, reason="三方协议")
            card = agent.sign_digest(prepared.digest_to_sign, DEMO_PIN, LEGAL_PERSON_CARD)
            pdf = await complete_signature(prepared, certificate, base64.b64decode(card.signature))
            document = SignedDocument(
                kind=DocumentKind.AGREEMENT,
                enterprise_id=enterprise.id or 0,
                institution_id=bank.id or 0,
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
                signer_card_number=LEGAL_PERSON_CARD,
                signed_at=now,
            )
            db.add(document)
            await db.flush()
            agreement = Agreement(
                number=number,
                enterprise_id=enterprise.id or 0,
                institution_id=bank.id or 0,
                functions=DEMO_AGREEMENT_FUNCTIONS,
                status=AgreementStatus.SIGNED,
                seal_id=seal.id or 0,
                document_id=document.id or 0,
                signed_by_account_id=admin.id or 0,
                submitted_at=now,
                decided_at=now,
            )
            db.add(agreement)
            await db.flush()
            for status in (AgreementStatus.SUBMITTED, AgreementStatus.SIGNED):
                db.add(AgreementEvent(agreement_id=agreement.id or 0, status=status, at=now))
            await db.commit()
            return 1
    finally:
        await engine.dispose()


def issue_demo_cards(settings: Settings) -> int:
    """Virtual cards for the Liaoning demo enterprise: its legal person and operator lngtop01."""
    store, authority = virtual_cards(settings), development_ca(settings)
    liaoning = ENTERPRISES[0]
    uscc = make_uscc(liaoning.region, liaoning.org_body)
    operator = liaoning.operators[0]
    wanted = [
        CardHolder(
            "2101000001",
            "LEGAL_PERSON",
            uscc,
            liaoning.name,
            liaoning.legal_rep,
            "RESIDENT_ID",
            make_resident_id(liaoning.legal_rep_id17),
        ),
        CardHolder(
            "2101000002",
            "OPERATOR",
            uscc,
            liaoning.name,
            operator.name,
            "RESIDENT_ID",
            make_resident_id(operator.id_first17),
        ),
    ]
    issued = 0
    for holder in wanted:
        if holder.card_number not in store.card_numbers():
            store.issue(authority, holder, DEMO_PIN)
            issued += 1
    return issued


async def _regions(db: AsyncSession) -> dict[str, Region]:
    found = {r.code: r for r in (await db.exec(select(Region))).all()}
    for code, name, parent in REGIONS:
        if code not in found:
            region = Region(code=code, name=name, parent_id=found[parent].id if parent else None)
            db.add(region)
            await db.flush()
            found[code] = region
    return found


async def _institutions(db: AsyncSession, regions: dict[str, Region]) -> int:
    existing = set((await db.exec(select(Institution.code))).all())
    for code, name, kind in INSTITUTIONS:
        if code not in existing:
            db.add(Institution(code=code, name=name, kind=kind))
    return len(INSTITUTIONS)


async def _account_exists(db: AsyncSession, username: str) -> bool:
    return (
        await db.exec(select(Account.id).where(col(Account.username_key) == username.lower()))
    ).first() is not None


async def _enterprises(
    db: AsyncSession, regions: dict[str, Region], passwords: PasswordHashing
) -> int:
    created = 0
    demo_hash = await passwords.hash(DEMO_PASSWORD)
    initial_hash = await passwords.hash(DEFAULT_OPERATOR_PASSWORD)
    for demo in ENTERPRISES:
        uscc = make_uscc(demo.region, demo.org_body)
        enterprise = (await db.exec(select(Enterprise).where(col(Enterprise.uscc) == uscc))).first()
        if enterprise is None:
            enterprise = Enterprise(
                kind=EnterpriseKind.ENTERPRISE,
                uscc=uscc,
                org_code=uscc[8:17],
                name=demo.name,
                legal_rep_name=demo.legal_rep,
                legal_rep_id_type="RESIDENT_ID",
                legal_rep_id_number=make_resident_id(demo.legal_rep_id17),
                legal_rep_id_valid_from="20150101",
                legal_rep_id_valid_to="00000000",
                region_id=regions[demo.region].id,
                address=f"{regions[demo.region].name}示范路1号",
            )
            db.add(enterprise)
            await db.flush()
        if not await _account_exists(db, demo.admin_username):
            db.add(
                Account(
                    kind=AccountKind.ENTERPRISE_ADMIN,
                    username=demo.admin_username,
                    username_key=demo.admin_username.lower(),
                    password_hash=demo_hash,
                    enterprise_id=enterprise.id,
                    name=demo.admin_name,
                    id_type="RESIDENT_ID",
                    id_number=make_resident_id(demo.admin_id17),
                    id_valid_from="20180101",
                    id_valid_to="20380101",
                    mobile=demo.admin_mobile,
                    email=f"{demo.admin_username}@example.com",
                )
            )
            created += 1
        for operator in demo.operators:
            if await _account_exists(db, operator.username):
                continue
            db.add(
                Account(
                    kind=AccountKind.OPERATOR,
                    username=operator.username,
                    username_key=operator.username.lower(),
                    password_hash=initial_hash if operator.initial_password else demo_hash,
                    must_verify_mobile=operator.initial_password,
                    must_change_password=operator.initial_password,
                    enterprise_id=enterprise.id,
                    name=operator.name,
                    id_type="RESIDENT_ID",
                    id_number=make_resident_id(operator.id_first17),
                    id_valid_from="20200101",
                    id_valid_to="20400101",
                    mobile=operator.mobile,
                )
            )
            created += 1
    await db.flush()
    return created


async def _other_accounts(db: AsyncSession, passwords: PasswordHashing) -> int:
    created = 0
    demo_hash = await passwords.hash(DEMO_PASSWORD)
    if not await _account_exists(db, "zhangwei01"):
        db.add(
            Account(
                kind=AccountKind.INDIVIDUAL,
                username="zhangwei01",
                username_key="zhangwei01",
                password_hash=demo_hash,
                name=INDIVIDUAL[0],
                id_type="RESIDENT_ID",
                id_number=make_resident_id(INDIVIDUAL[1]),
                id_valid_from=INDIVIDUAL[2],
                id_valid_to=INDIVIDUAL[3],
                mobile=INDIVIDUAL[4],
                email="zhangwei01@example.com",
            )
        )
        created += 1
    if not await _account_exists(db, "globaltrade01"):
        overseas = Account(
            kind=AccountKind.OVERSEAS,
            username="globaltrade01",
            username_key="globaltrade01",
            password_hash=demo_hash,
            name="Anna Schmidt",
            email="anna.schmidt@example.com",
        )
        db.add(overseas)
        await db.flush()
        assert overseas.id is not None
        db.add(
            OverseasProfile(
                account_id=overseas.id,
                country_code="DEU",
                organisation_name="Global Trade GmbH",
                contact_name="Anna Schmidt",
                contact_phone="+49 30 1234567",
                address="Friedrichstraße 1, 10117 Berlin",
            )
        )
        created += 1
    for username, code, name in (
        ("bocportal01", "BOC", "中国银行客户经理"),
        ("paicportal01", "PAIC", "平安产险业务员"),
    ):
        if await _account_exists(db, username):
            continue
        institution = (
            await db.exec(select(Institution).where(col(Institution.code) == code))
        ).one()
        db.add(
            Account(
                kind=AccountKind.INSTITUTION_USER,
                username=username,
                username_key=username,
                password_hash=demo_hash,
                institution_id=institution.id,
                name=name,
            )
        )
        created += 1
    if not await _account_exists(db, REVIEWER):
        db.add(
            Account(
                kind=AccountKind.PLATFORM_REVIEWER,
                username=REVIEWER,
                username_key=REVIEWER,
                password_hash=demo_hash,
                name="平台审核员",
                mobile="13600000001",
            )
        )
        created += 1
    if not await _account_exists(db, "mofcomuser01"):
        db.add(
            Account(
                kind=AccountKind.MINISTRY,
                username="mofcomuser01",
                username_key="mofcomuser01",
                password_hash=demo_hash,
                name="商务部演示用户",
                email="mofcom.demo@example.com",
            )
        )
        created += 1
    return created
