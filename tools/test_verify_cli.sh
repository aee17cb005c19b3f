#!/usr/bin/env bash
# ctest: actfast-verify's exit status for what it cannot do. Bad arguments are
# refused (2) rather than read as something else ("2x" threads as 2, an empty
# alpha as 0), and an ISA this machine cannot run is 3, not a pass that
# checked scalar alone.
# Usage: test_verify_cli.sh <actfast-verify>
set -uo pipefail
verify=$1
failures=0

expect() {
    local want=$1
    shift
    # A refused argument taken as valid could start a run of hours: bounded.
    timeout 120 "$verify" "$@" >/dev/null 2>&1
    local got=$?
    if [ "$got" -ne "$want" ]; then
        echo "actfast-verify $*: exit $got, want $want"
        failures=$((failures + 1))
    fi
}

expect 2 --threads 2x
expect 2 --threads 0
expect 2 --alpha ''
expect 2 --alpha nan
expect 2 --op bogus
expect 2 --isa bogus
expect 2 --stride 0
expect 2 --stride
expect 0 --op relu --stride 100000007 --threads 1
for isa in avx2 avx512 neon; do
    # The output whole, then grep: `verify | grep -q` under pipefail fails
    # (and skips the check) whenever grep quits before verify has written all.
    out=$("$verify" --isa "$isa" --op relu --stride 100000007)
    if grep -q "^skip $isa" <<<"$out"; then
        expect 3 --isa "$isa" --op relu --stride 100000007
    fi
done
# An ISA that runs: its lines and scalar's (the reference), nothing else.
lines=$("$verify" --isa scalar --op relu --stride 100000007 | grep -c '^ok ')
[ "$lines" -eq 1 ] || { echo "--isa scalar --op relu: $lines result lines, want 1"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] && echo "actfast-verify command line: as documented"
exit $((failures > 0))
