#!/usr/bin/env bash
# scripts/check-includes.sh on trees made here: a clean tree passes; a two-file cycle, a
# three-module cycle through headers, a long file without its reason, a pure module including
# <pthread.h> or an edge module's header each fail with a message naming the file; exceptions
# silence exactly what they list and fail once stale.
set -uo pipefail
check=$VIVA_SOURCE_DIR/scripts/check-includes.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

expect() { # expect STATUS PATTERN -- ARGS...: run the checker, compare status and output
    local want=$1 pattern=$2
    shift 3
    local out rc
    out=$(bash "$check" "$@" 2>&1)
    rc=$?
    if [ "$rc" != "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
        echo "FAIL: expected status $want and /$pattern/ from: check-includes.sh $*"
        echo "  got status $rc:"
        sed 's/^/    /' <<<"$out"
        failures=$((failures + 1))
    fi
}

tree() { # a fresh clean tree: base (pure) <- store (edge) <- app
    rm -rf "$work/t"
    mkdir -p "$work/t/src/base" "$work/t/src/store" "$work/t/src/app"
    printf '#include <stddef.h>\n' >"$work/t/src/base/rng.h"
    printf '#include "rng.h"\n#include <string.h>\n' >"$work/t/src/base/rng.c"
    printf '#include "rng.h"\n' >"$work/t/src/store/store.h"
    printf '#include "store.h"\n#include <lmdb.h>\n#include <pthread.h>\n' >"$work/t/src/store/store.c"
    printf '#include "store.h"\n#include "rng.h"\n' >"$work/t/src/app/main.c"
}

tree
expect 0 "no include cycle" -- "$work/t"

# Two modules including each other (x.c -> y.h, y.c -> x.h).
tree
printf '#include "y.h"\n' >"$work/t/src/app/x.c"
printf '\n' >"$work/t/src/app/x.h"
printf '#include "x.h"\n' >"$work/t/src/app/y.c"
printf '\n' >"$work/t/src/app/y.h"
expect 1 "include cycle: app/x -> app/y -> app/x" -- "$work/t"
expect 1 'src/app/y.c:1: #include "x.h"' -- "$work/t"

# Three modules in a circle, through headers only, across folders.
tree
printf '#include "store.h"\n' >"$work/t/src/app/a.h"
printf '#include "a.h"\n' >"$work/t/src/app/b.h"
printf '#include "rng.h"\n#include "b.h"\n' >"$work/t/src/store/store.h"
expect 1 "include cycle: app/a -> store/store -> app/b -> app/a" -- "$work/t"

# A private header x_int.h belongs to module x: x.c including it, and it including x.h, is
# no cycle.
tree
printf '#include "store.h"\n' >"$work/t/src/store/store_int.h"
printf '#include "store_int.h"\n' >>"$work/t/src/store/store.c"
expect 0 "no include cycle" -- "$work/t"

# A layer header that includes its module's public header, included by the module's .c.
tree
printf '#include "store.h"\n' >"$work/t/src/store/store_txn.h"
printf '#include "store_txn.h"\n' >>"$work/t/src/store/store.c"
expect 1 "include cycle: store/store -> store/store_txn -> store/store" -- "$work/t"
printf 'cycle: store/store -> store/store_txn -> store/store\n' >"$work/exc"
expect 0 "known exception: include cycle store/store" -- --exceptions "$work/exc" "$work/t"
tree
expect 1 "no longer occurs" -- --exceptions "$work/exc" "$work/t"

# A long file: fails without the reason, passes with it in its first 15 lines, not later.
tree
{ echo '/* long.c */'; for i in $(seq 801); do echo "int v$i;"; done; } >"$work/t/src/app/long.c"
expect 1 "src/app/long.c: 802 lines" -- "$work/t"
printf 'long: src/app/long.c\n' >"$work/exc"
expect 0 "known exception: src/app/long.c" -- --exceptions "$work/exc" "$work/t"
{ echo '/* long.c: Over 800 lines because it is a test. */'; for i in $(seq 801); do echo "int v$i;"; done; } >"$work/t/src/app/long.c"
expect 0 "no include cycle" -- "$work/t"
{ for i in $(seq 20); do echo "int w$i;"; done; echo '/* Over 800 lines because */'; for i in $(seq 801); do echo "int v$i;"; done; } >"$work/t/src/app/long.c"
expect 1 "src/app/long.c: 822 lines" -- "$work/t"

# Pure modules: no threads, SDL, PortAudio or LMDB, and no header from an edge folder.
tree
printf '#include <pthread.h>\n' >>"$work/t/src/base/rng.c"
expect 1 "src/base/rng.c:3: pure module includes <pthread.h>" -- "$work/t"
tree
printf '#include <SDL2/SDL.h>\n' >"$work/t/src/base/draw.h"
expect 1 "src/base/draw.h:1: pure module includes <SDL2/SDL.h>" -- "$work/t"
tree
mkdir -p "$work/t/src/engine"
printf '#include "store.h"\n' >"$work/t/src/engine/cat.c"
expect 1 'src/engine/cat.c:1: pure module includes "store.h" from src/store' -- "$work/t"

# A bad exceptions line is refused.
tree
printf 'cycles: a -> b\n' >"$work/exc"
expect 1 "expected 'cycle: A -> B -> A'" -- --exceptions "$work/exc" "$work/t"

if [ $failures -gt 0 ]; then
    echo "$failures checks of the checker failed"
    exit 1
fi
echo "the checker catches every rule it states"
