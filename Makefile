# ganprep: build, test, and run the whole pipeline reproducibly.
#
#   make setup   install the system packages ganprep and its tests need (only missing ones)
#   make build   release build of the ganprep binary
#   make test    setup, then the whole test suite
#   make demo    the pipeline end to end on the bundled demo data
#   make bench   the side-by-side benchmarks (not part of `make test`)

SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BUILD_DIR := .build
BIN := $(BUILD_DIR)/$(CONFIG)/ganprep

# Debian packages: the five C libraries with pkg-config, and the tools the
# interop tests use to read our HDF5 files (h5dump, h5py).
PACKAGES := pkg-config libhdf5-dev libcurl4-openssl-dev libjpeg-dev libpng-dev libopenblas-dev \
            hdf5-tools python3-h5py python3-numpy python3-venv

# GAPCV (from PyPI, with OpenCV) in a virtual environment of Debian's Python,
# for the test that GAPCV's own loader opens our GAPCV-layout files.
INTEROP_VENV := .build-interop
INTEROP_PYTHON := $(INTEROP_VENV)/bin/python

# What `make bench` needs beyond that: the peers it measures against and real data.
BENCH_PACKAGES := dataset-fashion-mnist python3-requests python3-pil

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all setup setup-bench install-packages interop build test demo bench clean

all: build

setup:
	@$(MAKE) --no-print-directory install-packages WANT="$(PACKAGES)"

setup-bench: setup
	@$(MAKE) --no-print-directory install-packages WANT="$(BENCH_PACKAGES)"

install-packages:
	@missing=""; \
	for p in $(WANT); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make setup: installing$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "make setup: all system packages present"; \
	fi

build: setup
	$(SWIFT) build -c $(CONFIG) --product ganprep

$(INTEROP_PYTHON):
	@echo "make: creating $(INTEROP_VENV) with GAPCV for the interoperability tests"
	/usr/bin/python3 -m venv $(INTEROP_VENV)
	$(INTEROP_VENV)/bin/pip install -q --disable-pip-version-check 'gapcv==1.0.0' h5py

interop: setup $(INTEROP_PYTHON)
	@$(INTEROP_PYTHON) -c "import gapcv.vision" || { rm -rf $(INTEROP_VENV); $(MAKE) --no-print-directory $(INTEROP_PYTHON); }

test: setup interop
	$(SWIFT) build --build-tests
	GANPREP_GAPCV_PYTHON=$(CURDIR)/$(INTEROP_PYTHON) $(SWIFT) test --skip-build

demo: build
	@echo "make demo: the pipeline stages land with their issues; for now:"
	$(BIN) --help

bench: setup-bench build
	@if ls benchmarks/*/run.sh >/dev/null 2>&1; then \
	  for b in benchmarks/*/run.sh; do echo "== $$b"; bash $$b || exit 1; done; \
	else echo "make bench: no benchmarks yet"; fi

clean:
	rm -rf $(BUILD_DIR) $(INTEROP_VENV)
