# k8ts — the two commands of the quickstart are `make up` and `make test`.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.k8ts-installed
DEBIAN_PACKAGES := ca-certificates attr busybox-static
# The container runtime: OCI runtimes, CNI plugins, ip (network namespaces), iptables (hostPorts, CNI portmap), nftables (NAT out of the pod network).
DEBIAN_PACKAGES += runc crun containernetworking-plugins iproute2 iptables nftables util-linux mount bsdutils
# The tests also run k8ts against a real etcd.
TEST_DEBIAN_PACKAGES := etcd-server etcd-client
# Image tests: a real registry (and htpasswd for its Basic auth), skopeo to read what k8ts pushed, umoci for fixtures.
TEST_DEBIAN_PACKAGES += docker-registry apache2-utils skopeo umoci
KUBECTL ?= /usr/bin/kubectl

.PHONY: all deps debs test-debs build up test clean bench images

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
	node dist/scripts/bundle.js

# busybox:latest, built by k8ts itself from images/busybox (FROM scratch + Debian's busybox-static),
# into the runtime's image store: <K8TS_DATA_DIR>/runtime/images (k8ts' default data dir if unset).
# As root (its RUN steps are containers); not part of `build`, which must work unprivileged.
IMAGE_CONTEXTS := dist/image-contexts
images: build
	rm -rf $(IMAGE_CONTEXTS)/busybox && mkdir -p $(IMAGE_CONTEXTS)/busybox
	cp images/busybox/Dockerfile images/busybox/passwd images/busybox/group $(IMAGE_CONTEXTS)/busybox/
	cp /bin/busybox $(IMAGE_CONTEXTS)/busybox/busybox
	./bin/k8ts image build -t busybox:latest $(if $(K8TS_DATA_DIR),--data-dir $(K8TS_DATA_DIR)) $(IMAGE_CONTEXTS)/busybox

up: build
	./bin/k8ts server

test: test-debs build
	npm test

bench: build
	npm run bench:api

clean:
	rm -rf dist
