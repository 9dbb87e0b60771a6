"""badges

Each event's Ed25519 badge signing key (private part encrypted with a key derived
from SECRET_KEY, public part in clear) and the log of every scan at the gates.
Two new tables only: nothing existing is altered.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 06:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('badge_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('private_key_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_badge_keys_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_keys')),
    sa.UniqueConstraint('event_id', name=op.f('uq_badge_keys_event_id')),
    sa.UniqueConstraint('key_id', name=op.f('uq_badge_keys_key_id'))
    )
    op.create_table('badge_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('badge_version', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=5), nullable=False),
    sa.Column('result', sa.String(length=6), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("direction IN ('entry', 'exit')", name=op.f('ck_badge_scans_direction_valid')),
    sa.CheckConstraint("result IN ('admit', 'refuse')", name=op.f('ck_badge_scans_result_valid')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_badge_scans_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_badge_scans_location_id_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_badge_scans_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_badge_scans_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_scans'))
    )
    op.create_index('ix_badge_scans_event_at', 'badge_scans', ['event_id', 'at'], unique=False)
    op.create_index(op.f('ix_badge_scans_location_id'), 'badge_scans', ['location_id'], unique=False)
    op.create_index(op.f('ix_badge_scans_participant_id'), 'badge_scans', ['participant_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_badge_scans_participant_id'), table_name='badge_scans')
    op.drop_index(op.f('ix_badge_scans_location_id'), table_name='badge_scans')
    op.drop_index('ix_badge_scans_event_at', table_name='badge_scans')
    op.drop_table('badge_scans')
    op.drop_table('badge_keys')
