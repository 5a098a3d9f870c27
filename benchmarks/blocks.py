"""The block register at the size of a large authority: 20,000 entries (a quarter lifted) on
50 channels, 2,000 of them due for review, in a throw-away PostgreSQL database (``_setup``).

Prints medians in milliseconds over ``ROUNDS`` runs: block_ms (``action_block``: the
decision with its evidence record, the entry and the audit entries, on a platform without a
block API, so nothing is queued), register_page_ms and due_page_ms (the register's first
page, all entries and the due section, rendered for an auditor through the full middleware
stack), register_queries (the page's query count, which must not grow with the register),
api_page_ms (``GET /api/v1/blocks/?status=all``), and reminders_ms (the hourly reminder task
over the 2,000 due reviews, once: every later run finds nothing to remind of). Targets:
pages well under 300 ms at this size; the reminder run well within its hour.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from _setup import median_ms
from _setup import setup_django

ENTRIES = 20_000
CHANNELS = 50
DUE = 2_000


def main() -> None:
    setup_django("blocks")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    from accounts.models import OrgUnit
    from accounts.models import Role
    from accounts.models import RoleAssignment
    from accounts.models import User
    from accounts.services import api_token_create
    from channels_app.models import Channel
    from moderation.actions.services import action_block
    from moderation.blocks.services import block_review_reminders_send
    from moderation.models import Author
    from moderation.models import BlockEntry
    from moderation.models import InboxItem
    from moderation.models import Netiquette
    from moderation.models import NetiquetteRule

    unit = OrgUnit.objects.create(name="Stadt")
    OrgUnit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk}/")  # a root unit's path
    unit.refresh_from_db()
    manager = User.objects.create_user(email="cm@stadt.example", password=None)
    auditor = User.objects.create_user(email="rp@stadt.example", password=None)
    RoleAssignment.objects.create(user=manager, unit=unit, role=Role.COMMUNITY_MANAGER)
    RoleAssignment.objects.create(user=auditor, unit=unit, role=Role.AUDITOR)
    netiquette = Netiquette.objects.create(unit=unit, version=1, published_at=timezone.now())
    rule = NetiquetteRule.objects.create(netiquette=netiquette, number=1, title="Respekt", text="…")
    channels = Channel.objects.bulk_create(
        Channel(unit=unit, platform="x", name=f"Kanal {n}") for n in range(CHANNELS)
    )
    authors = Author.objects.bulk_create(
        Author(channel=channels[n % CHANNELS], remote_id=f"a{n}", handle=f"person{n}")
        for n in range(ENTRIES)
    )
    today = timezone.localdate()
    now = timezone.now()
    BlockEntry.objects.bulk_create(
        BlockEntry(
            channel_id=author.channel_id,
            author=author,
            rule=rule,
            justification="Wiederholte Beleidigungen.",
            blocked_by=manager,
            blocked_at=now - timedelta(minutes=n),
            review_due_on=today - timedelta(days=1) if n < DUE else today + timedelta(days=60),
            platform_status=BlockEntry.PlatformStatus.MANUAL,
            status=BlockEntry.Status.LIFTED if n >= ENTRIES * 3 // 4 else BlockEntry.Status.ACTIVE,
            lifted_at=now if n >= ENTRIES * 3 // 4 else None,
        )
        for n, author in enumerate(authors)
    )

    counter = iter(range(1_000_000))

    def block() -> None:
        number = next(counter)
        author = Author.objects.create(channel=channels[0], remote_id=f"new{number}")
        item = InboxItem.objects.create(
            channel=channels[0], remote_id=f"c{number}", author=author, created_at=now
        )
        action_block(
            actor=manager,
            item=item,
            rule=rule,
            justification="Drohung.",
            why_not_milder="Eine Drohung darf auch für ihren Verfasser nicht stehen bleiben.",
        )

    print(f"block_ms: {median_ms(block):.1f}")

    client = Client()
    client.force_login(auditor)

    def page(path: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        return get

    print(f"register_page_ms: {median_ms(page('/moderation/blocks/?status=all')):.1f}")
    print(f"due_page_ms: {median_ms(page('/moderation/blocks/?status=due')):.1f}")
    with CaptureQueriesContext(connection) as queries:
        page("/moderation/blocks/?status=all")()
    print(f"register_queries: {len(queries)}")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=auditor, name='b').key}")
    print(f"api_page_ms: {median_ms(lambda: api.get('/api/v1/blocks/', {'status': 'all'})):.1f}")

    start = time.perf_counter()
    reminded = block_review_reminders_send(today)
    print(f"reminders_ms: {(time.perf_counter() - start) * 1000:.0f}")
    assert reminded == DUE, reminded


if __name__ == "__main__":
    main()
