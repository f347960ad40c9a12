"""seals: soft delete

Deleting a seal that signed an agreement or a credit-check letter failed on their foreign keys
(issue 14). A deleted seal is now marked (``deleted_at``) and leaves every list, look-up and
use, while what it signed keeps referring to it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", models.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # Without the column a deleted seal would come back: remove those nothing refers to. The
    # ones that signed something must stay (foreign keys) and return as DISABLED seals.
    op.execute(
        "DELETE FROM seal WHERE deleted_at IS NOT NULL"
        " AND id NOT IN (SELECT seal_id FROM agreement)"
        " AND id NOT IN (SELECT seal_id FROM credit_authorisation)"
    )
    with op.batch_alter_table("seal", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
