// SPDX-License-Identifier: GPL-2.0
/*
 * Workloads: in-kernel allocation patterns run by a kthread against a zone,
 * a cache or a pool, reproducible from a seed. A workload reports progress
 * in its stats file, can be stopped at any time, and gives back everything
 * it holds when it ends or is stopped. A pool workload's wait for an element
 * gives up when the kthread is told to stop (mempool_ext_alloc_until() with
 * kthread_should_stop(); kthread_stop() wakes it), so stopping takes no
 * longer than the current operation.
 *
 *   zone      random allocs and frees of blocks, orders drawn so that each
 *             order is half as likely as the one below it (0..max_order)
 *   cache     random allocs and frees of objects
 *   pool      random allocs and frees through a pool: GFP_KERNEL only while
 *             it holds no element, GFP_NOWAIT otherwise (bio_alloc's rule:
 *             never wait for an element while holding one, or two
 *             workloads can each hold what the other waits for); with
 *             bulk=N, N elements at once and all of them back, in turn
 *             (mempool_ext_alloc_bulk(): see wl_bulk())
 *   fragment  allocate order-0 blocks until the zone (or the slots, by
 *             default one a page) runs out, free every other one, then
 *             hold the rest until stopped
 *   prefill   mainline 6.18's guaranteed allocations from a cache:
 *             WL_SHEAVES prefilled sheaves of `sheaf` objects; each
 *             operation picks one, tops it up outside the critical section
 *             when it holds fewer than the operation needs (prefill, or
 *             refill), then takes them with slab_ext_alloc_from_sheaf() in
 *             a critical section (a spinlock, or preemption off, in turn),
 *             as the maple tree does, and holds them (`slots` at most, the
 *             oldest freed first); a sheaf emptied is returned. A prefill
 *             or refill that fails (the zone's fail/ knobs) is a failure
 *             and the operation is skipped; what the sheaves already hold
 *             keeps serving (see wl_prefill())
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_glue.h"

struct mm_ext_wl_held {
	void *p;
	unsigned int order;
};

static const char *const wl_type_names[] = {
	[WL_ZONE] = "zone", [WL_CACHE] = "cache", [WL_POOL] = "pool",
	[WL_FRAGMENT] = "fragment", [WL_PREFILL] = "prefill",
};

static const char *const wl_state_names[] = {
	[WL_RUNNING] = "running", [WL_HOLDING] = "holding", [WL_DONE] = "done",
	[WL_STOPPED] = "stopped",
};

const char *mm_ext_workload_type_name(enum mm_ext_wl_type type)
{
	return wl_type_names[type];
}

const char *mm_ext_workload_state_name(enum mm_ext_wl_state state)
{
	return wl_state_names[state];
}

/* Orders 0..max, each half as likely as the one below. */
static unsigned int draw_order(struct rnd_state *rnd, unsigned int max_order)
{
	u32 r = prandom_u32_state(rnd);
	unsigned int order = 0;

	while (order < max_order && (r & 1)) {
		order++;
		r >>= 1;
	}
	return order;
}

static void *wl_alloc(struct mm_ext_workload *wl, struct rnd_state *rnd,
		      unsigned int *order, unsigned long held)
{
	switch (wl->type) {
	case WL_ZONE:
		*order = draw_order(rnd, wl->max_order);
		return buddy_sim_alloc(wl->zone, GFP_KERNEL, *order);
	case WL_CACHE:
		return slab_ext_alloc(wl->cache, GFP_KERNEL);
	case WL_POOL:
		/* Block only holding nothing: see the header. */
		return mempool_ext_alloc_until(wl->pool, held ? GFP_NOWAIT : GFP_KERNEL,
					       kthread_should_stop);
	default:
		*order = 0;
		return buddy_sim_alloc(wl->zone, GFP_KERNEL, 0);
	}
}

static void wl_free(struct mm_ext_workload *wl, struct mm_ext_wl_held *h)
{
	switch (wl->type) {
	case WL_CACHE:
		slab_ext_free(wl->cache, h->p);
		break;
	case WL_POOL:
		mempool_ext_free(h->p, wl->pool);
		break;
	default:
		buddy_sim_free(wl->zone, h->p, h->order);
		break;
	}
	h->p = NULL;
}

/* Pace the run when asked, and let the scheduler and kthread_stop() in. */
static bool wl_pause(struct mm_ext_workload *wl, unsigned long i)
{
	if (wl->delay_us && !(i % 64))
		usleep_range(wl->delay_us, wl->delay_us + 10);
	else if (!(i % 256))
		cond_resched();
	return kthread_should_stop();
}

/* The elements @wl holds in its batch. */
static unsigned int wl_batch_held(struct mm_ext_workload *wl)
{
	unsigned int i, n = 0;

	for (i = 0; i < wl->bulk; i++)
		n += !!wl->batch[i];
	return n;
}

/* Give the batch back in one mempool_ext_free_bulk(). */
static void wl_batch_free(struct mm_ext_workload *wl)
{
	unsigned int n = wl_batch_held(wl);

	mempool_ext_free_bulk(wl->pool, wl->batch, wl->bulk);
	/* A refused element (none should be) stays in its slot, held. */
	n -= wl_batch_held(wl);
	WRITE_ONCE(wl->held, wl->held - n);
	WRITE_ONCE(wl->frees, wl->frees + n);
}

/*
 * bulk=N on a pool: N elements in one mempool_ext_alloc_bulk() (GFP_KERNEL:
 * it never fails, and two bulk workloads never deadlock, since each takes
 * what it needs from the reserve at once), then all of them back in one
 * mempool_ext_free_bulk(), in turn. One batch held at a time: a caller
 * that asked again while holding one could wait for what it holds itself.
 * The wait gives up when the workload is stopped.
 */
static void wl_bulk(struct mm_ext_workload *wl)
{
	unsigned long i;
	unsigned int n;
	int ret;

	for (i = 0; i < wl->ops; i++) {
		if (wl->held) {
			wl_batch_free(wl);
		} else {
			ret = mempool_ext_alloc_bulk_until(wl->pool, wl->batch, wl->bulk,
							   GFP_KERNEL, kthread_should_stop);
			n = wl_batch_held(wl);
			WRITE_ONCE(wl->held, n);
			WRITE_ONCE(wl->allocs, wl->allocs + n);
			if (ret)
				WRITE_ONCE(wl->failures, wl->failures + wl->bulk - n);
			/* -EINVAL: a resize cut min_nr below bulk; it would stay so. */
			if (ret == -EINVAL)
				return;
		}
		WRITE_ONCE(wl->done, i + 1);
		if (wl_pause(wl, i))
			return;
	}
}

static void wl_random(struct mm_ext_workload *wl, struct mm_ext_wl_held *slot,
		      struct rnd_state *rnd)
{
	unsigned long i;

	for (i = 0; i < wl->ops; i++) {
		unsigned int s = prandom_u32_state(rnd) % wl->slots;
		struct mm_ext_wl_held *h = &slot[s];

		if (h->p) {
			wl_free(wl, h);
			WRITE_ONCE(wl->held, wl->held - 1);
			WRITE_ONCE(wl->frees, wl->frees + 1);
		} else {
			h->p = wl_alloc(wl, rnd, &h->order, wl->held);
			if (h->p) {
				WRITE_ONCE(wl->held, wl->held + 1);
				WRITE_ONCE(wl->allocs, wl->allocs + 1);
			} else {
				WRITE_ONCE(wl->failures, wl->failures + 1);
			}
		}
		WRITE_ONCE(wl->done, i + 1);
		if (wl_pause(wl, i))
			return;
	}
}

static void wl_fragment(struct mm_ext_workload *wl, struct mm_ext_wl_held *slot)
{
	unsigned long i, n = 0;

	/* Phase 1: order-0 blocks until the zone or the slots run out. */
	for (i = 0; i < wl->slots; i++) {
		slot[i].p = buddy_sim_alloc(wl->zone, GFP_KERNEL, 0);
		slot[i].order = 0;
		if (!slot[i].p)
			break;
		n++;
		WRITE_ONCE(wl->held, n);
		WRITE_ONCE(wl->allocs, n);
		WRITE_ONCE(wl->done, i + 1);
		if (wl_pause(wl, i))
			return;
	}
	/* Phase 2: every other block back: no two free pages are buddies. */
	for (i = 0; i < n; i += 2) {
		wl_free(wl, &slot[i]);
		WRITE_ONCE(wl->held, wl->held - 1);
		WRITE_ONCE(wl->frees, wl->frees + 1);
		if (wl_pause(wl, i))
			return;
	}
	/* Phase 3: hold the fragmented zone for the user to look at. */
	WRITE_ONCE(wl->state, WL_HOLDING);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
}

/* @n objects of @sheaf, which holds them (checked before): they cannot fail. */
static void wl_sheaf_take_n(struct mm_ext_workload *wl, struct slab_ext_sheaf *sheaf,
			    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		wl->taken[i] = slab_ext_alloc_from_sheaf(wl->cache, 0, sheaf);
}

/*
 * The critical section of one prefill operation, under the workload's
 * spinlock or with preemption off (migration off on PREEMPT_RT, where the
 * cache locks a debug cache's slow path may take sleep), in turn, as
 * mainline's users allocate from a prefilled sheaf under their own locks.
 */
static void wl_sheaf_take(struct mm_ext_workload *wl, struct slab_ext_sheaf *sheaf,
			  unsigned int n, bool spin)
{
	if (spin) {
		spin_lock(&wl->crit);
		wl_sheaf_take_n(wl, sheaf, n);
		spin_unlock(&wl->crit);
	} else if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		migrate_disable();
		wl_sheaf_take_n(wl, sheaf, n);
		migrate_enable();
	} else {
		preempt_disable();
		wl_sheaf_take_n(wl, sheaf, n);
		preempt_enable();
	}
}

/* Hold @obj, freeing the oldest object held when the ring is full. */
static void wl_ring_hold(struct mm_ext_workload *wl, void *obj)
{
	unsigned long i = (wl->ring_head + wl->held) % wl->ring_cap;

	if (wl->held == wl->ring_cap) {
		slab_ext_free(wl->cache, wl->ring[wl->ring_head]);
		wl->ring_head = (wl->ring_head + 1) % wl->ring_cap;
		WRITE_ONCE(wl->frees, wl->frees + 1);
		WRITE_ONCE(wl->held, wl->held - 1);
	}
	wl->ring[i] = obj;
	WRITE_ONCE(wl->held, wl->held + 1);
}

/* Give back what slot @s holds: its sheaf and the objects left in it. */
static void wl_sheaf_return(struct mm_ext_workload *wl, unsigned long s)
{
	WRITE_ONCE(wl->in_sheaves, wl->in_sheaves - slab_ext_sheaf_size(wl->sheaves[s]));
	slab_ext_return_sheaf(wl->cache, GFP_KERNEL, wl->sheaves[s]);
	wl->sheaves[s] = NULL;
	WRITE_ONCE(wl->returns, wl->returns + 1);
}

/*
 * prefill: each operation needs 1..min(sheaf, 8) objects that must not
 * fail inside its critical section. The slot's sheaf is prefilled (or
 * refilled, when it holds fewer than needed) to `sheaf` objects first,
 * where failing is allowed: a failure is counted and the operation
 * skipped, the sheaf kept. So under 100% injected failure the sheaves
 * prefilled before keep serving every operation they hold enough for:
 * `allocs` goes on rising while every prefill fails, and `broken` (a
 * sheaf that returned NULL while holding objects) stays 0.
 */
static void wl_prefill(struct mm_ext_workload *wl, struct rnd_state *rnd)
{
	unsigned int need, size, i, got;
	struct slab_ext_sheaf **sp;
	unsigned long i_op;
	int ret;

	for (i_op = 0; i_op < wl->ops; i_op++) {
		sp = &wl->sheaves[prandom_u32_state(rnd) % WL_SHEAVES];
		need = 1 + prandom_u32_state(rnd) % min(wl->sheaf, 8U);
		size = slab_ext_sheaf_size(*sp);
		if (!*sp) {
			*sp = slab_ext_prefill_sheaf(wl->cache, GFP_KERNEL, wl->sheaf);
			ret = *sp ? 0 : -ENOMEM;
			if (!ret)
				WRITE_ONCE(wl->prefills, wl->prefills + 1);
		} else if (size < need) {
			ret = slab_ext_refill_sheaf(wl->cache, GFP_KERNEL, sp, wl->sheaf);
			if (!ret)
				WRITE_ONCE(wl->refills, wl->refills + 1);
		} else {
			ret = 0;
		}
		if (ret) {
			WRITE_ONCE(wl->failures, wl->failures + 1);
		} else {
			WRITE_ONCE(wl->in_sheaves,
				   wl->in_sheaves + slab_ext_sheaf_size(*sp) - size);
			wl_sheaf_take(wl, *sp, need, i_op & 1);
			for (i = 0, got = 0; i < need; i++) {
				if (!wl->taken[i])
					continue;
				got++;
				wl_ring_hold(wl, wl->taken[i]);
			}
			WRITE_ONCE(wl->in_sheaves, wl->in_sheaves - got);
			WRITE_ONCE(wl->allocs, wl->allocs + got);
			WRITE_ONCE(wl->broken, wl->broken + need - got);
			if (!slab_ext_sheaf_size(*sp))
				wl_sheaf_return(wl, sp - wl->sheaves);
		}
		WRITE_ONCE(wl->done, i_op + 1);
		if (wl_pause(wl, i_op))
			return;
	}
}

static int wl_thread(void *data)
{
	struct mm_ext_workload *wl = data;
	struct rnd_state rnd;
	unsigned long i;

	prandom_seed_state(&rnd, wl->seed);
	if (wl->type == WL_FRAGMENT)
		wl_fragment(wl, wl->slot);
	else if (wl->type == WL_PREFILL)
		wl_prefill(wl, &rnd);
	else if (wl->bulk)
		wl_bulk(wl);
	else
		wl_random(wl, wl->slot, &rnd);
	if (wl->bulk)
		wl_batch_free(wl);
	for (i = 0; wl->sheaves && i < WL_SHEAVES; i++)
		if (wl->sheaves[i])
			wl_sheaf_return(wl, i);
	while (wl->ring && wl->held) {
		slab_ext_free(wl->cache, wl->ring[wl->ring_head]);
		wl->ring_head = (wl->ring_head + 1) % wl->ring_cap;
		WRITE_ONCE(wl->held, wl->held - 1);
		WRITE_ONCE(wl->frees, wl->frees + 1);
	}

	/* Ended or stopped: give back everything held. */
	for (i = 0; i < wl->slots; i++) {
		if (wl->slot[i].p) {
			wl_free(wl, &wl->slot[i]);
			WRITE_ONCE(wl->held, wl->held - 1);
			WRITE_ONCE(wl->frees, wl->frees + 1);
		}
	}
	WRITE_ONCE(wl->state, kthread_should_stop() ? WL_STOPPED : WL_DONE);
	/* Stay until kthread_stop(), so stopping a finished workload is the same. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static void wl_free_arrays(struct mm_ext_workload *wl)
{
	kvfree(wl->slot);
	kvfree(wl->batch);
	kvfree(wl->sheaves);
	kvfree(wl->taken);
	kvfree(wl->ring);
	wl->ring = NULL;
	wl->slot = NULL;
	wl->batch = NULL;
	wl->sheaves = NULL;
	wl->taken = NULL;
}

/* Start @wl, whose target the caller has validated and taken a use of. */
int mm_ext_workload_start(struct mm_ext_workload *wl)
{
	bool prefill = wl->type == WL_PREFILL;

	wl->slot = kvcalloc(wl->slots, sizeof(*wl->slot), GFP_KERNEL | __GFP_NOWARN);
	if (wl->bulk)
		wl->batch = kvcalloc(wl->bulk, sizeof(*wl->batch), GFP_KERNEL | __GFP_NOWARN);
	if (prefill) {
		wl->sheaves = kvcalloc(WL_SHEAVES, sizeof(*wl->sheaves),
				       GFP_KERNEL | __GFP_NOWARN);
		wl->taken = kvcalloc(min(wl->sheaf, 8U), sizeof(*wl->taken),
				     GFP_KERNEL | __GFP_NOWARN);
		wl->ring_cap = wl->slots;
		wl->ring_head = 0;
		wl->ring = kvcalloc(wl->ring_cap, sizeof(*wl->ring), GFP_KERNEL | __GFP_NOWARN);
		spin_lock_init(&wl->crit);
	}
	if (!wl->slot || (wl->bulk && !wl->batch) ||
	    (prefill && (!wl->sheaves || !wl->taken || !wl->ring))) {
		wl_free_arrays(wl);
		return -ENOMEM;
	}
	wl->state = WL_RUNNING;
	wl->task = kthread_create(wl_thread, wl, "mm_ext_wl/%s", wl->name);
	if (IS_ERR(wl->task)) {
		int ret = PTR_ERR(wl->task);

		wl_free_arrays(wl);
		wl->task = NULL;
		return ret;
	}
	get_task_struct(wl->task);
	wake_up_process(wl->task);
	return 0;
}

/* Stop @wl if it runs; it has given everything back when this returns. */
void mm_ext_workload_stop(struct mm_ext_workload *wl)
{
	if (!wl->task)
		return;
	kthread_stop(wl->task);
	put_task_struct(wl->task);
	wl->task = NULL;
	wl_free_arrays(wl);
}
