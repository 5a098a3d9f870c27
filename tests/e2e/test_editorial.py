"""The press office's day in the browser: draft with the live check, review by a second
person, the post in the Redaktionsplan; and the other editorial pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from channels_app.models import Platform
from editorial.models import Post
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import assert_accessible
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit
from tests.factories import ChannelFactory
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]


def _logout(page: Page) -> None:
    submit(page, page.locator("header form[action='/accounts/logout/'] button"))


def test_draft_review_and_calendar(page: Page, org: Org, people: People) -> None:
    login(page, people.editor)
    submit(page, page.locator("nav.main-nav a[href='/editorial/planning/']"))
    visit(page, "/editorial/posts/new/")
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_title").fill("Sperrung Bahnhofstraße")
    page.locator(f"input[name=channels][value='{org.press_channel.pk}']").check()
    page.locator("#id_text").fill("Wir 🎉 sperren die Bahnhofstraße #bahnhofstrassesperrung")
    # The live check counts as the channel's platform counts and warns before saving.
    expect(page.locator("#preview-counts")).to_contain_text(org.press_channel.name)
    expect(page.locator("#preview-problems")).to_contain_text("#")
    page.locator("#id_planned_date").fill("2030-05-06")
    page.locator("#id_planned_time").fill("09:00")
    submit(page, main_form_submit(page))
    post = Post.objects.get(title="Sperrung Bahnhofstraße")
    assert path_of(page) == f"/editorial/posts/{post.pk}/"
    submit(page, page.locator(f"form[action='/editorial/posts/{post.pk}/submit/'] button"))
    expect(page.locator(".message--success")).to_have_text(
        translated("The post has been sent for approval.")
    )
    _logout(page)

    login(page, people.approver)
    submit(page, page.locator("nav.main-nav a[href='/editorial/approvals/']"))
    submit(page, page.locator(f"main a[href='/editorial/posts/{post.pk}/']"))
    submit(page, page.locator(f"form[action='/editorial/posts/{post.pk}/approve/'] button"))
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED

    visit(page, "/editorial/planning/?view=month&date=2030-05-06")
    expect(page.locator("main")).to_contain_text("Sperrung Bahnhofstraße")
    visit(page, "/editorial/planning/?view=week&date=2030-05-06")
    visit(page, "/editorial/planning/?view=list&date=2030-05-06")


def test_the_content_warning_is_offered_for_mastodon_and_previewed_collapsed(
    page: Page, org: Org, people: People
) -> None:
    mastodon = ChannelFactory(
        name="Stadt auf Mastodon",
        platform=Platform.MASTODON,
        unit=org.press,
        base_url="https://social.musterstadt.example",
    )
    login(page, people.editor)
    visit(page, "/editorial/posts/new/")
    page.locator("#id_unit").select_option(str(org.press.pk))
    page.locator("#id_title").fill("Pegel")
    page.locator("#id_text").fill("Der Rheinpegel steigt.")
    warning = page.locator("#id_content_warning")
    page.locator(f"input[name=channels][value='{org.press_channel.pk}']").check()
    expect(page.locator("#preview-counts")).to_contain_text(org.press_channel.name)
    expect(warning).to_be_hidden()  # the sandbox has no content warnings
    page.locator(f"input[name=channels][value='{mastodon.pk}']").check()
    expect(warning).to_be_visible()
    warning.fill("Hochwasser")
    # Counted on Mastodon: the text's 22 characters and the warning's 10.
    expect(page.locator("#preview-counts")).to_contain_text(f"{mastodon.label}: 32")
    assert_accessible(page)
    submit(page, main_form_submit(page))
    post = Post.objects.get(title="Pegel")
    assert post.content_warning == "Hochwasser"
    header = page.locator("details.channel-preview__warning summary")
    expect(header).to_have_count(1)
    expect(header).to_contain_text("Hochwasser")
    text = page.locator("details.channel-preview__warning .channel-preview__text")
    expect(text).to_be_hidden()  # collapsed, as on Mastodon
    header.click()
    expect(text).to_contain_text("Der Rheinpegel steigt.")


def test_media_library_templates_and_crisis_pages(page: Page, org: Org, people: People) -> None:
    login(page, people.editor)
    visit(page, "/editorial/media/")
    visit(page, "/editorial/media/upload/")
    visit(page, "/editorial/post-templates/")
    visit(page, "/editorial/posts/")
    _logout(page)
    admin = people.channel_admin
    login(page, admin, totp_device_for(admin))
    visit(page, "/editorial/crisis/")
    visit(page, "/editorial/crisis/new/")
    page.locator("textarea[name=reason]").fill("Großlage: Veröffentlichungen angehalten")
    submit(page, main_form_submit(page))
    expect(page.locator(".crisis-banner")).to_contain_text("Großlage")


def test_the_content_warning_field_is_hidden_from_the_start(
    page: Page, org: Org, people: People
) -> None:
    """Before any live check has answered (here: none ever does), the field follows the
    ticked channels: hidden without a Mastodon channel, shown with one."""
    mastodon = ChannelFactory(
        name="Stadt auf Mastodon",
        platform=Platform.MASTODON,
        unit=org.press,
        base_url="https://social.musterstadt.example",
    )
    login(page, people.editor)
    page.route("**/editorial/posts/preview/", lambda route: route.abort())
    visit(page, "/editorial/posts/new/")
    warning = page.locator("#id_content_warning")
    expect(warning).to_be_hidden()
    page.locator(f"input[name=channels][value='{mastodon.pk}']").check()
    expect(warning).to_be_visible()
    page.locator(f"input[name=channels][value='{mastodon.pk}']").uncheck()
    expect(warning).to_be_hidden()
