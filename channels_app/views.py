"""Channel pages: list, detail with capability table, create, connect, OAuth callback,
test, disconnect, pause. Invisible channels answer 404; visible ones a user may not manage
answer 403."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.permissions import MANAGE_CHANNEL
from accounts.permissions import VIEW_CHANNEL
from accounts.security import HEADER as CSP_HEADER
from accounts.security import policy_header
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.submissions import submit_form
from channels_app.adapters.base import ConnectMethod
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.registry import adapter_class
from channels_app.forms import AccountChoiceForm
from channels_app.forms import ChannelCreateForm
from channels_app.forms import ChannelProfileForm
from channels_app.forms import CredentialsForm
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from channels_app.selectors import units_for_new_channels
from channels_app.selectors import user_may_see_channels
from channels_app.services import PROFILE_FIELDS
from channels_app.services import OAuthScopesRefusedError
from channels_app.services import account_choices_open
from channels_app.services import account_choices_seal
from channels_app.services import channel_connect
from channels_app.services import channel_connect_with_form
from channels_app.services import channel_create
from channels_app.services import channel_disconnect
from channels_app.services import channel_oauth_finish
from channels_app.services import channel_oauth_retry_broad
from channels_app.services import channel_oauth_start
from channels_app.services import channel_pause
from channels_app.services import channel_resume
from channels_app.services import channel_test_connection
from channels_app.services import channel_update

_OAUTH_SESSION_KEY = "channel_oauth"
_CHOICES_SESSION_KEY = "channel_account_choices"


def channel_for_user(user: User, pk: int, permission: str = VIEW_CHANNEL) -> Channel:
    channel = get_object_or_404(channels_for_user(user), pk=pk)
    if permission != VIEW_CHANNEL and not user.has_perm(permission, channel):
        raise PermissionDenied
    return channel


def oauth_redirect_uri() -> str:
    return f"{settings.SITE_URL}{reverse('channels:oauth_callback')}"


class ChannelListView(PermissionMixin, View):
    permission = user_may_see_channels

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        channels = channels_for_user(user).order_by("unit__path", "name")
        return render(
            request,
            "channels/list.html",
            {"channels": channels, "may_create": units_for_new_channels(user).exists()},
        )


class ChannelCreateView(PermissionMixin, View):
    template_name = "channels/form.html"

    @staticmethod
    def permission(user: User) -> bool:
        return units_for_new_channels(user).exists()

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = ChannelCreateForm(units=units_for_new_channels(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = ChannelCreateForm(request.POST, units=units_for_new_channels(request.user))
        channel = submit_form(
            request,
            form,
            lambda data: channel_create(actor=request.user, request=request, **data),
            success=_("The channel has been created. Connect it now."),
            refusals=(ValidationError,),
        )
        if channel is not None:
            return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template_name, {"form": form})


class ChannelDetailView(PermissionMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        channel = channel_for_user(user, pk)
        adapter = adapter_class(channel.platform)
        return render(
            request,
            "channels/detail.html",
            {
                "channel": channel,
                "capabilities": adapter.capabilities,
                "connect_method": adapter.connect_method,
                "may_manage": user.has_perm(MANAGE_CHANNEL, channel),
                "is_connected": hasattr(channel, "credential"),
            },
        )


class ChannelEditView(PermissionMixin, View):
    template_name = "channels/form.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = channel_for_user(request.user, pk, MANAGE_CHANNEL)
        form = ChannelProfileForm(initial={f: getattr(channel, f) for f in PROFILE_FIELDS})
        return render(request, self.template_name, {"form": form, "channel": channel})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = channel_for_user(request.user, pk, MANAGE_CHANNEL)
        form = ChannelProfileForm(request.POST)
        saved = submit_form(
            request,
            form,
            lambda data: channel_update(
                actor=request.user, channel=channel, request=request, **data
            ),
            success=_("The channel has been saved."),
            refusals=(ValidationError,),
        )
        if saved is not None:
            return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template_name, {"form": form, "channel": channel})


class ChannelConnectView(PermissionMixin, View):
    """Form-based platforms show their fields; OAuth platforms redirect to the platform."""

    template_name = "channels/connect.html"

    def _form(self, channel: Channel, data: Any = None) -> CredentialsForm:
        return CredentialsForm(data, fields=adapter_class(channel.platform).credential_fields)

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = channel_for_user(request.user, pk, MANAGE_CHANNEL)
        if adapter_class(channel.platform).connect_method == ConnectMethod.OAUTH:
            response = render(request, self.template_name, {"channel": channel, "oauth": True})
            # The form posts here and is redirected to the platform's login, and browsers
            # apply form-action to that redirect too: this one page allows any HTTPS origin
            # (a Mastodon instance is any host; platforms redirect on to other hosts).
            response[CSP_HEADER] = policy_header(form_action=["'self'", "https:"])
            return response
        return render(
            request, self.template_name, {"channel": channel, "form": self._form(channel)}
        )

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = channel_for_user(request.user, pk, MANAGE_CHANNEL)
        if adapter_class(channel.platform).connect_method == ConnectMethod.OAUTH:
            try:
                start = channel_oauth_start(channel=channel, redirect_uri=oauth_redirect_uri())
            except PlatformError as error:
                report_errors(request, error)
                return redirect("channels:detail", pk=channel.pk)
            request.session[_OAUTH_SESSION_KEY] = start.session_payload
            return redirect(start.authorize_url)
        form = self._form(channel, request.POST)
        if form.is_valid():
            try:
                channel_connect_with_form(
                    actor=request.user,
                    channel=channel,
                    values=form.cleaned_data,
                    request=request,
                )
            except (ValidationError, PlatformError) as error:
                form.add_error(None, error.message if isinstance(error, PlatformError) else error)
            else:
                messages.success(request, _("The channel is connected."))
                return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template_name, {"channel": channel, "form": form})


class OAuthCallbackView(PermissionMixin, View):
    """The one redirect URI registered at every platform; ``state`` finds the channel. A
    server that refuses the granular scopes is asked once more, for the broad ones."""

    request: AuthenticatedHttpRequest

    def _retry_broad(self, payload: str) -> HttpResponse | None:
        try:
            start = channel_oauth_retry_broad(
                session_payload=payload,
                state=self.request.GET.get("state", ""),
                redirect_uri=oauth_redirect_uri(),
            )
        except PlatformError as error:
            report_errors(self.request, error)
            return redirect("channels:list")
        if start is None:
            return None
        self.request.session[_OAUTH_SESSION_KEY] = start.session_payload
        return redirect(start.authorize_url)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        payload = request.session.pop(_OAUTH_SESSION_KEY, None)
        if payload is None:
            messages.error(
                request, _("The login at the platform could not be matched. Start again.")
            )
            return redirect("channels:list")
        if request.GET.get("error") == "invalid_scope":
            retry = self._retry_broad(payload)
            if retry is not None:
                return retry
        if request.GET.get("error"):
            messages.error(
                request,
                _("The platform did not grant access: %(reason)s")
                % {"reason": request.GET.get("error_description") or request.GET["error"]},
            )
            return redirect("channels:list")
        try:
            channel_id, choices = channel_oauth_finish(
                session_payload=payload,
                state=request.GET.get("state", ""),
                code=request.GET.get("code", ""),
                redirect_uri=oauth_redirect_uri(),
            )
            channel = channel_for_user(request.user, channel_id, MANAGE_CHANNEL)
            if len(choices) == 1:
                channel_connect(
                    actor=request.user, channel=channel, choice=choices[0], request=request
                )
                messages.success(request, _("The channel is connected."))
                return redirect("channels:detail", pk=channel.pk)
        except OAuthScopesRefusedError as error:
            retry = self._retry_broad(payload)
            if retry is not None:
                return retry
            messages.error(request, str(error))
            return redirect("channels:list")
        except (ValidationError, PlatformError) as error:
            report_errors(request, error)
            return redirect("channels:list")
        request.session[_CHOICES_SESSION_KEY] = {
            "channel": channel.pk,
            "sealed": account_choices_seal(choices),
        }
        return redirect("channels:choose_account", pk=channel.pk)


class ChooseAccountView(PermissionMixin, View):
    """After OAuth on page-based platforms: which page or organisation this channel is."""

    def _choices(self, request: AuthenticatedHttpRequest, channel: Channel) -> list[Any]:
        stored = request.session.get(_CHOICES_SESSION_KEY)
        if not stored or stored["channel"] != channel.pk:
            return []
        return account_choices_open(stored["sealed"])

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = channel_for_user(request.user, pk, MANAGE_CHANNEL)
        choices = self._choices(request, channel)
        if not choices:
            return redirect("channels:detail", pk=channel.pk)
        form = AccountChoiceForm(choices=[(c.account_id, c.name) for c in choices])
        return render(request, "channels/choose_account.html", {"channel": channel, "form": form})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = channel_for_user(request.user, pk, MANAGE_CHANNEL)
        choices = self._choices(request, channel)
        form = AccountChoiceForm(request.POST, choices=[(c.account_id, c.name) for c in choices])
        if not form.is_valid():
            return render(
                request, "channels/choose_account.html", {"channel": channel, "form": form}
            )
        choice = next(c for c in choices if c.account_id == form.cleaned_data["account"])
        channel_connect(actor=request.user, channel=channel, choice=choice, request=request)
        request.session.pop(_CHOICES_SESSION_KEY, None)
        messages.success(request, _("The channel is connected."))
        return redirect("channels:detail", pk=channel.pk)


class ChannelActionView(PermissionMixin, View):
    """POST-only actions on one channel: test, disconnect, pause, resume."""

    def post(self, request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        channel = channel_for_user(user, pk, MANAGE_CHANNEL)
        try:
            if action == "test":
                name = channel_test_connection(actor=user, channel=channel, request=request)
                messages.success(request, _("The connection works: %(name)s") % {"name": name})
            elif action == "disconnect":
                channel_disconnect(actor=user, channel=channel, request=request)
                messages.success(request, _("The channel is disconnected."))
            elif action == "pause":
                channel_pause(actor=user, channel=channel, request=request)
                messages.success(request, _("The channel is paused."))
            elif action == "resume":
                channel_resume(actor=user, channel=channel, request=request)
                messages.success(request, _("The channel is active again."))
            else:
                raise PermissionDenied
        except (ValidationError, PlatformError) as error:
            report_errors(request, error)
        return redirect("channels:detail", pk=channel.pk)
