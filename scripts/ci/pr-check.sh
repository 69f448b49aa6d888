#!/usr/bin/env bash
# The pull request check of a fleet repo, for any CI: render the PR's head with warnings refused
# (--strict) and write what it does to every cluster as one PR comment.
#
#   scripts/ci/pr-check.sh BASE HEAD [OUTDIR]
#
# BASE and HEAD are commits of the fleet repo (the current directory, or $FLEET_REPO); the diff
# starts at their merge base, so the comment shows what the PR does, not what main did since.
# Writes OUTDIR (default gitfed-check):
#   comment.md     the comment to post: the diff (at most $MAX_BYTES), or the errors that failed the check
#   gitfed-diff.md the whole diff, unshortened, for CI to keep as an artifact
# Exit 0: the check passed (with or without changes). Exit 2: gitfed found errors (or warnings,
# which --strict refuses); comment.md names them. Environment: GITFED (the command, default
# gitfed), FULL_LINK (where readers find gitfed-diff.md, say the CI job's artifacts page),
# MAX_BYTES (default 65000: GitHub's 65,536 less room for the marker).
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BASE HEAD [OUTDIR]" >&2
  exit 2
fi
base=$1
head=$2
out=${3:-gitfed-check}
repo=${FLEET_REPO:-.}
gitfed=${GITFED:-gitfed}
# The first line of every comment this check writes: how post-comment.sh finds the one to update.
marker='<!-- gitfed-pr-check -->'

mkdir -p "$out"
if ! from=$(git -C "$repo" merge-base "$base" "$head" 2>"$out/errors.txt"); then
  from=$base
fi

link=()
if [ -n "${FULL_LINK:-}" ]; then link=(--full-link "$FULL_LINK"); fi
# shellcheck disable=SC2086 # GITFED may be a command with arguments (node dist/cmd/gitfed.js).
$gitfed diff "$from" "$head" --repo "$repo" --strict --format markdown \
  --max-bytes "${MAX_BYTES:-65000}" --full-out "$out/gitfed-diff.md" "${link[@]}" \
  >"$out/diff.md" 2>>"$out/errors.txt"
code=$?

{
  echo "$marker"
  if [ "$code" -le 1 ]; then
    cat "$out/diff.md"
  else
    echo "### gitfed: the check failed"
    echo
    echo "\`gitfed diff --strict\` refused \`${head:0:12}\` (exit $code):"
    echo
    echo '```text'
    head -c 50000 "$out/errors.txt"
    echo
    echo '```'
  fi
} >"$out/comment.md"

if [ "$code" -le 1 ]; then exit 0; fi
cat "$out/errors.txt" >&2
exit 2
