# k8ts — the two commands of the quickstart are `make up` and `make test`.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.k8ts-installed
DEBIAN_PACKAGES := ca-certificates
# The tests also run k8ts against a real etcd.
TEST_DEBIAN_PACKAGES := etcd-server etcd-client
KUBECTL ?= /usr/bin/kubectl

.PHONY: all deps debs test-debs build up test clean bench

all: build

# Installs the Debian packages named in $(1) that are missing (as root; apt-get update first).
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "k8ts needs:$$missing (run make as root or install them)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

# Debian packages k8ts needs at run time, and the tests' extra ones.
debs:
	$(call install_debs,$(DEBIAN_PACKAGES))

test-debs:
	$(call install_debs,$(DEBIAN_PACKAGES) $(TEST_DEBIAN_PACKAGES))

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: debs $(NODE_MODULES_STAMP)

build: deps
	npx tsc -p tsconfig.json
	node dist/scripts/gen-openapi.js

up: build
	./bin/k8ts server

test: test-debs build
	npm test

bench: build
	npm run bench:api

clean:
	rm -rf dist
