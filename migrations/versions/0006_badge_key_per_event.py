"""badge key per event

Events are now born with their badge signing key (so printing or verifying a badge
only reads it, and a GET never writes). This gives one to every event made before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    from expo_app.badges.services import new_key_row

    connection = op.get_bind()
    events = sa.table("events", sa.column("id", sa.Integer))
    keys = sa.table(
        "badge_keys",
        sa.column("event_id", sa.Integer),
        sa.column("key_id", sa.String),
        sa.column("public_key", sa.LargeBinary),
        sa.column("private_key_pem", sa.Text),
        sa.column("created_at", sa.DateTime),
    )
    keyless = connection.execute(
        sa.select(events.c.id).where(
            ~sa.exists().where(keys.c.event_id == events.c.id)
        )
    ).scalars()
    for event_id in list(keyless):
        connection.execute(keys.insert().values(**new_key_row(event_id)))


def downgrade():
    pass  # the keys stay: badges printed with them must keep verifying
