#!/usr/bin/env bash
# The main job on the bundled fleet, from nothing: render examples/fleet-repo, commit the output
# branch, start local member control planes (real etcd + kube-apiserver per member), apply each
# cluster directory to its member and print the propagation report. The fleet's one Secret is
# SOPS-encrypted on every branch; gitfed apply decrypts it in memory with the DEMO age key
# committed in examples/demo-age-key.txt (public: never encrypt anything real to it).
#
#   scripts/demo.sh          # everything, then stop the members
#   scripts/demo.sh --keep   # leave the members running to look around (kubectl, gitfed status)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi
step "build gitfed"
npm run --silent build
step "control-plane binaries (built once from Go modules, then cached)"
bash .ci/controlplane.sh

gitfed() { node "$ROOT/dist/cmd/gitfed.js" "$@"; }
DEMO_KEY=$ROOT/examples/demo-age-key.txt
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gitfed-demo.XXXXXX")
FLEET=$WORK/fleet-repo
KUBECONFIG_FILE=$WORK/kubeconfig
CLUSTERS=$(cd examples/fleet-repo/clusters && ls *.yaml | sed 's/\.yaml$//' | paste -sd, -)

cleanup() {
  if [ "$KEEP" = 1 ]; then
    printf '\nMembers keep running. Try:\n  export KUBECONFIG=%s\n  kubectl --context cloud-eu-1 get deploy -A\n  node dist/cmd/gitfed.js status --state %s/status.json\nStop them with:\n  node dist/cmd/gitfed.js dev down --kubeconfig %s\n' "$KUBECONFIG_FILE" "$WORK" "$KUBECONFIG_FILE"
  else
    step "stop the members"
    gitfed dev down --kubeconfig "$KUBECONFIG_FILE" || true
  fi
}

step "the fleet repo: examples/fleet-repo as a git repository in $FLEET"
cp -r examples/fleet-repo "$FLEET"
git -C "$FLEET" init -q -b main
git -C "$FLEET" add -A
git -C "$FLEET" -c user.name=demo -c user.email=demo@example.invalid commit -qm "Fleet: storefront, patient records, analytics"

step "gitfed render --commit: one directory per member on branch 'rendered'"
gitfed render --commit --repo "$FLEET"
git -C "$FLEET" log --oneline -1 rendered
git -C "$FLEET" ls-tree -r --name-only rendered | sed -n 's/^/  /; 1,40p'

step "gitfed dev up: members $CLUSTERS"
trap cleanup EXIT
gitfed dev up --names "$CLUSTERS" --workloads "$CLUSTERS" --kubeconfig "$KUBECONFIG_FILE"

step "gitfed apply: server-side apply of each cluster directory to its member"
set +e
gitfed apply --repo "$FLEET" --branch rendered --kubeconfig "$KUBECONFIG_FILE" --state "$WORK/status.json" --age-key-file "$DEMO_KEY"
rc=$?
set -e

step "gitfed apply again: a no-op re-sync (no writes), and the Deployments' health once kwok's pods run"
sleep 5
set +e
gitfed apply --repo "$FLEET" --branch rendered --kubeconfig "$KUBECONFIG_FILE" --state "$WORK/status.json" --age-key-file "$DEMO_KEY" --format json >/dev/null
rc=$?
set -e

step "the Secret: encrypted on the branch, decrypted only at apply (demo key)"
git -C "$FLEET" show rendered:clusters/onprem-dc1/patients/secret-records-db.yaml | grep -E '^\s+DB_USER:' | cut -c1-60
KUBECTL=$(bash test/controlplane/build.sh --print-bin-dir)/kubectl
if [ -x "$KUBECTL" ]; then
  printf '  on onprem-dc1, DB_USER = %s\n' "$("$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --context onprem-dc1 -n patients get secret records-db -o jsonpath='{.data.DB_USER}' | base64 -d)"
fi

step "gitfed status: the propagation report"
gitfed status --state "$WORK/status.json" --all
exit $rc
