"""The product's own administration (Verwaltung): users, roles and units."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.forms import InviteForm
from accounts.forms import RoleAssignmentForm
from accounts.forms import UnitForm
from accounts.forms import UserAdminForm
from accounts.http import AuthenticatedHttpRequest
from accounts.input import parse_int
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.practice.selectors import is_practice_space_colleague
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import units_administered_by
from accounts.selectors import user_is_root_level
from accounts.selectors import user_list_for_admin
from accounts.selectors import user_may_administer
from accounts.selectors import users_administered_by
from accounts.services import role_assign
from accounts.services import role_remove
from accounts.services import two_factor_device
from accounts.services import two_factor_reset
from accounts.services import unit_create
from accounts.services import unit_update
from accounts.services import user_admin_update
from accounts.services import user_deactivate
from accounts.services import user_invite
from accounts.services import user_reactivate
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.submissions import submit_form

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AdminViewMixin(PermissionMixin):
    permission = user_may_administer

    def units(self) -> QuerySet[OrgUnit]:
        return units_administered_by(self.request.user)


class UserListView(AdminViewMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        unit_id = request.GET.get("unit", "")
        active = {"1": True, "0": False}.get(request.GET.get("active", ""))
        users = user_list_for_admin(
            request.user,
            query=request.GET.get("q", "").strip(),
            unit_id=parse_int(unit_id),
            role=request.GET.get("role", "") if request.GET.get("role") in Role.values else "",
            active=active,
        )
        page = Paginator(users, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "manage/user_list.html",
            {"page": page, "units": self.units(), "roles": Role.choices, "filters": request.GET},
        )


def _invited(user: User, unit: OrgUnit) -> str:
    """What the invitation page says once ``user`` is invited into ``unit``."""
    invited = (
        _("%(email)s has been added to your practice space (nobody is e-mailed).")
        if unit.is_practice
        else _("%(email)s has been invited by e-mail.")
    )
    return invited % {"email": user.email}


class UserInviteView(AdminViewMixin, View):
    template_name = "manage/user_invite.html"

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = InviteForm(units=self.units(), initial={"language": "de"})
        return render(request, self.template_name, {"form": form})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = InviteForm(request.POST, units=self.units())
        user = submit_form(
            request,
            form,
            lambda data: user_invite(actor=request.user, request=request, **data),
            success=lambda user: _invited(user, form.cleaned_data["unit"]),
            refusals=(ValidationError,),
        )
        if user is not None:
            return redirect("manage:user_detail", pk=user.pk)
        return render(request, self.template_name, {"form": form})


# The user page's buttons that call one service about the user, and what the page then says.
_USER_BUTTONS: dict[str, tuple[Callable[..., object], StrOrPromise]] = {
    "deactivate": (user_deactivate, gettext_lazy("The user has been deactivated and logged out.")),
    "reactivate": (user_reactivate, gettext_lazy("The user has been reactivated.")),
    "reset_two_factor": (
        two_factor_reset,
        gettext_lazy("Two-factor authentication has been reset."),
    ),
}


class UserDetailView(AdminViewMixin, View):
    template_name = "manage/user_detail.html"

    def _user(self, pk: int) -> User:
        return get_object_or_404(users_administered_by(self.request.user), pk=pk)

    def _render(
        self, request: AuthenticatedHttpRequest, subject: User, **forms: Any
    ) -> HttpResponse:
        administered = unit_ids_for_roles(request.user, [Role.SYSTEM_ADMIN])
        assignments = subject.role_assignments.select_related("unit").order_by("unit__path", "role")
        return render(
            request,
            self.template_name,
            {
                "subject": subject,
                "assignments": [(a, a.unit_id in administered) for a in assignments],
                "role_form": forms.get("role_form") or RoleAssignmentForm(units=self.units()),
                "user_form": forms.get("user_form")
                or UserAdminForm(
                    initial={
                        "full_name": subject.full_name,
                        "two_factor_required": subject.two_factor_required,
                    }
                ),
                "has_two_factor": two_factor_device(subject) is not None,
                "is_practice_space_colleague": is_practice_space_colleague(subject),
            },
        )

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._user(pk))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        subject = self._user(pk)
        actor = request.user
        action = request.POST.get("action")
        try:
            if action == "assign_role":
                form = RoleAssignmentForm(request.POST, units=self.units())
                if not form.is_valid():
                    return self._render(request, subject, role_form=form)
                role_assign(actor=actor, user=subject, request=request, **form.cleaned_data)
                messages.success(request, _("The role has been assigned."))
            elif action == "remove_role":
                assignment = get_object_or_404(
                    RoleAssignment.objects.select_related("unit", "user"),
                    pk=parse_int(request.POST.get("assignment")),
                    user=subject,
                    unit__in=self.units(),
                )
                role_remove(actor=actor, assignment=assignment, request=request)
                messages.success(request, _("The role has been removed."))
            elif action == "update":
                user_form = UserAdminForm(request.POST)
                if not user_form.is_valid():
                    return self._render(request, subject, user_form=user_form)
                user_admin_update(
                    actor=actor, user=subject, request=request, **user_form.cleaned_data
                )
                messages.success(request, _("The user has been saved."))
            elif action in _USER_BUTTONS:
                service, done = _USER_BUTTONS[action]
                service(actor=actor, user=subject, request=request)
                messages.success(request, done)
        except ValidationError as error:
            report_errors(request, error)
        return redirect("manage:user_detail", pk=subject.pk)


class UnitListView(AdminViewMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "manage/unit_list.html", {"units": self.units()})


class UnitFormView(AdminViewMixin, View):
    template_name = "manage/unit_form.html"

    def _unit(self, pk: int | None) -> OrgUnit | None:
        return get_object_or_404(self.units(), pk=pk) if pk else None

    def _form(self, unit: OrgUnit | None, data: Any = None) -> UnitForm:
        parents = self.units()
        initial = {}
        if unit is not None:
            parents = parents.exclude(path__startswith=unit.path)
            initial = {
                "name": unit.name,
                "kind": unit.kind,
                "parent": unit.parent_id,
                "federal_state": unit.federal_state,
                "population": unit.population,
            }
        # Only an admin of a whole authority may create or keep a unit without parent.
        require_parent = not user_is_root_level(self.request.user, [Role.SYSTEM_ADMIN])
        return UnitForm(data, initial=initial, parents=parents, require_parent=require_parent)

    def get(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        unit = self._unit(pk)
        return render(request, self.template_name, {"form": self._form(unit), "unit": unit})

    def post(self, request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
        unit = self._unit(pk)
        form = self._form(unit, request.POST)

        def save(data: dict[str, Any]) -> OrgUnit:
            if unit is None:
                return unit_create(actor=request.user, request=request, **data)
            return unit_update(actor=request.user, unit=unit, request=request, **data)

        saved = submit_form(
            request, form, save, success=_("The unit has been saved."), refusals=(ValidationError,)
        )
        if saved is not None:
            return redirect("manage:unit_list")
        return render(request, self.template_name, {"form": form, "unit": unit})
