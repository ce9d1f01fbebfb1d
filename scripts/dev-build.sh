#!/bin/bash
# Builds this checkout into a private directory, so several people (or agents) working in one
# tree can each compile and run end-to-end tests without overwriting each other's dist/.
#   scripts/dev-build.sh NAME      → /tmp/k8ts-build-NAME/{dist,bin/k8ts}
#   node --test /tmp/k8ts-build-NAME/dist/test/e2e/some.test.js
set -euo pipefail
name=${1:?usage: scripts/dev-build.sh NAME}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=/tmp/k8ts-build-$name
mkdir -p "$out/bin"
cp "$repo/package.json" "$out/package.json"
cp "$repo/bin/k8ts" "$out/bin/k8ts"
ln -sfn "$repo/node_modules" "$out/node_modules"
cd "$repo"
# tsc emits even when it reports errors; other people's unfinished files should not stop yours.
npx tsc -p tsconfig.json --outDir "$out/dist" --tsBuildInfoFile "$out/dist/.tsbuildinfo" || echo "dev-build: tsc reported errors (above); output emitted anyway" >&2
[ -f "$out/dist/generated/openapi-schemas.json" ] || node "$out/dist/scripts/gen-openapi.js" >/dev/null
node "$out/dist/scripts/bundle.js" "$out/dist"
echo "built $out"
