# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift

.PHONY: demo test test-fast build deps bench

deps:
	./scripts/install-deps

build: deps
	$(SWIFT) build -c release --product orchestrator

# Starts 4 MariaDB servers (0 master; 1, 2 replicas; 3 replica of 2), the service on
# 127.0.0.1:3000, discovers the topology from one seed and prints it; Ctrl-C stops everything.
demo: build
	.build/release/orchestrator demo

# All unit and integration tests (integration tests start their own MariaDB sandboxes).
test: deps
	./scripts/check-layering
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Pure tests only, in seconds.
test-fast:
	$(SWIFT) test --filter 'TopologyTests|APIModelsTests|StoreTests'

bench: deps
	./bench/poll
