# Two commands do all set-up on a fresh machine (Python 3.11+ and make):
#   make run    extract the seed, load and validate the bundled corpus in the embedded store (./data/store)
#   make test   run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,ocr]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/budgetkg extract corpus/cq-yongchuan-psb-2024.txt
	$(BIN)/budgetkg load corpus
	# status 1 = a published document contradicts itself (reported above); only 2 is a failure
	$(BIN)/budgetkg validate --store data/store || [ $$? -eq 1 ]

docs: $(STAMP)
	$(BIN)/python -m budgetkg.graph.ontology_docs

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

# the code style (ruff) and the pipeline's layering (import-linter, contracts in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check loader tests bench
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info loader/*.egg-info
