"""Expo: trade-expo management. create_app() builds the Flask application."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, request, session
from flask_login import current_user
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from expo_app import config
from expo_app.extensions import babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app factory: configuration, extensions, blueprints, error pages and CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    if test_config is None:
        app.config.from_mapping(config.load(app.instance_path))
    else:
        app.config.from_mapping(config.load_for_tests(test_config))

    from expo_app import models  # noqa: F401  (registers every table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    from expo_app.web import params

    params.install(app)

    from expo_app.accounts.views import bp as accounts_bp
    from expo_app.badges.views import bp as badges_bp
    from expo_app.delegations.views import bp as delegate_portal_bp
    from expo_app.exhibitors.views import bp as exhibitor_portal_bp
    from expo_app.organiser.views import bp as organiser_bp
    from expo_app.programme.views import bp as programme_bp
    from expo_app.public.views import bp as public_bp
    from expo_app.vetting.views import bp as vetting_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(delegate_portal_bp)
    app.register_blueprint(exhibitor_portal_bp)
    app.register_blueprint(programme_bp)
    app.register_blueprint(organiser_bp)
    app.register_blueprint(badges_bp)
    app.register_blueprint(vetting_bp)

    from expo_app import errors, templating

    errors.register(app)
    templating.register(app)

    from expo_app.cli import register_commands

    register_commands(app)
    return app


def select_locale() -> str | None:
    """The language the person chose, else their account's, else their browser's."""
    from flask import current_app, has_request_context

    if not has_request_context():  # CLI, threads, PDFs: the default unless forced
        return None
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(list(languages)) or "en"


@sa_event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite as a real database: foreign keys on, WAL, wait for locks, write-locking BEGIN."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below issue BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 30000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@sa_event.listens_for(Engine, "begin")
def _begin_immediate(connection) -> None:
    """Take SQLite's write lock at BEGIN, so concurrent writers queue instead of failing.

    With a deferred BEGIN two transactions that both read and then write would
    deadlock and one would get "database is locked" at once; IMMEDIATE makes the
    second wait (busy_timeout) and then see the first one's committed rows.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
