"""Audit actions of the analytics area (registered at start-up). Action names are
``analytics.<feature>.<what happened>``; each feature adds its own block below."""

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions
from accounts.audit import register_audit_fields
from accounts.navigation import NAV_ORDER
from accounts.navigation import NavItem
from accounts.navigation import register_navigation
from analytics.dashboard.permissions import user_may_see_dashboard


def register() -> None:
    # Auswertung: its first page is the dashboard, the goals one step away in its sub-nav.
    register_navigation(
        NavItem(
            label=_("Analytics"),
            section="analytics",
            url="dashboard:index",
            visible=user_may_see_dashboard,
            order=NAV_ORDER["analytics"],
            prefixes=("/analytics/",),
        )
    )
    register_audit_actions(
        {
            # metrics
            "analytics.metrics.insights_switched": _(
                "Platform Insights switched on or off for a channel"
            ),
            # dashboard
            "analytics.dashboard.exported": _("Dashboard table downloaded (CSV or XLSX)"),
            # goals
            "analytics.goals.created": _("Goal set"),
            "analytics.goals.updated": _("Goal changed"),
            "analytics.goals.archived": _("Goal archived"),
            "analytics.goals.target_group_created": _("Target group created"),
            "analytics.goals.target_group_updated": _("Target group changed"),
            "analytics.goals.target_group_archived": _("Target group archived"),
            "analytics.goals.channel_strategy_updated": _(
                "Strategy of a channel changed (why it is used, for whom)"
            ),
            # records
            "analytics.records.requested": _("Records export requested"),
            "analytics.records.ready": _("Records export built"),
            "analytics.records.failed": _("Records export failed"),
            "analytics.records.downloaded": _("Records export downloaded"),
            "analytics.records.deleted": _("Records export deleted after the retention period"),
            # reports
            "analytics.reports.settings_updated": _(
                "Monthly report settings changed (on/off, language, recipients)"
            ),
            "analytics.reports.requested": _("Monthly report requested"),
            "analytics.reports.built": _("Monthly report built"),
            "analytics.reports.failed": _("Monthly report failed"),
            "analytics.reports.mailed": _("Monthly report e-mailed"),
            "analytics.reports.downloaded": _("Monthly report downloaded"),
        },
        area=_("Analytics"),
    )
    register_audit_fields(
        {
            "insights_enabled": _("Platform Insights used"),
            "extra_addresses": _("Further e-mail addresses"),
            "recipients": _("Recipients"),
        }
    )
