"""Start-up of the desk, Qt-free: arguments, settings, database, embedded data service.

``main.py`` parses nothing itself: it hands ``sys.argv`` and the Qt front end to :func:`run`.
Keeping this part free of Qt means the launch rules (which database, which data service, what a
corrupt settings file does) are tested without a display, and the layering rule of DESIGN.md
(nothing under dispatch_app/ imports PySide6) holds.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from dispatch_app.config import (
    LANGUAGES,
    THEMES,
    AppPaths,
    LaunchOptions,
    LoadedSettings,
    SettingsError,
    load_settings,
    sqlite_url,
    validate_database_url,
    validate_service_url,
)
from dispatch_app.session import DataServiceLink

log = logging.getLogger(__name__)

DB_URL_ENV = "DISPATCH_DB_URL"
"""Database URL for the whole workstation (docs/contracts.md); --db and the settings file win."""

__all__ = ["DataServiceLink", "LaunchOptions", "launched", "prepare", "run"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dispatch-desk",
        description="Command and dispatch desk of the Changzhou ecological-environment "
        "command center (生态环境指挥调度中心).",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="interface language (default zh)")
    parser.add_argument("--db", metavar="URL", help="database URL (default: SQLite file)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="temporary database with a realistic workload and a demo duty officer logged in",
    )
    parser.add_argument(
        "--data-service",
        metavar="URL",
        help="data service base URL (default: start an embedded one)",
    )
    parser.add_argument("--theme", choices=THEMES, help="colour theme (default dark)")
    parser.add_argument(
        "--screenshot",
        metavar="DIR",
        type=Path,
        help="render each main view to PNG files in DIR and quit (implies --demo without --db)",
    )
    return parser


def prepare(argv: Sequence[str], paths: AppPaths | None = None) -> LaunchOptions:
    """Parses arguments over the stored settings. Raises SystemExit (argparse) or
    SettingsError (a bad --db / --data-service value) with a clear message."""
    args = build_parser().parse_args(list(argv))
    paths = paths or AppPaths.default()
    paths.ensure()
    loaded: LoadedSettings = load_settings(paths.settings_file)
    settings = loaded.settings

    demo = bool(args.demo) or (args.screenshot is not None and args.db is None)
    temporary_dir: Path | None = None
    if args.db is not None:
        database_url = validate_database_url(args.db)
    elif demo:
        temporary_dir = Path(tempfile.mkdtemp(prefix="dispatch-demo-"))
        database_url = sqlite_url(temporary_dir / "demo.db")
    elif settings.database_url:
        database_url = settings.database_url
    elif os.environ.get(DB_URL_ENV, "").strip():
        database_url = validate_database_url(os.environ[DB_URL_ENV])
    else:
        database_url = paths.default_database_url

    service = args.data_service or settings.data_service_url
    return LaunchOptions(
        paths=paths,
        settings=settings,
        language=args.lang or settings.language,
        theme=args.theme or settings.theme,
        font_pt=settings.font_pt,
        database_url=database_url,
        demo=demo,
        data_service_url=validate_service_url(service) if service else None,
        screenshot_dir=args.screenshot,
        settings_problem=loaded.problem,
        temporary_dir=temporary_dir,
    )


@contextlib.contextmanager
def launched(options: LaunchOptions) -> Iterator[DataServiceLink]:
    """What the desk depends on outside the database, always torn down: the data-service link
    (the child process, if one was started) and the demo database's directory."""
    link = DataServiceLink(options)
    try:
        yield link
    finally:
        link.stop()
        if options.temporary_dir is not None:
            shutil.rmtree(options.temporary_dir, ignore_errors=True)


FrontEnd = Callable[[LaunchOptions, DataServiceLink], int]
"""The Qt front end (ui.shell.application.run): takes the launch options and the data-service link,
returns the exit status."""


def exit_promptly(code: int) -> NoReturn:
    """End the process now, once the desk has closed what matters (the database, the embedded
    child, the layout file), skipping the interpreter's own teardown.

    That teardown would join every non-daemon thread with no time limit (an executor's worker
    stuck in a socket of a data service that accepted and never answers keeps a closed desk's
    process alive for minutes) and then destroy the whole Qt widget tree, which on a full desk
    (the station table, the map, the charts) takes seconds on its own. Neither adds anything
    once the desk has stopped."""
    current = threading.current_thread()
    left = [t.name for t in threading.enumerate() if t is not current and not t.daemon]
    if left:
        log.info("exiting; worker threads left behind: %s", ", ".join(sorted(left)))
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def run(argv: Sequence[str], front_end: FrontEnd) -> int:
    """Entry point called by main.py."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        options = prepare(argv)
    except SettingsError as exc:
        print(f"dispatch-desk: {exc}")
        return 2
    if options.settings_problem:
        log.warning("%s", options.settings_problem)
    with launched(options) as link:
        return front_end(options, link)
