# SPDX-License-Identifier: GPL-2.0
# Scenario "demo": a newcomer's walk through the three layers. Each step
# prints one "==>" line saying what to look at. Lines marked MM_EXT_DATA
# feed scripts/plot-demo.sh, which draws the pictures.
C=$D/control

show() {	# TITLE FILE
	echo "\$ cat $2"
	cat "$2"
}

# data TAG FILE: the file's lines, marked for the plotting script.
data() {
	sed "s/^/MM_EXT_DATA $1 /" "$2"
}

# sample SECONDS ZONE: the unusable index every 0.1 s, timestamped in ms.
sample() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	n=0
	while [ $n -lt $(($1 * 10)) ]; do
		now=$(cut -d' ' -f1 /proc/uptime)
		ms=$(awk "BEGIN { printf \"%d\", ($now - $t0) * 1000 }")
		echo "MM_EXT_DATA sample $ms $(awk '{ for (i = 5; i <= NF; i++) printf "%s ", $i }' \
			$D/buddy/$2/unusable_index)"
		usleep 100000
		n=$((n + 1))
	done
}

load_mm_ext
say "1. The buddy allocator. mm_ext is loaded: everything lives under $D"
ls $D
echo "zone create demo 1024" > $C
say "A new zone of 1024 pages is one free order-10 block: the last column of buddyinfo"
show "buddyinfo" $D/buddy/demo/buddyinfo
data before $D/buddy/demo/pagemap
data buddy_before $D/buddy/demo/buddyinfo

say "2. Random allocs and frees (orders 0..5) churn it: the unusable index rises (plotted over time)"
echo "workload start churn zone=demo ops=200000 max_order=5 seed=1 delay_us=200" > $C
sample 3 demo
show "unusable_index" $D/buddy/demo/unusable_index
echo "workload destroy churn" > $C
say "Everything the workload held is back; once the per-CPU page lists are drained, one order-10 block again"
echo "zone drain demo" > $C
show "buddyinfo" $D/buddy/demo/buddyinfo

say "3. Fragmentation: allocate every page, free every other one"
echo "workload start frag fragment=demo" > $C
while [ "$(sed -n 's/^state //p' $D/workload/frag/stats)" != holding ]; do usleep 50000; done
echo "zone drain demo" > $C
say "512 free pages, all single: 512 free order-0 blocks and nothing larger"
show "buddyinfo" $D/buddy/demo/buddyinfo
say "Half the memory is free, yet unusable for any order >= 1 (1.000)"
show "unusable_index" $D/buddy/demo/unusable_index
say "And an order >= 1 request would fail for fragmentation, not lack of memory (towards 1)"
show "extfrag_index" $D/buddy/demo/extfrag_index
say "The page map: 'a' a free single page, 'A' an allocated one"
head -n 2 $D/buddy/demo/pagemap
data after $D/buddy/demo/pagemap
data buddy_after $D/buddy/demo/buddyinfo
echo "workload destroy frag" > $C

say "4. Slab caches: objects carved from the zone's pages, in /proc/slabinfo's format"
echo "cache create demo_obj 200 zone=demo flags=poison,red_zone,store_user" > $C
echo "cache create demo_small 24 zone=demo flags=hwcache_align" > $C
echo "workload start objs cache=demo_obj ops=3000 slots=100" > $C
echo "workload start small cache=demo_small ops=3000 slots=300" > $C
while [ "$(sed -n 's/^state //p' $D/workload/small/stats)" != done ]; do usleep 50000; done
echo "workload stop objs" > $C
grep -E '^(# name|demo_|kmalloc-64 )' $D/slabinfo
say "demo_obj's 200 bytes take 272 with red zones, free pointer and two caller records"

say "5. A mempool riding out 100% injected failure: every element comes from its reserve"
echo "zone create pz 64" > $C
echo "pool create demo_pool 8 page=pz" > $C
echo 100 > $D/buddy/pz/fail/probability
echo "workload start pool pool=demo_pool ops=20000 slots=8" > $C
while [ "$(sed -n 's/^state //p' $D/workload/pool/stats)" != done ]; do usleep 50000; done
say "failures 0, and reserve_allocs = allocs: the reserve carried every allocation"
show "stats" $D/mempool/demo_pool/stats
grep injected_failures $D/buddy/pz/stats

say "6. Guaranteed allocations (mainline 6.18's prefilled sheaves): a workload takes 1..8 objects at a time in a critical section from 8 sheaves of 64 it prefilled before"
echo "zone create sz 512" > $C
echo "cache create demo_sheaf 128 zone=sz" > $C
echo "workload start sheaves prefill=demo_sheaf sheaf=64 slots=100000 ops=100000000 delay_us=100000" > $C
while [ "$(sed -n 's/^prefills //p' $D/workload/sheaves/stats)" -lt 8 ]; do usleep 50000; done
grep -E '^(allocs|failures|prefills|refills|in_sheaves|broken) ' $D/workload/sheaves/stats
say "Now 100% injected failure on sz: a prefill or refill needing a new slab fails (failures rises), yet what the sheaves hold still serves (allocs rises, broken stays 0)"
echo 100 > $D/buddy/sz/fail/probability
sleep 1
grep -E '^(allocs|failures|prefills|refills|in_sheaves|broken) ' $D/workload/sheaves/stats
grep injected_failures $D/buddy/sz/stats
echo "workload destroy sheaves" > $C
echo 0 > $D/buddy/sz/fail/probability

say "7. Misuse is reported, counted and survived: a double free on demo_obj"
echo "workload destroy objs" > $C	# misuse only on a cache nothing else uses
echo "cache misuse demo_obj double_free" > $C
grep '^errors' $D/slab/demo_obj/stats

say "7. A real consumer: mm_ext_blk.ko, a RAM disk whose data pages are its own zone's (issue 15)"
# The zone's free pages every 0.1 s, in the background, while ext4 on the
# disk is written and then emptied and trimmed.
blk_sample() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	while [ ! -e /tmp/blk.stop ]; do
		now=$(cut -d' ' -f1 /proc/uptime)
		echo "$(awk "BEGIN { printf \"%d\", ($now - $t0) * 1000 }") $(sed -n 's/^nr_free_pages //p' $BZ/stats) $(cat /tmp/blk.phase)"
		usleep 100000
	done > /tmp/blk.samples
}
BZ=$D/buddy/mm_ext_blk0
mkdir -p /lib64 /lib/x86_64-linux-gnu /etc /mnt
ln -sf /bin/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
for l in /bin/lib*.so*; do ln -sf "$l" /lib/x86_64-linux-gnu/; done
ln -sf /proc/mounts /etc/mtab
if insmod /modules/mm_ext_blk.ko size_mb=32 min_nr=4 && [ -x /bin/mke2fs ]; then
	say "/dev/mm_ext_blk0: 32 MiB; its zone mm_ext_blk0, its I/O contexts from pool and cache mm_ext_blk0-io"
	grep -E '^(# name|mm_ext_blk0-io )' $D/slabinfo
	/bin/mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 /dev/mm_ext_blk0 && mount -t ext4 /dev/mm_ext_blk0 /mnt
	say "ext4 made and mounted: its journal and inode tables already hold pages"
	show "buddyinfo" $BZ/buddyinfo
	data blk_mounted $BZ/buddyinfo
	echo write > /tmp/blk.phase
	rm -f /tmp/blk.stop
	blk_sample &
	i=0
	while [ $i -lt 20 ]; do
		dd if=/dev/urandom of=/mnt/f$i bs=1M count=1 2> /dev/null
		sync
		i=$((i + 1))
	done
	say "20 files of 1 MiB written: the free pages are gone from the zone"
	show "buddyinfo" $BZ/buddyinfo
	data blk_full $BZ/buddyinfo
	echo trim > /tmp/blk.phase
	rm /mnt/f*
	sync
	sleep 1
	say "rm alone gives nothing back to the disk; fstrim discards the free blocks, and the pages return"
	fstrim -v /mnt
	echo trimmed > /tmp/blk.phase
	sleep 1
	touch /tmp/blk.stop
	wait
	show "buddyinfo" $BZ/buddyinfo
	data blk_trimmed $BZ/buddyinfo
	sed "s/^/MM_EXT_DATA blk $(sed -n 's/^nr_pages //p' $BZ/stats) /" /tmp/blk.samples
	show "mempool stats" $D/mempool/mm_ext_blk0-io/stats
	umount /mnt
	rmmod mm_ext_blk
	say "rmmod mm_ext_blk after umount: every page and object back, its zones, cache and pool gone"
else
	say "(no mm_ext_blk.ko or mke2fs in the guest: step skipped)"
fi

say "rmmod cleans up every zone, cache, pool and workload made from the shell"
unload_all
