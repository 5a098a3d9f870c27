"""A short cache of computed dashboards (Redis, the default cache), per user and parameters.

Computing a dashboard is a handful of aggregate queries over the readings of every channel
in scope; the page, its downloads (one per table) and the API ask for the same figures again
and again within a minute. ``cached_dashboard`` keeps each result for
``ANALYTICS_DASHBOARD_CACHE_SECONDS`` (default 120; 0 switches the cache off) under a key made
of everything the result depends on:

- the user (their units decide the scope), the period, the chosen unit, channel and topic,
  the day (``today``: goals' progress, presets) and the active language (titles and
  summaries are sentences);
- **the data's last change**, so that a dashboard is never stale after new figures arrive:
  the newest post metric snapshot and channel daily figure (their highest ids, read in one
  query on the primary keys, whatever writes them: the metrics tasks' ``bulk_create``, a
  back-fill in SQL) and a *generation* counter in the cache that every save or delete of a
  model the dashboard reads (posts, variants, channels, units, roles, topics, goals, the
  Insights switch, inbox items, replies, moderation decisions, service settings) raises
  when it happens and again once its transaction commits (``connect_invalidation``).

A change that bypasses model signals (a queryset ``update()``) of something other than the
figures is seen at the latest when the entry expires. The cached value is the ``Dashboard``
itself (pickled), so the page, the downloads and the API keep rendering from the same data."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Sequence
from typing import Any
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete
from django.db.models.signals import post_save
from django.utils import translation

from accounts.models import OrgUnit
from accounts.models import RoleAssignment
from analytics.models import ChannelAnalyticsSettings
from analytics.models import ChannelDailyFigure
from analytics.models import Goal
from analytics.models import PostMetricSnapshot
from analytics.models import TargetGroup
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import PostVariant
from editorial.models import Topic
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import ModerationSettings
from moderation.models import NetiquetteRule
from moderation.models import Reply

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_SECONDS = 120
GENERATION_KEY = "analytics:dashboard:generation"
KEY_PREFIX = "analytics:dashboard:v1:"

_FIGURES_VERSION_SQL = "SELECT (SELECT MAX(id) FROM {snapshot}), (SELECT MAX(id) FROM {figure})"


def cache_seconds() -> int:
    return int(getattr(settings, "ANALYTICS_DASHBOARD_CACHE_SECONDS", DEFAULT_SECONDS))


def figures_version() -> tuple[int | None, int | None]:
    """The newest snapshot's and daily figure's ids: one query on the primary keys."""
    with connection.cursor() as cursor:
        cursor.execute(
            _FIGURES_VERSION_SQL.format(
                snapshot=PostMetricSnapshot._meta.db_table, figure=ChannelDailyFigure._meta.db_table
            )
        )
        snapshot, figure = cursor.fetchone()
    return snapshot, figure


def _generation() -> int:
    try:
        return int(cache.get(GENERATION_KEY) or 0)
    except Exception:  # the cache is down: compute, never serve a stale entry
        logger.warning("Dashboard cache unavailable", exc_info=True)
        return -1


def bump_generation() -> None:
    """Every cached dashboard is outdated (called once a relevant change commits)."""
    try:
        cache.add(GENERATION_KEY, 0, timeout=None)
        cache.incr(GENERATION_KEY)
    except Exception:  # a cache outage must not fail the write; entries expire
        logger.warning("Dashboard cache generation not raised", exc_info=True)


def _changed(sender: type[Model], **kwargs: Any) -> None:
    # Now (the writing transaction itself reads fresh) and once committed: a dashboard
    # computed by another request meanwhile saw the old rows and is kept under the old
    # generation only.
    bump_generation()
    transaction.on_commit(bump_generation)


def dashboard_models() -> list[type[Model]]:
    """The models whose rows a dashboard shows or is scoped by (besides the figures' ids)."""
    return [
        OrgUnit,
        RoleAssignment,
        Channel,
        ChannelAnalyticsSettings,
        Post,
        PostVariant,
        Topic,
        Goal,
        TargetGroup,
        PostMetricSnapshot,
        ChannelDailyFigure,
        InboxItem,
        Reply,
        ModerationAction,
        ModerationSettings,
        NetiquetteRule,
    ]


def connect_invalidation(models: Sequence[type[Model]] | None = None) -> None:
    """Raise the generation after each save or delete of these models (once committed);
    at start-up (``AnalyticsConfig.ready``) with ``dashboard_models()``."""
    for model in models if models is not None else dashboard_models():
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-cache-{model._meta}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboard-cache-{model._meta}")


def cached_dashboard(parts: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or its result for the same ``parts`` and data, kept for a short while."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    generation = _generation()
    if generation < 0:
        return compute()
    version = (parts, translation.get_language(), figures_version(), generation)
    key = KEY_PREFIX + hashlib.sha256(repr(version).encode()).hexdigest()
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("Dashboard cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found
    result = compute()
    try:
        cache.set(key, result, timeout=seconds)
    except Exception:  # too large, or the cache is down: serve it uncached
        logger.warning("Dashboard not cached", exc_info=True)
    return result
