#!/usr/bin/env bash
# ctest: actfast-verify's output, at a coarse stride, becomes a table with one
# row per result; a failed run's output makes accuracy_table.py fail.
# Usage: test_accuracy_table.sh <actfast-verify> <accuracy_table.py> <python3> <scratch-dir>
set -euo pipefail
verify=$1 table=$2 python=$3 work=$4
mkdir -p "$work"

"$verify" --stride 1000003 >"$work/verify.txt" 2>/dev/null
"$python" "$table" "$work/verify.txt" >"$work/table.md"
cat "$work/table.md"
results=$(sed -n 's/^PASSED: \([0-9]*\) results.*/\1/p' "$work/verify.txt")
rows=$(grep -c '^| [a-z_]* | [^|]* | [^|]* | [a-z0-9]* | [0-9]' "$work/table.md")
[ "$rows" -eq "$results" ] || { echo "table has $rows rows, verify printed $results results"; exit 1; }
grep -q '^| elu | 1 | — | scalar | ' "$work/table.md"
grep -q '^| elu_backward | 3 | hashed | scalar | ' "$work/table.md"
# --by-op: the ISAs of a result on one row, as many rows as (op, alpha, dy) passes.
"$python" "$table" --by-op "$work/verify.txt" >"$work/by_op.md"
grep -q '^| elu | 1 | — | scalar' "$work/by_op.md"
by_op_rows=$(grep -c '^| [a-z_]* | [^|]* | [^|]* | scalar' "$work/by_op.md")
isas=$(grep -c '^ok  *elu  *alpha=1  *dy=' "$work/verify.txt")
[ $((by_op_rows * isas)) -eq "$rows" ] || { echo "--by-op: $by_op_rows rows for $isas ISAs, $rows results"; exit 1; }

# A FAIL line, and a run cut short (no summary), must not make a quiet table.
sed '0,/^ok  /s//FAIL/' "$work/verify.txt" >"$work/failed.txt"
if "$python" "$table" "$work/failed.txt" >/dev/null 2>&1; then echo "a FAIL line went unnoticed"; exit 1; fi
grep -v '^PASSED' "$work/verify.txt" >"$work/cut.txt"
if "$python" "$table" "$work/cut.txt" >/dev/null 2>&1; then echo "a missing summary went unnoticed"; exit 1; fi
echo "accuracy table: $rows rows"
