from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Django's admin may look, never write: what it would change goes through the product,
    where every write is audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: nobody can add, change or delete an audit entry, not even a superuser."""

    list_display = ["sequence", "created_at", "actor_label", "action", "target_repr", "unit"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_repr"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    """Read-only here: units are changed in the product so that every change is audited."""

    list_display = ["name", "kind", "parent", "federal_state"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Read-only here: invitations, roles and deactivation go through the product's
    administration so that they are audited."""

    list_display = ["email", "full_name", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]
