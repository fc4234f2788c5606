# leafpress: print every leaflet in every language.
#
#   make            print every PDF that is out of date, and verify it
#   make test       run the test suite
#   make help       list the other targets
#
# Both set up what they need on a fresh machine: the system packages
# (scripts/ensure-system-packages) and a virtual environment in .venv/ that
# holds exactly the versions locked in requirements.txt (with their hashes).
#
#   make lock         refresh requirements.txt to the newest releases
#   make test-latest  run the tests against the newest releases, unlocked

PYTHON ?= python3
VENV ?= .venv
# Every Python package make and make test install, with exact versions and
# sha256 hashes (pip-tools format); `make lock` writes it.
LOCK := requirements.txt
# Separate environments for `make lock` and `make test-latest`.
LOCK_TOOLS := $(VENV)-lock
LATEST := $(VENV)-latest
# Print for another clinic folder (see clinics/): its set goes to build/<name>/.
CLINIC ?=
ifneq ($(CLINIC),)
BUILD ?= build/$(notdir $(patsubst %/,%,$(CLINIC)))
LEAFPRESS_OPTIONS := --clinic $(CLINIC) --build-dir $(BUILD)
else
BUILD ?= build
LEAFPRESS_OPTIONS :=
endif
# Render workers for `make`; empty means one per core.
JOBS ?=
PYTEST_ARGS ?=

LEAFPRESS := $(VENV)/bin/leafpress $(LEAFPRESS_OPTIONS)
SETUP := $(VENV)/.leafpress-setup
TEST_TOOLS := $(VENV)/.leafpress-test-tools
DEPS := $(BUILD)/leafpress.mk
# Why each draft and each leaflet still being translated is not printed
# (written with $(DEPS)); shown when everything else is up to date.
WAITING := $(BUILD)/waiting.txt
CATALOGS_CURRENT := $(BUILD)/catalogs.stamp
# Every stale PDF and .mo adds its name here; one leafpress process then
# renders the whole list with its worker pool (never a process per PDF).
STALE := $(BUILD)/.stale
# build/report.html is rewritten by every build; when nothing is printed but
# a leaflet, catalog or the date changed, `leafpress report` redoes it.
REPORT := $(BUILD)/report.html
REPORT_STALE := $(BUILD)/.report-stale
# Today's date, in a file that changes once a day: review dates pass.
TODAY := $(BUILD)/today
# The versions of leafpress, its libraries and the fonts (`leafpress
# versions`): rewritten only when one changes, so that every PDF, .mo and
# the catalogs are redone after an upgrade. Looked at again whenever the
# virtual environment or the system packages changed.
VERSIONS := $(BUILD)/versions
DPKG_STATUS := $(wildcard /var/lib/dpkg/status)

# Only names make can hold (no spaces, colons, ...); leafpress reports the
# others by name, and the rest of the batch runs.
SAFE_NAMES := LC_ALL=C grep -E '^[A-Za-z0-9._/@+-]+$$' | LC_ALL=C sort
LEAFLETS := $(shell find leaflets -maxdepth 1 -name '*.md' 2>/dev/null | $(SAFE_NAMES))
CATALOGS := $(shell find locales -path '*/LC_MESSAGES/*.po' 2>/dev/null | $(SAFE_NAMES))
# Who revised and signed off each translation (`leafpress sign`).
REVIEWS := $(shell find locales -path '*/LC_MESSAGES/*.review.toml' 2>/dev/null | $(SAFE_NAMES))
# Each language's terminology (locales/<lang>/glossary.csv).
GLOSSARIES := $(shell find locales -mindepth 2 -maxdepth 2 -name glossary.csv 2>/dev/null | $(SAFE_NAMES))
# Agencies' translation memories (`leafpress memory import`), for update.
MEMORIES := $(shell find locales -mindepth 2 -maxdepth 2 -name memory.tmx 2>/dev/null | $(SAFE_NAMES))
TEMPLATES := $(shell find templates -type f 2>/dev/null | $(SAFE_NAMES))
PACKAGE := $(shell find src/leafpress -name "*.py" -o -name "*.html" 2>/dev/null | $(SAFE_NAMES))

.DEFAULT_GOAL := all
.PHONY: all test extract update check status lint report clean help setup proofs proof-images bench lock test-latest
.DELETE_ON_ERROR:

# A fresh list for every run of make.
$(shell rm -f $(STALE))

ifeq ($(filter clean help setup proof-images bench lock test-latest,$(MAKECMDGOALS)),)
$(shell mkdir -p $(BUILD) && day=$$(date +%F) && \
    [ "$$(cat $(TODAY) 2>/dev/null)" = "$$day" ] || echo "$$day" > $(TODAY))
-include $(DEPS)
endif

all: $(LEAFPRESS_MOS) $(LEAFPRESS_PDFS) $(REPORT) | $(SETUP) ## print every PDF that is out of date
	@if [ -s $(STALE) ]; then \
	    $(LEAFPRESS) build --targets-from $(STALE) $(if $(JOBS),--jobs $(JOBS)); \
	    status=$$?; rm -f $(STALE) $(REPORT_STALE); exit $$status; \
	else \
	    echo "leafpress: all $(words $(LEAFPRESS_PDFS)) PDF files are up to date"; \
	    cat $(WAITING) 2>/dev/null; \
	    if [ -e $(REPORT_STALE) ]; then \
	        rm -f $(REPORT_STALE) && $(LEAFPRESS) report; \
	    fi; \
	fi

$(REPORT): $(LEAFLETS) $(CATALOGS) $(REVIEWS) $(GLOSSARIES) $(TODAY) $(VERSIONS) leafpress.toml $(PACKAGE) | $(SETUP)
	@mkdir -p $(BUILD) && touch $(REPORT_STALE)

# A review record deleted since the rules were written: its PDFs are done
# again (and withdrawn if the review is now missing), never a make error.
locales/%.review.toml: ;
locales/%/glossary.csv: ;

# A leaflet past its review date is rebuilt (and so withdrawn) the day it passes.
.PHONY: FORCE
FORCE:

# PDFs and compiled catalogs: the rules in $(DEPS) add each file's sources.
$(BUILD)/pdf/%.pdf: $(TEMPLATES) $(PACKAGE) $(VERSIONS) leafpress.toml | $(SETUP)
	@mkdir -p $(BUILD) && echo '$@' >> $(STALE)

$(BUILD)/mo/%.mo: $(PACKAGE) $(VERSIONS) | $(SETUP)
	@mkdir -p $(BUILD) && echo '$@' >> $(STALE)

# An empty recipe: make looks at the time of $(VERSIONS) again after the
# check, and rebuilds what depends on it only if the file was rewritten.
$(VERSIONS): $(VERSIONS).checked ;
$(VERSIONS).checked: $(SETUP) $(DPKG_STATUS)
	@mkdir -p $(BUILD)
	@$(LEAFPRESS) versions --write $(VERSIONS)
	@touch $@

# Keep locales/ current when a leaflet or an HTML template changed (a
# stylesheet or an image has no text to translate): extract the templates,
# merge them into every .po. Changed text goes fuzzy there and waits for its
# translator; whitespace-only edits are carried forward. (A catalog a tool
# saved in another layout is written again in gettext's own; the build says
# so.) Problems are reported again, per PDF, by the build.
$(CATALOGS_CURRENT): $(LEAFLETS) $(filter %.html,$(TEMPLATES)) $(MEMORIES) $(VERSIONS) leafpress.toml | $(SETUP)
	@mkdir -p $(BUILD)
	@$(LEAFPRESS) -q extract --problems-later
	@$(LEAFPRESS) -q update --problems-later
	@touch $@

$(DEPS): leafpress.toml $(LEAFLETS) $(CATALOGS) $(REVIEWS) $(GLOSSARIES) $(CATALOGS_CURRENT) $(TODAY) $(VERSIONS) Makefile | $(SETUP)
	@mkdir -p $(BUILD)
	@$(LEAFPRESS) deps --waiting $(WAITING) > $@.tmp && mv $@.tmp $@

setup: $(SETUP) ## set up the system packages and the virtual environment

# Exactly the lock, hash-checked, through the machine's own pip settings.
$(SETUP): $(LOCK) pyproject.toml scripts/ensure-system-packages scripts/lock.py
	@PYTHON=$(PYTHON) scripts/ensure-system-packages
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python scripts/lock.py install $(LOCK)
	@touch $@

$(TEST_TOOLS): scripts/ensure-system-packages | $(SETUP)
	@PYTHON=$(PYTHON) scripts/ensure-system-packages --test
	@touch $@

test: $(SETUP) $(TEST_TOOLS) ## lint, check the package's layers, run the test suite
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lock: ## refresh requirements.txt to the newest releases pyproject.toml allows
	@test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && \
	    $(LOCK_TOOLS)/bin/python -m pip install --quiet 'pip-tools >=7.4'; }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet \
	    --upgrade --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
	    --extra test --extra distributed --no-emit-index-url --no-emit-find-links \
	    --output-file $(LOCK) pyproject.toml
	@git diff --stat -- $(LOCK) 2>/dev/null || true
	@echo "leafpress: $(LOCK) refreshed; run make test, then commit it"

test-latest: ## run the tests against the newest releases (in .venv-latest/)
	@PYTHON=$(PYTHON) scripts/ensure-system-packages --test
	@rm -rf $(LATEST) && $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python scripts/lock.py latest $(LOCK)
	$(LATEST)/bin/python -m pytest $(PYTEST_ARGS)

extract: | $(SETUP) ## leaflets and templates -> locales/*.pot
	$(LEAFPRESS) extract

update: | $(SETUP) ## merge locales/*.pot into every .po (creates missing ones)
	$(LEAFPRESS) update

check: | $(SETUP) ## verify every built PDF against its sources and catalogs
	$(LEAFPRESS) check

status: | $(SETUP) ## translation matrix: leaflet x language
	$(LEAFPRESS) status

lint: | $(SETUP) ## quality gates: readability, claims, sections, review dates
	$(LEAFPRESS) lint

report: | $(SETUP) ## write build/report.html
	$(LEAFPRESS) report

proofs: ## print, then PNG pictures of every PDF page in build/proofs/
	-@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory proof-images

PROOFS := $(patsubst $(BUILD)/pdf/%.pdf,$(BUILD)/proofs/%.done,$(wildcard $(BUILD)/pdf/*/*.pdf))
proof-images: $(PROOFS)
	@echo "leafpress: pictures of $(words $(PROOFS)) PDFs in $(BUILD)/proofs/"

$(BUILD)/proofs/%.done: $(BUILD)/pdf/%.pdf
	@mkdir -p $(dir $@)
	@rm -f $(BUILD)/proofs/$*-*.png
	pdftoppm -r 70 -png $< $(BUILD)/proofs/$*
	@touch $@

bench: | $(SETUP) ## time leafpress against one weasyprint per document
	$(VENV)/bin/python benchmarks/bench.py $(BENCH_ARGS)

clean: ## remove everything generated (build/)
	rm -rf $(BUILD)

help: ## list the targets
	@echo "leafpress: make [TARGET] [JOBS=N]"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | \
	    awk -F'\t' '{ printf "  %-10s %s\n", $$1, $$2 }'
