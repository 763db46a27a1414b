# SPDX-License-Identifier: GPL-2.0
# Scenario "control": drive mm_ext from the shell as README.md documents,
# asserting on what the files then show; bad input must be refused with the
# right errno and change nothing. Ends with rmmod while objects are alive.
EINVAL="Invalid argument" EEXIST="File exists" ENOENT="No such file"
EBUSY="resource busy" EPERM="not permitted" ENOMEM="Cannot allocate memory"
C=$D/control

kmemleak_baseline
load_mm_ext
expect "control lists its commands" "$(grep -c '^zone create' $C)" 1

# Zones.
ctl "zone create z1 1000"
expect "z1 nr_pages" "$(val $D/buddy/z1/stats nr_pages)" 1000
expect "z1 nr_free_pages" "$(val $D/buddy/z1/stats nr_free_pages)" 1000
expect "z1 buddyinfo" "$(cat $D/buddy/z1/buddyinfo)" \
	"Node 0, zone       z1      0      0      0      1      0      1      1      1      1      1      0 "
refuse "$EEXIST" $C "zone create z1 10"
refuse "$EINVAL" $C "zone create z2 abc"
refuse "$EINVAL" $C "zone create z2 0"
refuse "$EINVAL" $C "zone create"
refuse "$EINVAL" $C "zone create a/b 16"
refuse "$ENOMEM" $C "zone create z2 99999999999"
refuse "$ENOENT" $C "zone destroy nope"
refuse "$EPERM" $C "zone destroy default"
refuse "$EINVAL" $C "frobnicate z1"
refuse "$EINVAL" $C "$(printf 'x%.0s' $(seq 1 300))"
expect "no zone z2 was made" "$(ls $D/buddy)" "default
z1"

# Caches.
ctl "cache create c1 100 zone=z1 flags=poison,red_zone,store_user"
# 8 left red zone + 104 object and right red zone + 8 free pointer + 2 * 24 tracks
expect "c1 stride" "$(val $D/slab/c1/stats size)" 168
expect "c1 in slabinfo" "$(grep -c '^c1 ' $D/slabinfo)" 1
refuse "$EINVAL" $C "cache create c2 100 flags=bogus"
refuse "$EINVAL" $C "cache create c2 0"
refuse "$EINVAL" $C "cache create c2 64 align=3"
refuse "$EINVAL" $C "cache create c2 64 colour=blue"
refuse "$ENOENT" $C "cache create c2 64 zone=nope"
refuse "$EEXIST" $C "cache create kmalloc-64 64"
refuse "$EPERM" $C "cache destroy kmalloc-64"
refuse "$EBUSY" $C "zone destroy z1"
echo 0 > $D/slab/c1/min_empty && ok "min_empty takes 0"
refuse "$EINVAL" $D/slab/c1/min_empty "lots"
expect "c1 min_empty" "$(cat $D/slab/c1/min_empty)" 0

# Misuse on purpose: each one reported and counted, the cache still fine.
ctl "cache misuse c1 double_free"
ctl "cache misuse c1 red_zone"
ctl "cache misuse c1 write_after_free"
ctl "cache misuse c1 interior"
ctl "cache misuse c1 foreign"
expect "c1 errors" "$(val $D/slab/c1/stats errors)" 5
expect "c1 quarantined" "$(val $D/slab/c1/stats quarantined)" 2
refuse "$EINVAL" $C "cache misuse kmalloc-64 red_zone"
refuse "$EINVAL" $C "cache misuse c1 sideways"
ctl "cache shrink c1"

# Pools.
ctl "pool create p1 4 slab=c1"
expect "p1 curr_nr" "$(val $D/mempool/p1/stats curr_nr)" 4
refuse "$EBUSY" $C "cache destroy c1"
ctl "pool create p2 4 page=z1 order=2"
ctl "pool create p3 2 kmalloc=300"
expect "p3 elem_size" "$(val $D/mempool/p3/stats elem_size)" 300
refuse "$EINVAL" $C "pool create p4 2"
refuse "$EINVAL" $C "pool create p4 2 slab=c1 page=z1"
refuse "$EINVAL" $C "pool create p4 -1 slab=c1"
refuse "$EINVAL" $C "pool create p4 2 page=z1 order=11"
refuse "$EINVAL" $C "pool create p4 2 kmalloc=64 order=1"
refuse "$ENOENT" $C "pool create p4 2 slab=nope"
ctl "pool resize p1 8"
expect "p1 grown" "$(val $D/mempool/p1/stats curr_nr)" 8
refuse "$EINVAL" $C "pool resize p1 x"
ctl "pool resize p1 2"
expect "p1 shrunk" "$(val $D/mempool/p1/stats curr_nr)" 2

# Zone knobs.
W=$D/buddy/z1/watermarks
echo "10 20 30" > $W && ok "watermarks take MIN LOW HIGH"
expect "z1 wmark_low" "$(val $D/buddy/z1/stats wmark_low)" 20
refuse "$EINVAL" $W "30 20 10"
refuse "$EINVAL" $W "10 20"
expect "z1 watermarks unchanged" "$(val $W low)" 20
echo off > $W && ok "watermarks off"
F=$D/buddy/z1/fail
refuse "$EINVAL" $F/probability 101
refuse "$EINVAL" $F/times -2
refuse "$EINVAL" $F/min_order 11
expect "probability unchanged" "$(cat $F/probability)" 0

# Workloads.
ctl "workload start w1 zone=z1 ops=20000 seed=7 max_order=4"
wait_state w1 done
expect "w1 gave everything back" "$(val $D/workload/w1/stats held)" 0
expect "w1 allocs = frees" "$(val $D/workload/w1/stats allocs)" "$(val $D/workload/w1/stats frees)"
refuse "$EEXIST" $C "workload start w1 zone=z1"
refuse "$ENOENT" $C "workload start w9 zone=nope"
refuse "$EINVAL" $C "workload start w9"
refuse "$EINVAL" $C "workload start w9 zone=z1 cache=c1"
refuse "$EINVAL" $C "workload start w9 zone=z1 ops=0"
refuse "$EINVAL" $C "workload start w9 zone=z1 speed=11"

# A pool riding out 100% injected failure: everything from the reserve.
echo 100 > $F/probability && echo -1 > $F/times && ok "z1 fails every allocation"
ctl "workload start w2 pool=p2 ops=5000 slots=4"
wait_state w2 done
expect "w2 failures" "$(val $D/workload/w2/stats failures)" 0
expect "p2 reserve back to min_nr" "$(val $D/mempool/p2/stats curr_nr)" 4
[ "$(val $D/mempool/p2/stats reserve_allocs)" -gt 0 ] && ok "p2 served from its reserve"
echo 0 > $F/probability && ok "z1 injection off"
refuse "$EBUSY" $C "pool destroy p2"

# Fragmentation: every other page of a fresh zone held.
ctl "zone create z3 256"
ctl "workload start f1 fragment=z3"
wait_state f1 holding
expect "z3 free order-0 blocks" "$(val $D/buddy/z3/stats nr_free_0)" 128
# mm/vmstat.c: 1000 - (1000 + 128 * 1000 / 2) / 128 = 493
expect "z3 extfrag order 1" "$(awk '{print $6}' $D/buddy/z3/extfrag_index)" "0.493"
ctl "workload stop f1"
wait_state f1 stopped
expect "z3 whole again" "$(val $D/buddy/z3/stats nr_free_8)" 1

# Teardown in dependency order; more is left for rmmod to clean up.
ctl "workload destroy w1"
ctl "workload destroy w2"
ctl "pool destroy p1"
ctl "pool destroy p2"
ctl "cache destroy c1"
ctl "zone destroy z1"
expect "z1 gone" "$(ls $D/buddy | grep -c '^z1$')" 0

# Per-CPU tiers: knobs, drain, and the counts they show.
expect "default has per-CPU page lists" "$(cat $D/buddy/default/pcp_high)" 64
ctl "zone drain default"
expect "default nr_pcp after drain" "$(val $D/buddy/default/stats nr_pcp)" 0
refuse "$EINVAL" $D/buddy/default/pcp_high 65
echo 0 > $D/slab/kmalloc-64/cpu_cache && ok "cpu_cache takes 0"
expect "kmalloc-64 cpu_cache" "$(val $D/slab/kmalloc-64/stats cpu_cache)" 0
refuse "$EINVAL" $D/slab/kmalloc-64/cpu_cache 129
refuse "$ENOENT" $C "zone drain nope"
# Every file is root-only: no bits for group or others, and no one else may write.
ctl "cache create perm 32"
ctl "pool create perm 1 kmalloc=16"
ctl "workload start perm cache=perm ops=10"
bad_modes=$(find $D -type f -exec stat -c '%a %n' {} + | grep -vE '^(400|600|200) ')
expect "files with other modes than 0400/0600/0200" "$bad_modes" ""
expect "files checked" "$(find $D -type f | wc -l | awk '$1 > 60 { print "many" }')" many
ctl "workload start w3 zone=z3 ops=1000000000 delay_us=100"
unload_all
kmemleak_check
