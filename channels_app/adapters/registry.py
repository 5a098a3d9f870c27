"""Platform → adapter class. Imported lazily so that a broken optional adapter module
cannot stop the whole application from starting."""

from __future__ import annotations

from functools import cache

from django.utils.module_loading import import_string

from channels_app.adapters.base import PlatformAdapter

ADAPTER_PATHS: dict[str, str] = {
    "sandbox": "channels_app.adapters.sandbox.SandboxAdapter",
    "mastodon": "channels_app.adapters.mastodon.MastodonAdapter",
    "bluesky": "channels_app.adapters.bluesky.BlueskyAdapter",
    "threads": "channels_app.adapters.threads.ThreadsAdapter",
    "facebook": "channels_app.adapters.facebook.FacebookAdapter",
    "instagram": "channels_app.adapters.instagram.InstagramAdapter",
    "x": "channels_app.adapters.x.XAdapter",
    "linkedin": "channels_app.adapters.linkedin.LinkedInAdapter",
    "youtube": "channels_app.adapters.youtube.YouTubeAdapter",
    "telegram": "channels_app.adapters.telegram.TelegramAdapter",
}


@cache
def adapter_class(platform: str) -> type[PlatformAdapter]:
    return import_string(ADAPTER_PATHS[platform])
