# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift

.PHONY: demo test test-fast build deps bench install

# `make install`: where things go. DESTDIR is prepended to every path (for packaging).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/orchestrator

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

# Builds the release binary and installs it, the systemd unit (pointing at that binary), the
# packaging notes, and the sample configuration — the latter only when there is none yet, so an
# existing /etc/orchestrator.conf.json is never overwritten.
install: build
	install -D -m 0755 .build/release/orchestrator $(DESTDIR)$(BINDIR)/orchestrator
	install -d $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	sed -e 's|/usr/local/bin/orchestrator|$(BINDIR)/orchestrator|' \
	    -e 's|/etc/orchestrator.conf.json|$(SYSCONFDIR)/orchestrator.conf.json|' \
	    -e 's|/etc/orchestrator.env|$(SYSCONFDIR)/orchestrator.env|' \
	    -e 's|/usr/local/share/doc/orchestrator|$(DOCDIR)|' \
	    packaging/orchestrator.service > $(DESTDIR)$(SYSTEMD_UNIT_DIR)/orchestrator.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNIT_DIR)/orchestrator.service
	install -D -m 0644 packaging/README.md $(DESTDIR)$(DOCDIR)/README.md
	install -D -m 0644 docs/metrics.md $(DESTDIR)$(DOCDIR)/metrics.md
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/orchestrator.conf.json ]; then \
	    echo "kept the existing $(DESTDIR)$(SYSCONFDIR)/orchestrator.conf.json"; \
	else \
	    install -D -m 0644 packaging/orchestrator.conf.json $(DESTDIR)$(SYSCONFDIR)/orchestrator.conf.json; \
	    echo "installed the sample $(DESTDIR)$(SYSCONFDIR)/orchestrator.conf.json"; \
	fi
