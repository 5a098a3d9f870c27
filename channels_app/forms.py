from __future__ import annotations

from typing import Any
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.forms import UnitsOfferedForm
from accounts.models import OrgUnit
from channels_app.adapters.base import CredentialField
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.services import platform_capabilities


class ChannelCheckboxes(forms.CheckboxSelectMultiple):
    """A checkbox per channel; those whose platform shows a content warning (Mastodon) are
    marked ``data-content-warning-channel``, so that the post editor (static/js/editor.js)
    offers the content warning field only while one of them is ticked, from the start."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        channel = getattr(option["value"], "instance", None)
        if isinstance(channel, Channel) and platform_capabilities(channel.platform).content_warning:
            option["attrs"]["data-content-warning-channel"] = ""
        return option


class ChannelsField(forms.ModelMultipleChoiceField):
    """Channels as one checkbox each, labelled with the platform ("Stadt (Sandbox)"), so a
    post never goes to a sandbox or a look-alike channel by mistake. The view sets the
    queryset to the channels the user may use."""

    widget = ChannelCheckboxes

    def __init__(self, *, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Channels"))
        super().__init__(queryset=Channel.objects.none(), required=required, **kwargs)

    def label_from_instance(self, obj: Channel) -> str:
        return obj.label


class ChannelProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("e.g. “Polizei Musterstadt on Mastodon”")
    )
    base_url = forms.URLField(
        assume_scheme="https",
        label=_("Server address"),
        required=False,
        max_length=300,
        help_text=_(
            "Only Mastodon (which instance, e.g. https://social.bund.de) and Bluesky"
            " (an own server; empty: bsky.social)."
        ),
    )
    impressum_url = forms.URLField(
        assume_scheme="https", label=_("Impressum address"), required=False, max_length=500
    )
    privacy_url = forms.URLField(
        assume_scheme="https", label=_("Privacy notice address"), required=False, max_length=500
    )
    legal_note = forms.CharField(
        label=_("Legal-risk note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Channel._meta.get_field("legal_note").help_text,
    )


class ChannelCreateForm(UnitsOfferedForm, ChannelProfileForm):
    unit = UnitChoiceField(label=_("Owning unit"), queryset=OrgUnit.objects.none())
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)

    field_order = [
        "unit",
        "platform",
        "name",
        "base_url",
        "impressum_url",
        "privacy_url",
        "legal_note",
    ]


class CredentialsForm(forms.Form):
    """The platform's own fields (Bluesky handle + app password, Telegram bot token …).
    Secret fields are password inputs and are never rendered back."""

    def __init__(self, *args: Any, fields: tuple[CredentialField, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in fields:
            self.fields[spec.name] = forms.CharField(
                label=spec.label,
                help_text=spec.help_text,
                max_length=1000,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
                if spec.secret
                else forms.TextInput(attrs={"autocomplete": "off"}),
            )


class AccountChoiceForm(forms.Form):
    account = forms.ChoiceField(label=_("Account"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["account"]).choices = choices
