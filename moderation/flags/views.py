"""Pages of the flags feature (``/moderation/flags/``): per unit the keyword alerts and the
lexicon words (own and inherited), the maintained lexicon, the classifier's status and
metrics, and dismissing a flag from the conversation view.

Units and flags of another authority answer 404; reading roles that try to act get 403.
Every change goes through ``moderation.flags.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.models import User
from accounts.views.base import PermissionMixin
from accounts.views.errors import safe_next_url
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form
from moderation.common.permissions import units_for_moderating
from moderation.common.permissions import units_for_reading
from moderation.flags.forms import KeywordAlertForm
from moderation.flags.forms import LexiconEntryForm
from moderation.flags.permissions import user_may_manage_unit
from moderation.flags.permissions import user_may_see_flags_area
from moderation.flags.selectors import active_classifier
from moderation.flags.selectors import base_lexicon
from moderation.flags.selectors import classifiers_recent
from moderation.flags.selectors import flags_for_user
from moderation.flags.selectors import keyword_alerts_for_unit
from moderation.flags.selectors import keyword_alerts_for_units
from moderation.flags.selectors import lexicon_entries_for_unit
from moderation.flags.selectors import lexicon_entries_for_units
from moderation.flags.services import classifier_status_text
from moderation.flags.services import flag_dismiss
from moderation.flags.services import keyword_alert_create
from moderation.flags.services import keyword_alert_delete
from moderation.flags.services import lexicon_entry_add
from moderation.flags.services import lexicon_entry_remove


def _user(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _readable_unit(request: AuthenticatedHttpRequest, unit_id: int) -> OrgUnit:
    return get_object_or_404(units_for_reading(_user(request)), pk=unit_id)


class FlagsIndexView(PermissionMixin, View):
    """The units the user reads with their numbers of alerts and words, and the classifier."""

    permission = staticmethod(user_may_see_flags_area)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = _user(request)
        units = list(units_for_reading(user))
        readable = units_for_reading(user)
        alerts = dict(
            keyword_alerts_for_units(readable)
            .values_list("unit_id")
            .annotate(count=Count("id"))
            .values_list("unit_id", "count")
        )
        words = dict(
            lexicon_entries_for_units(readable)
            .values_list("unit_id")
            .annotate(count=Count("id"))
            .values_list("unit_id", "count")
        )
        row = active_classifier()
        return render(
            request,
            "moderation/flags/index.html",
            {
                "rows": [(unit, alerts.get(unit.pk, 0), words.get(unit.pk, 0)) for unit in units],
                "classifier": row,
                "classifier_status": classifier_status_text(row),
                "history": classifiers_recent(),
                "base_lexicon_size": len(base_lexicon()),
            },
        )


class UnitRulesView(PermissionMixin, View):
    """One unit: its keyword alerts and lexicon words, with those it inherits."""

    permission = staticmethod(user_may_see_flags_area)
    template_name = "moderation/flags/unit.html"

    def render_page(
        self,
        request: AuthenticatedHttpRequest,
        unit: OrgUnit,
        *,
        alert_form: KeywordAlertForm | None = None,
        lexicon_form: LexiconEntryForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        user = _user(request)
        manageable = set(units_for_moderating(user).values_list("pk", flat=True))
        alerts = list(keyword_alerts_for_unit(unit))
        entries = list(lexicon_entries_for_unit(unit))
        context: dict[str, Any] = {
            "unit": unit,
            "may_manage": unit.pk in manageable,
            "alerts": [(alert, alert.unit_id in manageable) for alert in alerts],
            "entries": [(entry, entry.unit_id in manageable) for entry in entries],
            "alert_form": alert_form or KeywordAlertForm(),
            "lexicon_form": lexicon_form or LexiconEntryForm(),
        }
        return render(request, self.template_name, context, status=status)

    def managed_unit(self, request: AuthenticatedHttpRequest, unit_id: int) -> OrgUnit:
        """The unit, for adding to its rules: 404 when the user cannot see it, 403 when they
        only read it."""
        unit = _readable_unit(request, unit_id)
        if not user_may_manage_unit(_user(request), unit):
            raise PermissionDenied
        return unit

    def get(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        return self.render_page(request, _readable_unit(request, unit_id))


class KeywordAlertCreateView(UnitRulesView):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = self.managed_unit(request, unit_id)
        form = KeywordAlertForm(request.POST)
        alert = submit_form(
            request,
            form,
            lambda data: keyword_alert_create(
                actor=_user(request),
                unit=unit,
                phrase=data["phrase"],
                category=data["category"],
                raises_priority=data["raises_priority"],
                request=request,
            ),
            success=lambda alert: _("Keyword alert “%(phrase)s” added.") % {"phrase": alert.phrase},
            refusals=(ValidationError,),
        )
        if alert is not None:
            return redirect("flags:unit", unit_id=unit.pk)
        return self.render_page(request, unit, alert_form=form, status=400)


class KeywordAlertDeleteView(PermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        readable = units_for_reading(_user(request))
        alert = get_object_or_404(keyword_alerts_for_units(readable), pk=pk)
        unit_id = alert.unit_id
        keyword_alert_delete(actor=_user(request), alert=alert, request=request)
        messages.success(
            request, _("Keyword alert “%(phrase)s” deleted.") % {"phrase": alert.phrase}
        )
        return redirect(safe_next_url(request, reverse("flags:unit", kwargs={"unit_id": unit_id})))


class LexiconEntryCreateView(UnitRulesView):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
        unit = self.managed_unit(request, unit_id)
        form = LexiconEntryForm(request.POST)
        entry = submit_form(
            request,
            form,
            lambda data: lexicon_entry_add(
                actor=_user(request), unit=unit, term=data["term"], request=request
            ),
            success=lambda entry: _("“%(term)s” added to the lexicon.") % {"term": entry.term},
            refusals=(ValidationError,),
        )
        if entry is not None:
            return redirect("flags:unit", unit_id=unit.pk)
        return self.render_page(request, unit, lexicon_form=form, status=400)


class LexiconEntryDeleteView(PermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        readable = units_for_reading(_user(request))
        entry = get_object_or_404(lexicon_entries_for_units(readable), pk=pk)
        unit_id = entry.unit_id
        lexicon_entry_remove(actor=_user(request), entry=entry, request=request)
        messages.success(request, _("“%(term)s” removed from the lexicon.") % {"term": entry.term})
        return redirect(safe_next_url(request, reverse("flags:unit", kwargs={"unit_id": unit_id})))


class BaseLexiconView(PermissionMixin, View):
    """The maintained lexicon shipped with Sprachrohr, for staff to know what is flagged."""

    permission = staticmethod(user_may_see_flags_area)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "moderation/flags/base_lexicon.html", {"terms": base_lexicon()})


class FlagDismissView(PermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        flag = get_object_or_404(flags_for_user(_user(request)).select_related("item"), pk=pk)
        default = reverse("inbox:item", kwargs={"pk": flag.item_id})
        carry_out(
            request,
            lambda: flag_dismiss(actor=_user(request), flag=flag, request=request),
            success=_("The flag was dismissed as a false positive."),
            refusals=(DomainError,),
        )
        return redirect(safe_next_url(request, default))
