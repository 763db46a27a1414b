// SPDX-License-Identifier: GPL-2.0
/*
 * mm_ext_blk: a blk-mq RAM disk whose I/O path runs on mm_ext.
 *
 * A consumer of mm_ext's exported API only (include/mm_ext/), as any other
 * module would be. Storage as drivers/block/brd.c keeps it, blk-mq set-up
 * as drivers/block/null_blk does it:
 *
 * - every request takes a per-I/O context (struct mm_ext_blk_io) from a
 *   mempool_ext pool over a slab_ext cache, or from the plain cache when
 *   reserve=0, and holds it until the request completes;
 * - the data pages come from the disk's own buddy_sim zone, one order-0
 *   block per 4 KiB of the disk, taken on the first write and given back on
 *   discard and write-zeroes, so the zone's buddyinfo shows the disk filling
 *   and emptying;
 * - the cache's slabs come from a second zone, so failure injection on it
 *   (buddy/<disk>-io/fail/) fails the cache under the pool and nothing else.
 *
 * Context. queue_rq() allocates the context with GFP_NOIO, which may sleep
 * in the pool until another request gives one back: that wait is what a
 * pool is for, and it needs BLK_MQ_F_BLOCKING (queue_rq in process context,
 * under SRCU). A non-blocking queue would have to take GFP_NOWAIT and
 * return BLK_STS_RESOURCE whenever the reserve ran dry, turning the pool's
 * guarantee into blk-mq's requeue loop. The transfer itself runs in a work
 * item (async=1, the default) that completes the request and frees the
 * context, as a device's interrupt would; it never needs a context, so a
 * request waiting in queue_rq() always has one coming back. The work
 * queue is WQ_MEM_RECLAIM: it sits in the writeback path. async=0 does the
 * transfer inside queue_rq() instead; latency_us=N holds each request N us
 * first (an hrtimer), as null_blk's timer mode emulates a device's latency.
 *
 * Out of data pages, a write ends with BLK_STS_NOSPC, which the block layer
 * reports ("critical space allocation error") and passes up as -ENOSPC,
 * as dm-thin does when its pool is full. Without a reserve, a context the
 * cache cannot give ends the request with BLK_STS_IOERR at once: retrying
 * (BLK_STS_RESOURCE) with nothing in flight would spin for ever.
 *
 * Unload: the gendisk's fops name this module as owner, so an open or a
 * mount holds it and rmmod is refused (EBUSY); exit gives every page and
 * object back before the zones, cache and pool are destroyed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>
#include <mm_ext/mempool_ext.h>

#define MM_EXT_BLK_NAME		"mm_ext_blk0"
#define MM_EXT_BLK_IO_NAME	"mm_ext_blk0-io"
#define MM_EXT_BLK_MAX_MB	4096U
#define MM_EXT_BLK_MAX_DEPTH	1024U
#define MM_EXT_BLK_MAX_MIN_NR	4096
#define MM_EXT_BLK_MAX_LATENCY	1000000U
#define PAGE_SECTORS_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)

static unsigned int size_mb = 64;
module_param(size_mb, uint, 0444);
MODULE_PARM_DESC(size_mb, "disk size in MiB (1..4096, default 64)");

static unsigned int zone_mb;
module_param(zone_mb, uint, 0444);
MODULE_PARM_DESC(zone_mb, "data pages the disk's zone holds, in MiB (0: size_mb; at most size_mb)");

static int min_nr = 16;
module_param(min_nr, int, 0444);
MODULE_PARM_DESC(min_nr, "I/O contexts the pool keeps in reserve (1..4096, default 16)");

static unsigned int queue_depth = 64;
module_param(queue_depth, uint, 0444);
MODULE_PARM_DESC(queue_depth, "tags per hardware queue (1..1024, default 64)");

static unsigned int hw_queues = 1;
module_param(hw_queues, uint, 0444);
MODULE_PARM_DESC(hw_queues, "number of hardware queues (1..nr_cpu_ids, default 1)");

static bool reserve = true;
module_param(reserve, bool, 0444);
MODULE_PARM_DESC(reserve, "I/O contexts from a pool (1, default) or from the plain cache (0)");

static bool async = true;
module_param(async, bool, 0444);
MODULE_PARM_DESC(async, "complete requests from a work item (1, default) or inside queue_rq (0)");

static unsigned int latency_us;

/* Whether @v may be latency_us; if not, the one line that says why. */
static bool latency_ok(unsigned int v)
{
	if (v <= MM_EXT_BLK_MAX_LATENCY && (!v || async))
		return true;
	pr_err("latency_us=%u out of range 0..%u (0 when async=0)\n",
	       v, async ? MM_EXT_BLK_MAX_LATENCY : 0);
	return false;
}

/*
 * latency_us may also change while the disk runs (0644; each request reads
 * it once): a write then is checked as check_params() checks it at load,
 * and refused with one line and -EINVAL. While the module loads, the value
 * is only stored: check_params() reports a bad one, its one line, once the
 * other parameters (async) are known.
 */
static int latency_us_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (READ_ONCE(THIS_MODULE->state) == MODULE_STATE_LIVE && !latency_ok(v))
		return -EINVAL;
	WRITE_ONCE(latency_us, v);
	return 0;
}

static const struct kernel_param_ops latency_us_ops = {
	.set = latency_us_set,
	.get = param_get_uint,
};
module_param_cb(latency_us, &latency_us_ops, &latency_us, 0644);
MODULE_PARM_DESC(latency_us, "device latency: each request holds its context this long before its transfer (0..1000000 us, default 0; needs async=1; writable while loaded)");

/* What a request holds from queue_rq() to its completion. */
struct mm_ext_blk_io {
	struct work_struct work;	/* the transfer and the completion */
	struct hrtimer timer;		/* latency_us: queues work when it fires */
	struct request *rq;
};

static struct mm_ext_blk {
	struct buddy_sim *zone;		/* data pages */
	struct buddy_sim *io_zone;	/* slabs of the context cache */
	struct slab_ext_cache *cache;	/* struct mm_ext_blk_io */
	struct mempool_ext *pool;	/* over cache; NULL when reserve=0 */
	struct workqueue_struct *wq;
	/*
	 * One slot per 4 KiB of the disk: the zone block holding it, or NULL
	 * (reads as zeroes). Slots change only by cmpxchg (first write) and
	 * xchg (discard, write-zeroes), so no lock: as in brd, the block layer
	 * does not order overlapping I/O, and the file system never issues a
	 * read of a range it is discarding.
	 */
	void **pages;
	unsigned long nr_pages;
	struct blk_mq_tag_set set;
	struct gendisk *disk;
} blk;

static struct mm_ext_blk_io *io_alloc(void)
{
	if (blk.pool)
		return mempool_ext_alloc(blk.pool, GFP_NOIO);
	return slab_ext_alloc(blk.cache, GFP_NOIO);
}

static void io_free(struct mm_ext_blk_io *io)
{
	if (blk.pool)
		mempool_ext_free(io, blk.pool);
	else
		slab_ext_free(blk.cache, io);
}

/* The block of page @idx, taken (zeroed) from the zone if it has none. */
static void *page_get(unsigned long idx)
{
	void *page = READ_ONCE(blk.pages[idx]);
	void *old;

	if (page)
		return page;
	page = buddy_sim_alloc(blk.zone, GFP_NOIO | __GFP_ZERO, 0);
	if (!page)
		return NULL;
	old = cmpxchg(&blk.pages[idx], NULL, page);
	if (old) {			/* another writer was first */
		buddy_sim_free(blk.zone, page, 0);
		return old;
	}
	return page;
}

static void page_put(unsigned long idx)
{
	void *page = xchg(&blk.pages[idx], NULL);

	if (page)
		buddy_sim_free(blk.zone, page, 0);
}

static blk_status_t do_rw(struct request *rq)
{
	loff_t pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	bool write = op_is_write(req_op(rq));
	struct req_iterator iter;
	struct bio_vec bv;

	/* Single-page segments: each lies within one page of the request. */
	rq_for_each_segment(bv, rq, iter) {
		unsigned int done = 0;

		while (done < bv.bv_len) {
			unsigned long idx = pos >> PAGE_SHIFT;
			unsigned int off = offset_in_page(pos);
			unsigned int len = min_t(unsigned int, bv.bv_len - done,
						 PAGE_SIZE - off);
			void *page;

			if (write) {
				page = page_get(idx);
				if (!page)
					return BLK_STS_NOSPC;
				memcpy_from_page(page + off, bv.bv_page,
						 bv.bv_offset + done, len);
			} else {
				page = READ_ONCE(blk.pages[idx]);
				if (page)
					memcpy_to_page(bv.bv_page, bv.bv_offset + done,
						       page + off, len);
				else
					memzero_page(bv.bv_page, bv.bv_offset + done, len);
			}
			done += len;
			pos += len;
		}
	}
	return BLK_STS_OK;
}

/*
 * Discard and write-zeroes give whole pages back to the zone. Write-zeroes
 * also zeroes the partial pages at either end, and with REQ_NOUNMAP
 * (fallocate's ZERO_RANGE, as mke2fs zeroes its journal and inode tables)
 * keeps the range allocated, as the flag asks: zeroed pages, taken if need
 * be, so later writes there cannot run out of space.
 */
static blk_status_t do_zero(struct request *rq, bool discard)
{
	loff_t pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	loff_t end = pos + blk_rq_bytes(rq);
	bool keep = !discard && (rq->cmd_flags & REQ_NOUNMAP);

	while (pos < end) {
		unsigned long idx = pos >> PAGE_SHIFT;
		unsigned int off = offset_in_page(pos);
		unsigned int len = min_t(loff_t, end - pos, PAGE_SIZE - off);
		void *page;

		if (len == PAGE_SIZE && !keep) {
			page_put(idx);
		} else if (keep) {
			page = page_get(idx);
			if (!page)
				return BLK_STS_NOSPC;
			memset(page + off, 0, len);
		} else if (!discard) {
			page = READ_ONCE(blk.pages[idx]);
			if (page)
				memset(page + off, 0, len);
		}
		pos += len;
		cond_resched();
	}
	return BLK_STS_OK;
}

/* The transfer, then completion; the context goes back before the end. */
static void mm_ext_blk_run(struct mm_ext_blk_io *io)
{
	struct request *rq = io->rq;
	blk_status_t st;

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		st = do_rw(rq);
		break;
	case REQ_OP_DISCARD:
		st = do_zero(rq, true);
		break;
	case REQ_OP_WRITE_ZEROES:
		st = do_zero(rq, false);
		break;
	case REQ_OP_FLUSH:
		st = BLK_STS_OK;
		break;
	default:
		st = BLK_STS_NOTSUPP;
		break;
	}
	io_free(io);
	blk_mq_end_request(rq, st);
}

static void mm_ext_blk_work(struct work_struct *work)
{
	mm_ext_blk_run(container_of(work, struct mm_ext_blk_io, work));
}

/*
 * latency_us: a device that answers later, as null_blk's timer mode
 * (completion_nsec); the request holds its context meanwhile, so requests
 * overlap as they do on real hardware.
 */
static enum hrtimer_restart mm_ext_blk_timer(struct hrtimer *timer)
{
	struct mm_ext_blk_io *io = container_of(timer, struct mm_ext_blk_io, timer);

	queue_work(blk.wq, &io->work);
	return HRTIMER_NORESTART;
}

/* May sleep (BLK_MQ_F_BLOCKING): GFP_NOIO waits in the pool. */
static blk_status_t mm_ext_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
					const struct blk_mq_queue_data *bd)
{
	struct mm_ext_blk_io *io = io_alloc();
	unsigned int latency = READ_ONCE(latency_us);

	if (!io)
		return BLK_STS_IOERR;
	blk_mq_start_request(bd->rq);
	io->rq = bd->rq;
	if (!async) {
		mm_ext_blk_run(io);
		return BLK_STS_OK;
	}
	INIT_WORK(&io->work, mm_ext_blk_work);
	if (latency) {
		hrtimer_init(&io->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		io->timer.function = mm_ext_blk_timer;
		hrtimer_start(&io->timer, ns_to_ktime((u64)latency * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
	} else {
		queue_work(blk.wq, &io->work);
	}
	return BLK_STS_OK;
}

static const struct blk_mq_ops mm_ext_blk_mq_ops = {
	.queue_rq = mm_ext_blk_queue_rq,
};

static const struct block_device_operations mm_ext_blk_fops = {
	.owner = THIS_MODULE,
};

/* Every value checked before anything is made: one line, then -EINVAL. */
static int __init check_params(void)
{
	if (size_mb < 1 || size_mb > MM_EXT_BLK_MAX_MB) {
		pr_err("size_mb=%u out of range 1..%u\n", size_mb, MM_EXT_BLK_MAX_MB);
		return -EINVAL;
	}
	if (zone_mb > size_mb) {
		pr_err("zone_mb=%u out of range 0..%u (size_mb)\n", zone_mb, size_mb);
		return -EINVAL;
	}
	if (min_nr < 1 || min_nr > MM_EXT_BLK_MAX_MIN_NR) {
		pr_err("min_nr=%d out of range 1..%d\n", min_nr, MM_EXT_BLK_MAX_MIN_NR);
		return -EINVAL;
	}
	if (queue_depth < 1 || queue_depth > MM_EXT_BLK_MAX_DEPTH) {
		pr_err("queue_depth=%u out of range 1..%u\n", queue_depth,
		       MM_EXT_BLK_MAX_DEPTH);
		return -EINVAL;
	}
	if (hw_queues < 1 || hw_queues > nr_cpu_ids) {
		pr_err("hw_queues=%u out of range 1..%u (nr_cpu_ids)\n", hw_queues,
		       nr_cpu_ids);
		return -EINVAL;
	}
	if (!latency_ok(latency_us))
		return -EINVAL;
	return 0;
}

/* Every data page back to the zone. */
static void free_pages_all(void)
{
	unsigned long i;

	for (i = 0; i < blk.nr_pages; i++) {
		page_put(i);
		if (!(i & 1023))
			cond_resched();
	}
}

static void destroy_objects(void)
{
	if (blk.wq)
		destroy_workqueue(blk.wq);
	if (blk.pages) {
		free_pages_all();
		kvfree(blk.pages);
	}
	if (blk.pool)
		mempool_ext_destroy(blk.pool);
	if (blk.cache)
		slab_ext_cache_destroy(blk.cache);
	if (blk.io_zone)
		buddy_sim_destroy(blk.io_zone);
	if (blk.zone)
		buddy_sim_destroy(blk.zone);
	memset(&blk, 0, sizeof(blk));
}

static int __init create_objects(void)
{
	unsigned long ctxs = (unsigned long)hw_queues * queue_depth + min_nr;
	unsigned long io_pages;
	int ret;

	blk.nr_pages = (unsigned long)size_mb << (20 - PAGE_SHIFT);
	blk.pages = kvcalloc(blk.nr_pages, sizeof(void *), GFP_KERNEL);
	if (!blk.pages)
		return -ENOMEM;
	blk.zone = buddy_sim_create(MM_EXT_BLK_NAME,
				    (unsigned long)(zone_mb ?: size_mb) << (20 - PAGE_SHIFT));
	if (IS_ERR(blk.zone)) {
		ret = PTR_ERR(blk.zone);
		blk.zone = NULL;
		pr_err("cannot create the zone %s: %d\n", MM_EXT_BLK_NAME, ret);
		return ret;
	}
	/* Room for every tag's context twice over, and the reserve. */
	io_pages = 2 * DIV_ROUND_UP(ctxs * 2 * sizeof(struct mm_ext_blk_io),
				    PAGE_SIZE) + 64;
	blk.io_zone = buddy_sim_create(MM_EXT_BLK_IO_NAME, io_pages);
	if (IS_ERR(blk.io_zone)) {
		ret = PTR_ERR(blk.io_zone);
		blk.io_zone = NULL;
		pr_err("cannot create the zone %s: %d\n", MM_EXT_BLK_IO_NAME, ret);
		return ret;
	}
	blk.cache = slab_ext_cache_create(blk.io_zone, MM_EXT_BLK_IO_NAME,
					  sizeof(struct mm_ext_blk_io), 0, 0, NULL);
	if (IS_ERR(blk.cache)) {
		ret = PTR_ERR(blk.cache);
		blk.cache = NULL;
		pr_err("cannot create the cache %s: %d\n", MM_EXT_BLK_IO_NAME, ret);
		return ret;
	}
	if (reserve) {
		blk.pool = mempool_ext_create_slab_pool(MM_EXT_BLK_IO_NAME, min_nr,
							blk.cache);
		if (IS_ERR(blk.pool)) {
			ret = PTR_ERR(blk.pool);
			blk.pool = NULL;
			pr_err("cannot create the pool %s: %d\n", MM_EXT_BLK_IO_NAME, ret);
			return ret;
		}
	}
	blk.wq = alloc_workqueue("mm_ext_blk", WQ_MEM_RECLAIM, 0);
	if (!blk.wq)
		return -ENOMEM;
	return 0;
}

static int __init create_disk(void)
{
	struct queue_limits lim = {
		.physical_block_size	= PAGE_SIZE,
		.max_hw_sectors		= SZ_1M >> SECTOR_SHIFT,
		.max_segments		= SZ_1M >> PAGE_SHIFT,
		.max_hw_discard_sectors	= UINT_MAX,
		.max_discard_segments	= 1,
		.discard_granularity	= PAGE_SIZE,
		.max_write_zeroes_sectors = UINT_MAX,
	};
	struct gendisk *disk;
	int ret;

	blk.set.ops = &mm_ext_blk_mq_ops;
	blk.set.nr_hw_queues = hw_queues;
	blk.set.queue_depth = queue_depth;
	blk.set.numa_node = NUMA_NO_NODE;
	blk.set.flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_BLOCKING;
	ret = blk_mq_alloc_tag_set(&blk.set);
	if (ret)
		return ret;
	disk = blk_mq_alloc_disk(&blk.set, &lim, &blk);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto free_set;
	}
	/* major 0, minors 0: add_disk() gives an extended dev_t, no partitions. */
	disk->fops = &mm_ext_blk_fops;
	disk->private_data = &blk;
	disk->flags |= GENHD_FL_NO_PART;
	strscpy(disk->disk_name, MM_EXT_BLK_NAME, DISK_NAME_LEN);
	set_capacity(disk, (sector_t)blk.nr_pages << PAGE_SECTORS_SHIFT);
	ret = add_disk(disk);
	if (ret)
		goto put;
	blk.disk = disk;
	return 0;
put:
	put_disk(disk);
free_set:
	blk_mq_free_tag_set(&blk.set);
	return ret;
}

static int __init mm_ext_blk_init(void)
{
	int ret = check_params();

	if (ret)
		return ret;
	ret = create_objects();
	if (!ret)
		ret = create_disk();
	if (ret) {
		destroy_objects();
		return ret;
	}
	pr_info("%s: %u MiB, zone %s of %u MiB, %u queue(s) of %u, contexts from %s %s\n",
		MM_EXT_BLK_NAME, size_mb, MM_EXT_BLK_NAME, zone_mb ?: size_mb,
		hw_queues, queue_depth, reserve ? "pool" : "cache",
		MM_EXT_BLK_IO_NAME);
	return 0;
}

static void __exit mm_ext_blk_exit(void)
{
	/* No opener is left (we are unloading): no request is in flight. */
	del_gendisk(blk.disk);
	put_disk(blk.disk);
	blk_mq_free_tag_set(&blk.set);
	destroy_objects();
}

module_init(mm_ext_blk_init);
module_exit(mm_ext_blk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mm_ext_blk: a blk-mq RAM disk on mm_ext's pools, caches and zones");
