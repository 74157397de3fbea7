"""First start, login, lockout and user management on both databases."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from dispatch_app.desk import Desk
from dispatch_app.desk.errors import AuthError, ConflictError, LockedOut, PermissionDenied
from dispatch_app.domain.errors import ValidationError
from dispatch_app.domain.roles import Role
from dispatch_app.store.audit_records import recent_audit
from dispatch_app.store.user_records import DuplicateUsername, user_by_name
from tests.desk.conftest import PASSWORD, Clock, second_desk


def test_first_start_creates_the_administrator(db_url: str, clock: Clock) -> None:
    d = Desk.open(db_url, clock=clock)
    try:
        assert d.needs_first_administrator()
        with pytest.raises(ValidationError) as short:
            d.create_first_administrator("admin", "管理员", "short")
        assert short.value.field == "password"
        with pytest.raises(ValidationError) as bad_name:
            d.create_first_administrator("a b", "管理员", PASSWORD)
        assert bad_name.value.field == "username"
        assert d.needs_first_administrator()  # the refused attempts created nobody
        admin = d.create_first_administrator("admin", "管理员", PASSWORD)
        assert admin.role is Role.ADMINISTRATOR and d.current_user == admin
        with d.store.read() as conn:
            stored = user_by_name(conn, "admin")
        assert stored is not None
        assert stored["password_params"] == "scrypt:n=16384,r=8,p=1"
        assert PASSWORD not in str(dict(stored)) and len(stored["password_salt"]) == 32
        assert not d.needs_first_administrator()
        with pytest.raises(AuthError):
            d.create_first_administrator("admin2", "第二个", PASSWORD)
    finally:
        d.close()
    # The next start asks for a login instead.
    again = Desk.open(db_url, clock=clock)
    try:
        assert not again.needs_first_administrator()
        assert again.current_user is None
        assert again.login("admin", PASSWORD).username == "admin"
    finally:
        again.close()


def test_wrong_password_and_unknown_user_say_the_same(desk: Desk) -> None:
    desk.logout()
    with pytest.raises(AuthError) as wrong:
        desk.login("officer", "not-the-password")
    with pytest.raises(AuthError) as unknown:
        desk.login("nobody", "not-the-password")
    assert wrong.value.message("en") == unknown.value.message("en") == "wrong user name or password"
    assert wrong.value.message("zh") == "用户名或密码错误"
    assert desk.current_user is None


def test_lockout_after_five_failures_for_fifteen_minutes(desk: Desk, clock: Clock) -> None:
    desk.logout()
    for _ in range(4):
        with pytest.raises(AuthError) as info:
            desk.login("officer", "guess")
        assert not isinstance(info.value, LockedOut)
    with pytest.raises(LockedOut) as locked:
        desk.login("officer", "guess")
    assert locked.value.until == clock.now + timedelta(minutes=15)
    # Even the right password is refused while locked.
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(LockedOut):
        desk.login("officer", PASSWORD)
    clock.advance(seconds=2)
    assert desk.login("officer", PASSWORD).username == "officer"
    with desk.store.read() as conn:
        actions = [e["action"] for e in recent_audit(conn, 20)]
    assert "login.locked_out" in actions and "login.refused_locked" in actions


def test_success_resets_the_failure_count(desk: Desk) -> None:
    desk.logout()
    for _ in range(4):
        with pytest.raises(AuthError):
            desk.login("leader", "guess")
    desk.login("leader", PASSWORD)
    desk.logout()
    for _ in range(4):
        with pytest.raises(AuthError):
            desk.login("leader", "guess")  # four more: still not locked
    assert desk.login("leader", PASSWORD).role is Role.SHIFT_LEADER


def test_user_management_is_for_administrators(desk: Desk) -> None:
    users = {u.username: u for u in desk.list_users()}
    assert set(users) == {"admin", "officer", "leader", "viewer"}
    with pytest.raises(DuplicateUsername):
        desk.create_user("officer", "重名", "duty_officer", PASSWORD)
    with pytest.raises(ValidationError) as bad_role:
        desk.create_user("newbie", "新人", "king", PASSWORD)
    assert bad_role.value.field == "role"
    leader = users["leader"]
    updated = desk.update_user(leader.id, leader.version, display_name="李主任")
    assert updated.display_name == "李主任" and updated.version == leader.version + 1
    with pytest.raises(ConflictError) as stale:
        desk.update_user(leader.id, leader.version, role="viewer")
    assert stale.value.their_version == updated.version
    admin = users["admin"]
    with pytest.raises(ValidationError) as last:
        desk.update_user(admin.id, admin.version, role="duty_officer")
    assert last.value.key == "error.last_administrator"

    desk.logout()
    desk.login("leader", PASSWORD)
    with pytest.raises(PermissionDenied):
        desk.list_users()
    with pytest.raises(PermissionDenied):
        desk.create_user("x1", "x", "viewer", PASSWORD)


def test_deactivated_user_cannot_log_in_and_passwords_change(desk: Desk) -> None:
    viewer = next(u for u in desk.list_users() if u.username == "viewer")
    desk.update_user(viewer.id, viewer.version, active=False)
    desk.set_password(
        next(u for u in desk.list_users() if u.username == "officer").id, "new-password-1"
    )
    desk.logout()
    with pytest.raises(AuthError):
        desk.login("viewer", PASSWORD)
    with pytest.raises(AuthError):
        desk.login("officer", PASSWORD)
    desk.login("officer", "new-password-1")
    with pytest.raises(AuthError):
        desk.change_own_password("wrong", "another-password")
    desk.change_own_password("new-password-1", "another-password")
    desk.logout()
    assert desk.login("officer", "another-password").username == "officer"


def test_nothing_works_logged_out(desk: Desk) -> None:
    desk.logout()
    with pytest.raises(AuthError) as info:
        desk.queue_count()
    assert info.value.key == "error.not_logged_in"


def test_logging_in_does_not_make_an_admin_edit_stale(desk: Desk) -> None:
    officer = next(u for u in desk.list_users() if u.username == "officer")
    other = second_desk(desk.store.url, Clock(), "officer")  # the officer logs in meanwhile
    other.close()
    updated = desk.update_user(officer.id, officer.version, display_name="张三（早班）")
    assert updated.display_name == "张三（早班）"


def test_wrong_attempts_at_once_all_count(desk: Desk, db_url: str, clock: Clock) -> None:
    desks = [second_desk(db_url, clock, "admin") for _ in range(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def attempts(d: Desk) -> None:
        start.wait()
        for _ in range(3):
            try:
                d.login("leader", "guess")
            except AuthError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=attempts, args=(d,)) for d in desks]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        for d in desks:
            d.close()
    assert len(errors) == 6
    # Five failures lock the account whichever workstation they came from.
    assert any(isinstance(e, LockedOut) for e in errors)
    with pytest.raises(LockedOut):
        desk.login("leader", PASSWORD)
