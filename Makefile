# Two commands do all set-up on a fresh machine (Python 3.11+ and make):
#   make run    build the graph from the bundled corpus (for now: extract it)
#   make test   run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/budgetkg extract corpus/cq-yongchuan-psb-2024.txt
	$(BIN)/budgetkg extract corpus --jobs 2

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info loader/*.egg-info
