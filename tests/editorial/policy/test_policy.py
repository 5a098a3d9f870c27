# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEntry
from editorial.models import EditorialPolicy
from editorial.policy.selectors import editorial_policy_for
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_system_admin_opens_the_units_rules(org: Org, people: People) -> None:
    admin = login(Client(), people.system_admin)
    assert admin.get(f"/editorial/policy/{org.press.pk}/").status_code == 200


@pytest.fixture
def saved(org: Org, people: People):  # type: ignore[no-untyped-def]
    """The system admin's form for the press office, sent."""
    return login(Client(), people.system_admin).post(
        f"/editorial/policy/{org.press.pk}/",
        {
            "required_approvals": 2,
            "approval_valid_days": 14,
            "require_website_link": "on",
            "alt_text_required": "on",
            "emergency_approvers": [people.approver.pk],
        },
    )


def test_saving_the_units_rules_redirects(saved) -> None:  # type: ignore[no-untyped-def]
    assert saved.status_code == 302


@pytest.mark.usefixtures("saved")
def test_the_units_rules_store_the_numbers(org: Org) -> None:
    policy = EditorialPolicy.objects.get(unit=org.press)
    assert (policy.required_approvals, policy.approval_valid_days) == (2, 14)


@pytest.mark.usefixtures("saved")
def test_the_units_rules_store_the_switches(org: Org) -> None:
    policy = EditorialPolicy.objects.get(unit=org.press)
    assert policy.require_website_link and policy.alt_text_required and not policy.captions_required


@pytest.mark.usefixtures("saved")
def test_the_units_rules_store_the_emergency_approvers(org: Org, people: People) -> None:
    policy = EditorialPolicy.objects.get(unit=org.press)
    assert list(policy.emergency_approvers.all()) == [people.approver]


@pytest.mark.usefixtures("saved")
def test_the_units_subunits_inherit_its_rules(org: Org) -> None:
    policy = EditorialPolicy.objects.get(unit=org.press)
    assert editorial_policy_for(org.social) == policy  # the office below inherits


@pytest.mark.usefixtures("saved")
def test_changing_the_units_rules_is_audited(people: People) -> None:
    entry = AuditEntry.objects.get(action="editorial.policy.updated")
    assert entry.data["before"]["required_approvals"] == 1
    assert entry.data["before"]["emergency_approvers"] == []
    assert entry.data["after"]["required_approvals"] == 2
    assert entry.data["after"]["emergency_approvers"] == [people.approver.email]


def test_zero_approvals_are_refused(org: Org, people: People) -> None:
    response = login(Client(), people.system_admin).post(
        f"/editorial/policy/{org.press.pk}/", {"required_approvals": 0}
    )
    assert response.status_code == 200
    assert not EditorialPolicy.objects.exists()


@pytest.mark.parametrize("user", ["editor", "approver", "channel_admin", "auditor"])
def test_only_system_admins_of_the_unit(org: Org, people: People, user: str) -> None:
    client = login(Client(), getattr(people, user))
    assert client.get(f"/editorial/policy/{org.press.pk}/").status_code == 403


def test_people_outside_the_unit_do_not_see_its_rules(org: Org, people: People) -> None:
    assert (
        login(Client(), people.outsider).get(f"/editorial/policy/{org.press.pk}/").status_code
        == 404
    )
