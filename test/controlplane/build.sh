#!/usr/bin/env bash
# Builds the local control-plane binaries (etcd, kube-apiserver, kubectl, kube-controller-manager,
# kube-scheduler, kwok) from the pinned Go modules next to this script, once, into a cache outside
# the repo. The cache directory is keyed on the modules' go.mod and go.sum, so a warm cache costs
# nothing and a version bump builds into a fresh directory. src/dev/binaries.ts computes the same
# key; keep the two in step (test/unit/dev/binaries.test.ts checks they agree).
#
#   build.sh                 build what is missing, print the bin directory on the last line
#   build.sh --print-bin-dir print the bin directory only, build nothing
#   build.sh --minimal       only etcd, kube-apiserver and kubectl (what envtest ships)
#
# Binaries found through TEST_ASSET_<NAME> (e.g. TEST_ASSET_KUBE_APISERVER) or KUBEBUILDER_ASSETS
# are not built: `gitfed dev` uses them from there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
key_files=(apiserver/go.mod apiserver/go.sum etcd/go.mod etcd/go.sum kwok/go.mod kwok/go.sum)

sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }

cache_key() {
  (cd "$here" && cat "${key_files[@]}") | sha256 | cut -c1-16
}

cache_root=${GITFED_CONTROLPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitfed/controlplane}
bin_dir="$cache_root/$(cache_key)/bin"

minimal=false
case "${1:-}" in
  --print-bin-dir) echo "$bin_dir"; exit 0 ;;
  --minimal) minimal=true ;;
  "") ;;
  *) echo "usage: $0 [--print-bin-dir|--minimal]" >&2; exit 2 ;;
esac

log() { printf '[controlplane %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Where a binary already is, outside our cache: envtest's lookup order.
provided() {
  local name=$1 var
  var="TEST_ASSET_$(echo "$name" | tr 'a-z-' 'A-Z_')"
  if [[ -n "${!var:-}" && -x "${!var}" ]]; then echo "${!var}"; return 0; fi
  if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/$name" ]]; then echo "$KUBEBUILDER_ASSETS/$name"; return 0; fi
  return 1
}

# The binaries still to build, grouped by the module that builds them.
want() {
  local name=$1
  if [[ -x "$bin_dir/$name" ]]; then return 1; fi
  if p=$(provided "$name"); then log "$name: using $p"; return 1; fi
  return 0
}

export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# No ",direct": a VCS fallback without network access hangs instead of failing.
export GOPROXY=${GOPROXY:-https://proxy.golang.org}

command -v go >/dev/null || { log "go is not on PATH; install Go >= 1.26 or set KUBEBUILDER_ASSETS"; exit 2; }

mkdir -p "$cache_root"
# Two test runs starting at once must not build the same thing twice.
if command -v flock >/dev/null; then
  exec 9>"$cache_root/.lock"
  if ! flock -n 9; then
    log "another build holds $cache_root/.lock; waiting for it"
    flock 9
  fi
fi

# Runs `go build` for one module, printing a heartbeat so a cold build does not look hung.
build() {
  local module=$1 ldflags=$2; shift 2
  local staging="$cache_root/$(cache_key)/staging.$$"
  mkdir -p "$staging" "$bin_dir"
  local start=$SECONDS
  log "building $* in $module"
  (cd "$here/$module" && go build -p "${GITFED_BUILD_JOBS:-2}" -trimpath -ldflags "$ldflags" -o "$staging/" "$@") &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if kill -0 "$pid" 2>/dev/null && (( (SECONDS - start) % 60 < 5 )); then
      log "  still building $module ($((SECONDS - start))s)"
    fi
  done
  if ! wait "$pid"; then
    log "go build failed in $module"
    rm -rf "$staging"
    exit 1
  fi
  # Rename last, so a cache directory never holds a half-written binary.
  for f in "$staging"/*; do mv -f "$f" "$bin_dir/"; done
  rmdir "$staging"
  log "built in $module in $((SECONDS - start))s"
}

k8s_version=$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$here/apiserver/go.mod")
k8s_minor=$(echo "$k8s_version" | cut -d. -f2)
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The same stamps as Kubernetes' hack/lib/version.sh, so /version reports the real release.
k8s_ldflags="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ldflags+=" -X $p.gitVersion=$k8s_version -X $p.gitMajor=1 -X $p.gitMinor=$k8s_minor"
  k8s_ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$build_date"
done

k8s_bins=(kube-apiserver kubectl)
$minimal || k8s_bins+=(kube-controller-manager kube-scheduler)
k8s_pkgs=()
for b in "${k8s_bins[@]}"; do
  if want "$b"; then k8s_pkgs+=("k8s.io/kubernetes/cmd/$b"); fi
done
if (( ${#k8s_pkgs[@]} )); then build apiserver "$k8s_ldflags" "${k8s_pkgs[@]}"; fi

if want etcd; then
  # -o names the file: the package's own name would be "server".
  build etcd "-s -w" go.etcd.io/etcd/server/v3
  if [[ -x "$bin_dir/server" ]]; then mv -f "$bin_dir/server" "$bin_dir/etcd"; fi
fi

if ! $minimal && want kwok; then
  build kwok "-s -w" sigs.k8s.io/kwok/cmd/kwok
fi

# kwok alone simulates nothing without Stage objects (kwokctl normally supplies them): take
# the "fast" node and pod lifecycles from the same kwok release, with lease heartbeats.
if [[ -x "$bin_dir/kwok" && ! -s "$bin_dir/kwok-stages.yaml" ]]; then
  kwok_dir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  stages=(node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)
  for s in "${stages[@]}"; do echo "---"; cat "$kwok_dir/kustomize/stage/$s"; done > "$bin_dir/kwok-stages.yaml.tmp"
  mv -f "$bin_dir/kwok-stages.yaml.tmp" "$bin_dir/kwok-stages.yaml"
fi

log "binaries in $bin_dir"
echo "$bin_dir"
