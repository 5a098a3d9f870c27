from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from typing import cast

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.audit import audit_action_choices
from accounts.audit import client_ip
from accounts.models import FederalState
from accounts.models import Language
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.notifications import NOTIFICATION_KINDS
from accounts.services import login_failure_record
from accounts.services import login_lockout_remaining
from accounts.widgets import DateInput

# --- Shared by the forms of every app ---------------------------------------------------------


class FieldsetsMixin(forms.Form):
    """A form whose fields come in named groups. ``fieldsets`` lists (legend, field names);
    templates/_form_fields.html shows each group as a fieldset with its legend, where its
    first field stands, and every other field as usual."""

    fieldsets: Sequence[tuple[Any, Sequence[str]]] = ()

    def field_groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        legend_of = {name: legend for legend, names in self.fieldsets for name in names}
        groups: list[tuple[Any, list[forms.BoundField]]] = []
        started: dict[Any, list[forms.BoundField]] = {}
        for field in self.visible_fields():
            legend = legend_of.get(field.name)
            if legend is None:
                groups.append((None, [field]))
            elif legend in started:
                started[legend].append(field)
            else:
                started[legend] = [field]
                groups.append((legend, started[legend]))
        return groups


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("E-mail address or password is wrong."),
        "inactive": _("This account is deactivated."),
    }

    def _locked_error(self, seconds: int) -> ValidationError:
        minutes = max(1, (seconds + 59) // 60)
        return ValidationError(
            ngettext(
                "Too many failed logins. Try again in %(minutes)d minute.",
                "Too many failed logins. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            code="locked",
        )

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        request: HttpRequest = self.request  # type: ignore[assignment]
        remaining = login_lockout_remaining(email=email, ip=client_ip(request))
        if remaining:
            raise self._locked_error(remaining)
        self.user_cache = authenticate(request, username=email, password=password)
        if self.user_cache is None:
            if login_failure_record(email=email, request=request):
                raise self._locked_error(
                    login_lockout_remaining(email=email, ip=client_ip(request))
                )
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or a backup code."),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class NotificationPreferencesForm(FieldsetsMixin):
    """One checkbox per notification type: also send it by e-mail."""

    def __init__(self, *args: Any, current: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, spec in NOTIFICATION_KINDS.items():
            self.fields[kind] = forms.BooleanField(
                label=spec.label, required=False, initial=current.get(kind, spec.email_by_default)
            )
            if spec.email_required:
                field = self.fields[kind]
                field.initial, field.disabled = True, True
                field.help_text = _(
                    "Always sent by e-mail: the mailed copy lets the audit log be checked "
                    "against a record outside the database."
                )
        self.fieldsets = [(_("Also send by e-mail"), list(NOTIFICATION_KINDS))]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Intranet dashboard”."),
    )


class _OnlyChoiceBoundField(forms.BoundField):
    @cached_property
    def initial(self) -> Any:
        initial = super().initial
        field = self.field
        if initial not in (None, "") or not field.required:
            return initial
        queryset = getattr(field, "queryset", None)
        only = [] if queryset is None else list(queryset.values_list("pk", flat=True)[:2])
        return only[0] if len(only) == 1 else initial


class UnitChoiceField(forms.ModelChoiceField):
    """The unit something belongs to, shown as the tree. A required choice that offers one
    unit only starts with it chosen: nobody has to pick the only possible answer."""

    bound_field_class = _OnlyChoiceBoundField

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "— " * obj.depth + obj.name


class UnitsOfferedForm(forms.Form):
    """A form whose ``unit`` field offers only the ``units`` it is given: the units its
    user may act in, known only per request."""

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class InviteForm(UnitsOfferedForm):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleAssignmentForm(UnitsOfferedForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UserAdminForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    two_factor_required = forms.BooleanField(
        label=_("Require two-factor authentication"),
        required=False,
        help_text=_("Always required for system and channel admins."),
    )


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    parent = UnitChoiceField(
        label=_("Parent unit"), queryset=OrgUnit.objects.none(), required=False
    )
    federal_state = forms.ChoiceField(
        label=_("Federal state"),
        choices=[("", "—"), *FederalState.choices],
        required=False,
        help_text=_("Decides which public holidays the Redaktionsplan shows."),
    )
    population = forms.IntegerField(
        label=_("Population"),
        required=False,
        min_value=1,
        help_text=_(
            "Inhabitants of the area the unit serves. Optional: the analytics then also show"
            " followers per 1,000 inhabitants."
        ),
    )

    def __init__(self, *args: Any, parents: Any, require_parent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parents
        self.fields["parent"].required = require_parent


class AuditFilterForm(UnitsOfferedForm):
    actor = forms.ModelChoiceField(label=_("Actor"), queryset=User.objects.none(), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    target_type = forms.CharField(
        label=_("Object type"), required=False, help_text=_("e.g. “accounts.user”.")
    )
    target_id = forms.CharField(label=_("Object ID"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(
        label=_("Until (inclusive)"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args: Any, units: Any, actors: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        cast(forms.ModelChoiceField, self.fields["actor"]).queryset = actors
        # Built per form: the labels are in the reader's language, sorted by them.
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("All actions")),
            *audit_action_choices(),
        ]
