"""Audit actions and notification kinds of the editorial area (registered at start-up)."""

from django.utils.translation import gettext_lazy as _

from accounts.audit import register_audit_actions
from accounts.dashboard import register_dashboard_panels
from accounts.navigation import NAV_ORDER
from accounts.navigation import NavAction
from accounts.navigation import NavItem
from accounts.navigation import register_nav_actions
from accounts.navigation import register_navigation
from accounts.notifications import NotificationKind
from accounts.notifications import register_notification_kinds
from editorial.crisis.permissions import user_may_use_crisis_mode
from editorial.crisis.services import emergency_requests_resolve
from editorial.media.events import media_asset_described
from editorial.media.permissions import user_may_use_media_library
from editorial.planning.permissions import user_may_use_calendar
from editorial.post_templates.permissions import user_may_use_templates
from editorial.post_templates.recurrence import recurrence_carry_approval_on_approval
from editorial.posts import dashboard as posts_dashboard
from editorial.posts.events import post_approved
from editorial.posts.events import post_review_ended
from editorial.posts.permissions import user_may_approve
from editorial.posts.permissions import user_may_use_editorial
from editorial.posts.permissions import user_may_write_posts
from editorial.posts.selectors import approval_queue_for_user
from editorial.posts.services import posts_review_on_media_described
from editorial.publishing import dashboard as publishing_dashboard


def register() -> None:
    post_approved.connect(recurrence_carry_approval_on_approval, dispatch_uid="carry_approval")
    post_review_ended.connect(emergency_requests_resolve, dispatch_uid="resolve_emergency_requests")
    media_asset_described.connect(posts_review_on_media_described, dispatch_uid="media_review")
    register_navigation(
        NavItem(
            label=_("Redaktionsplan"),
            section="editorial",
            url="planning:index",
            visible=user_may_use_calendar,
            order=NAV_ORDER["planning"],
            prefixes=("/editorial/planning/",),
        ),
        NavItem(
            label=_("Posts"),
            section="posts",
            url="posts:list",
            visible=user_may_use_editorial,
            order=NAV_ORDER["posts"],
            prefixes=("/editorial/posts/",),
        ),
        NavItem(
            label=_("Approvals"),
            section="approvals",
            url="posts:approval_queue",
            visible=user_may_approve,
            order=NAV_ORDER["approvals"],
            prefixes=("/editorial/approvals/",),
            badge=approval_queue_for_user,
        ),
        NavItem(
            label=_("Media library"),
            section="media",
            url="media:list",
            visible=user_may_use_media_library,
            order=NAV_ORDER["media"],
            prefixes=("/editorial/media/",),
        ),
        NavItem(
            label=_("Templates"),
            section="post_templates",
            url="post_templates:list",
            visible=user_may_use_templates,
            order=NAV_ORDER["post_templates"],
            prefixes=("/editorial/post-templates/",),
        ),
        NavItem(
            label=_("Crisis mode"),
            section="crisis",
            url="crisis:list",
            visible=user_may_use_crisis_mode,
            order=NAV_ORDER["crisis"],
            prefixes=("/editorial/crisis/",),
        ),
    )
    # "New post" one click away from every page (the calendar too), for whoever may write one.
    register_nav_actions(
        NavAction(
            label=_("New post"),
            name="new_post",
            url="posts:create",
            visible=user_may_write_posts,
            order=0,
        )
    )
    register_dashboard_panels(*posts_dashboard.PANELS, *publishing_dashboard.PANELS)
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
            "editorial.drill.started": _("Crisis drill started (publishing paused in practice)"),
            "editorial.drill.step_done": _("Crisis drill step done"),
            "editorial.drill.ended": _("Crisis drill ended"),
            "editorial.pause.ended": _("Publishing resumed after a pause"),
            "editorial.pause.missed_post_rescheduled": _("Post missed during a pause rescheduled"),
            "editorial.pause.missed_post_discarded": _("Post missed during a pause discarded"),
            "editorial.post.emergency_created": _("Emergency post created from a template"),
            "editorial.post.emergency_approved": _(
                "Emergency post approved (one approval, passes any pause)"
            ),
            "editorial.document.adopted": _("Starter document adopted by a unit"),
            "editorial.document.updated": _("Unit document (guideline, crisis checklist) changed"),
            "editorial.rhythm.adopted": _("Weekly formats planned in the Redaktionsplan"),
            "editorial.weekly_format.created": _("Weekly format created"),
            "editorial.weekly_format.updated": _("Weekly format changed"),
            "editorial.weekly_format.paused": _("Weekly format paused"),
            "editorial.weekly_format.resumed": _("Weekly format resumed"),
            "editorial.weekly_format.deleted": _("Weekly format deleted"),
            "editorial.weekly_format.planned": _("Topic slots of a weekly format planned"),
            "editorial.weekly_format.unplanned": _(
                "Future topic slots of a weekly format taken back"
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
        },
        area=_("Posts and planning"),
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
