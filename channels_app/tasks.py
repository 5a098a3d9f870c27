from __future__ import annotations

from celery import shared_task

from channels_app.selectors import channels_due_for_refresh
from channels_app.services import channel_credentials_refresh
from channels_app.services import channel_platform_settings_refresh
from channels_app.services import channels_warn_expiring


@shared_task
def refresh_channel_platform_settings(channel_id: int) -> None:
    channel_platform_settings_refresh(channel_id)


@shared_task
def refresh_channel_credentials(channel_id: int) -> None:
    channel_credentials_refresh(channel_id)


@shared_task
def refresh_expiring_credentials() -> int:
    """Periodic: queue a refresh per channel whose access expires within a day."""
    ids = list(channels_due_for_refresh().values_list("id", flat=True))
    for channel_id in ids:
        refresh_channel_credentials.delay(channel_id)
    return len(ids)


@shared_task
def warn_about_expiring_channels() -> int:
    return channels_warn_expiring()
