# SPDX-License-Identifier: GPL-2.0
# Scenario "shell": mm_ext loaded, a root shell for the user; leaving the
# shell (exit or Ctrl-D) powers the guest off.
load_mm_ext
cat <<BANNER

  mm_ext is loaded. Everything it shows is under $D:
    buddy/<zone>/   buddyinfo unusable_index extfrag_index stats pagemap
                    watermarks fail/{interval,probability,min_order,times}
    slab/<cache>/   stats min_empty          slabinfo   (all caches)
    mempool/<pool>/ stats                    workload/<name>/stats
    control         cat it for the commands, e.g.
                    echo "zone create z 1024" > $D/control
  Kernel messages (mm_ext: reports) appear on this console; dmesg has them too.
  exit or Ctrl-D leaves (rmmod runs first).

BANNER
cd $D
setsid cttyhack sh -l
cd /
unload_all
