"""Addresses of editorial pages that services, feeds and serializers hand out."""

from __future__ import annotations

from django.urls import reverse


def post_url(post_id: int) -> str:
    """The path of a post's page."""
    return reverse("posts:detail", args=[post_id])
