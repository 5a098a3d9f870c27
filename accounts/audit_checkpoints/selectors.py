from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import AuditCheckpoint
from accounts.models import Role
from accounts.models import User


def latest_checkpoints(limit: int = 30) -> QuerySet[AuditCheckpoint]:
    """The newest stored checkpoints, newest first: for the records export, beside the entries
    they vouch for (the signed text of each is ``checkpoint_text``)."""
    return AuditCheckpoint.objects.order_by("-created_at", "-sequence")[:limit]


def checkpoint_recipients() -> QuerySet[User]:
    """Every active auditor, of whatever authority: the checkpoint names only a position in
    the one chain and its hash, no content."""
    return User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR).distinct()
