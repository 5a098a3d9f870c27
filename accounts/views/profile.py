from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from accounts.dashboard import dashboard_panels_for
from accounts.forms import ApiTokenForm
from accounts.forms import NotificationPreferencesForm
from accounts.forms import ProfileForm
from accounts.http import AuthenticatedHttpRequest
from accounts.input import int_list
from accounts.notifications import notification_render
from accounts.selectors import api_tokens_for_user
from accounts.selectors import notification_email_preferences
from accounts.selectors import notifications_for_user
from accounts.selectors import user_requires_two_factor
from accounts.selectors import user_role_assignments
from accounts.services import api_token_create
from accounts.services import api_token_revoke
from accounts.services import notification_preferences_update
from accounts.services import notifications_mark_read
from accounts.services import two_factor_device
from accounts.services import user_update_profile
from accounts.views.base import PermissionMixin


class DashboardView(PermissionMixin, View):
    """The user's work at a glance ("my work"): the panels the apps contribute for the
    user's roles."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "dashboard.html", {"panels": dashboard_panels_for(request.user)})


class ProfileView(PermissionMixin, View):
    template_name = "accounts/profile.html"

    def _context(self, request: AuthenticatedHttpRequest, **forms: object) -> dict[str, object]:
        user = request.user
        return {
            "profile_form": forms.get("profile_form")
            or ProfileForm(initial={"full_name": user.full_name, "language": user.language}),
            "preferences_form": forms.get("preferences_form")
            or NotificationPreferencesForm(current=notification_email_preferences(user)),
            "token_form": forms.get("token_form") or ApiTokenForm(),
            "tokens": api_tokens_for_user(user),
            "assignments": user_role_assignments(user),
            "two_factor_device": two_factor_device(user),
            "two_factor_required": user_requires_two_factor(user),
        }

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, self.template_name, self._context(request))

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        if "save_profile" in request.POST:
            form = ProfileForm(request.POST)
            if not form.is_valid():
                return render(
                    request, self.template_name, self._context(request, profile_form=form)
                )
            user_update_profile(user=user, request=request, **form.cleaned_data)
            translation.activate(user.language)
            messages.success(request, _("Your profile has been saved."))
        elif "save_preferences" in request.POST:
            preferences = NotificationPreferencesForm(
                request.POST, current=notification_email_preferences(user)
            )
            preferences.is_valid()  # checkboxes only: always valid
            notification_preferences_update(user=user, email_by_kind=preferences.cleaned_data)
            messages.success(request, _("Your notification settings have been saved."))
        return redirect("accounts:profile")


class ApiTokenCreateView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            profile = ProfileView()
            return render(
                request, profile.template_name, profile._context(request, token_form=form)
            )
        created = api_token_create(
            user=request.user, name=form.cleaned_data["name"], request=request
        )
        response = render(request, "accounts/api_token_created.html", {"created": created})
        response.headers["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        token = get_object_or_404(api_tokens_for_user(request.user), pk=pk)
        api_token_revoke(actor=request.user, token=token, request=request)
        messages.success(
            request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
        )
        return redirect("accounts:profile")


class NotificationListView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(
            notifications_for_user(request.user).select_related("recipient"),
            25,
        ).get_page(request.GET.get("page"))
        return render(
            request,
            "accounts/notifications.html",
            {"page": page, "items": [(n, notification_render(n, in_app=True)) for n in page]},
        )

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        # Without any "notification": all. Ids that are no numbers mark nothing.
        chosen = request.POST.getlist("notification")
        notifications_mark_read(
            user=request.user, notification_ids=int_list(chosen) if chosen else None
        )
        return redirect("accounts:notifications")
