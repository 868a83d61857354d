# Synthetic Media Workshop: every set-up step lives here.
#   make lab     - create/reuse .venv, install everything, open JupyterLab at lesson 00
#   make test    - create/reuse .venv, install everything, run the whole test suite
#   make bench   - time every lesson and exercise; writes bench/results.md
#   make exercises - regenerate exercises/ from solutions/ with nbgrader
#   make site    - build the static site of the whole workshop into build/site/ (offline)
#   make sync    - re-render generated cells and docs/resources.md, strip outputs

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch: pinned here (the tested version) so that pip never
# pulls a multi-GB CUDA build; pyproject.toml only asks for torch>=2.2.
TORCH_VERSION ?= 2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
# invisible-watermark declares opencv-python (clashes with the headless build) and an
# unpinned torch; pyproject.toml lists what it really needs, so install it alone.
IMWATERMARK_VERSION ?= 0.2.0
STAMP := $(VENV)/.installed-stamp
SITE_STAMP := $(VENV)/.installed-site-stamp
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
ASSIGNMENTS := $(notdir $(wildcard solutions/[0-9][0-9]_*))

.PHONY: help setup lab test bench exercises site sync clean

help:
	@sed -n '2,8p' Makefile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --retries 1 --timeout 20 "torch==$(TORCH_VERSION)" --extra-index-url $(TORCH_INDEX)
	$(BIN)/python -m pip install -e ".[test,instructor]"
	$(BIN)/python -m pip install --no-deps "invisible-watermark==$(IMWATERMARK_VERSION)"
	$(BIN)/python -c "import imwatermark, c2pa, imagehash, cv2, pywt"
	$(BIN)/python -c "import torch; assert torch.version.cuda is None, 'a CUDA build of torch was installed'"
	touch $(STAMP)

# The static site's tools (Sphinx, MyST-NB, the book theme): only for make site and make test.
$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install -e ".[site]"
	touch $(SITE_STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) lessons/00_start_here.ipynb

test: $(SITE_STAMP)
	bash tools/ensure_chromium.sh
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(SITE_STAMP)
	$(BIN)/python tools/bench.py

exercises: $(STAMP)
	for a in $(ASSIGNMENTS); do $(BIN)/nbgrader generate_assignment $$a --force --no-db || exit 1; done

site: $(SITE_STAMP)
	$(BIN)/python tools/build_site.py

sync: $(STAMP)
	$(BIN)/workshop anatomy sync
	$(BIN)/workshop resources render
	$(BIN)/workshop notebooks strip lessons solutions

clean:
	rm -rf $(VENV) .jhome .pytest_cache test-artifacts submitted autograded feedback gradebook.db build/site build/site-work build/site-cache
