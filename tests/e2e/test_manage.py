"""Administration by a system admin: assigning and removing roles, units, invitations."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]


def test_assign_and_remove_role(page: Page, org: Org, people: People) -> None:
    admin, editor = people.system_admin, people.editor
    login(page, admin, totp_device_for(admin))

    submit(page, page.locator("nav.main-nav a[href='/manage/users/']"))
    assert path_of(page) == "/manage/users/"
    expect(page.locator("nav.main-nav a[href='/manage/users/']")).to_have_attribute(
        "aria-current", "page"
    )
    submit(page, page.locator(f"main table a[href='/manage/users/{editor.pk}/']"))
    assert path_of(page) == f"/manage/users/{editor.pk}/"

    role_form = page.locator("main form:has(input[name=action][value=assign_role])")
    role_form.locator("#id_unit").select_option(str(org.social.pk))
    role_form.locator("#id_role").select_option(Role.APPROVER.value)
    submit(page, role_form.locator("button[type=submit]"))

    expect(page.locator(".message--success")).to_have_text(
        translated("The role has been assigned.")
    )
    assignment = RoleAssignment.objects.get(user=editor, unit=org.social, role=Role.APPROVER)
    with translation.override(admin.language):
        approver = str(Role.APPROVER.label)
    rows = page.locator("section[aria-labelledby=roles-heading] tbody tr")
    new_row = rows.filter(has=page.locator(f"input[name=assignment][value='{assignment.pk}']"))
    expect(new_row.locator("td:nth-child(-n+2)")).to_have_text([approver, "Social-Media-Team"])

    submit(page, new_row.locator("button[type=submit]"))

    expect(page.locator(".message--success")).to_have_text(translated("The role has been removed."))
    expect(new_row).to_have_count(0)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    # The editor's original role is untouched.
    expect(rows).to_have_count(1)
    assert RoleAssignment.objects.filter(user=editor, unit=org.press, role=Role.EDITOR).exists()


def test_units_and_invitation_pages(page: Page, org: Org, people: People) -> None:
    admin = people.system_admin
    login(page, admin, totp_device_for(admin))

    submit(page, page.locator("nav.main-nav a[href='/manage/users/']"))
    submit(page, page.locator("nav.sub-nav a[href='/manage/units/']"))
    assert path_of(page) == "/manage/units/"
    names = page.locator("main table tbody td:first-child a")
    expect(names).to_have_text(["Stadt Musterstadt", "Presseamt", "Social-Media-Team"])

    # An empty form for a new unit, sent back with its errors.
    submit(page, page.locator("main a.button[href='/manage/units/new/']"))
    assert path_of(page) == "/manage/units/new/"
    submit(page, page.locator("main form button[type=submit]"))
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert OrgUnit.objects.count() == 5

    submit(page, page.locator("nav.sub-nav a[href='/manage/users/']"))
    submit(page, page.locator("main a.button[href='/manage/users/invite/']"))
    assert path_of(page) == "/manage/users/invite/"
    for name in ("email", "full_name", "language", "unit", "role"):
        expect(page.locator(f"#id_{name}")).to_be_visible()
    # Sent empty: the errors are shown and tied to their fields.
    submit(page, page.locator("main form button[type=submit]"))
    assert path_of(page) == "/manage/users/invite/"
    email = page.locator("#id_email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", "id_email_error")
