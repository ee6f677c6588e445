# Talentloop: `make run` to try it, `make test` to check it. Both work on a machine with only
# Python 3.11 and make: the embedded PostgreSQL and Valkey come from pip wheels.
# Set DATABASE_URL / REDIS_URL to use real servers instead.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# Production settings for `check --deploy`: throwaway values, never used to connect.
PROD_CHECK_ENV := DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=throwaway-$(shell date +%s)-check-deploy-only-not-a-real-secret-0123456789abcdef \
	ALLOWED_HOSTS=ats.example.com DATABASE_URL=postgres://check@127.0.0.1:1/check \
	REDIS_URL=redis://127.0.0.1:1/0 EMAIL_URL=smtp://127.0.0.1:1

.PHONY: help install lock run test lint fmt check pytest e2e stop status clean-data bench bench-candidates \
	parse-eval bench-parsing bench-ats bench-nurture bench-interviews bench-pools bench-rediscovery

help:
	@echo "make run         install, start embedded servers, migrate, demo data, web + worker + beat"
	@echo "make test        lint, migration check, deploy check and the whole pytest suite"
	@echo "make install     create .venv and install the locked versions (does nothing when up to date)"
	@echo "make lock        rewrite requirements/*.txt (with hashes) after changing pyproject.toml"
	@echo "make lint        ruff, import contracts (lint-imports) and types (mypy)"
	@echo "make fmt         ruff check --fix / ruff format"
	@echo "make e2e         browser tests only (needs /usr/bin/chromium)"
	@echo "make bench       speed figures (HTTP floor, pages, candidate search at 1M rows) as numbers and ratios"
	@echo "make bench-candidates  candidate search at scale (BENCH_CANDIDATES, default 1,000,000; ~9 min to load)"
	@echo "make bench-rediscovery  rediscovery for one job over BENCH_REDISCOVERY people (default 1,000,000; shares bench-candidates' data)"
	@echo "make parse-eval  resume parser precision/recall/F1 per field over tests/resumes/set and holdout"
	@echo "make bench-pools  a dynamic pool's refresh over BENCH_POOLS people (default 1,000,000) vs the bare SQL"
	@echo "make bench-parsing  resume parsing speed against bare pdfminer extraction (also part of make bench)"
	@echo "make bench-ats   the board at 5 and 2,000 cards, career pages, the Indeed feed (also part of make bench)"
	@echo "make bench-interviews  reminders for 10,000 interviews vs bare smtplib; My interviews and the summary at 5 vs 200 (in make bench)"
	@echo "make bench-nurture  dispatch of 100,000 first steps with 2 workers vs a bare smtplib loop (also in make bench)"
	@echo "                 sizes: BENCH_CANDIDATES, BENCH_REDISCOVERY, BENCH_BOARD_CARDS, BENCH_NURTURE, BENCH_REMINDERS, BENCH_INTERVIEWS, BENCH_PARSE_FILES (BENCH_SIZE: all)"
	@echo "make status|stop embedded PostgreSQL/Valkey status, or stop them"
	@echo "make clean-data  stop the embedded servers and delete ./var (all local data)"

install: $(STAMP)

# Installs exactly the locked versions (hashes checked), then the project itself without deps.
$(STAMP): pyproject.toml requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "install: Python 3.11 not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Rewrite the lock files after a change to pyproject.toml's dependencies (keeps existing pins
# where they still fit; `make lock UPGRADE=--upgrade` moves everything to the newest allowed).
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet $(UPGRADE)
lock: install
	$(LOCK) -o requirements/base.txt
	$(LOCK) --extra dev --extra embedded -o requirements/dev.txt

run: install
	@$(PY) -m config.launcher

# ruff (lint and format), the import contracts (pyproject.toml [tool.importlinter]) and the
# types of services and selectors (mypy with the Django and DRF plugins).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	@$(PY) -m config.embedded session -- $(MAKE) --no-print-directory _checks

_checks:
	$(PY) manage.py makemigrations --check --dry-run
	$(PROD_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# pytest exits 5 when it collected no tests: that is a failure of the suite, not a pass.
# Branch coverage is printed (files not fully covered, and the total); there is no gate yet.
_pytest:
	@$(VENV)/bin/pytest --cov --cov-report=term $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "test: pytest collected no tests"; exit 1; fi; exit $$rc

test: lint
	@$(PY) -m config.embedded session -- $(MAKE) --no-print-directory _checks _pytest

pytest: install
	@$(PY) -m config.embedded session -- $(MAKE) --no-print-directory _pytest

e2e: install
	@$(PY) -m config.embedded session -- $(MAKE) --no-print-directory _pytest PYTEST_ARGS="tests/e2e"

status: install
	@$(PY) -m config.embedded status

stop: install
	@$(PY) -m config.embedded stop

clean-data: install
	@$(PY) -m config.embedded reset

# Each bench creates and migrates a database of its own (bench/_setup.py); sizes: see `make help`.
bench: install
	@$(PY) -m config.embedded session -- sh -c '$(PY) -m bench.run && $(PY) -m bench.ats && $(PY) -m bench.nurture && $(PY) -m bench.interviews && $(PY) -m bench.interview_pages && $(PY) -m bench.candidates && $(PY) -m bench.pools && $(PY) -m bench.rediscovery && $(PY) -m bench.parsing'

bench-candidates: install
	@$(PY) -m config.embedded session -- $(PY) -m bench.candidates

bench-pools: install
	@$(PY) -m config.embedded session -- $(PY) -m bench.pools

bench-rediscovery: install
	@$(PY) -m config.embedded session -- $(PY) -m bench.rediscovery

parse-eval: install
	$(PY) -m parsing.evaluate tests/resumes/set tests/resumes/holdout

bench-parsing: install
	$(PY) -m bench.parsing

bench-ats: install
	@$(PY) -m config.embedded session -- $(PY) -m bench.ats

bench-interviews: install
	@$(PY) -m config.embedded session -- sh -c '$(PY) -m bench.interviews && $(PY) -m bench.interview_pages'

bench-nurture: install
	@$(PY) -m config.embedded session -- $(PY) -m bench.nurture
