"""``{{ lateness|late_for:post }}``: a post's entry in what ``post_lateness`` returned (a
template cannot index a dict by a variable)."""

from __future__ import annotations

from django import template

from editorial.models import Post
from editorial.publishing.selectors import Lateness

register = template.Library()


@register.filter
def late_for(lateness: dict[int, Lateness] | None, post: Post) -> Lateness | None:
    return (lateness or {}).get(post.pk)
