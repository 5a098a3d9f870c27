"""Adopting the starter library in a unit (audited): a copy of the guideline or the crisis
checklist, the pre-approved emergency templates, the weekly formats of the Redaktionsplan.

Adopting never overwrites: a document the unit already has is refused (edit it instead), an
emergency template whose name the unit already uses is left alone, and a weekly format the
unit already has is kept (and a day already planned is not planned twice)."""

from __future__ import annotations

from datetime import date
from datetime import time
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import audited_change
from accounts.audited import save_audited
from accounts.errors import ConflictError
from accounts.models import OrgUnit
from accounts.models import User
from accounts.starters import Starter
from editorial.models import CalendarSlot
from editorial.models import PostTemplate
from editorial.models import UnitDocument
from editorial.starters.library import document_starter
from editorial.starters.library import emergency_templates_starter
from editorial.starters.library import post_templates_starter
from editorial.starters.library import rhythm_starter
from editorial.starters.permissions import user_may_adopt_emergency_templates
from editorial.starters.permissions import user_may_adopt_rhythm
from editorial.starters.permissions import user_may_edit_documents
from editorial.starters.selectors import weekly_format_exists
from editorial.weekly_formats.services import weekly_format_create

MAX_RHYTHM_WEEKS = 12


class StarterAlreadyAdoptedError(ConflictError):
    default_message = gettext_lazy(
        "The unit already has its own copy of this document. It is never overwritten:"
        " change it on its page instead."
    )


def _document_snapshot(document: UnitDocument) -> dict[str, Any]:
    return audit_snapshot(document, "kind", "title", "body", "starter_version")


@transaction.atomic
def document_adopt(
    *, actor: User, unit: OrgUnit, kind: str, request: HttpRequest | None = None
) -> UnitDocument:
    """Copy the library's guideline or crisis checklist into the unit, if it has none."""
    if not user_may_edit_documents(actor, unit):
        raise PermissionDenied
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    if UnitDocument.objects.filter(unit=unit, kind=kind).exists():
        raise StarterAlreadyAdoptedError
    starter = document_starter(kind)
    document = UnitDocument(
        unit=unit,
        kind=kind,
        title=starter.title,
        body=starter.body,
        starter_version=starter.version,
        updated_by=actor,
    )
    return save_audited(
        document,
        action="editorial.document.adopted",
        actor=actor,
        request=request,
        unit=unit,
        after=_document_snapshot,
    )


@transaction.atomic
def document_update(
    *,
    actor: User,
    document: UnitDocument,
    title: str,
    body: str,
    request: HttpRequest | None = None,
) -> UnitDocument:
    """Change the unit's copy; the audit entry keeps the text before and after (the
    document's version history)."""
    document = UnitDocument.objects.select_for_update().select_related("unit").get(pk=document.pk)
    if not user_may_edit_documents(actor, document.unit):
        raise PermissionDenied
    action = "editorial.document.updated"
    with audited_change(document, action, _document_snapshot, actor=actor, request=request):
        document.title = title.strip()
        document.body = body.strip() + "\n"
        if not document.body.strip():
            raise ValidationError({"body": _("The document needs a text.")})
        document.updated_at = timezone.now()
        document.updated_by = actor
        document.full_clean()
        document.save()
    return document


@transaction.atomic
def emergency_templates_adopt(
    *, actor: User, unit: OrgUnit, request: HttpRequest | None = None
) -> list[PostTemplate]:
    """Create the library's pre-approved emergency templates the unit does not have yet (by
    name); a template the unit already has, changed or not, stays as it is."""
    if not user_may_adopt_emergency_templates(actor, unit):
        raise PermissionDenied
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    return _starter_templates_create(
        emergency_templates_starter(), unit=unit, actor=actor, request=request, emergency=True
    )


def _starter_templates_create(
    starter: Starter,
    *,
    unit: OrgUnit,
    actor: User | None,
    emergency: bool,
    request: HttpRequest | None = None,
) -> list[PostTemplate]:
    """The starter's templates the unit does not have yet (by name), audited (``actor``
    None: by the system); the unit is locked by the caller."""
    existing = set(PostTemplate.objects.filter(unit=unit).values_list("name", flat=True))
    created = []
    for item in starter.items:
        if item["name"] in existing:
            continue
        template = PostTemplate(
            unit=unit,
            name=item["name"],
            kind=item["kind"],
            title=item["title"],
            text=item["text"],
            is_emergency=emergency,
        )
        save_audited(
            template,
            action="editorial.template.created",
            actor=actor,
            request=request,
            unit=unit,
            after=lambda saved: {
                **audit_snapshot(saved, "unit", "name", "kind", "title", "text"),
                "is_emergency": emergency,
                "channels": [],
            },
            data={"starter": starter.key, "starter_version": starter.version},
            actor_label="" if actor else "system",
        )
        created.append(template)
    return created


@transaction.atomic
def post_templates_practice_seed(sender: Any, unit: OrgUnit, **kwargs: Any) -> list[PostTemplate]:
    """A practice space starts with the starter library's post template, so that a beginner
    starts a post from a template at once (receiver of
    ``accounts.practice.events.practice_space_opened``). Written by the system: it ticks
    nothing on anyone's checklist. A template of the same name is left as it is; never for
    a real unit."""
    if not unit.is_practice:
        raise PermissionDenied
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    return _starter_templates_create(
        post_templates_starter(), unit=unit, actor=None, emergency=False
    )


@transaction.atomic
def rhythm_adopt(
    *,
    actor: User,
    unit: OrgUnit,
    start: date,
    weeks: int = 4,
    request: HttpRequest | None = None,
) -> list[CalendarSlot]:
    """Adopt the library's weekly formats (Mo "Wochenvorschau", Mi "Service-Tipp", …) as
    the unit's standing weekly formats from ``start`` on (``editorial.weekly_formats``),
    planned at once as topic slots for at least ``weeks`` weeks and kept planned ahead
    after that. A format the unit already has (same title and weekday) is kept as it is; a
    day that already has a slot of the same title keeps it. Returns the slots planned."""
    if not user_may_adopt_rhythm(actor, unit):
        raise PermissionDenied
    if not 1 <= weeks <= MAX_RHYTHM_WEEKS:
        raise ValidationError(
            {"weeks": _("Between 1 and %(max)s weeks.") % {"max": MAX_RHYTHM_WEEKS}}
        )
    starter = rhythm_starter()
    formats, created = [], []
    for item in starter.items:
        if weekly_format_exists(unit, item["title"], item["weekday"]):
            continue
        hour, minute = (int(part) for part in item["time"].split(":"))
        weekly_format = weekly_format_create(
            actor=actor,
            unit=unit,
            title=item["title"],
            weekday=item["weekday"],
            time=time(hour, minute),
            note=item["note"],
            starts_on=start,
            plan_until=start + timedelta(weeks=weeks, days=-1),
            request=request,
        )
        formats.append(weekly_format)
        created += list(weekly_format.slots.order_by("day"))
    audit_log(
        action="editorial.rhythm.adopted",
        actor=actor,
        request=request,
        target=unit,
        unit=unit,
        data={
            "starter_version": starter.version,
            "start": start.isoformat(),
            "weeks": weeks,
            "weekly_formats": [weekly_format.pk for weekly_format in formats],
            "slots": [slot.pk for slot in created],
        },
    )
    return created
