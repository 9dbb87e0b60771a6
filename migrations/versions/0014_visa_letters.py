"""visa letters

The visa invitation letters issued to foreign participants: one per person, its
reference (unique, checked by consulates on the event's public page) and the stay it
covers. One new table only: nothing existing is altered. No letterhead column: the
letter's head is the event's organiser, venue, city, country and website.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visa_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('stay_from', sa.Date(), nullable=False),
    sa.Column('stay_to', sa.Date(), nullable=False),
    sa.CheckConstraint('stay_to >= stay_from', name=op.f('ck_visa_letters_stay_ordered')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_visa_letters_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visa_letters')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_visa_letters_participant_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_visa_letters_reference'))
    )


def downgrade():
    op.drop_table('visa_letters')
