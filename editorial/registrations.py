"""Audit actions and notification kinds of the editorial area (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions
from accounts.models import Role
from accounts.navigation import NavItem, register_navigation
from accounts.notifications import NotificationKind, register_notification_kinds
from accounts.selectors import user_has_role
from editorial.post_templates.recurrence import recurrence_carry_approval_on_approval
from editorial.posts.events import post_approved


def register() -> None:
    post_approved.connect(recurrence_carry_approval_on_approval, dispatch_uid="carry_approval")
    register_navigation(
        NavItem(
            label=_("Redaktionsplan"),
            section="editorial",
            url="planning:index",
            visible=lambda user: user_has_role(user, *Role.values),
            order=10,
            prefixes=(
                "/editorial/planning/",
                "/editorial/posts/",
                "/editorial/media/",
                "/editorial/post-templates/",
                "/editorial/crisis/",
            ),
        ),
        NavItem(
            label=_("Approvals"),
            section="approvals",
            url="posts:approval_queue",
            visible=lambda user: user_has_role(user, Role.APPROVER),
            order=20,
            prefixes=("/editorial/approvals/",),
        ),
    )
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
            "editorial.policy.updated": _("Editorial rules of a unit changed"),
            "editorial.media.uploaded": _("Media file uploaded"),
            "editorial.media.updated": _("Media file description or rights changed"),
            "editorial.media.deleted": _("Media file deleted"),
            "editorial.variant.published": _("Published on a channel"),
            "editorial.variant.failed": _("Publishing on a channel failed"),
            "editorial.variant.needs_check": _("Unclear whether a channel published: check"),
            "editorial.post.publishing_started": _("Publishing started"),
            "editorial.post.publishing_finished": _("Publishing finished"),
            "editorial.post.retry_failed": _("Failed channels sent again"),
            "editorial.post.deleted": _("Published post deleted in Sprachrohr"),
            "editorial.variant.deleted_on_platform": _("Post deleted on a platform"),
            "editorial.pause.started": _("Publishing paused (crisis mode)"),
            "editorial.pause.ended": _("Publishing resumed after a pause"),
            "editorial.pause.missed_post_rescheduled": _("Post missed during a pause rescheduled"),
            "editorial.pause.missed_post_discarded": _("Post missed during a pause discarded"),
            "editorial.post.emergency_created": _("Emergency post created from a template"),
            "editorial.post.emergency_approved": _(
                "Emergency post approved (one approval, passes any pause)"
            ),
            "editorial.slot.created": _("Topic slot planned in the calendar"),
            "editorial.slot.updated": _("Topic slot changed"),
            "editorial.slot.deleted": _("Topic slot deleted"),
            "editorial.slot.post_written": _("Post started from a topic slot"),
            "editorial.calendar_feed.created": _("Calendar feed address created"),
            "editorial.calendar_feed.revoked": _("Calendar feed address revoked"),
            "editorial.template.created": _("Post template created"),
            "editorial.template.updated": _("Post template changed"),
            "editorial.template.deleted": _("Post template deleted"),
            "editorial.post.created_from_template": _("Post drafted from a template"),
            "editorial.series.created": _("Post made recurring"),
            "editorial.series.extended": _("Occurrences of a recurring post created"),
            "editorial.series.stopped": _("Recurring post stopped"),
            "editorial.series.occurrence_submitted": _(
                "Occurrence of a recurring post submitted with its series"
            ),
            "editorial.series.approval_carried_over": _(
                "Approval of a recurring post carried over to an identical occurrence"
            ),
        }
    )
    register_notification_kinds(
        {
            "editorial.review_requested": NotificationKind(_("A post waits for my approval")),
            "editorial.post_approved": NotificationKind(_("My post was approved")),
            "editorial.post_rejected": NotificationKind(_("My post was rejected")),
            "editorial.mentioned": NotificationKind(_("Someone mentioned me in a discussion")),
            "editorial.publish_failed": NotificationKind(
                _("A post of mine could not be published")
            ),
            "editorial.published_late": NotificationKind(_("A post of mine was published late")),
            "editorial.pause_started": NotificationKind(_("Publishing was paused (crisis mode)")),
            "editorial.emergency_approval_requested": NotificationKind(
                _("An emergency post waits for my approval")
            ),
            "editorial.calendar_feed_created": NotificationKind(
                _("A calendar feed address was created for my account")
            ),
        }
    )
