# SPDX-License-Identifier: GPL-2.0
# Scenario "blk" (issue 15): mm_ext_blk.ko, a blk-mq RAM disk whose request
# contexts come from a mempool_ext pool over a slab_ext cache and whose data
# pages come from its own buddy_sim zone, under Debian's mke2fs and e2fsck
# (scripts/guest/blk.bins packs them with their libraries). Each "Done when"
# of the issue is asserted here:
#   1. ext4 on the disk, two writers, thousands of files of seeded random
#      sizes, sync, umount, e2fsck -fn clean, remount, every sha256 matches;
#   2. the same with 100% injected failure under the pool, min_nr 1: no I/O
#      error, clean, every hash, the pool's reserve_allocs and waits > 0;
#   3. the same injection on the plain cache (reserve=0): every request that
#      finds no context fails with an I/O error, mke2fs fails, the disk
#      works again once the injection stops (as README.md states);
#   4. filling past the zone (the raw disk): I/O errors from the block
#      layer only; on ext4, rm + fstrim give the zone's pages back;
#   5. rmmod refused while mounted; after umount both modules unload, the
#      zone whole again and nothing leaked (kmemleak).
# Parameters are checked first: each bad value one line, nothing made.
# MM_EXT_BLK_SEED=N (kernel command line) repeats a run's file sizes;
# MM_EXT_BLK_FILES=N sets the files per writer (default 1000: two writers
# make the thousands, 2,000 files in each ext4 run).
BLK=/dev/mm_ext_blk0
# Debian's tools by their path: busybox's sh prefers its own applets (its
# mke2fs is not e2fsprogs').
MKE2FS=/bin/mke2fs
E2FSCK=/bin/e2fsck
# kmod runs as the tool its name says: rmmod through a link of that name.
KMOD_RMMOD=/kmod/rmmod
KO=/modules/mm_ext_blk.ko
Z=$D/buddy/mm_ext_blk0
ZIO=$D/buddy/mm_ext_blk0-io
SC=$D/slab/mm_ext_blk0-io
P=$D/mempool/mm_ext_blk0-io
SIZE=160
NFILES=${MM_EXT_BLK_FILES:-1000}
SEED=${MM_EXT_BLK_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "blk seed: $SEED (MM_EXT_BLK_SEED=$SEED repeats it), $NFILES files per writer"

# The libraries blk.bins packed into /bin, where the dynamic loader looks.
mkdir -p /lib64 /lib/x86_64-linux-gnu /etc /mnt
ln -sf /bin/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
for l in /bin/lib*.so*; do ln -sf "$l" /lib/x86_64-linux-gnu/; done
ln -sf /proc/mounts /etc/mtab
mkdir -p /kmod && ln -sf /bin/kmod $KMOD_RMMOD

# num WHAT VALUE: VALUE must be a number greater than 0.
positive() {
	if [ "${2:-0}" -gt 0 ] 2>/dev/null; then ok "$1 = $2 > 0"; else bad "$1 = $2, wanted > 0"; fi
}

# A kernel log of this step only: dmesg -c empties the ring (the console
# the host reads keeps everything).
klog_reset() { dmesg -c > /dev/null; }

# nothing_else STEP: no kernel line but those a failed I/O is allowed.
nothing_else() {
	if dmesg | grep -E 'BUG|WARNING|KASAN|lockdep|Call Trace|EXT4-fs error|Aborting journal|JBD2: .*error|mm_ext: .*(leak|bad free)' > /tmp/k.bad; then
		bad "$1: the kernel said: $(head -n 2 /tmp/k.bad)"
	else
		ok "$1: the kernel log holds no oops, warning, sanitizer, lock, ext4 or mm_ext report"
	fi
}

blk_load() {
	if insmod $KO "$@" 2> /tmp/err; then ok "insmod mm_ext_blk $*"; else
		bad "insmod mm_ext_blk $*: $(cat /tmp/err)"; return 1; fi
	i=0
	while [ ! -b $BLK ] && [ $i -lt 50 ]; do usleep 100000; i=$((i + 1)); done
	[ -b $BLK ] && ok "$BLK is there" || bad "no $BLK"
}

blk_unload() {
	if rmmod mm_ext_blk 2> /tmp/err; then ok "rmmod mm_ext_blk ($1)"; else
		bad "rmmod mm_ext_blk ($1): $(cat /tmp/err)"; fi
	[ ! -d $Z ] && [ ! -d $SC ] && [ ! -d $P ] && [ ! -d $ZIO ] &&
		ok "$1: the disk's zones, cache and pool are gone" ||
		bad "$1: objects left after rmmod: $(ls -d $Z $ZIO $SC $P 2>/dev/null)"
	if dmesg | grep -E 'mm_ext: .*(leak|still allocated)' > /tmp/k.bad; then
		bad "$1: destroyed with something out: $(head -n 2 /tmp/k.bad)"
	else
		ok "$1: zones, cache and pool destroyed with nothing out"
	fi
}

# writer SEED N DIR: N files of seeded random sizes 0..1 MiB: 0..2^k-1
# bytes, k drawn from 0..20 for one file in ten and from 0..12 for the
# rest, so many small files and some large ones (about 5 KiB on average:
# 2 x 1000 files are about 10 MiB, which the emulated debug kernel writes,
# reads back and hashes in well under a minute). One awk process a writer (a fork per file is
# slow under emulation): each file is its name, size and seed, then a slice
# at a random offset of /tmp/blob (1.5 MiB of /dev/urandom in base64), so
# no two files are alike. A failed write ends awk with a message.
writer() {
	awk -v seed="$1" -v n="$2" -v dir="$3" 'BEGIN {
		getline blob < "/tmp/blob"
		srand(seed)
		for (i = 0; i < n; i++) {
			k = rand() < 0.1 ? int(rand() * 21) : int(rand() * 13); p = 1
			for (j = 0; j < k; j++) p *= 2
			s = int(rand() * p); off = int(rand() * 1048576) + 1
			f = dir "/f" i
			data = sprintf("%s %d %d\n", f, s, seed) substr(blob, off, s)
			printf "%s", substr(data, 1, s) > f
			close(f)
		}
	}' || echo "writer $3 failed"
}

# fs_run TAG: issue 15's first "Done when", end to end; leaves the disk
# unmounted. Returns after the first step that fails.
fs_run() {
	tag=$1
	if $MKE2FS -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 $BLK > /tmp/mkfs.out 2>&1; then
		ok "$tag: mke2fs -t ext4"
	else
		bad "$tag: mke2fs: $(tail -n 3 /tmp/mkfs.out)"; return 1
	fi
	mount -t ext4 $BLK /mnt && ok "$tag: mounted" || { bad "$tag: mount"; return 1; }
	mkdir /mnt/w0 /mnt/w1
	[ -s /tmp/blob ] || head -c 1572864 /dev/urandom | base64 -w 0 > /tmp/blob
	t0=$(cut -d. -f1 /proc/uptime)
	writer $((SEED)) "$NFILES" /mnt/w0 > /tmp/w0.err 2>&1 &
	writer $((SEED + 1)) "$NFILES" /mnt/w1 > /tmp/w1.err 2>&1 &
	wait
	sync
	t1=$(cut -d. -f1 /proc/uptime)
	n=$(find /mnt/w0 /mnt/w1 -type f | wc -l)
	if [ ! -s /tmp/w0.err ] && [ ! -s /tmp/w1.err ] && [ "$n" -eq $((2 * NFILES)) ]; then
		ok "$tag: two writers wrote $n files, synced ($((t1 - t0)) s, $(du -sm /mnt | cut -f1) MiB)"
	else
		bad "$tag: writers: $n files, $(cat /tmp/w0.err /tmp/w1.err | head -n 2)"
	fi
	# What the writers wrote, as the page cache holds it; after the remount
	# the same files come from the disk.
	(cd /mnt && find w0 w1 -type f | sort | xargs -r sha256sum) < /dev/null > /tmp/sums
	# rmmod while mounted: kmod's rmmod (what a user runs) sees the
	# module's reference count and refuses with its -EBUSY, "is in use",
	# exit status 1, without calling delete_module(2); the kernel itself,
	# asked anyway (busybox's rmmod calls delete_module(2) at once),
	# refuses with EWOULDBLOCK (EAGAIN). Either way nothing changes: the
	# module stays loaded and the disk mounted.
	$KMOD_RMMOD mm_ext_blk > /tmp/err 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'ERROR: Module mm_ext_blk is in use$' /tmp/err; then
		ok "$tag: kmod's rmmod while mounted: exit 1, $(cat /tmp/err)"
	else
		bad "$tag: kmod's rmmod while mounted: exit $rc, $(cat /tmp/err)"
	fi
	if rmmod mm_ext_blk 2> /tmp/err; then
		bad "$tag: delete_module(mm_ext_blk) succeeded while mounted"
		return 1
	fi
	grep -q 'Resource temporarily unavailable' /tmp/err &&
		ok "$tag: delete_module(mm_ext_blk) while mounted: EAGAIN ($(cat /tmp/err))" ||
		bad "$tag: delete_module(mm_ext_blk) while mounted: $(cat /tmp/err), wanted EAGAIN"
	grep -q '^mm_ext_blk ' /proc/modules && grep -q "^$BLK /mnt ext4 " /proc/mounts &&
		ok "$tag: after both refusals mm_ext_blk is loaded and $BLK mounted" ||
		bad "$tag: after the refused rmmod: $(grep mm_ext /proc/modules; grep /mnt /proc/mounts)"
	$KMOD_RMMOD mm_ext > /tmp/err 2>&1
	rc=$?
	[ $rc -eq 1 ] && grep -q 'ERROR: Module mm_ext is in use by: mm_ext_blk' /tmp/err &&
		ok "$tag: kmod's rmmod mm_ext refused while mm_ext_blk uses it ($(cat /tmp/err))" ||
		bad "$tag: kmod's rmmod mm_ext under mm_ext_blk: exit $rc, $(cat /tmp/err)"
	rmmod mm_ext 2> /dev/null && bad "$tag: rmmod mm_ext succeeded under mm_ext_blk" ||
		ok "$tag: delete_module(mm_ext) refused while mm_ext_blk uses it"
	umount /mnt && ok "$tag: umount" || { bad "$tag: umount"; return 1; }
	$E2FSCK -fn $BLK > /tmp/fsck.out 2>&1
	rc=$?
	expect "$tag: e2fsck -fn exit status (0: clean)" "$rc" 0
	[ $rc -eq 0 ] || tail -n 20 /tmp/fsck.out
	mount -t ext4 $BLK /mnt && ok "$tag: remounted" || { bad "$tag: remount"; return 1; }
	(cd /mnt && sha256sum -c /tmp/sums) < /dev/null > /tmp/check.out 2>&1
	rc=$?
	good=$(grep -c ': OK$' /tmp/check.out)
	if [ $rc -eq 0 ] && [ "$good" -eq $((2 * NFILES)) ]; then
		ok "$tag: every file's sha256 matches after the remount ($good files)"
	else
		bad "$tag: sha256 after remount: $good of $((2 * NFILES)) match: $(grep -v ': OK$' /tmp/check.out | head -n 2)"
	fi
	umount /mnt
}

kmemleak_baseline
load_mm_ext
[ -x $MKE2FS ] && [ -x $E2FSCK ] && $MKE2FS -V 2>&1 | grep -q "EXT2FS Library" &&
	ok "mke2fs and e2fsck are in the guest" || bad "no mke2fs/e2fsck: scripts/guest/blk.bins packs them"
$KMOD_RMMOD -V 2>&1 | grep -q '^kmod version' && ok "kmod's rmmod is in the guest ($($KMOD_RMMOD -V | head -n 1))" ||
	bad "no kmod rmmod: scripts/guest/blk.bins packs it"

# --- Parameters: each bad value is one line and nothing is registered.
for p in size_mb=0 size_mb=4097 zone_mb=65 min_nr=0 min_nr=4097 queue_depth=0 \
	 queue_depth=1025 hw_queues=0 hw_queues=99 latency_us=1000001; do
	klog_reset
	if insmod $KO size_mb=64 $p 2> /dev/null; then
		bad "insmod mm_ext_blk $p accepted"
		rmmod mm_ext_blk
		continue
	fi
	key=${p%%=*}
	# busybox's insmod tries finit_module, then init_module: one line a try.
	lines=$(dmesg | grep "mm_ext_blk: " | sed 's/^\[[^]]*\] //' | sort -u | wc -l)
	if [ "$lines" -eq 1 ] && dmesg | grep -q "mm_ext_blk: $p out of range"; then
		ok "insmod mm_ext_blk $p refused: $(dmesg | grep 'mm_ext_blk: ' | sed 's/^\[[^]]*\] //')"
	else
		bad "insmod mm_ext_blk $p: $lines lines: $(dmesg | grep 'mm_ext_blk' | head -n 2)"
	fi
	[ ! -e $BLK ] && [ ! -d $Z ] && [ ! -d $ZIO ] && ! grep -q "^mm_ext_blk " /proc/modules &&
		ok "$p: nothing registered" || bad "$p: something was registered"
	: "$key"
done

# --- 1. The disk as it ships: a pool of 16 over the cache.
klog_reset
blk_load size_mb=$SIZE
[ -d $Z ] && [ -d $ZIO ] && [ -d $SC ] && [ -d $P ] &&
	ok "zones, cache and pool are ordinary mm_ext objects under $D" || bad "objects missing under $D"
grep -q '^mm_ext_blk0-io ' $D/slabinfo && ok "slabinfo lists mm_ext_blk0-io" || bad "no mm_ext_blk0-io in slabinfo"
grep -q 'zone  *mm_ext_blk0 ' $Z/buddyinfo && ok "the disk zone has its buddyinfo line" || bad "buddyinfo: $(cat $Z/buddyinfo)"
expect "pool min_nr" "$(val $P/stats min_nr)" 16
fs_run "pool"
expect "pool: I/O errors in the kernel log" "$(dmesg | grep -c 'I/O error\|critical space')" 0
expect "pool: failures" "$(val $P/stats failures)" 0
expect "pool: every context back (cache active_objs = min_nr)" "$(val $SC/stats active_objs)" 16
nothing_else "pool"
blk_unload "pool"

# --- 2. The same with 100% injected failure under the pool, min_nr 1.
klog_reset
# latency_us: each request of the burst below holds its context 5 ms, as
# on a device, so requests overlap. The file system alone rarely has more
# requests out at once than a slab holds contexts (27) under emulation, so
# a 4 MiB O_DIRECT read, split into 4 KiB requests (max_sectors_kb 4), puts
# up to queue_depth requests in flight at once: past the slab's free
# objects the reserve serves them, and past the reserve queue_rq() waits.
blk_load size_mb=$SIZE min_nr=1 queue_depth=128 latency_us=5000
echo 100 > $ZIO/fail/probability && echo -1 > $ZIO/fail/times && ok "the cache's zone fails every allocation"
echo 1 > $SC/shrink && ok "the cache gave back its empty slabs"
Q=/sys/block/mm_ext_blk0/queue/max_sectors_kb
msk=$(cat $Q)
echo 4 > $Q
dd if=$BLK of=/dev/null bs=4M count=1 iflag=direct 2> /tmp/dd.err && ok "a 4 MiB O_DIRECT read in 4 KiB requests" ||
	bad "O_DIRECT read: $(cat /tmp/dd.err)"
echo "$msk" > $Q
say "after the burst: $(tr '\n' ' ' < $P/stats)"
# The file system's run needs no device latency: the cache still cannot
# grow, and 5 ms a request would make it three times as long.
LAT=/sys/module/mm_ext_blk/parameters/latency_us
if echo 1000001 > $LAT 2> /dev/null; then bad "latency_us=1000001 accepted while loaded"; else
	expect "latency_us=1000001 refused while loaded: the kernel's line" \
		"$(dmesg | grep -c 'mm_ext_blk: latency_us=1000001 out of range')" 1
fi
expect "latency_us unchanged by the refused write" "$(cat $LAT)" 5000
echo 0 > $LAT && expect "latency_us set to 0 for the file system's run" "$(cat $LAT)" 0
fs_run "pool, 100% failure"
expect "pool, 100% failure: I/O errors in the kernel log" "$(dmesg | grep -c 'I/O error\|critical space')" 0
expect "pool, 100% failure: pool failures" "$(val $P/stats failures)" 0
positive "pool, 100% failure: zone injected_failures" "$(val $ZIO/stats injected_failures)"
positive "pool, 100% failure: cache failures" "$(val $SC/stats failures)"
positive "pool, 100% failure: pool reserve_allocs" "$(val $P/stats reserve_allocs)"
positive "pool, 100% failure: pool waits" "$(val $P/stats waits)"
say "pool under 100% injected failure: $(tr '\n' ' ' < $P/stats)"
say "its cache: $(grep -E '^(total_objs|active_objs|allocs|failures) ' $SC/stats | tr '\n' ' ')"
echo 0 > $ZIO/fail/probability
nothing_else "pool, 100% failure"
blk_unload "pool, 100% failure"

# --- 3. The same injected failure on the plain cache (reserve=0).
klog_reset
blk_load size_mb=$SIZE reserve=0
[ ! -d $P ] && ok "reserve=0: no pool" || bad "reserve=0 made a pool"
echo 100 > $ZIO/fail/probability && echo -1 > $ZIO/fail/times && ok "the cache's zone fails every allocation"
echo 1 > $SC/shrink
expect "reserve=0: the cache holds no object after shrink" "$(val $SC/stats total_objs)" 0
if $MKE2FS -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 $BLK > /tmp/mkfs.out 2>&1; then
	bad "reserve=0, 100% failure: mke2fs succeeded"
else
	ok "reserve=0, 100% failure: mke2fs fails: $(grep -i 'error' /tmp/mkfs.out | head -n 1)"
fi
positive "reserve=0: I/O errors the block layer reported" "$(dmesg | grep -c 'I/O error, dev mm_ext_blk0')"
positive "reserve=0: cache failures" "$(val $SC/stats failures)"
say "plain cache under 100% injected failure: $(grep -E '^(total_objs|active_objs|allocs|failures) ' $SC/stats | tr '\n' ' '), $(dmesg | grep -c 'I/O error, dev mm_ext_blk0') I/O error lines"
dmesg | grep 'I/O error, dev mm_ext_blk0' | head -n 2
echo 0 > $ZIO/fail/probability
$MKE2FS -q -F -t ext4 $BLK > /tmp/mkfs.out 2>&1 && ok "reserve=0: mke2fs works once the injection stops" ||
	bad "reserve=0: mke2fs after injection: $(tail -n 2 /tmp/mkfs.out)"
expect "reserve=0: every context back" "$(val $SC/stats active_objs)" 0
nothing_else "reserve=0"
blk_unload "reserve=0"

# --- 4. Filling the disk past its zone (64 MiB disk, 32 MiB zone). ext4
# filled past the zone may meet the error on a metadata write and abort its
# journal, as on full thin-provisioned storage: so the fill is on the raw
# disk, and ext4 shows rm + fstrim giving pages back.
klog_reset
blk_load size_mb=64 zone_mb=32
$MKE2FS -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 $BLK > /tmp/mkfs.out 2>&1 &&
	mount -t ext4 $BLK /mnt && ok "fill: ext4 made and mounted" || bad "fill: mkfs/mount: $(tail -n 2 /tmp/mkfs.out)"
free0=$(val $Z/stats nr_free_pages)
say "fill: zone free pages after mkfs and mount: $free0 of $(val $Z/stats nr_pages)"
dd if=/dev/urandom of=/mnt/big bs=1M count=16 conv=fsync 2> /tmp/dd.err && ok "fill: 16 MiB written to ext4" ||
	bad "fill: 16 MiB: $(tail -n 1 /tmp/dd.err)"
used=$(val $Z/stats nr_free_pages)
say "fill: zone free pages with the file: $used"
[ "$used" -le $((free0 - 4096)) ] && ok "fill: the file took its 4096 pages from the zone" ||
	bad "fill: zone free pages $used with a 16 MiB file, $free0 before"
rm /mnt/big && ok "fill: rm"
# ext4 lets fstrim have freed blocks only once the transaction that freed
# them has committed: sync first, or the trim may miss them.
sync
if fstrim -v /mnt > /tmp/trim.out 2>&1; then ok "fill: fstrim: $(cat /tmp/trim.out)"; else bad "fill: fstrim: $(cat /tmp/trim.out)"; fi
back=$(val $Z/stats nr_free_pages)
say "fill: zone free pages after rm + fstrim: $back (after mkfs: $free0)"
[ "$back" -ge "$free0" ] && ok "fill: rm + fstrim gave the zone's pages back ($back >= $free0)" ||
	bad "fill: after rm + fstrim $back free pages, $free0 before the file"
umount /mnt
if dd if=/dev/urandom of=$BLK bs=1M count=64 oflag=direct 2> /tmp/dd.err; then
	bad "fill: 64 MiB onto a disk with a 32 MiB zone succeeded"
else
	ok "fill: the write fails: $(tail -n 1 /tmp/dd.err)"
fi
positive "fill: space errors the block layer reported" "$(dmesg | grep -c 'critical space allocation error, dev mm_ext_blk0')"
full=$(val $Z/stats nr_free_pages)
expect "fill: zone free pages when full" "$full" 0
dmesg | grep 'critical space allocation error' | head -n 2
nothing_else "fill"
blkdiscard $BLK && ok "fill: blkdiscard of the whole disk"
expect "fill: zone free pages after blkdiscard (= its total)" "$(val $Z/stats nr_free_pages)" "$(val $Z/stats nr_pages)"
blk_unload "fill"

# --- 5. Both modules unload, nothing leaked.
unload_all
kmemleak_check
