#!/usr/bin/env bash
# Measures what docs/controlplane.md reports: time from `gitfed dev up` to every member ready,
# and the memory of each process once the members have idled. Needs `npm run build` and the
# binaries (build.sh). Runs on its own kubeconfig, so it never touches another set.
#
#   test/controlplane/measure.sh [RUNS] [MEMBERS] [IDLE_SECONDS]
set -euo pipefail
runs=${1:-3}
members=${2:-3}
idle=${3:-30}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
gitfed=(node "$root/dist/cmd/gitfed.js")
work=$(mktemp -d)
kc="$work/kubeconfig"
trap '"${gitfed[@]}" dev down --kubeconfig "$kc" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "${gitfed[@]}" dev up --members "$members" --kubeconfig "$kc" >/dev/null 2>"$work/up.log"
  end=$(date +%s%N)
  echo "run $i: $members members ready in $(( (end - start) / 1000000 )) ms ($(grep -o 'ready in [0-9.]*s' "$work/up.log" | tail -n 1) by gitfed's own clock)"
  if (( i < runs )); then "${gitfed[@]}" dev down --kubeconfig "$kc" >/dev/null 2>&1; fi
done

sleep "$idle"
echo "resident memory after ${idle}s idle (KiB):"
"${gitfed[@]}" dev status --format json | node -e '
  const rows = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((m) => m.kubeconfig === process.argv[1]);
  for (const m of rows) {
    const parts = m.components.map((c) => `${c.role}=${c.rssKiB ?? "?"}`).join(" ");
    const total = m.components.reduce((s, c) => s + (c.rssKiB ?? 0), 0);
    console.log(`  ${m.name.padEnd(8)} total=${total} ${parts}`);
  }' "$kc"
start=$(date +%s%N)
"${gitfed[@]}" dev down --kubeconfig "$kc" >/dev/null 2>&1
echo "dev down: $(( ($(date +%s%N) - start) / 1000000 )) ms"
