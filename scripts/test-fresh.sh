#!/usr/bin/env bash
# Test stage: the README's two commands on a fresh Debian 12. Builds a bare
# root file system (debootstrap --variant=minbase) from the Debian archive the
# host's apt uses, puts a clean clone of the committed HEAD in it, and runs,
# inside a chroot as root, exactly `bash scripts/run.sh` then
# `bash scripts/test.sh`. Both must pass: whatever they need and do not
# install themselves is missing there.
#
# Usage: test-fresh.sh [--keep]
#   --keep   leave the root file system in build-fresh/root (unmounted) to look into
# Needs root (debootstrap, chroot, mount). Only committed work is tested: the
# clone is of HEAD. The root is unmounted and removed on every exit path,
# interrupts included; a run that finds one left behind cleans it first.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
keep=0
case ${1:-} in
--keep) keep=1 ;;
"") ;;
*) echo "test-fresh.sh: unknown argument '$1'" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "test-fresh.sh: needs root (debootstrap, chroot, mount)" >&2; exit 1; }

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ "$codename" = bookworm ] || { echo "test-fresh.sh: the host is not Debian 12 (bookworm) but '${codename:-unknown}'" >&2; exit 1; }

work=$repo/build-fresh
root=$work/root

# Timing: one line per part, and a summary at the end.
times=()
part_name=
part_start=0
elapsed() { local secs=$(($(date +%s) - $1)); printf '%dm%02ds' $((secs / 60)) $((secs % 60)); }
part() { part_name=$1; part_start=$(date +%s); printf '\n--- fresh: %s\n' "$1"; }
part_done() {
    times+=("$(printf '%-40s %s' "$part_name" "$(elapsed "$part_start")")")
    part_name=
}

# Every mount point at or below the root, deepest first.
mounts_below_root() {
    awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# cleanup [force]: unmount, then remove the root unless --keep (force: even then).
cleanup() {
    local m left p pids=()
    # Whatever still runs inside the root (an interrupted build) goes first.
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && pids+=("${p#/proc/}")
    done
    if [ ${#pids[@]} -gt 0 ]; then
        kill -KILL "${pids[@]}" 2>/dev/null || true
        sleep 1
    fi
    for m in $(mounts_below_root); do
        umount "$m" 2>/dev/null || umount -l "$m" || true
    done
    left=$(mounts_below_root)
    if [ -n "$left" ]; then
        # Never remove a tree that still has the host's /dev or /proc in it.
        echo "test-fresh.sh: still mounted, root left in place: $left" >&2
        return 1
    fi
    if { [ $keep -eq 0 ] || [ "${1:-}" = force ]; } && [ -e "$root" ]; then
        rm -rf --one-file-system "$root"
    fi
}

on_exit() {
    local status=$?
    trap - EXIT INT TERM HUP
    [ -n "$part_name" ] && times+=("$(printf '%-40s %s (did not finish)' "$part_name" "$(elapsed "$part_start")")")
    part "cleanup"
    cleanup || status=1
    part_done
    printf '\n--- fresh: times\n'
    printf '  %s\n' "${times[@]}"
    [ $keep -eq 1 ] && [ -d "$root" ] && echo "  root kept in $root"
    exit $status
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

part "left-overs of an earlier run"
cleanup force
part_done

part "debootstrap on the host"
bash scripts/deps.sh fresh
part_done

# The archive: the host's own sources for this release (the release, its
# updates and security suites), read from its apt configuration.
mapfile -t sources < <(bash scripts/host-apt-sources.sh | awk -v c="$codename" '$2 == c || index($2, c "-") == 1')
[ ${#sources[@]} -gt 0 ] || { echo "test-fresh.sh: no '$codename' source in the host's apt configuration" >&2; exit 1; }
mirror=
for s in "${sources[@]}"; do
    read -r uri suite _ <<<"$s"
    if [ "$suite" = "$codename" ]; then mirror=$uri; break; fi
done
[ -n "$mirror" ] || { echo "test-fresh.sh: the host's apt has no '$codename' suite itself" >&2; exit 1; }

part "debootstrap --variant=minbase $codename"
mkdir -p "$work"
echo "archive: $mirror"
debootstrap --variant=minbase "$codename" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log"; echo "test-fresh.sh: debootstrap failed (log: $work/debootstrap.log)" >&2; exit 1; }
# The same suites as the host, nothing else: a fresh install's sources.
: >"$root/etc/apt/sources.list"
for s in "${sources[@]}"; do
    read -r uri suite comps <<<"$s"
    printf 'deb %s %s %s\n' "$uri" "$suite" "${comps:-main}"
done >"$root/etc/apt/sources.list.d/host.list"
echo "sources:"
sed 's/^/  /' "$root/etc/apt/sources.list.d/host.list"
# How the host reaches the archive (a proxy, if it has one), and its name server.
apt-config dump | grep -iE '^Acquire::[a-z]+::Proxy ' >"$root/etc/apt/apt.conf.d/00host-proxy" || true
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
part_done

part "a clean clone of HEAD"
git clone -q --no-hardlinks "$repo" "$root/root/actfast"
echo "commit: $(git -C "$root/root/actfast" log -1 --format='%h %s')"
part_done

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"

in_root() {
    env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        chroot "$root" /bin/bash -c "cd /root/actfast && $1"
}

status=0
part "bash scripts/run.sh (in the root)"
if in_root "bash scripts/run.sh"; then
    # Its job is the table: a run that exits 0 without one is a failure too.
    [ -s "$root/root/actfast/build/bench/results.md" ] ||
        { echo "FAILED: bash scripts/run.sh wrote no build/bench/results.md"; status=1; }
else
    echo "FAILED: bash scripts/run.sh in the fresh root"
    status=1
fi
part_done

part "bash scripts/test.sh (in the root)"
in_root "bash scripts/test.sh" || { echo "FAILED: bash scripts/test.sh in the fresh root"; status=1; }
part_done

exit $status
