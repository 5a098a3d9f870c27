import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("sprachrohr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The publishing engine keeps its tasks apart from the editorial area's other tasks.
app.autodiscover_tasks(related_name="tasks_publishing")
