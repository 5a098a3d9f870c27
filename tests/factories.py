"""Factories for every app's tests. Units are created through the service so that their
materialised path is right; roles through ``role_assign`` so that guardian groups follow."""

from __future__ import annotations

from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OrgUnit
from accounts.models import User
from accounts.permissions import channel_permissions_sync
from accounts.services import role_assign
from accounts.services import unit_create
from channels_app.models import Channel
from channels_app.models import Platform

TEST_PASSWORD = "Korrekt-Pferd-Batterie-42"


class UnitFactory(factory.Factory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Einheit {n}")
    kind = OrgUnit.Kind.DEPARTMENT
    parent = None
    federal_state = ""

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: Any, **kwargs: Any) -> OrgUnit:
        if kwargs.get("parent") is None:
            kwargs["kind"] = OrgUnit.Kind.AUTHORITY
        return unit_create(actor=None, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    language = "de"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", TEST_PASSWORD)
        return User.objects.create_user(password=password, **kwargs)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[tuple[OrgUnit, str]] | None, **kw: Any) -> None:
        for unit, role in extracted or []:
            role_assign(actor=None, user=self, unit=unit, role=role, notify_user=False)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kanal {n}")
    platform = Platform.SANDBOX
    unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def permissions(self, create: bool, extracted: Any, **kw: Any) -> None:
        if create:
            channel_permissions_sync(self)


def totp_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
