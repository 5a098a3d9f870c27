from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import AuditEntry, OrgUnit, User


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody can add, change or delete an audit entry, not even a superuser."""

    list_display = ["sequence", "created_at", "actor_label", "action", "target_repr", "unit"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_repr"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    """Read-only here: units are changed in the product so that every change is audited."""

    list_display = ["name", "kind", "parent", "federal_state"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Read-only here: invitations, roles and deactivation go through the product's
    administration so that they are audited."""

    list_display = ["email", "full_name", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
