"""Audit actions and notification kinds of the editorial area (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions
from accounts.notifications import NotificationKind, register_notification_kinds


def register() -> None:
    register_audit_actions(
        {
            "editorial.post.created": _("Post created"),
            "editorial.post.updated": _("Post changed"),
            "editorial.variant.updated": _("Channel text or media of a post changed"),
            "editorial.post.submitted": _("Post submitted for approval"),
            "editorial.post.approval_given": _("Approval given"),
            "editorial.post.approved": _("Post approved (all approvals given)"),
            "editorial.post.rejected": _("Post rejected"),
            "editorial.post.returned_to_review": _("Post returned to review after a change"),
            "editorial.post.approval_expired": _("Approval expired"),
            "editorial.post.reopened": _("Post reopened as draft"),
            "editorial.post.withdrawn": _("Post withdrawn"),
            "editorial.post.rescheduled": _("Post moved to another time"),
            "editorial.post.commented": _("Comment in a post's discussion"),
        }
    )
    register_notification_kinds(
        {
            "editorial.review_requested": NotificationKind(_("A post waits for my approval")),
            "editorial.post_approved": NotificationKind(_("My post was approved")),
            "editorial.post_rejected": NotificationKind(_("My post was rejected")),
            "editorial.mentioned": NotificationKind(_("Someone mentioned me in a discussion")),
        }
    )
