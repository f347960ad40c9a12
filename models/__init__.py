"""SQLModel tables. No business rules here and no I/O beyond the database."""

from models.accounts import Account, AccountKind, AccountStatus, OverseasProfile, RealNameLevel
from models.agreements import (
    Agreement,
    AgreementEvent,
    AgreementFunction,
    AgreementStatus,
    DocumentKind,
    OutboxMessage,
    OutboxStatus,
    SignedDocument,
    SigningSession,
    WebhookReceipt,
)
from models.cards import (
    BusinessPermission,
    Card,
    CardChallenge,
    CardKind,
    ChallengePurpose,
    OperatorPermission,
)
from models.enterprises import Enterprise, EnterpriseKind, Institution, InstitutionKind, Region
from models.loans import LoanOrder, LoanOrderEvent, LoanOrderStatus
from models.seals import Seal, SealMethod, SealStatus, SealType, Signature
from models.security import (
    Captcha,
    CodeChannel,
    CodePurpose,
    Session,
    SessionMethod,
    VerificationCode,
)

__all__ = [
    "Account",
    "AccountKind",
    "AccountStatus",
    "Agreement",
    "AgreementEvent",
    "AgreementFunction",
    "AgreementStatus",
    "BusinessPermission",
    "Captcha",
    "Card",
    "CardChallenge",
    "CardKind",
    "ChallengePurpose",
    "CodeChannel",
    "CodePurpose",
    "DocumentKind",
    "Enterprise",
    "EnterpriseKind",
    "Institution",
    "InstitutionKind",
    "LoanOrder",
    "LoanOrderEvent",
    "LoanOrderStatus",
    "OperatorPermission",
    "OutboxMessage",
    "OutboxStatus",
    "OverseasProfile",
    "RealNameLevel",
    "Region",
    "Seal",
    "SealMethod",
    "SealStatus",
    "SealType",
    "Session",
    "SessionMethod",
    "Signature",
    "SignedDocument",
    "SigningSession",
    "VerificationCode",
    "WebhookReceipt",
]
