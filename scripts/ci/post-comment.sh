#!/usr/bin/env bash
# Posts a comment to a pull request (GitHub) or merge request (GitLab), or updates the one this
# check posted before (found by the marker on its first line), so a PR carries one gitfed comment
# however often it is pushed. A thin layer over curl; node only reads and writes the JSON.
#
#   scripts/ci/post-comment.sh COMMENT_FILE
#
# GitHub: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), PR_NUMBER; GITHUB_API_URL (default https://api.github.com).
# GitLab: GITLAB_TOKEN (a token with the api scope), CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID.
set -euo pipefail

file=${1:?usage: $0 COMMENT_FILE}
marker=$(head -n 1 "$file")
body=$(node -e 'process.stdout.write(JSON.stringify({ body: require("fs").readFileSync(process.argv[1], "utf8") }))' "$file")
# The id of the first comment whose body starts with the marker, from the JSON list on stdin.
find_id='let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const c=JSON.parse(s).find((x)=>typeof x.body==="string"&&x.body.startsWith(process.argv[1]));process.stdout.write(c?String(c.id):"")})'

# upsert LIST_URL ITEM_URL UPDATE_METHOD POST_URL: update the marked comment (ITEM_URL/<id>) or post one.
upsert() {
  local id
  id=$(curl -sSf "${auth[@]}" "$1" | node -e "$find_id" "$marker")
  if [ -n "$id" ]; then
    curl -sSf -o /dev/null "${auth[@]}" -X "$3" "$2/$id" --data-binary "$body"
    echo "updated comment $id"
  else
    curl -sSf -o /dev/null "${auth[@]}" -X POST "$4" --data-binary "$body"
    echo "posted a comment"
  fi
}

if [ -n "${GITHUB_TOKEN:-}" ]; then
  api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY:?}/issues"
  auth=(-H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" -H "Content-Type: application/json")
  upsert "$api/${PR_NUMBER:?}/comments?per_page=100" "$api/comments" PATCH "$api/$PR_NUMBER/comments"
elif [ -n "${GITLAB_TOKEN:-}" ]; then
  api="${CI_API_V4_URL:?}/projects/${CI_PROJECT_ID:?}/merge_requests/${CI_MERGE_REQUEST_IID:?}/notes"
  auth=(-H "PRIVATE-TOKEN: $GITLAB_TOKEN" -H "Content-Type: application/json")
  upsert "$api?per_page=100&sort=asc" "$api" PUT "$api"
else
  echo "post-comment.sh: set GITHUB_TOKEN (GitHub) or GITLAB_TOKEN (GitLab)" >&2
  exit 2
fi
