# timescale.sh: the time scale for test scripts (sourced: . "$VIVA_SOURCE_DIR/tests/timescale.sh").
# VIVA_TEST_TIME_SCALE comes from tests/CMakeLists.txt through ctest (1 natively, more under
# qemu or when raised for a loaded machine); the same factor scales ctest's TIMEOUT, so a
# script's own waits must grow with it too:
#   sleep "$(scaled 2)"              2 s on an idle machine, 8 s at scale 4
#   wait_until 20 test -s "$file"    polls every 0.1 s; fails (status 1) after 20 s, scaled
#   scale_script IN OUT              a `viva run --script` file with its times multiplied
case "${VIVA_TEST_TIME_SCALE:-1}" in
'' | *[!0-9.]* | .* | *.*.*)
    echo "VIVA_TEST_TIME_SCALE=\"$VIVA_TEST_TIME_SCALE\" is not a number: using 1" >&2
    VIVA_TEST_TIME_SCALE=1 ;;
esac
: "${VIVA_TEST_TIME_SCALE:=1}"
export VIVA_TEST_TIME_SCALE

# scaled SECONDS: prints SECONDS times the scale (a decimal number).
scaled() {
    awk -v s="$1" -v f="$VIVA_TEST_TIME_SCALE" 'BEGIN { printf "%g\n", s * (f < 1 ? 1 : f) }'
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds (status 0) or
# SECONDS (scaled) have passed (status 1).
wait_until() {
    local limit end
    limit=$(scaled "$1")
    shift
    end=$(awk -v l="$limit" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", n + l }')
    until "$@"; do
        if awk -v e="$end" -v n="$(date +%s.%N)" 'BEGIN { exit !(n > e) }'; then
            return 1
        fi
        sleep 0.1
    done
}

# scale_script IN OUT: copies a `viva run --script` file, every event's time (the first field,
# in milliseconds) multiplied by the scale; comments and blank lines as they are.
scale_script() {
    awk -v f="$VIVA_TEST_TIME_SCALE" '
        /^[[:space:]]*[0-9]+[[:space:]]/ { t = $1; sub(/^[[:space:]]*[0-9]+/, ""); printf "%d%s\n", t * f, $0; next }
        { print }' "$1" >"$2"
}
