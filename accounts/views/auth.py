from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import LoginForm
from accounts.forms import TokenForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.selectors import user_requires_two_factor
from accounts.services import password_changed_record
from accounts.services import two_factor_disable
from accounts.services import two_factor_failure_record
from accounts.services import two_factor_setup_begin
from accounts.services import two_factor_setup_confirm
from accounts.views.base import PermissionMixin
from accounts.views.errors import safe_next_url

_SETUP_SESSION_KEY = "two_factor_setup_device"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = getattr(settings, "OIDC_PROVIDER_NAME", "")
        return context


class LogoutView(auth_views.LogoutView):
    pass


class TwoFactorVerifyView(PermissionMixin, View):
    template_name = "accounts/two_factor_verify.html"

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if request.user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
            return redirect(safe_next_url(request, "/"))
        return render(
            request, self.template_name, {"form": TokenForm(), "next": safe_next_url(request, "/")}
        )

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            token = form.cleaned_data["token"].strip().replace(" ", "")
            throttled = False
            for device in devices_for_user(request.user, confirmed=True):
                if not device.verify_is_allowed()[0]:
                    throttled = True
                elif device.verify_token(token):
                    otp_login(request, device)
                    return redirect(safe_next_url(request, "/"))
            two_factor_failure_record(user=request.user, request=request)
            form.add_error(
                "token",
                _("Too many wrong codes. Wait a moment and try again.")
                if throttled
                else _("The code is not valid."),
            )
        return render(
            request, self.template_name, {"form": form, "next": safe_next_url(request, "/")}
        )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class SecondFactorFirstMixin(PermissionMixin):
    """Changing the second factor (replacing or switching it off) needs the current one
    first: a stolen password alone must not do. ``/accounts/2fa/`` is exempt from the
    two-factor middleware (the verify page lives there), so the check is made here."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and user_has_device(user, confirmed=True)
        ):
            return redirect("accounts:two_factor_verify")
        return super().dispatch(request, *args, **kwargs)


class TwoFactorSetupView(SecondFactorFirstMixin, View):
    template_name = "accounts/two_factor_setup.html"

    def _device(self, request: AuthenticatedHttpRequest) -> TOTPDevice:
        device_id = request.session.get(_SETUP_SESSION_KEY)
        device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
        if device is None:
            device = two_factor_setup_begin(user=request.user)
            request.session[_SETUP_SESSION_KEY] = device.pk
        return device

    def _render(
        self, request: AuthenticatedHttpRequest, device: TOTPDevice, form: TokenForm
    ) -> HttpResponse:
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "qr_code": _qr_svg(device.config_url),
                "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
                "required": user_requires_two_factor(request.user),
            },
        )

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self._render(request, self._device(request), TokenForm())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        device = self._device(request)
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                codes = two_factor_setup_confirm(
                    user=request.user,
                    device=device,
                    token=form.cleaned_data["token"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("token", error.message_dict.get("token", error.messages))
            else:
                request.session.pop(_SETUP_SESSION_KEY, None)
                otp_login(request, device)
                return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
        return self._render(request, device, form)


class TwoFactorDisableView(SecondFactorFirstMixin, View):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        try:
            two_factor_disable(user=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Two-factor authentication is switched off."))
        return redirect("accounts:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if isinstance(user := self.request.user, User):  # login required: always
            password_changed_record(user=user, request=self.request, via_invitation=False)
        messages.success(self.request, _("Your password has been changed."))
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """The link from the invitation e-mail: the invited person sets a password."""

    template_name = "accounts/invitation.html"
    form_class: type[SetPasswordForm[User]] = SetPasswordForm
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed_record(user=form.user, request=self.request, via_invitation=True)
        messages.success(self.request, _("Your password is set. You can log in now."))
        return response
