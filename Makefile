# servicehall — make run (demo hall), make test, make bench, make build.
# Each target installs what it needs on Debian/Ubuntu first (apt packages for
# Fyne's cgo build, Go modules), so a fresh machine needs only these commands.

SHELL := /bin/bash
GO ?= go
# Expanded once, so that every binary of one make run carries the same version.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
VERSION := $(VERSION)
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

.PHONY: package package-linux package-windows package-hq package-deps windows-check test-apt-deps run test test-race test-volume bench bench-run build deps apt-deps go-deps fmt-check vet clean voice

# A new database becomes the demo hall (--demo); without it the program
# asks for the first-run setup.
run: deps
	$(GO) run -ldflags "$(LDFLAGS)" ./app --demo $(ARGS)

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
test: deps test-apt-deps fmt-check vet windows-check
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
	rm -rf $(BIN) bench.txt dist

# --- Packages (make package) ---------------------------------------------
# fyne.io/tools' `fyne package`, pinned here rather than in go.mod so that
# its dependencies never move the program's. Its metadata comes from the
# top-level FyneApp.toml: name, app ID, version, build and icon are read
# from it and passed as flags, and the file is never written (fyne package
# bumps Build in the FyneApp.toml of the folder it runs on).
# Installed for this machine (GOOS unset), since the Windows package runs
# it with GOOS=windows.
FYNE_TOOLS := fyne.io/tools/cmd/fyne@v1.7.4
FYNE = $(CURDIR)/$(DIST)/.tools/fyne
toml = $(shell sed -n 's/^[[:space:]]*$(1)[[:space:]]*=[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$$/\1/p' FyneApp.toml | head -1)
APP_NAME := $(call toml,Name)
APP_ID := $(call toml,ID)
APP_VERSION := $(call toml,Version)
APP_BUILD := $(call toml,Build)
DIST := dist
MINGW_CC := x86_64-w64-mingw32-gcc
WIN_ENV := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(MINGW_CC)
# The console build uses exactly the C flags fyne package sets for a release
# build with mingw (it appends them to any CGO_CFLAGS given, so it gets
# none, and it sets CGO_LDFLAGS empty), so that go-gl's C code, the slow
# part (~7 min cold on 2 cores), is compiled once for both programs.
WIN_CFLAGS := CGO_CFLAGS="-O3 -pipe -D_FORTIFY_SOURCE=3 -fstack-protector-strong" CGO_LDFLAGS=
# -fstack-protector needs mingw's libssp at link time; given to the linker
# only, so that the C objects stay cached.
WIN_EXTLD := -extldflags=-lssp

package-deps: deps
	$(call install-missing,gcc-mingw-w64-x86-64 xz-utils)
	GOBIN=$(CURDIR)/$(DIST)/.tools GOOS= GOARCH= $(GO) install $(FYNE_TOOLS)

package: package-deps package-linux package-windows package-hq
	@echo; echo "packages in $(DIST)/ (version $(VERSION)):"; ls -l $(DIST) $(DIST)/linux $(DIST)/windows

# Linux amd64: the program built as usual (warm cache), then fyne package
# makes the tar.xz (binary, .desktop file, icon, a Makefile to install it).
package-linux: package-deps
	mkdir -p $(DIST)/linux
	$(GO) build -ldflags "-s -w $(LDFLAGS)" -o $(DIST)/linux/servicehall ./app
	cd $(DIST)/linux && $(FYNE) package --target linux --src $(CURDIR)/app \
		--executable $(CURDIR)/$(DIST)/linux/servicehall --icon $(CURDIR)/assets/icon.png \
		--name "$(APP_NAME)" --app-id $(APP_ID) --app-version $(APP_VERSION) --app-build $(APP_BUILD) --release
	mv "$(DIST)/linux/$(APP_NAME).tar.xz" $(DIST)/servicehall-$(VERSION)-linux-amd64.tar.xz
	rm $(DIST)/linux/servicehall
	cp packaging/linux/* $(DIST)/linux/

# Windows amd64, cross-compiled with mingw-w64: the GUI program with its
# icon and version resource (no console: 营业厅服务台.exe) and a console
# build of the same program for the subcommands (servicehall.exe).
package-windows: package-deps
	mkdir -p $(DIST)/windows
	rm -f "$(DIST)/windows/$(APP_NAME).exe" $(DIST)/windows/servicehall.exe $(DIST)/windows/*.cmd
	# fyne package works in the source folder: it writes fyne_metadata_init.go
	# and fyne.syso there while it builds and renames the program there to
	# the app's name; all of it leaves app/ however it ends. An existing
	# --executable makes it build once, after adding the icon and version
	# resource, with the -ldflags from GOFLAGS (it drops them after its first
	# build).
	touch app/servicehall.exe
	cd $(DIST)/windows && $(WIN_ENV) GOFLAGS="-ldflags=-X=main.version=$(VERSION) -ldflags=$(WIN_EXTLD)" $(FYNE) package --target windows \
		--src $(CURDIR)/app --executable $(CURDIR)/app/servicehall.exe --icon $(CURDIR)/assets/icon.png \
		--name "$(APP_NAME)" --app-id $(APP_ID) --app-version $(APP_VERSION) --app-build $(APP_BUILD) --release \
		&& mv "$(CURDIR)/app/$(APP_NAME).exe" .; \
		status=$$?; cd $(CURDIR)/app && rm -f fyne_metadata_init.go fyne.syso servicehall.exe "$(APP_NAME).exe"; exit $$status
	$(WIN_ENV) $(WIN_CFLAGS) $(GO) build -trimpath -tags release -ldflags "-s -w $(WIN_EXTLD) $(LDFLAGS)" -o $(DIST)/windows/servicehall.exe ./app
	cp packaging/windows/* $(DIST)/windows/

# The Windows build compiles and links: the program with cgo through
# mingw-w64 (the same flags as the packages, so make package reuses it),
# servicehall-hq without cgo, and vet of the packages with Windows-only
# files. Cold this costs ~7-8 min on 2 cores (go-gl's C code; go vet with
# cgo compiles it as well, so a build costs no more and also links); warm
# a few seconds.
windows-check:
	$(call install-missing,gcc-mingw-w64-x86-64)
	$(WIN_ENV) $(WIN_CFLAGS) $(GO) build -trimpath -tags release -ldflags "-s -w $(WIN_EXTLD)" -o /dev/null ./app
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./app/hq
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) vet ./internal/cli/ ./internal/sqlite/ ./internal/backup/ ./internal/logfile/

# HQ's server: no cgo, static, for both systems.
package-hq:
	mkdir -p $(DIST)/linux $(DIST)/windows
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o $(DIST)/linux/servicehall-hq ./app/hq
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags "-s -w $(LDFLAGS)" -o $(DIST)/windows/servicehall-hq.exe ./app/hq
