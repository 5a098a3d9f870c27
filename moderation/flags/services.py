"""Automatic flags on ingestion. Flags explain themselves and never remove anything."""

from __future__ import annotations

from collections.abc import Sequence

from moderation.models import Flag, InboxItem


def flags_raise(*, items: Sequence[InboxItem]) -> list[Flag]:
    """Look at freshly ingested (or edited) items and store the flags they deserve.

    Called by ingestion once per stored batch, inside its transaction."""
    return []
