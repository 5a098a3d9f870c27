"""The demo inbox: loading ingests the sandbox channels once; loading twice doubles nothing."""

from __future__ import annotations

from django.db.models import Count

from accounts.demo import demo_units
from accounts.demo import load as load_accounts
from channels_app.demo import load as load_channels
from moderation.ingestion.demo import load
from moderation.models import InboxItem
from moderation.models import IngestCursor


def test_the_demo_fills_the_inbox_and_is_safe_to_run_twice(db: None) -> None:
    units = demo_units()
    load_accounts(units)
    load_channels(units)
    load(units)
    first = InboxItem.objects.count()
    kinds = set(InboxItem.objects.values_list("kind", flat=True))
    assert first > 20 and kinds == {"comment", "mention", "message"}
    assert not IngestCursor.objects.filter(last_success_at__isnull=True).exists()
    load(units)
    assert not (
        InboxItem.objects.values("channel", "remote_id").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert InboxItem.objects.count() >= first
