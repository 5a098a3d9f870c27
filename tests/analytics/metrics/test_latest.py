# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""``PostMetricLatest``: each variant's newest reading, kept by the database whoever writes
the snapshot (the metrics task's ``bulk_create``, a row created one by one); an older age
arriving late does not replace a newer one; the snapshots stay the history."""

from __future__ import annotations

from analytics.models import PostMetricLatest
from analytics.models import PostMetricSnapshot
from editorial.models import PostVariant
from tests.analytics.dashboard.conftest import IN_MARCH
from tests.analytics.dashboard.conftest import published
from tests.conftest import Org
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _variant(org: Org) -> PostVariant:
    post = published([org.press_channel], IN_MARCH)
    return PostVariant.objects.get(post=post)


def _snapshot(variant: PostVariant, age: int, likes: int | None) -> PostMetricSnapshot:
    return PostMetricSnapshot(
        variant=variant, channel_id=variant.channel_id, age_bucket=age, likes=likes
    )


def test_the_newest_reading_is_kept_per_variant(org: Org) -> None:
    variant = _variant(org)
    PostMetricSnapshot.objects.bulk_create([_snapshot(variant, 1, 3)])
    PostMetricSnapshot.objects.bulk_create([_snapshot(variant, 24, 8)], ignore_conflicts=True)

    latest = PostMetricLatest.objects.get(variant=variant)

    assert (latest.age_bucket, latest.likes, latest.channel_id) == (24, 8, org.press_channel.pk)
    assert PostMetricSnapshot.objects.filter(variant=variant).count() == 2


def test_an_older_age_arriving_late_does_not_replace_the_newer(org: Org) -> None:
    variant = _variant(org)
    _snapshot(variant, 168, 20).save()
    _snapshot(variant, 24, 5).save()

    latest = PostMetricLatest.objects.get(variant=variant)

    assert (latest.age_bucket, latest.likes) == (168, 20)


def test_not_provided_stays_empty_not_zero(org: Org) -> None:
    variant = _variant(org)
    _snapshot(variant, 1, None).save()

    assert PostMetricLatest.objects.get(variant=variant).likes is None


def test_a_variant_without_a_reading_has_no_row(org: Org) -> None:
    variant = _variant(org)

    assert not PostMetricLatest.objects.filter(variant=variant).exists()
