"""delegate portal

ID photo and private calendar token of participants; the programme sessions a
participant follows.

Plain ADD COLUMN and CREATE INDEX on purpose: a batch (copy-and-rename) rebuild of
`participants` on SQLite would drop the table with foreign keys on, and its ON DELETE
CASCADE would empty meetings and zones.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('participants', sa.Column('photo_path', sa.String(length=255), nullable=True))
    op.add_column('participants', sa.Column('ics_token_hash', sa.String(length=64), nullable=True))
    op.create_index(
        op.f('ix_participants_ics_token_hash'), 'participants', ['ics_token_hash'], unique=True
    )
    op.create_table('followed_sessions',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_followed_sessions_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_followed_sessions_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'session_id', name=op.f('pk_followed_sessions'))
    )
    op.create_index(
        op.f('ix_followed_sessions_session_id'), 'followed_sessions', ['session_id'], unique=False
    )


def downgrade():
    op.drop_index(op.f('ix_followed_sessions_session_id'), table_name='followed_sessions')
    op.drop_table('followed_sessions')
    op.drop_index(op.f('ix_participants_ics_token_hash'), table_name='participants')
    op.drop_column('participants', 'ics_token_hash')
    op.drop_column('participants', 'photo_path')
