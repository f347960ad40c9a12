"""SQLModel tables. No business rules here and no I/O beyond the database."""

from models.accounts import Account, AccountKind, AccountStatus, OverseasProfile, RealNameLevel
from models.cards import (
    BusinessPermission,
    Card,
    CardChallenge,
    CardKind,
    ChallengePurpose,
    OperatorPermission,
)
from models.enterprises import Enterprise, EnterpriseKind, Institution, InstitutionKind, Region
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
    "BusinessPermission",
    "Captcha",
    "Card",
    "CardChallenge",
    "CardKind",
    "ChallengePurpose",
    "CodeChannel",
    "CodePurpose",
    "Enterprise",
    "EnterpriseKind",
    "Institution",
    "InstitutionKind",
    "OperatorPermission",
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
    "VerificationCode",
]
