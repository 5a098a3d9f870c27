"""Pages of the starter library: a unit's overview (what it has adopted, adopt buttons),
its guideline and crisis checklist (read, print, edit, history)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.form_messages import report_form_errors
from accounts.views.outcomes import carry_out
from editorial.models import UnitDocument
from editorial.starters.forms import RhythmForm
from editorial.starters.forms import UnitDocumentForm
from editorial.starters.library import checklist_steps
from editorial.starters.library import document_starter
from editorial.starters.library import emergency_templates_starter
from editorial.starters.library import rhythm_starter
from editorial.starters.permissions import user_may_adopt_emergency_templates
from editorial.starters.permissions import user_may_adopt_rhythm
from editorial.starters.permissions import user_may_edit_documents
from editorial.starters.permissions import user_may_use_starters
from editorial.starters.selectors import document_history
from editorial.starters.selectors import starter_status
from editorial.starters.selectors import unit_document
from editorial.starters.selectors import units_with_starters
from editorial.starters.services import document_adopt
from editorial.starters.services import document_update
from editorial.starters.services import emergency_templates_adopt
from editorial.starters.services import rhythm_adopt


def _unit(request: AuthenticatedHttpRequest, unit_id: int) -> OrgUnit:
    return get_object_or_404(units_with_starters(request.user), pk=unit_id)


def _kind(kind: str) -> str:
    if kind not in UnitDocument.Kind.values:
        raise Http404
    return kind


class StarterIndexView(PermissionMixin, View):
    permission = user_may_use_starters

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(
            request, "editorial/starters/index.html", {"units": units_with_starters(request.user)}
        )


class StarterUnitView(PermissionMixin, View):
    """What the unit has adopted from the library, with a button for each starter the user
    may adopt."""

    permission = user_may_use_starters

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        user = request.user
        status = starter_status(unit)
        context: dict[str, Any] = {
            "unit": unit,
            "documents": [
                (kind, label, status.documents[kind], document_starter(kind))
                for kind, label in UnitDocument.Kind.choices
            ],
            "status": status,
            "emergency": emergency_templates_starter(),
            "rhythm_rows": [
                {**item, "weekday_name": WEEKDAYS[item["weekday"]]}
                for item in rhythm_starter().items
            ],
            "rhythm_form": RhythmForm(initial={"start": timezone.localdate(), "weeks": 4}),
            "may_edit_documents": user_may_edit_documents(user, unit),
            "may_adopt_emergency": user_may_adopt_emergency_templates(user, unit),
            "may_adopt_rhythm": user_may_adopt_rhythm(user, unit),
        }
        return render(request, "editorial/starters/unit.html", context)


class DocumentAdoptView(PermissionMixin, View):
    permission = user_may_use_starters

    def post(self, request: AuthenticatedHttpRequest, unit_id: int, kind: str) -> HttpResponse:
        unit = _unit(request, unit_id)
        if not carry_out(
            request,
            lambda: document_adopt(
                actor=request.user, unit=unit, kind=_kind(kind), request=request
            ),
            success=_("The unit now has its own copy. Adapt it to your authority."),
        ):
            return redirect("starters:unit", unit_id=unit.pk)
        return redirect("starters:document_edit", unit_id=unit.pk, kind=kind)


class EmergencyTemplatesAdoptView(PermissionMixin, View):
    permission = user_may_use_starters

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        created = emergency_templates_adopt(actor=request.user, unit=unit, request=request)
        messages.success(
            request,
            ngettext(
                "%(count)s emergency template created.",
                "%(count)s emergency templates created.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect("starters:unit", unit_id=unit.pk)


class RhythmAdoptView(PermissionMixin, View):
    permission = user_may_use_starters

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = _unit(request, unit_id)
        if not user_may_adopt_rhythm(request.user, unit):
            raise PermissionDenied
        form = RhythmForm(request.POST)
        if not form.is_valid():
            report_form_errors(request, form)
            return redirect("starters:unit", unit_id=unit.pk)
        carry_out(
            request,
            lambda: rhythm_adopt(
                actor=request.user,
                unit=unit,
                start=form.cleaned_data["start"],
                weeks=form.cleaned_data["weeks"],
                request=request,
            ),
            success=lambda created: (
                ngettext(
                    "%(count)s slot planned in the Redaktionsplan.",
                    "%(count)s slots planned in the Redaktionsplan.",
                    len(created),
                )
                % {"count": len(created)}
            ),
            refusals=(ValidationError,),
        )
        return redirect("starters:unit", unit_id=unit.pk)


class DocumentView(PermissionMixin, View):
    """The unit's document to read and print, with its version history."""

    permission = user_may_use_starters

    def get(self, request: AuthenticatedHttpRequest, unit_id: int, kind: str) -> HttpResponse:
        unit = _unit(request, unit_id)
        document = unit_document(unit, _kind(kind))
        if document is None:
            raise Http404
        return render(
            request,
            "editorial/starters/document.html",
            {
                "unit": unit,
                "document": document,
                "steps": checklist_steps(document.body),
                "history": document_history(document)[:50],
                "may_edit": user_may_edit_documents(request.user, unit),
            },
        )


class DocumentEditView(PermissionMixin, View):
    permission = user_may_use_starters
    template_name = "editorial/starters/document_form.html"

    def _document(self, request: AuthenticatedHttpRequest, unit_id: int, kind: str) -> UnitDocument:
        unit = _unit(request, unit_id)
        if not user_may_edit_documents(request.user, unit):
            raise PermissionDenied
        document = unit_document(unit, _kind(kind))
        if document is None:
            raise Http404
        return document

    def get(self, request: AuthenticatedHttpRequest, unit_id: int, kind: str) -> HttpResponse:
        document = self._document(request, unit_id, kind)
        form = UnitDocumentForm(initial={"title": document.title, "body": document.body})
        return render(request, self.template_name, {"form": form, "document": document})

    def post(self, request: AuthenticatedHttpRequest, unit_id: int, kind: str) -> HttpResponse:
        document = self._document(request, unit_id, kind)
        form = UnitDocumentForm(request.POST)
        if form.is_valid():
            try:
                document_update(
                    actor=request.user, document=document, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                report_errors(request, error, form)
            else:
                messages.success(request, _("The document has been saved."))
                return redirect("starters:document", unit_id=unit_id, kind=kind)
        return render(request, self.template_name, {"form": form, "document": document})
