"""The page where a unit's editorial rules are set."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.selectors import units_administered_by
from accounts.selectors import user_may_administer
from accounts.views.base import PermissionMixin
from editorial.policy.forms import EditorialPolicyForm
from editorial.policy.selectors import editorial_policy_for
from editorial.policy.services import POLICY_FIELDS
from editorial.policy.services import editorial_policy_update


class EditorialPolicyView(PermissionMixin, View):
    """System admins set a unit's editorial rules: approvals, expiry, required link,
    accessibility strictness and emergency approvers."""

    permission = user_may_administer
    template_name = "editorial/policy/form.html"

    def _unit(self, request: AuthenticatedHttpRequest, pk: int) -> OrgUnit:
        return get_object_or_404(units_administered_by(request.user), pk=pk)

    def _approvers(self, unit: OrgUnit) -> QuerySet[User]:
        return User.objects.filter(
            is_active=True,
            role_assignments__role=Role.APPROVER,
            role_assignments__unit__path__startswith=unit.path,
        ).distinct()

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        unit = self._unit(request, pk)
        policy = editorial_policy_for(unit)
        initial = {name: getattr(policy, name) for name in POLICY_FIELDS}
        initial["emergency_approvers"] = (
            list(policy.emergency_approvers.values_list("pk", flat=True)) if policy.pk else []
        )
        form = EditorialPolicyForm(initial=initial, approvers=self._approvers(unit))
        inherited = policy.pk is not None and policy.unit_id != unit.pk
        return render(
            request,
            self.template_name,
            {"form": form, "unit": unit, "inherited_from": policy.unit if inherited else None},
        )

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        unit = self._unit(request, pk)
        form = EditorialPolicyForm(request.POST, approvers=self._approvers(unit))
        if form.is_valid():
            data = dict(form.cleaned_data)
            approvers = data.pop("emergency_approvers")
            editorial_policy_update(
                actor=request.user,
                unit=unit,
                request=request,
                emergency_approvers=approvers,
                **data,
            )
            messages.success(request, _("The editorial rules have been saved."))
            return redirect("manage:unit_list")
        return render(request, self.template_name, {"form": form, "unit": unit})
