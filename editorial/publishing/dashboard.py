"""Dashboard panel of publishing: channel posts that failed, need a check, or are late
(registered in ``editorial.registrations``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.dashboard import TOP_ITEMS
from accounts.dashboard import DashboardPanel
from accounts.dashboard import PanelContext
from accounts.dashboard import PanelCount
from accounts.models import User
from editorial.posts.permissions import user_may_write_posts
from editorial.publishing.selectors import late_variants
from editorial.publishing.selectors import problem_variants


def problems_panel(user: User) -> PanelContext | None:
    if not user_may_write_posts(user):
        return None
    failed = problem_variants(user)
    late = late_variants(user)
    return PanelContext(
        title=_("Not published"),
        counts=[
            PanelCount(_("failed or to be checked"), failed.count(), alert=True),
            PanelCount(_("late"), late.count(), alert=True),
        ],
        # The late ones first: they may still go out, if someone acts now.
        items=[*late[:TOP_ITEMS], *failed[:TOP_ITEMS]][:TOP_ITEMS],
        empty_text=_("Everything went out on time."),
    )


PANELS = (
    DashboardPanel(
        "publishing_problems", "editorial/publishing/_dashboard.html", problems_panel, 40
    ),
)
