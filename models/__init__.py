"""SQLModel tables. No business rules here and no I/O beyond the database."""

from models.accounts import Account, AccountKind, AccountStatus, OverseasProfile, RealNameLevel
from models.enterprises import Enterprise, EnterpriseKind, Institution, InstitutionKind, Region
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
    "Captcha",
    "CodeChannel",
    "CodePurpose",
    "Enterprise",
    "EnterpriseKind",
    "Institution",
    "InstitutionKind",
    "OverseasProfile",
    "RealNameLevel",
    "Region",
    "Session",
    "SessionMethod",
    "VerificationCode",
]
