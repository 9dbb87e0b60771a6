"""security vetting

Host-nation security vetting: events gain a switch (off for every existing event, so
nothing changes for them), and participants an identity document whose number and date
of birth are sealed (Fernet) with the security officers' verdict; and a retention period
for personal data after the event.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('security_vetting', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=True))
    op.create_table('identity_documents',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('number_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('birth_date_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('issuing_country', sa.String(length=2), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('scan_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('scan_type', sa.String(length=20), nullable=True),
    sa.Column('vetting', sa.String(length=10), nullable=False),
    sa.Column('vetting_reason', sa.Text(), nullable=True),
    sa.Column('vetted_by_id', sa.Integer(), nullable=True),
    sa.Column('vetted_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('passport', 'national_id')", name=op.f('ck_identity_documents_kind_valid')),
    sa.CheckConstraint("vetting IN ('pending', 'cleared', 'refused', 'more_info')", name=op.f('ck_identity_documents_vetting_valid')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_identity_documents_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vetted_by_id'], ['users.id'], name=op.f('fk_identity_documents_vetted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_identity_documents'))
    )
    op.create_index(op.f('ix_identity_documents_vetting'), 'identity_documents', ['vetting'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_identity_documents_vetting'), table_name='identity_documents')
    op.drop_table('identity_documents')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('retention_days')
        batch_op.drop_column('security_vetting')
