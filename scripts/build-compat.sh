#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build mm_ext.ko warning-free against Debian bookworm's stock kernel headers
# (linux-headers-amd64, 6.1), the kernel real users run. The build happens in
# a copy, so the modules built for the test kernel stay as they are.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs linux-headers-amd64 make gcc
hdr=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[^ ,]*' | head -n1)
kdir=/usr/src/$hdr
[ -d "$kdir" ] || die "no $kdir (from linux-headers-amd64)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy_sources "$work"
log "building against $hdr"
out=$(make -C "$kdir" M="$work" W=1 modules 2>&1 || echo "error: build failed")
if grep -qiE 'warning:|error:' <<< "$out" || [ ! -f "$work/mm_ext.ko" ]; then
	echo "$out" >&2
	die "the build against $hdr is not clean"
fi
log "mm_ext.ko builds warning-free against $hdr"
