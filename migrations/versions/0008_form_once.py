"""form once-tokens

Create forms (a demo request, a location, a session...) carry a token per render; the
first post spends it here, in the same transaction as what it creates, and the unique
token makes a second post of the same render (a double click) create nothing. One new
table, empty at first.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('form', sa.String(length=60), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
    sa.UniqueConstraint('token', name=op.f('uq_form_submissions_token'))
    )
    op.create_index(op.f('ix_form_submissions_sent_at'), 'form_submissions', ['sent_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_form_submissions_sent_at'), table_name='form_submissions')
    op.drop_table('form_submissions')
