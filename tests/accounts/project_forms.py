"""Every form class of the project and its declared fields, for the tests that hold all forms
to one rule."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from django import forms

APPS = ("accounts", "channels_app", "editorial", "moderation", "analytics")


def form_modules() -> Iterator[str]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if module.name.rsplit(".", 1)[-1] == "forms":
                yield module.name


def project_form_classes() -> list[type[forms.BaseForm]]:
    for name in form_modules():
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS:
            found.append(cls)
    return found


def project_form_fields() -> list[tuple[str, forms.Field]]:
    """(``module.Form.field``, field) of every field a project form declares, sorted by name."""
    found = [
        (f"{cls.__module__}.{cls.__name__}.{name}", field)
        for cls in project_form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
    ]
    return sorted(found, key=lambda pair: pair[0])
