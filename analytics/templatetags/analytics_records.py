"""``{% if request.user|may_export_records %}``: whether the analytics sub-navigation
offers the records exports (no query once the user's roles are loaded)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import User
from analytics.records.permissions import user_may_use_records

register = template.Library()


@register.filter
def may_export_records(user: Any) -> bool:
    return isinstance(user, User) and user_may_use_records(user)
