"""Turning a failed desk call into words a duty officer can act on.

Domain errors carry their own Chinese and English texts; infrastructure errors (a locked or
read-only database file, a lost PostgreSQL connection) are recognised here and explained,
because "OperationalError" tells an officer at 3 a.m. nothing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from dispatch_app.domain.errors import DomainError
from ui.shell.i18n import current_language

log = logging.getLogger(__name__)


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message(current_language())
    # Store errors (locked, read-only, conflict, not found) carry both texts the same way.
    if hasattr(exc, "message_zh") and callable(getattr(exc, "message", None)):
        return str(exc.message(current_language()))  # type: ignore[attr-defined]
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return QCoreApplication.translate(
            "Errors",
            "The database file is read-only: nothing was saved. Ask the administrator to "
            "fix the file permissions; your input is kept in the form.",
        )
    if "database is locked" in text or "locked" in text:
        return QCoreApplication.translate(
            "Errors",
            "The database is busy (locked by another program): nothing was saved. "
            "Try again in a moment; your input is kept in the form.",
        )
    if "unable to open database" in text or "no such table" in text:
        return QCoreApplication.translate("Errors", "The database cannot be opened: %1").replace(
            "%1", str(exc).splitlines()[0]
        )
    if "connection" in text or "could not connect" in text or "server closed" in text:
        return QCoreApplication.translate(
            "Errors",
            "The connection to the database server was lost: nothing was saved. "
            "Your input is kept; try again when the connection is back.",
        )
    log.error("unexpected error from a desk call", exc_info=exc)
    return QCoreApplication.translate("Errors", "Unexpected error: %1").replace(
        "%1", str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    )
