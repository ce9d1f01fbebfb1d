# k8ts — the two commands of the quickstart are `make up` and `make test`.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.k8ts-installed
DEBIAN_PACKAGES := ca-certificates etcd-server etcd-client
KUBECTL ?= /usr/bin/kubectl

.PHONY: all deps debs build up test unit e2e clean bench

all: build

# Debian packages k8ts needs at run time; installed only when missing.
debs:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "k8ts needs:$$missing (run make as root or install them)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: debs $(NODE_MODULES_STAMP)

build: deps
	npx tsc -p tsconfig.json
	node dist/scripts/gen-openapi.js

up: build
	./bin/k8ts server

test: build
	npm test

bench: build
	npm run bench:api

clean:
	rm -rf dist
