"""The role guides of docs/guide/, served inside the product, and the "?" help of each page.

The Markdown is rendered on the server with markdown-it (CommonMark plus tables) with raw
HTML switched off: whatever a guide holds is escaped, and markdown-it refuses javascript:
and similar link targets. Each heading gets an id (GitHub's way of making one, so the links
between the guides and on GitHub agree); links to another guide page go to its page in the
product, images to the app's static files (``STATICFILES_DIRS`` serves docs/guide/img under
``guide/img/``), never to another site.

The "?" in the page header opens the guide section that explains the page: ``HELP_SECTIONS``
maps a URL namespace (or "namespace:name") to "<guide>#<anchor>"; a page without an entry
opens the start of the guide of the user's first role."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from accounts.models import Role

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"
INDEX = "README"

# Role → its guide's page (the file name without .md).
ROLE_GUIDES: dict[str, str] = {
    Role.EDITOR: "editor",
    Role.APPROVER: "approver",
    Role.COMMUNITY_MANAGER: "community-manager",
    Role.CHANNEL_ADMIN: "channel-admin",
    Role.AUDITOR: "auditor",
    Role.SYSTEM_ADMIN: "system-admin",
}
GUIDES = (*ROLE_GUIDES.values(),)

# Page (URL namespace, or "namespace:url name" for one page, ":url name" for a page without a
# namespace) → the section that explains it. Strings, not imports: accounts knows the apps
# above only by their URL names. The more specific key wins.
HELP_SECTIONS: dict[str, str] = {
    "posts": "editor#so-schreiben-sie-einen-beitrag",
    "posts:list": "editor#ihre-übersicht",
    "posts:edit": "editor#so-ändern-sie-einen-geplanten-beitrag",
    "posts:detail": "editor#so-prüfen-sie-die-vorschau-pro-kanal",
    "posts:approval_queue": "approver#so-finden-sie-was-auf-sie-wartet",
    "planning": "editor#ihre-übersicht",
    "inbox": "community-manager#so-sichten-sie-den-posteingang",
    "replies": "community-manager#so-beantworten-sie-einen-kommentar-mit-einem-textbaustein",
    "actions": "community-manager#so-setzen-sie-den-status",
    "channels": "channel-admin#so-prüfen-sie-ihre-kanäle",
    "channels:detail": "channel-admin#so-testen-sie-die-verbindung",
    ":audit": "auditor#so-öffnen-sie-das-audit-protokoll",
    "manage": "system-admin#so-weisen-sie-eine-rolle-zu",
    "publishing": "system-admin#so-reagieren-sie-auf-den-hinweis-zum-veröffentlichungsdienst",
    "practice": "editor#so-üben-sie-im-übungsmodus",
    "guidance:checklist": "editor#so-arbeiten-sie-ihre-einarbeitungs-checkliste-ab",
    "guidance:records": "auditor#so-exportieren-sie-die-schulungsnachweise",
    "guidance:record": "auditor#so-exportieren-sie-die-schulungsnachweise",
    "crisis:drills": "system-admin#so-führen-sie-eine-krisenübung-durch",
    "crisis:drill": "system-admin#so-führen-sie-eine-krisenübung-durch",
}

_NOT_SLUG = re.compile(r"[^\w\- ]", re.UNICODE)


def heading_slug(text: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _NOT_SLUG.sub("", text.strip().lower()).replace(" ", "-")


def guide_exists(name: str) -> bool:
    return name == INDEX or name in GUIDES


def guide_url(name: str, anchor: str = "") -> str:
    url = reverse("guidance:index") if name == INDEX else reverse("guidance:guide", args=[name])
    return f"{url}#{anchor}" if anchor else url


def _link_target(href: str) -> str:
    """A link between guide pages goes to the page in the product; any other is kept."""
    target, _hash, anchor = href.partition("#")
    if "/" not in target and target.endswith(".md") and guide_exists(target[:-3]):
        return guide_url(target[:-3], anchor)
    return href


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    seen: dict[str, int] = {}

    # markdown-it binds each rule to its renderer: the first argument is the renderer.
    def heading_open(
        renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        slug = heading_slug(tokens[idx + 1].content)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        tokens[idx].attrSet("id", slug if count == 0 else f"{slug}-{count}")
        return renderer.renderToken(tokens, idx, options, env)

    def image(
        renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        if src.startswith("img/") and "/" not in src[4:]:
            token.attrSet("src", static(f"guide/img/{src[4:]}"))
        token.attrSet("loading", "lazy")
        return renderer.image(tokens, idx, options, env)

    def link_open(
        renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        token = tokens[idx]
        token.attrSet("href", _link_target(str(token.attrGet("href") or "")))
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("image", image)
    md.add_render_rule("link_open", link_open)
    return md


@cache
def _source(name: str) -> str:
    return (GUIDE_DIR / f"{name}.md").read_text(encoding="utf-8")


def guide_render(name: str) -> tuple[str, SafeString]:
    """The guide's title (its first heading) and its body as HTML (without that heading)."""
    source = _source(name)
    first, _newline, rest = source.partition("\n")
    title = first.lstrip("#").strip() if first.startswith("# ") else ""
    body = rest if title else source
    return title, mark_safe(_markdown().render(body))  # noqa: S308  # raw HTML is off


def guide_anchors(name: str) -> set[str]:
    """The ids of the guide's headings (what a help link may point to)."""
    return set(re.findall(r'<h[1-6] id="([^"]+)"', _markdown().render(_source(name))))


def help_section(namespaces: Sequence[str], url_name: str) -> str | None:
    """The "<guide>#<anchor>" that explains the page, if one does."""
    namespace = ":".join(namespaces)
    for key in (f"{namespace}:{url_name}", *reversed(namespaces)):
        if key in HELP_SECTIONS:
            return HELP_SECTIONS[key]
    return None


def role_guide(roles: set[str]) -> str:
    """The guide of the user's first role (in the order of ``Role``); the index without one."""
    for role in Role.values:
        if role in roles:
            return ROLE_GUIDES[role]
    return INDEX


def help_url(namespaces: Sequence[str], url_name: str, roles: set[str]) -> str:
    section = help_section(namespaces, url_name)
    if section is None:
        return guide_url(role_guide(roles))
    name, _hash, anchor = section.partition("#")
    return guide_url(name, anchor)
