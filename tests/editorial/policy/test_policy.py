from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEntry
from editorial.models import EditorialPolicy
from editorial.policy.selectors import editorial_policy_for
from tests.conftest import Org, People, login

pytestmark = pytest.mark.django_db


def test_system_admin_sets_the_units_rules_which_its_subunits_inherit(
    org: Org, people: People
) -> None:
    admin = login(Client(), people.system_admin)
    assert admin.get(f"/editorial/policy/{org.press.pk}/").status_code == 200
    response = admin.post(
        f"/editorial/policy/{org.press.pk}/",
        {
            "required_approvals": 2,
            "approval_valid_days": 14,
            "require_website_link": "on",
            "alt_text_required": "on",
            "emergency_approvers": [people.approver.pk],
        },
    )
    assert response.status_code == 302
    policy = EditorialPolicy.objects.get(unit=org.press)
    assert (policy.required_approvals, policy.approval_valid_days) == (2, 14)
    assert policy.require_website_link and policy.alt_text_required and not policy.captions_required
    assert list(policy.emergency_approvers.all()) == [people.approver]
    assert editorial_policy_for(org.social) == policy  # the office below inherits
    entry = AuditEntry.objects.get(action="editorial.policy.updated")
    assert entry.data["after"]["required_approvals"] == 2
    assert entry.data["after"]["emergency_approvers"] == [people.approver.email]


def test_zero_approvals_are_refused(org: Org, people: People) -> None:
    response = login(Client(), people.system_admin).post(
        f"/editorial/policy/{org.press.pk}/", {"required_approvals": 0}
    )
    assert response.status_code == 200
    assert not EditorialPolicy.objects.exists()


def test_only_system_admins_of_the_unit(org: Org, people: People) -> None:
    for user in (people.editor, people.approver, people.channel_admin, people.auditor):
        assert login(Client(), user).get(f"/editorial/policy/{org.press.pk}/").status_code == 403
    assert (
        login(Client(), people.outsider).get(f"/editorial/policy/{org.press.pk}/").status_code
        == 404
    )
