# sciday: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.sciday-requirements
NODE_STAMP := node_modules/.sciday-packages
# The demonstration clock: the 2022 campaign is live in the demo.
DEMO_CLOCK ?= 2022-05-20T10:00+08:00
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and notifications start with this (settings.SCIDAY_SITE_URL): by default the
# address `make run` serves; set it (environment or `make run SCIDAY_SITE_URL=...`) behind a proxy.
SCIDAY_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test setup lint pytest migrate demo messages clean worker bench cluster cluster-stop run-province

setup: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable

demo: migrate
	DEBUG=1 $(PY) manage.py load_holidays
	DEBUG=1 $(PY) manage.py load_campaign qingdao-2022
	DEBUG=1 SCIDAY_CLOCK="$(DEMO_CLOCK)" $(PY) manage.py load_demo

run: demo
	@echo "sciday is starting on http://$(HOST):$(PORT)/ (demo clock $(DEMO_CLOCK)); Ctrl-C stops it."
	@mkdir -p var; \
	DEBUG=1 SCIDAY_CLOCK="$(DEMO_CLOCK)" SCIDAY_SITE_URL="$(SCIDAY_SITE_URL)" $(PY) manage.py db_worker --interval 2 > var/worker.log 2>&1 & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 SCIDAY_CLOCK="$(DEMO_CLOCK)" SCIDAY_SITE_URL="$(SCIDAY_SITE_URL)" $(PY) manage.py runserver $(HOST):$(PORT)

# A second sciday at the province level (SCIDAY_LEVEL=province, Shandong's 16 cities, its own database
# var/province.sqlite3) on http://127.0.0.1:8001, already holding Qingdao's upward package from the city demo.
# Run it beside `make run` (another terminal); log in as `province` / sciday-demo, 逐级上报 menu.
PROVINCE_PORT ?= 8001
PROVINCE_ENV = DEBUG=1 SCIDAY_LEVEL=province SCIDAY_REGION_CODE=370000 DATABASE_URL=sqlite:///$(CURDIR)/var/province.sqlite3 \
	MEDIA_ROOT=$(CURDIR)/var/province-media SCIDAY_CLOCK="2022-06-20T10:00+08:00" SCIDAY_SITE_URL=http://$(HOST):$(PROVINCE_PORT)
run-province: demo
	@mkdir -p var
	DEBUG=1 SCIDAY_CLOCK="$(DEMO_CLOCK)" $(PY) manage.py rollup_export qingdao-2022 --out var/qingdao-2022-upward.zip
	$(PROVINCE_ENV) $(PY) manage.py migrate --noinput
	$(PROVINCE_ENV) $(PY) manage.py createcachetable
	$(PROVINCE_ENV) $(PY) manage.py load_province_demo --package var/qingdao-2022-upward.zip
	@echo "The province demo is starting on http://$(HOST):$(PROVINCE_PORT)/ (login province / sciday-demo); Ctrl-C stops it."
	$(PROVINCE_ENV) $(PY) manage.py runserver $(HOST):$(PROVINCE_PORT)

worker: setup
	DEBUG=1 SCIDAY_SITE_URL="$(SCIDAY_SITE_URL)" $(PY) manage.py db_worker

lint: setup
	$(VENV)/bin/ruff check .

pytest: setup
	DJANGO_SETTINGS_MODULE=sciday.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --create-db -q $(PYTEST_ARGS)

test: setup lint pytest

# Regenerate the translation catalogues of every app (needs GNU gettext) and compile them.
messages: setup
	for app in $$(ls -d */locale | cut -d/ -f1); do \
		(cd $$app && DEBUG=1 ../$(PY) ../manage.py makemessages -l zh_Hans -l en --no-obsolete) || exit 1; \
	done
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# The production shape on this machine: nginx on CLUSTER_LISTEN (127.0.0.1:8080) in front of two gunicorn
# app servers, two task workers, PostgreSQL (database sciday_cluster), Redis; see deploy/cluster/cluster.sh.
cluster: setup
	deploy/cluster/cluster.sh start

cluster-stop:
	deploy/cluster/cluster.sh stop

# Every benchmark in bench/ (hours at the README's sizes); `make bench QUICK=1` is a few-minute smoke run.
bench: setup
	$(PY) bench/run.py $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
