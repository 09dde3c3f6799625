# The two commands a newcomer needs: `make run` and `make test`.
# Django 6 needs Python 3.12+; take the first such interpreter on this machine.
PYTHON ?= $(shell for p in python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# The settings default to production (docs/deployment.md); every target here is the demo or a
# developer's machine, so it asks for DEBUG, with its published demo secrets and simulators.
export DJANGO_DEBUG ?= 1

.PHONY: run test install demo lint schema bench clean national sync-worker idp services

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Cần Python 3.12 trở lên / Python 3.12+ is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST)

# The demo's national portal: the same project in national mode, on its own SQLite file, with the
# demo province registered under the credentials the province's DEBUG defaults use.
NATIONAL_ENV := MOTCUA_MODE=national DATABASE_URL=sqlite:///$(CURDIR)/var/national.sqlite3
national: install
	mkdir -p var
	$(NATIONAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(NATIONAL_ENV) $(BIN)/python manage.py sync_installation 000.00.00.H56 \
		--name "UBND tỉnh Khánh Hòa" --username khanhhoa --password motcua-demo --province 56
	$(NATIONAL_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8001

sync-worker: install
	$(BIN)/python manage.py sync_worker

# Every simulator the demo talks to, in one terminal beside `make run` (Ctrl-C stops them all):
# national portal :8001 with the sync worker, VNeID :8100, SMS gateway :8200, payment gateway :8300,
# national PAKN system :8230, remote-signing service :8500.
services: install
	trap 'kill 0' INT TERM; \
	$(MAKE) --no-print-directory national & \
	$(MAKE) --no-print-directory idp & \
	$(BIN)/python manage.py sms_simulator --port 8200 & \
	$(BIN)/python manage.py paygate_simulator --port 8300 & \
	$(BIN)/python manage.py results_remote_signing_simulator --port 8500 & \
	$(BIN)/python manage.py feedback_national_simulator --port 8230 & \
	sleep 5; $(BIN)/python manage.py sync_worker & \
	wait

# The demo's VNeID: a local OpenID Connect provider (idp/, docs/identity.md) on port 8100, with
# its own database and keys in var/idp/, and motcua registered as the client its DEBUG defaults use.
idp: install
	$(BIN)/python manage.py migrate --noinput --settings=idp.settings
	$(BIN)/python manage.py idp_setup --settings=idp.settings
	$(BIN)/python manage.py runserver 127.0.0.1:8100 --settings=idp.settings

test: install
	$(BIN)/python -m ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .

schema: install
	$(BIN)/python manage.py spectacular --file openapi.yaml --validate --fail-on-warn

clean:
	rm -rf $(VENV) db.sqlite3 media
