"""Dashboard panel of the inbox: what waits for an answer, what is overdue by the service
levels, what is assigned to me (registered in ``moderation.registrations``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import TOP_ITEMS
from accounts.dashboard import DashboardPanel
from accounts.dashboard import PanelContext
from accounts.dashboard import PanelCount
from accounts.models import User
from moderation.common.permissions import user_may_moderate
from moderation.inbox.selectors import ASSIGNEE_ME
from moderation.inbox.selectors import STATUS_ACTIVE
from moderation.inbox.selectors import inbox_open_items
from moderation.inbox.selectors import inbox_work_counts


def inbox_panel(user: User) -> PanelContext | None:
    if not user_may_moderate(user):
        return None
    now = timezone.now()
    counts = inbox_work_counts(user, now)
    inbox = reverse("inbox:index")
    active = f"{inbox}?status={STATUS_ACTIVE}"
    return PanelContext(
        title=_("Inbox"),
        counts=[
            PanelCount(_("waiting for an answer"), counts["open"], active),
            PanelCount(_("overdue"), counts["overdue"], reverse("service_levels:index"), True),
            PanelCount(_("assigned to me"), counts["mine"], f"{active}&assignee={ASSIGNEE_ME}"),
        ],
        items=list(inbox_open_items(user, now)[:TOP_ITEMS]),
        more_url=active,
        more_label=_("Open the inbox"),
        empty_text=_("Nothing waits for an answer."),
        extra={"now": now},
    )


PANELS = (DashboardPanel("inbox", "moderation/inbox/_dashboard.html", inbox_panel, order=50),)
