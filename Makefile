# Two commands do all the set-up on a fresh machine:
#   make demo   - installs what is missing, starts a local Kafka broker and a worker,
#                 produces the sample reports and prints every event revision
#   make test   - installs what is missing and runs the whole test suite
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint deps system-deps jars schemas screenshot bench clean

demo: deps
	$(VENV)/bin/tollstream demo

test: deps system-deps lint
	$(VENV)/bin/python -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

deps: $(STAMP) jars

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $(STAMP)

jars: $(STAMP)
	$(VENV)/bin/python -m tollstream.broker jars

system-deps:
	scripts/install-system-deps.sh

# JSON Schemas and the AsyncAPI document, from the models.
schemas: $(STAMP)
	$(VENV)/bin/python -m schemas

# The README's picture of the desk, taken by the browser test on a live worker.
screenshot: deps system-deps
	TOLLSTREAM_DESK_SCREENSHOT=$(CURDIR)/docs/desk.png $(VENV)/bin/python -m pytest -q tests/integration/test_desk.py

bench: deps
	$(VENV)/bin/python bench/extract_throughput.py

clean:
	-$(VENV)/bin/tollstream broker stop
	rm -rf .state
