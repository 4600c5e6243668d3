#!/bin/bash
# test_cli.sh: `viva irt` and `viva simulate` as a user runs them: a catR case reproduced
# through JSON, every documented input error exits 2 naming the field, and a simulation spec
# gives a report with candidates, a summary and a learning scenario.
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
exit $fail
