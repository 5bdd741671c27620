"""Tell whether the PostgreSQL and Redis of the services test pass answer.

Exit 0 when both answer, 1 when one does not (the reason on stderr).
"""

import os
import socket
import sys
from urllib.parse import urlparse

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
}


def answers(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def main() -> int:
    problems = []
    db = os.environ.get("SERVICES_DATABASE_URL", DEFAULTS["DATABASE_URL"])
    broker = os.environ.get("SERVICES_BROKER_URL", DEFAULTS["CELERY_BROKER_URL"])
    if not answers(db, 5432):
        problems.append(f"PostgreSQL does not answer at {urlparse(db).netloc}")
    if not answers(broker, 6379):
        problems.append(f"Redis does not answer at {urlparse(broker).netloc}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
