# SPDX-License-Identifier: GPL-2.0
# Scenario "control": drive mm_ext from the shell as README.md documents,
# asserting on what the files then show; bad input must be refused with the
# right errno and change nothing. Ends with rmmod while objects are alive.
EINVAL="Invalid argument" EEXIST="File exists" ENOENT="No such file"
EBUSY="resource busy" EPERM="not permitted" ENOMEM="Cannot allocate memory"
C=$D/control

kmemleak_baseline

# The control file appears only once what it reaches exists: a watcher that
# writes the moment it appears must find the default zone (made large, so
# slow to make) and the kmalloc caches there already.
(
	while [ ! -e $C ]; do :; done
	if [ -e $D/buddy/default/stats ] && [ -e $D/slab/kmalloc-64/stats ]; then
		echo ready > /tmp/early
	else
		echo "too early: $(ls $D/buddy $D/slab | xargs)" > /tmp/early
	fi
	echo "pool create early 1 kmalloc=64" > $C
) &
watcher=$!
load_mm_ext default_pages=32768 || kill $watcher
wait $watcher
expect "control_appears_after_default_zone_and_kmalloc_caches" "$(cat /tmp/early)" ready
unload_all

load_mm_ext
expect "control lists its commands" "$(grep -c '^zone create' $C)" 1
expect "control lists every command" "$(wc -l < $C)" 13

# Every command of the grammar with 0 .. max+1 arguments: a count outside
# min..max is EINVAL before any argument is used; whatever happens, the next
# command still runs. Lines: OBJECT VERB MIN MAX, then max+1 arguments of
# which the first N are written.
ctl "zone create gz 64"
ctl "cache create gc 64 zone=gz flags=poison,red_zone"
grammar_bad=0
while read -r obj verb min max args; do
	set -- $args
	n=0
	while [ $n -le $((max + 1)) ]; do
		words="" i=0
		for w in "$@"; do
			[ $i -lt $n ] || break
			words="$words $w"
			i=$((i + 1))
		done
		if echo "$obj $verb$words" > $C 2>/tmp/err; then res=accepted; else res=$(cat /tmp/err); fi
		if [ $n -lt $min ] || [ $n -gt $max ]; then
			case "$res" in
			*"$EINVAL"*) ;;
			*) bad "\"$obj $verb$words\" ($n arguments): $res, wanted $EINVAL"
			   grammar_bad=$((grammar_bad + 1)) ;;
			esac
		fi
		n=$((n + 1))
	done
done <<EOF
zone create 2 2 gz2 16 x
zone drain 1 1 gz x
zone destroy 1 1 gz2 x
cache create 2 5 gc2 32 zone=gz align=8 flags=poison x
cache shrink 1 1 gc x
cache misuse 2 2 gc double_free x
cache destroy 1 1 gc2 x
pool create 2 4 gp 1 page=gz order=1 x
pool resize 2 2 gp 2 x
pool destroy 1 1 gp x
workload start 1 7 gw zone=gz ops=10 seed=1 slots=2 max_order=1 delay_us=0 x
workload stop 1 1 gw x
workload destroy 1 1 gw x
EOF
expect "argument_counts_outside_the_grammar_refused" "$grammar_bad" 0
refuse "$EINVAL" $C "zone"
refuse "$EINVAL" $C "cache misuse gc"
refuse "$EINVAL" $C "workload start gw zone=gz zone=gz"
ctl "zone create alive 16"
ctl "zone destroy alive"
expect "gc errors: one double free" "$(val $D/slab/gc/stats errors)" 1
ctl "cache destroy gc"
ctl "zone destroy gz"

# Names that cannot be directories are refused, for every kind of object.
refuse "$EINVAL" $C "zone create .. 16"
refuse "$EINVAL" $C "zone create . 16"
refuse "$EINVAL" $C "cache create . 32"
refuse "$EINVAL" $C "cache create .. 32"
refuse "$EINVAL" $C "pool create .. 1 kmalloc=8"
refuse "$EINVAL" $C "pool create . 1 kmalloc=8"
refuse "$EINVAL" $C "workload start . zone=default ops=10"
refuse "$EINVAL" $C "workload start .. zone=default ops=10"
ctl "zone create ... 16"
expect "zone ... has its directory" "$(val $D/buddy/.../stats nr_pages)" 16
ctl "zone destroy ..."

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
refuse "$EINVAL" $C "cache misuse c1 sideways"
ctl "cache shrink c1"

# The shell frees only what it allocated: misuse only on a cache it made
# and nothing else uses (between the two frees of a double free another
# user of kmalloc-64 could be handed the object).
k64_errors=$(val $D/slab/kmalloc-64/stats errors)
refuse "$EPERM" $C "cache misuse kmalloc-64 double_free"
refuse "$EPERM" $C "cache misuse kmalloc-64 red_zone"
expect "misuse_refused_on_a_cache_the_shell_did_not_make: kmalloc-64 errors" \
	"$(val $D/slab/kmalloc-64/stats errors)" "$k64_errors"
ctl "cache shrink kmalloc-64"

# Each misuse is counted once in the cache's errors, whether the cache
# keeps an empty slab or not, and touches only memory the cache still owns:
# each on a fresh cache, whose one slab goes back to the zone at the first
# free when min_empty is 0 (a write after free would then land in the
# zone). All stay alive until the end, so no cache gets a slab another one
# used (slab_ext does not clear a fresh object's free pointer slot).
ctl "zone create mz 64"
kinds="write_after_free double_free interior foreign red_zone"
for me in 0 1; do
	for kind in $kinds; do
		m=m${me}_$kind
		ctl "cache create $m 64 zone=mz flags=poison,red_zone,store_user"
		echo $me > $D/slab/$m/min_empty && ok "$m min_empty $me"
		ctl "cache misuse $m $kind"
		expect "misuse_counted_once: $kind with min_empty $me" \
			"$(val $D/slab/$m/stats errors)" 1
		expect "$m min_empty restored" "$(cat $D/slab/$m/min_empty)" $me
	done
done
expect "mz zone saw no misuse" "$(val $D/buddy/mz/stats errors)" 0
for me in 0 1; do
	for kind in $kinds; do
		ctl "cache destroy m${me}_$kind"
	done
done
ctl "zone destroy mz"

# Pools.
ctl "pool create p1 4 slab=c1"
expect "p1 curr_nr" "$(val $D/mempool/p1/stats curr_nr)" 4
refuse "$EBUSY" $C "cache destroy c1"
refuse "$EBUSY" $C "cache misuse c1 double_free"
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

# Numbers that do not fit are refused everywhere, never wrapped, and
# change nothing: every writable knob, then the commands' numbers.
echo "10 20 30" > $W && ok "watermarks 10 20 30"
for v in "18446744073709551616 18446744073709551616 18446744073709551617" \
	 "1 2 18446744073709551616" "4294967296 4294967296 4294967297" "-1 2 3" \
	 "1 2 3 4" "1 2 3x"; do
	refuse "$EINVAL" $W "$v"
done
expect "overflowing_watermarks_refused: unchanged" "$(cat $W | xargs)" "min 10 low 20 high 30"
echo off > $W
for k in interval probability min_order times; do
	was=$(cat $F/$k)
	for v in 18446744073709551616 4294967296 -4294967296 99999999999999999999; do
		refuse "$EINVAL" $F/$k $v
	done
	expect "overflowing_fail_$k refused: unchanged" "$(cat $F/$k)" "$was"
done
refuse "$EINVAL" $F/times 2147483648
refuse "$EINVAL" $F/times -2
refuse "$EINVAL" $F/interval -1
for f in $D/buddy/default/pcp_high $D/slab/c1/min_empty $D/slab/kmalloc-64/cpu_cache; do
	was=$(cat $f)
	for v in 18446744073709551616 4294967296 -1 4294967295; do
		refuse "$EINVAL" $f $v
	done
	expect "overflowing_$(basename $f) refused: unchanged" "$(cat $f)" "$was"
done
refuse "$EINVAL" $C "zone create z2 18446744073709551616"
refuse "$EINVAL" $C "cache create c2 4294967296"
refuse "$EINVAL" $C "cache create c2 64 align=18446744073709551616"
refuse "$EINVAL" $C "pool create p4 2147483648 kmalloc=8"
refuse "$EINVAL" $C "pool create p4 1 kmalloc=18446744073709551616"
refuse "$EINVAL" $C "pool create p4 1 page=z1 order=4294967296"
refuse "$EINVAL" $C "pool resize p1 2147483648"
refuse "$EINVAL" $C "pool resize p1 18446744073709551618"
refuse "$EINVAL" $C "workload start w9 zone=z1 ops=4294967297"
refuse "$EINVAL" $C "workload start w9 zone=z1 seed=18446744073709551616"
refuse "$EINVAL" $C "workload start w9 zone=z1 slots=1048577"
refuse "$EINVAL" $C "workload start w9 zone=z1 max_order=18446744073709551617"
refuse "$EINVAL" $C "workload start w9 zone=z1 delay_us=1000001"
expect "p1 min_nr unchanged" "$(val $D/mempool/p1/stats min_nr)" 2

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

# A zone of all the guest's RAM, or of more than half, is refused with
# ENOMEM and one line; the OOM killer never runs.
refuse "$ENOMEM" $C "zone create big 262144"
refuse "$ENOMEM" $C "zone create big 200000"
expect "zone create big: one-line reasons" \
	"$(dmesg | grep -c 'control: zone create big .*no memory')" 2
expect "huge_zone_refused_without_oom: OOM lines" \
	"$(dmesg | grep -ciE 'out of memory|oom-kill')" 0
unload_all
kmemleak_check
