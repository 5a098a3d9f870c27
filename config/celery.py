import os
import pkgutil

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("sprachrohr")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages() -> list[str]:
    """Every installed app and every feature package inside it (``editorial.publishing``, …):
    each may hold a ``tasks`` module, found without naming it here."""
    from django.apps import apps

    packages = []
    for config in apps.get_app_configs():
        packages.append(config.name)
        packages += [
            f"{config.name}.{module.name}"
            for module in pkgutil.iter_modules([config.path])
            if module.ispkg and module.name not in {"migrations", "management", "templatetags"}
        ]
    return packages


app.autodiscover_tasks(task_packages)
