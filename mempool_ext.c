// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext - reserve pools with mm/mempool.c's semantics.
 *
 * A pool keeps min_nr elements in reserve. An allocation asks the
 * underlying allocator first, and only when that fails takes an element
 * from the reserve; when the reserve is empty too and the caller may block,
 * it sleeps until an element is freed to the pool. A free refills the
 * reserve while it is below min_nr. So a pool user that frees what it
 * allocates always makes progress, however short memory is.
 *
 * Beyond the kernel's mempool: counters that make the guarantee visible,
 * elements resting in the reserve poisoned and checked (as mempool.c does
 * under SLUB debugging) when the element size is known, and misuse refused
 * where KASAN would catch it in the kernel's: a free of an element already
 * in the reserve, or (helper pools) one the layer below does not have out,
 * a double free or a foreign pointer, is reported, counted in the pool's
 * errors and otherwise ignored: no other counter moves, and the reserve
 * never holds an element twice. __GFP_ZERO, which mempool.c warns about, is
 * refused (a reserve element cannot be zeroed for free).
 *
 * What the free checks cost: a helper pool asks its layer on every free
 * whether the element is out (one bit in the layer's metadata); a slab
 * pool with its reserve full asks in the same call that frees it
 * (free_valid), one look-up in all. Whether it rests in the reserve is
 * answered by a counting filter of the reserve's addresses, kept under the
 * pool's lock and read without it: only when the element's bucket is busy
 * (it rests there, or another resting element hashes alike) is the
 * reserve searched, under the lock. Nothing reads the element before the
 * layer has said it is out, so a foreign pointer is never read.
 *
 * The layer knows its backends only by their callbacks (struct
 * mempool_ext_ops, mempool_ext_internal.h): mempool_ext_backends.c makes the
 * slab, page and kmalloc pools of the API from them.
 *
 * mempool_ext_alloc_until() (mempool_ext_internal.h) is the allocation whose
 * wait can be abandoned: a workload's kthread uses it with
 * kthread_should_stop(), so stopping a workload never waits for a pool.
 */

#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/poison.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <mm_ext/mempool_ext.h>
#include "mempool_ext_internal.h"
#include "mm_ext_trace.h"

MM_EXT_FAST_PAGE(mempool_ext);

/*
 * The fast paths' counters: allocations the underlying allocator served,
 * frees that went back to it. Per CPU, so those paths take no lock, as
 * mm/mempool.c takes none; mempool_ext_info() adds them up.
 */
struct mempool_ext_pcpu {
	u64 allocs, frees;
};

/*
 * The reserve's counting filter: a bucket a hash of each resting element's
 * address picks, counting them (saturated counts stay: never a false
 * "not resting"). 1024 buckets: a full reserve of min_nr makes a free's
 * search needless in about min_nr / 1024 of the frees.
 */
#define POOL_FILTER_BITS	10
#define POOL_FILTER_FULL	U16_MAX

struct mempool_ext {
	char name[MM_EXT_NAME_MAX + 1];
	struct mm_ext_named named;	/* in mempool_ext_pools */
	/* The backend (struct mempool_ext_ops), copied: one load a call. */
	mempool_ext_alloc_t *alloc;
	mempool_ext_free_t *free;
	bool (*valid)(void *element, void *pool_data);
	bool (*free_valid)(void *element, void *pool_data);
	void (*release)(void *pool_data);
	void *pool_data;
	size_t elem_size;		/* bytes poisoned in the reserve; 0: unknown */

	/*
	 * Protects the reserve (elements, curr_nr), min_nr and the counters
	 * below; allocs and frees here count only what went through the
	 * reserve, the rest is in pcpu. min_nr and curr_nr are also read
	 * without it in mempool_ext_free(), as mempool.c reads them; the
	 * barriers there say why that is enough.
	 */
	spinlock_t lock;
	int min_nr, curr_nr;
	int lowest_nr;			/* the lowest curr_nr has fallen to */
	void **elements;
	u64 allocs, reserve_allocs, frees, refills, waits, failures, errors;
	struct mempool_ext_pcpu __percpu *pcpu;	/* the fast paths' counts */
	wait_queue_head_t wait;		/* allocators sleeping for an element */
	/*
	 * Serialises mempool_ext_resize(): a growth allocates its elements
	 * with no spinlock held, and no other resize may change min_nr or
	 * the array in between. Taken outside pool->lock.
	 */
	struct mutex resize_lock;
	/*
	 * How many resting elements hash to each bucket (add_element(),
	 * remove_element()). Written under pool->lock; pool_free() reads it
	 * without, and says there why a 0 read so means "not resting".
	 */
	u16 filter[1 << POOL_FILTER_BITS];
};

/* Every pool, by unique name; its lock is mempool_ext_pools.lock. */
static struct mm_ext_names mempool_ext_pools = {
	.lock = __MUTEX_INITIALIZER(mempool_ext_pools.lock),
	.list = LIST_HEAD_INIT(mempool_ext_pools.list),
	.kind = MM_EXT_POOL,
};

/* Resting elements read as freed SLUB objects do: 0x6b ... 0xa5. */
static void poison_element(struct mempool_ext *pool, void *element)
{
	if (!pool->elem_size)
		return;
	memset(element, POISON_FREE, pool->elem_size - 1);
	((u8 *)element)[pool->elem_size - 1] = POISON_END;
}

/* Whether a resting element still reads as poison_element() left it. */
static bool element_intact(struct mempool_ext *pool, void *element)
{
	return !pool->elem_size ||
	       (!memchr_inv(element, POISON_FREE, pool->elem_size - 1) &&
		((u8 *)element)[pool->elem_size - 1] == POISON_END);
}

static void report_written(struct mempool_ext *pool)
{
	mm_ext_report(MM_EXT_POOL, pool->name, MM_EXT_MISUSE_POISON, NULL,
		      "pool %s: element written while resting in the reserve (write after free)\n",
		      pool->name);
}

static void check_element(struct mempool_ext *pool, void *element)
{
	unsigned long flags;

	if (element_intact(pool, element))
		return;
	spin_lock_irqsave(&pool->lock, flags);
	pool->errors++;
	spin_unlock_irqrestore(&pool->lock, flags);
	report_written(pool);
}

static __always_inline u16 *filter_bucket(struct mempool_ext *pool, const void *element)
{
	return &pool->filter[hash_ptr(element, POOL_FILTER_BITS)];
}

/*
 * Whether @element may rest in the reserve: false only when no resting
 * element hashes to its bucket. Reads neither the element nor the lock.
 */
static __always_inline bool maybe_in_reserve(struct mempool_ext *pool, const void *element)
{
	return READ_ONCE(*filter_bucket(pool, element)) != 0;
}

/*
 * Caller holds pool->lock (or the pool is not yet, or no longer, seen by
 * others); the element was poisoned before it was taken. Counted in the
 * filter before curr_nr grows.
 */
static void add_element(struct mempool_ext *pool, void *element)
{
	u16 *bucket = filter_bucket(pool, element);

	if (*bucket != POOL_FILTER_FULL)
		WRITE_ONCE(*bucket, *bucket + 1);
	pool->elements[pool->curr_nr++] = element;
}

static void *remove_element(struct mempool_ext *pool)
{
	void *element = pool->elements[--pool->curr_nr];
	u16 *bucket = filter_bucket(pool, element);

	if (*bucket != POOL_FILTER_FULL)
		WRITE_ONCE(*bucket, *bucket - 1);
	pool->lowest_nr = min(pool->lowest_nr, pool->curr_nr);
	return element;
}

/* Caller holds pool->lock: whether @element rests in the reserve now. */
static bool in_reserve(struct mempool_ext *pool, const void *element)
{
	int i;

	for (i = 0; i < pool->curr_nr; i++)
		if (pool->elements[i] == element)
			return true;
	return false;
}

/* A free refused: reported, counted in errors, no other counter moves. */
static void refuse_free(struct mempool_ext *pool, const void *element, const char *why)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->errors++;
	spin_unlock_irqrestore(&pool->lock, flags);
	mm_ext_report(MM_EXT_POOL, pool->name,
		      mm_ext_misuse_of(why, MM_EXT_MISUSE_BAD_POINTER), element,
		      "pool %s: bad free of %p: %s\n", pool->name, element, why);
}

/*
 * Whether the layer below handed out @element and has not had it back,
 * when the backend can say; a custom pool's allocator cannot be asked.
 */
static bool element_valid(struct mempool_ext *pool, void *element)
{
	return !pool->valid || pool->valid(element, pool->pool_data);
}

/* The reserve back to the backend, then the backend's data and the pool. */
static void free_pool(struct mempool_ext *pool)
{
	while (pool->curr_nr) {
		void *element = remove_element(pool);

		check_element(pool, element);
		pool->free(element, pool->pool_data);
	}
	if (pool->release)
		pool->release(pool->pool_data);
	kvfree(pool->elements);
	free_percpu(pool->pcpu);
	kfree(pool);
}

/* Counts of the fast paths and the reserve together: exact when quiet. */
static void pool_counts(struct mempool_ext *pool, u64 *allocs, u64 *frees)
{
	int cpu;

	*allocs = pool->allocs;
	*frees = pool->frees;
	for_each_possible_cpu(cpu) {
		struct mempool_ext_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

		*allocs += READ_ONCE(pc->allocs);
		*frees += READ_ONCE(pc->frees);
	}
}

/**
 * mempool_ext_create_ops() - create a reserve pool over a backend
 * @name: unique among pools: 1..31 characters, no '/' or white space
 * @min_nr: elements kept in reserve, at least 0
 * @ops: the backend's callbacks: alloc and free, the rest optional
 * @pool_data: passed to every callback
 * @elem_size: bytes poisoned while an element rests in the reserve; 0: none
 * @below: the zone or cache elements come from, for observers; or NULL
 *
 * Not exported: mempool_ext_create() and the helper pools are made with
 * it. On any failure @ops->release(@pool_data) has been called.
 *
 * Return: the pool, or an ERR_PTR() as mempool_ext_create().
 */
struct mempool_ext *mempool_ext_create_ops(const char *name, int min_nr,
					   const struct mempool_ext_ops *ops,
					   void *pool_data, size_t elem_size,
					   void *below)
{
	struct mempool_ext *pool;
	int ret = -ENOMEM;

	if (!mm_ext_name_valid(name) || min_nr < 0 || !ops->alloc || !ops->free) {
		ret = -EINVAL;
		goto fail;
	}
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		goto fail;
	strscpy(pool->name, name, sizeof(pool->name));
	pool->alloc = ops->alloc;
	pool->free = ops->free;
	pool->valid = ops->valid;
	pool->free_valid = ops->free_valid;
	pool->release = ops->release;
	pool->pool_data = pool_data;
	pool->elem_size = elem_size;
	pool->min_nr = min_nr;
	spin_lock_init(&pool->lock);
	mutex_init(&pool->resize_lock);
	init_waitqueue_head(&pool->wait);
	pool->pcpu = mm_ext_percpu_new(struct mempool_ext_pcpu);
	pool->elements = kvmalloc_array(max(min_nr, 1), sizeof(void *),
					GFP_KERNEL | __GFP_NOWARN);
	if (!pool->elements || !pool->pcpu) {
		kvfree(pool->elements);
		free_percpu(pool->pcpu);
		kfree(pool);
		goto fail;
	}

	/* Fill the reserve first: a pool that cannot keep its promise is no pool. */
	while (pool->curr_nr < min_nr) {
		void *element = pool->alloc(GFP_KERNEL, pool_data);

		if (!element) {
			free_pool(pool);
			return ERR_PTR(-ENOMEM);
		}
		poison_element(pool, element);
		add_element(pool, element);
	}
	pool->lowest_nr = pool->curr_nr;

	/* A name in use, or observers (debugfs) refusing it: then it never was. */
	pool->named.obj = pool;
	pool->named.name = pool->name;
	pool->named.below = below;
	ret = mm_ext_names_add(&mempool_ext_pools, &pool->named);
	if (ret) {
		free_pool(pool);
		return ERR_PTR(ret);
	}
	return pool;

fail:
	if (ops->release)
		ops->release(pool_data);
	return ERR_PTR(ret);
}

/**
 * mempool_ext_create() - create a reserve pool over any allocator
 * @name: unique among pools: 1..31 characters, no '/' or white space
 * @min_nr: elements kept in reserve, at least 0
 * @alloc_fn: the underlying allocator; called with the caller's gfp flags
 *	      less direct reclaim and I/O first
 * @free_fn: gives an element back to the underlying allocator
 * @pool_data: passed to both
 *
 * May sleep: the reserve is filled with GFP_KERNEL allocations.
 *
 * Return: the pool, or ERR_PTR(-EINVAL) for a bad argument,
 * ERR_PTR(-EEXIST) for a name in use, ERR_PTR(-ENOMEM) when the reserve
 * cannot be filled (nothing is left behind).
 */
struct mempool_ext *mempool_ext_create(const char *name, int min_nr,
				       mempool_ext_alloc_t *alloc_fn,
				       mempool_ext_free_t *free_fn,
				       void *pool_data)
{
	const struct mempool_ext_ops ops = { .alloc = alloc_fn, .free = free_fn };

	return mempool_ext_create_ops(name, min_nr, &ops, pool_data, 0, NULL);
}
EXPORT_SYMBOL_GPL(mempool_ext_create);

/* An element taken from the reserve: counted, its poison checked. */
static void *take_reserved(struct mempool_ext *pool, unsigned long flags)
	__releases(&pool->lock)
{
	void *element = remove_element(pool);

	pool->allocs++;
	pool->reserve_allocs++;
	spin_unlock_irqrestore(&pool->lock, flags);
	/* Paired with the smp_rmb() in mempool_ext_free(): see there. */
	smp_wmb();
	check_element(pool, element);
	trace_mm_ext_pool_alloc(pool->name, element, true);
	return element;
}

/* __GFP_ZERO asked of mempool_ext_alloc(): NULL and a misuse, counted in both. */
static noinline void *refuse_zero(struct mempool_ext *pool)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->errors++;
	pool->failures++;
	spin_unlock_irqrestore(&pool->lock, flags);
	mm_ext_report(MM_EXT_POOL, pool->name, MM_EXT_MISUSE_BAD_FLAGS, NULL,
		      "pool %s: __GFP_ZERO refused: reserve elements are not zeroed\n",
		      pool->name);
	return NULL;
}

/* The underlying allocator may fail quietly: the reserve is there. */
static __always_inline gfp_t pool_gfp(gfp_t gfp)
{
	return gfp | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
}

/* Its first try goes without direct reclaim and I/O. */
static __always_inline gfp_t pool_gfp_first(gfp_t gfp)
{
	return pool_gfp(gfp) & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
}

/*
 * Caller holds pool->lock, which this drops: sleep until a free refills
 * the reserve (or 5 seconds pass); false, without sleeping, once @stop
 * (may be NULL) is true, counted in failures. Queued under pool->lock, so
 * a free that refills the reserve after the caller's check sees us. @stop
 * is asked once queued and in TASK_UNINTERRUPTIBLE: a stopper that sets
 * its condition and then wakes us (kthread_stop() does wake_up_process())
 * cannot slip between the test and the sleep.
 */
static bool pool_wait(struct mempool_ext *pool, unsigned long flags, bool (*stop)(void))
	__releases(&pool->lock)
{
	wait_queue_entry_t wait;

	init_wait(&wait);
	prepare_to_wait(&pool->wait, &wait, TASK_UNINTERRUPTIBLE);
	if (stop && stop()) {
		pool->failures++;
		spin_unlock_irqrestore(&pool->lock, flags);
		finish_wait(&pool->wait, &wait);
		return false;
	}
	pool->waits++;
	spin_unlock_irqrestore(&pool->lock, flags);
	trace_mm_ext_pool_wait(pool->name);
	/* As mempool.c: the timeout guards against a wake-up never coming. */
	io_schedule_timeout(5 * HZ);
	finish_wait(&pool->wait, &wait);
	return true;
}

/*
 * pool_alloc() after the underlying allocator failed its first try
 * (without reclaim): the reserve; with it empty, the allocator once more
 * with the caller's flags, then, when the caller may block, a sleep until
 * a free refills the reserve, and again. @stop as pool_alloc()'s.
 */
static noinline void *pool_alloc_slow(struct mempool_ext *pool, gfp_t gfp,
				      bool (*stop)(void))
{
	unsigned long flags;
	gfp_t gfp_temp;
	void *element;

	gfp = pool_gfp(gfp);
	gfp_temp = pool_gfp_first(gfp);
	for (;;) {
		spin_lock_irqsave(&pool->lock, flags);
		if (likely(pool->curr_nr))
			return take_reserved(pool, flags);

		/* We must not sleep without __GFP_DIRECT_RECLAIM. */
		if (gfp_temp == gfp && !gfpflags_allow_blocking(gfp)) {
			pool->failures++;
			spin_unlock_irqrestore(&pool->lock, flags);
			return NULL;
		}
		if (gfp_temp != gfp) {
			/* The first try went without reclaim: retry with it. */
			spin_unlock_irqrestore(&pool->lock, flags);
			gfp_temp = gfp;
		} else if (!pool_wait(pool, flags, stop)) {
			return NULL;
		}

		element = pool->alloc(gfp_temp, pool->pool_data);
		if (element) {
			this_cpu_inc(pool->pcpu->allocs);
			trace_mm_ext_pool_alloc(pool->name, element, false);
			return element;
		}
	}
}

/*
 * As mm/mempool.c's mempool_alloc(), and the wait may be abandoned: when
 * @stop (may be NULL) says so before a sleep, NULL. Inlined into both
 * callers, the slow part (pool_alloc_slow()) out of line: the common case
 * is the underlying allocator's first try and a per-CPU count.
 */
static __always_inline void *pool_alloc(struct mempool_ext *pool, gfp_t gfp,
					bool (*stop)(void))
{
	void *element;

	might_alloc(gfp);
	if (unlikely(gfp & __GFP_ZERO))
		return refuse_zero(pool);

	element = pool->alloc(pool_gfp_first(gfp), pool->pool_data);
	if (likely(element)) {
		/* One instruction on x86, safe in any context: no lock. */
		this_cpu_inc(pool->pcpu->allocs);
		trace_mm_ext_pool_alloc(pool->name, element, false);
		return element;
	}
	return pool_alloc_slow(pool, gfp, stop);
}

/**
 * mempool_ext_alloc() - allocate an element, from the reserve if need be
 * @pool: the pool
 * @gfp: allocation flags; with __GFP_DIRECT_RECLAIM the call may sleep
 *
 * As mempool_alloc(): the underlying allocator is asked first without
 * direct reclaim or I/O (and with __GFP_NORETRY and __GFP_NOWARN: failing is
 * fine, the reserve is there); only when it fails is an element taken from
 * the reserve. With the reserve empty, a caller that may block asks the
 * allocator once more with its full flags, then sleeps until an element is
 * freed to the pool (or 5 seconds pass) and starts again: it never gets
 * NULL. Others get NULL. __GFP_ZERO is refused: NULL, reported, counted in
 * the pool's errors and failures, whatever else @gfp says.
 *
 * Return: an element, or NULL for a gfp that may not block or __GFP_ZERO.
 */
void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp)
{
	return pool_alloc(pool, gfp, NULL);
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc);

/*
 * mempool_ext_alloc() whose wait for an element gives up, returning NULL
 * (counted in failures), once @stop() is true: a sleeper is woken by
 * wake_up_process() from whoever makes @stop() true, as kthread_stop() does.
 */
void *mempool_ext_alloc_until(struct mempool_ext *pool, gfp_t gfp, bool (*stop)(void))
{
	return pool_alloc(pool, gfp, stop);
}

/*
 * Caller holds pool->lock. An element from the reserve for each of the
 * @missing NULL slots of @elems[0..@count), all of them together, or none
 * when the reserve holds fewer: so two bulk callers never each hold a part
 * of what both wait for. Each is checked here, under the lock
 * as mm/mempool.c's remove_element() checks it, since afterwards nothing
 * tells the slots filled here from those the caller had set. Return: how
 * many had been written while resting (counted in errors; the caller
 * reports them once the lock is dropped), or -1 when nothing was taken.
 */
static int take_reserved_bulk(struct mempool_ext *pool, void **elems,
			      unsigned int count, unsigned int missing)
	__must_hold(&pool->lock)
{
	unsigned int i;
	int written = 0;

	if (pool->curr_nr < (int)missing)
		return -1;
	for (i = 0; i < count; i++) {
		void *element;

		if (elems[i])
			continue;
		element = remove_element(pool);
		if (!element_intact(pool, element))
			written++;
		elems[i] = element;
		trace_mm_ext_pool_alloc(pool->name, element, true);
	}
	pool->allocs += missing;
	pool->reserve_allocs += missing;
	pool->errors += written;
	return written;
}

/* A bulk call refused before anything is done: reported, counted in errors. */
static int refuse_bulk(struct mempool_ext *pool, unsigned int count, const char *why)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->errors++;
	spin_unlock_irqrestore(&pool->lock, flags);
	mm_ext_report(MM_EXT_POOL, pool->name, MM_EXT_MISUSE_BAD_CALL, NULL,
		      "pool %s: bulk allocation of %u elements refused: %s\n",
		      pool->name, count, why);
	return -EINVAL;
}

/*
 * As mainline 6.19's mempool_alloc_bulk(): the underlying allocator
 * first, slot by slot, keeping what it gives; at its first failure the
 * reserve for every slot still empty at once (take_reserved_bulk()); when
 * the reserve holds fewer, the allocator once more with the caller's full
 * flags, then a sleep until a free refills the reserve (or 5 seconds pass)
 * and again. A free that refills wakes every sleeper, and a sleeper needs
 * at most min_nr: the reserve refills to min_nr as elements come back, so
 * the sleep ends unless a resize has since cut min_nr below what is
 * missing (then only the allocator can end it). @stop as pool_alloc()'s:
 * -EINTR, the slots filled so far kept (and counted in allocs), the empty
 * ones counted in failures.
 */
static int pool_alloc_bulk(struct mempool_ext *pool, void **elems,
			   unsigned int count, gfp_t gfp, bool (*stop)(void))
{
	unsigned int i, missing = 0;
	wait_queue_entry_t wait;
	unsigned long flags;
	gfp_t gfp_temp;
	int written;

	if (unlikely(count > (unsigned int)READ_ONCE(pool->min_nr)))
		return refuse_bulk(pool, count, "more than the reserve holds (min_nr)");
	if (unlikely(!gfpflags_allow_blocking(gfp)))
		return refuse_bulk(pool, count, "its gfp may not block");
	if (unlikely(gfp & __GFP_ZERO))
		return refuse_bulk(pool, count, "__GFP_ZERO: reserve elements are not zeroed");
	might_alloc(gfp);

	for (i = 0; i < count; i++)
		if (!elems[i])
			missing++;
	if (!missing)
		return 0;
	gfp |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_temp = gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);

repeat_alloc:
	for (i = 0; i < count && missing; i++) {
		if (elems[i])
			continue;
		elems[i] = pool->alloc(gfp_temp, pool->pool_data);
		if (!elems[i])
			break;
		this_cpu_inc(pool->pcpu->allocs);
		trace_mm_ext_pool_alloc(pool->name, elems[i], false);
		missing--;
	}
	if (!missing)
		return 0;

	spin_lock_irqsave(&pool->lock, flags);
	written = take_reserved_bulk(pool, elems, count, missing);
	if (written >= 0) {
		spin_unlock_irqrestore(&pool->lock, flags);
		/* Paired with the smp_rmb() in mempool_ext_free(), as take_reserved()'s. */
		smp_wmb();
		while (written--)
			report_written(pool);
		return 0;
	}

	/* The first round went without reclaim: retry with it. */
	if (gfp_temp != gfp) {
		spin_unlock_irqrestore(&pool->lock, flags);
		gfp_temp = gfp;
		goto repeat_alloc;
	}

	/* Queued under pool->lock and @stop asked as in pool_wait(): see there. */
	init_wait(&wait);
	prepare_to_wait(&pool->wait, &wait, TASK_UNINTERRUPTIBLE);
	if (stop && stop()) {
		pool->failures += missing;
		spin_unlock_irqrestore(&pool->lock, flags);
		finish_wait(&pool->wait, &wait);
		return -EINTR;
	}
	pool->waits++;
	trace_mm_ext_pool_wait(pool->name);
	spin_unlock_irqrestore(&pool->lock, flags);
	io_schedule_timeout(5 * HZ);
	finish_wait(&pool->wait, &wait);
	goto repeat_alloc;
}

/**
 * mempool_ext_alloc_bulk() - fill the empty slots of an array from a pool
 * @pool: the pool
 * @elems: @count slots; each NULL one gets an element, the others are left
 *	   alone
 * @count: slots in @elems, at most the pool's min_nr
 * @gfp: allocation flags; must allow blocking (__GFP_DIRECT_RECLAIM)
 *
 * As mainline's mempool_alloc_bulk() (6.19): the underlying allocator is
 * asked first, as by mempool_ext_alloc(); when it fails, the reserve gives
 * an element for every slot still empty at once, or, holding fewer, none:
 * the call then sleeps until frees refill the reserve. So it never fails,
 * and two bulk callers never deadlock each holding part of the reserve, as
 * a loop of mempool_ext_alloc() calls can. May sleep.
 *
 * Counted as one mempool_ext_alloc() a slot filled (allocs, reserve_allocs),
 * and waits a sleep. A @count over min_nr, a @gfp that may not block and
 * __GFP_ZERO are refused: -EINVAL, reported, counted in the pool's errors,
 * and nothing else changes.
 *
 * Return: 0 with every slot of @elems set, or -EINVAL.
 */
int mempool_ext_alloc_bulk(struct mempool_ext *pool, void **elems,
			   unsigned int count, gfp_t gfp)
{
	return pool_alloc_bulk(pool, elems, count, gfp, NULL);
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_bulk);

/*
 * mempool_ext_alloc_bulk() whose wait gives up, as mempool_ext_alloc_until():
 * -EINTR once @stop() is true, the slots filled so far left filled (the
 * caller frees them) and the others NULL, counted in failures.
 */
int mempool_ext_alloc_bulk_until(struct mempool_ext *pool, void **elems,
				 unsigned int count, gfp_t gfp, bool (*stop)(void))
{
	return pool_alloc_bulk(pool, elems, count, gfp, stop);
}

/**
 * mempool_ext_alloc_preallocated() - take an element from the reserve only
 * @pool: the pool
 *
 * Never sleeps and never calls the underlying allocator.
 *
 * Return: an element, or NULL when the reserve is empty.
 */
void *mempool_ext_alloc_preallocated(struct mempool_ext *pool)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (likely(pool->curr_nr))
		return take_reserved(pool, flags);
	pool->failures++;
	spin_unlock_irqrestore(&pool->lock, flags);
	return NULL;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_preallocated);

/* A free the layer below refused: double free or foreign pointer. */
static noinline int refuse_not_out(struct mempool_ext *pool, const void *element)
{
	refuse_free(pool, element,
		    "not allocated from the layer below (double free or foreign pointer)");
	return -1;
}

/*
 * pool_free() past its common case: the reserve below min_nr, the element
 * maybe resting in it, or a backend without free_valid. Same answer.
 */
static noinline int pool_free_slow(struct mempool_ext *pool, void *element)
{
	unsigned long flags;

	/*
	 * Already back in the layer below, or never from it. Asked before
	 * anything reads the element: a foreign pointer may be shorter than
	 * an element (reserve elements are out too, so they pass).
	 */
	if (unlikely(!element_valid(pool, element)))
		return refuse_not_out(pool, element);

	/*
	 * Testing curr_nr < min_nr unlocked is enough: any task that took
	 * curr_nr below min_nr sees it below min_nr here unless a refill
	 * brought it back, and waiters exist only while curr_nr is below
	 * what they need, at most min_nr (0 for mempool_ext_alloc(), the
	 * empty slots for a bulk call), so the frees that wake them are
	 * guaranteed to come through here.
	 */
	if (unlikely(READ_ONCE(pool->curr_nr) < READ_ONCE(pool->min_nr))) {
		/*
		 * Poisoned before the lock (a block can be large). Should it
		 * turn out to rest in the reserve already, it was poisoned
		 * there too.
		 */
		poison_element(pool, element);
		spin_lock_irqsave(&pool->lock, flags);
		if (unlikely(maybe_in_reserve(pool, element) && in_reserve(pool, element)))
			goto refuse;
		if (likely(pool->curr_nr < pool->min_nr)) {
			add_element(pool, element);
			pool->frees++;
			pool->refills++;
			trace_mm_ext_pool_free(pool->name, element, true);
			/* Waiters queue under pool->lock: one queued is seen here. */
			if (waitqueue_active(&pool->wait)) {
				trace_mm_ext_pool_wake(pool->name);
				wake_up(&pool->wait);
			}
			spin_unlock_irqrestore(&pool->lock, flags);
			return 1;
		}
		/* Another free filled the reserve first: poisoned for nothing. */
		spin_unlock_irqrestore(&pool->lock, flags);
	} else if (unlikely(maybe_in_reserve(pool, element))) {
		/* Resting in a full reserve: the layer must not have it back. */
		spin_lock_irqsave(&pool->lock, flags);
		if (in_reserve(pool, element))
			goto refuse;
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	this_cpu_inc(pool->pcpu->frees);
	trace_mm_ext_pool_free(pool->name, element, false);
	pool->free(element, pool->pool_data);
	return 0;

refuse:
	spin_unlock_irqrestore(&pool->lock, flags);
	refuse_free(pool, element, "already in the reserve (double free)");
	return -1;
}

/*
 * mempool_ext_free() of @element, saying where it went: 1 into the
 * reserve, 0 back to the underlying allocator (or NULL, a no-op), -1
 * refused. Inlined into both callers: mempool_ext_free() drops the answer.
 */
static __always_inline int pool_free(struct mempool_ext *pool, void *element)
{
	if (unlikely(!element))
		return 0;

	/*
	 * Paired with the smp_wmb() after an element leaves the reserve. The
	 * read of @element comes before this and the reads of curr_nr and of
	 * the filter after, so what they show is from after @element was
	 * allocated, even when @element reached this task without other
	 * barriers (mempool.c explains the case for curr_nr). An older
	 * filter could only count more (@element itself, resting before it
	 * was taken): a needless search, never a missed one. A free of
	 * @element that put it back in the reserve and came before this one
	 * (a double free) counted it in the filter under the lock first.
	 */
	smp_rmb();

	/*
	 * The common case of a slab pool: the reserve full and no resting
	 * element in @element's filter bucket, so @element does not rest
	 * there. Then it goes back to the layer below in one call that
	 * checks it is out (a double free after it went back, a foreign
	 * pointer: refused, counted here) and frees it, in one look-up.
	 * Nothing read @element before. A second free racing this one (a
	 * misuse no check can order, as in the layer below) may pass too.
	 */
	if (likely(pool->free_valid) &&
	    likely(READ_ONCE(pool->curr_nr) >= READ_ONCE(pool->min_nr)) &&
	    likely(!maybe_in_reserve(pool, element))) {
		if (unlikely(!pool->free_valid(element, pool->pool_data)))
			return refuse_not_out(pool, element);
		this_cpu_inc(pool->pcpu->frees);
		trace_mm_ext_pool_free(pool->name, element, false);
		return 0;
	}
	return pool_free_slow(pool, element);
}

/**
 * mempool_ext_free() - give an element back to its pool
 * @element: the element, or NULL (a no-op)
 * @pool: the pool it came from
 *
 * While the reserve is below min_nr the element refills it and a sleeping
 * allocator, if there is one, is woken; otherwise it goes back to the
 * underlying allocator. An element already in the reserve, or (helper
 * pools) one the layer below does not have out (a double free, a foreign
 * pointer), is refused: reported, counted in the pool's errors, and
 * nothing else changes.
 */
void mempool_ext_free(void *element, struct mempool_ext *pool)
{
	pool_free(pool, element);
}
EXPORT_SYMBOL_GPL(mempool_ext_free);

/**
 * mempool_ext_free_bulk() - give @count elements back to their pool
 * @pool: the pool they came from
 * @elems: the elements; NULL slots are skipped
 * @count: slots in @elems
 *
 * As mempool_ext_free() of each in turn: the first ones refill the reserve
 * while it is below min_nr (waking sleepers), the rest go back to the
 * underlying allocator, and each is checked as mempool_ext_free() checks:
 * a double free or a foreign pointer is refused, reported, counted in the
 * pool's errors, and the others are still freed. Counted as that many
 * mempool_ext_free() calls. The slot of each element freed is set to NULL
 * (mainline's mempool_free_bulk() clears those the reserve took; here the
 * pool takes them all), so @elems is ready for mempool_ext_alloc_bulk()
 * again; a refused element's slot is left as it was.
 *
 * Return: how many of them went into the reserve.
 */
unsigned int mempool_ext_free_bulk(struct mempool_ext *pool, void **elems,
				   unsigned int count)
{
	unsigned int i, refilled = 0;

	for (i = 0; i < count; i++) {
		int ret = pool_free(pool, elems[i]);

		if (ret < 0)
			continue;
		refilled += ret;
		elems[i] = NULL;
	}
	return refilled;
}
EXPORT_SYMBOL_GPL(mempool_ext_free_bulk);

/* Give @nr poisoned elements of @elements back to the underlying allocator. */
static void free_elements(struct mempool_ext *pool, void **elements, int nr)
{
	while (nr--)
		pool->free(elements[nr], pool->pool_data);
}

/**
 * mempool_ext_resize() - change the number of elements kept in reserve
 * @pool: the pool
 * @new_min_nr: the new reserve target, at least 0
 *
 * Shrinking gives the surplus reserve back to the underlying allocator at
 * once. Growing allocates, with GFP_KERNEL, the elements the reserve lacks
 * to reach @new_min_nr, and only when it has them all raises min_nr and
 * puts them in: a pool never promises what it does not hold. Safe while
 * other threads allocate and free. May sleep.
 *
 * Return: 0, -EINVAL for a negative @new_min_nr, -ENOMEM when the elements
 * or the larger reserve array cannot be had (the pool is then unchanged).
 */
int mempool_ext_resize(struct mempool_ext *pool, int new_min_nr)
{
	void **new_elements = NULL, **fresh = NULL;
	unsigned long flags;
	void *element;
	int need, i, ret = 0;

	if (new_min_nr < 0)
		return -EINVAL;
	might_sleep();

	mutex_lock(&pool->resize_lock);
	spin_lock_irqsave(&pool->lock, flags);
	if (new_min_nr <= pool->min_nr) {
		while (new_min_nr < pool->curr_nr) {
			element = remove_element(pool);
			spin_unlock_irqrestore(&pool->lock, flags);
			check_element(pool, element);
			pool->free(element, pool->pool_data);
			spin_lock_irqsave(&pool->lock, flags);
		}
		WRITE_ONCE(pool->min_nr, new_min_nr);
		pool->lowest_nr = min(pool->lowest_nr, pool->curr_nr);
		spin_unlock_irqrestore(&pool->lock, flags);
		goto out;
	}
	/* Frees may refill meanwhile, never above min_nr: @need is enough. */
	need = new_min_nr - pool->curr_nr;
	spin_unlock_irqrestore(&pool->lock, flags);

	new_elements = kvmalloc_array(new_min_nr, sizeof(*new_elements),
				      GFP_KERNEL | __GFP_NOWARN);
	fresh = kvmalloc_array(need, sizeof(*fresh), GFP_KERNEL | __GFP_NOWARN);
	if (!new_elements || !fresh) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < need; i++) {
		fresh[i] = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!fresh[i]) {
			free_elements(pool, fresh, i);
			ret = -ENOMEM;
			goto out;
		}
		poison_element(pool, fresh[i]);
	}

	spin_lock_irqsave(&pool->lock, flags);
	memcpy(new_elements, pool->elements, pool->curr_nr * sizeof(*new_elements));
	swap(pool->elements, new_elements);
	WRITE_ONCE(pool->min_nr, new_min_nr);
	while (need && pool->curr_nr < pool->min_nr)
		add_element(pool, fresh[--need]);
	/* Waiters queue under pool->lock: one queued is seen here. */
	if (waitqueue_active(&pool->wait)) {
		trace_mm_ext_pool_wake(pool->name);
		wake_up(&pool->wait);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	/* What frees put in meanwhile left over. */
	free_elements(pool, fresh, need);
out:
	mutex_unlock(&pool->resize_lock);
	kvfree(new_elements);
	kvfree(fresh);
	return ret;
}
EXPORT_SYMBOL_GPL(mempool_ext_resize);

/**
 * mempool_ext_info() - take a snapshot of a pool's counters
 * @pool: the pool
 * @info: filled in
 *
 * The reserve's state and counters are read together under the pool's
 * lock; allocs and frees add up per-CPU counts too, so while the pool is
 * in use they may lag by the calls in flight. Exact when the pool is quiet.
 */
void mempool_ext_info(struct mempool_ext *pool, struct mempool_ext_info *info)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	info->min_nr = pool->min_nr;
	info->curr_nr = pool->curr_nr;
	pool_counts(pool, &info->allocs, &info->frees);
	info->reserve_allocs = pool->reserve_allocs;
	info->refills = pool->refills;
	info->waits = pool->waits;
	info->failures = pool->failures;
	spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_GPL(mempool_ext_info);

/**
 * mempool_ext_destroy() - free a pool's reserve and the pool
 * @pool: the pool, or NULL (a no-op)
 *
 * Elements still allocated from the pool are reported by count; they
 * belong to the underlying allocator, which the caller frees them to.
 */
void mempool_ext_destroy(struct mempool_ext *pool)
{
	u64 allocs, frees;

	if (IS_ERR_OR_NULL(pool))
		return;
	mm_ext_names_del(&mempool_ext_pools, &pool->named);

	/*
	 * Refused frees count nowhere but errors, so frees never pass allocs
	 * for a helper pool; a custom pool's layer cannot be asked, hence >.
	 */
	pool_counts(pool, &allocs, &frees);
	if (allocs > frees)
		mm_ext_report(MM_EXT_POOL, pool->name, MM_EXT_MISUSE_LEAK, NULL,
			      "pool %s: destroyed with %llu elements still allocated (leak)\n",
			      pool->name, allocs - frees);
	free_pool(pool);
}
EXPORT_SYMBOL_GPL(mempool_ext_destroy);

static void pool_destroy(void *pool)
{
	mempool_ext_destroy(pool);
}

/* At module unload: any pool a user left behind goes, reported. */
void mempool_ext_exit(void)
{
	mm_ext_names_destroy_all(&mempool_ext_pools, pool_destroy);
}

const char *mempool_ext_name(struct mempool_ext *pool)
{
	return pool->name;
}

/**
 * mempool_ext_get_extra() - a pool's counters beyond mempool_ext_info
 * @pool: the pool
 * @extra: filled in: the lowest the reserve fell to, the misuses counted
 *	   (refused frees, __GFP_ZERO, elements written in the reserve) and
 *	   the size of the poison (0: elements rest unpoisoned)
 */
void mempool_ext_get_extra(struct mempool_ext *pool, struct mempool_ext_extra *extra)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	extra->lowest_nr = pool->lowest_nr;
	extra->errors = pool->errors;
	extra->elem_size = pool->elem_size;
	spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_GPL(mempool_ext_get_extra);
