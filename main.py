"""Entry point of the dispatch desk: ``python main.py [--lang en] [--db URL] [--demo] ...``.

Arguments and start-up rules live in dispatch_app/app.py (Qt-free, tested without a display);
the Qt front end in ui/application.py.
"""

from __future__ import annotations

import sys


def main() -> int:
    from dispatch_app.app import exit_promptly, run
    from ui.application import run as run_front_end

    code = run(sys.argv[1:], run_front_end)
    # A worker thread still blocked (a hung data-service call) must not keep a closed desk's
    # process alive: the interpreter would wait for it without limit.
    exit_promptly(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
