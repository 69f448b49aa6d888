#!/usr/bin/env bash
# CI step before the tests: build the control-plane binaries the e2e tests start (etcd,
# kube-apiserver, kubectl, kube-controller-manager, kube-scheduler, kwok), or reuse them.
#
# Needs only Go (>= 1.26, the version Kubernetes 1.36 is built with) and the Go module proxy.
# The binaries land in ~/.cache/gitfed/controlplane/<key>/bin (key: the go.mod/go.sum files of
# test/controlplane), which is what a CI cache should keep, together with Go's own caches
# (`go env GOCACHE GOMODCACHE`). With KUBEBUILDER_ASSETS or TEST_ASSET_* pointing at binaries,
# those are used and not built. Measured costs are in docs/controlplane.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null; then
  echo "controlplane: go is not installed; install Go >= 1.26 or set KUBEBUILDER_ASSETS" >&2
  exit 2
fi
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if (( go_minor < 26 )); then
  echo "controlplane: $(go env GOVERSION) is too old: the pinned Kubernetes and kwok modules need go 1.26" >&2
  exit 2
fi

start=$SECONDS
bin_dir=$(bash test/controlplane/build.sh | tail -n 1)
echo "controlplane: binaries ready in $((SECONDS - start))s"

# A binary that cannot start fails here, with its own message, rather than as a test timeout.
for b in etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kwok; do
  path=$bin_dir/$b
  var="TEST_ASSET_$(echo "$b" | tr 'a-z-' 'A-Z_')"
  if [[ -n "${!var:-}" ]]; then path=${!var}
  elif [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/$b" ]]; then path=$KUBEBUILDER_ASSETS/$b
  fi
  # sed reads to the end: `head -n 1` would close the pipe early, the binary would die of
  # SIGPIPE while writing its second line, and pipefail would fail CI with 141 (it did once).
  case $b in
    kubectl) version=$("$path" version --client 2>&1 | sed -n 1p) ;;
    *) version=$("$path" --version 2>&1 | sed -n 1p) ;;
  esac
  echo "controlplane: $b: $version"
done
