"""analytics/common/forms.py: the optional channel of a unit, named with its unit."""

from __future__ import annotations

from django import forms
from django.utils import translation

from accounts.models import OrgUnit
from analytics.common.forms import UnitChannelField
from channels_app.models import Channel


class _Form(forms.Form):
    channel = UnitChannelField()


def test_no_channel_means_all_channels_of_the_unit() -> None:
    field = _Form().fields["channel"]
    assert field.required is False
    with translation.override("en"):
        assert str(field.label) == "Channel"
        assert str(field.empty_label) == "All channels of the unit"  # type: ignore[attr-defined]
    assert _Form({"channel": ""}).is_valid()


def test_a_channel_is_named_with_its_unit() -> None:
    channel = Channel(name="Stadt", platform="mastodon", unit=OrgUnit(name="Presseamt"))
    label = UnitChannelField().label_from_instance(channel)
    assert label == f"{channel.label} (Presseamt)"
