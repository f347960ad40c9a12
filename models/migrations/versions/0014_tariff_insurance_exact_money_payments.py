"""tariff insurance: exact money on SQLite, credit-check letter validity, policy payments

Money and rates of the insurance tables become exact on SQLite: its NUMERIC columns kept
binary floats (a used quota of 24533052.230000004, a reserve of 2.3e-10), so they are converted
to integers of the smallest unit (fen; 1/10,000 of a percent for rates), rounded half up, and
declared BIGINT. PostgreSQL already kept NUMERIC(18, 2) / NUMERIC(7, 4): its values stay as they
are. Credit-check letters get their one-year validity from their signing date (China Standard
Time); quotas' phone columns take landlines; policies get the e-policy's signer and the premium
payment (TI-8).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY_SCALE, RATE_SCALE = 2, 4
# table -> (column, scale, nullable)
EXACT_COLUMNS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "tariff_quota": (
        ("requested_amount", MONEY_SCALE, False),
        ("approved_total", MONEY_SCALE, False),
        ("used", MONEY_SCALE, False),
        ("reserved", MONEY_SCALE, False),
        ("rate", RATE_SCALE, True),
        ("pending_increase", MONEY_SCALE, True),
    ),
    "tariff_quota_event": (
        ("amount", MONEY_SCALE, True),
        ("total_before", MONEY_SCALE, False),
        ("total_after", MONEY_SCALE, False),
        ("used_before", MONEY_SCALE, False),
        ("used_after", MONEY_SCALE, False),
        ("remaining_after", MONEY_SCALE, False),
        ("rate", RATE_SCALE, True),
    ),
    "tariff_policy": (
        ("coverage", MONEY_SCALE, False),
        ("rate", RATE_SCALE, False),
        ("premium_estimate", MONEY_SCALE, False),
        ("premium", MONEY_SCALE, True),
    ),
    "insurance_claim": (("payout_amount", MONEY_SCALE, False),),
}
ONE_VALID_QUOTA = "uq_tariff_quota_one_valid_per_enterprise"
VALID_STATES = sa.text("status IN ('SUBMITTED', 'RECEIVED', 'APPROVED')")


def _numeric(scale: int) -> sa.Numeric:  # type: ignore[type-arg]
    return sa.Numeric(precision=18 if scale == MONEY_SCALE else 7, scale=scale)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _drop_partial_index() -> None:
    with op.batch_alter_table("tariff_quota", schema=None) as batch_op:
        batch_op.drop_index(ONE_VALID_QUOTA, sqlite_where=VALID_STATES)


def _create_partial_index() -> None:
    with op.batch_alter_table("tariff_quota", schema=None) as batch_op:
        batch_op.create_index(
            ONE_VALID_QUOTA,
            ["enterprise_id"],
            unique=True,
            sqlite_where=VALID_STATES,
            postgresql_where=VALID_STATES,
        )


def _to_units() -> None:
    """SQLite: every money and rate value as an integer of its smallest unit."""
    _drop_partial_index()  # recreated explicitly: the table is rebuilt below
    for table, columns in EXACT_COLUMNS.items():
        for column, scale, _ in columns:
            rows = sa.table(table, sa.column(column))
            value = rows.c[column]
            rounded = sa.cast(sa.func.round(value * 10**scale), sa.Integer())
            op.execute(rows.update().where(value.is_not(None)).values({column: rounded}))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, scale, nullable in columns:
                batch_op.alter_column(
                    column,
                    existing_type=_numeric(scale),
                    type_=sa.BigInteger(),
                    existing_nullable=nullable,
                )
    _create_partial_index()


def _from_units() -> None:
    _drop_partial_index()
    for table, columns in EXACT_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, scale, nullable in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.BigInteger(),
                    type_=_numeric(scale),
                    existing_nullable=nullable,
                )
        for column, scale, _ in columns:
            rows = sa.table(table, sa.column(column))
            value = rows.c[column]
            op.execute(
                rows.update().where(value.is_not(None)).values({column: value / float(10**scale)})
            )
    _create_partial_index()


def _one_year(start: date) -> date:
    """The last day of a year of validity: the day before the same date a year later."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28)
    return anniversary - timedelta(days=1)


def _backfill_validity() -> None:
    letters = sa.table(
        "credit_authorisation",
        sa.column("id", sa.Integer()),
        sa.column("submitted_at", models.base.UTCDateTime()),
        sa.column("valid_from", sa.Date()),
        sa.column("valid_to", sa.Date()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(letters.c.id, letters.c.submitted_at)).all()
    for pk, submitted in rows:
        moment = submitted if isinstance(submitted, datetime) else datetime.fromisoformat(submitted)
        signed_on = (moment + timedelta(hours=8)).date()  # China Standard Time
        bind.execute(
            letters.update()
            .where(letters.c.id == pk)
            .values(valid_from=signed_on, valid_to=_one_year(signed_on))
        )


def upgrade() -> None:
    if _sqlite():
        _to_units()
    with op.batch_alter_table("credit_authorisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
    _backfill_validity()
    with op.batch_alter_table("credit_authorisation", schema=None) as batch_op:
        batch_op.alter_column("valid_from", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("valid_to", existing_type=sa.Date(), nullable=False)

    with op.batch_alter_table("tariff_quota", schema=None) as batch_op:
        for column in ("contact_phone", "legal_rep_phone"):
            batch_op.alter_column(
                column,
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=11),
                type_=sqlmodel.sql.sqltypes.AutoString(length=20),
                existing_nullable=False,
            )
    if _sqlite():
        _create_partial_index_if_missing()

    money = sa.BigInteger() if _sqlite() else sa.Numeric(precision=18, scale=2)
    with op.batch_alter_table("tariff_policy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("e_policy_signer", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("payment_status", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("payment_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(sa.Column("payment_amount", money, nullable=True))
        batch_op.add_column(
            sa.Column("payment_receipt", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("payment_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("paid_at", models.base.UTCDateTime(), nullable=True))
    # Policies issued before payments existed owe their premium.
    op.execute("UPDATE tariff_policy SET payment_status = 'UNPAID' WHERE status = 'ISSUED'")
    with op.batch_alter_table("tariff_policy_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_status", sa.String(length=16), nullable=True))


def _create_partial_index_if_missing() -> None:
    """SQLite rebuilt tariff_quota for its phone columns: make sure the partial index is back."""
    names = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("tariff_quota")}
    if ONE_VALID_QUOTA not in names:
        _create_partial_index()


def downgrade() -> None:
    with op.batch_alter_table("tariff_policy_event", schema=None) as batch_op:
        batch_op.drop_column("payment_status")
    with op.batch_alter_table("tariff_policy", schema=None) as batch_op:
        for column in (
            "paid_at",
            "payment_reason",
            "payment_receipt",
            "payment_amount",
            "payment_id",
            "payment_status",
            "e_policy_signer",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("tariff_quota", schema=None) as batch_op:
        for column in ("contact_phone", "legal_rep_phone"):
            batch_op.alter_column(
                column,
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
                type_=sqlmodel.sql.sqltypes.AutoString(length=11),
                existing_nullable=False,
            )
    with op.batch_alter_table("credit_authorisation", schema=None) as batch_op:
        batch_op.drop_column("valid_to")
        batch_op.drop_column("valid_from")
    if _sqlite():
        _from_units()
