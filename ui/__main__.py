"""The desk's entry point: ``dispatch-desk [--lang en] [--db URL] [--demo] ...`` once installed,
``python -m ui ...`` or ``python main.py ...`` from a checkout.

Arguments and start-up rules live in dispatch_app/app.py (Qt-free, tested without a display);
the Qt front end in ui/application.py.
"""

from __future__ import annotations

import sys


def main() -> int:
    from dispatch_app.app import exit_promptly, run
    from ui.shell.application import run as run_front_end

    # Once the desk has closed, the process ends at once: worker threads still blocked (a hung
    # data-service call) and the interpreter's teardown of the widget tree are not waited for.
    exit_promptly(run(sys.argv[1:], run_front_end))


if __name__ == "__main__":
    sys.exit(main())
