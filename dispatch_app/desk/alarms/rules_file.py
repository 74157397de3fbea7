"""The alarm rules as the administrator edits them: the file, its revision, saving an edit."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

from dispatch_app.desk.alarms.base import AlarmDeskBase
from dispatch_app.desk.alarms.values import (
    RULES_TOPIC,
    AlarmUpdate,
    RulesConflict,
)
from dispatch_app.domain.alarm_rules import (
    AlarmRuleError,
    RuleSet,
    parse_rules,
)
from dispatch_app.domain.roles import Permission
from dispatch_app.store import alarm_records

log = logging.getLogger(__name__)

_REVISION_LINE = re.compile(r"^[ \t]*revision[ \t]*=.*$", re.MULTILINE)


def load_rules_file(path: Path) -> RuleSet:
    """Read and validate a rules file; AlarmRuleError names the rule and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AlarmRuleError(
            None, None, f"cannot read {path}: {exc}", f"无法读取 {path}：{exc}"
        ) from None
    return parse_rules(text, path.name)


def with_revision(text: str, revision: int) -> str:
    """``text`` with its ``revision = N`` line set to ``revision`` (added when missing); the
    administrator's comments and layout are kept as written."""
    line = f"revision = {revision}"
    if _REVISION_LINE.search(text):
        return _REVISION_LINE.sub(line, text, count=1)
    return f"{line}\n{text}" if not text.startswith("\n") else f"{line}{text}"


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step (temporary file, fsync, rename): a crash leaves the old or
    the new rules, never half of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RuleEditing(AlarmDeskBase):
    """The rule-editing use cases of ``AlarmDesk`` (mixed into it)."""

    def check_rules(self, text: str) -> RuleSet:
        """Validate an edit without saving it (AlarmRuleError names the rule and field)."""
        return parse_rules(text, "alarms.toml")

    def save_rules(self, text: str, expected_revision: int, note: str = "") -> RuleSet:
        """Save an administrator's edit made from ``expected_revision``.

        A bad rule raises AlarmRuleError naming the rule and field, a save over a revision
        someone else saved meanwhile raises RulesConflict; either way nothing is written and
        the rules in force stay as they were. The saved text keeps the administrator's
        comments; its ``revision`` becomes ``expected_revision + 1``."""
        self.desk.context.actor(Permission.MANAGE_RULES)  # before the administrator's errors
        parse_rules(text, "alarms.toml")  # the administrator's own errors first
        revision = expected_revision + 1
        final = with_revision(text, revision)
        rules = parse_rules(final, "alarms.toml")
        with self._lock:
            uow = self.desk.context.unit_of_work(Permission.MANAGE_RULES, now=self.clock())
            user, now = uow.actor, uow.now
            file_revision = self._file_revision()
            with uow:
                conn = uow.conn
                saved = alarm_records.latest_rule_revision(conn)
                db_revision = 0 if saved is None else int(saved["revision"])
                current = max(db_revision, file_revision, self._rules.revision)
                if current != expected_revision:
                    theirs = (
                        str(saved["text"])
                        if saved is not None and db_revision == current
                        else self._rules_text
                    )
                    raise RulesConflict(expected_revision, current, theirs, text)
                inserted = alarm_records.insert_rule_revision(
                    conn,
                    {
                        "revision": revision,
                        "text": final,
                        "saved_at": now,
                        "saved_by": user.username,
                        "note": note,
                    },
                )
                if not inserted:
                    raise RulesConflict(expected_revision, revision, "", text)
                before = {r.id: r for r in self._rules.rules}
                after = {r.id: r for r in rules.rules}
                uow.audit(
                    "alarm_rules.save",
                    "alarm_rules",
                    revision,
                    {
                        "revision": revision,
                        "note": note,
                        "added": sorted(set(after) - set(before)),
                        "removed": sorted(set(before) - set(after)),
                        "changed": sorted(
                            k for k in set(before) & set(after) if before[k] != after[k]
                        ),
                    },
                )
                uow.changed(RULES_TOPIC, revision, revision, "save")
                if self.rules_path is not None:
                    # In the same transaction: a file that cannot be written rolls the
                    # revision back, so file and database never disagree about what is saved.
                    _write_atomically(self.rules_path, final)
                # In force once committed, before the others hear of it.
                uow.after_commit(lambda: self._apply_rules(rules, final))
        self._notify(AlarmUpdate(rules_changed=True))
        return rules

    def _file_revision(self) -> int:
        if self.rules_path is None or not self.rules_path.exists():
            return 0
        try:
            return load_rules_file(self.rules_path).revision
        except AlarmRuleError:
            return 0  # a broken file on disk is not a newer revision
