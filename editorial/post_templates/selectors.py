"""Reads of post templates."""

from __future__ import annotations

from django.db.models import Prefetch
from django.db.models import QuerySet

from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from channels_app.models import Channel
from editorial.common.placeholders import template_placeholders
from editorial.models import PostTemplate


def post_template_placeholders(template: PostTemplate) -> list[str]:
    """Placeholders of the template's internal title and text, each once."""
    return template_placeholders(template.title, template.text)


def post_templates_for_user(user: User) -> QuerySet[PostTemplate]:
    """Templates of the units where the user holds any role (and the units below)."""
    return PostTemplate.objects.filter(unit_id__in=unit_ids_for_roles(user, Role.values))


def post_template_list_for_user(user: User) -> QuerySet[PostTemplate]:
    """For lists: unit and channels in a constant number of queries."""
    return (
        post_templates_for_user(user)
        .select_related("unit")
        .prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("name")))
        .order_by("unit__path", "name", "id")
    )
