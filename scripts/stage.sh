#!/usr/bin/env bash
# Runs one test stage between a header and a footer that gives its result and
# how long it took, and exits with the stage's status.
# Usage: stage.sh <title> <command>...
set -uo pipefail
title=$1
shift
printf '\n==== stage %s ====\n' "$title"
start=$(date +%s)
"$@"
status=$?
secs=$(($(date +%s) - start))
result=passed
[ $status -eq 0 ] || result="FAILED (exit $status)"
printf '==== stage %s: %s in %dm%02ds ====\n' "$title" "$result" $((secs / 60)) $((secs % 60))
exit $status
