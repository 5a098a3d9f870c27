# syntax=docker/dockerfile:1
# Sprachrohr production image: web (gunicorn), Celery worker and Celery beat all run from it.
# Build:  docker build -t sprachrohr .        Deploy: see docs/deployment.md

ARG PYTHON_IMAGE=python:3.11-slim

# --- build stage: dependencies, compiled messages and static files ----------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# gettext (msgfmt) only in this stage: it is needed to compile translations, not to run them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv

WORKDIR /app
# Dependencies first, so that a code change does not reinstall them. pyproject.toml lists no
# packages: `pip install .` installs the dependencies; the code itself runs from /app.
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .

COPY . .

# Translations: compiled only if gettext is available and there is something to compile.
RUN if command -v msgfmt >/dev/null 2>&1 && find locale -name '*.po' 2>/dev/null | grep -q .; then \
        DJANGO_SETTINGS_MODULE=config.settings.development SPRACHROHR_VAR_DIR=/tmp/build-var \
        python manage.py compilemessages --ignore 'var/*' && rm -rf /tmp/build-var; \
    else \
        echo "compilemessages skipped: no gettext or no .po files"; \
    fi

# Static files with the production storage (hashed names + compressed copies, served by
# WhiteNoise). The values below exist only for this build step: they satisfy the start-up
# checks of config.settings.production, nothing connects anywhere, and none of them ends up
# in the image's environment.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY=build-only-collectstatic-not-a-secret-build-only-collectstatic \
    CREDENTIALS_KEYS=build-only-not-a-key \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0

# --- runtime stage ------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 10001 sprachrohr \
    && useradd --system --uid 10001 --gid sprachrohr --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin sprachrohr

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
# Mount points for the named volumes (media uploads, beat schedule). Created here so that a
# fresh volume inherits the ownership of the non-root user.
RUN mkdir -p /app/var/media /app/beat \
    && chown -R sprachrohr:sprachrohr /app/var/media /app/beat

WORKDIR /app
USER sprachrohr:sprachrohr
EXPOSE 8000

# gthread workers: WEB_CONCURRENCY processes (default 3) x 4 threads. Requests wait on the
# database and on social-network APIs more than on the CPU. /dev/shm for the worker heartbeat
# files, which can block on overlay file systems. The access log's logger class writes the
# calendar feed's secret token as <token> (config/gunicorn_logging.py).
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "gthread", "--threads", "4", \
     "--timeout", "60", "--graceful-timeout", "30", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--logger-class", "config.gunicorn_logging.RedactingLogger"]
