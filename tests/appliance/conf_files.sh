#!/usr/bin/env bash
# conf_files.sh: firmware/viva.conf.example is exactly `viva config --defaults` under its
# comment header (rerun firmware/update-conf-example.sh when config.def changes), and every
# board fragment merges into it (firmware/make-conf.cmake) giving a file viva accepts with
# the board's values. Also: `viva gpio info` without a chip exits 10, not an error.
set -u
src=$VIVA_SOURCE_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
viva() { ${VIVA_EMU:+$VIVA_EMU} "$VIVA_BIN" "$@"; }

sed -n '/^\[/,$p' "$src/firmware/viva.conf.example" > "$tmp/example-body"
HOME=$tmp XDG_CONFIG_HOME=$tmp viva config --defaults > "$tmp/defaults" 2>"$tmp/err" || {
    echo "FAIL: viva config --defaults:"; cat "$tmp/err"; exit 1; }
if ! diff -u "$tmp/example-body" "$tmp/defaults"; then
    echo "FAIL: firmware/viva.conf.example is out of date: run" \
        "firmware/update-conf-example.sh path/to/viva"
    fail=1
else
    echo "ok: viva.conf.example matches viva config --defaults"
fi

for frag in "$src"/board/*.conf; do
    b=$(basename "$frag" .conf)
    if ! cmake -DEXAMPLE="$src/firmware/viva.conf.example" -DBOARD_CONF="$frag" -DBOARD="$b" \
        -DOUT="$tmp/$b.conf" -P "$src/firmware/make-conf.cmake" >"$tmp/err" 2>&1; then
        echo "FAIL: board $b:"; cat "$tmp/err"; fail=1; continue
    fi
    # viva must accept the result, and show the board's values as effective.
    if ! HOME=$tmp XDG_CONFIG_HOME=$tmp viva --config "$tmp/$b.conf" config > "$tmp/$b.eff" \
        2>"$tmp/err"; then
        echo "FAIL: viva rejects the $b configuration:"; cat "$tmp/err"; fail=1; continue
    fi
    # Every key = value of the fragment appears in the effective configuration.
    section=""
    while IFS= read -r line; do
        case "$line" in
        \[*\]) section=$line ;;
        [a-z]*=*)
            key=$(printf '%s' "${line%%=*}" | tr -d ' ')
            val=$(printf '%s' "${line#*=}" | sed 's/^ *//')
            got=$(awk -v s="$section" -v k="$key" '
                /^\[/ { cur = $0 } cur == s && $1 == k { sub(/^[^=]*= ?/, ""); print; exit }' \
                "$tmp/$b.eff")
            if [ "$got" != "$val" ]; then
                echo "FAIL: board $b: $section $key is '$got', fragment says '$val'"; fail=1
            fi
            ;;
        esac
    done < "$frag"
    echo "ok: board $b"
done

# No GPIO chip on this machine (or a name that matches none): exit 10 with a clear sentence.
out=$(HOME=$tmp XDG_CONFIG_HOME=$tmp viva --set gpio.chip=viva-no-such-chip --set gpio.select=13 \
    gpio info 2>&1)
rc=$?
if [ $rc -ne 10 ] || ! printf '%s' "$out" | grep -q 'no GPIO chip matches'; then
    echo "FAIL: viva gpio info without a chip: rc $rc"; echo "$out"; fail=1
else
    echo "ok: viva gpio info without a chip exits 10"
fi
exit $fail
