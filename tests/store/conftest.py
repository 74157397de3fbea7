from tests.desk.conftest import clock, desk  # noqa: F401 - shared fixtures
