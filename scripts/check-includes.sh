#!/usr/bin/env bash
# check-includes.sh: layout rules of src/ that a compiler does not check.
#
#   1. No include cycle between modules. Every `#include "x.h"` in src/**/*.{c,h} is an edge
#      from the including file's module to x.h's module, where a module is a file stem in its
#      folder (src/store/store.c and store.h are the node store/store; a private header
#      x_int.h belongs to module x: the .c files of x share it). A cycle (a includes b,
#      b includes a, or longer) is printed with the file and line of each edge.
#   2. A .c file over 800 lines says why in its first 15 lines, with the marker phrase
#      "Over 800 lines because".
#   3. The pure modules (src/base, src/signal, src/engine, src/content, src/kiosk) include no SDL,
#      PortAudio, LMDB or pthread header, and no header of another folder than the pure ones.
#
# Usage: scripts/check-includes.sh [--exceptions FILE] [SOURCE_DIR]
#   SOURCE_DIR  the repository (default: the one holding this script)
#   FILE        known exceptions, one a line ('#' starts a comment):
#                 cycle: store/store -> store/store_int -> store/store
#                 long: src/store/store_data.c
#               a cycle as printed (modules in order from the alphabetically first), a long file
#               by its path. A listed exception is reported but does not fail; one that no
#               longer occurs fails, so the list cannot go stale.
# Exit status 0 when every rule holds, 1 otherwise (each problem on its own line).
set -euo pipefail

exceptions=
if [ "${1:-}" = --exceptions ]; then
    exceptions=${2:?--exceptions needs a file}
    shift 2
fi
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
src=$root/src
[ -d "$src" ] || { echo "check-includes: $src: no such directory" >&2; exit 1; }

MARKER="Over 800 lines because"
MAX_LINES=800
PURE_DIRS="base signal engine content kiosk"
FORBIDDEN='^(SDL2?/|SDL[_.]|portaudio\.h|pa_[a-z_]*\.h|lmdb\.h|pthread\.h)'

status=0
fail() { echo "check-includes: $*"; status=1; }

declare -A known=() # "cycle: ..." / "long: ..." -> 0 (listed), 1 (seen)
if [ -n "$exceptions" ]; then
    [ -r "$exceptions" ] || { echo "check-includes: $exceptions: cannot read" >&2; exit 1; }
    while IFS= read -r l || [ -n "$l" ]; do
        l=${l%%#*}
        l=$(sed -E 's/[[:space:]]+$//; s/^[[:space:]]+//' <<<"$l")
        [ -z "$l" ] && continue
        case $l in
        "cycle: "* | "long: "*) known[$l]=0 ;;
        *) echo "check-includes: $exceptions: expected 'cycle: A -> B -> A' or 'long: src/FILE.c', got: $l" >&2
           exit 1 ;;
        esac
    done <"$exceptions"
fi

cd "$src"
mapfile -t files < <(find . -type f \( -name '*.c' -o -name '*.h' \) | sed 's|^\./||' | sort)

# Where each header lives (header names are unique: folders are include paths by bare name).
declare -A header_dir=()
for f in "${files[@]}"; do
    case $f in
    *.h)
        b=${f##*/}
        if [ -n "${header_dir[$b]:-}" ]; then
            fail "header $b is in both src/${header_dir[$b]} and src/${f%/*}: #include \"$b\" is ambiguous"
        fi
        header_dir[$b]=${f%/*}
        ;;
    esac
done

# Edges "from to where" (modules as dir/stem), and rule 3 on the way.
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in "${files[@]}"; do
    dir=${f%/*}
    base=${f##*/}
    from=$dir/${base%.*}
    from=${from%_int}
    pure=0
    for p in $PURE_DIRS; do [ "$dir" = "$p" ] && pure=1; done
    while IFS=: read -r line kind name; do
        if [ "$kind" = sys ]; then
            if [ $pure = 1 ] && [[ $name =~ $FORBIDDEN ]]; then
                fail "src/$f:$line: pure module includes <$name> (no SDL, PortAudio, LMDB or threads in src/{${PURE_DIRS// /,}})"
            fi
            continue
        fi
        [[ $name == *.h ]] || continue
        hb=${name##*/}
        hd=${header_dir[$hb]:-}
        if [ -z "$hd" ]; then
            if [ $pure = 1 ] && [[ $name =~ $FORBIDDEN ]]; then
                fail "src/$f:$line: pure module includes \"$name\" (no SDL, PortAudio, LMDB or threads in src/{${PURE_DIRS// /,}})"
            fi
            continue # a system or library header written with quotes
        fi
        if [ $pure = 1 ] && [[ " $PURE_DIRS " != *" $hd "* ]]; then
            fail "src/$f:$line: pure module includes \"$hb\" from src/$hd (pure modules use only src/{${PURE_DIRS// /,}})"
        fi
        to=$hd/${hb%.h}
        to=${to%_int}
        [ "$to" = "$from" ] || echo "$from $to src/$f:$line" >>"$edges"
    done < <(sed -n -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p; s/^[[:space:]]*#[[:space:]]*include[[:space:]]*<([^>]+)>.*/<\1/p' "$f" |
        awk '{ if (substr($0, 1, 1) == "<") print "0:sys:" substr($0, 2); else print "0:usr:" $0 }' |
        paste -d: <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]' "$f" | cut -d: -f1) - |
        awk -F: '{ print $1 ":" $3 ":" $4 }')
done

# Rule 1: cycles. A depth-first search from every module; a back edge closes a cycle, which is
# printed once (rotated to start at its smallest module).
cycles=$(awk '
    { if (!(($1, $2) in seen)) { seen[$1, $2] = $3; n[$1]++; adj[$1, n[$1]] = $2 }; nodes[$1]; nodes[$2] }
    function dfs(u,    i, v, k, c, start, best, j, key, via, nx, h) {
        color[u] = 1; stack[++depth] = u
        for (i = 1; i <= n[u]; i++) {
            v = adj[u, i]
            if (color[v] == 1) {
                for (k = depth; stack[k] != v; k--) ;
                start = k; best = k
                for (j = k; j <= depth; j++) if (stack[j] < stack[best]) best = j
                key = ""; via = ""
                for (j = 0; j <= depth - start; j++) {
                    c = start + (best - start + j) % (depth - start + 1)
                    key = key (j ? " -> " : "") stack[c]
                    nx = (c == depth) ? stack[start] : stack[c + 1]
                    h = nx; sub(/.*\//, "", h)
                    via = via "|    " seen[stack[c], nx] ": #include \"" h ".h\" (module " nx ")"
                }
                key = key " -> " stack[best]
                if (!(key in printed)) { printed[key] = 1; print key "\t" substr(via, 2) }
            } else if (!color[v]) dfs(v)
        }
        color[u] = 2; depth--
    }
    END { for (u in nodes) if (!color[u]) dfs(u) }' "$edges" | sort)

while IFS=$'\t' read -r key via; do
    [ -n "$key" ] || continue
    if [ -n "${known["cycle: $key"]+x}" ]; then
        known["cycle: $key"]=1
        echo "check-includes: known exception: include cycle $key"
    else
        fail "include cycle: $key"
        tr '|' '\n' <<<"$via"
    fi
done <<<"$cycles"

# Rule 2: long files say why.
for f in "${files[@]}"; do
    [[ $f == *.c ]] || continue
    n=$(wc -l <"$f")
    if [ "$n" -gt $MAX_LINES ] && ! head -n 15 "$f" | grep -q "$MARKER"; then
        if [ -n "${known["long: src/$f"]+x}" ]; then
            known["long: src/$f"]=1
            echo "check-includes: known exception: src/$f has $n lines and no reason at its top"
        else
            fail "src/$f: $n lines; split it, or say why in its first 15 lines (\"$MARKER ...\")"
        fi
    fi
done

for k in "${!known[@]}"; do
    [ "${known[$k]}" = 1 ] || fail "$exceptions lists \"$k\", which no longer occurs: remove it"
done

[ $status = 0 ] && echo "check-includes: ${#files[@]} files: no include cycle, long files explained," \
    "pure modules pure (${#known[@]} known exceptions)"
exit $status
