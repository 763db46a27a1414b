// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mm_ext_model": a seeded random run of model_ops operations
 * (1,000,000 by default) on one zone, two caches on it (one plain, with
 * CPU arrays; one with every debug flag) and two pools (one over the plain
 * cache, one of order-1 page blocks), checked against a reference model.
 *
 * The model is deliberately naive: a set of the live addresses and what was
 * written into each, the elements each pool keeps in reserve, and one
 * counter per counter of the real objects, moved by the contract
 * (../shared/API.md) alone: an alloc counts in allocs, a free in frees, a
 * pool free refills the reserve while it is below min_nr, a pool alloc
 * takes from the reserve only when the allocator below cannot serve, a
 * misuse counts in the errors of the object the call was made on and moves
 * nothing else. It knows nothing of slabs, CPU arrays or free lists.
 *
 * Operations: cache and pool alloc/free, slab_ext_shrink, CPU array bounds
 * (which drain them), buddy_sim_drain, mempool_ext_resize, failure
 * injection at 0 / 10 / 50 / 100 %, migration to a random online CPU, and
 * misuse: double free, interior and foreign pointers, pool double frees.
 *
 * Compared as it goes: the contents of every object freed (and of every
 * live object every CHECK_EVERY operations); no address handed out twice
 * while live; NULL only where the contract allows it; after each misuse,
 * one counted report, one more error where the call was made, and every
 * other counter of every object unchanged; every CHECK_EVERY operations and
 * at the end, every counter exactly as the model has it, list counts and
 * zone pages consistent with what is held.
 *
 * The seed is printed; the same seed on the same number of CPUs gives the
 * same run, addresses aside (the digest printed at the end says so). To
 * reproduce one: insmod mm_ext_kunit.ko model_seed=N [model_ops=N], or
 * mm_ext_kunit.model_seed=N on the command line of a kernel whose modules
 * are loaded by modprobe.
 */

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_test.h"

static u64 model_seed;
module_param(model_seed, ullong, 0444);
MODULE_PARM_DESC(model_seed, "seed of the mm_ext_model run (0: a new one each run)");

static unsigned long model_ops = 1000000;
module_param(model_ops, ulong, 0444);
MODULE_PARM_DESC(model_ops, "operations in the mm_ext_model run");

#define ZONE_PAGES	1024	/* enough for per-CPU page lists (>= 1024) */
#define PAGE_ORDER	1	/* the page pool's blocks */
#define RESERVE_MAX	16	/* largest min_nr a resize asks */
#define RING		8	/* recently freed addresses kept per kind */
#define PHASE		16384	/* operations between new targets and injection */
#define CHECK_EVERY	4096	/* operations between full comparisons */
#define MAX_FAILURES	10	/* the run stops after so many */

enum { K_PLAIN, K_DEBUG, K_SPOOL, K_PPOOL, NR_KINDS };

static const char *const kind_name[NR_KINDS] = {
	"plain cache", "debug cache", "slab pool", "page pool"
};

/* Live objects the run keeps at most, per kind. */
static const unsigned int kind_cap[NR_KINDS] = { 1024, 256, 64, 384 };

/* One live object as the model sees it. */
struct mobj {
	struct hlist_node node;		/* in model.live_hash, by address */
	u8 *p;
	u64 tag;			/* what was written into it */
	unsigned long op;		/* the operation that allocated it */
	int kind;
	unsigned int idx;		/* in its kind's live[] */
};

struct mkind {
	struct mobj **live;		/* dense: any one picked in O(1) */
	unsigned int nr, target;
	size_t size;			/* bytes the run writes and checks */
	void *ring[RING];		/* freed lately: double free candidates */
	unsigned int ring_nr, ring_next;
	u64 allocs, nulls, frees;	/* for the summary */
};

/* A pool as the model sees it: its counters and its reserve. */
struct mpool {
	struct mempool_ext *pool;
	int min_nr, curr_nr;
	void *reserve[RESERVE_MAX];	/* the curr_nr elements in reserve */
	u64 allocs, reserve_allocs, frees, refills, failures, errors;
};

/* A cache as the model sees it. */
struct mcache {
	struct slab_ext_cache *cache;
	u64 allocs, frees, errors;
};

/* Everything the real objects report, taken before and after a misuse. */
struct snapshot {
	struct buddy_sim_info zone;
	struct slab_ext_info cache[2];
	struct mempool_ext_info pool[2];
	u64 pool_errors[2];
};

struct model {
	struct kunit *test;
	struct rnd_state rnd;
	unsigned long op;		/* index of the operation running */
	const char *what;		/* its name, for failure messages */
	unsigned int failed;
	bool stop;			/* the real state can no longer be trusted */
	u64 digest;			/* of the operations and their outcomes */
	u64 next_tag;

	struct buddy_sim *zone;
	unsigned int fail_pct;		/* failure injection now */
	u64 zone_errors;
	struct mcache cache[2];		/* K_PLAIN, K_DEBUG */
	struct mpool pool[2];		/* K_SPOOL - 2, K_PPOOL - 2 */
	bool arrays_off;		/* the plain cache's CPU arrays bound to 0 */
	atomic_t *reports;
	u64 misuses;			/* reports expected */
	u8 *foreign;			/* memory of another allocator */

	struct mkind kind[NR_KINDS];
	struct mobj *objs;		/* storage of every struct mobj */
	struct mobj **free_objs;
	unsigned int nr_free_objs;
	DECLARE_HASHTABLE(live_hash, 11);

	u64 misuse_done[5], migrations, shrinks, drains, resizes, bounds;
};

static __printf(2, 3) void model_fail(struct model *m, const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	KUNIT_FAIL(m->test, "op %lu (%s): %s", m->op, m->what, msg);
	m->failed++;
}

static u32 rnd(struct model *m, u32 n)
{
	return n ? prandom_u32_state(&m->rnd) % n : 0;
}

static void digest(struct model *m, u64 v)
{
	m->digest = (m->digest ^ v) * 0x100000001b3ULL;
}

static struct mpool *mpool_of(struct model *m, int kind)
{
	return &m->pool[kind - K_SPOOL];
}

/* ---- the live set ---- */

static struct mobj *live_find(struct model *m, const void *p)
{
	struct mobj *o;

	hash_for_each_possible(m->live_hash, o, node, (unsigned long)p)
		if (o->p == p)
			return o;
	return NULL;
}

static bool in_reserve(struct mpool *mp, const void *p)
{
	int i;

	for (i = 0; i < mp->curr_nr; i++)
		if (mp->reserve[i] == p)
			return true;
	return false;
}

static void reserve_remove(struct mpool *mp, const void *p)
{
	int i;

	for (i = 0; i < mp->curr_nr; i++) {
		if (mp->reserve[i] == p) {
			mp->reserve[i] = mp->reserve[--mp->curr_nr];
			return;
		}
	}
}

/* A new address from the real layers: it must not be in use already. */
static bool fresh_address(struct model *m, const void *p)
{
	struct mobj *o = live_find(m, p);
	int i;

	if (o) {
		model_fail(m, "handed out the %s object of op %lu again while live",
			   kind_name[o->kind], o->op);
		m->stop = true;
		return false;
	}
	for (i = 0; i < 2; i++) {
		if (in_reserve(&m->pool[i], p)) {
			model_fail(m, "handed out an element in the reserve of the %s",
				   kind_name[K_SPOOL + i]);
			m->stop = true;
			return false;
		}
	}
	return true;
}

/*
 * Fill a new object with its own value: the tag at each end and a byte of
 * it between. A page block gets the tag every BLOCK_STRIDE bytes instead:
 * writing and reading all of 8 KiB costs more than the rest of an
 * operation under QEMU, and a block handed out twice shows at its start.
 */
#define BLOCK_STRIDE	256

static void fill(u8 *p, size_t size, u64 tag)
{
	size_t i;

	if (size > 2 * BLOCK_STRIDE) {
		for (i = 0; i < size; i += BLOCK_STRIDE)
			memcpy(p + i, &tag, sizeof(tag));
		return;
	}
	memset(p, (u8)tag, size);
	memcpy(p, &tag, sizeof(tag));
	memcpy(p + size - sizeof(tag), &tag, sizeof(tag));
}

static void check_contents(struct model *m, struct mobj *o)
{
	size_t size = m->kind[o->kind].size, i;
	u64 head, tail;
	u8 *bad = NULL;

	memcpy(&head, o->p, sizeof(head));
	if (size > 2 * BLOCK_STRIDE) {
		tail = head;
		for (i = BLOCK_STRIDE; i < size && tail == o->tag; i += BLOCK_STRIDE)
			memcpy(&tail, o->p + i, sizeof(tail));
	} else {
		memcpy(&tail, o->p + size - sizeof(tail), sizeof(tail));
		bad = memchr_inv(o->p + sizeof(head), (u8)o->tag, size - 2 * sizeof(head));
	}
	if (head != o->tag || tail != o->tag || bad)
		model_fail(m, "%s object of op %lu overwritten: tag %llx, %llx, %llx, byte %td",
			   kind_name[o->kind], o->op, o->tag, head, tail,
			   bad ? bad - o->p : (ptrdiff_t)-1);
}

static void live_add(struct model *m, int kind, void *p)
{
	struct mkind *k = &m->kind[kind];
	struct mobj *o = m->free_objs[--m->nr_free_objs];

	o->p = p;
	o->kind = kind;
	o->tag = m->next_tag++ * 0x9e3779b97f4a7c15ULL;
	o->op = m->op;
	o->idx = k->nr;
	k->live[k->nr++] = o;
	hash_add(m->live_hash, &o->node, (unsigned long)p);
	fill(p, k->size, o->tag);
}

/* Out of the live set, contents checked; remembered as freed lately. */
static void live_del(struct model *m, struct mobj *o)
{
	struct mkind *k = &m->kind[o->kind];

	check_contents(m, o);
	hash_del(&o->node);
	k->live[o->idx] = k->live[--k->nr];
	k->live[o->idx]->idx = o->idx;
	k->ring[k->ring_next] = o->p;
	k->ring_next = (k->ring_next + 1) % RING;
	k->ring_nr = min(k->ring_nr + 1, (unsigned int)RING);
	m->free_objs[m->nr_free_objs++] = o;
}

static struct mobj *live_pick(struct model *m, int kind)
{
	struct mkind *k = &m->kind[kind];

	return k->nr ? k->live[rnd(m, k->nr)] : NULL;
}

/*
 * A page pool element freed lately could since have become a slab of
 * either cache, unseen by the model: then it is allocated in the zone and
 * no double free of it can be detected. Forget them whenever a slab may
 * have been made.
 */
static void slab_may_be_made(struct model *m)
{
	m->kind[K_PPOOL].ring_nr = 0;
}

/* ---- what the real objects must show ---- */

/* Objects of the cache handed out: to the run, and to the slab pool. */
static unsigned long cache_allocated(struct model *m, int kind)
{
	if (kind == K_DEBUG)
		return m->kind[K_DEBUG].nr;
	return m->kind[K_PLAIN].nr + m->kind[K_SPOOL].nr + m->pool[0].curr_nr;
}

/* How many blocks of @order the zone could give now, by splitting larger ones. */
static unsigned long zone_blocks(struct model *m, unsigned int order)
{
	struct buddy_sim_info zi;
	unsigned long n = 0;
	unsigned int o;

	buddy_sim_info(m->zone, &zi);
	if (order == 0)
		return zi.nr_free_pages;	/* per-CPU lists included */
	for (o = order; o <= BUDDY_SIM_MAX_ORDER; o++)
		n += zi.nr_free[o] << (o - order);
	return n;
}

/*
 * Why @need allocations of @kind (a cache, or the page pool's allocator)
 * must not fail now, or NULL when they may: a cache fails only with too few
 * free objects anywhere in it (CPU arrays included) and too few slabs to be
 * had from the zone; the zone fails only by injection or with too few free
 * blocks of the order.
 */
static const char *must_succeed(struct model *m, int kind, unsigned long need)
{
	unsigned long blocks = need, free;
	unsigned int order = PAGE_ORDER;
	struct slab_ext_info info;

	if (kind == K_SPOOL)
		kind = K_PLAIN;
	if (kind != K_PPOOL) {
		slab_ext_cache_info(m->cache[kind].cache, &info);
		free = info.total_objs - min(info.total_objs, cache_allocated(m, kind));
		if (free >= need)
			return "the cache holds enough free objects";
		blocks = DIV_ROUND_UP(need - free, info.objs_per_slab);
		order = info.order;
	}
	if (!m->fail_pct && zone_blocks(m, order) >= blocks)
		return "the zone has enough free blocks and no injection";
	return NULL;
}

static void expect_field(struct model *m, const char *what, const char *field, u64 real,
			 u64 model)
{
	if (real != model)
		model_fail(m, "%s %s is %llu, the model says %llu", what, field, real, model);
}

#define EXPECT_FIELD(m, what, real, model) expect_field(m, what, #real, real, model)

/*
 * The slab lists of a cache whose CPU arrays are empty hold exactly the
 * objects handed out: no more slabs than one per object, no fewer than
 * they need, full slabs only as many as those objects fill.
 */
static void check_tight_lists(struct model *m, int kind, const struct slab_ext_info *info)
{
	unsigned long a = cache_allocated(m, kind), per = info->objs_per_slab;

	if (info->nr_full + info->nr_partial < DIV_ROUND_UP(a, per) ||
	    info->nr_full * per > a ||
	    a > info->nr_full * per + info->nr_partial * (per - 1))
		model_fail(m, "%s: full %lu, partial %lu of %lu objects cannot hold %lu exactly",
			   kind_name[kind], info->nr_full, info->nr_partial, per, a);
}

static void check_cache(struct model *m, int kind)
{
	struct mcache *mc = &m->cache[kind];
	struct slab_ext_info info;
	const char *what = kind_name[kind];

	slab_ext_cache_info(mc->cache, &info);
	EXPECT_FIELD(m, what, info.allocs, mc->allocs);
	EXPECT_FIELD(m, what, info.frees, mc->frees);
	EXPECT_FIELD(m, what, info.errors, mc->errors);
	EXPECT_FIELD(m, what, info.active_objs, cache_allocated(m, kind));
	EXPECT_FIELD(m, what, info.total_objs,
		     (info.nr_full + info.nr_partial + info.nr_empty) * info.objs_per_slab);
	if (info.total_objs < info.active_objs)
		model_fail(m, "%s: %lu objects active of %lu", what, info.active_objs,
			   info.total_objs);
	if (kind == K_DEBUG || m->arrays_off)
		check_tight_lists(m, kind, &info);
}

static void check_pool(struct model *m, int kind)
{
	struct mpool *mp = mpool_of(m, kind);
	struct mempool_ext_extra extra;
	struct mempool_ext_info info;
	const char *what = kind_name[kind];

	mempool_ext_info(mp->pool, &info);
	EXPECT_FIELD(m, what, info.min_nr, mp->min_nr);
	EXPECT_FIELD(m, what, info.curr_nr, mp->curr_nr);
	EXPECT_FIELD(m, what, info.allocs, mp->allocs);
	EXPECT_FIELD(m, what, info.reserve_allocs, mp->reserve_allocs);
	EXPECT_FIELD(m, what, info.frees, mp->frees);
	EXPECT_FIELD(m, what, info.refills, mp->refills);
	EXPECT_FIELD(m, what, info.failures, mp->failures);
	EXPECT_FIELD(m, what, info.waits, 0);
	mempool_ext_get_extra(mp->pool, &extra);
	EXPECT_FIELD(m, what, extra.errors, mp->errors);
}

/* The zone's pages out are exactly the slabs and the page pool's blocks. */
static void check_zone(struct model *m)
{
	unsigned long blocks, pages, sum = 0;
	struct slab_ext_info ci[2];
	struct buddy_sim_info zi;
	unsigned int o;
	int i;

	for (i = 0; i < 2; i++)
		slab_ext_cache_info(m->cache[i].cache, &ci[i]);
	buddy_sim_info(m->zone, &zi);
	blocks = m->kind[K_PPOOL].nr + m->pool[1].curr_nr;
	pages = blocks << PAGE_ORDER;
	for (i = 0; i < 2; i++) {
		unsigned long slabs = ci[i].nr_full + ci[i].nr_partial + ci[i].nr_empty;

		blocks += slabs;
		pages += slabs << ci[i].order;
	}
	EXPECT_FIELD(m, "zone", zi.errors, m->zone_errors);
	EXPECT_FIELD(m, "zone", zi.nr_pages - zi.nr_free_pages, pages);
	EXPECT_FIELD(m, "zone", zi.allocs - zi.frees, blocks);
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
		sum += zi.nr_free[o] << o;
	EXPECT_FIELD(m, "zone", zi.nr_free_pages, sum + zi.nr_pcp);
}

static void check_all(struct model *m, bool contents)
{
	struct mobj *o;
	int bkt;

	m->what = "full comparison";
	check_cache(m, K_PLAIN);
	check_cache(m, K_DEBUG);
	check_pool(m, K_SPOOL);
	check_pool(m, K_PPOOL);
	check_zone(m);
	EXPECT_FIELD(m, "test", atomic_read(m->reports), m->misuses);
	if (contents)
		hash_for_each(m->live_hash, bkt, o, node)
			check_contents(m, o);
}

/* ---- operations ---- */

static void op_cache_alloc(struct model *m, int kind)
{
	struct mcache *mc = &m->cache[kind];
	const char *why;
	void *p;

	m->what = kind == K_PLAIN ? "plain cache alloc" : "debug cache alloc";
	p = slab_ext_alloc(mc->cache, GFP_KERNEL);
	slab_may_be_made(m);
	digest(m, kind << 1 | (p ? 1 : 0));
	if (!p) {
		m->kind[kind].nulls++;
		why = must_succeed(m, kind, 1);
		if (why)
			model_fail(m, "NULL, but %s", why);
		return;
	}
	if (!fresh_address(m, p))
		return;
	mc->allocs++;
	m->kind[kind].allocs++;
	live_add(m, kind, p);
}

static void op_cache_free(struct model *m, int kind, struct mobj *o)
{
	void *p = o->p;

	m->what = kind == K_PLAIN ? "plain cache free" : "debug cache free";
	live_del(m, o);
	slab_ext_free(m->cache[kind].cache, p);
	m->cache[kind].frees++;
	m->kind[kind].frees++;
	digest(m, 0x10 | kind);
}

/* An element the pool handed out: from the reserve, or from below. */
static void pool_got(struct model *m, int kind, void *p)
{
	struct mpool *mp = mpool_of(m, kind);
	bool reserved = in_reserve(mp, p);
	const char *why;

	if (!reserved && !fresh_address(m, p))
		return;
	mp->allocs++;
	m->kind[kind].allocs++;
	if (reserved) {
		reserve_remove(mp, p);
		mp->reserve_allocs++;
	} else if (kind == K_SPOOL) {
		m->cache[K_PLAIN].allocs++;
	}
	live_add(m, kind, p);
	if (!reserved)
		return;
	why = must_succeed(m, kind, 1);
	if (why)
		model_fail(m, "served from the reserve, but %s", why);
}

static void op_pool_alloc(struct model *m, int kind)
{
	struct mpool *mp = mpool_of(m, kind);
	const char *why;
	void *p;

	m->what = kind == K_SPOOL ? "slab pool alloc" : "page pool alloc";
	p = mempool_ext_alloc(mp->pool, GFP_NOWAIT);
	if (kind == K_SPOOL)
		slab_may_be_made(m);
	digest(m, 0x20 | kind << 1 | (p ? 1 : 0));
	if (p) {
		pool_got(m, kind, p);
		return;
	}
	m->kind[kind].nulls++;
	mp->failures++;
	if (mp->curr_nr)
		model_fail(m, "NULL with %d elements in reserve", mp->curr_nr);
	why = must_succeed(m, kind, 1);
	if (why)
		model_fail(m, "NULL, but %s", why);
}

/* mempool_ext_alloc_preallocated(): the reserve only, NULL when it is empty. */
static void op_pool_prealloc(struct model *m, int kind)
{
	struct mpool *mp = mpool_of(m, kind);
	void *p;

	m->what = "pool alloc_preallocated";
	if (m->kind[kind].nr >= kind_cap[kind])
		return;
	p = mempool_ext_alloc_preallocated(mp->pool);
	digest(m, 0x30 | kind << 1 | (p ? 1 : 0));
	if (!p) {
		mp->failures++;
		if (mp->curr_nr)
			model_fail(m, "NULL with %d elements in reserve", mp->curr_nr);
		return;
	}
	if (!in_reserve(mp, p)) {
		model_fail(m, "an element that was not in the reserve");
		m->stop = true;
		return;
	}
	reserve_remove(mp, p);
	mp->allocs++;
	mp->reserve_allocs++;
	m->kind[kind].allocs++;
	live_add(m, kind, p);
}

static void pool_put(struct model *m, int kind, void *p)
{
	struct mpool *mp = mpool_of(m, kind);

	mempool_ext_free(p, mp->pool);
	mp->frees++;
	if (mp->curr_nr < mp->min_nr) {
		mp->reserve[mp->curr_nr++] = p;
		mp->refills++;
	} else if (kind == K_SPOOL) {
		m->cache[K_PLAIN].frees++;
	}
}

static void op_pool_free(struct model *m, int kind, struct mobj *o)
{
	void *p = o->p;

	m->what = kind == K_SPOOL ? "slab pool free" : "page pool free";
	live_del(m, o);
	pool_put(m, kind, p);
	m->kind[kind].frees++;
	digest(m, 0x40 | kind);
}

/*
 * Learn which elements a pool keeps in reserve, after a resize (or its
 * creation) put ones there the model did not see: take them all out with
 * mempool_ext_alloc_preallocated() and put them back. The first @known of
 * mp->reserve[] are what the model knew was there: after a grow they must
 * all still be there, the others new; after a shrink, only they may be.
 */
static void learn_reserve(struct model *m, int kind, int known, bool grew, const char *what)
{
	struct mpool *mp = mpool_of(m, kind);
	void *got[RESERVE_MAX], *old[RESERVE_MAX];
	int n = mp->curr_nr, i, j;

	m->what = what;
	memcpy(old, mp->reserve, known * sizeof(void *));
	mp->curr_nr = 0;
	for (i = 0; i < n; i++) {
		got[i] = mempool_ext_alloc_preallocated(mp->pool);
		if (!got[i]) {
			model_fail(m, "the reserve holds %d, not %d", i, n);
			m->stop = true;
			for (j = 0; j < i; j++)
				mempool_ext_free(got[j], mp->pool);
			return;
		}
		for (j = 0; j < i; j++)
			if (got[j] == got[i])
				model_fail(m, "one element twice in the reserve");
		for (j = 0; j < known && old[j] != got[i]; j++)
			;
		if (j == known && (!grew || !fresh_address(m, got[i])))
			model_fail(m, "an element in the reserve unknown to the model");
	}
	for (i = 0; grew && i < known; i++) {
		for (j = 0; j < n && got[j] != old[i]; j++)
			;
		if (j == n)
			model_fail(m, "an element left the reserve in a grow");
	}
	mp->allocs += n;
	mp->reserve_allocs += n;
	for (i = 0; i < n; i++)
		pool_put(m, kind, got[i]);
}

/*
 * A resize of the slab pool allocates from the plain cache and frees to it:
 * how often, the contract leaves open (a grow may take one too many and
 * give it back), only the net change is the model's.
 */
static void resize_below(struct model *m, int kind, long net)
{
	struct mcache *mc = &m->cache[K_PLAIN];
	struct slab_ext_info ci;
	long took, gave;

	if (kind != K_SPOOL)
		return;
	slab_ext_cache_info(mc->cache, &ci);
	took = ci.allocs - mc->allocs;
	gave = ci.frees - mc->frees;
	EXPECT_FIELD(m, "plain cache in a resize", took - gave, net);
	mc->allocs = ci.allocs;
	mc->frees = ci.frees;
}

static void op_resize(struct model *m, int kind)
{
	struct mpool *mp = mpool_of(m, kind);
	int n = rnd(m, RESERVE_MAX + 1), old_curr = mp->curr_nr, ret;
	struct mempool_ext_info info;
	const char *why;

	m->what = "pool resize";
	m->resizes++;
	ret = mempool_ext_resize(mp->pool, n);
	if (kind == K_SPOOL)
		slab_may_be_made(m);
	digest(m, 0x50 | kind << 8 | n << 16 | (ret ? 1 : 0));
	if (ret == -ENOMEM) {
		/* Allowed only when the reserve could not be filled; nothing changes. */
		why = must_succeed(m, kind, max(n - old_curr, 0));
		if (why)
			model_fail(m, "-ENOMEM growing to %d, but %s", n, why);
		mempool_ext_info(mp->pool, &info);
		EXPECT_FIELD(m, "failed resize", info.min_nr, mp->min_nr);
		EXPECT_FIELD(m, "failed resize", info.curr_nr, mp->curr_nr);
		resize_below(m, kind, 0);
		return;
	}
	if (ret) {
		model_fail(m, "resize to %d returned %d", n, ret);
		return;
	}
	/* Shrinking gives the surplus back below at once; growing fills to n. */
	mp->curr_nr = n <= mp->min_nr ? min(old_curr, n) : n;
	resize_below(m, kind, mp->curr_nr - old_curr);
	mp->min_nr = n;
	/* The real reserve must hold what the model says before learning it. */
	mempool_ext_info(mp->pool, &info);
	EXPECT_FIELD(m, "resize", info.curr_nr, mp->curr_nr);
	EXPECT_FIELD(m, "resize", info.min_nr, mp->min_nr);
	if (info.curr_nr != mp->curr_nr) {
		m->stop = true;
		return;
	}
	learn_reserve(m, kind, old_curr, mp->curr_nr > old_curr,
		      "pool resize: learning the reserve");
}

static void op_shrink(struct model *m, int kind)
{
	struct slab_ext_info info;

	m->what = "shrink";
	m->shrinks++;
	digest(m, 0x60 | kind);
	KUNIT_EXPECT_EQ(m->test, slab_ext_shrink(m->cache[kind].cache), 0);
	slab_ext_cache_info(m->cache[kind].cache, &info);
	EXPECT_FIELD(m, "after shrink", info.nr_empty, 0);
	check_tight_lists(m, kind, &info);
	check_zone(m);
}

/* A new bound for the plain cache's CPU arrays: they are drained. */
static void op_bound(struct model *m)
{
	static const unsigned int bounds[] = { 0, 1, 2, 8, 32, 128 };
	unsigned int b = bounds[rnd(m, ARRAY_SIZE(bounds))];
	struct slab_ext_info info;
	int ret;

	m->what = "CPU array bound";
	m->bounds++;
	digest(m, 0x70 | b << 8);
	ret = slab_ext_set_cpu_cache(m->cache[K_PLAIN].cache, b);
	if (ret) {
		model_fail(m, "slab_ext_set_cpu_cache(%u) returned %d", b, ret);
		return;
	}
	m->arrays_off = !b;
	if (m->arrays_off) {
		slab_ext_cache_info(m->cache[K_PLAIN].cache, &info);
		check_tight_lists(m, K_PLAIN, &info);
	}
}

static void op_drain(struct model *m)
{
	struct buddy_sim_info zi;

	m->what = "zone drain";
	m->drains++;
	digest(m, 0x80);
	buddy_sim_drain(m->zone);
	buddy_sim_info(m->zone, &zi);
	EXPECT_FIELD(m, "after drain", zi.nr_pcp, 0);
	check_zone(m);
}

static void set_injection(struct model *m, unsigned int pct)
{
	struct buddy_sim_fail f = { .probability = pct, .times = -1 };

	m->what = "failure injection";
	m->fail_pct = pct;
	digest(m, 0x90 | pct << 8);
	if (buddy_sim_set_fail(m->zone, &f))
		model_fail(m, "buddy_sim_set_fail(%u%%) refused", pct);
}

/* Run on a random online CPU from now on: CPU arrays and page lists differ. */
static void op_migrate(struct model *m)
{
	unsigned int n = rnd(m, num_online_cpus());
	int cpu, ret;

	m->what = "migration";
	m->migrations++;
	cpu = cpumask_first(cpu_online_mask);
	while (n--)
		cpu = cpumask_next(cpu, cpu_online_mask);
	digest(m, 0xa0 | cpu << 8);
	ret = set_cpus_allowed_ptr(current, cpumask_of(cpu));
	if (ret)
		model_fail(m, "set_cpus_allowed_ptr(CPU %d) returned %d", cpu, ret);
	else if (raw_smp_processor_id() != cpu)
		model_fail(m, "still on CPU %d, not %d", raw_smp_processor_id(), cpu);
}

static void take_snapshot(struct model *m, struct snapshot *s)
{
	struct mempool_ext_extra extra;
	int i;

	memset(s, 0, sizeof(*s));
	buddy_sim_info(m->zone, &s->zone);
	for (i = 0; i < 2; i++) {
		slab_ext_cache_info(m->cache[i].cache, &s->cache[i]);
		mempool_ext_info(m->pool[i].pool, &s->pool[i]);
		mempool_ext_get_extra(m->pool[i].pool, &extra);
		s->pool_errors[i] = extra.errors;
	}
}

/* Before and after a misuse: equal but for @kind's errors, one more. */
static void expect_one_error(struct model *m, struct snapshot *a, struct snapshot *b,
			     int kind)
{
	int i;

	if (kind == K_PLAIN || kind == K_DEBUG)
		a->cache[kind].errors++;
	else
		a->pool_errors[kind - K_SPOOL]++;
	EXPECT_FIELD(m, "misuse", b->zone.errors, a->zone.errors);
	b->zone.errors = a->zone.errors;
	if (memcmp(&a->zone, &b->zone, sizeof(a->zone)))
		model_fail(m, "the zone changed: free pages %lu -> %lu, allocs %llu -> %llu",
			   a->zone.nr_free_pages, b->zone.nr_free_pages, a->zone.allocs,
			   b->zone.allocs);
	for (i = 0; i < 2; i++) {
		EXPECT_FIELD(m, kind_name[i], b->cache[i].errors, a->cache[i].errors);
		EXPECT_FIELD(m, kind_name[i], b->cache[i].frees, a->cache[i].frees);
		b->cache[i].errors = a->cache[i].errors;
		b->cache[i].frees = a->cache[i].frees;
		if (memcmp(&a->cache[i], &b->cache[i], sizeof(a->cache[i])))
			model_fail(m, "%s changed: allocs %llu -> %llu, active %lu -> %lu",
				   kind_name[i], a->cache[i].allocs, b->cache[i].allocs,
				   a->cache[i].active_objs, b->cache[i].active_objs);
		EXPECT_FIELD(m, kind_name[K_SPOOL + i], b->pool_errors[i], a->pool_errors[i]);
		if (memcmp(&a->pool[i], &b->pool[i], sizeof(a->pool[i])))
			model_fail(m, "%s changed: curr_nr %d -> %d, frees %llu -> %llu",
				   kind_name[K_SPOOL + i], a->pool[i].curr_nr, b->pool[i].curr_nr,
				   a->pool[i].frees, b->pool[i].frees);
	}
}

/* A recently freed address of @kind, free still as far as the model knows. */
static void *freed_candidate(struct model *m, int kind)
{
	struct mkind *k = &m->kind[kind];
	unsigned int start = rnd(m, RING), i;
	void *p;

	for (i = 0; i < k->ring_nr; i++) {
		p = k->ring[(start + i) % k->ring_nr];
		if (live_find(m, p))
			continue;
		/* Plain cache objects in the slab pool's reserve are allocated. */
		if (kind == K_PLAIN && in_reserve(&m->pool[0], p))
			continue;
		return p;
	}
	return NULL;
}

enum { M_DOUBLE, M_INTERIOR, M_FOREIGN, M_POOL_RESERVE, M_POOL_BELOW, NR_MISUSE };

static const char *const misuse_name[NR_MISUSE] = {
	"misuse: cache double free", "misuse: cache interior pointer",
	"misuse: cache foreign pointer", "misuse: pool double free (in reserve)",
	"misuse: pool double free (freed below)"
};

/*
 * One misuse, on a cache or a pool chosen at random: one report, one more
 * error in that object, and nothing else changed anywhere.
 */
static void op_misuse(struct model *m)
{
	int what = rnd(m, NR_MISUSE), kind, before;
	unsigned int failed = m->failed;
	struct snapshot *a, *b;
	struct mobj *o;
	void *p = NULL;

	m->what = misuse_name[what];
	switch (what) {
	case M_DOUBLE:
		kind = rnd(m, 2);
		p = freed_candidate(m, kind);
		break;
	case M_INTERIOR:
		kind = rnd(m, 2);
		o = live_pick(m, kind);
		if (o)
			p = o->p + 1 + rnd(m, m->kind[kind].size - 1);
		break;
	case M_FOREIGN:
		kind = rnd(m, 2);
		switch (rnd(m, 3)) {
		case 0:		/* another allocator's memory */
			p = m->foreign + rnd(m, 256);
			break;
		case 1:		/* the other cache's object */
			o = live_pick(m, !kind);
			p = o ? o->p : NULL;
			break;
		default:	/* a block of the same zone, not a slab */
			o = live_pick(m, K_PPOOL);
			p = o ? o->p : NULL;
			break;
		}
		break;
	case M_POOL_RESERVE:
		kind = K_SPOOL + rnd(m, 2);
		if (mpool_of(m, kind)->curr_nr)
			p = mpool_of(m, kind)->reserve[rnd(m, mpool_of(m, kind)->curr_nr)];
		break;
	default:
		kind = K_SPOOL + rnd(m, 2);
		p = freed_candidate(m, kind);
		break;
	}
	digest(m, 0xb0 | what << 8 | kind << 12 | (p ? 1 : 0));
	if (!p)
		return;		/* nothing to misuse just now */

	a = kzalloc(2 * sizeof(*a), GFP_KERNEL);
	if (!a) {
		model_fail(m, "no memory for snapshots");
		return;
	}
	b = a + 1;
	take_snapshot(m, a);
	before = atomic_read(m->reports);
	if (kind == K_PLAIN || kind == K_DEBUG)
		slab_ext_free(m->cache[kind].cache, p);
	else
		mempool_ext_free(p, mpool_of(m, kind)->pool);
	take_snapshot(m, b);
	m->misuse_done[what]++;
	m->misuses++;
	if (kind == K_PLAIN || kind == K_DEBUG)
		m->cache[kind].errors++;
	else
		mpool_of(m, kind)->errors++;
	if (atomic_read(m->reports) != before + 1)
		model_fail(m, "on the %s: %d reports, not 1", kind_name[kind],
			   atomic_read(m->reports) - before);
	expect_one_error(m, a, b, kind);
	kfree(a);
	/* Accepted or counted elsewhere, the real state is no longer the model's. */
	if (m->failed != failed)
		m->stop = true;
}

/* Towards the kind's target: allocate below it, free above, with noise. */
static void op_kind(struct model *m, int kind)
{
	struct mkind *k = &m->kind[kind];
	bool alloc = k->nr < k->target ? rnd(m, 4) != 0 : rnd(m, 4) == 0;
	struct mobj *o;

	if (k->nr >= kind_cap[kind])
		alloc = false;
	if (!k->nr)
		alloc = true;
	if (alloc) {
		if (kind == K_PLAIN || kind == K_DEBUG)
			op_cache_alloc(m, kind);
		else
			op_pool_alloc(m, kind);
		return;
	}
	o = live_pick(m, kind);
	if (kind == K_PLAIN || kind == K_DEBUG)
		op_cache_free(m, kind, o);
	else
		op_pool_free(m, kind, o);
}

static void new_phase(struct model *m)
{
	static const unsigned int pcts[] = { 0, 0, 0, 0, 10, 50, 100, 100 };
	int i;

	for (i = 0; i < NR_KINDS; i++)
		m->kind[i].target = rnd(m, kind_cap[i] + 1);
	set_injection(m, pcts[rnd(m, ARRAY_SIZE(pcts))]);
}

/*
 * One operation, drawn by frequency: mostly allocs and frees; migration,
 * shrink, bounds and resize are rare (each costs milliseconds under QEMU:
 * work on every CPU, or a stop of a CPU).
 */
static void one_op(struct model *m)
{
	u32 r = rnd(m, 100000);

	if (r < 40000)
		op_kind(m, K_PLAIN);
	else if (r < 55000)
		op_kind(m, K_DEBUG);
	else if (r < 75000)
		op_kind(m, K_SPOOL);
	else if (r < 98000)
		op_kind(m, K_PPOOL);
	else if (r < 99000)
		op_pool_prealloc(m, K_SPOOL + (r & 1));
	else if (r < 99060)
		op_misuse(m);
	else if (r < 99110)
		op_migrate(m);
	else if (r < 99140)
		op_shrink(m, r & 1);
	else if (r < 99150)
		op_bound(m);
	else if (r < 99180)
		op_drain(m);
	else if (r < 99200)
		op_resize(m, K_SPOOL + (r & 1));
	else if (r < 99600)
		op_kind(m, K_SPOOL);
	else
		op_kind(m, K_PPOOL);
}

/* ---- setup and teardown ---- */

static void destroy_pool_action(void *pool)
{
	mempool_ext_destroy(pool);
}

static struct model *model_create(struct kunit *test)
{
	struct model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int total = 0, i;
	struct slab_ext_info info;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->test = test;
	hash_init(m->live_hash);
	for (i = 0; i < NR_KINDS; i++) {
		m->kind[i].live = kunit_kcalloc(test, kind_cap[i], sizeof(void *), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->kind[i].live);
		total += kind_cap[i];
	}
	m->objs = kunit_kcalloc(test, total, sizeof(*m->objs), GFP_KERNEL);
	m->free_objs = kunit_kcalloc(test, total, sizeof(void *), GFP_KERNEL);
	m->foreign = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->objs);
	KUNIT_ASSERT_NOT_NULL(test, m->free_objs);
	KUNIT_ASSERT_NOT_NULL(test, m->foreign);
	for (i = 0; i < total; i++)
		m->free_objs[m->nr_free_objs++] = &m->objs[i];

	m->zone = test_zone(test, "mx_zone", ZONE_PAGES);
	m->cache[K_PLAIN].cache = test_cache(test, m->zone, "mx_plain", 256, 0, 0, NULL);
	m->cache[K_DEBUG].cache = test_cache(test, m->zone, "mx_debug", 100, 0,
					     SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER,
					     NULL);
	for (i = 0; i < 2; i++) {
		slab_ext_cache_info(m->cache[i].cache, &info);
		m->kind[i].size = info.object_size;
	}
	m->kind[K_SPOOL].size = m->kind[K_PLAIN].size;
	m->kind[K_PPOOL].size = PAGE_SIZE << PAGE_ORDER;

	m->pool[0].pool = mempool_ext_create_slab_pool("mx_slab_pool", 4,
						       m->cache[K_PLAIN].cache);
	m->pool[1].pool = mempool_ext_create_page_pool("mx_page_pool", 4, m->zone,
						       PAGE_ORDER);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->pool[i].pool);
		KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, destroy_pool_action,
								   m->pool[i].pool));
		m->pool[i].min_nr = 4;
		m->pool[i].curr_nr = 4;
	}
	m->cache[K_PLAIN].allocs = 4;	/* the slab pool's reserve */
	m->reports = test_count_reports(test);
	return m;
}

/* Everything back; then the zone must be whole again. */
static void model_teardown(struct model *m)
{
	struct buddy_sim_info zi;
	int kind, i;

	set_injection(m, 0);
	m->what = "teardown";
	for (kind = 0; kind < NR_KINDS; kind++)
		while (m->kind[kind].nr) {
			struct mobj *o = m->kind[kind].live[0];

			if (kind < K_SPOOL)
				op_cache_free(m, kind, o);
			else
				op_pool_free(m, kind, o);
		}
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(m->test, mempool_ext_resize(m->pool[i].pool, 0), 0);
		if (i == 0)
			m->cache[K_PLAIN].frees += m->pool[i].curr_nr;
		m->pool[i].curr_nr = 0;
		m->pool[i].min_nr = 0;
	}
	m->what = "teardown";
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(m->test, slab_ext_shrink(m->cache[i].cache), 0);
	buddy_sim_drain(m->zone);
	check_all(m, false);
	buddy_sim_info(m->zone, &zi);
	EXPECT_FIELD(m, "zone at the end", zi.nr_free_pages, zi.nr_pages);
	EXPECT_FIELD(m, "zone at the end", zi.allocs, zi.frees);
}

/*
 * The run: model_ops seeded random operations against the model, compared
 * in full every CHECK_EVERY of them and at the end.
 */
static void mm_ext_model_test_random(struct kunit *test)
{
	u64 seed = model_seed;
	cpumask_var_t saved;
	struct model *m;
	ktime_t start;
	s64 ms;
	int i;

	while (!seed)
		seed = get_random_u64();
	kunit_info(test, "seed %llu: reproduce with mm_ext_kunit.model_seed=%llu", seed, seed);
	KUNIT_ASSERT_TRUE(test, alloc_cpumask_var(&saved, GFP_KERNEL));
	cpumask_copy(saved, current->cpus_ptr);
	/* Where the scheduler puts us must not matter: the run starts on one CPU. */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current,
						   cpumask_of(cpumask_first(cpu_online_mask))), 0);
	m = model_create(test);
	prandom_seed_state(&m->rnd, seed);
	/* Learn the reserves creation filled. */
	learn_reserve(m, K_SPOOL, 0, true, "slab pool creation");
	learn_reserve(m, K_PPOOL, 0, true, "page pool creation");

	start = ktime_get();
	for (m->op = 0; m->op < model_ops && !m->stop && m->failed < MAX_FAILURES; m->op++) {
		if (!(m->op % PHASE))
			new_phase(m);
		one_op(m);
		if (!((m->op + 1) % CHECK_EVERY)) {
			check_all(m, true);
			cond_resched();
		}
	}
	ms = ktime_ms_delta(ktime_get(), start);
	if (m->stop)
		kunit_info(test, "stopped at op %lu: the real state left the model's", m->op);
	else
		model_teardown(m);
	set_cpus_allowed_ptr(current, saved);
	free_cpumask_var(saved);

	kunit_info(test, "%lu ops in %lld ms; digest %016llx (same seed, same digest)",
		   m->op, ms, m->digest);
	for (i = 0; i < NR_KINDS; i++)
		kunit_info(test, "%s: %llu allocs, %llu NULL, %llu frees", kind_name[i],
			   m->kind[i].allocs, m->kind[i].nulls, m->kind[i].frees);
	kunit_info(test, "misuse: %llu double, %llu interior, %llu foreign, %llu pool reserve, %llu pool below",
		   m->misuse_done[M_DOUBLE], m->misuse_done[M_INTERIOR], m->misuse_done[M_FOREIGN],
		   m->misuse_done[M_POOL_RESERVE], m->misuse_done[M_POOL_BELOW]);
	kunit_info(test, "%llu migrations, %llu shrinks, %llu bounds, %llu drains, %llu resizes",
		   m->migrations, m->shrinks, m->bounds, m->drains, m->resizes);
	if (m->failed)
		kunit_info(test, "reproduce with mm_ext_kunit.model_seed=%llu", seed);
}

static struct kunit_case mm_ext_model_test_cases[] = {
	KUNIT_CASE_SLOW(mm_ext_model_test_random),
	{}
};

static struct kunit_suite mm_ext_model_test_suite = {
	.name = "mm_ext_model",
	.test_cases = mm_ext_model_test_cases,
};

kunit_test_suites(&mm_ext_model_test_suite);
