"""Errors the domain raises when a rule refuses something.

Each error carries a stable message key (for translation tables in the UI) and ready-made
Simplified Chinese and English texts, so a desk without a translation for a key still shows a
clear reason instead of a stack trace.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the desk refused an operation; the message says which rule and why."""

    def __init__(self, key: str, message_en: str, message_zh: str, **params: Any) -> None:
        super().__init__(message_en)
        self.key = key
        self.message_en = message_en
        self.message_zh = message_zh
        self.params = params

    def message(self, lang: str = "zh") -> str:
        """The reason in the desk's language (``zh`` or ``en``)."""
        return self.message_zh if lang.startswith("zh") else self.message_en


class ValidationError(DomainError):
    """A field value is unacceptable; ``field`` names the field so the UI can mark it."""

    def __init__(self, field: str, key: str, message_en: str, message_zh: str, **params: Any):
        super().__init__(key, message_en, message_zh, field=field, **params)
        self.field = field


class PermissionDenied(DomainError):
    """The user's role does not allow the operation."""


class IllegalTransition(DomainError):
    """The workflow does not allow this action from the case's current status, or a guard
    (closure code, note, reason) is not satisfied."""
