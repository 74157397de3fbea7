"""``python -m dispatch_app.audit verify [--db URL]``: is the audit log's chain intact?

Exit code 0 when intact, 1 when broken, 2 when the database cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from dispatch_app.audit.verify import verify_chain
from dispatch_app.store.database import Store
from dispatch_app.store.errors import StoreError
from dispatch_app.store.location import default_database_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dispatch_app.audit", description="Audit log tools of the dispatch desk"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="check the hash chain of the audit log")
    verify.add_argument(
        "--db", default=None, help="database URL (default: $DISPATCH_DB_URL or the desk's file)"
    )
    args = parser.parse_args(argv)
    url = args.db or default_database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database.removeprefix("file:").split("?")[0])
        if not path.exists():
            # Opening it would create an empty file where the desk's database should be.
            print(f"cannot read the audit log: {path} does not exist", file=sys.stderr)
            return 2
    store = Store(url)
    try:
        result = verify_chain(store)
    except StoreError as exc:
        print(f"cannot read the audit log: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # e.g. no audit table: not a desk database
        print(f"cannot read the audit log at {url}: {exc}", file=sys.stderr)
        return 2
    finally:
        store.dispose()
    print(result.describe())
    return 0 if result.intact else 1


if __name__ == "__main__":
    sys.exit(main())
