"""The dashboard panel of guidance: the onboarding checklist, while it is not complete."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import DashboardPanel
from accounts.dashboard import PanelContext
from accounts.guidance.selectors import checklist_for
from accounts.models import User


def checklist_panel(user: User) -> PanelContext | None:
    checklist = checklist_for(user)
    if not checklist.entries or checklist.complete:
        return None
    return PanelContext(
        title=_("Your onboarding checklist"),
        items=checklist.entries,
        more_url=reverse("guidance:checklist"),
        more_label=_("Open the checklist and the guide"),
        extra={"done": checklist.done, "total": checklist.total},
    )


PANELS = (
    DashboardPanel("checklist", "accounts/guidance/_dashboard.html", checklist_panel, order=5),
)
