"""Demo data protection (``manage.py load_demo``, after the demo inbox): one open access
request of a citizen of the demo inbox, recorded by the community manager, so that the
requests page shows how one is handled. Idempotent: nothing is added once a request exists."""

from __future__ import annotations

from accounts.models import OrgUnit
from accounts.models import User
from moderation.models import Author
from moderation.models import DataSubjectRequest
from moderation.privacy.services import data_subject_request_create


def load(units: dict[str, OrgUnit]) -> None:
    press = units.get("Presseamt")
    manager = User.objects.filter(email="community@demo.sprachrohr.de").first()
    if press is None or manager is None or DataSubjectRequest.objects.exists():
        return
    author = (
        Author.objects.filter(channel__unit__path__startswith=press.path, pseudonymised_at=None)
        .exclude(handle="")
        .order_by("pk")
        .first()
    )
    if author is None:
        return
    data_subject_request_create(
        actor=manager,
        unit=press,
        kind=DataSubjectRequest.Kind.ACCESS,
        authors=[author],
        reference="DS-2026-001 (Demo)",
    )
