"""Settings of the Celery worker process the report worker test starts: the test settings,
with e-mail written to files (``EMAIL_FILE_PATH``) the test reads, since a subprocess's
locmem outbox is out of the test's sight."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["SPRACHROHR_TEST_MAIL_DIR"]
