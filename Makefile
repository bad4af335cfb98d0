# The two set-up commands of the README, and a few more for developers.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench lint messages clean

$(VENV)/.installed: requirements.txt
	bash scripts/system-packages.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt scripts/system-packages.sh
	bash scripts/system-packages.sh test
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

## The portal with demo data on the embedded default (SQLite, tasks in-process).
run: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=$(VENV) -v0
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py seed_demo
	@echo "门户地址: http://127.0.0.1:8000/"
	@echo "演示模式: 两步验证(OTP)已关闭 (OTP_REQUIRED=false); 生产环境默认开启。"
	OTP_REQUIRED=false DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## The whole suite on real PostgreSQL and Redis (started here when none answers).
test: $(VENV)/.installed-dev
	bash scripts/test.sh

## Speed benchmarks (not part of `make test`); prints ratios against baselines measured in the same run.
## The page benchmark seeds 20/300/3,000 communities (BENCH_SCALES=20,300 to stop earlier);
## BENCH_TESTS=tests/benchmarks/test_page_bench.py runs the pages alone.
bench: $(VENV)/.installed-dev
	source scripts/services.sh && $(PY) -m pytest $${BENCH_TESTS:-tests/benchmarks} -s -p no:cacheprovider -o addopts=""

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

## Refresh the Chinese catalogue after adding strings; then translate the new entries.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=$(VENV) --ignore=var --ignore=tests --ignore=static/vendor

clean:
	rm -rf $(VENV) var
