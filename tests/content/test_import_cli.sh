#!/bin/bash
# test_import_cli.sh: `viva import` and `viva bank` through the real store in a temporary data
# directory: the round trip bank -> store -> export -> bank, failed imports leave the store
# unchanged, every bad input gives a file:line (or file:) message and exit 2, bank list /
# enable / disable / remove, dry-run and JSON output.
set -u
fx="$VIVA_SOURCE_DIR/tests/content/fixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data="$tmp/data"
fails=0
emu=()
[ -n "${VIVA_EMU:-}" ] && read -ra emu <<< "$VIVA_EMU"  # words: qemu-arm -L SYSROOT
viva() { "${emu[@]}" "$VIVA_BIN" --data-dir "$data" "$@"; }
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
expect_rc() { # expect_rc WANT DESCRIPTION -- command...
    local want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" = "$want" ]; then ok "$what (exit $rc)"; else
        bad "$what: exit $rc, expected $want"; cat "$tmp/out" "$tmp/err"; fi
}
has() { # has FILE PATTERN DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: '$2' not in output"; cat "$1"; fi
}
snapshot() { # the whole store as text: every bank's export plus the list
    viva bank list 2>/dev/null
    viva bank list 2>/dev/null | awk 'NR > 1 { print $1 }' | while read -r b; do
        echo "== $b"; viva bank export "$b" 2>/dev/null
    done
}

# ---- round trip: bank -> store -> export -> bank ----
expect_rc 0 "import a bank file" -- viva import --name rt "$fx/round.bank"
has "$tmp/out" "imported 3 questions into bank 'rt'" "import reports the count"
expect_rc 0 "export it" -- viva bank export rt --out "$tmp/rt.bank"
if cmp -s "$fx/round.bank" "$tmp/rt.bank"; then ok "round trip is byte-identical"; else
    bad "round trip differs"; diff "$fx/round.bank" "$tmp/rt.bank"; fi
expect_rc 0 "exported bank passes bank check" -- viva bank check "$tmp/rt.bank"

# ---- a document import, dry run and JSON ----
expect_rc 0 "dry run of the outline fixture" -- viva import --dry-run "$fx/outline.txt"
has "$tmp/out" "10 questions" "dry run counts the questions"
has "$tmp/out" "sub-section \"Indexes\": 3" "dry run counts per sub-section"
has "$tmp/out" "section \"Networking\": 4" "dry run counts per section"
expect_rc 0 "dry run of the headings fixture" -- viva import --dry-run "$fx/headings.md"
has "$tmp/err" "headings.md:28: skipped: table row" "dry run lists a skipped table row with file:line"
has "$tmp/err" "headings.md:34: skipped: 'What would you change" "dry run lists a skipped list item"
has "$tmp/out" "3 blocks skipped" "dry run counts the skipped blocks"
has "$tmp/out" "4 questions (4 with answers)" "heading and table questions counted"
expect_rc 0 "dry run of questions without key points" -- viva import --dry-run "$fx/bullets.md"
has "$tmp/out" "without key points: delivery feedback only" "dry run says which questions get no grade"
expect_rc 0 "JSON of the report fixture" -- viva import --json "$fx/report.md"
n=$(grep -c '"has_answer":' "$tmp/out")
[ "$n" = 4 ] && ok "JSON has one object per question" || bad "JSON objects: $n, expected 4"
[ "$(grep -c '"has_answer":.true' "$tmp/out")" = 2 ] && ok "JSON has_answer" ||
    bad "JSON has_answer count"
has "$tmp/out" '"section":	"Technical Interview"' "JSON names the section"
if [ -d "$data" ] && [ "$(viva bank list | grep -c outline)" != 0 ]; then
    bad "a dry run wrote to the store"; else ok "dry runs write nothing"; fi

# ---- import of every fixture shape, then near-duplicates on a second import ----
for f in bullets.md terms.txt numbered.txt outline.txt report.md plain.txt; do
    expect_rc 0 "import $f" -- viva import "$fx/$f"
done
viva bank list >"$tmp/list"
has "$tmp/list" "outline" "bank named after the file"
awk '$1 == "outline" && $2 == 10 && $3 == "yes"' "$tmp/list" | grep -q . &&
    ok "bank list shows count and enabled flag" || bad "bank list line for outline"
expect_rc 0 "dry run against the store flags near-duplicates" -- viva import --dry-run \
    --name again "$fx/plain.txt"
has "$tmp/out" "near-duplicate (1.00) of plain." "near-duplicate names the stored question"

# ---- failed imports leave the store unchanged ----
snapshot >"$tmp/before"
printf 'ELF\0\0\1binary' >"$tmp/bin.md"
: >"$tmp/empty.md"
printf '## Go\n- What is a slice?\n- Why is the caf\xe9 closed?\n' >"$tmp/latin1.md"
truncate -s 50M "$tmp/big.md" 2>/dev/null || dd if=/dev/zero of="$tmp/big.md" bs=1M count=0 seek=50 2>/dev/null
head -c 1048576 /dev/zero | tr '\0' 'x' >"$tmp/longline.md"
printf '\n## Go\n- What is a goroutine?\n' >>"$tmp/longline.md"
expect_rc 2 "binary file is refused" -- viva import --name rt --replace "$fx/bullets.md" "$tmp/bin.md"
has "$tmp/err" "bin.md:1: NUL byte" "binary: file:line message"
has "$tmp/err" "nothing was written" "binary: nothing written"
expect_rc 2 "empty file is refused" -- viva import "$tmp/empty.md"
has "$tmp/err" "empty.md: the file is empty" "empty: message"
expect_rc 2 "50 MB file is refused" -- viva import "$tmp/big.md"
has "$tmp/err" "big.md: larger than 16 MiB" "50 MB: message"
expect_rc 2 "bank with duplicate ids is refused" -- viva import --name rt --replace "$fx/bad_dup.bank"
has "$tmp/err" "bad_dup.bank:8: duplicate id 'dup.one' (first defined at" "duplicate id: file:line"
expect_rc 2 "bank with a missing field is refused" -- viva import --name rt --replace "$fx/bad_missing.bank"
has "$tmp/err" "bad_missing.bank:1: missing field 'level'" "missing field: file:line"
expect_rc 2 "existing bank without --replace is refused" -- viva import --name rt "$fx/plain.txt"
has "$tmp/err" "already exists" "existing bank: message"
snapshot >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then ok "store unchanged after failed imports"; else
    bad "store changed by a failed import"; diff "$tmp/before" "$tmp/after" | head; fi

# ---- line-level problems are reported with file:line and do not stop the import ----
expect_rc 0 "invalid UTF-8 line is re-read" -- viva import "$tmp/latin1.md"
has "$tmp/err" "latin1.md:3: invalid UTF-8 at byte 17" "invalid UTF-8: file:line"
expect_rc 0 "1 MB line is skipped" -- viva import "$tmp/longline.md"
has "$tmp/err" "longline.md:1: line is 1048576 bytes long" "long line: file:line"

# ---- what the importer stores is valid UTF-8 the bank format holds: export, check, import ----
# (a fuzz finding: an answer line indented with a tab was cut inside its first character)
printf '## Go\n\n- What is a goroutine?\n\n\t\303\251t\303\251: a cheap thread. \n\t.\n\tMore.\n' \
    > "$tmp/tabs.md"
expect_rc 0 "tab-indented answers import" -- viva import "$tmp/tabs.md"
expect_rc 0 "export them" -- viva bank export tabs --out "$tmp/tabs.bank"
expect_rc 0 "the exported bank passes bank check" -- viva bank check "$tmp/tabs.bank"
if iconv -f UTF-8 -t UTF-8 "$tmp/tabs.bank" >/dev/null 2>&1; then ok "export is valid UTF-8"; else
    bad "export is not valid UTF-8"; fi
expect_rc 0 "the export imports again" -- viva import --name tabs --replace "$tmp/tabs.bank"
# A file name that is not UTF-8 would go into the bank (its name, each question's source).
cp "$fx/plain.txt" "$tmp/caf$(printf '\351').txt"
expect_rc 2 "a file name that is not UTF-8 is refused" -- viva import "$tmp/caf$(printf '\351').txt"
has "$tmp/err" "the file name is not UTF-8 text" "file name: message"

# ---- bank check reports every problem ----
expect_rc 2 "bank check on a bad bank" -- viva bank check "$fx/bad_dup.bank" "$fx/bad_missing.bank"
has "$tmp/err" "bad_dup.bank:8:" "bank check: duplicate with line"
has "$tmp/err" "bad_missing.bank:1:" "bank check: missing field with line"
has "$tmp/err" "2 problems in 2 files" "bank check: summary"

# ---- enable / disable / remove ----
expect_rc 0 "disable" -- viva bank disable rt
viva bank list | awk '$1 == "rt" { print $3 }' | grep -qx no && ok "rt disabled" || bad "rt not disabled"
expect_rc 0 "enable" -- viva bank enable rt
viva bank list | awk '$1 == "rt" { print $3 }' | grep -qx yes && ok "rt enabled" || bad "rt not enabled"
expect_rc 3 "disable a bank that does not exist" -- viva bank disable nosuch
has "$tmp/err" "there is no bank 'nosuch'" "missing bank: message"
expect_rc 0 "remove" -- viva bank remove rt
viva bank list | grep -q '^rt ' && bad "rt still listed" || ok "rt removed"
expect_rc 3 "export a removed bank" -- viva bank export rt

echo "$fails failure(s)"
[ "$fails" = 0 ]
