"""Dashboard panels of posts: my unfinished posts, what waits for my approval and what goes
out today and this week (registered in ``editorial.registrations``)."""

from __future__ import annotations

from datetime import datetime
from datetime import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import TOP_ITEMS
from accounts.dashboard import DashboardPanel
from accounts.dashboard import PanelContext
from accounts.dashboard import PanelCount
from accounts.models import User
from editorial.posts.permissions import user_may_approve
from editorial.posts.permissions import user_may_write_posts
from editorial.posts.selectors import approval_queue_for_user
from editorial.posts.selectors import my_post_counts
from editorial.posts.selectors import my_posts_to_finish
from editorial.posts.selectors import posts_upcoming_between


def _posts_list(status: str) -> str:
    return f"{reverse('posts:list')}?status={status}"


def my_posts_panel(user: User) -> PanelContext | None:
    if not user_may_write_posts(user):
        return None
    counts = my_post_counts(user)
    return PanelContext(
        title=_("My posts"),
        counts=[
            PanelCount(_("drafts"), counts["drafts"], _posts_list("draft")),
            PanelCount(_("sent back to me"), counts["rejected"], _posts_list("rejected"), True),
            PanelCount(_("waiting for approval"), counts["in_review"], _posts_list("in_review")),
        ],
        items=list(my_posts_to_finish(user)[:TOP_ITEMS]),
        more_url=reverse("posts:list"),
        more_label=_("All posts"),
        empty_text=_("No drafts and nothing sent back."),
    )


def approvals_panel(user: User) -> PanelContext | None:
    if not user_may_approve(user):
        return None
    queue = approval_queue_for_user(user)
    url = reverse("posts:approval_queue")
    return PanelContext(
        title=_("Waiting for my approval"),
        counts=[PanelCount(_("posts"), queue.count(), url)],
        items=list(queue[:TOP_ITEMS]),
        more_url=url,
        more_label=_("All approvals"),
        empty_text=_("Nothing waits for your approval."),
    )


def _week_bounds(now: datetime) -> tuple[datetime, datetime, datetime]:
    """Start of today, start of tomorrow and start of next Monday, in local time."""
    today = timezone.localtime(now).date()
    tz = timezone.get_current_timezone()
    start = datetime.combine(today, time.min, tz)
    tomorrow = datetime.combine(today + timedelta(days=1), time.min, tz)
    next_week = datetime.combine(today + timedelta(days=7 - today.weekday()), time.min, tz)
    return start, tomorrow, next_week


def schedule_panel(user: User) -> PanelContext | None:
    if not user_may_write_posts(user):
        return None
    now = timezone.now()
    start, tomorrow, next_week = _week_bounds(now)
    week = posts_upcoming_between(user, start, next_week)
    today = week.filter(planned_at__lt=tomorrow).count()
    calendar = reverse("planning:index")
    return PanelContext(
        title=_("Going out"),
        counts=[
            PanelCount(_("today"), today, f"{calendar}?view=week"),
            PanelCount(_("this week"), week.count(), f"{calendar}?view=week"),
        ],
        items=list(week.filter(planned_at__gte=now)[:TOP_ITEMS]),
        more_url=f"{calendar}?view=week",
        more_label=_("Week in the Redaktionsplan"),
        empty_text=_("Nothing approved to go out for the rest of this week."),
    )


PANELS = (
    DashboardPanel("my_posts", "editorial/posts/_dashboard_my_posts.html", my_posts_panel, 10),
    DashboardPanel("approvals", "editorial/posts/_dashboard_approvals.html", approvals_panel, 20),
    DashboardPanel("schedule", "editorial/posts/_dashboard_schedule.html", schedule_panel, 30),
)
