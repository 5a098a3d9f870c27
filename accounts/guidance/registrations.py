"""What guidance registers at start-up (from ``AccountsConfig.ready``): its audit actions,
its dashboard panel, and the tick of a checklist item when an audit entry earns it."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions
from accounts.dashboard import register_dashboard_panels
from accounts.models import AuditEntry


def register() -> None:
    from accounts.guidance.dashboard import PANELS
    from accounts.guidance.services import completion_record_on_append

    register_audit_actions(
        {
            "accounts.audit.viewed": _("Audit log read"),
            "accounts.audit.exported": _("Audit log exported"),
            "accounts.training.exported": _("Training record exported"),
        }
    )
    register_dashboard_panels(*PANELS)
    post_save.connect(
        completion_record_on_append,
        sender=AuditEntry,
        dispatch_uid="guidance_completion_record",
    )
