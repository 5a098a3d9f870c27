from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.forms import UnitsOfferedForm
from accounts.models import OrgUnit


class TrainingFilterForm(UnitsOfferedForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
