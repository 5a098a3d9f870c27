from django import template

from accounts.models import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """The translated name of a role value stored in JSON (notifications, audit data)."""
    return str(Role(value).label) if value in Role.values else value
