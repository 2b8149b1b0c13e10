# servicehall — make run (demo hall), make test, make bench, make build.
# Each target installs what it needs on Debian/Ubuntu first (apt packages for
# Fyne's cgo build, Go modules), so a fresh machine needs only these commands.

SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN := bin

# Fyne's GLFW driver builds with cgo against these; oto (spoken calls) against
# libasound2-dev. espeak-ng only renders the call clips (make voice) and checks
# in the tests that the committed ones are what it renders: the build never
# runs it.
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev espeak-ng
# The tests also drive the display web page in a real browser (chromedp):
# make test installs Debian's chromium, which make run never needs.
TEST_APT_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Runs a command with a throwaway PostgreSQL server (see .ci/pg.sh).
PG := bash .ci/pg.sh

.PHONY: test-apt-deps run test test-race test-volume bench bench-run build deps apt-deps go-deps fmt-check vet clean voice

run: deps
	$(GO) run -ldflags "$(LDFLAGS)" ./app $(ARGS)

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/servicehall ./app
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/servicehall-hq ./app/hq

# The test suite: formatting and vet, everything under the race detector with
# volume cut down (-short), then the volume tests (property runs, the kill -9
# crash test) without it, since the race detector slows SQLite many times.
# Both passes run with a throwaway PostgreSQL server: .ci/pg.sh starts one
# (installing PostgreSQL if it is missing), sets SERVICEHALL_TEST_PG for the
# HQ storage's PostgreSQL tests, and stops and removes it however the passes
# end. Run alone, test-race and test-volume skip those tests (under CI=true
# they fail), unless SERVICEHALL_TEST_PG names a server.
test: deps test-apt-deps fmt-check vet
	$(PG) $(MAKE) --no-print-directory test-race test-volume

# Fyne reads the locale at start; "C" is not one it can parse.
TEST_ENV := LANG=zh_CN.UTF-8

test-race:
	$(TEST_ENV) $(GO) test -race -short -count=1 ./...

test-volume:
	$(TEST_ENV) $(GO) test -count=1 -run 'Volume|Property|Crash' ./...

bench: deps
	$(PG) $(MAKE) --no-print-directory bench-run

bench-run:
	set -o pipefail; $(GO) test -run '^$$' -bench . -benchtime 2s -count=1 ./... | tee bench.txt

# Re-renders the call clips in assets/voice with espeak-ng (see assets/voice/README.md).
voice: deps
	$(GO) run ./internal/voice/cmd/voicegen -out assets/voice

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

deps: apt-deps go-deps

# install-missing installs those of the apt packages $(1) not yet installed.
define install-missing
	@missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

apt-deps:
	$(call install-missing,$(APT_PACKAGES))

test-apt-deps:
	$(call install-missing,$(TEST_APT_PACKAGES))

go-deps:
	$(GO) mod download

clean:
	rm -rf $(BIN) bench.txt
