"""Errors of the store, with the same shape as the domain's (key, zh and en texts), so the UI
shows every error the same way."""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    def __init__(self, key: str, message_en: str, message_zh: str, **params: Any) -> None:
        super().__init__(message_en)
        self.key = key
        self.message_en = message_en
        self.message_zh = message_zh
        self.params = params

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang.startswith("zh") else self.message_en


class StoreUnavailable(StoreError):
    """The database cannot be used right now; ``reason`` is ``locked``, ``read_only``,
    ``cannot_open``, ``corrupt`` or ``unreachable``. Nothing was written: the caller may
    retry (or, for ``corrupt``, choose another file)."""

    def __init__(self, reason: str, message_en: str, message_zh: str, detail: str = ""):
        super().__init__(f"error.store_{reason}", message_en, message_zh, detail=detail)
        self.reason = reason
        self.detail = detail


class ConflictError(StoreError):
    """A write based on a stale version was refused.

    ``theirs`` is the row as it is now in the database (a mapping of column values),
    ``yours`` is what the caller tried to write; ``their_version``/``your_version`` the
    versions. The UI shows both and keeps the user's text.
    """

    def __init__(
        self,
        entity: str,
        entity_id: int,
        your_version: int,
        their_version: int,
        theirs: dict[str, Any],
        yours: dict[str, Any],
    ) -> None:
        super().__init__(
            "error.conflict",
            f"{entity} {entity_id} was changed by someone else (version {their_version}, "
            f"you edited version {your_version}); nothing was overwritten",
            f"该记录已被他人修改（当前版本{their_version}，您编辑的是版本{your_version}），"
            "未覆盖任何内容",
            entity=entity,
            entity_id=entity_id,
        )
        self.entity = entity
        self.entity_id = entity_id
        self.your_version = your_version
        self.their_version = their_version
        self.theirs = theirs
        self.yours = yours


class NotFound(StoreError):
    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(
            "error.not_found",
            f"{entity} {entity_id} does not exist",
            f"未找到{_ZH.get(entity, entity)} {entity_id}",
            entity=entity,
            entity_id=str(entity_id),
        )
        self.entity = entity
        self.entity_id = entity_id


_ZH = {"case": "事项", "user": "用户", "filter": "筛选条件", "cap_message": "CAP消息"}
