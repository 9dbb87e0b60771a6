"""security officers

A fourth kind of event account: the host nation's security officer, attached to an
event like organisers and gate staff, who vets its participants. The users.role check
constraint gains the value; no data changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 01:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BEFORE = "role IN ('organiser', 'exhibitor', 'delegate', 'gate')"
AFTER = "role IN ('organiser', 'exhibitor', 'delegate', 'gate', 'security')"


def _check(condition):
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_valid'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_valid'), condition)
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite's batch mode rebuilds the table by copying it and cannot carry an
        # index on an expression: without this, two accounts could share an e-mail
        # address spelt in different case.
        op.execute('CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))')


def upgrade():
    _check(AFTER)


def downgrade():
    op.execute("DELETE FROM users WHERE role = 'security'")
    _check(BEFORE)
