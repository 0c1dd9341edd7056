#!/usr/bin/env bash
# Fails when the production upload is over its gzip budget. Reads the size wrangler itself
# reports for `wrangler deploy --dry-run` ("Total Upload: X KiB / gzip: Y KiB"), so the
# budget is checked against exactly what Cloudflare would receive.
# Usage: size-budget.sh DRY_RUN_LOG BUDGET_KIB
set -euo pipefail
log=$1 budget=$2
line=$(grep -a 'Total Upload:' "$log" | tail -n 1 || true)
gzip_kib=$(sed -n 's/.*gzip: \([0-9.]*\) KiB.*/\1/p' <<<"$line")
if [ -z "$gzip_kib" ]; then
  echo "size budget: no 'Total Upload: … / gzip: … KiB' line in $log" >&2
  exit 1
fi
if awk -v size="$gzip_kib" -v budget="$budget" 'BEGIN { exit !(size > budget) }'; then
  echo "size budget: FAILED: the gzip upload is $gzip_kib KiB, over the budget of $budget KiB" >&2
  exit 1
fi
echo "size budget: gzip upload $gzip_kib KiB <= $budget KiB"
