from tests.desk.conftest import (  # noqa: F401 - shared fixtures
    _pg_session_url,
    _sqlite_template,
    clock,
    db_url,
    desk,
)
