# The two commands of the README: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The services pass of `make test` (override to point elsewhere).
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
SERVICES_BROKER_URL ?= redis://127.0.0.1:6379/15
export SERVICES_DATABASE_URL SERVICES_BROKER_URL

# The laptop commands run in debug mode: with DEBUG=false the settings refuse to start without
# a SECRET_KEY of the site's own.
migrate demo run bench: export DEBUG ?= true

.PHONY: run test lint pytest pytest-services bench setup system system-tests migrate demo clean lock smoke load

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

setup: system $(VENV)/.installed

system:
	@scripts/system-packages.sh

system-tests:
	@scripts/system-packages.sh --tests

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo
	@echo "  Journey Planner: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server, the worker and beat)"
	@echo
	@# Ctrl-C is the normal way to stop: honcho's exit status 130 is not an error.
	DEBUG=true PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile || [ $$? -eq 130 ]

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# SQLite and the filesystem broker: the embedded default.
pytest: setup system-tests
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py check
	scripts/pytest.sh

# PostgreSQL + Redis with a real Celery worker process (started by the tests).
pytest-services: setup system-tests
	@if $(PY) scripts/services.py; then \
		DATABASE_URL=$(SERVICES_DATABASE_URL) CELERY_BROKER_URL=$(SERVICES_BROKER_URL) \
			SERVICES=1 scripts/pytest.sh; \
	elif [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "REQUIRE_SERVICES=1 and a service is missing: failing." >&2; exit 1; \
	else \
		echo; echo "!!! SKIPPED the PostgreSQL + Redis pass: the services above do not answer. !!!"; \
		echo "!!! Set REQUIRE_SERVICES=1 to make this a failure.                            !!!"; echo; \
	fi

test: lint pytest pytest-services

bench: demo
	$(PY) -m bench

# The production stack on this machine, end to end (gunicorn, two workers, beat, PostgreSQL,
# Redis, an S3 endpoint): scripts/smoke.py (run as `-m scripts.smoke`). SMOKE_DATABASE_URL / SMOKE_BROKER_URL override
# the services pass's database and Redis.
smoke: setup system
	$(PY) -m scripts.smoke

# The load test (locust, 60 s, 50 team members + 5 architects, 127.0.0.1 only) on gunicorn +
# PostgreSQL: writes load.* into bench/results.json. Not part of `make test`.
load: setup system
	$(PY) -m bench.load

# Rebuild the exact versions after changing requirements*.txt.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^journey-planner' > constraints.txt

clean:
	rm -rf var/celery var/staticfiles .pytest_cache
