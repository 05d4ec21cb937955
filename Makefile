# shots: `make run` runs the main job on the embedded default, `make test` runs every test.
# Both install what they need on a fresh Debian machine first.

SWIFT        ?= swift
BUILD        ?= _build
SHOTS        := .build/debug/shots
APT_PACKAGES := libcmark-dev liblz4-dev libzstd-dev zstd libcurl4-openssl-dev libarchive-dev libsodium-dev pkg-config lz4 minisign jq chromium time wrk
PY_MODULES   := jsonschema html5lib schemathesis
PREVIEW      ?= http://127.0.0.1:4000
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test e2e dist dist-check bench fuzz clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@for m in $(PY_MODULES); do \
	  python3 -c "import $$m" 2>/dev/null || { echo "installing python module $$m"; \
	    python3 -m pip install -q $$m || python3 -m pip install -q --break-system-packages $$m \
	      || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-$$m >/dev/null; }; }; \
	done
	@# The storage tests' S3 server (moto) and their independent S3 client (boto3).
	@python3 -c "import moto.server, boto3" 2>/dev/null || { echo "installing python modules moto[server] boto3"; \
	  python3 -m pip install -q 'moto[server]' boto3 || python3 -m pip install -q --break-system-packages 'moto[server]' boto3; }

build: deps
	$(SWIFT) build

# The main job on the embedded default: merge each sample network's per-artifact metadata into its
# base.json; pack a generated sample node data dir into a signed rolling tarball for mainnet and
# merge it in too (pipeline/pack-and-build.sh, as the Job does); combine the catalogs into
# tezos-snapshots.json and build the website from them into _site/; then publish the packed
# artifact into folder stores under _build/store/ as the Job publishes into S3.
run: build
	rm -f $(BUILD)/*/base.json
	@for dir in site/data/tezos/*/; do \
	  net=$$(basename $$dir); \
	  $(SHOTS) merge $$dir -o $(BUILD)/$$net/base.json || exit $$?; \
	done
	pipeline/sample-data-dir.sh $(BUILD)/sample-node
	@[ -f $(BUILD)/keys/shots.key ] || $(SHOTS) keygen -q -o $(BUILD)/keys
	rm -rf $(BUILD)/artifacts
	SHOTS=$(SHOTS) DATA_DIR=$(BUILD)/sample-node NETWORK=mainnet BLOCK_INFO_DIR=$(BUILD)/sample-node/block \
	  NODE_VERSION=$(BUILD)/sample-node/version.json SIGNING_KEY_FILE=$(BUILD)/keys/shots.key \
	  ARTIFACTS=$(BUILD)/artifacts CATALOGS=$(BUILD) pipeline/pack-and-build.sh
	$(SHOTS) build --site site/polkashots -o _site-polkashots
	@# The whole final step into the stores site.yml names (folders under $(BUILD)/store), as the Job
	@# does it: the sample data dir packed straight into the mainnet store with its checksum,
	@# signature and metadata, base.json, the signed catalog, pages, permalinks last. Its URLs lead to
	@# `shots serve` (--preview), so every link works in the preview.
	rm -rf $(BUILD)/store
	$(SHOTS) publish $(BUILD)/sample-node --profile tezos-rolling --network mainnet --block-info-dir $(BUILD)/sample-node/block \
	  --node-version $(BUILD)/sample-node/version.json --signing-key $(BUILD)/keys/shots.key --preview $(PREVIEW)
	@echo "published into $(BUILD)/store: mainnet/ is the network's bucket, site/ the website's"
	@echo "preview it: $(SHOTS) serve   (then open $(PREVIEW)/; the permalinks, downloads and /health work too)"

# XCTest cases run one after another (Swift Testing's run in parallel anyway): with --parallel on
# 2 cores the memory bound of a 1 GB publish and a fault test's abort timing were seen to fail.
test: deps
	$(SWIFT) build
	$(SWIFT) test

# Opt-in, needs a fetched copy of oxheadalpha/tezos-k8s (TEZOS_K8S=checkout or git directory): the
# chart's own snapshot picker and downloader restore a node from what shots published, through
# `shots serve`, by the catalog and by a permalink. Not in `make test`: CI has no such copy.
e2e: build
	Tests/E2E/tezos-k8s-e2e.sh $(SHOTS)

# One release `shots` (every verb) at dist/shots that runs from any folder with nothing beside it:
# the Swift runtime and Foundation linked in statically, the shipped themes compiled in (a
# templates/ folder on disk still comes first). Debian's libcmark, liblz4, libarchive and
# libsodium stay shared libraries; libcurl is loaded when first used. Takes minutes: it is not
# part of `make test`. `make dist-check` then runs it alone, with the toolchain hidden.
DIST_BUILD ?= .build-dist
dist: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(DIST_BUILD) --product shots
	mkdir -p dist
	cp $(DIST_BUILD)/release/shots dist/shots
	@ls -l dist/shots

dist-check: dist
	Tests/Dist/dist-check.sh dist/shots

# Benchmarks (release build): N generated artifacts, default 10,000.
bench: deps
	bench/merge.sh $(or $(N),10000)
	bench/build.sh $(or $(N),10000)
	bench/pack.sh
	bench/publish.sh
	bench/serve-load.sh

# Fuzzing (libFuzzer): the JSON parser and metadata validation, SECONDS=... of run time (default 60),
# on a copy of the committed corpus (new inputs it finds stay in the copy; a crash's input is saved
# next to it). The Infrastructure and Catalog modules are compiled instrumented, then the harness
# (Tests/Fuzz/FuzzTarget.swift and the check it shares with make test, Tests/TestSupport/FuzzCheck.swift).
FUZZ_DIR ?= .build-fuzz
FUZZ_SWIFTC = swiftc -O -swift-version 6 -parse-as-library -sanitize=fuzzer,address -I $(FUZZ_DIR)/modules
fuzz:
	mkdir -p $(FUZZ_DIR)/modules
	$(FUZZ_SWIFTC) -emit-library -static -emit-module -module-name Infrastructure -emit-module-path $(FUZZ_DIR)/modules/Infrastructure.swiftmodule \
	  Sources/Infrastructure/*.swift -o $(FUZZ_DIR)/libInfrastructure.a
	$(FUZZ_SWIFTC) -emit-library -static -emit-module -module-name Catalog -emit-module-path $(FUZZ_DIR)/modules/Catalog.swiftmodule \
	  Sources/Catalog/*.swift -o $(FUZZ_DIR)/libCatalog.a
	$(FUZZ_SWIFTC) -module-name CatalogFuzzer Tests/TestSupport/FuzzCheck.swift Tests/Fuzz/FuzzTarget.swift \
	  $(FUZZ_DIR)/libCatalog.a $(FUZZ_DIR)/libInfrastructure.a -o $(FUZZ_DIR)/catalog-fuzzer
	rm -rf $(FUZZ_DIR)/corpus && cp -R Tests/Fuzz/corpus $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/catalog-fuzzer -max_total_time=$(or $(SECONDS),60) -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
	  -dict=Tests/Fuzz/json.dict -artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 $(FUZZ_DIR)/corpus

clean:
	rm -rf .build $(BUILD) _site _site-polkashots bench/out dist $(DIST_BUILD)
