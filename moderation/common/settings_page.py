"""The page of one unit's settings that are inherited per field (service levels, privacy),
written once: the form beside what each field inherits and from where, read-only for who
may only read them."""

from __future__ import annotations

from collections.abc import Iterable

from django.forms import BaseForm
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render

from accounts.models import OrgUnit
from moderation.common.selectors import EffectiveSettings
from moderation.common.selectors import settings_origins


def render_unit_settings(
    request: HttpRequest,
    template_name: str,
    *,
    unit: OrgUnit,
    settings: EffectiveSettings,
    form: BaseForm,
    may_edit: bool,
    fields: Iterable[str],
) -> HttpResponse:
    """The page with ``form`` for ``fields`` (disabled when not ``may_edit``); 400 when the
    form came back with errors."""
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        template_name,
        {
            "unit": unit,
            "settings": settings,
            "inherited": settings_origins(settings, fields),
            "form": form,
            "may_edit": may_edit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
