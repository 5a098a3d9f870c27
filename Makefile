# Sprachrohr – developer commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-services test-platforms lint imports format messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Web server, Celery worker, publisher and beat together; Ctrl-C stops them all. Each one
# that dies is started again (Procfile: config/supervise.py).
# Without DATABASE_URL/REDIS_URL: SQLite and a filesystem broker in var/, no server needed.
# `make run PORT=8105` serves on another port; SITE_URL (where the sandbox posts to) follows
# it unless set (WEB_PORT: honcho gives every process its own PORT, so not that name).
PORT ?= 8000
run: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo ""
	@echo "Sprachrohr runs at http://localhost:$(PORT)/  (API docs: http://localhost:$(PORT)/api/docs/)"
	@echo ""
	WEB_PORT=$(PORT) $(BIN)/honcho start -f Procfile

# The whole suite against real PostgreSQL and Redis (see README: TEST_DATABASE_NAME, REDIS_URL),
# in TEST_PROCESSES processes (one per core of the reference machine), whole files per process,
# the slowest first (tests/conftest.py: HEAVY_FILES_FIRST, hence --no-loadscope-reorder):
# each has its own test database and Redis databases (config/settings/test.py).
# First what the suite needs besides Python: Chromium, gettext, PostgreSQL and Redis
# (config/test-services.sh installs and starts them when missing, or says what to do).
# The contract tests against real platform servers are `make test-platforms`.
TEST_PROCESSES ?= 2
# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): each
# test process, Celery worker and manage.py subprocess the tests start would otherwise compile
# every module again (about 2 s of CPU each).
test: $(STAMP) test-services
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest --numprocesses $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder --ignore=tests/platforms

test-services:
	bash config/test-services.sh

# The Bluesky adapter against a real PDS (@atproto/dev-env from the npm registry, installed
# into var/platforms/ on the first run and reused; tests/platforms/bluesky/).
test-platforms: $(STAMP)
	$(BIN)/python -m pytest -p no:xdist tests/platforms

# Every app package and the project package, whole: views, forms, serializers, admin, migrations
# and management commands as well as the services, selectors and permissions.
MYPY_FILES = accounts channels_app editorial moderation analytics config

lint: $(STAMP) imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(MYPY_FILES)

# The layers between the apps (contracts in pyproject.toml, explained in docs/architecture.md).
imports: $(STAMP)
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(MANAGE) makemessages --locale de --no-obsolete --add-location file --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'benchmarks/*'
	$(MANAGE) compilemessages --locale de --ignore '.venv/*'

bench: $(STAMP)
	@for bench in benchmarks/[!_]*.py; do echo "# $$bench"; $(BIN)/python $$bench || exit 1; done

clean:
	rm -rf var/ .pytest_cache .ruff_cache .mypy_cache
