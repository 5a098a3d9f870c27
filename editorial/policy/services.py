"""Changing a unit's editorial rules (audited)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.models import OrgUnit
from accounts.models import User
from accounts.updates import editable_fields_check
from editorial.models import EditorialPolicy

# --- Unit rules -----------------------------------------------------------------------------

POLICY_FIELDS = (
    "required_approvals",
    "approval_valid_days",
    "require_website_link",
    "alt_text_required",
    "captions_required",
)


def _policy_snapshot(policy: EditorialPolicy) -> dict[str, Any]:
    """The rules and the emergency approvers (by e-mail), for the audit entry."""
    return {
        **{name: getattr(policy, name) for name in POLICY_FIELDS},
        "emergency_approvers": sorted(policy.emergency_approvers.values_list("email", flat=True)),
    }


@transaction.atomic
def editorial_policy_update(
    *,
    actor: User,
    unit: OrgUnit,
    emergency_approvers: Iterable[User],
    request: HttpRequest | None = None,
    **fields: Any,
) -> EditorialPolicy:
    """The unit's own editorial rules (they then apply to the units below it, too)."""
    editable_fields_check(fields, POLICY_FIELDS)
    if fields.get("required_approvals", 1) < 1:
        raise ValidationError({"required_approvals": _("At least one approval is needed.")})
    policy, _created = EditorialPolicy.objects.get_or_create(unit=unit)
    before = _policy_snapshot(policy)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    policy.emergency_approvers.set(list(emergency_approvers))
    audit_log(
        action="editorial.policy.updated",
        actor=actor,
        request=request,
        target=unit,
        unit=unit,
        before=before,
        after=_policy_snapshot(policy),
    )
    return policy
