# Synthetic Media Workshop: every set-up step lives here.
#   make lab     - create/reuse .venv, install everything, open JupyterLab at lesson 00
#   make test    - create/reuse .venv, install everything, run the whole test suite
#   make bench   - time every lesson and exercise; writes bench/results.md
#   make exercises - regenerate exercises/ from solutions/ with nbgrader
#   make site    - build the static site of the whole workshop into build/site/ (offline)
#   make sync    - re-render generated cells and docs/resources.md, strip outputs
#   make grade A=01_gan_basics    - autograde every submission in submitted/*/01_gan_basics/
#   make feedback A=01_gan_basics - write feedback/*/01_gan_basics/ for the graded submissions
#   make release DIR=../course    - write a student copy without solutions, hidden tests or rubrics

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

# nbgrader runs `alembic` (and Jupyter kernels) from PATH: grading commands put the environment first.
GRADE_ENV := PATH="$(abspath $(BIN)):$$PATH"

.PHONY: help setup lab test bench exercises site sync grade feedback release clean

help:
	@sed -n '2,11p' Makefile

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

grade: $(STAMP)
	@test -n "$(A)" || { echo "usage: make grade A=<exercise>, one of: $(ASSIGNMENTS)"; exit 2; }
	@test -d "solutions/$(A)" || { echo "no exercise '$(A)'; the exercises are: $(ASSIGNMENTS)"; exit 2; }
	$(GRADE_ENV) $(BIN)/nbgrader generate_assignment $(A) --force
	$(GRADE_ENV) $(BIN)/nbgrader autograde $(A) $(ARGS)

feedback: $(STAMP)
	@test -n "$(A)" || { echo "usage: make feedback A=<exercise>, one of: $(ASSIGNMENTS)"; exit 2; }
	$(GRADE_ENV) $(BIN)/nbgrader generate_feedback $(A) $(ARGS)

release: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make release DIR=<new folder for the student copy>"; exit 2; }
	$(BIN)/workshop release "$(DIR)"

site: $(SITE_STAMP)
	$(BIN)/python tools/build_site.py

sync: $(STAMP)
	$(BIN)/workshop anatomy sync
	$(BIN)/workshop resources render
	$(BIN)/workshop notebooks strip lessons solutions

clean:
	rm -rf $(VENV) .jhome .pytest_cache test-artifacts submitted autograded feedback gradebook.db build/site build/site-work build/site-cache
