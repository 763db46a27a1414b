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
 * under SLUB debugging) when the element size is known, and a free of a
 * pointer the underlying allocator did not hand out refused by that layer
 * instead of being taken into the reserve.
 */

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

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_internal.h"

enum mempool_ext_kind { POOL_CUSTOM, POOL_SLAB, POOL_PAGE, POOL_KMALLOC };

/*
 * The fast paths' counters: allocations the underlying allocator served,
 * frees that went back to it. Per CPU, so those paths take no lock, as
 * mm/mempool.c takes none; mempool_ext_info() adds them up.
 */
struct mempool_ext_pcpu {
	u64 allocs, frees;
};

/* What a page pool's allocator functions need: the pool keeps it. */
struct mempool_ext_page {
	struct buddy_sim *zone;
	unsigned int order;
};

struct mempool_ext {
	char name[MM_EXT_NAME_MAX + 1];
	struct list_head node;		/* on mempool_ext_pools */
	mempool_ext_alloc_t *alloc;
	mempool_ext_free_t *free;
	void *pool_data;
	enum mempool_ext_kind kind;
	struct mempool_ext_page page;	/* POOL_PAGE: what pool_data points to */
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
	atomic_t users;			/* workloads driving it */
};

/* Protects mempool_ext_pools: the list of pools, and so the unique names. */
static DEFINE_MUTEX(mempool_ext_pools_lock);
static LIST_HEAD(mempool_ext_pools);

/* Resting elements read as freed SLUB objects do: 0x6b ... 0xa5. */
static void poison_element(struct mempool_ext *pool, void *element)
{
	if (!pool->elem_size)
		return;
	memset(element, POISON_FREE, pool->elem_size - 1);
	((u8 *)element)[pool->elem_size - 1] = POISON_END;
}

static void check_element(struct mempool_ext *pool, void *element)
{
	unsigned long flags;

	if (!pool->elem_size)
		return;
	if (!memchr_inv(element, POISON_FREE, pool->elem_size - 1) &&
	    ((u8 *)element)[pool->elem_size - 1] == POISON_END)
		return;
	spin_lock_irqsave(&pool->lock, flags);
	pool->errors++;
	spin_unlock_irqrestore(&pool->lock, flags);
	mm_ext_report("pool %s: element written while resting in the reserve (write after free)\n",
		      pool->name);
}

/* Caller holds pool->lock; the element was poisoned before it was taken. */
static void add_element(struct mempool_ext *pool, void *element)
{
	pool->elements[pool->curr_nr++] = element;
}

static void *remove_element(struct mempool_ext *pool)
{
	void *element = pool->elements[--pool->curr_nr];

	pool->lowest_nr = min(pool->lowest_nr, pool->curr_nr);
	return element;
}

/*
 * Whether the layer below handed out @element and has not had it back.
 * For the helper pools only; a custom pool's allocator cannot be asked.
 */
static bool element_valid(struct mempool_ext *pool, void *element)
{
	switch (pool->kind) {
	case POOL_SLAB:
		return slab_ext_obj_allocated(pool->pool_data, element);
	case POOL_PAGE:
		return buddy_sim_block_allocated(pool->page.zone, element, pool->page.order);
	case POOL_KMALLOC:
		return slab_ext_kmalloc_allocated(element, pool->elem_size);
	default:
		return true;
	}
}

static void free_pool(struct mempool_ext *pool)
{
	while (pool->curr_nr) {
		void *element = remove_element(pool);

		check_element(pool, element);
		pool->free(element, pool->pool_data);
	}
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

static struct mempool_ext *pool_create(const char *name, int min_nr,
				       mempool_ext_alloc_t *alloc_fn,
				       mempool_ext_free_t *free_fn, void *pool_data,
				       enum mempool_ext_kind kind, size_t elem_size)
{
	struct mempool_ext *pool, *other;

	if (!mm_ext_name_valid(name) || min_nr < 0 || !alloc_fn || !free_fn)
		return ERR_PTR(-EINVAL);
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	strscpy(pool->name, name, sizeof(pool->name));
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->pool_data = pool_data;
	pool->kind = kind;
	pool->elem_size = elem_size;
	if (kind == POOL_PAGE) {
		/* A page pool's data is the zone; its allocator needs the order too. */
		pool->page.zone = pool_data;
		pool->page.order = get_order(elem_size);
		pool->pool_data = &pool->page;
	}
	pool->min_nr = min_nr;
	spin_lock_init(&pool->lock);
	init_waitqueue_head(&pool->wait);
	pool->pcpu = mm_ext_percpu_new(struct mempool_ext_pcpu);
	pool->elements = kvmalloc_array(max(min_nr, 1), sizeof(void *),
					GFP_KERNEL | __GFP_NOWARN);
	if (!pool->elements || !pool->pcpu) {
		kvfree(pool->elements);
		free_percpu(pool->pcpu);
		kfree(pool);
		return ERR_PTR(-ENOMEM);
	}

	/* Fill the reserve first: a pool that cannot keep its promise is no pool. */
	while (pool->curr_nr < min_nr) {
		void *element = alloc_fn(GFP_KERNEL, pool->pool_data);

		if (!element) {
			free_pool(pool);
			return ERR_PTR(-ENOMEM);
		}
		poison_element(pool, element);
		add_element(pool, element);
	}
	pool->lowest_nr = pool->curr_nr;

	mutex_lock(&mempool_ext_pools_lock);
	list_for_each_entry(other, &mempool_ext_pools, node) {
		if (!strcmp(other->name, name)) {
			mutex_unlock(&mempool_ext_pools_lock);
			free_pool(pool);
			return ERR_PTR(-EEXIST);
		}
	}
	list_add_tail(&pool->node, &mempool_ext_pools);
	if (kind == POOL_SLAB)
		slab_ext_get(pool_data);
	else if (kind == POOL_PAGE)
		buddy_sim_get(pool_data);
	mm_ext_debugfs_add_pool(pool);
	mutex_unlock(&mempool_ext_pools_lock);
	return pool;
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
	return pool_create(name, min_nr, alloc_fn, free_fn, pool_data, POOL_CUSTOM, 0);
}
EXPORT_SYMBOL_GPL(mempool_ext_create);

static void *pool_slab_alloc(gfp_t gfp, void *cache)
{
	return slab_ext_alloc(cache, gfp);
}

static void pool_slab_free(void *element, void *cache)
{
	slab_ext_free(cache, element);
}

/**
 * mempool_ext_create_slab_pool() - a pool over a slab_ext cache
 * @name: the pool's name
 * @min_nr: elements kept in reserve
 * @cache: the cache elements come from
 *
 * Elements resting in the reserve are poisoned unless the cache has a ctor.
 *
 * Return: as mempool_ext_create(); ERR_PTR(-EINVAL) for a NULL or error
 * @cache.
 */
struct mempool_ext *mempool_ext_create_slab_pool(const char *name, int min_nr,
						 struct slab_ext_cache *cache)
{
	struct slab_ext_extra extra;
	struct slab_ext_info info;

	if (IS_ERR_OR_NULL(cache))
		return ERR_PTR(-EINVAL);
	slab_ext_cache_info(cache, &info);
	slab_ext_get_extra(cache, &extra);
	/* Poison would destroy what a ctor built: such elements rest unpoisoned. */
	return pool_create(name, min_nr, pool_slab_alloc, pool_slab_free, cache,
			   POOL_SLAB, extra.has_ctor ? 0 : info.object_size);
}
EXPORT_SYMBOL_GPL(mempool_ext_create_slab_pool);

static void *pool_page_alloc(gfp_t gfp, void *data)
{
	struct mempool_ext_page *page = data;

	return buddy_sim_alloc(page->zone, gfp, page->order);
}

static void pool_page_free(void *element, void *data)
{
	struct mempool_ext_page *page = data;

	buddy_sim_free(page->zone, element, page->order);
}

/**
 * mempool_ext_create_page_pool() - a pool of page blocks from a zone
 * @name: the pool's name
 * @min_nr: blocks kept in reserve
 * @zone: the zone blocks come from
 * @order: every block is 1 << @order pages
 *
 * Return: as mempool_ext_create(); ERR_PTR(-EINVAL) for a NULL or error
 * @zone or an order over BUDDY_SIM_MAX_ORDER.
 */
struct mempool_ext *mempool_ext_create_page_pool(const char *name, int min_nr,
						 struct buddy_sim *zone,
						 unsigned int order)
{
	if (IS_ERR_OR_NULL(zone) || order > BUDDY_SIM_MAX_ORDER)
		return ERR_PTR(-EINVAL);
	return pool_create(name, min_nr, pool_page_alloc, pool_page_free, zone,
			   POOL_PAGE, PAGE_SIZE << order);
}
EXPORT_SYMBOL_GPL(mempool_ext_create_page_pool);

static void *pool_kmalloc(gfp_t gfp, void *size)
{
	return slab_ext_kmalloc((size_t)size, gfp);
}

static void pool_kfree(void *element, void *size)
{
	slab_ext_kfree(element);
}

/**
 * mempool_ext_create_kmalloc_pool() - a pool of slab_ext_kmalloc() memory
 * @name: the pool's name
 * @min_nr: elements kept in reserve
 * @size: bytes in each element
 *
 * Return: as mempool_ext_create(); ERR_PTR(-EINVAL) for a @size of 0 or
 * over a max-order block.
 */
struct mempool_ext *mempool_ext_create_kmalloc_pool(const char *name,
						    int min_nr, size_t size)
{
	if (!size || size > (PAGE_SIZE << BUDDY_SIM_MAX_ORDER))
		return ERR_PTR(-EINVAL);
	return pool_create(name, min_nr, pool_kmalloc, pool_kfree, (void *)size,
			   POOL_KMALLOC, size);
}
EXPORT_SYMBOL_GPL(mempool_ext_create_kmalloc_pool);

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
	return element;
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
 * NULL. Others get NULL.
 *
 * Return: an element, or NULL only for a gfp that may not block.
 */
void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp)
{
	wait_queue_entry_t wait;
	unsigned long flags;
	gfp_t gfp_temp;
	void *element;

	might_alloc(gfp);
	gfp |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_temp = gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);

repeat_alloc:
	element = pool->alloc(gfp_temp, pool->pool_data);
	if (likely(element)) {
		/* One instruction on x86, safe in any context: no lock. */
		this_cpu_inc(pool->pcpu->allocs);
		return element;
	}

	spin_lock_irqsave(&pool->lock, flags);
	if (likely(pool->curr_nr))
		return take_reserved(pool, flags);

	/* The first round went without reclaim: with an empty reserve, retry with it. */
	if (gfp_temp != gfp) {
		spin_unlock_irqrestore(&pool->lock, flags);
		gfp_temp = gfp;
		goto repeat_alloc;
	}

	/* We must not sleep without __GFP_DIRECT_RECLAIM. */
	if (!gfpflags_allow_blocking(gfp)) {
		pool->failures++;
		spin_unlock_irqrestore(&pool->lock, flags);
		return NULL;
	}

	/*
	 * Wait for an element freed to the pool. Queued under pool->lock,
	 * so a free that refills the reserve after our check sees us.
	 */
	init_wait(&wait);
	prepare_to_wait(&pool->wait, &wait, TASK_UNINTERRUPTIBLE);
	pool->waits++;
	spin_unlock_irqrestore(&pool->lock, flags);
	/* As mempool.c: the timeout guards against a wake-up never coming. */
	io_schedule_timeout(5 * HZ);
	finish_wait(&pool->wait, &wait);
	goto repeat_alloc;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc);

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

/**
 * mempool_ext_free() - give an element back to its pool
 * @element: the element, or NULL (a no-op)
 * @pool: the pool it came from
 *
 * While the reserve is below min_nr the element refills it and a sleeping
 * allocator, if there is one, is woken; otherwise it goes back to the
 * underlying allocator. For the helper pools, an element that allocator
 * did not hand out is passed to it to report, never taken into the reserve.
 */
void mempool_ext_free(void *element, struct mempool_ext *pool)
{
	unsigned long flags;

	if (unlikely(!element))
		return;

	/*
	 * Paired with the smp_wmb() after an element leaves the reserve. The
	 * read of @element comes before this and the read of curr_nr after,
	 * so the curr_nr seen is one from after @element was allocated, even
	 * when @element reached this task without other barriers. mempool.c
	 * explains the case.
	 */
	smp_rmb();

	/*
	 * Testing curr_nr < min_nr unlocked is enough: any task that took
	 * curr_nr below min_nr sees it below min_nr here unless a refill
	 * brought it back, and waiters exist only while curr_nr is 0, so
	 * the frees that wake them are guaranteed to come through here.
	 */
	if (unlikely(READ_ONCE(pool->curr_nr) < READ_ONCE(pool->min_nr))) {
		if (!element_valid(pool, element)) {
			/* Not the layer's element: let it say so, keep it out of the reserve. */
			pool->free(element, pool->pool_data);
			return;
		}
		poison_element(pool, element);
		spin_lock_irqsave(&pool->lock, flags);
		if (likely(pool->curr_nr < pool->min_nr)) {
			add_element(pool, element);
			pool->frees++;
			pool->refills++;
			/* Waiters queue under pool->lock: one queued is seen here. */
			if (waitqueue_active(&pool->wait))
				wake_up(&pool->wait);
			spin_unlock_irqrestore(&pool->lock, flags);
			return;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	this_cpu_inc(pool->pcpu->frees);
	pool->free(element, pool->pool_data);
}
EXPORT_SYMBOL_GPL(mempool_ext_free);

/**
 * mempool_ext_resize() - change the number of elements kept in reserve
 * @pool: the pool
 * @new_min_nr: the new reserve target, at least 0
 *
 * Shrinking gives the surplus reserve back to the underlying allocator at
 * once; growing fills the reserve with GFP_KERNEL allocations, as far as
 * they succeed (later frees fill the rest). Safe while other threads
 * allocate and free. May sleep.
 *
 * Return: 0, -EINVAL for a negative @new_min_nr, -ENOMEM when the larger
 * reserve array cannot be had (the pool is then unchanged).
 */
int mempool_ext_resize(struct mempool_ext *pool, int new_min_nr)
{
	void **new_elements;
	unsigned long flags;
	void *element;

	if (new_min_nr < 0)
		return -EINVAL;
	might_sleep();

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
		return 0;
	}
	spin_unlock_irqrestore(&pool->lock, flags);

	new_elements = kvmalloc_array(new_min_nr, sizeof(*new_elements),
				      GFP_KERNEL | __GFP_NOWARN);
	if (!new_elements)
		return -ENOMEM;
	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(new_min_nr <= pool->min_nr)) {
		/* Raced with another resize, which did our work. */
		spin_unlock_irqrestore(&pool->lock, flags);
		kvfree(new_elements);
		return 0;
	}
	memcpy(new_elements, pool->elements, pool->curr_nr * sizeof(*new_elements));
	swap(pool->elements, new_elements);
	WRITE_ONCE(pool->min_nr, new_min_nr);
	spin_unlock_irqrestore(&pool->lock, flags);
	kvfree(new_elements);

	for (;;) {
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			return 0;
		poison_element(pool, element);
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr >= pool->min_nr) {
			/* Raced with frees that filled it. */
			spin_unlock_irqrestore(&pool->lock, flags);
			pool->free(element, pool->pool_data);
			return 0;
		}
		add_element(pool, element);
		/* Waiters queue under pool->lock: one queued is seen here. */
		if (waitqueue_active(&pool->wait))
			wake_up(&pool->wait);
		spin_unlock_irqrestore(&pool->lock, flags);
	}
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
	mutex_lock(&mempool_ext_pools_lock);
	mm_ext_debugfs_remove_pool(pool);
	list_del(&pool->node);
	mutex_unlock(&mempool_ext_pools_lock);
	if (pool->kind == POOL_SLAB)
		slab_ext_put(pool->pool_data);
	else if (pool->kind == POOL_PAGE)
		buddy_sim_put(pool->page.zone);

	pool_counts(pool, &allocs, &frees);
	if (allocs != frees)
		mm_ext_report("pool %s: destroyed with %llu elements still allocated (leak)\n",
			      pool->name, allocs - frees);
	free_pool(pool);
}
EXPORT_SYMBOL_GPL(mempool_ext_destroy);

/* At module unload: any pool a user left behind goes, reported. */
void mempool_ext_exit(void)
{
	struct mempool_ext *pool;

	for (;;) {
		mutex_lock(&mempool_ext_pools_lock);
		pool = list_first_entry_or_null(&mempool_ext_pools, struct mempool_ext, node);
		mutex_unlock(&mempool_ext_pools_lock);
		if (!pool)
			break;
		mm_ext_report("pool %s: still present at unload, destroying it\n", pool->name);
		mempool_ext_destroy(pool);
	}
}

/* The pool named @name, or NULL. */
struct mempool_ext *mempool_ext_find(const char *name)
{
	struct mempool_ext *pool, *found = NULL;

	mutex_lock(&mempool_ext_pools_lock);
	list_for_each_entry(pool, &mempool_ext_pools, node) {
		if (!strcmp(pool->name, name)) {
			found = pool;
			break;
		}
	}
	mutex_unlock(&mempool_ext_pools_lock);
	return found;
}

void mempool_ext_get(struct mempool_ext *pool)
{
	atomic_inc(&pool->users);
}

void mempool_ext_put(struct mempool_ext *pool)
{
	atomic_dec(&pool->users);
}

int mempool_ext_users(struct mempool_ext *pool)
{
	return atomic_read(&pool->users);
}

int mempool_ext_min_nr(struct mempool_ext *pool)
{
	return READ_ONCE(pool->min_nr);
}

const char *mempool_ext_name(struct mempool_ext *pool)
{
	return pool->name;
}

void mempool_ext_get_extra(struct mempool_ext *pool, struct mempool_ext_extra *extra)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	extra->lowest_nr = pool->lowest_nr;
	extra->errors = pool->errors;
	extra->elem_size = pool->elem_size;
	spin_unlock_irqrestore(&pool->lock, flags);
}
