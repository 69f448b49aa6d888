#!/usr/bin/env bash
# The whole test suite, set-up included: installs the npm dependencies when they are missing or
# stale, builds (or reuses) the control-plane binaries the e2e tests run as member clusters, the
# sops binary the secrets tests encrypt their fixtures with and Flux's controllers the consumer
# tests run, then runs `npm test` (type-check build, unit tests, e2e tests against real
# kube-apiservers).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--ci" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== control-plane binaries (first run builds them from Go modules; later runs reuse the cache)"
bash .ci/controlplane.sh

echo "== sops (the real binary the secrets tests encrypt their fixtures with; built once, then cached)"
bash test/sops/build.sh

echo "== Flux source-controller and kustomize-controller (the consumer the Flux e2e tests run; built once, then cached)"
bash test/flux/build.sh

echo "== npm test"
npm test
