"""zone rules

Standing grants of restricted locations and badge categories: "approved people of
military delegations get the demo zone", "... are VIP". One new table only: nothing existing is altered (so SQLite rebuilds
nothing, and keeps its expression indexes).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('zone_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=True),
    sa.Column('delegation_kind', sa.String(length=12), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("delegation_kind IN ('government', 'military', 'industry', 'press', 'other')", name=op.f('ck_zone_rules_delegation_kind_valid')),
    sa.CheckConstraint("role IN ('delegate', 'exhibitor_staff', 'organiser', 'press', 'vip')", name=op.f('ck_zone_rules_role_valid')),
    sa.CheckConstraint('delegation_kind IS NOT NULL OR role IS NOT NULL', name=op.f('ck_zone_rules_names_who')),
    sa.CheckConstraint("category IN ('delegate', 'vip', 'press')", name=op.f('ck_zone_rules_category_valid')),
    sa.CheckConstraint('location_id IS NOT NULL OR category IS NOT NULL', name=op.f('ck_zone_rules_gives_something')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_zone_rules_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_zone_rules_location_id_locations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_rules'))
    )
    op.create_index(op.f('ix_zone_rules_event_id'), 'zone_rules', ['event_id'], unique=False)
    op.create_index(op.f('ix_zone_rules_location_id'), 'zone_rules', ['location_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_zone_rules_location_id'), table_name='zone_rules')
    op.drop_index(op.f('ix_zone_rules_event_id'), table_name='zone_rules')
    op.drop_table('zone_rules')
