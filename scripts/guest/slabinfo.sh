# SPDX-License-Identifier: GPL-2.0
# Scenario "slabinfo" (issue 14): the kernel's own tools/mm/slabinfo, built
# static from the 6.12 tree (scripts/guest/slabinfo.bins), reads mm_ext's
# caches through SLUB's attribute files once $D/slab is bind-mounted on
# /sys/kernel/slab. Every cache must be listed with the objects, slabs,
# object size, objects per slab and order its stats show, the totals of
# `slabinfo -T` must be theirs, and slabinfo's shrink must reach the caches.
EINVAL="Invalid argument"
C=$D/control
S=$D/slab
SYS=/sys/kernel/slab

# si ARGS...: run slabinfo; its output in /tmp/si.out, shown in the log.
# It must end with 0 and say nothing on stderr.
si() {
	if slabinfo "$@" > /tmp/si.out 2> /tmp/si.err && [ ! -s /tmp/si.err ]; then
		ok "slabinfo $* runs clean"
	else
		bad "slabinfo $* failed: $(head -n 3 /tmp/si.err)"
	fi
	echo "MM_EXT_SAY: slabinfo $*"
	cat /tmp/si.out
}

# st CACHE: its stats as s_<key>, plus s_slabs and s_part as SLUB counts
# them (its partial list holds the empty slabs too); builtins only, as a
# fork is slow under emulation.
st() {
	while read -r k v; do eval "s_$k=\$v"; done < $S/$1/stats
	s_slabs=$((s_nr_full + s_nr_partial + s_nr_empty))
	s_part=$((s_nr_partial + s_nr_empty))
}

# at CACHE FILE...: the first word of each attribute file (a statistic's
# total, without its per-CPU parts), space-separated, in $a.
at() {
	c=$1 a=""
	shift
	for f in "$@"; do
		read -r l _ < $S/$c/$f
		a="$a${a:+ }$l"
	done
}

kmemleak_baseline
load_mm_ext
command -v slabinfo > /dev/null && ok "slabinfo is in the guest" ||
	bad "no slabinfo in the guest: scripts/guest/slabinfo.bins packs it"

# Caches of every kind of layout, each holding objects through a pool's
# reserve (a fixed count), one made to hold objects in CPU arrays and
# partial slabs (a reserve shrunk), one left empty.
ctl "cache create plain 64"
ctl "cache create hw 40 flags=hwcache_align"
ctl "cache create dbg 100 flags=poison,red_zone,store_user"
ctl "cache create rz 24 align=64 flags=red_zone"
ctl "cache create big 3000"
ctl "cache create idle 512"
ctl "pool create pplain 300 slab=plain"
ctl "pool create phw 7 slab=hw"
ctl "pool create pdbg 33 slab=dbg"
ctl "pool create prz 70 slab=rz"
ctl "pool create pbig 5 slab=big"
ctl "pool create pk 20 kmalloc=100"
ctl "pool resize pplain 90"
ctl "pool resize pdbg 20"
ctl "workload start w cache=hw ops=3000 seed=14 slots=50"
wait_state w done
expect "plain holds objects in its CPU arrays" \
	"$(val $S/plain/stats cpu_cached | awk '{ print ($1 > 0) }')" 1

# The attribute files, against stats and against SLUB's formats.
for c in $(ls $S); do
	st $c
	at $c object_size slab_size align objects total_objects
	expect "$c object_size slab_size align objects total_objects" "$a" \
		"$s_object_size $s_size $s_align $s_active_objs $s_total_objs"
	at $c slabs partial cpu_slabs aliases
	expect "$c slabs partial cpu_slabs aliases" "$a" "$s_slabs $s_part 0 0"
	at $c alloc_fastpath alloc_slowpath free_fastpath free_slowpath
	set -- $a
	expect "$c alloc_fastpath + alloc_slowpath" "$(($1 + $2))" "$s_allocs"
	expect "$c free_fastpath + free_slowpath" "$(($3 + $4))" "$s_frees"
	# "total C0=n C1=n": the per-CPU parts add up to the total.
	read -r tot cpus < $S/$c/alloc_fastpath
	sum=0
	for p in $cpus; do sum=$((sum + ${p#C*=})); done
	[ -n "$cpus" ] || sum=$tot
	expect "$c alloc_fastpath's CPUs add up" $sum $tot
done
expect "hw alloc_fastpath is per CPU" \
	"$(grep -cE '^[1-9][0-9]* (C[0-9]+=[1-9][0-9]*)( C[0-9]+=[1-9][0-9]*)*$' $S/hw/alloc_fastpath)" 1
expect "dbg (no CPU arrays) alloc_fastpath" "$(cat $S/dbg/alloc_fastpath)" 0
expect "flags of dbg: poison red_zone store_user sanity_checks hwcache_align" \
	"$(cat $S/dbg/poison $S/dbg/red_zone $S/dbg/store_user $S/dbg/sanity_checks $S/dbg/hwcache_align | xargs)" \
	"1 1 1 1 0"
expect "flags of hw: poison red_zone store_user sanity_checks hwcache_align" \
	"$(cat $S/hw/poison $S/hw/red_zone $S/hw/store_user $S/hw/sanity_checks $S/hw/hwcache_align | xargs)" \
	"0 0 0 0 1"
expect "rz align" "$(cat $S/rz/align)" 64
expect "plain ctor (none: an empty file)" "$(wc -c < $S/plain/ctor)" 0
# With its CPU arrays off, the objects out of partial slabs are what stats
# says the slabs hold, less the full slabs'.
echo 0 > $S/plain/cpu_cache && ok "plain cpu_cache takes 0"
for c in plain dbg; do
	st $c
	at $c objects_partial
	expect "$c objects_partial" "$a" $((s_active_objs - s_nr_full * s_objs_per_slab))
done
refuse "$EINVAL" $S/dbg/validate 1
refuse "$EINVAL" $S/plain/shrink 2

# SLUB's place: a bind mount, as on a real machine (README).
mount --bind $S $SYS && ok "mount --bind $S $SYS" || bad "mount --bind $S $SYS"
expect "caches under $SYS" "$(ls $SYS | xargs)" "$(ls $S | xargs)"

# `slabinfo -z` lists every cache, `slabinfo` those with slabs: name,
# objects, object size, slabs/partial/cpu, objects per slab, order, flags.
si -z
cp /tmp/si.out /tmp/si-z.out
si
listed=0
for c in $(ls $S); do
	st $c
	want="$s_active_objs $s_object_size $s_slabs/$s_part/0 $s_objs_per_slab $s_order"
	got=""
	while read -r n o osz sp dist ops ord rest; do
		[ "$n" = "$c" ] && got="$o $osz $dist $ops $ord"
	done < /tmp/si-z.out
	expect "slabinfo -z: $c" "$got" "$want"
	got=""
	while read -r n o osz sp dist ops ord rest; do
		[ "$n" = "$c" ] && got="$o $osz $dist $ops $ord"
	done < /tmp/si.out
	if [ $s_slabs -gt 0 ]; then
		listed=$((listed + 1))
		expect "slabinfo: $c" "$got" "$want"
	else
		expect "slabinfo: $c, no slabs, not listed" "$got" ""
	fi
done
expect "slabinfo lines" "$(grep -vc '^Name ' /tmp/si.out)" $listed
expect "slabinfo -z lines" "$(grep -vc '^Name ' /tmp/si-z.out)" "$(ls $S | wc -l)"
expect "slabinfo flags of dbg, hw, rz, plain" \
	"$(for c in dbg hw rz plain; do awk -v n=$c '$1 == n { print ($10 == "" ? "-" : $10) }' /tmp/si.out; done | xargs)" \
	"PZFU A ZF -"

# `slabinfo -T` (and -T -B: the same totals in bytes, unrounded): caches
# counted when they have slabs and objects, as slabinfo's totals() counts.
si -T
expect "slabinfo -T: slab caches" "$(awk '/^Slabcaches/ { print $3 }' /tmp/si.out)" "$(ls $S | wc -l)"
active=0 objs=0 nslabs=0 mem=0 used=0
for c in $(ls $S); do
	st $c
	[ $s_active_objs -gt 0 ] && [ $s_slabs -gt 0 ] || continue
	active=$((active + 1)) objs=$((objs + s_active_objs)) nslabs=$((nslabs + s_slabs))
	mem=$((mem + s_slabs * (4096 << s_order)))
	used=$((used + s_active_objs * s_object_size))
done
expect "slabinfo -T: active caches" "$(awk '/^Slabcaches/ { print $NF }' /tmp/si.out)" $active
si -T -B
expect "slabinfo -T -B: objects, slabs, memory, used" \
	"$(awk '$1 == "#Objects" || $1 == "#Slabs" || ($1 == "Memory" && $2 != "used:" && !m++) ||
		$1 == "Used" { print $5 }' /tmp/si.out | xargs)" \
	"$objs $nslabs $mem $used"

# One cache's report, as SLUB's: sizes, slab counts, debug flags.
si -r '^dbg$'
expect "slabinfo -r dbg: objects" \
	"$(sed -n 's/^Slabcache: dbg .*Objects: \([0-9]*\)$/\1/p' /tmp/si.out)" "$(val $S/dbg/stats active_objs)"
st dbg
expect "slabinfo -r dbg: object size and total slabs" \
	"$(awk '/^Object :/ { print $3, $6 }' /tmp/si.out)" "100 $s_slabs"

# slabinfo's shrink writes 1 to every cache's shrink: no empty slab is left.
si -s
expect "empty slabs left after slabinfo -s" \
	"$(for c in $(ls $S); do val $S/$c/stats nr_empty; done | awk '{ s += $1 } END { print s }')" 0

umount $SYS && ok "umount $SYS" || bad "umount $SYS"
expect "the kernel's own caches are back under $SYS" "$([ -e $SYS/kmem_cache ] && echo yes)" yes

# Left mounted across rmmod: the removed directory reads empty, nothing breaks.
mount --bind $S $SYS && ok "mount --bind again"
unload_all
expect "$SYS after rmmod" "$(ls $SYS 2>/dev/null | wc -l)" 0
slabinfo > /tmp/si.out 2>&1
expect "slabinfo after rmmod: exit status, lines" "$? $(wc -l < /tmp/si.out)" "0 0"
umount $SYS && ok "umount $SYS after rmmod" || bad "umount $SYS after rmmod"
kmemleak_check
