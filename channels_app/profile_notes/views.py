"""The profile notes on the channel page: adopt the starter text, change it, tick that it
is on the platform profile (channel admins)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from channels_app.profile_notes.services import profile_notes_adopt
from channels_app.profile_notes.services import profile_notes_check
from channels_app.profile_notes.services import profile_notes_update
from channels_app.selectors import channels_for_user


class ProfileNotesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Profile notes"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ProfileNotesView(PermissionMixin, View):
    """POST ``action``: ``adopt`` the starter text, ``save`` a changed ``text``, ``check``
    with ``present`` on or off."""

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = get_object_or_404(channels_for_user(request.user), pk=pk)
        action = request.POST.get("action", "")
        try:
            if action == "adopt":
                profile_notes_adopt(actor=request.user, channel=channel, request=request)
                messages.success(request, _("The starter text has been adopted. Check it."))
            elif action == "save":
                form = ProfileNotesForm(request.POST)
                if form.is_valid():
                    profile_notes_update(
                        actor=request.user,
                        channel=channel,
                        text=form.cleaned_data["text"],
                        request=request,
                    )
                    messages.success(request, _("The profile notes have been saved."))
                else:
                    messages.error(request, _("The profile notes need a text."))
            elif action == "check":
                profile_notes_check(
                    actor=request.user,
                    channel=channel,
                    present=request.POST.get("present") == "on",
                    request=request,
                )
                messages.success(request, _("Saved whether the notes are on the profile."))
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as error:
            report_errors(request, error)
        return redirect("channels:detail", pk=channel.pk)
