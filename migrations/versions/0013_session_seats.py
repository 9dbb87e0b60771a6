"""session seats and waitlists

A session's capacity is enforced: each follower of a session with a capacity holds a
numbered seat 1..capacity (unique in the session) or waits on its list. The capacity is
copied into each follower row by a foreign key that follows changes, so a CHECK can
hold seats within it; the copy's target is a unique index on sessions (id, capacity),
an index and not a constraint so that SQLite need not rebuild the sessions table.
Followers of sessions that already have a capacity get seats in order of following.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('uq_sessions_id_capacity', 'sessions', ['id', 'capacity'], unique=True)
    with op.batch_alter_table('followed_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_capacity', sa.Integer(), nullable=True))
    _seat_existing_followers()
    with op.batch_alter_table('followed_sessions', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_followed_sessions_capacity', 'sessions',
            ['session_id', 'session_capacity'], ['id', 'capacity'],
            onupdate='CASCADE', ondelete='CASCADE',
        )
        batch_op.create_unique_constraint('uq_followed_sessions_seat', ['session_id', 'seat'])
        batch_op.create_check_constraint(
            op.f('ck_followed_sessions_seat_within_capacity'),
            "seat IS NULL OR (session_capacity IS NOT NULL AND seat >= 1"
            " AND seat <= session_capacity)",
        )


def _seat_existing_followers():
    """The first `capacity` followers of each session with a capacity get seats 1..n,
    the others wait, in the order they followed."""
    bind = op.get_bind()
    followed = sa.table(
        'followed_sessions',
        sa.column('participant_id'), sa.column('session_id'), sa.column('seat'),
        sa.column('session_capacity'), sa.column('created_at'),
    )
    sessions = sa.table('sessions', sa.column('id'), sa.column('capacity'))
    limited = bind.execute(
        sa.select(sessions.c.id, sessions.c.capacity).where(sessions.c.capacity.is_not(None))
    ).all()
    for session_id, capacity in limited:
        rows = bind.execute(
            sa.select(followed.c.participant_id)
            .where(followed.c.session_id == session_id)
            .order_by(followed.c.created_at, followed.c.participant_id)
        ).scalars().all()
        for number, participant_id in enumerate(rows, start=1):
            bind.execute(
                followed.update()
                .where(
                    followed.c.session_id == session_id,
                    followed.c.participant_id == participant_id,
                )
                .values(seat=number if number <= capacity else None, session_capacity=capacity)
            )


def downgrade():
    with op.batch_alter_table('followed_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_followed_sessions_seat_within_capacity'), type_='check')
        batch_op.drop_constraint('uq_followed_sessions_seat', type_='unique')
        batch_op.drop_constraint('fk_followed_sessions_capacity', type_='foreignkey')
        batch_op.drop_column('session_capacity')
        batch_op.drop_column('seat')
    op.drop_index('uq_sessions_id_capacity', table_name='sessions')
