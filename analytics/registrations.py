"""Audit actions of the analytics area (registered at start-up). Action names are
``analytics.<feature>.<what happened>``; each feature adds its own block below."""

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions


def register() -> None:
    register_audit_actions(
        {
            # metrics
            "analytics.metrics.insights_switched": _(
                "Platform Insights switched on or off for a channel"
            ),
        },
        area=_("Analytics"),
    )
