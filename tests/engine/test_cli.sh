#!/bin/bash
# test_cli.sh: `viva irt` and `viva simulate` as a user runs them: a catR case reproduced
# through JSON, every documented input error exits 2 naming the field, and a simulation spec
# gives a report with candidates, a summary and a learning scenario; `viva simulate --mislevel`
# compares learners with and without recalibration; `viva simulate --second-rater` compares the
# self-grade alone with self-grade and coverage suggestion; `viva bank stats --calibrated` says so
# when there is no store or nothing moved (the listing itself: test_recalib_store.c).
set -u
fail=0
viva() { $VIVA_EMU "$VIVA_BIN" "$@"; }
check() { # check NAME CONDITION-RESULT
    if [ "$2" -ne 0 ]; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi
}

req='{"model":"grm","items":[[1.155994964623824,-0.36435782850092463,0.37669200736571196,1.1089633250424709],[1.1944659524131567,-2.6763559282227787,0.28641154476601977,1.38541531132246],[1.576955589093268,-1.4740972960679135,-0.4464025584823855,0.43127868167749067],[1.2,0,0.5,1]],"responses":[[0,0],[1,1],[2,2]],"thetas":[0,1.5]}'
out=$(echo "$req" | viva irt); rc=$?
check "irt exit 0" $rc
# catR: EAP -0.43658571277035524 (SE 0.6233173497535246), ML -0.6553290757535699
echo "$out" | grep -q '"eap":{"theta":-0.43658571277035[0-9]*,"se":0.6233173497535[0-9]*}'; check "irt eap = catR" $?
echo "$out" | grep -q '"ml":{"theta":-0.65532907[0-9]*,"se":[0-9.]*,"finite":true}'; check "irt ml = catR" $?
echo "$out" | grep -q '"next":{"item":3,'; check "irt next is the unanswered item" $?
echo "$out" | grep -q '"at":\[{"theta":0,"prob":\[\[0.39623063'; check "irt at thetas" $?

expect_usage() { # NAME JSON FIELD-IN-MESSAGE
    err=$(echo "$2" | viva irt 2>&1 >/dev/null); rc=$?
    [ $rc -eq 2 ] && echo "$err" | grep -q "$3"; check "irt rejects $1 ($err)" $?
}
expect_usage "bad JSON" '{"model":' "request"
expect_usage "unknown model" '{"model":"rasch","items":[[1,0]]}' "model"
expect_usage "wrong parameter count" '{"model":"2pl","items":[[1,0,2]]}' "items\[0\]"
expect_usage "unordered GRM thresholds" '{"model":"grm","items":[[1,1,0]]}' "items\[0\]"
expect_usage "index out of range" '{"model":"2pl","items":[[1,0]],"responses":[[3,0]]}' "responses\[0\]"
expect_usage "category out of range" '{"model":"2pl","items":[[1,0]],"responses":[[0,2]]}' "responses\[0\]"
expect_usage "bad prior" '{"model":"2pl","items":[[1,0]],"prior":{"sd":0}}' "prior"

spec='{"model":"grm","items":[[1.2,-3,-2,-1],[1.2,-2,-1,0],[1.2,-1,0,1],[1.2,0,1,2],[1.2,1,2,3],[1.5,-2.5,-1.5,-0.5],[1.5,-0.5,0.5,1.5],[1.5,0.5,1.5,2.5],[0.9,-1.5,-0.5,0.5],[0.9,1.5,2.5,3.5]],"topics":[0,1,0,1,0,1,0,1,0,1],"thetas":[-1,0,1],"stop":{"se":0.3,"max":5},"seed":3,"learning":{"sessions":4,"per_session":3}}'
out=$(echo "$spec" | viva simulate); rc=$?
check "simulate exit 0" $rc
echo "$out" | grep -q '"summary":{"candidates":3,"mean_length":5,'; check "simulate summary" $?
echo "$out" | grep -q '"learning":{"sessions":\[{"session":1,'; check "simulate learning" $?
out2=$(echo "$spec" | viva simulate)
[ "$out" = "$out2" ]; check "simulate is deterministic for a seed" $?
err=$(echo '{"items":[[1,0]],"model":"2pl","stop":{"se":-1},"thetas":[0]}' | viva simulate 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "stop.se"; check "simulate rejects stop.se ($err)" $?
# The recalibration experiment on the 300-question level bank, 6 learners to keep it quick.
fix=$VIVA_SOURCE_DIR/tests/engine/fixtures/levels300.json
small=$(sed 's/"candidates":20/"candidates":6/' "$fix")
out=$(echo "$small" | viva simulate --mislevel 30); rc=$?
check "simulate --mislevel exit 0" $rc
echo "$out" | grep -q '"mislevel":{"questions":30,"candidates":6,"sessions":30,"answers":1800,'; check "mislevel header" $?
echo "$out" | grep -q '"without":{"rmse":[0-9.]*,"bias":-\?[0-9.]*,"rmse_second_half":[0-9.]*},"with":{"rmse":'; check "mislevel arms" $?
echo "$out" | grep -q '"shifts":{"mislevelled_answered":[0-9]*,"rmse_without":[0-9.]*,"rmse":[0-9.]*,'; check "mislevel shift recovery" $?
# Recovered shifts are closer to the true offsets than no recalibration (the offsets themselves).
rw=$(echo "$out" | sed -n 's/.*"shifts":{[^}]*"rmse_without":\([0-9.e+-]*\),"rmse":\([0-9.e+-]*\),.*/\1 \2/p')
awk -v v="$rw" 'BEGIN { split(v, a, " "); exit !(a[1] > 0 && a[2] < 0.9 * a[1]) }'
check "mislevel shifts recover the offsets ($rw)" $?
out2=$(echo "$small" | viva simulate --mislevel 30)
[ "$out" = "$out2" ]; check "simulate --mislevel is deterministic for a seed" $?
err=$(echo "$small" | viva simulate --mislevel many 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "mislevel"; check "simulate rejects --mislevel many ($err)" $?
err=$(echo '{"items":[[1,0]],"model":"2pl"}' | viva simulate --mislevel 3 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "only 1 questions"; check "simulate rejects more mis-levelled than questions ($err)" $?

# --second-rater: the learning scenario graded by a noisy self-grade and the coverage suggestion.
out=$(viva simulate --second-rater "$fix"); rc=$?
check "simulate --second-rater exit 0" $rc
echo "$out" | grep -q '"second_rater":{"seeds":10,"sessions":30,"last_sessions":20,"answers":3000,"self_exact":0.65,"self_up":0.5,"self_edge":"clip","coverage_exact":0.75,"coverage_edge":"turn","coverage_weight":0.5,'; check "second-rater header and defaults" $?
echo "$out" | grep -q '"self_only":{"rmse":[0-9.]*,"bias":-\?[0-9.e-]*,"worst_rmse":[0-9.]*},"both":{"rmse":[0-9.]*,"bias":-\?[0-9.e-]*,"worst_rmse":[0-9.]*},"both_better_seeds":[0-9]*,"per_seed":\[{"seed":1,'; check "second-rater arms" $?
out2=$(viva simulate --second-rater "$fix")
[ "$out" = "$out2" ]; check "simulate --second-rater is deterministic for a seed" $?
# A perfect second rater and a poor self-grade: the estimate from both must track better.
perfect=$(sed 's/^{"model":"grm",/{"model":"grm","raters":{"self_exact":0.5,"coverage_exact":1},/' "$fix")
rr=$(echo "$perfect" | viva simulate --second-rater | sed -n 's/.*"self_only":{"rmse":\([0-9.e+-]*\),.*"both":{"rmse":\([0-9.e+-]*\),.*"both_better_seeds".*/\1 \2/p')
awk -v v="$rr" 'BEGIN { split(v, a, " "); exit !(a[1] > 0 && a[2] < a[1] - 0.01) }'
check "a perfect second rater beats a noisy self-grade ($rr)" $?
err=$(sed 's/^{"model":"grm",/{"model":"grm","raters":{"coverage_exact":1.5},/' "$fix" | viva simulate --second-rater 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "raters.coverage_exact"; check "second-rater rejects coverage_exact 1.5 ($err)" $?
err=$(sed 's/^{"model":"grm",/{"model":"grm","raters":{"self_edge":"wrap"},/' "$fix" | viva simulate --second-rater 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "raters.self_edge"; check "second-rater rejects self_edge wrap ($err)" $?
err=$(viva simulate --second-rater --mislevel 3 "$fix" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && echo "$err" | grep -q "one"; check "second-rater and mislevel are exclusive ($err)" $?

# bank stats --calibrated: no store, then a store with no answers yet.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config VIVA_ASSET_DIR=${VIVA_ASSET_DIR:-$VIVA_SOURCE_DIR/assets}
out=$(viva --data-dir "$work/data" bank stats --calibrated); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "no recalibration: there is no store"; check "calibrated without a store ($out)" $?
viva --data-dir "$work/data" profiles add ann >/dev/null 2>&1
out=$(viva --data-dir "$work/data" bank stats --calibrated); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "no question has moved: no graded answers"; check "calibrated with no answers ($out)" $?
viva --data-dir "$work/data" bank stats --calibrated extra >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]; check "calibrated takes no file" $?
exit $fail
