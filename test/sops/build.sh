#!/usr/bin/env bash
# Builds the real `sops` binary (getsops/sops, pinned in go.mod next to this script) from Go
# modules, once, into a cache outside the repo keyed on go.mod and go.sum, as
# test/controlplane/build.sh does for the members. The tests encrypt their fixtures with it, so
# what gitfed decrypts is what SOPS itself writes.
#
#   build.sh                 build if missing, print the binary's path on the last line
#   build.sh --print-path    print the path only, build nothing
#
# GITFED_SOPS=/path/to/sops uses that binary instead (a `sops` of the same major version).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
key=$( (cd "$here" && cat go.mod go.sum) | sha256 | cut -c1-16)
cache_root=${GITFED_SOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitfed/sops}
bin="$cache_root/$key/bin/sops"
[[ -n "${GITFED_SOPS:-}" ]] && bin=$GITFED_SOPS

case "${1:-}" in
  --print-path) echo "$bin"; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--print-path]" >&2; exit 2 ;;
esac

log() { printf '[sops %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
if [[ -n "${GITFED_SOPS:-}" ]]; then log "GITFED_SOPS=$GITFED_SOPS is not an executable"; exit 2; fi

export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# No ",direct": a VCS fallback without network access hangs instead of failing.
export GOPROXY=${GOPROXY:-https://proxy.golang.org}
command -v go >/dev/null || { log "go is not on PATH; install Go >= 1.26 or set GITFED_SOPS"; exit 2; }

mkdir -p "$cache_root"
if command -v flock >/dev/null; then
  exec 9>"$cache_root/.lock"
  flock 9
  if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
fi

version=$(awk '$1 == "github.com/getsops/sops/v3" { print $2 }' "$here/go.mod")
staging="$cache_root/$key/staging.$$"
mkdir -p "$staging" "$(dirname "$bin")"
start=$SECONDS
log "building sops $version (first run only; a few minutes cold)"
if ! (cd "$here" && go build -p "${GITFED_BUILD_JOBS:-2}" -trimpath -ldflags "-s -w" -o "$staging/sops" github.com/getsops/sops/v3/cmd/sops); then
  rm -rf "$staging"
  log "go build failed"
  exit 1
fi
# Renamed last, so the cache never holds a half-written binary.
mv -f "$staging/sops" "$bin"
rmdir "$staging"
log "built in $((SECONDS - start))s"
echo "$bin"
