#!/usr/bin/env bash
# Builds Flux's source-controller and kustomize-controller from the pinned Go modules next to
# this script, once, into a cache outside the repo (the same root as the control planes:
# ~/.cache/gitfed/). The cache directory is keyed on the modules' go.mod and go.sum, so a warm
# cache costs nothing and a version bump builds into a fresh directory. Flux's CRDs are copied
# from the same module versions into crds.yaml next to the binaries. scripts/test.sh (and so
# .ci/run) runs it before the tests; test/e2e/flux/ runs the controllers.
#
# v1.9.6 of both controllers is the newest that Go 1.26 builds; pkg/artifact is pinned to
# v0.18.0, the version the module proxy serves (v0.18.3, which v1.9.6 asks for, is refused).
#
#   build.sh                 build what is missing, print the bin directory on the last line
#   build.sh --print-bin-dir print the bin directory only, build nothing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
key_files=(source/go.mod source/go.sum kustomize/go.mod kustomize/go.sum)

sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
cache_key() { (cd "$here" && cat "${key_files[@]}") | sha256 | cut -c1-16; }

cache_root=${GITFED_FLUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitfed/flux}
bin_dir="$cache_root/$(cache_key)/bin"

case "${1:-}" in
  --print-bin-dir) echo "$bin_dir"; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--print-bin-dir]" >&2; exit 2 ;;
esac

log() { printf '[flux %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# No ",direct": a VCS fallback without network access hangs instead of failing.
export GOPROXY=${GOPROXY:-https://proxy.golang.org}
command -v go >/dev/null || { log "go is not on PATH; install Go >= 1.26"; exit 2; }

mkdir -p "$cache_root"
if command -v flock >/dev/null; then
  exec 9>"$cache_root/.lock"
  if ! flock -n 9; then log "another build holds $cache_root/.lock; waiting for it"; flock 9; fi
fi

build() {
  local module=$1 pkg=$2 name=$3
  [[ -x "$bin_dir/$name" ]] && return 0
  local staging="$cache_root/$(cache_key)/staging.$$" start=$SECONDS
  mkdir -p "$staging" "$bin_dir"
  log "building $pkg in $module"
  if ! (cd "$here/$module" && go build -p "${GITFED_BUILD_JOBS:-2}" -trimpath -ldflags "-s -w" -o "$staging/$name" "$pkg"); then
    log "go build failed in $module"; rm -rf "$staging"; exit 1
  fi
  # Rename last, so a cache directory never holds a half-written binary.
  mv -f "$staging/$name" "$bin_dir/$name"
  rmdir "$staging"
  log "built $name in $((SECONDS - start))s"
}

build source github.com/fluxcd/source-controller source-controller
build kustomize github.com/fluxcd/kustomize-controller kustomize-controller

# The CRDs ship in the same module versions (config/crd/bases); copy them next to the binaries.
if [[ ! -s "$bin_dir/crds.yaml" ]]; then
  {
    for m in source:github.com/fluxcd/source-controller kustomize:github.com/fluxcd/kustomize-controller; do
      dir=$(cd "$here/${m%%:*}" && go list -m -f '{{.Dir}}' "${m#*:}")
      for f in "$dir"/config/crd/bases/*.yaml; do echo "---"; cat "$f"; done
    done
  } > "$bin_dir/crds.yaml.tmp"
  mv -f "$bin_dir/crds.yaml.tmp" "$bin_dir/crds.yaml"
fi

log "binaries in $bin_dir"
echo "$bin_dir"
