"""exhibitor portal

Logo, phone and review note of exhibitors; demo slot requests with their
allow-lists of delegations and countries.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28 05:28:18.993137

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demo_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('exhibitor_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('duration_min', sa.Integer(), nullable=False),
    sa.Column('equipment', sa.Text(), nullable=True),
    sa.Column('preferred_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'placed', 'declined', 'withdrawn')", name=op.f('ck_demo_requests_status_valid')),
    sa.CheckConstraint('duration_min BETWEEN 5 AND 480', name=op.f('ck_demo_requests_duration_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_demo_requests_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exhibitor_id'], ['exhibitors.id'], name=op.f('fk_demo_requests_exhibitor_id_exhibitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_demo_requests_session_id_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demo_requests')),
    sa.UniqueConstraint('session_id', name=op.f('uq_demo_requests_session_id'))
    )
    with op.batch_alter_table('demo_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demo_requests_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_demo_requests_exhibitor_id'), ['exhibitor_id'], unique=False)

    op.create_table('demo_allowed_countries',
    sa.Column('demo_request_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['demo_request_id'], ['demo_requests.id'], name=op.f('fk_demo_allowed_countries_demo_request_id_demo_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('demo_request_id', 'country', name=op.f('pk_demo_allowed_countries'))
    )
    op.create_table('demo_allowed_delegations',
    sa.Column('demo_request_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_demo_allowed_delegations_delegation_id_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['demo_request_id'], ['demo_requests.id'], name=op.f('fk_demo_allowed_delegations_demo_request_id_demo_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('demo_request_id', 'delegation_id', name=op.f('pk_demo_allowed_delegations'))
    )
    with op.batch_alter_table('exhibitors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('logo_path', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('exhibitors', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('logo_path')
        batch_op.drop_column('contact_phone')

    op.drop_table('demo_allowed_delegations')
    op.drop_table('demo_allowed_countries')
    with op.batch_alter_table('demo_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demo_requests_exhibitor_id'))
        batch_op.drop_index(batch_op.f('ix_demo_requests_event_id'))

    op.drop_table('demo_requests')
