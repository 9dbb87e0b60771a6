"""sign-ins

Server-side sign-in records: the session and remember-me cookies carry a random token
whose SHA-256 is kept here, so signing out, a password change or "sign out everywhere"
ends a sign-in for good (a copied cookie is refused afterwards). One new table; the
sign-ins made before this revision (cookies with a bare account id) are simply no
longer recognised: everyone signs in once more.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('remembered', sa.Boolean(), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                            name=op.f('fk_sign_ins_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_ins_token_hash'))
    )
    op.create_index(op.f('ix_sign_ins_user_id'), 'sign_ins', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sign_ins_user_id'), table_name='sign_ins')
    op.drop_table('sign_ins')
