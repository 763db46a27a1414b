#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make shell: boot the test kernel with mm_ext loaded and give the user a
# busybox prompt in the guest. Leaving the shell ends QEMU.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" debug)
"$MM_EXT_TOP/scripts/build-modules.sh" "$kdir" >/dev/null
[ -t 0 ] || die "make shell needs a terminal"
log "booting the test kernel (Ctrl-A X also quits QEMU)"
exec "$MM_EXT_TOP/scripts/qemu-run.sh" -i -k "$kdir" shell
