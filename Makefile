# The two commands a user needs: `make reports` and `make test`.
# Both create .venv on first use and reinstall only when the pins change.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL := kg-cooccurrence
CORPUS ?= seeds
# Where the reports go; empty: the seeds render into reports/ (committed), another corpus into
# out/<its name>/ (python -m analysis reports decides, so a name with spaces needs no make logic).
OUT ?=
# FORCE=1 re-executes every report, even those whose inputs have not changed.
FORCE ?=
# ONLY="01-corpus-overview 02-entities" renders only the named reports (names as in reports.yaml).
ONLY ?=
# PROFILES="sadyr-japarov kgz" also renders these actors' profiles (keys as on the All actors page).
PROFILES ?=
# LAB_ARGS="--no-browser --port 8890 --allow-root" is passed to JupyterLab as it is.
LAB_ARGS ?=
# MERGES=decisions.yaml (or a reviewed review-actors .tsv): your decisions on which keys are one actor.
MERGES ?=
# GOLD=actors.tsv (and THEME_GOLD=themes.tsv) add the Accuracy report for your own corpus.
GOLD ?=
THEME_GOLD ?=
# A make value as one shell word: single-quoted, each ' written as '\'' ("my corpus" stays one
# argument, and a ';' or '$$(...)' in it is never run; $(value ...) keeps make from expanding it).
quote = '$(subst ','\'',$(1))'

.PHONY: reports test lint lab clean browser lock

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (kg-cooccurrence)" >/dev/null
	@touch $(STAMP)

reports: $(STAMP)
	$(PY) -m analysis reports --corpus $(call quote,$(value CORPUS))$(if $(OUT), --out $(call quote,$(value OUT)))$(if $(FORCE), --force)$(if $(ONLY), --only$(foreach name,$(ONLY), $(call quote,$(name))))$(if $(PROFILES), --profiles$(foreach key,$(PROFILES), $(call quote,$(key))))$(if $(GOLD), --gold $(call quote,$(value GOLD)))$(if $(THEME_GOLD), --theme-gold $(call quote,$(value THEME_GOLD)))$(if $(MERGES), --merges $(call quote,$(value MERGES)))

# Debian's chromium for the browser tests; installed once, never downloaded from elsewhere.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests bench

test: $(STAMP) browser lint
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval reports/*.ipynb -p no:cacheprovider

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=. --MultiKernelManager.default_kernel_name=$(KERNEL) $(LAB_ARGS)

# Refresh requirements.lock from a clean resolve of pyproject.toml (maintainers only).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test,dask]' && .lock-venv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .cache out build *.egg-info
