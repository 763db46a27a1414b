#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build mm_ext.ko (and, where the kernel has KUnit, kunit/mm_ext_kunit.ko)
# against KDIR, or against the cached test kernel, building that first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kdir=${1:-}
if [ -z "$kdir" ]; then
	kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" debug)
fi
[ -f "$kdir/Makefile" ] || die "KDIR=$kdir is not a kernel build tree (try /lib/modules/\$(uname -r)/build)"
make -C "$kdir" M="$MM_EXT_TOP" modules
