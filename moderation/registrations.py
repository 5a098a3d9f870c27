"""Audit actions, notification kinds and navigation of the moderation area (registered at
start-up). Action names are ``moderation.<feature>.<what happened>``."""

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions
from accounts.dashboard import register_dashboard_panels
from accounts.navigation import NAV_ORDER
from accounts.navigation import NavItem
from accounts.navigation import register_navigation
from accounts.notifications import NotificationKind
from accounts.notifications import register_notification_kinds
from moderation.common.permissions import user_may_see_moderation
from moderation.common.permissions import user_may_use_inbox


def register() -> None:
    from accounts.practice.events import practice_space_opened
    from moderation.netiquette.services import netiquette_practice_seed
    from moderation.replies.services import saved_replies_practice_seed

    practice_space_opened.connect(netiquette_practice_seed, dispatch_uid="moderation_netiquette")
    practice_space_opened.connect(saved_replies_practice_seed, dispatch_uid="moderation_replies")
    from moderation.common.panels import ItemPanel
    from moderation.common.panels import register_item_panel
    from moderation.replies.panel import reply_panel_context

    register_item_panel(
        ItemPanel(
            name="replies",
            template="moderation/replies/_panel.html",
            context=reply_panel_context,
            order=20,
        )
    )
    from moderation.service_levels.panels import service_level_panel_context

    register_item_panel(
        ItemPanel(
            name="service_levels",
            template="moderation/service_levels/_panel.html",
            context=service_level_panel_context,
            order=15,
        )
    )
    from moderation.blocks.panels import PANEL as BLOCKS_PANEL

    register_item_panel(BLOCKS_PANEL)
    from moderation.actions.panels import PANEL as ACTIONS_PANEL

    register_item_panel(ACTIONS_PANEL)
    from moderation.flags.panels import PANEL as FLAGS_PANEL

    register_item_panel(FLAGS_PANEL)
    from moderation.inbox import dashboard as inbox_dashboard

    register_dashboard_panels(*inbox_dashboard.PANELS)
    register_navigation(
        NavItem(
            label=_("Inbox"),
            section="moderation",
            url="inbox:index",
            visible=user_may_use_inbox,
            order=NAV_ORDER["moderation"],
            prefixes=("/moderation/",),
        ),
        # System admins who do not read the inbox govern its data protection and see the
        # service levels: their way into the same area.
        NavItem(
            label=_("Moderation"),
            section="moderation_settings",
            url="privacy:index",
            visible=lambda user: user_may_see_moderation(user) and not user_may_use_inbox(user),
            order=NAV_ORDER["moderation"],
            prefixes=("/moderation/",),
        ),
    )
    register_audit_actions(
        {
            # inbox
            "moderation.inbox.status_changed": _("Inbox item status changed"),
            "moderation.inbox.assigned": _("Inbox item assigned"),
            "moderation.inbox.priority_changed": _("Inbox item priority changed"),
            "moderation.inbox.snoozed": _("Inbox item snoozed"),
            "moderation.inbox.note_added": _("Internal note added to an inbox item"),
            # ingestion
            "moderation.ingestion.stream_unavailable": _(
                "Inbox stream not available for a channel"
            ),
            # replies
            "moderation.replies.created": _("Reply written"),
            "moderation.replies.approved": _("Reply approved"),
            "moderation.replies.rejected": _("Reply rejected"),
            "moderation.replies.sent": _("Reply sent to the platform"),
            "moderation.replies.failed": _("Reply could not be sent"),
            "moderation.replies.needs_check": _("Unclear whether a reply was sent: check"),
            "moderation.replies.retried": _("Reply sent again"),
            "moderation.replies.saved_reply_created": _("Saved reply created"),
            "moderation.replies.saved_reply_updated": _("Saved reply changed"),
            "moderation.replies.saved_reply_deleted": _("Saved reply deleted"),
            # netiquette
            "moderation.netiquette.published": _("Netiquette version published"),
            "moderation.netiquette.draft_saved": _("Netiquette draft saved"),
            "moderation.netiquette.starter_adopted": _(
                "Netiquette draft started from the starter library"
            ),
            # actions
            "moderation.actions.decided": _("Moderation decision taken"),
            "moderation.actions.done": _("Moderation action carried out on the platform"),
            "moderation.actions.failed": _("Moderation action failed at the platform"),
            "moderation.actions.retried": _("Failed moderation action tried again"),
            # evidence
            "moderation.evidence.recorded": _("Evidence record created"),
            "moderation.evidence.exported": _("Evidence package exported"),
            "moderation.evidence.criminal_marked": _("Item marked criminally relevant"),
            "moderation.evidence.complaint_filed": _("Criminal complaint recorded as filed"),
            "moderation.evidence.legal_hold_released": _("Legal hold of evidence released"),
            # blocks
            "moderation.blocks.blocked": _("Author blocked"),
            "moderation.blocks.reviewed": _("Block reviewed and kept"),
            "moderation.blocks.lifted": _("Author unblocked"),
            "moderation.blocks.appeal_recorded": _("Objection to a block recorded"),
            "moderation.blocks.appeal_decided": _("Objection to a block decided"),
            "moderation.blocks.platform_done": _("Block or unblock carried out on the platform"),
            "moderation.blocks.platform_failed": _(
                "Block or unblock failed at the platform, or must be done by hand"
            ),
            "moderation.blocks.platform_retried": _("Block or unblock tried again"),
            "moderation.blocks.platform_confirmed": _(
                "Block or unblock confirmed as done by hand on the platform"
            ),
            # flags
            "moderation.flags.dismissed": _("Automatic flag dismissed"),
            "moderation.flags.keyword_alert_created": _("Keyword alert created"),
            "moderation.flags.keyword_alert_deleted": _("Keyword alert deleted"),
            "moderation.flags.lexicon_entry_added": _("Word added to the insult lexicon"),
            "moderation.flags.lexicon_entry_removed": _("Word removed from the insult lexicon"),
            "moderation.flags.classifier_trained": _("Insult classifier trained"),
            # service levels
            "moderation.service_levels.updated": _("Service levels of a unit changed"),
            "moderation.service_levels.storm_alert": _("Storm alert raised"),
            # privacy
            "moderation.privacy.settings_updated": _("Retention or figures settings changed"),
            "moderation.privacy.retention_applied": _("Commenters' data erased after retention"),
            "moderation.privacy.request_recorded": _("Request of a citizen recorded"),
            "moderation.privacy.access_exported": _("Data of a citizen exported (access request)"),
            "moderation.privacy.erased": _("Data of a citizen erased (erasure request)"),
        },
        area=_("Community management"),
    )
    register_notification_kinds(
        {
            "moderation.assigned": NotificationKind(_("An inbox item was assigned to me")),
            "moderation.keyword_alert": NotificationKind(
                _("A keyword alert of my unit was raised")
            ),
            "moderation.storm_alert": NotificationKind(
                _("Unusually many items arrive on a channel of my unit")
            ),
            "moderation.reply_approval_requested": NotificationKind(
                _("A reply waits for my approval")
            ),
            "moderation.reply_rejected": NotificationKind(_("A reply of mine was rejected")),
            "moderation.reply_failed": NotificationKind(
                _("A reply of mine could not be sent, or may not have arrived")
            ),
            "moderation.block_review_due": NotificationKind(_("A block is due for review")),
            "moderation.prosecution_deadline": NotificationKind(
                _("The deadline for a request to prosecute is near")
            ),
            "moderation.action_failed": NotificationKind(
                _("A moderation action of mine failed at the platform")
            ),
        }
    )
