# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Notifications stored before they stopped carrying citizens' data lose it (migration
0014): they are kept, and retention does not reach them."""

from __future__ import annotations

import importlib

from django.db import connection

from accounts.models import Notification
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_stored_notifications_lose_quotes_and_names(people) -> None:  # type: ignore[no-untyped-def]
    migration = importlib.import_module(
        "moderation.migrations.0014_notifications_without_citizens_data"
    )
    quoted = Notification.objects.create(
        recipient=people.community_manager,
        kind="moderation.assigned",
        context={"actor": "Clara", "channel": "Stadt", "excerpt": "Erika, Hauptstr. 5"},
    )
    named = Notification.objects.create(
        recipient=people.community_manager,
        kind="moderation.block_review_due",
        context={"author": "erika_m", "channel": "Stadt", "due": "2026-12-01"},
    )
    with connection.cursor() as cursor:
        cursor.execute(migration.NEUTRALISE)
    quoted.refresh_from_db()
    named.refresh_from_db()
    assert (quoted.context, named.context) == (
        {"actor": "Clara", "channel": "Stadt"},
        {"channel": "Stadt", "due": "2026-12-01"},
    )
