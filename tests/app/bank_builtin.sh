#!/usr/bin/env bash
# The built-in bank is valid, large enough, covers every known topic and spreads over levels:
# at least 350 questions and at least 10% at each level.
set -euo pipefail
$VIVA_EMU "$VIVA_BIN" bank check
stats=$($VIVA_EMU "$VIVA_BIN" bank stats)
echo "$stats"
read -r total l1 l2 l3 l4 l5 < <(echo "$stats" | awk '$1 == "all" {print $2, $3, $4, $5, $6, $7}')
fail=0
[ "$total" -ge 350 ] || { echo "FAIL: only $total questions"; fail=1; }
for l in $l1 $l2 $l3 $l4 $l5; do
    [ $((l * 10)) -ge "$total" ] || { echo "FAIL: a level holds $l of $total (< 10%)"; fail=1; }
done
topics=$(echo "$stats" | awk 'NR > 3 && $1 != "all"' | wc -l)
[ "$topics" -ge 26 ] || { echo "FAIL: only $topics topics"; fail=1; }
exit $fail
