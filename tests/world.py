"""The two authorities and their people (``tests.conftest.build_org``/``build_people``) built
once per test module instead of once per test, for modules with many small tests.

A module opts in with::

    # ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
    from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
    from tests.world import org  # noqa: F401  (built once per module)
    from tests.world import people  # noqa: F401  (built once per module)
    from tests.world import world  # noqa: F401  (built once per module)

and no ``django_db`` mark (pytest-django's own test case would end the module's transaction).
Only for modules whose tests use one database connection: a live server, a Celery worker (a
thread or a process), a subprocess or a transactional test has a second one, which waits for
the module's open transaction without end (its first audit entry needs the audit chain head
the world's own entries hold; tests.matrix.db refuses a live server or a transactional
database, and config/settings/test.py's lock timeout ends any other such wait after a minute).
A module whose tests count from an empty table the world writes to (the audit log) stays on
the per-test fixtures too (tests/accounts/audit_checkpoints).
Every test gets fresh instances read from the database, so a test that changes or refreshes
an object in memory leaves nothing behind for the next; what it writes is rolled back with
its savepoint."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest

from tests.conftest import Org
from tests.conftest import People
from tests.conftest import build_org
from tests.conftest import build_people
from tests.matrix import built_once


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Org, People]]:
    with built_once(django_db_blocker):
        org = build_org()
        yield org, build_people(org)


def fresh(built: Any) -> Any:
    """A copy of the dataclass ``built`` with each of its model instances read again (one
    query per model)."""
    values = {f.name: getattr(built, f.name) for f in fields(built)}
    pks: dict[type, set[Any]] = defaultdict(set)
    for value in values.values():
        pks[type(value)].add(value.pk)
    read = {model: model.objects.in_bulk(ids) for model, ids in pks.items()}
    return type(built)(**{name: read[type(value)][value.pk] for name, value in values.items()})


@pytest.fixture
def org(world: tuple[Org, People], db: None) -> Org:
    return fresh(world[0])


@pytest.fixture
def people(world: tuple[Org, People], db: None) -> People:
    return fresh(world[1])
