"""``python -m dispatch_app.dataservice``: run the reference data service (see server.py)."""

from __future__ import annotations

import sys

from dispatch_app.dataservice.cli import main

if __name__ == "__main__":
    sys.exit(main())
