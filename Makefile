# ganprep: build, test, and run the whole pipeline reproducibly.
#
#   make setup   install the system packages ganprep and its tests need (only missing ones)
#   make build   release build of the ganprep binary
#   make test    setup, then the whole test suite
#   make demo    the pipeline end to end on the bundled demo data (about 10 minutes)
#   make bench   the side-by-side benchmarks (not part of `make test`)
#   make fuzz    libFuzzer on the records readers, the image decoders and the
#                dataset reader, FUZZ_SECONDS each (default 60; CI runs 20)
#   make soak    a million records through fetch, pack and a streamed epoch, with
#                each stage's peak RSS (make soak-small: 100k, under 5 minutes)
#
# The pipeline stages are file targets, so `make` re-runs only what is out of date:
#   make fetch   RECORDS=my.json                       -> out/my/fetched/manifest.jsonl
#   make pack    RECORDS=my.json SIZE=64 CHANNELS=3     -> out/my/dataset-64x3.h5
#   make train   RECORDS=my.json SIZE=64 CHANNELS=3     -> out/my/run-dcgan-64x3/
# Scaled out on one machine, with the commands a cluster's scheduler would run:
#   make fetch SHARDS=4   four fetch processes (--shard I/4) into out/my/fetched-4-shards/
#   make pack SHARDS=4    four pack processes, then `ganprep merge` into the dataset
#   make train NP=2       training under `mpirun -np 2` (data-parallel)
# A class-conditional GAN on the labels: make train CONDITIONAL=1 -> out/my/run-dcgan-conditional-64x3/

SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BUILD_DIR := .build
BIN := $(BUILD_DIR)/$(CONFIG)/ganprep
# A release binary carries the Swift runtime and Foundation inside it: every
# command starts ~10 ms sooner (the dynamic loader no longer binds tens of
# thousands of symbols into libFoundation), and the binary runs on machines
# without the Swift toolchain (cluster nodes need only the Debian libraries).
# The benchmarks build the same way (benchmarks/*/run.sh).
SWIFT_BUILD_FLAGS ?= $(if $(filter release,$(CONFIG)),--static-swift-stdlib)

# Debian packages: the seven C libraries with pkg-config, and the tools the
# interop tests use to read our HDF5 files (h5dump, h5py), and Pillow, whose
# encoders make the near-duplicates the cleaning tests must catch, Chromium,
# which loads the run report in the report tests, and strace, with which the
# commit-order tests watch that no output is written after its rename, and
# Slurm and MUNGE, which the cluster tests run as a one-node cluster
# (tests/cluster/slurm-up.sh).
PACKAGES := pkg-config libhdf5-dev libcurl4-openssl-dev libssl-dev libjpeg-dev libpng-dev libdeflate-dev libopenblas-dev \
            libopenmpi-dev openmpi-bin hdf5-tools python3-h5py python3-numpy python3-scipy python3-pil python3-venv chromium strace \
            slurm-wlm munge

# GAPCV (from PyPI, with OpenCV) in a virtual environment of Debian's Python,
# for the test that GAPCV's own loader opens our GAPCV-layout files.
INTEROP_VENV := .build-interop
INTEROP_PYTHON := $(INTEROP_VENV)/bin/python

# The tools around the file (pack of img2dataset's output, export for StyleGAN and
# WebDataset, the Python reader): img2dataset, webdataset, PyTorch's CPU build,
# Keras 3 (on PyTorch) and Pillow from PyPI in a virtual environment of Debian's
# Python, with ganprep-data (python/) installed into it, re-installed when it changes.
ECOSYSTEM_VENV := .build-ecosystem
ECOSYSTEM_PYTHON := $(ECOSYSTEM_VENV)/bin/python
ECOSYSTEM_PYPI := 'torch==2.13.0+cpu' 'keras==3.15.1' 'webdataset==0.2.111' 'img2dataset==1.47.0' 'pillow==13.0.0' 'h5py==3.16.0' 'numpy==2.4.6'
ECOSYSTEM_READER := $(ECOSYSTEM_VENV)/.ganprep-data-installed

# What `make bench` needs beyond that: the peers it measures against and real data
# (nginx and curl for the client-bound fetch benchmark).
BENCH_PACKAGES := dataset-fashion-mnist python3-requests python3-pil python3-scipy nginx-light curl

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Pipeline settings; override on the command line.
RECORDS ?= manifests/fashion-demo.json
NAME ?= $(basename $(notdir $(RECORDS)))
WORK ?= out/$(NAME)
SIZE ?= 32
CHANNELS ?= 1
RESIZE ?= stretch
MODEL ?= dcgan
FEATURE_MAPS ?= 64
EPOCHS ?= 30
BATCH ?= 64
SEED ?= 0
FETCH_FLAGS ?=
PACK_FLAGS ?=
TRAIN_FLAGS ?= --stream
# CONDITIONAL=1: a class-conditional GAN on the dataset's labels (a run directory of its own).
CONDITIONAL ?=
# Processes for fetch and pack (shards), and for training (MPI ranks).
SHARDS ?= 1
NP ?= 1
MPIRUN ?= mpirun --oversubscribe $(if $(filter 0,$(shell id -u)),--allow-run-as-root) -np $(NP)

ifeq ($(SHARDS),1)
FETCH_DIR := $(WORK)/fetched
FETCHED := $(FETCH_DIR)/manifest.jsonl
else
# A sharded fetch has its own directory: the shards' manifest parts, and a stamp when all are done.
FETCH_DIR := $(WORK)/fetched-$(SHARDS)-shards
FETCHED := $(FETCH_DIR)/.complete
endif
DATASET := $(WORK)/dataset-$(SIZE)x$(CHANNELS).h5
PARTS := $(WORK)/parts-$(SIZE)x$(CHANNELS)
RUN := $(WORK)/run-$(MODEL)$(if $(CONDITIONAL),-conditional)-$(SIZE)x$(CHANNELS)
TRAINED := $(RUN)/losses.png

# The demo's records point at this local server (see Fixtures/fashion-mnist).
DEMO_PORT := 8731
DEMO_IMAGES := Fixtures/fashion-mnist/images

# The classifier whose features measure the demo's samples (FID, KID,
# precision/recall): trained once on other Fashion-MNIST training images
# (from index 10,000 on; the demo's own come from the first ~3,100).
DEMO_PACKAGES := dataset-fashion-mnist
# The demo's dataset and (conditional) run, whatever RECORDS says.
DEMO_DATASET := out/fashion-demo/dataset-32x1.h5
DEMO_RUN := out/fashion-demo/run-dcgan-conditional-32x1
CLASSIFIER_WORK := out/fashion-classifier
DEMO_CLASSIFIER := $(CLASSIFIER_WORK)/classifier-32x1.h5
CLASSIFIER_IMAGES ?= 20000
CLASSIFIER_EPOCHS ?= 4
# Set CLASSIFIER to evaluate a `make train` run with it; EVAL_COUNT images per evaluation.
CLASSIFIER ?=
EVAL_COUNT ?= 1000

.PHONY: all setup setup-bench setup-demo install-packages interop ecosystem build test demo bench fuzz soak soak-small clean fetch pack train

all: build

setup:
	@$(MAKE) --no-print-directory install-packages WANT="$(PACKAGES)"

setup-bench: setup
	@$(MAKE) --no-print-directory install-packages WANT="$(BENCH_PACKAGES)"

setup-demo: setup
	@$(MAKE) --no-print-directory install-packages WANT="$(DEMO_PACKAGES)"

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
	$(SWIFT) build -c $(CONFIG) $(SWIFT_BUILD_FLAGS) --product ganprep

$(INTEROP_PYTHON):
	@echo "make: creating $(INTEROP_VENV) with GAPCV for the interoperability tests"
	/usr/bin/python3 -m venv $(INTEROP_VENV)
	$(INTEROP_VENV)/bin/pip install -q --disable-pip-version-check 'gapcv==1.0.0' h5py

$(ECOSYSTEM_PYTHON):
	@echo "make: creating $(ECOSYSTEM_VENV) with img2dataset, webdataset, PyTorch (CPU), Keras and Pillow"
	/usr/bin/python3 -m venv $(ECOSYSTEM_VENV)
	$(ECOSYSTEM_VENV)/bin/pip install -q --disable-pip-version-check $(ECOSYSTEM_PYPI)

$(ECOSYSTEM_READER): $(ECOSYSTEM_PYTHON) python/pyproject.toml $(wildcard python/ganprep_data/*.py)
	$(ECOSYSTEM_VENV)/bin/pip install -q --disable-pip-version-check --no-deps --force-reinstall ./python
	@rm -rf python/build python/*.egg-info
	@touch $@

ecosystem: setup $(ECOSYSTEM_READER)
	@KERAS_BACKEND=torch NO_ALBUMENTATIONS_UPDATE=1 $(ECOSYSTEM_PYTHON) -c "import torch, keras, webdataset, img2dataset, PIL, ganprep_data" || { rm -rf $(ECOSYSTEM_VENV); $(MAKE) --no-print-directory $(ECOSYSTEM_READER); }

interop: setup $(INTEROP_PYTHON)
	@$(INTEROP_PYTHON) -c "import gapcv.vision" || { rm -rf $(INTEROP_VENV); $(MAKE) --no-print-directory $(INTEROP_PYTHON); }

# The tests run in parallel in one process that also starts child processes;
# a child forked while another test has an HDF5 file open holds that file's
# flock until it execs, and a test that opens the file right then is told it
# is locked. libhdf5's own locking is off in tests (ganprep's output locks are not).
# OpenBLAS starts on one thread, the count every in-process training sets: some
# of its products take another path on several threads, and runs compared bit
# for bit must not see the count change under them (ganprep's commands set theirs).
test: setup interop ecosystem
	$(SWIFT) build --build-tests
	OPENBLAS_NUM_THREADS=1 HDF5_USE_FILE_LOCKING=FALSE GANPREP_GAPCV_PYTHON=$(CURDIR)/$(INTEROP_PYTHON) GANPREP_ECOSYSTEM_PYTHON=$(CURDIR)/$(ECOSYSTEM_PYTHON) \
	  $(SWIFT) test --skip-build

fetch: $(FETCHED)
pack: $(DATASET)
train: $(TRAINED)

# SHARDS processes at once, each its share of the records (what a Slurm array would start).
define parallel_shards
	@set -e; pids=""; \
	for i in $$(seq 0 $$(($(SHARDS) - 1))); do $(1) & pids="$$pids $$!"; done; \
	failed=0; for p in $$pids; do wait $$p || failed=1; done; \
	[ $$failed = 0 ] || { echo "make: a shard failed; run make again to resume it" >&2; exit 1; }
endef

$(FETCHED): $(RECORDS) | build
ifeq ($(SHARDS),1)
	$(BIN) fetch $(RECORDS) --out $(FETCH_DIR) $(FETCH_FLAGS)
else
	$(call parallel_shards,$(BIN) fetch $(RECORDS) --out $(FETCH_DIR) --shard $$i/$(SHARDS) --quiet $(FETCH_FLAGS))
	touch $@
endif

$(DATASET): $(FETCHED)
ifeq ($(SHARDS),1)
	$(BIN) pack $(FETCH_DIR) --out $@ --size $(SIZE) --channels $(CHANNELS) --resize-mode $(RESIZE) $(PACK_FLAGS)
else
	mkdir -p $(PARTS)
	$(call parallel_shards,$(BIN) pack $(FETCH_DIR) --shard $$i/$(SHARDS) --out $(PARTS)/part-$$i.h5 --size $(SIZE) --channels $(CHANNELS) \
	  --resize-mode $(RESIZE) --workers $$(( ($$(nproc) + $(SHARDS) - 1) / $(SHARDS) )) --quiet $(PACK_FLAGS))
	$(BIN) merge $$(for i in $$(seq 0 $$(($(SHARDS) - 1))); do echo $(PARTS)/part-$$i.h5; done) --out $@
endif

# A new dataset means a new run: the old run directory is replaced.
$(TRAINED): $(DATASET) $(CLASSIFIER)
	rm -rf $(RUN)
	$(if $(filter-out 1,$(NP)),$(MPIRUN)) $(BIN) train $(DATASET) --model $(MODEL) --feature-maps $(FEATURE_MAPS) --epochs $(EPOCHS) --batch $(BATCH) \
	  --seed $(SEED) --out $(RUN) $(if $(CLASSIFIER),--classifier $(CLASSIFIER) --eval-count $(EVAL_COUNT)) $(if $(CONDITIONAL),--conditional) $(TRAIN_FLAGS)

$(CLASSIFIER_WORK)/images/.written:
	rm -rf $(CLASSIFIER_WORK)/images
	/usr/bin/python3 Fixtures/fashion-mnist/class_folders.py $(CLASSIFIER_WORK)/images 10000 $(CLASSIFIER_IMAGES)
	touch $@

$(CLASSIFIER_WORK)/dataset-32x1.h5: $(CLASSIFIER_WORK)/images/.written | build
	$(BIN) pack $(CLASSIFIER_WORK)/images --out $@ --size 32 --channels 1 --resize-mode stretch --quiet

$(DEMO_CLASSIFIER): $(CLASSIFIER_WORK)/dataset-32x1.h5
	$(BIN) classifier train $< --out $@ --epochs $(CLASSIFIER_EPOCHS)

# The whole pipeline on the bundled Fashion-MNIST clothing images, served
# from 127.0.0.1 for the fetch stage.
demo: build setup-demo
	@$(MAKE) --no-print-directory $(DEMO_CLASSIFIER)
	@set -eo pipefail; \
	if (exec 3<>/dev/tcp/127.0.0.1/$(DEMO_PORT)) 2>/dev/null; then \
	  echo "make demo: port $(DEMO_PORT) on 127.0.0.1 is taken; stop what listens there first" >&2; exit 1; fi; \
	/usr/bin/python3 -m http.server $(DEMO_PORT) --bind 127.0.0.1 --directory $(DEMO_IMAGES) >/dev/null 2>&1 & server=$$!; \
	trap 'kill $$server 2>/dev/null || true' EXIT; \
	for i in $$(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$(DEMO_PORT)) 2>/dev/null && break; sleep 0.1; done; \
	echo "make demo: serving $(DEMO_IMAGES) on http://127.0.0.1:$(DEMO_PORT)/"; \
	$(MAKE) --no-print-directory train RECORDS=manifests/fashion-demo.json CLASSIFIER=$(DEMO_CLASSIFIER) CONDITIONAL=1; \
	kill $$server 2>/dev/null || true; \
	echo; \
	echo "make demo: the final generator, class by class (3,000 generated against the 3,000 real images):"; \
	$(BIN) eval $(DEMO_RUN) --data $(DEMO_DATASET) --classifier $(DEMO_CLASSIFIER) --count 3000 | tee $(DEMO_RUN)/eval.txt; \
	$(BIN) sample $(DEMO_RUN) --label all --count 8 --out $(DEMO_RUN)/classes.png >/dev/null; \
	$(BIN) report $(DEMO_RUN) >/dev/null; \
	echo; \
	echo "make demo: done."; \
	awk -F, 'NR == 2 { first = $$3; firstStep = $$1 } NR > 1 { last = $$3; lastStep = $$1; floor = $$9; if (best == "" || $$3 < best) { best = $$3; bestStep = $$1 } } \
	  END { printf "  FID:          %.2f at step %d, final %.2f at step %d, best %.2f at step %d, floor (real vs real) %.2f (%s)\n", first, firstStep, last, lastStep, best, bestStep, floor, \
	        last < first / 3 ? "below a third of the start" : "NOT below a third of the start" }' $(DEMO_RUN)/metrics.csv; \
	echo "  dataset:      $(DEMO_DATASET)"; \
	echo "  sample grids: $(DEMO_RUN)/gan_images/ (a row per class; last: $$(ls $(DEMO_RUN)/gan_images | tail -1))"; \
	echo "  every class:  $(DEMO_RUN)/classes.png (ganprep sample --label all)"; \
	echo "  loss plot:    $(DEMO_RUN)/losses.png (log: $(DEMO_RUN)/losses.csv)"; \
	echo "  FID curve:    $(DEMO_RUN)/fid.png (log: $(DEMO_RUN)/metrics.csv; classifier: $(DEMO_CLASSIFIER))"; \
	echo "  per class:    $(DEMO_RUN)/eval.txt"; \
	echo "  report:       $(DEMO_RUN)/report.html (one page: data, training, samples; open it in a browser)"; \
	echo "  checkpoints:  $(DEMO_RUN)/checkpoints/"

bench: setup-bench ecosystem build
	@if ls benchmarks/*/run.sh >/dev/null 2>&1; then \
	  for b in benchmarks/*/run.sh; do echo "== $$b"; bash $$b || exit 1; done; \
	else echo "make bench: no benchmarks yet"; fi

# The million-record soak (not part of `make test` or `make bench`): fetch -> pack
# 32x32x1 -> one streamed epoch, plus dedup and inspect --stats, at 10k, 100k and
# 1M records of generated images served from 127.0.0.1, each stage's peak RSS and
# time per record; fetch killed with SIGKILL at 60% and re-run; fails when a resumed
# fetch repeats a finished record or a stage's peak RSS grows over 1.5x from one size
# to the next. About 25 minutes and 15 GB of disk at its largest size.
# `make soak-small`: 50k and 100k (about 3 minutes).
SOAK_WORK ?= out/soak
SOAK_SIZES ?= 10000,100000,1000000
SOAK_RESUME ?= 1000000
soak: build
	$(SWIFT) build -c release --static-swift-stdlib --product soak-server
	/usr/bin/python3 benchmarks/soak/soak.py $(BIN) $(BUILD_DIR)/release/soak-server $(SOAK_WORK) $(SOAK_SIZES) \
	  --resume-check $(SOAK_RESUME) --json $(SOAK_WORK)/results.json

soak-small:
	@$(MAKE) --no-print-directory soak SOAK_SIZES=50000,100000 SOAK_RESUME=100000

FUZZ_SECONDS ?= 60
fuzz: setup
	$(SWIFT) build --product ganprep
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run.sh

clean:
	rm -rf $(BUILD_DIR) $(INTEROP_VENV) $(ECOSYSTEM_VENV) out Fuzz/.build .build-fuzz
