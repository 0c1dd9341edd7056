# orderbridge: `make dev` runs the Worker locally, `make test` runs every check.
# Every target first runs `make setup`, which installs what is missing and skips the rest.

# bash with pipefail, so a failing command piped into tee still fails its recipe.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

PORT ?= 8787
# The environment written by scripts/setup.sh: tool paths and the wasm32 toolchain.
RUN := . ./.toolchain.env &&
WASM := $(RUN) RUSTUP_TOOLCHAIN=$$WASM_TOOLCHAIN
WRANGLER := $(WASM) wrangler
DEV_STATE := .wrangler/state

.PHONY: setup build dev demo-data test fmt-check structure clippy test-core test-core-wasm deploy-check test-e2e test-schemathesis test-storefront clean bench bench-load bench-size bench-burst bench-scale bench-cold fuzz

setup:
	@bash scripts/setup.sh

build: setup
	bash scripts/build-worker.sh

# Local D1 for `make dev`: migrations, then the demo catalog (idempotent).
demo-data: setup
	@mkdir -p build
	node scripts/demo-sql.mjs > build/demo-data.sql
	$(WRANGLER) d1 migrations apply DB --local --env dev --persist-to $(DEV_STATE)
	$(WRANGLER) d1 execute DB --local --env dev --persist-to $(DEV_STATE) --file build/demo-data.sql

dev: demo-data
	$(WRANGLER) dev --env dev --port $(PORT) --ip 127.0.0.1 --persist-to $(DEV_STATE) --test-scheduled

# The one command that runs everything; CI runs exactly this.
test: setup fmt-check structure clippy test-core test-core-wasm deploy-check test-e2e test-schemathesis test-storefront

fmt-check:
	cargo fmt --all --check

# The structure rules (issue 20): no import circle among edge modules, only the router calls
# handlers, no unwrap/expect/panic! outside tests; ARCHITECTURE.md's code map matches the tree.
structure:
	python3 scripts/check-structure.py
	python3 scripts/check-codemap.py

# Both builds of the edge: production's and the development one with the simulator.
clippy:
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --all-targets --features orderbridge-edge/simulator -- -D warnings

test-core:
	cargo test -p orderbridge-core

test-core-wasm:
	$(WASM) cargo test -p orderbridge-core --target wasm32-unknown-unknown

# The production upload's gzip size must stay within this (Workers' free plan allows 3 MiB).
SIZE_BUDGET_KIB ?= 1024

# Builds the real production upload offline, prints its size and checks the budget.
deploy-check:
	@mkdir -p build
	$(WRANGLER) deploy --dry-run --outdir build/dry-run 2>&1 | tee build/dry-run.log
	bash scripts/size-budget.sh build/dry-run.log $(SIZE_BUDGET_KIB)

# ARGS filters the tests by name (`make test-e2e ARGS=jet_`), as libtest does.
ARGS ?=
test-e2e:
	$(WASM) cargo test -p orderbridge-e2e --test e2e -- $(ARGS)

# schemathesis (pinned, in a venv under build/) against a wrangler dev of its own: no 5xx,
# every documented response matches web/openapi.json.
test-schemathesis: setup
	bash scripts/schemathesis.sh

# The reference storefront (web/) in Debian's chromium via playwright-core against a wrangler
# dev of its own; installs chromium (apt) the first time; screenshots to build/storefront/
# (SCREENSHOTS=docs to refresh the README's).
test-storefront: setup
	bash scripts/storefront-test.sh

# Benchmarks (issue 8; not part of `make test`; see BENCHMARKS.md). `make bench` times the
# hot paths natively and as wasm32 under Node.js, on generated workloads or, with
# WORKLOADS=<dir>, on the given files; `make bench-load` runs wrk against `wrangler dev`;
# `make bench-size` measures the upload and what it is made of. Results go to build/bench/.
WORKLOADS ?=

bench: setup
	bash scripts/bench.sh $(WORKLOADS)

bench-load: setup
	bash scripts/bench-load.sh

bench-size: setup
	bash scripts/bench-size.sh

# A national chain against the small case: p50/p99 and D1 rows read (build/bench/scale.md).
bench-scale: setup
	bash scripts/bench-scale.sh

# Cold start: the production Worker's start-up and first request in workerd, against a
# trivial Worker's (build/bench/cold.json).
bench-cold: setup
	bash scripts/build-worker.sh
	mkdir -p build/bench
	node bench/cold-start.mjs edge/build | tee build/bench/cold.json

# A dinner rush (issue 22): 2,000 site orders and 500 JET orders at 16 connections, then how
# long until every status callback and JET outcome arrived (build/bench/burst.md).
bench-burst: setup
	bash scripts/bench-burst.sh

# Fuzzing (issue 22; not part of `make test`; README "Fuzzing"): every cargo-fuzz target
# in fuzz/ for FUZZ_SECS seconds, or TARGET=<name> alone. Installs nightly and cargo-fuzz
# the first time. Crashes go to fuzz/artifacts/, logs and a summary to build/fuzz/.
FUZZ_SECS ?= 600
TARGET ?=
fuzz:
	FUZZ_SECS=$(FUZZ_SECS) bash scripts/fuzz.sh $(TARGET)

clean:
	cargo clean
	rm -rf build edge/build .wrangler
