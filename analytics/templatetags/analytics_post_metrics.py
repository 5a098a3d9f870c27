"""``{% post_metrics post %}``: a post's figures on its own page (the editorial post page),
as the dashboard shows figures: one sentence that says what they come to, and a table of
the newest reading per channel (a figure not provided reads so, never 0). Shown only to who
reads the figures of the post's channels, and only once the post went out."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from analytics.common.tables import Column
from analytics.common.tables import FigureTable
from analytics.metrics.permissions import user_may_see_metrics
from analytics.metrics.selectors import post_variant_metrics
from analytics.models import POST_METRIC_FIELDS
from analytics.models import PostMetricSnapshot
from editorial.models import Post
from editorial.models import PostVariant

register = template.Library()


def _label(name: str) -> str:
    field = PostMetricSnapshot._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def _summary(variants: list[PostVariant], newest: list[PostMetricSnapshot | None]) -> str:
    read = [snapshot for snapshot in newest if snapshot is not None]
    if not read:
        return _("No figures have been read for this post yet.")
    parts = [s.likes for s in read] + [s.shares for s in read] + [s.comments for s in read]
    given = [value for value in parts if value is not None]
    if not given:
        return _("The platforms provide no likes, shares or replies for this post.")
    return ngettext(
        "%(engagement)s likes, shares and replies so far on %(count)s channel.",
        "%(engagement)s likes, shares and replies so far on %(count)s channels.",
        len(variants),
    ) % {"engagement": sum(given), "count": len(variants)}


def post_metrics_table(variants: list[PostVariant]) -> FigureTable:
    newest: list[PostMetricSnapshot | None] = [
        v.snapshots[-1] if v.snapshots else None  # type: ignore[attr-defined]
        for v in variants
    ]
    # A channel not read yet has no row (its figures are not "not provided", only not read).
    rows = tuple(
        (
            variant.channel.label,
            snapshot.age_bucket,
            *(getattr(snapshot, name) for name in POST_METRIC_FIELDS),
        )
        for variant, snapshot in zip(variants, newest, strict=True)
        if snapshot is not None
    )
    return FigureTable(
        key="post_metrics",
        title=_("Figures of this post"),
        columns=(
            Column("channel", _("Channel")),
            Column("age", _("Hours after publishing"), numeric=True),
            *(Column(name, _label(name), numeric=True) for name in POST_METRIC_FIELDS),
        ),
        rows=rows,
        summary=_summary(variants, newest),
        note=_("The newest reading per channel."),
    )


@register.inclusion_tag("analytics/metrics/_post_metrics.html", takes_context=True)
def post_metrics(context: dict[str, Any], post: Post) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user_may_see_metrics(user):
        return {"table": None}
    variants = post_variant_metrics(user, post)
    return {"table": post_metrics_table(variants) if variants else None}
