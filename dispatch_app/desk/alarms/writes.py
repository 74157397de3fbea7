"""Writing alarm changes: one transaction per round or action, with history, audit, change
rows and the cases alarms open or note on."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from dispatch_app.desk.alarms.feed import StationFeed
from dispatch_app.desk.alarms.queries import AlarmQueries
from dispatch_app.desk.alarms.values import (
    CASE_DETAILS_KEY,
    CASE_PRIORITY,
    EXERCISE_PREFIX_ZH,
    SYSTEM_ACTOR,
    TOPIC,
    AlarmUpdate,
    RoundResult,
    _Write,
)
from dispatch_app.desk.audit_values import iso
from dispatch_app.desk.events import Changed
from dispatch_app.desk.unit_of_work import UnitOfWork
from dispatch_app.desk.views import UserView
from dispatch_app.domain import alarms as lifecycle
from dispatch_app.domain.alarms import (
    Alarm,
    AlarmChange,
    AlarmState,
    ChangeKind,
)
from dispatch_app.domain.cases import (
    CaseDraft,
    CaseKind,
    CaseSource,
    validate_draft,
)
from dispatch_app.domain.districts import District
from dispatch_app.domain.errors import ValidationError
from dispatch_app.standards.center_time import CENTER_TZ
from dispatch_app.store import alarm_records, case_records
from dispatch_app.store.errors import NotFound
from dispatch_app.store.queue import OPEN_STATUSES

log = logging.getLogger(__name__)


class AlarmWrites(StationFeed, AlarmQueries):
    """The write path of ``AlarmDesk`` (mixed into it)."""

    def _persist(self, changes: list[AlarmChange], now: datetime) -> RoundResult:
        """Write ``changes`` (under the lock) and publish; see the module docstring."""
        if not changes:
            return RoundResult()
        write = _Write(round_audit=[])
        refreshes = [c for c in changes if c.kind is ChangeKind.UPDATED]
        # The alarm system's own round: no one need be logged in.
        with self.desk.context.unit_of_work(None, now=now) as uow:
            self._write_refreshes(uow, refreshes, write)
            for change in changes:
                if change.kind is not ChangeKind.UPDATED:
                    self._write_change(uow, change, None, write)
            self._finish(uow, write)
        announce = [
            c
            for c in changes
            if c.kind is ChangeKind.RAISED
            and (held := self._alarms.get(c.after.key)) is not None
            and held.state is AlarmState.ACTIVE_UNACKNOWLEDGED
        ]
        touched = {c.after.key for c in changes}
        with self._cache:
            announcements = tuple(self._annunciator.announce(announce, now))
            current = tuple(self._alarms[k] for k in sorted(touched) if k in self._alarms)
        update = AlarmUpdate(alarms=current, announcements=announcements)
        self._notify(update)
        self._take_remote()
        return RoundResult(
            tuple(write.written),
            tuple(sorted(write.refused)),
            announcements,
            tuple(write.opened),
        )

    def _write_refreshes(
        self, uow: UnitOfWork, refreshes: list[AlarmChange], write: _Write
    ) -> None:
        """The UPDATED changes (value and last-seen of active alarms) in one batch: no history,
        no audit (they are no transitions), but change-feed rows so other desks follow."""
        if not refreshes:
            return
        items = [
            (c.after, c.before.version, None if c.after.case_id is None else int(c.after.case_id))
            for c in refreshes
            if c.before is not None
        ]
        ids, refused = alarm_records.update_alarms_batch(uow.conn, items, refreshes[0].at)
        write.refused |= refused
        for change in refreshes:
            alarm_id = ids.get(change.after.key)
            if alarm_id is None:
                continue
            write.ids[change.after.key] = alarm_id
            write.written.append(change)
            self._change_row(change, alarm_id, write)

    def _change_row(self, change: AlarmChange, alarm_id: int, write: _Write) -> None:
        after = change.after
        write.change_rows.append(
            {
                "at": change.at,
                "topic": TOPIC,
                "entity_id": alarm_id,
                "version": after.version,
                "action": change.kind.value,
                "origin": self.desk.origin,
            }
        )
        write.events.append(Changed(TOPIC, alarm_id, after.version, change.kind.value, True))

    def _finish(self, uow: UnitOfWork, write: _Write) -> None:
        """End of a write transaction: the batched change-feed rows (one statement for a
        round's alarms), the round's audit, and what the unit of work does after commit: the
        cache takes the winners and reloads what another desk wrote first, then the events
        are published."""
        alarm_records.record_changes(uow.conn, write.change_rows)
        if write.round_audit:
            uow.audit(
                "alarm.round",
                "alarm",
                uow.origin,
                {"changes": write.round_audit},
                actor_name=SYSTEM_ACTOR,
            )
        uow.after_commit(lambda: self._take_written(write))
        for event in write.events:
            uow.publish_after_commit(event)

    def _take_written(self, write: _Write) -> None:
        with self._cache:
            for change in write.written:
                self._alarms[change.after.key] = change.after
            self._ids.update(write.ids)
        if write.refused:
            with self.desk.store.read() as conn:
                for row in alarm_records.alarms_by_keys(conn, write.refused):
                    self._remember(row)

    def _write_change(
        self,
        uow: UnitOfWork,
        change: AlarmChange,
        actor: UserView | None,
        write: _Write,
    ) -> bool:
        """One change inside the transaction; False (and the key marked refused) when the
        stored alarm is not the one the change was computed from."""
        key = change.after.key
        if key in write.refused:
            return False
        after = change.after
        case_id = None if after.case_id is None else int(after.case_id)
        if change.before is None:
            alarm_id = alarm_records.insert_alarm(uow.conn, after, case_id, change.at)
        else:
            alarm_id = alarm_records.update_alarm(
                uow.conn, after, change.before.version, case_id, change.at
            )
        if alarm_id is None:
            write.refused.add(key)
            return False
        write.ids[key] = alarm_id
        write.written.append(change)
        who = actor.username if actor is not None else change.user
        if change.kind is not ChangeKind.UPDATED:
            # Refreshes of last_seen are not transitions: the row holds them, history does not.
            alarm_records.append_history(
                uow.conn,
                alarm_id,
                change.at,
                change.kind.value,
                who,
                change.note,
                after,
                self.desk.origin,
            )
            audit = {
                "key": key,
                "alarm_id": alarm_id,
                "kind": change.kind.value,
                "state": after.state.value,
                "version": after.version,
                "value": after.value,
                "note": change.note,
                "case_id": after.case_id,
                "shelved_until": iso(after.shelved_until),
            }
            if write.round_audit is not None and actor is None:
                write.round_audit.append(audit)
            else:
                uow.audit(
                    f"alarm.{change.kind.value}",
                    "alarm",
                    alarm_id,
                    audit,
                    actor_name=who or SYSTEM_ACTOR,
                    at=change.at,
                )
        self._change_row(change, alarm_id, write)
        if change.kind is ChangeKind.RAISED and after.open_case:
            self._auto_case(uow, change, alarm_id, write)
        elif change.kind is ChangeKind.CLEARED and after.case_id is not None:
            self._note_on_case(uow, int(after.case_id), after, "cleared", change.at, write)
        elif change.kind is ChangeKind.RAISED and after.case_id is not None:
            self._note_on_case(uow, int(after.case_id), after, "raised", change.at, write)
        return True

    # ------------------------------------------------------------------ alarm → case

    def _auto_case(
        self, uow: UnitOfWork, change: AlarmChange, alarm_id: int, write: _Write
    ) -> None:
        """A rule with ``open_case`` opens a quality case when the alarm is raised, once: only
        the desk whose write of the RAISED change won gets here. A re-raise whose linked case
        is still open notes it on that case; one whose case was finished opens a new one."""
        after = change.after
        if after.case_id is not None:
            row = case_records.get_case(uow.conn, int(after.case_id))
            if row["status"] in OPEN_STATUSES:
                self._note_on_case(uow, int(after.case_id), after, "raised", change.at, write)
                return
        try:
            self._link_new_case(uow, after, alarm_id, change.at, None, write)
        except ValidationError as exc:
            # Refused before anything was written (the draft is checked first): the alarm
            # stands without its case rather than the round failing for ever; an officer
            # opening it on request sees why.
            log.warning("alarm %s: no automatic case: %s", after.key, exc)

    def _link_new_case(
        self,
        uow: UnitOfWork,
        alarm: Alarm,
        alarm_id: int,
        now: datetime,
        actor: UserView | None,
        write: _Write,
    ) -> Alarm:
        case_id = self._insert_case(uow, alarm, alarm_id, now, actor)
        linked = lifecycle.link_case(alarm, str(case_id), now)
        # The version the row holds is ``alarm.version``: link on top of it, in this
        # transaction, so the case and the link exist together or not at all.
        self._write_change(uow, linked, actor, write)
        write.opened.append(case_id)
        # This workstation's queue learns of the case now (other desks by the change feed).
        write.events.append(Changed("case", case_id, 1, "create", True))
        return linked.after

    def _case_details(self, alarm: Alarm, alarm_id: int) -> dict[str, Any]:
        rule = self.rule(alarm.rule_id)
        station = self.station(alarm.station_id)
        record = lifecycle.alarm_to_dict(alarm)
        # A drill's case says so in its details too: the drill's removal checks it.
        exercise = {"exercise": {"drill": alarm.exercise}} if alarm.exercise else {}
        return {
            **exercise,
            CASE_DETAILS_KEY: {
                "key": alarm.key,
                "alarm_id": alarm_id,
                "rule_id": alarm.rule_id,
                "rule_name_zh": rule.name_zh if rule else alarm.rule_id,
                "rule_name_en": rule.name_en if rule else alarm.rule_id,
                "station_id": alarm.station_id,
                "station_name": station.name if station else alarm.station_id,
                "priority": alarm.priority.value,
                "raised_at": record["raised_at"],
                "value": alarm.value,
                "threshold": alarm.threshold,
                "message_zh": alarm.message_zh,
                "message_en": alarm.message_en,
                "evidence": record["evidence"],
            },
        }

    def _insert_case(
        self,
        uow: UnitOfWork,
        alarm: Alarm,
        alarm_id: int,
        now: datetime,
        actor: UserView | None,
    ) -> int:
        rule = self.rule(alarm.rule_id)
        station = self.station(alarm.station_id)
        station_name = station.name if station else alarm.station_id
        rule_name = rule.name_zh if rule else alarm.rule_id
        district = station.district if station and station.district else None
        if district not in {d.value for d in District}:
            raise ValidationError(
                "district",
                "alarm.case.no_district",
                f"station {alarm.station_id} has no known district: the case cannot be placed",
                f"站点 {alarm.station_id} 无所属辖区，无法立案",
            )
        # The description is read by officers: the center's local time, not UTC ISO text.
        evidence_lines = [
            f"{e.parameter} {e.value} ({e.basis}, {e.flag}) "
            f"@ {e.time.astimezone(CENTER_TZ):%Y-%m-%d %H:%M}（北京时间）"
            for e in alarm.evidence
        ]
        draft = validate_draft(
            CaseDraft(
                kind=CaseKind.QUALITY,
                title=(EXERCISE_PREFIX_ZH if alarm.exercise else "")
                + f"{rule_name}：{station_name}（{alarm.station_id}）",
                district=District(str(district)),
                priority=CASE_PRIORITY[alarm.priority],
                source=CaseSource.MONITORING,
                description="\n".join([alarm.message_zh, *evidence_lines]),
                address=(station.river or station_name) if station else "",
                lon=station.lon if station else None,
                lat=station.lat if station else None,
                details=self._case_details(alarm, alarm_id),
            )
        )
        case_id, _ = self.desk.insert_case(
            uow.conn,
            draft,
            actor.username if actor is not None else SYSTEM_ACTOR,
            now,
            timeline_text=alarm.message_zh,
            timeline_data={"alarm": alarm.key, "alarm_id": alarm_id},
            audit_extra={"alarm": alarm.key, "alarm_id": alarm_id, "automatic": actor is None},
        )
        return case_id

    def _note_on_case(
        self,
        uow: UnitOfWork,
        case_id: int,
        alarm: Alarm,
        event: str,
        at: datetime,
        write: _Write,
    ) -> None:
        """The case's timeline records the alarm clearing (or raised again)."""
        try:
            row = case_records.get_case(uow.conn, case_id)
        except NotFound:
            log.warning("alarm %s links to missing case %s", alarm.key, case_id)
            return
        value = "—" if alarm.value is None else f"{alarm.value:g}"
        if event == "cleared":
            text = f"报警已消除（{alarm.key}，当前值 {value}）/ Alarm cleared ({alarm.key}, now {value})"
        else:
            text = (
                f"报警再次触发（{alarm.key}，第 {alarm.count} 次，值 {value}）/ "
                f"Alarm raised again ({alarm.key}, #{alarm.count}, value {value})"
            )
        version = case_records.update_case(
            uow.conn,
            case_id,
            int(row["version"]),
            {"updated_at": at, "updated_by": SYSTEM_ACTOR},
        )
        case_records.append_timeline(
            uow.conn,
            case_id,
            {
                "at": at,
                "actor": SYSTEM_ACTOR,
                "entry_kind": "note",
                "text": text,
                "data": {"alarm": alarm.key, "event": event, "value": alarm.value},
            },
        )
        uow.audit(
            "case.note",
            "case",
            case_id,
            {"text": text, "alarm": alarm.key, "event": event},
            actor_name=SYSTEM_ACTOR,
            at=at,
        )
        # Announced in the order of the round's events (``_finish`` hands them over).
        uow.changed("case", case_id, version, "note", at=at, publish=False)
        write.events.append(Changed("case", case_id, version, "note", True))
