# SPDX-License-Identifier: GPL-2.0
# Scenario "kmemtrace": record the kernel's own kmem events while a real
# workload runs, for scripts/replay (scripts/record-trace.sh drives it and
# keeps the trace). The workload: an 8 MiB RAM disk (brd.ko, packed into
# /bin by kmemtrace.bins), mke2fs on it, mounted as ext4, a busybox tar of
# /bin unpacked onto it, files written with dd, synced, some deleted,
# unmounted. The trace file's text is printed after it, gzipped and in
# base64 (the serial console of a TCG guest moves a few KB/s), each line
# marked MM_EXT_TRACE64; the events and the buffer size are below.
T=/sys/kernel/tracing
EVENTS="mm_page_alloc mm_page_free mm_page_free_batched kmalloc kfree kmem_cache_alloc kmem_cache_free"

[ -d $T/events ] || mount -t tracefs nodev $T || fail "no tracefs"
insmod /bin/brd.ko rd_nr=1 rd_size=8192 || fail "insmod brd.ko"
[ -b /dev/ram0 ] || fail "no /dev/ram0"
mkdir -p /mnt
mke2fs -q /dev/ram0 > /dev/null || fail "mke2fs"

echo 0 > $T/tracing_on
echo > $T/trace
# Real addresses, not hashed ones (the default): the replay keys on them.
echo 0 > $T/options/hash-ptr
echo 4096 > $T/buffer_size_kb
for e in $EVENTS; do
	echo 1 > $T/events/kmem/$e/enable || fail "cannot enable kmem:$e"
done
say "recording kmem events ($EVENTS) around mount, tar, dd, sync, rm, umount on ext4"
echo 1 > $T/tracing_on
mount -t ext4 /dev/ram0 /mnt || fail "mount -t ext4 /dev/ram0"
tar -cf - /bin 2>/dev/null | tar -xf - -C /mnt || fail "tar"
i=0
while [ $i -lt 8 ]; do
	dd if=/dev/zero of=/mnt/f$i bs=4k count=$((16 * (i + 1))) 2>/dev/null || fail "dd $i"
	i=$((i + 1))
done
sync
rm -f /mnt/f1 /mnt/f3 /mnt/f5 /mnt/f7
rm -rf /mnt/bin
sync
umount /mnt || fail "umount"
echo 0 > $T/tracing_on
for e in $EVENTS; do
	echo 0 > $T/events/kmem/$e/enable
done
echo "MM_EXT_TRACE_ENTRIES $(sed -n 's/^# entries-in-buffer\/entries-written: //p' $T/trace)"
# The console log is searched for "Oops" and "KASAN": base64 could spell
# them, so O and K travel as * and ! (neither is in its alphabet).
gzip -9 -c $T/trace | base64 | tr OK '*!' | sed 's/^/MM_EXT_TRACE64 /'
echo "MM_EXT_TRACE_DONE"
rmmod brd || fail "rmmod brd"
