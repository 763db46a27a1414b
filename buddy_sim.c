// SPDX-License-Identifier: GPL-2.0
/*
 * buddy_sim - simulated zones managed by a binary buddy allocator.
 *
 * A zone is a run of real pages taken once from the kernel. It is split into
 * naturally aligned blocks of 1 << order pages (order 0..BUDDY_SIM_MAX_ORDER),
 * kept on one free list per order, as mm/page_alloc.c keeps a zone's
 * free_area[]. Allocation takes the smallest order that fits and splits the
 * rest down; a free merges the block with its buddy (pfn ^ (1 << order)) for
 * as long as the buddy is free and of the same order.
 *
 * As with struct page, only the first page of a block (its head) carries the
 * block's state and order: splitting and merging touch two heads per order,
 * so every operation is O(BUDDY_SIM_MAX_ORDER) and never scans the zone.
 *
 * Zones of 1024 pages or more also keep per-CPU lists of free order-0 pages,
 * as the kernel's pcp lists: order-0 allocations and frees on a CPU use its
 * list without the zone lock, and pages move to and from the free lists in
 * batches. Pages on a list are free but outside the free lists: they count
 * in nr_free_pages and nr_pcp, not in nr_free[], and do not merge until
 * drained. While watermarks or failure injection are set, every allocation
 * takes the free lists, so both see every request and every page.
 */

#include <linux/atomic.h>
#include <linux/cpuhotplug.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <mm_ext/buddy_sim.h>
#include "buddy_sim_internal.h"
#include "mm_ext_trace.h"

MM_EXT_FAST_PAGE(buddy_sim);

enum buddy_sim_page_state {
	BSP_TAIL = 0,		/* inside a block, not its head */
	BSP_FREE,		/* head of a free block, on free_list[order] */
	BSP_ALLOC,		/* head of an allocated block */
	BSP_PCP,		/* free order-0 page on a per-CPU list */
};

#define BUDDY_SIM_PCP_MAX	64	/* most pages a per-CPU list holds */

/* A CPU's list of free order-0 pages (struct per_cpu_pages). */
struct buddy_sim_pcp {
	/*
	 * Protects this list (every field below). Its CPU takes it with
	 * interrupts off (pcp_lock()); drains take it from any CPU, as
	 * pcp->lock in mm/page_alloc.c. Nests outside zone->lock.
	 */
	spinlock_t lock;
	unsigned int count;
	u64 allocs, frees;		/* served from here */
	unsigned long pfns[BUDDY_SIM_PCP_MAX];
};

/* The descriptor of one page of the zone, the simulator's struct page. */
struct buddy_sim_page {
	struct list_head lru;	/* free_list[order] link while BSP_FREE */
	u8 state;		/* enum buddy_sim_page_state */
	u8 order;		/* block order, valid on heads only */
	struct buddy_sim_owner owner; /* the block owner's data (slab_ext) */
};

struct buddy_sim {
	char name[MM_EXT_NAME_MAX + 1];
	struct mm_ext_named named;	/* in buddy_sim_zones */
	void *base;			/* nr_pages * PAGE_SIZE bytes of vmalloc */
	unsigned long nr_pages;
	struct buddy_sim_page *pages;	/* one descriptor per page */

	/*
	 * Protects everything below: free lists, page descriptors, counters,
	 * watermarks and failure injection. Taken with interrupts off, as
	 * zone->lock is, so the zone may be used from any context.
	 */
	spinlock_t lock;
	struct list_head free_list[BUDDY_SIM_MAX_ORDER + 1];
	unsigned long nr_free[BUDDY_SIM_MAX_ORDER + 1];
	unsigned long nr_free_pages;
	u64 allocs, frees, failures, splits, merges, errors;
	struct buddy_sim_extra extra;
	struct buddy_sim_wmark wmark;
	struct buddy_sim_fail fail;
	u64 fail_attempts;		/* eligible allocations seen by injection */
	struct rnd_state fail_rnd;	/* seeded per zone: runs are reproducible */

	struct buddy_sim_pcp __percpu *pcp;
	unsigned int pcp_high;		/* pages a list holds before a flush; 0: off */
	unsigned int pcp_batch;		/* pages moved per refill or flush */
	bool slow_only;			/* watermarks or injection set: no pcp */

	/*
	 * What a _nolock call counts when it cannot take the lock to count
	 * under it: NULLs returned for contention (or a refused context),
	 * and misuse found then. buddy_sim_info() adds them to failures and
	 * errors. Atomic: any context, NMIs included, may add.
	 */
	atomic_long_t nolock_failures, nolock_errors;
};

/* Every zone, by unique name; its lock is buddy_sim_zones.lock. */
static struct mm_ext_names buddy_sim_zones = {
	.lock = __MUTEX_INITIALIZER(buddy_sim_zones.lock),
	.list = LIST_HEAD_INIT(buddy_sim_zones.list),
	.kind = MM_EXT_ZONE,
};

static inline void *zone_addr(struct buddy_sim *zone, unsigned long pfn)
{
	return zone->base + (pfn << PAGE_SHIFT);
}

/* Put the block at @pfn on the free list of @order. Caller holds zone->lock. */
static void add_free_block(struct buddy_sim *zone, unsigned long pfn,
			   unsigned int order)
{
	struct buddy_sim_page *page = &zone->pages[pfn];

	page->state = BSP_FREE;
	page->order = order;
	list_add(&page->lru, &zone->free_list[order]);
	zone->nr_free[order]++;
	zone->nr_free_pages += 1UL << order;
}

static void del_free_block(struct buddy_sim *zone, unsigned long pfn,
			   unsigned int order)
{
	struct buddy_sim_page *page = &zone->pages[pfn];

	list_del(&page->lru);
	page->state = BSP_TAIL;
	zone->nr_free[order]--;
	zone->nr_free_pages -= 1UL << order;
}

/*
 * Give the block at @pfn back to the free lists, merging it with its buddy
 * as far as it goes, as __free_one_page() does. A buddy past the end of an
 * odd-sized zone does not exist, so the tail never merges beyond the zone.
 */
static void free_one_block(struct buddy_sim *zone, unsigned long pfn,
			   unsigned int order)
{
	while (order < BUDDY_SIM_MAX_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);
		struct buddy_sim_page *bp;

		if (buddy + (1UL << order) > zone->nr_pages)
			break;
		bp = &zone->pages[buddy];
		if (bp->state != BSP_FREE || bp->order != order)
			break;
		del_free_block(zone, buddy, order);
		zone->pages[pfn].state = BSP_TAIL;
		pfn &= buddy;		/* the lower of the two heads the merged block */
		trace_mm_ext_page_merge(zone->name, pfn, order);
		order++;
		zone->merges++;
	}
	add_free_block(zone, pfn, order);
}

/*
 * Watermark check as __zone_watermark_ok() does it: the allocation must not
 * take the free pages below min; __GFP_HIGH may dip to half of min, as
 * ALLOC_MIN_RESERVE does. All-zero watermarks are off.
 */
static bool wmark_ok(struct buddy_sim *zone, gfp_t gfp, unsigned int order)
{
	unsigned long min = zone->wmark.min;

	if (!min)
		return true;
	if (gfp & __GFP_HIGH)
		min -= min / 2;
	return zone->nr_free_pages >= (1UL << order) + min;
}

/* fail_page_alloc's rules, per zone: interval, probability, min order, times. */
static bool should_fail(struct buddy_sim *zone, unsigned int order)
{
	struct buddy_sim_fail *f = &zone->fail;
	bool fail = false;

	if (!f->interval && !f->probability)
		return false;
	if (order < f->min_order || f->times == 0)
		return false;
	zone->fail_attempts++;
	if (f->interval && zone->fail_attempts % f->interval == 0)
		fail = true;
	if (!fail && f->probability &&
	    prandom_u32_state(&zone->fail_rnd) % 100 < f->probability)
		fail = true;
	if (fail && f->times > 0)
		f->times--;
	return fail;
}

static void count_crossings(struct buddy_sim *zone, unsigned long before)
{
	unsigned long after = zone->nr_free_pages;

	if (zone->wmark.low && before >= zone->wmark.low && after < zone->wmark.low)
		zone->extra.low_crossed++;
	if (zone->wmark.min && before >= zone->wmark.min && after < zone->wmark.min)
		zone->extra.min_crossed++;
}

/*
 * Take the smallest free block of at least @order off the free lists and
 * split it down, putting each upper half back as expand() does. Returns the
 * pfn, or ULONG_MAX when nothing fits. Caller holds zone->lock.
 */
static unsigned long rmqueue(struct buddy_sim *zone, unsigned int order)
{
	unsigned long pfn;
	unsigned int o;

	for (o = order; o <= BUDDY_SIM_MAX_ORDER; o++)
		if (!list_empty(&zone->free_list[o]))
			break;
	if (o > BUDDY_SIM_MAX_ORDER)
		return ULONG_MAX;
	pfn = list_first_entry(&zone->free_list[o], struct buddy_sim_page, lru) - zone->pages;
	del_free_block(zone, pfn, o);
	while (o > order) {
		o--;
		add_free_block(zone, pfn + (1UL << o), o);
		zone->splits++;
		trace_mm_ext_page_split(zone->name, pfn + (1UL << o), o);
	}
	return pfn;
}

static bool pcp_usable(struct buddy_sim *zone)
{
	return READ_ONCE(zone->pcp_high) && !READ_ONCE(zone->slow_only);
}

/* An order-0 page from this CPU's list, refilled in a batch if empty. */
static unsigned long pcp_alloc(struct buddy_sim *zone)
{
	unsigned long flags, before, pfn = ULONG_MAX;
	struct buddy_sim_pcp *pcp;

	/*
	 * This CPU's list. The pointer is taken before the lock, so a task
	 * that migrates in between locks another CPU's list: still correct,
	 * since every list is only ever used under its own lock (drains take
	 * it from any CPU), as pcp_spin_lock() in mm/page_alloc.c. A
	 * spinlock_t, not a local_lock_t, because drains must reach other
	 * CPUs' lists; on PREEMPT_RT it sleeps and interrupts are threads.
	 */
	pcp = raw_cpu_ptr(zone->pcp);
	spin_lock_irqsave(&pcp->lock, flags);
	if (!pcp->count) {
		unsigned int batch = READ_ONCE(zone->pcp_batch);

		spin_lock(&zone->lock);
		/*
		 * Watermarks or injection set since pcp_usable() said yes: they
		 * must see this allocation, so it takes the slow path.
		 */
		if (zone->slow_only)
			batch = 0;
		before = zone->nr_free_pages;
		while (pcp->count < batch) {
			pfn = rmqueue(zone, 0);
			if (pfn == ULONG_MAX)
				break;
			zone->pages[pfn].state = BSP_PCP;
			zone->pages[pfn].order = 0;
			pcp->pfns[pcp->count++] = pfn;
		}
		/* A refill takes free pages too: watermark crossings count it. */
		count_crossings(zone, before);
		if (pcp->count)
			trace_mm_ext_pcp_refill(zone->name, pcp->count);
		spin_unlock(&zone->lock);
		pfn = ULONG_MAX;
	}
	if (pcp->count) {
		pfn = pcp->pfns[--pcp->count];
		WRITE_ONCE(zone->pages[pfn].state, BSP_ALLOC);
		pcp->allocs++;
	}
	spin_unlock_irqrestore(&pcp->lock, flags);
	return pfn;
}

/* Give @n pages of a per-CPU list back to the free lists. Locks held. */
static void pcp_flush(struct buddy_sim *zone, struct buddy_sim_pcp *pcp,
		      unsigned int n)
{
	unsigned int i;

	if (n)
		trace_mm_ext_pcp_flush(zone->name, n);
	for (i = 0; i < n; i++)
		free_one_block(zone, pcp->pfns[i], 0);
	pcp->count -= n;
	memmove(pcp->pfns, pcp->pfns + n, pcp->count * sizeof(pcp->pfns[0]));
}

/*
 * Put a freed order-0 page on this CPU's list. The page's state moves from
 * allocated to per-CPU by cmpxchg, so a double or bogus free fails here and
 * takes the checked path, which reports it. False when it did.
 */
static bool pcp_free(struct buddy_sim *zone, unsigned long pfn)
{
	struct buddy_sim_page *page = &zone->pages[pfn];
	struct buddy_sim_pcp *pcp;
	unsigned long flags;

	if (READ_ONCE(page->order) || cmpxchg(&page->state, BSP_ALLOC, BSP_PCP) != BSP_ALLOC)
		return false;
	pcp = raw_cpu_ptr(zone->pcp);	/* as in pcp_alloc() */
	spin_lock_irqsave(&pcp->lock, flags);
	if (pcp->count >= READ_ONCE(zone->pcp_high)) {
		spin_lock(&zone->lock);
		pcp_flush(zone, pcp, min(pcp->count, READ_ONCE(zone->pcp_batch)));
		spin_unlock(&zone->lock);
	}
	pcp->pfns[pcp->count++] = pfn;
	pcp->frees++;
	trace_mm_ext_page_free(zone->name, pfn, 0);
	spin_unlock_irqrestore(&pcp->lock, flags);
	return true;
}

static void pcp_drain_cpu(struct buddy_sim *zone, int cpu)
{
	struct buddy_sim_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);
	unsigned long flags;

	spin_lock_irqsave(&pcp->lock, flags);
	spin_lock(&zone->lock);
	pcp_flush(zone, pcp, pcp->count);
	spin_unlock(&zone->lock);
	spin_unlock_irqrestore(&pcp->lock, flags);
}

/**
 * buddy_sim_alloc() - allocate a block of 1 << @order pages from a zone
 * @zone: the zone
 * @gfp: allocation flags; __GFP_ZERO zeroes the block, __GFP_HIGH may use
 *	 half of the min watermark reserve
 * @order: block order, 0..BUDDY_SIM_MAX_ORDER
 *
 * Takes the smallest free block of at least @order and splits it down,
 * putting each upper half back on the free list of its order, as expand()
 * does. Never sleeps: the zone is protected by a spinlock.
 *
 * Return: the address of a block naturally aligned relative to the zone's
 * start, or NULL when no block is free, @order is out of range, the min
 * watermark forbids it or failure injection fires.
 */
void *buddy_sim_alloc(struct buddy_sim *zone, gfp_t gfp, unsigned int order)
{
	unsigned long flags, pfn, before;
	bool drained = false;
	void *addr = NULL;

	if (!zone)
		return NULL;
	if (order == 0 && pcp_usable(zone)) {
		pfn = pcp_alloc(zone);
		if (pfn != ULONG_MAX)
			goto found;
	}
	spin_lock_irqsave(&zone->lock, flags);
	if (order > BUDDY_SIM_MAX_ORDER)
		goto fail;
	if (should_fail(zone, order)) {
		zone->extra.injected_failures++;
		trace_mm_ext_inject_fail(zone->name, order);
		goto fail;
	}
	if (!wmark_ok(zone, gfp, order)) {
		zone->extra.wmark_failures++;
		goto fail;
	}
retry:
	before = zone->nr_free_pages;
	pfn = rmqueue(zone, order);
	if (pfn == ULONG_MAX) {
		/* As the slow path does: other CPUs' lists may hold what we need. */
		if (!drained && READ_ONCE(zone->pcp_high)) {
			spin_unlock_irqrestore(&zone->lock, flags);
			buddy_sim_drain(zone);
			drained = true;
			spin_lock_irqsave(&zone->lock, flags);
			goto retry;
		}
		goto fail;
	}
	zone->pages[pfn].state = BSP_ALLOC;
	zone->pages[pfn].order = order;
	zone->allocs++;
	count_crossings(zone, before);
	spin_unlock_irqrestore(&zone->lock, flags);

found:
	trace_mm_ext_page_alloc(zone->name, pfn, order, gfp);
	addr = zone_addr(zone, pfn);
	if (gfp & __GFP_ZERO)
		memset(addr, 0, PAGE_SIZE << order);
	return addr;

fail:
	zone->failures++;
	spin_unlock_irqrestore(&zone->lock, flags);
	return NULL;
}
EXPORT_SYMBOL_GPL(buddy_sim_alloc);

static const char bad_free_wrong_order[] = "wrong order";

/*
 * Why a free is refused, or NULL when it is good. Checked in the order a
 * reader would: where the pointer is, then its alignment, then the state of
 * the block it names. Caller holds zone->lock.
 */
static const char *bad_free_reason(struct buddy_sim *zone, const void *addr,
				   unsigned int order, unsigned long *pfnp)
{
	unsigned long pfn = buddy_sim_pfn(zone, addr);
	struct buddy_sim_page *page;

	if (pfn == ULONG_MAX)
		return "address outside the zone";
	*pfnp = pfn;
	if (order > BUDDY_SIM_MAX_ORDER)
		return "order out of range";
	if (offset_in_page(addr) || (pfn & ((1UL << order) - 1)))
		return "address not aligned to a block of this order";
	page = &zone->pages[pfn];
	if (page->state != BSP_ALLOC)
		return page->state == BSP_FREE || page->state == BSP_PCP ?
		       "block already free (double free)" :
		       "not the start of an allocated block";
	if (page->order != order)
		return bad_free_wrong_order;
	return NULL;
}

/* A free refused under zone->lock: what its report, made after, says. */
struct zone_bad_free {
	const char *why;
	unsigned long pfn;
	unsigned int real_order;
	bool inside;
};

/*
 * The checked free of buddy_sim_free(), zone->lock held: true when the
 * block is freed; false for a bad free, counted, *bad filled in for
 * zone_report_bad_free() once the lock is dropped.
 */
static bool zone_free_locked(struct buddy_sim *zone, void *addr, unsigned int order,
			     unsigned long pfn, struct zone_bad_free *bad)
{
	bad->why = bad_free_reason(zone, addr, order, &pfn);
	if (bad->why) {
		/* Read what the report needs before the lock goes. */
		bad->pfn = pfn;
		bad->inside = pfn < zone->nr_pages;
		bad->real_order = bad->inside ? zone->pages[pfn].order : 0;
		zone->errors++;
		return false;
	}
	zone->frees++;
	trace_mm_ext_page_free(zone->name, pfn, order);
	free_one_block(zone, pfn, order);
	return true;
}

static void zone_report_bad_free(struct buddy_sim *zone, void *addr, unsigned int order,
				 const struct zone_bad_free *bad)
{
	if (bad->why == bad_free_wrong_order)
		mm_ext_report(MM_EXT_ZONE, zone->name, MM_EXT_MISUSE_BAD_ORDER, addr,
			      "zone %s: bad free of pfn %lu order %u: it has order %u\n",
			      zone->name, bad->pfn, order, bad->real_order);
	else if (bad->inside)
		mm_ext_report(MM_EXT_ZONE, zone->name,
			      mm_ext_misuse_of(bad->why, order > BUDDY_SIM_MAX_ORDER ?
					       MM_EXT_MISUSE_BAD_ORDER :
					       MM_EXT_MISUSE_BAD_POINTER), addr,
			      "zone %s: bad free of pfn %lu order %u: %s\n",
			      zone->name, bad->pfn, order, bad->why);
	else
		mm_ext_report(MM_EXT_ZONE, zone->name, MM_EXT_MISUSE_BAD_POINTER, addr,
			      "zone %s: bad free of %p order %u: %s\n",
			      zone->name, addr, order, bad->why);
}

/**
 * buddy_sim_free() - give a block back to its zone
 * @zone: the zone it was allocated from
 * @addr: the address buddy_sim_alloc() returned, or NULL (a no-op)
 * @order: the order it was allocated with
 *
 * The block merges with its free buddy, order by order. A pointer outside
 * the zone, not aligned to a block of @order, not the start of an allocated
 * block, or freed with another order is reported with one "mm_ext:" line,
 * counted in the zone's errors, and otherwise ignored: the zone is unchanged.
 */
void buddy_sim_free(struct buddy_sim *zone, void *addr, unsigned int order)
{
	unsigned long flags, pfn = ULONG_MAX;	/* set once @addr is inside */
	struct zone_bad_free bad;
	bool freed;

	if (!zone || !addr)
		return;
	if (order == 0 && pcp_usable(zone) && !offset_in_page(addr)) {
		pfn = buddy_sim_pfn(zone, addr);
		if (pfn != ULONG_MAX && pcp_free(zone, pfn))
			return;
		pfn = ULONG_MAX;
	}
	spin_lock_irqsave(&zone->lock, flags);
	freed = zone_free_locked(zone, addr, order, pfn, &bad);
	spin_unlock_irqrestore(&zone->lock, flags);
	if (!freed)
		zone_report_bad_free(zone, addr, order, &bad);
}
EXPORT_SYMBOL_GPL(buddy_sim_free);

/**
 * buddy_sim_info() - take a consistent snapshot of a zone's counters
 * @zone: the zone
 * @info: filled in
 */
void buddy_sim_info(struct buddy_sim *zone, struct buddy_sim_info *info)
{
	unsigned long flags;

	unsigned long pcp_pages = 0;
	u64 allocs = 0, frees = 0;
	int cpu;

	memset(info, 0, sizeof(*info));
	for_each_possible_cpu(cpu) {
		struct buddy_sim_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);

		pcp_pages += READ_ONCE(pcp->count);
		allocs += READ_ONCE(pcp->allocs);
		frees += READ_ONCE(pcp->frees);
	}
	spin_lock_irqsave(&zone->lock, flags);
	info->nr_pages = zone->nr_pages;
	info->nr_free_pages = zone->nr_free_pages + pcp_pages;
	memcpy(info->nr_free, zone->nr_free, sizeof(info->nr_free));
	info->nr_pcp = pcp_pages;
	info->allocs = zone->allocs + allocs;
	info->frees = zone->frees + frees;
	info->failures = zone->failures + atomic_long_read(&zone->nolock_failures);
	info->splits = zone->splits;
	info->merges = zone->merges;
	info->errors = zone->errors + atomic_long_read(&zone->nolock_errors);
	spin_unlock_irqrestore(&zone->lock, flags);
}
EXPORT_SYMBOL_GPL(buddy_sim_info);

/**
 * buddy_sim_drain() - return pages held in per-CPU lists to the free lists
 * @zone: the zone
 *
 * Every CPU's list is emptied, from this CPU, and its pages merge with
 * their buddies: afterwards nr_free[] counts every free page.
 */
void buddy_sim_drain(struct buddy_sim *zone)
{
	int cpu;

	for_each_possible_cpu(cpu)
		pcp_drain_cpu(zone, cpu);
}
EXPORT_SYMBOL_GPL(buddy_sim_drain);

/* ---- from any context: the _nolock calls ---- */

/* An order-0 page off this CPU's list, if its lock is free and it has one. */
static unsigned long pcp_alloc_nolock(struct buddy_sim *zone)
{
	struct buddy_sim_pcp *pcp = raw_cpu_ptr(zone->pcp);	/* as in pcp_alloc() */
	unsigned long flags, pfn = ULONG_MAX;

	if (!spin_trylock_irqsave(&pcp->lock, flags))
		return ULONG_MAX;
	if (pcp->count) {
		pfn = pcp->pfns[--pcp->count];
		WRITE_ONCE(zone->pages[pfn].state, BSP_ALLOC);
		pcp->allocs++;
	}
	spin_unlock_irqrestore(&pcp->lock, flags);
	return pfn;
}

/**
 * buddy_sim_alloc_nolock() - allocate a block from any context, NMIs included
 * @zone: the zone
 * @order: block order, 0..BUDDY_SIM_MAX_ORDER
 *
 * mainline's alloc_pages_nolock() (6.16): never spins on a lock and never
 * sleeps. It only tries this CPU's page list and the zone's lock; a lock
 * held elsewhere (by the code this call interrupted, say) makes it return
 * NULL at once, as does an empty zone: NULL means "not now". It does not
 * drain other CPUs' lists. Watermarks (without __GFP_HIGH) and failure
 * injection apply. The block is zeroed, as mainline's is. On PREEMPT_RT,
 * where the zone's locks sleep, it returns NULL in hard interrupt and NMI
 * context, as mainline does. Every NULL is counted in the zone's failures.
 * The block is freed with buddy_sim_free().
 *
 * Return: the block, or NULL.
 */
void *buddy_sim_alloc_nolock(struct buddy_sim *zone, unsigned int order)
{
	unsigned long flags, before, pfn = ULONG_MAX;
	void *addr;

	if (!zone)
		return NULL;
	if (order > BUDDY_SIM_MAX_ORDER || !mm_ext_nolock_may_trylock())
		goto busy;
	if (order == 0 && pcp_usable(zone)) {
		pfn = pcp_alloc_nolock(zone);
		if (pfn != ULONG_MAX)
			goto found;
	}
	if (!spin_trylock_irqsave(&zone->lock, flags))
		goto busy;
	if (should_fail(zone, order)) {
		zone->extra.injected_failures++;
		trace_mm_ext_inject_fail(zone->name, order);
		goto fail;
	}
	if (!wmark_ok(zone, 0, order)) {
		zone->extra.wmark_failures++;
		goto fail;
	}
	before = zone->nr_free_pages;
	pfn = rmqueue(zone, order);
	if (pfn == ULONG_MAX)
		goto fail;
	zone->pages[pfn].state = BSP_ALLOC;
	zone->pages[pfn].order = order;
	zone->allocs++;
	count_crossings(zone, before);
	spin_unlock_irqrestore(&zone->lock, flags);
found:
	trace_mm_ext_page_alloc(zone->name, pfn, order, __GFP_ZERO);
	addr = zone_addr(zone, pfn);
	memset(addr, 0, PAGE_SIZE << order);
	return addr;

fail:
	zone->failures++;
	spin_unlock_irqrestore(&zone->lock, flags);
	return NULL;
busy:
	atomic_long_inc(&zone->nolock_failures);
	return NULL;
}
EXPORT_SYMBOL_GPL(buddy_sim_alloc_nolock);

/*
 * buddy_sim_free() from any context, for a block of order 1 or more (no
 * per-CPU list): false, with nothing done, when the zone's lock is held
 * elsewhere or may not be tried here; the caller defers the free then.
 */
bool buddy_sim_free_nolock(struct buddy_sim *zone, void *addr, unsigned int order)
{
	struct zone_bad_free bad;
	unsigned long flags;
	bool freed;

	if (!mm_ext_nolock_may_trylock() || !spin_trylock_irqsave(&zone->lock, flags))
		return false;
	freed = zone_free_locked(zone, addr, order, ULONG_MAX, &bad);
	spin_unlock_irqrestore(&zone->lock, flags);
	if (!freed)
		zone_report_bad_free(zone, addr, order, &bad);
	return true;
}

/* buddy_sim_count_error() from any context: aside when the lock is taken. */
void buddy_sim_count_error_nolock(struct buddy_sim *zone)
{
	unsigned long flags;

	if (mm_ext_nolock_may_trylock() && spin_trylock_irqsave(&zone->lock, flags)) {
		zone->errors++;
		spin_unlock_irqrestore(&zone->lock, flags);
		return;
	}
	atomic_long_inc(&zone->nolock_errors);
}

static void zone_call_held(struct buddy_sim *zone, void (*fn)(void *arg), void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	fn(arg);
	spin_unlock_irqrestore(&zone->lock, flags);
}

static void pcp_call_held(struct buddy_sim *zone, struct buddy_sim_pcp *pcp, bool zone_too,
			  void (*fn)(void *arg), void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&pcp->lock, flags);
	if (zone_too)
		zone_call_held(zone, fn, arg);
	else
		fn(arg);
	spin_unlock_irqrestore(&pcp->lock, flags);
}

/**
 * buddy_sim_call_held() - run a function with a zone's locks held on this CPU
 * @zone: the zone
 * @hold: BUDDY_SIM_HOLD_PCP (this CPU's page list lock),
 *	  BUDDY_SIM_HOLD_LOCK (the zone's lock), or both
 * @fn: called with them held on this CPU (interrupts off but on PREEMPT_RT)
 * @arg: given to @fn
 *
 * For tests of the _nolock calls: what an interrupt or an NMI that @fn
 * raises finds when it interrupts an allocation inside the zone. @fn must
 * not sleep nor call the zone's other functions.
 */
void buddy_sim_call_held(struct buddy_sim *zone, unsigned int hold,
			 void (*fn)(void *arg), void *arg)
{
	struct buddy_sim_pcp *pcp;

	/* On PREEMPT_RT the locks leave migration on: stay on this CPU. */
	migrate_disable();
	pcp = this_cpu_ptr(zone->pcp);
	if (hold & BUDDY_SIM_HOLD_PCP)
		pcp_call_held(zone, pcp, hold & BUDDY_SIM_HOLD_LOCK, fn, arg);
	else if (hold & BUDDY_SIM_HOLD_LOCK)
		zone_call_held(zone, fn, arg);
	else
		fn(arg);
	migrate_enable();
}
EXPORT_SYMBOL_GPL(buddy_sim_call_held);

/**
 * buddy_sim_set_pcp() - size, or turn off, a zone's per-CPU page lists
 * @zone: the zone
 * @high: pages a CPU's list may hold, 1..64 (batches move a quarter of
 *	  that); 0 turns the lists off, after draining them
 *
 * Return: 0, or -EINVAL for @high over 64.
 */
int buddy_sim_set_pcp(struct buddy_sim *zone, unsigned int high)
{
	if (high > BUDDY_SIM_PCP_MAX)
		return -EINVAL;
	WRITE_ONCE(zone->pcp_high, 0);
	buddy_sim_drain(zone);
	WRITE_ONCE(zone->pcp_batch, max(high / 4, 1U));
	WRITE_ONCE(zone->pcp_high, high);
	return 0;
}
EXPORT_SYMBOL_GPL(buddy_sim_set_pcp);

/* The current list size; 0 when the zone has none. */
unsigned int buddy_sim_get_pcp(struct buddy_sim *zone)
{
	return READ_ONCE(zone->pcp_high);
}

static void zone_free_memory(struct buddy_sim *zone)
{
	free_percpu(zone->pcp);
	vfree(zone->base);
	kvfree(zone->pages);
	kfree(zone);
}

/**
 * buddy_sim_create() - create a simulated zone of @nr_pages real pages
 * @name: unique among zones: 1..31 characters, no '/' or white space
 * @nr_pages: any count >= 1; the tail past the largest aligned blocks is
 *	      carved into smaller ones, as a real zone's is
 *
 * The memory is taken once with vmalloc: a zone needs pages that are
 * virtually contiguous and aligned only relative to its own start, and
 * vmalloc provides far more than the 4 MiB an order-10 alloc_pages() could,
 * without asking for physically contiguous memory. May sleep.
 *
 * Return: the zone, or ERR_PTR(-EINVAL) for a bad name or zero pages,
 * ERR_PTR(-EEXIST) for a name in use, ERR_PTR(-ENOMEM) when the memory
 * cannot be had (including more pages than the machine has).
 */
struct buddy_sim *buddy_sim_create(const char *name, unsigned long nr_pages)
{
	struct buddy_sim *zone;
	unsigned long pfn;
	unsigned int o;
	int cpu, ret;

	if (!mm_ext_name_valid(name) || nr_pages == 0)
		return ERR_PTR(-EINVAL);
	/*
	 * The same bound as the default_pages parameter: a zone is a lab
	 * object, never a reason for the OOM killer to run.
	 */
	if (nr_pages > buddy_sim_max_pages()) {
		pr_err("mm_ext: zone %s: %lu pages is more than half of RAM (%lu pages)\n",
		       name, nr_pages, buddy_sim_max_pages());
		return ERR_PTR(-ENOMEM);
	}

	zone = kzalloc(sizeof(*zone), GFP_KERNEL);
	if (!zone)
		return ERR_PTR(-ENOMEM);
	strscpy(zone->name, name, sizeof(zone->name));
	zone->nr_pages = nr_pages;
	/* Fail rather than OOM-kill anyone when memory is short. */
	zone->pages = kvcalloc(nr_pages, sizeof(*zone->pages),
			       GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	zone->base = __vmalloc(nr_pages << PAGE_SHIFT,
			       GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	zone->pcp = mm_ext_percpu_new(struct buddy_sim_pcp);
	if (!zone->pages || !zone->base || !zone->pcp) {
		zone_free_memory(zone);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&zone->lock);
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
		INIT_LIST_HEAD(&zone->free_list[o]);
	prandom_seed_state(&zone->fail_rnd, 42);
	zone->fail.times = -1;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(zone->pcp, cpu)->lock);
	/* As zone_highsize() scales pcp->high: a sixty-fourth of the zone, at most 64. */
	if (nr_pages >= 1024) {
		zone->pcp_high = min(nr_pages / 64, (unsigned long)BUDDY_SIM_PCP_MAX);
		zone->pcp_batch = max(zone->pcp_high / 4, 1U);
	}

	/* Largest naturally aligned blocks first, as memblock_free_pages() does. */
	for (pfn = 0; pfn < nr_pages; pfn += 1UL << o) {
		o = pfn ? min_t(unsigned int, __ffs(pfn), BUDDY_SIM_MAX_ORDER) :
			  BUDDY_SIM_MAX_ORDER;
		while (pfn + (1UL << o) > nr_pages)
			o--;
		add_free_block(zone, pfn, o);
	}

	/* A name in use, or observers (debugfs) refusing it: then it never was. */
	zone->named.obj = zone;
	zone->named.name = zone->name;
	ret = mm_ext_names_add(&buddy_sim_zones, &zone->named);
	if (ret) {
		zone_free_memory(zone);
		return ERR_PTR(ret);
	}
	return zone;
}
EXPORT_SYMBOL_GPL(buddy_sim_create);

/**
 * buddy_sim_destroy() - destroy a zone and give its memory back
 * @zone: the zone, or NULL (a no-op)
 *
 * Blocks still allocated are reported as a leak, by page count; the zone is
 * freed anyway. The caller must not use the zone, or any block of it, again.
 */
void buddy_sim_destroy(struct buddy_sim *zone)
{
	unsigned long used;

	if (IS_ERR_OR_NULL(zone))
		return;
	mm_ext_names_del(&buddy_sim_zones, &zone->named);

	buddy_sim_drain(zone);
	used = zone->nr_pages - zone->nr_free_pages;
	if (used)
		mm_ext_report(MM_EXT_ZONE, zone->name, MM_EXT_MISUSE_LEAK, NULL,
			      "zone %s: destroyed with %lu of %lu pages still allocated (leak)\n",
			      zone->name, used, zone->nr_pages);
	zone_free_memory(zone);
}
EXPORT_SYMBOL_GPL(buddy_sim_destroy);

static int buddy_sim_cpuhp_state;

static void zone_cpu_dead(void *zone, void *cpu)
{
	pcp_drain_cpu(zone, *(unsigned int *)cpu);
}

/* A CPU is gone: its lists go back to the free lists, from the CPU that saw it. */
static int buddy_sim_cpu_dead(unsigned int cpu)
{
	mm_ext_names_for_each(&buddy_sim_zones, zone_cpu_dead, &cpu);
	return 0;
}

int buddy_sim_init(void)
{
	int ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "mm_ext/buddy:dead",
					    NULL, buddy_sim_cpu_dead);

	if (ret < 0)
		return ret;
	buddy_sim_cpuhp_state = ret;
	return 0;
}

static void zone_destroy(void *zone)
{
	buddy_sim_destroy(zone);
}

/* At module unload: every zone a user left behind goes, reported as a leak. */
void buddy_sim_exit(void)
{
	mm_ext_names_destroy_all(&buddy_sim_zones, zone_destroy);
	if (buddy_sim_cpuhp_state > 0)
		cpuhp_remove_state_nocalls(buddy_sim_cpuhp_state);
	buddy_sim_cpuhp_state = 0;
}

/* The most pages a zone may have: half of RAM, as for default_pages. */
unsigned long buddy_sim_max_pages(void)
{
	return totalram_pages() / 2;
}

/* The page number of @addr in the zone, or ULONG_MAX outside it. */
unsigned long buddy_sim_pfn(struct buddy_sim *zone, const void *addr)
{
	unsigned long off = (unsigned long)addr - (unsigned long)zone->base;

	if ((unsigned long)addr < (unsigned long)zone->base ||
	    off >= zone->nr_pages << PAGE_SHIFT)
		return ULONG_MAX;
	return off >> PAGE_SHIFT;
}

/*
 * The owner area of the page holding @addr, or NULL outside the zone. No
 * lock: the owner (slab_ext) serialises its own use of the area, which
 * buddy_sim never touches.
 */
struct buddy_sim_owner *buddy_sim_owner(struct buddy_sim *zone, const void *addr)
{
	unsigned long pfn = buddy_sim_pfn(zone, addr);

	return pfn == ULONG_MAX ? NULL : &zone->pages[pfn].owner;
}

/*
 * How far apart the owner areas of consecutive pages are: like struct pages
 * in a mem_map, so the owner finds a block's other pages from its head
 * without a call per page.
 */
size_t buddy_sim_owner_stride(void)
{
	return sizeof(struct buddy_sim_page);
}

/*
 * The zone's first byte: with its size and the first page's owner area,
 * what an owner needs to find any page's area inline, without a call
 * (both are fixed for the zone's life).
 */
void *buddy_sim_base(struct buddy_sim *zone)
{
	return zone->base;
}

const char *buddy_sim_name(struct buddy_sim *zone)
{
	return zone->name;
}

/* Whether a free of @addr at @order would be accepted now (mempool_ext). */
bool buddy_sim_block_allocated(struct buddy_sim *zone, const void *addr,
			       unsigned int order)
{
	unsigned long flags, pfn;
	bool ok;

	spin_lock_irqsave(&zone->lock, flags);
	ok = !bad_free_reason(zone, addr, order, &pfn);
	spin_unlock_irqrestore(&zone->lock, flags);
	return ok;
}

/* A misuse found by a layer above, on a call that named no cache or pool. */
void buddy_sim_count_error(struct buddy_sim *zone)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	zone->errors++;
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* Watermarks and injection must see every allocation: no pcp while set. */
static void update_slow_only(struct buddy_sim *zone)
{
	WRITE_ONCE(zone->slow_only, zone->wmark.min || zone->fail.interval ||
		   zone->fail.probability);
}

/**
 * buddy_sim_get_wmark() - read a zone's watermarks
 * @zone: the zone
 * @wm: filled in; all zero when watermarks are off
 */
void buddy_sim_get_wmark(struct buddy_sim *zone, struct buddy_sim_wmark *wm)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	*wm = zone->wmark;
	spin_unlock_irqrestore(&zone->lock, flags);
}
EXPORT_SYMBOL_GPL(buddy_sim_get_wmark);

/**
 * buddy_sim_set_wmark() - set a zone's min/low/high watermarks, in pages
 * @zone: the zone
 * @wm: the watermarks; all zero turns them off
 *
 * While min is set, an allocation without __GFP_HIGH fails rather than take
 * the zone's free pages below min; __GFP_HIGH may go down to min / 2.
 *
 * Return: 0, or -EINVAL unless min <= low <= high <= the zone's pages.
 */
int buddy_sim_set_wmark(struct buddy_sim *zone, const struct buddy_sim_wmark *wm)
{
	unsigned long flags;

	if (wm->min > wm->low || wm->low > wm->high || wm->high > zone->nr_pages)
		return -EINVAL;
	spin_lock_irqsave(&zone->lock, flags);
	zone->wmark = *wm;
	update_slow_only(zone);
	spin_unlock_irqrestore(&zone->lock, flags);
	/* From now on the watermark must see every free page. */
	buddy_sim_drain(zone);
	return 0;
}
EXPORT_SYMBOL_GPL(buddy_sim_set_wmark);

/**
 * buddy_sim_auto_wmark() - watermarks for a zone of @nr_pages, the kernel's way
 * @nr_pages: the zone's size
 * @wm: filled in
 *
 * Derives them as __setup_per_zone_wmarks() derives them from
 * min_free_kbytes, treating the zone as all of lowmem:
 * min_free_kbytes = sqrt(kbytes * 16) clamped to 128..262144, min is that in
 * pages, and low and high each add max(min / 4, pages * 10 / 10000)
 * (watermark_scale_factor = 10). For zones too small for the kernel's
 * 128 KiB floor, min is capped at a quarter of the zone so it stays usable.
 */
void buddy_sim_auto_wmark(unsigned long nr_pages, struct buddy_sim_wmark *wm)
{
	unsigned long kbytes = nr_pages << (PAGE_SHIFT - 10);
	unsigned long min_kbytes = clamp(int_sqrt(kbytes * 16), 128UL, 262144UL);
	unsigned long step;

	wm->min = min(min_kbytes >> (PAGE_SHIFT - 10), nr_pages / 4);
	step = max(wm->min / 4, mult_frac(nr_pages, 10UL, 10000UL));
	wm->low = min(wm->min + step, nr_pages);
	wm->high = min(wm->low + step, nr_pages);
}
EXPORT_SYMBOL_GPL(buddy_sim_auto_wmark);

/**
 * buddy_sim_get_fail() - read a zone's failure injection settings
 * @zone: the zone
 * @fail: filled in
 */
void buddy_sim_get_fail(struct buddy_sim *zone, struct buddy_sim_fail *fail)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	*fail = zone->fail;
	spin_unlock_irqrestore(&zone->lock, flags);
}
EXPORT_SYMBOL_GPL(buddy_sim_get_fail);

/**
 * buddy_sim_set_fail() - set a zone's failure injection, as fail_page_alloc's
 * @zone: the zone
 * @fail: every interval-th eligible allocation fails, and each with
 *	  probability percent; eligible are orders >= min_order, while times
 *	  (-1: no limit) failures are left. Interval and probability 0: off.
 *
 * Setting restarts the interval count and the random stream (seeded the same
 * every time), so a run is reproducible.
 *
 * Return: 0, or -EINVAL for a probability over 100, an order out of range
 * or times below -1.
 */
int buddy_sim_set_fail(struct buddy_sim *zone, const struct buddy_sim_fail *fail)
{
	unsigned long flags;

	if (fail->probability > 100 || fail->min_order > BUDDY_SIM_MAX_ORDER ||
	    fail->times < -1)
		return -EINVAL;
	spin_lock_irqsave(&zone->lock, flags);
	zone->fail = *fail;
	zone->fail_attempts = 0;
	prandom_seed_state(&zone->fail_rnd, 42);
	update_slow_only(zone);
	spin_unlock_irqrestore(&zone->lock, flags);
	buddy_sim_drain(zone);
	return 0;
}
EXPORT_SYMBOL_GPL(buddy_sim_set_fail);

/**
 * buddy_sim_get_extra() - a zone's watermark and injection counters
 * @zone: the zone
 * @extra: filled in
 */
void buddy_sim_get_extra(struct buddy_sim *zone, struct buddy_sim_extra *extra)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	*extra = zone->extra;
	spin_unlock_irqrestore(&zone->lock, flags);
}
EXPORT_SYMBOL_GPL(buddy_sim_get_extra);

/*
 * One character per page, walking the zone block by block: a free block's
 * head is 'a' + order and its other pages '.', an allocated block's head is
 * 'A' + order and its other pages '#', a page on a per-CPU list 'p'.
 * Returns a kvmalloc'd buffer of *nr_pages characters, or NULL.
 */
char *buddy_sim_pagemap(struct buddy_sim *zone, unsigned long *nr_pages)
{
	unsigned long flags, pfn, n;
	char *map;

	map = kvmalloc(zone->nr_pages, GFP_KERNEL | __GFP_NOWARN);
	if (!map)
		return NULL;
	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = 0; pfn < zone->nr_pages; pfn += n) {
		struct buddy_sim_page *page = &zone->pages[pfn];
		bool is_free = page->state == BSP_FREE;

		n = 1UL << page->order;
		map[pfn] = page->state == BSP_PCP ? 'p' : (is_free ? 'a' : 'A') + page->order;
		memset(map + pfn + 1, is_free ? '.' : '#', n - 1);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	*nr_pages = zone->nr_pages;
	return map;
}

/* mm/vmstat.c fill_contig_page_info(), from a snapshot. */
static void contig_info(const struct buddy_sim_info *info, unsigned int suitable,
			unsigned long *free_pages, unsigned long *blocks_total,
			unsigned long *blocks_suitable)
{
	unsigned int o;

	*free_pages = 0;
	*blocks_total = 0;
	*blocks_suitable = 0;
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++) {
		*blocks_total += info->nr_free[o];
		*free_pages += info->nr_free[o] << o;
		if (o >= suitable)
			*blocks_suitable += info->nr_free[o] << (o - suitable);
	}
}

/**
 * buddy_sim_unusable_index() - mm/vmstat.c's unusable free space index
 * @info: a snapshot from buddy_sim_info()
 * @order: the allocation order asked about
 *
 * Return: how much of the free memory cannot serve an allocation of @order,
 * 0 (none) to 1000 (all, or no free memory); 0 for @order out of range.
 */
int buddy_sim_unusable_index(const struct buddy_sim_info *info, unsigned int order)
{
	unsigned long free_pages, total, suitable;

	if (order > BUDDY_SIM_MAX_ORDER)
		return 0;
	contig_info(info, order, &free_pages, &total, &suitable);
	if (!free_pages)
		return 1000;
	return div64_u64((u64)(free_pages - (suitable << order)) * 1000ULL, free_pages);
}
EXPORT_SYMBOL_GPL(buddy_sim_unusable_index);

/**
 * buddy_sim_extfrag_index() - mm/vmstat.c's external fragmentation index
 * @info: a snapshot from buddy_sim_info()
 * @order: the allocation order asked about
 *
 * Return: -1000 when an allocation of @order would succeed; otherwise
 * 0 (it fails for lack of memory) to 1000 (it fails for fragmentation);
 * 0 with no free block at all or @order out of range.
 */
int buddy_sim_extfrag_index(const struct buddy_sim_info *info, unsigned int order)
{
	unsigned long free_pages, total, suitable;
	unsigned long requested = 1UL << order;

	if (order > BUDDY_SIM_MAX_ORDER)
		return 0;
	contig_info(info, order, &free_pages, &total, &suitable);
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - div64_u64(1000 + div64_u64(free_pages * 1000ULL, requested), total);
}
EXPORT_SYMBOL_GPL(buddy_sim_extfrag_index);
