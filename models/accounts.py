"""Single Window accounts of every kind, and the overseas profile."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, Index, String, text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class AccountKind(StrEnum):
    ENTERPRISE_ADMIN = "ENTERPRISE_ADMIN"
    OPERATOR = "OPERATOR"
    INDIVIDUAL = "INDIVIDUAL"
    OVERSEAS = "OVERSEAS"
    MINISTRY = "MINISTRY"
    # A user of a bank's or insurer's portal: sees what is addressed to its institution (GW-4).
    INSTITUTION_USER = "INSTITUTION_USER"
    # Platform staff who decide manual reviews (SW-9, SW-10); no enterprise, no business.
    PLATFORM_REVIEWER = "PLATFORM_REVIEWER"
    # A government admin (政府端管理员): onboards regions, institutions and their admins (XC-2).
    GOVERNMENT_ADMIN = "GOVERNMENT_ADMIN"
    # A Hunan (湘企融) enterprise user: registers by company name, acts for the enterprise only
    # once a reviewer certified it (HN-1..HN-5).
    ENTERPRISE_USER = "ENTERPRISE_USER"


class AccountStatus(StrEnum):
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"


class RealNameLevel(StrEnum):
    NONE = "NONE"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class Account(SQLModel, table=True):
    """One login identity. Enterprise admins and operators belong to an enterprise."""

    __tablename__ = "account"
    __table_args__ = (
        # SW-1: exactly one admin per enterprise.
        Index(
            "uq_account_one_admin_per_enterprise",
            "enterprise_id",
            unique=True,
            sqlite_where=text("kind = 'ENTERPRISE_ADMIN'"),
            postgresql_where=text("kind = 'ENTERPRISE_ADMIN'"),
        ),
        # SW-1: (ID type, ID number) unique among the operators of one enterprise.
        Index(
            "uq_account_operator_identity",
            "enterprise_id",
            "id_type",
            "id_number",
            unique=True,
            sqlite_where=text("kind = 'OPERATOR'"),
            postgresql_where=text("kind = 'OPERATOR'"),
        ),
        # SW-12: a mobile may have phone login switched on for one account only.
        Index(
            "uq_account_phone_login_mobile",
            "mobile",
            unique=True,
            sqlite_where=text("phone_login_enabled"),
            postgresql_where=text("phone_login_enabled"),
        ),
        Index("ix_account_enterprise_kind", "enterprise_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: AccountKind = Field(sa_column=Column(String(24), nullable=False))
    # 18 for chosen usernames; card-created ones (<cardno>_ADMIN) may be longer.
    username: str = Field(max_length=40)
    # Usernames are unique regardless of letter case.
    username_key: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    password_hash: str | None = Field(default=None, max_length=200)
    # SW-8: accounts created by card login cannot log in with a password until activated.
    activated: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    status: AccountStatus = Field(
        default=AccountStatus.ENABLED, sa_column=Column(String(16), nullable=False)
    )
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    # A government admin's region (its subtree is theirs); None for the platform-wide admin.
    region_id: int | None = Field(default=None, foreign_key="region.id")
    # HN-3: when a reviewer certified this enterprise user's enterprise.
    certified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    name: str = Field(max_length=50)
    id_type: str | None = Field(default=None, max_length=24)
    id_number: str | None = Field(default=None, max_length=32)
    id_valid_from: str | None = Field(default=None, max_length=8)
    id_valid_to: str | None = Field(default=None, max_length=8)
    email: str | None = Field(default=None, max_length=100)
    mobile: str | None = Field(default=None, max_length=11)
    phone_login_enabled: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    # SW-6: operators created by an admin verify their mobile, then change the password.
    must_verify_mobile: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    must_change_password: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    real_name_level: RealNameLevel = Field(
        default=RealNameLevel.NONE, sa_column=Column(String(8), nullable=False)
    )
    # Individuals may record the enterprise they work for (SW-11).
    employer_name: str | None = Field(default=None, max_length=100)
    employer_uscc: str | None = Field(default=None, max_length=18)
    employer_org_code: str | None = Field(default=None, max_length=9)
    employer_legal_rep_name: str | None = Field(default=None, max_length=50)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    profile_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    profile_sync_receipt: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OverseasProfile(SQLModel, table=True):
    """SW-5: the organisation details of an overseas (or HK, Macao, Taiwan) account."""

    __tablename__ = "overseas_profile"

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    country_code: str = Field(max_length=3)
    registration_number: str | None = Field(default=None, max_length=50)
    organisation_name: str = Field(max_length=100)
    department: str | None = Field(default=None, max_length=100)
    job_title: str | None = Field(default=None, max_length=50)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=30)
    fax: str | None = Field(default=None, max_length=30)
    mobile: str | None = Field(default=None, max_length=30)
    address: str = Field(max_length=200)
    notes: str | None = Field(default=None, max_length=500)
