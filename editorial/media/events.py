"""Signals of the media library, for features built on it that the library must not import.

``media_asset_described``: an asset's description (alt text, caption, subtitles, rights)
changed, inside the transaction that changed it; receivers get ``asset``, ``actor`` and
``request``. Posts that use the asset go back to review when their approval no longer
matches (``editorial.posts.services.posts_review_after_media_change``)."""

from __future__ import annotations

from django.dispatch import Signal

media_asset_described = Signal()
