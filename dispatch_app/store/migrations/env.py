"""Alembic environment: runs on the connection the desk hands over (see schema.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from dispatch_app.store.schema import include_name, target_metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        # Every area's tables (petitions, emergencies, alarms too), so autogenerate and
        # `alembic check` compare the whole schema; the SQLite search index is raw DDL.
        target_metadata=target_metadata(),
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Command-line use: `alembic -x url=...` (development only).
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database: alembic -x url=URL ...")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
