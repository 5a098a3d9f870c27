"""Audit log throughput: every audited change appends under one row lock, so this bounds
how many audited state changes per second the whole installation can make.

Prints: audit_append_per_s (one writer), audit_append_concurrent_per_s (8 writers),
audit_verify_entries_per_s (manage.py audit_verify), audit_chain_intact (1 = yes).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from _setup import setup_django

setup_django("audit")

from django.db import connection  # noqa: E402

from accounts.audit import audit_log  # noqa: E402
from accounts.audit import verify_audit_chain  # noqa: E402
from accounts.models import AuditEntry  # noqa: E402
from accounts.models import OrgUnit  # noqa: E402

SEQUENTIAL = 2000
CONCURRENT_WRITERS = 8
PER_WRITER = 250


def append(count: int, unit: OrgUnit) -> None:
    for i in range(count):
        audit_log(
            action="accounts.unit.updated",
            unit=unit,
            target=unit,
            before={"name": "alt", "n": i},
            after={"name": "neu", "n": i},
        )
    connection.close()


def main() -> None:
    unit = OrgUnit.objects.create(name="Bench", kind=OrgUnit.Kind.AUTHORITY, path="/")
    started = time.perf_counter()
    append(SEQUENTIAL, unit)
    sequential = SEQUENTIAL / (time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT_WRITERS) as pool:
        list(pool.map(lambda _: append(PER_WRITER, unit), range(CONCURRENT_WRITERS)))
    concurrent = CONCURRENT_WRITERS * PER_WRITER / (time.perf_counter() - started)

    total = AuditEntry.objects.count()
    started = time.perf_counter()
    problems = list(verify_audit_chain())
    verify = total / (time.perf_counter() - started)

    print(f"audit_append_per_s: {sequential:.0f}")
    print(f"audit_append_concurrent_per_s: {concurrent:.0f}")
    print(f"audit_verify_entries_per_s: {verify:.0f}")
    print(f"audit_chain_intact: {0 if problems else 1}")


if __name__ == "__main__":
    main()
