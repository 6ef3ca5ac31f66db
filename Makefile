# The two commands a newcomer needs (see README.md):
#   make run    set up, load the demo data and serve http://127.0.0.1:8000 (and, with Node 18+,
#               the Mini Program's H5 preview at /m/, built first when its sources changed)
#   make test   run the whole test suite (the Mini Program's checks too when Node 18+ is here)
# Both work with only Python 3.11: SQLite, local files, in-process tasks by default.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
WECHAT_STANDIN_PORT ?= 8081

.PHONY: run test setup lint

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_data
	WECHAT_API_BASE_URL=http://127.0.0.1:$(WECHAT_STANDIN_PORT)/ $(PY) scripts/run_local.py --port 8000 --wechat-port $(WECHAT_STANDIN_PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
