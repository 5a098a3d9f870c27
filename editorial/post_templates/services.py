"""Writing post templates and drafting posts from them (audited)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import audited_change
from accounts.audited import save_audited
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.updates import editable_fields_check
from channels_app.models import Channel
from editorial.common.placeholders import placeholder_value
from editorial.common.placeholders import template_fill
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.permissions import user_may_edit_template
from editorial.post_templates.permissions import user_may_mark_emergency
from editorial.post_templates.permissions import user_may_use_template
from editorial.post_templates.selectors import post_template_placeholders
from editorial.posts.selectors import units_for_authoring
from editorial.posts.services import drafting_channels_checked
from editorial.posts.services import post_audit
from editorial.posts.services import post_create

TEMPLATE_CONTENT_FIELDS = ("name", "kind", "title", "text", "website_link")


# --- Templates: writes ----------------------------------------------------------------------


def _template_snapshot(template: PostTemplate) -> dict[str, Any]:
    return {
        **audit_snapshot(
            template, "unit", "name", "kind", "title", "text", "website_link", "is_emergency"
        ),
        "channels": sorted(c.pk for c in template.channels.all()) if template.pk else [],
    }


def _emergency_denied() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Only channel admins and system admins of the unit may mark emergency templates,"
            " and only editors who hold that right too may change or delete them."
        )
    )


@transaction.atomic
def post_template_create(
    *,
    actor: User,
    unit: OrgUnit,
    name: str,
    title: str,
    text: str,
    kind: str = PostTemplate.Kind.OTHER,
    website_link: str = "",
    channels: Iterable[Channel] = (),
    is_emergency: bool = False,
    request: HttpRequest | None = None,
) -> PostTemplate:
    if not units_for_authoring(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    if is_emergency and not user_may_mark_emergency(actor, unit):
        raise _emergency_denied()
    channels = drafting_channels_checked(actor, channels)
    template = PostTemplate(
        unit=unit,
        name=name,
        kind=kind,
        title=title,
        text=text,
        website_link=website_link,
        is_emergency=is_emergency,
    )
    return save_audited(
        template,
        action="editorial.template.created",
        actor=actor,
        request=request,
        unit=unit,
        after=_template_snapshot,
        relate=lambda saved: saved.channels.set(channels),
    )


@transaction.atomic
def post_template_update(
    *,
    actor: User,
    template: PostTemplate,
    channels: Iterable[Channel] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> PostTemplate:
    """Change content (editors) and/or the emergency mark (channel and system admins).

    Only fields whose value actually changes count, so a form that sends every field does
    not need rights for the ones it leaves alone."""
    template = PostTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    editable_fields_check(fields, {*TEMPLATE_CONTENT_FIELDS, "is_emergency"})
    changed = {name for name, value in fields.items() if getattr(template, name) != value}
    new_channels = None if channels is None else list(channels)
    old_channels = sorted(c.pk for c in template.channels.all())
    if new_channels is not None and sorted(c.pk for c in new_channels) != old_channels:
        changed.add("channels")
    if changed - {"is_emergency"} and not user_may_edit_template(actor, template):
        if template.unit_id in unit_ids_for_roles(actor, [Role.EDITOR]):
            raise _emergency_denied()
        raise PermissionDenied
    if "is_emergency" in changed and not user_may_mark_emergency(actor, template.unit):
        raise _emergency_denied()
    if not changed:
        return template
    action = "editorial.template.updated"
    with audited_change(template, action, _template_snapshot, actor=actor, request=request):
        for name in changed - {"channels"}:
            setattr(template, name, fields[name])
        template.full_clean()
        template.save()
        if "channels" in changed and new_channels is not None:
            template.channels.set(drafting_channels_checked(actor, new_channels))
    return template


@transaction.atomic
def post_template_delete(
    *, actor: User, template: PostTemplate, request: HttpRequest | None = None
) -> None:
    template = PostTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    if not user_may_edit_template(actor, template):
        if template.is_emergency and template.unit_id in unit_ids_for_roles(actor, [Role.EDITOR]):
            raise _emergency_denied()
        raise PermissionDenied
    # Written before the row goes: the entry keeps the id and name of what was deleted.
    audit_about(
        template,
        "editorial.template.deleted",
        actor=actor,
        request=request,
        before=_template_snapshot(template),
    )
    template.delete()


@transaction.atomic
def post_from_template(
    *,
    actor: User,
    template: PostTemplate,
    values: Mapping[str, Any],
    planned_at: datetime | None = None,
    unit: OrgUnit | None = None,
    request: HttpRequest | None = None,
) -> Post:
    """A draft with the template's text (placeholders filled in), link and channels."""
    if not user_may_use_template(actor, template):
        raise PermissionDenied
    title, text = template_fill(template, values)
    post = post_create(
        actor=actor,
        unit=unit or template.unit,
        title=title,
        text=text,
        website_link=template.website_link,
        planned_at=planned_at,
        channels=template.channels.all(),
        request=request,
    )
    post.template = template
    # The emergency mark travels with the draft: the crisis rules decide what it allows.
    post.is_emergency = template.is_emergency
    post.save(update_fields=["template", "is_emergency"])
    used = {name: placeholder_value(values, name) for name in post_template_placeholders(template)}
    post_audit(
        "editorial.post.created_from_template",
        post,
        actor,
        request,
        data={"template": template.pk, "template_name": template.name, "values": used},
    )
    return post
