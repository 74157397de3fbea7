"""Entry point of the dispatch desk from a checkout: ``python main.py [--lang en] [--db URL]
[--demo] ...``; installed, the same is the ``dispatch-desk`` command (ui/__main__.py).
"""

from __future__ import annotations

import sys

from ui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
