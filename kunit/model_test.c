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
 * And mainline 6.16-7.0's calls: prefilled sheaves of both caches
 * (prefill, alloc_from_sheaf, refill, return), cache and pool bulk calls,
 * slab_ext_kmalloc_nolock()/kfree_nolock() and buddy_sim_alloc_nolock()
 * pages of the zone, with misuse on each path: a free of an object
 * resting in a sheaf, a sheaf returned twice or given to the other cache,
 * a pointer twice in a bulk free (cache and pool), a pool bulk call over
 * min_nr or with a gfp that may not block, kfree_nolock twice, a bad
 * kmalloc_nolock gfp, a nolock page freed twice. A prefilled sheaf's
 * objects count as in use in the slabs and free in the counters (allocs
 * move as the sheaf hands them out).
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
#define NR_SHEAVES	4	/* prefilled sheaves out at once */
#define SHEAF_MAX	8	/* objects a prefill or refill asks at most */
#define BULK_MAX	8	/* objects a cache bulk call moves at most */
#define POOL_BULK_MAX	8	/* elements a pool bulk call moves at most */
#define NOLOCK_SIZE	128	/* bytes of each slab_ext_kmalloc_nolock() */

/*
 * K_NOLOCK: slab_ext_kmalloc_nolock() memory (the kmalloc caches, on the
 * default zone); K_PAGE: order-0 pages of the model's zone from
 * buddy_sim_alloc_nolock().
 */
enum { K_PLAIN, K_DEBUG, K_SPOOL, K_PPOOL, K_NOLOCK, K_PAGE, NR_KINDS };

static const char *const kind_name[NR_KINDS] = {
	"plain cache", "debug cache", "slab pool", "page pool", "kmalloc_nolock",
	"zone nolock page"
};

/* Live objects the run keeps at most, per kind. */
static const unsigned int kind_cap[NR_KINDS] = { 1024, 256, 64, 384, 128, 64 };

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
	unsigned long in_sheaves;	/* objects its prefilled sheaves hold */
};

/* A prefilled sheaf as the model sees it: whose, and how many it holds. */
struct msheaf {
	struct slab_ext_sheaf *sheaf;
	int kind;			/* K_PLAIN or K_DEBUG */
	unsigned int size;
};

/*
 * Everything the real objects report, taken before and after a misuse;
 * and the errors of the kmalloc cache the K_NOLOCK objects come from and
 * of the default zone (where a bad kmalloc_nolock() gfp is counted).
 */
struct snapshot {
	struct buddy_sim_info zone;
	struct slab_ext_info cache[2];
	struct mempool_ext_info pool[2];
	u64 pool_errors[2];
	u64 kmalloc_errors, default_zone_errors;
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

	struct msheaf sheaves[NR_SHEAVES];
	unsigned int nr_sheaves;

	u64 misuse_done[5], migrations, shrinks, drains, resizes, bounds;
	u64 new_misuse_done[10], sheaf_ops[4], bulk_ops[4];
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
 * either cache, or a page of buddy_sim_alloc_nolock(), unseen by the
 * model: then it is allocated in the zone and no double free of it can be
 * detected. Forget them whenever a slab or a page may have been made.
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

/* Objects of the cache its slabs count in use: handed out, or in sheaves. */
static unsigned long cache_held(struct model *m, int kind)
{
	return cache_allocated(m, kind) + m->cache[kind].in_sheaves;
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
		free = info.total_objs - min(info.total_objs, cache_held(m, kind));
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
 * objects handed out or in sheaves: no more slabs than one per object, no
 * fewer than they need, full slabs only as many as those objects fill.
 */
static void check_tight_lists(struct model *m, int kind, const struct slab_ext_info *info)
{
	unsigned long a = cache_held(m, kind), per = info->objs_per_slab;

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

/* The zone's pages out are exactly the slabs, the page pool's blocks and nolock pages. */
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
	blocks += m->kind[K_PAGE].nr;
	pages += m->kind[K_PAGE].nr;
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
	unsigned int i;
	struct mobj *o;
	int bkt;

	m->what = "full comparison";
	check_cache(m, K_PLAIN);
	check_cache(m, K_DEBUG);
	check_pool(m, K_SPOOL);
	check_pool(m, K_PPOOL);
	check_zone(m);
	EXPECT_FIELD(m, "test", atomic_read(m->reports), m->misuses);
	for (i = 0; i < m->nr_sheaves; i++)
		EXPECT_FIELD(m, "sheaf", slab_ext_sheaf_size(m->sheaves[i].sheaf),
			     m->sheaves[i].size);
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

/* What a pool free of @p does, as the model sees it: true if it refilled. */
static bool pool_put_model(struct model *m, int kind, void *p)
{
	struct mpool *mp = mpool_of(m, kind);

	mp->frees++;
	if (mp->curr_nr < mp->min_nr) {
		mp->reserve[mp->curr_nr++] = p;
		mp->refills++;
		return true;
	}
	if (kind == K_SPOOL)
		m->cache[K_PLAIN].frees++;
	return false;
}

static void pool_put(struct model *m, int kind, void *p)
{
	mempool_ext_free(p, mpool_of(m, kind)->pool);
	pool_put_model(m, kind, p);
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
	struct buddy_sim_info dzi;
	struct slab_ext_info kci;
	int i;

	memset(s, 0, sizeof(*s));
	slab_ext_cache_info(slab_ext_kmalloc_cache(NOLOCK_SIZE), &kci);
	s->kmalloc_errors = kci.errors;
	buddy_sim_info(buddy_sim_default(), &dzi);
	s->default_zone_errors = dzi.errors;
	buddy_sim_info(m->zone, &s->zone);
	for (i = 0; i < 2; i++) {
		slab_ext_cache_info(m->cache[i].cache, &s->cache[i]);
		mempool_ext_info(m->pool[i].pool, &s->pool[i]);
		mempool_ext_get_extra(m->pool[i].pool, &extra);
		s->pool_errors[i] = extra.errors;
	}
}

/*
 * Before and after a misuse: equal but for @kind's errors, one more (the
 * model zone's for K_PAGE, the kmalloc cache's for K_NOLOCK, the default
 * zone's for K_DZONE).
 */
#define K_DZONE NR_KINDS

static void expect_one_error(struct model *m, struct snapshot *a, struct snapshot *b,
			     int kind)
{
	int i;

	if (kind == K_PLAIN || kind == K_DEBUG)
		a->cache[kind].errors++;
	else if (kind == K_SPOOL || kind == K_PPOOL)
		a->pool_errors[kind - K_SPOOL]++;
	else if (kind == K_PAGE)
		a->zone.errors++;
	else if (kind == K_NOLOCK)
		a->kmalloc_errors++;
	else
		a->default_zone_errors++;
	EXPECT_FIELD(m, "misuse", b->kmalloc_errors, a->kmalloc_errors);
	EXPECT_FIELD(m, "misuse", b->default_zone_errors, a->default_zone_errors);
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

/* ---- the calls of mainline 6.16-7.0: sheaves, bulk, nolock ---- */

static struct mcache *mcache_of(struct model *m, int kind)
{
	return &m->cache[kind];
}

/* slab_ext_prefill_sheaf(): @count objects set aside, or NULL only when they cannot be had. */
static void op_sheaf_prefill(struct model *m, int kind)
{
	unsigned int count = rnd(m, SHEAF_MAX + 1);
	struct slab_ext_sheaf *sheaf;
	const char *why;

	m->what = "sheaf prefill";
	if (m->nr_sheaves == NR_SHEAVES)
		return;
	m->sheaf_ops[0]++;
	sheaf = slab_ext_prefill_sheaf(m->cache[kind].cache, GFP_KERNEL, count);
	slab_may_be_made(m);
	digest(m, 0xc0 | kind << 8 | count << 12 | (sheaf ? 1 : 0));
	if (!sheaf) {
		why = must_succeed(m, kind, count);
		if (why)
			model_fail(m, "prefill of %u: NULL, but %s", count, why);
		return;
	}
	EXPECT_FIELD(m, "prefilled sheaf", slab_ext_sheaf_size(sheaf), count);
	m->sheaves[m->nr_sheaves++] = (struct msheaf){ sheaf, kind, count };
	mcache_of(m, kind)->in_sheaves += count;
}

/* slab_ext_alloc_from_sheaf(): never NULL while the sheaf holds one, NULL once empty. */
static void op_sheaf_alloc(struct model *m, struct msheaf *s)
{
	struct mcache *mc = mcache_of(m, s->kind);
	gfp_t gfp = rnd(m, 4) ? 0 : __GFP_ZERO;
	void *p;

	m->what = "alloc_from_sheaf";
	if (m->kind[s->kind].nr >= kind_cap[s->kind])
		return;
	m->sheaf_ops[1]++;
	p = slab_ext_alloc_from_sheaf(mc->cache, gfp, s->sheaf);
	digest(m, 0xd0 | s->kind << 8 | (p ? 1 : 0));
	if (!s->size) {
		if (p) {
			model_fail(m, "an object from an empty sheaf");
			m->stop = true;
		}
		return;
	}
	if (!p) {
		model_fail(m, "NULL from a sheaf holding %u", s->size);
		m->stop = true;
		return;
	}
	if (gfp && memchr_inv(p, 0, m->kind[s->kind].size))
		model_fail(m, "__GFP_ZERO object not zeroed");
	if (!fresh_address(m, p))
		return;
	s->size--;
	mc->in_sheaves--;
	mc->allocs++;
	m->kind[s->kind].allocs++;
	live_add(m, s->kind, p);
}

/* slab_ext_refill_sheaf(): up to @count, or -ENOMEM with the sheaf as it was. */
static void op_sheaf_refill(struct model *m, struct msheaf *s)
{
	unsigned int count = rnd(m, SHEAF_MAX + 1);
	struct mcache *mc = mcache_of(m, s->kind);
	const char *why;
	int ret;

	m->what = "sheaf refill";
	m->sheaf_ops[2]++;
	ret = slab_ext_refill_sheaf(mc->cache, GFP_KERNEL, &s->sheaf, count);
	slab_may_be_made(m);
	digest(m, 0xe0 | s->kind << 8 | count << 12 | (ret ? 1 : 0));
	if (!s->sheaf) {
		model_fail(m, "the sheaf became NULL");
		m->stop = true;
		return;
	}
	if (ret == -ENOMEM && count > s->size) {
		why = must_succeed(m, s->kind, count - s->size);
		if (why)
			model_fail(m, "refill from %u to %u: -ENOMEM, but %s", s->size, count, why);
	} else if (ret) {
		model_fail(m, "refill from %u to %u returned %d", s->size, count, ret);
	} else if (count > s->size) {
		mc->in_sheaves += count - s->size;
		s->size = count;
	}
	EXPECT_FIELD(m, "refilled sheaf", slab_ext_sheaf_size(s->sheaf), s->size);
}

/* slab_ext_return_sheaf(): the sheaf and what it still holds go back. */
static void op_sheaf_return(struct model *m, struct msheaf *s)
{
	struct mcache *mc = mcache_of(m, s->kind);

	m->what = "sheaf return";
	m->sheaf_ops[3]++;
	digest(m, 0xf0 | s->kind << 8 | s->size << 12);
	EXPECT_FIELD(m, "returned sheaf", slab_ext_sheaf_size(s->sheaf), s->size);
	slab_ext_return_sheaf(mc->cache, GFP_KERNEL, s->sheaf);
	mc->in_sheaves -= s->size;
	*s = m->sheaves[--m->nr_sheaves];
}

static void op_sheaf(struct model *m)
{
	struct msheaf *s;
	u32 r = rnd(m, 16);

	if (!m->nr_sheaves || r == 0) {
		op_sheaf_prefill(m, rnd(m, 2));
		return;
	}
	s = &m->sheaves[rnd(m, m->nr_sheaves)];
	if (r < 12)
		op_sheaf_alloc(m, s);
	else if (r < 14)
		op_sheaf_refill(m, s);
	else
		op_sheaf_return(m, s);
}

/* slab_ext_alloc_bulk(): all @n, or none only when they cannot all be had. */
static void op_cache_bulk_alloc(struct model *m, int kind)
{
	unsigned int n = 1 + rnd(m, BULK_MAX), i;
	gfp_t gfp = GFP_KERNEL | (rnd(m, 4) ? 0 : __GFP_ZERO);
	struct mkind *k = &m->kind[kind];
	void *p[BULK_MAX];
	const char *why;
	int ret;

	m->what = "cache bulk alloc";
	n = min(n, kind_cap[kind] - k->nr);
	if (!n)
		return;
	m->bulk_ops[0]++;
	memset(p, 0, sizeof(p));
	ret = slab_ext_alloc_bulk(m->cache[kind].cache, gfp, n, p);
	slab_may_be_made(m);
	digest(m, 0x100 | kind << 8 | n << 12 | (ret ? 1 : 0));
	if (!ret) {
		k->nulls++;
		why = must_succeed(m, kind, n);
		/* What p[] holds now is not the contract's (mainline's keeps them). */
		if (why)
			model_fail(m, "bulk of %u: 0, but %s", n, why);
		return;
	}
	if (ret != n) {
		model_fail(m, "bulk of %u returned %d", n, ret);
		m->stop = true;
		return;
	}
	for (i = 0; i < n; i++) {
		if (!p[i] || !fresh_address(m, p[i])) {
			model_fail(m, "bulk of %u: p[%u] is %p", n, i, p[i]);
			m->stop = true;
			return;
		}
		if ((gfp & __GFP_ZERO) && memchr_inv(p[i], 0, k->size))
			model_fail(m, "bulk __GFP_ZERO object not zeroed");
		m->cache[kind].allocs++;
		k->allocs++;
		live_add(m, kind, p[i]);
	}
}

/* slab_ext_free_bulk() of live objects, NULL slots among them (skipped). */
static void op_cache_bulk_free(struct model *m, int kind)
{
	unsigned int n = 1 + rnd(m, BULK_MAX), len = 0, i;
	struct mkind *k = &m->kind[kind];
	void *p[2 * BULK_MAX];

	m->what = "cache bulk free";
	n = min(n, k->nr);
	m->bulk_ops[1]++;
	for (i = 0; i < n; i++) {
		struct mobj *o = live_pick(m, kind);

		if (!rnd(m, 4))
			p[len++] = NULL;
		p[len++] = o->p;
		live_del(m, o);
	}
	digest(m, 0x110 | kind << 8 | len << 12);
	slab_ext_free_bulk(m->cache[kind].cache, len, p);
	m->cache[kind].frees += n;
	k->frees += n;
}

/*
 * mempool_ext_alloc_bulk(): only when it cannot sleep (the run has no one
 * to free what it would wait for): the reserve holds what is missing, or
 * the allocator below must serve it.
 */
static void op_pool_bulk_alloc(struct model *m, int kind)
{
	struct mpool *mp = mpool_of(m, kind);
	unsigned int count, missing = 0, i;
	void *e[POOL_BULK_MAX];
	int ret;

	m->what = "pool bulk alloc";
	count = min((unsigned int)mp->min_nr, kind_cap[kind] - m->kind[kind].nr);
	count = min_t(unsigned int, count, POOL_BULK_MAX);
	if (!count)
		return;
	count = 1 + rnd(m, count);
	for (i = 0; i < count; i++) {
		/* Slots already set are left alone: m->foreign marks them. */
		e[i] = rnd(m, 4) ? NULL : m->foreign;
		missing += !e[i];
	}
	if (mp->curr_nr < missing && !must_succeed(m, kind, missing)) {
		digest(m, 0x120 | kind << 8);
		return;
	}
	m->bulk_ops[2]++;
	ret = mempool_ext_alloc_bulk(mp->pool, e, count, GFP_KERNEL);
	if (kind == K_SPOOL)
		slab_may_be_made(m);
	digest(m, 0x130 | kind << 8 | count << 12 | (ret ? 1 : 0));
	if (ret) {
		model_fail(m, "bulk of %u (%u missing) returned %d", count, missing, ret);
		m->stop = true;
		return;
	}
	for (i = 0; i < count; i++) {
		if (e[i] == m->foreign)
			continue;
		if (!e[i]) {
			model_fail(m, "bulk of %u left slot %u NULL", count, i);
			m->stop = true;
			return;
		}
		pool_got(m, kind, e[i]);
	}
}

/* mempool_ext_free_bulk(): as many pool frees; returns how many refilled. */
static void op_pool_bulk_free(struct model *m, int kind)
{
	unsigned int n = 1 + rnd(m, POOL_BULK_MAX), len = 0, refilled = 0, ret, i;
	struct mkind *k = &m->kind[kind];
	void *e[2 * POOL_BULK_MAX];

	m->what = "pool bulk free";
	n = min(n, k->nr);
	m->bulk_ops[3]++;
	for (i = 0; i < n; i++) {
		struct mobj *o = live_pick(m, kind);

		if (!rnd(m, 4))
			e[len++] = NULL;
		e[len++] = o->p;
		refilled += pool_put_model(m, kind, o->p);
		live_del(m, o);
	}
	digest(m, 0x140 | kind << 8 | len << 12);
	ret = mempool_ext_free_bulk(mpool_of(m, kind)->pool, e, len);
	k->frees += n;
	if (ret != refilled)
		model_fail(m, "bulk free of %u: %u refilled, the model says %u", n, ret, refilled);
	if (memchr_inv(e, 0, len * sizeof(void *)))
		model_fail(m, "bulk free of %u left a slot set", n);
}

/* slab_ext_kmalloc_nolock(): with nothing contending, NULL at most once in a row. */
static void op_nolock_alloc(struct model *m)
{
	gfp_t gfp = rnd(m, 2) ? __GFP_ZERO : 0;
	struct mkind *k = &m->kind[K_NOLOCK];
	void *p;

	m->what = "kmalloc_nolock";
	p = slab_ext_kmalloc_nolock(NOLOCK_SIZE, gfp);
	if (!p) {
		k->nulls++;
		p = slab_ext_kmalloc_nolock(NOLOCK_SIZE, gfp);
	}
	digest(m, 0x150 | (p ? 1 : 0));
	if (!p) {
		model_fail(m, "NULL twice in a row with nothing contending");
		return;
	}
	if (gfp && memchr_inv(p, 0, NOLOCK_SIZE))
		model_fail(m, "__GFP_ZERO memory not zeroed");
	if (!fresh_address(m, p))
		return;
	k->allocs++;
	live_add(m, K_NOLOCK, p);
}

/* slab_ext_kfree_nolock() or slab_ext_kfree(): either frees either kmalloc's memory. */
static void op_nolock_free(struct model *m, struct mobj *o)
{
	void *p = o->p;
	bool nolock = rnd(m, 4);

	m->what = nolock ? "kfree_nolock" : "kfree of kmalloc_nolock memory";
	live_del(m, o);
	if (nolock)
		slab_ext_kfree_nolock(p);
	else
		slab_ext_kfree(p);
	m->kind[K_NOLOCK].frees++;
	digest(m, 0x160 | nolock);
}

/*
 * buddy_sim_alloc_nolock(): a zeroed page; NULL only under injection or
 * with no free block in the buddy lists (it does not drain other CPUs'
 * page lists).
 */
static void op_page_alloc(struct model *m)
{
	struct buddy_sim_info zi;
	unsigned long buddy = 0;
	unsigned int o;
	void *p;

	m->what = "buddy_sim_alloc_nolock";
	p = buddy_sim_alloc_nolock(m->zone, 0);
	slab_may_be_made(m);
	digest(m, 0x170 | (p ? 1 : 0));
	if (!p) {
		m->kind[K_PAGE].nulls++;
		buddy_sim_info(m->zone, &zi);
		for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
			buddy += zi.nr_free[o];
		if (!m->fail_pct && buddy)
			model_fail(m, "NULL with %lu free blocks and no injection", buddy);
		return;
	}
	if (memchr_inv(p, 0, PAGE_SIZE))
		model_fail(m, "the page is not zeroed");
	if (!fresh_address(m, p))
		return;
	m->kind[K_PAGE].allocs++;
	live_add(m, K_PAGE, p);
}

static void op_page_free(struct model *m, struct mobj *o)
{
	void *p = o->p;

	m->what = "free of a nolock page";
	live_del(m, o);
	buddy_sim_free(m->zone, p, 0);
	m->kind[K_PAGE].frees++;
	digest(m, 0x180);
}

/* ---- misuse on the new paths ---- */

enum {
	N_SHEAF_DOUBLE, N_SHEAF_TWICE, N_SHEAF_FOREIGN, N_BULK_DOUBLE, N_POOL_BULK_DOUBLE,
	N_POOL_BULK_COUNT, N_POOL_BULK_GFP, N_NOLOCK_DOUBLE, N_NOLOCK_GFP, N_PAGE_DOUBLE,
	NR_NEW_MISUSE
};

static const char *const new_misuse_name[NR_NEW_MISUSE] = {
	"misuse: free of an object resting in a sheaf", "misuse: sheaf returned twice",
	"misuse: another cache's sheaf", "misuse: pointer twice in a cache bulk free",
	"misuse: element twice in a pool bulk free", "misuse: pool bulk count over min_nr",
	"misuse: pool bulk with a gfp that may not block", "misuse: kfree_nolock twice",
	"misuse: kmalloc_nolock gfp", "misuse: nolock page freed twice"
};

struct misuse_ctx {
	struct snapshot *a, *b;
	int reports;
	unsigned int failed;
};

/* Just before the bad call: everything as it is. */
static bool misuse_begin(struct model *m, struct misuse_ctx *x, int what)
{
	m->what = new_misuse_name[what];
	x->failed = m->failed;
	x->a = kzalloc(2 * sizeof(*x->a), GFP_KERNEL);
	if (!x->a) {
		model_fail(m, "no memory for snapshots");
		return false;
	}
	x->b = x->a + 1;
	take_snapshot(m, x->a);
	x->reports = atomic_read(m->reports);
	return true;
}

/*
 * Just after: one report, one more error on @kind (see expect_one_error()),
 * nothing else changed; with @moved, the call also did its good part (a
 * bulk free of the others), compared with the model instead.
 */
static void misuse_end(struct model *m, struct misuse_ctx *x, int what, int kind, bool moved)
{
	take_snapshot(m, x->b);
	m->new_misuse_done[what]++;
	m->misuses++;
	if (kind == K_PLAIN || kind == K_DEBUG)
		m->cache[kind].errors++;
	else if (kind == K_SPOOL || kind == K_PPOOL)
		mpool_of(m, kind)->errors++;
	else if (kind == K_PAGE)
		m->zone_errors++;
	if (atomic_read(m->reports) != x->reports + 1)
		model_fail(m, "%d reports, not 1", atomic_read(m->reports) - x->reports);
	if (moved) {
		check_all(m, false);
		m->what = new_misuse_name[what];
	} else {
		expect_one_error(m, x->a, x->b, kind);
	}
	kfree(x->a);
	if (m->failed != x->failed)
		m->stop = true;
}

/*
 * Free an object of the debug cache (no CPU arrays), prefill a sheaf with
 * every free object its slabs hold, so that one is in it, and free it
 * again: a double free, though the object rests in a sheaf.
 */
static void misuse_sheaf_double(struct model *m)
{
	struct mobj *o = live_pick(m, K_DEBUG);
	struct slab_ext_sheaf *sheaf;
	struct slab_ext_info info;
	struct misuse_ctx x;
	unsigned long free;
	void *p;

	if (!o || m->nr_sheaves == NR_SHEAVES)
		return;
	p = o->p;
	op_cache_free(m, K_DEBUG, o);
	slab_ext_cache_info(m->cache[K_DEBUG].cache, &info);
	free = info.total_objs - min(info.total_objs, cache_held(m, K_DEBUG));
	if (!free || free > INT_MAX)
		return;		/* its slab went back to the zone */
	m->what = new_misuse_name[N_SHEAF_DOUBLE];
	sheaf = slab_ext_prefill_sheaf(m->cache[K_DEBUG].cache, GFP_KERNEL, free);
	if (!sheaf) {
		model_fail(m, "prefill of the %lu free objects failed", free);
		return;
	}
	m->sheaves[m->nr_sheaves++] = (struct msheaf){ sheaf, K_DEBUG, free };
	m->cache[K_DEBUG].in_sheaves += free;
	if (!misuse_begin(m, &x, N_SHEAF_DOUBLE))
		return;
	slab_ext_free(m->cache[K_DEBUG].cache, p);
	misuse_end(m, &x, N_SHEAF_DOUBLE, K_DEBUG, false);
}

static void misuse_sheaf_twice(struct model *m)
{
	struct slab_ext_sheaf *sheaf;
	struct misuse_ctx x;
	int kind;

	if (!m->nr_sheaves)
		return;
	sheaf = m->sheaves[0].sheaf;
	kind = m->sheaves[0].kind;
	op_sheaf_return(m, &m->sheaves[0]);
	if (!misuse_begin(m, &x, N_SHEAF_TWICE))
		return;
	/* Only compared with the cache's sheaves, never dereferenced. */
	slab_ext_return_sheaf(m->cache[kind].cache, GFP_KERNEL, sheaf);
	misuse_end(m, &x, N_SHEAF_TWICE, kind, false);
}

static void misuse_sheaf_foreign(struct model *m)
{
	struct msheaf *s;
	struct slab_ext_sheaf *sheaf;
	struct misuse_ctx x;
	int other, ret;
	void *p;

	if (!m->nr_sheaves)
		return;
	s = &m->sheaves[rnd(m, m->nr_sheaves)];
	other = !s->kind;
	if (!misuse_begin(m, &x, N_SHEAF_FOREIGN))
		return;
	if (rnd(m, 2)) {
		p = slab_ext_alloc_from_sheaf(m->cache[other].cache, 0, s->sheaf);
		if (p)
			model_fail(m, "alloc_from_sheaf on the wrong cache gave %p", p);
	} else {
		sheaf = s->sheaf;
		ret = slab_ext_refill_sheaf(m->cache[other].cache, GFP_KERNEL, &sheaf, 1);
		if (ret != -EINVAL || sheaf != s->sheaf)
			model_fail(m, "refill on the wrong cache returned %d", ret);
	}
	misuse_end(m, &x, N_SHEAF_FOREIGN, other, false);
}

/* slab_ext_free_bulk() with one object twice: freed once, one report. */
static void misuse_bulk_double(struct model *m)
{
	int kind = rnd(m, 2);
	struct mobj *o = live_pick(m, kind);
	struct misuse_ctx x;
	void *p[3];

	if (!o)
		return;
	if (!misuse_begin(m, &x, N_BULK_DOUBLE))
		return;
	p[0] = o->p;
	p[1] = NULL;
	p[2] = o->p;
	live_del(m, o);
	slab_ext_free_bulk(m->cache[kind].cache, 3, p);
	m->cache[kind].frees++;
	m->kind[kind].frees++;
	misuse_end(m, &x, N_BULK_DOUBLE, kind, true);
}

/* mempool_ext_free_bulk() with one element twice: freed once, one report. */
static void misuse_pool_bulk_double(struct model *m)
{
	int kind = K_SPOOL + rnd(m, 2);
	struct mobj *o = live_pick(m, kind);
	unsigned int ret, refilled;
	struct misuse_ctx x;
	void *e[2], *p;

	if (!o)
		return;
	if (!misuse_begin(m, &x, N_POOL_BULK_DOUBLE))
		return;
	p = o->p;
	e[0] = p;
	e[1] = p;
	refilled = pool_put_model(m, kind, p);
	live_del(m, o);
	ret = mempool_ext_free_bulk(mpool_of(m, kind)->pool, e, 2);
	m->kind[kind].frees++;
	/* The slot freed is cleared, the refused one left as it was. */
	if (ret != refilled || e[0] || e[1] != p)
		model_fail(m, "returned %u (the model: %u), slots %p %p", ret, refilled, e[0],
			   e[1]);
	misuse_end(m, &x, N_POOL_BULK_DOUBLE, kind, true);
}

/* mempool_ext_alloc_bulk() refused: -EINVAL, nothing filled. */
static void misuse_pool_bulk_refused(struct model *m, int what)
{
	int kind = K_SPOOL + rnd(m, 2);
	struct mpool *mp = mpool_of(m, kind);
	void *e[RESERVE_MAX + 1] = {};
	unsigned int count;
	struct misuse_ctx x;
	gfp_t gfp;
	int ret;

	if (what == N_POOL_BULK_COUNT) {
		count = mp->min_nr + 1;
		gfp = GFP_KERNEL;
	} else {
		count = 1 + rnd(m, max(mp->min_nr, 1));
		gfp = GFP_NOWAIT;
	}
	if (!misuse_begin(m, &x, what))
		return;
	ret = mempool_ext_alloc_bulk(mp->pool, e, count, gfp);
	if (ret != -EINVAL || memchr_inv(e, 0, sizeof(e)))
		model_fail(m, "bulk of %u: returned %d, or filled a slot", count, ret);
	misuse_end(m, &x, what, kind, false);
}

/* slab_ext_kfree_nolock() of what it freed just before. */
static void misuse_nolock_double(struct model *m)
{
	struct mobj *o = live_pick(m, K_NOLOCK);
	struct misuse_ctx x;
	void *p;

	if (!o)
		return;
	p = o->p;
	live_del(m, o);
	slab_ext_kfree_nolock(p);
	m->kind[K_NOLOCK].frees++;
	if (!misuse_begin(m, &x, N_NOLOCK_DOUBLE))
		return;
	slab_ext_kfree_nolock(p);
	misuse_end(m, &x, N_NOLOCK_DOUBLE, K_NOLOCK, false);
}

/* slab_ext_kmalloc_nolock() with more than __GFP_ZERO: NULL, reported. */
static void misuse_nolock_gfp(struct model *m)
{
	struct misuse_ctx x;
	void *p;

	if (!misuse_begin(m, &x, N_NOLOCK_GFP))
		return;
	p = slab_ext_kmalloc_nolock(NOLOCK_SIZE, GFP_KERNEL);
	if (p) {
		model_fail(m, "GFP_KERNEL accepted");
		slab_ext_kfree(p);
	}
	misuse_end(m, &x, N_NOLOCK_GFP, K_DZONE, false);
}

/* buddy_sim_free() of a nolock page freed just before. */
static void misuse_page_double(struct model *m)
{
	struct mobj *o = live_pick(m, K_PAGE);
	struct misuse_ctx x;
	void *p;

	if (!o)
		return;
	p = o->p;
	op_page_free(m, o);
	if (!misuse_begin(m, &x, N_PAGE_DOUBLE))
		return;
	buddy_sim_free(m->zone, p, 0);
	misuse_end(m, &x, N_PAGE_DOUBLE, K_PAGE, false);
}

static void op_new_misuse(struct model *m)
{
	int what = rnd(m, NR_NEW_MISUSE);

	digest(m, 0x190 | what << 8);
	switch (what) {
	case N_SHEAF_DOUBLE:
		misuse_sheaf_double(m);
		break;
	case N_SHEAF_TWICE:
		misuse_sheaf_twice(m);
		break;
	case N_SHEAF_FOREIGN:
		misuse_sheaf_foreign(m);
		break;
	case N_BULK_DOUBLE:
		misuse_bulk_double(m);
		break;
	case N_POOL_BULK_DOUBLE:
		misuse_pool_bulk_double(m);
		break;
	case N_POOL_BULK_COUNT:
	case N_POOL_BULK_GFP:
		misuse_pool_bulk_refused(m, what);
		break;
	case N_NOLOCK_DOUBLE:
		misuse_nolock_double(m);
		break;
	case N_NOLOCK_GFP:
		misuse_nolock_gfp(m);
		break;
	default:
		misuse_page_double(m);
		break;
	}
}

/* A bulk call of the caches or the pools, towards the kind's target. */
static void op_bulk(struct model *m)
{
	u32 r = rnd(m, 4);
	struct mkind *k = &m->kind[r];
	bool alloc = k->nr < k->target ? rnd(m, 4) != 0 : rnd(m, 4) == 0;

	if (!k->nr)
		alloc = true;
	if (r < K_SPOOL)
		alloc ? op_cache_bulk_alloc(m, r) : op_cache_bulk_free(m, r);
	else
		alloc ? op_pool_bulk_alloc(m, r) : op_pool_bulk_free(m, r);
}

/* The free matching @o's allocation. */
static void free_one(struct model *m, struct mobj *o)
{
	if (o->kind == K_PLAIN || o->kind == K_DEBUG)
		op_cache_free(m, o->kind, o);
	else if (o->kind == K_NOLOCK)
		op_nolock_free(m, o);
	else if (o->kind == K_PAGE)
		op_page_free(m, o);
	else
		op_pool_free(m, o->kind, o);
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
		else if (kind == K_NOLOCK)
			op_nolock_alloc(m);
		else if (kind == K_PAGE)
			op_page_alloc(m);
		else
			op_pool_alloc(m, kind);
		return;
	}
	o = live_pick(m, kind);
	free_one(m, o);
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

	if (r < 34000)
		op_kind(m, K_PLAIN);
	else if (r < 47000)
		op_kind(m, K_DEBUG);
	else if (r < 64000)
		op_kind(m, K_SPOOL);
	else if (r < 83000)
		op_kind(m, K_PPOOL);
	else if (r < 87000)
		op_sheaf(m);
	else if (r < 89500)
		op_bulk(m);
	else if (r < 92500)
		op_kind(m, K_NOLOCK);
	else if (r < 95000)
		op_kind(m, K_PAGE);
	else if (r < 99000)
		op_pool_prealloc(m, K_SPOOL + (r & 1));
	else if (r < 99060)
		op_misuse(m);
	else if (r < 99100)
		op_new_misuse(m);
	else if (r < 99120)
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
	m->kind[K_NOLOCK].size = NOLOCK_SIZE;
	m->kind[K_PAGE].size = PAGE_SIZE;

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
		while (m->kind[kind].nr)
			free_one(m, m->kind[kind].live[0]);
	while (m->nr_sheaves)
		op_sheaf_return(m, &m->sheaves[0]);
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
	kunit_info(test, "sheaves: %llu prefills, %llu allocs, %llu refills, %llu returns; bulk: %llu cache allocs, %llu cache frees, %llu pool allocs, %llu pool frees",
		   m->sheaf_ops[0], m->sheaf_ops[1], m->sheaf_ops[2], m->sheaf_ops[3],
		   m->bulk_ops[0], m->bulk_ops[1], m->bulk_ops[2], m->bulk_ops[3]);
	kunit_info(test, "misuse on the new paths: %llu in a sheaf, %llu sheaf twice, %llu foreign sheaf, %llu bulk twice, %llu pool bulk twice, %llu pool bulk count, %llu pool bulk gfp, %llu kfree_nolock twice, %llu nolock gfp, %llu page twice",
		   m->new_misuse_done[N_SHEAF_DOUBLE], m->new_misuse_done[N_SHEAF_TWICE],
		   m->new_misuse_done[N_SHEAF_FOREIGN], m->new_misuse_done[N_BULK_DOUBLE],
		   m->new_misuse_done[N_POOL_BULK_DOUBLE], m->new_misuse_done[N_POOL_BULK_COUNT],
		   m->new_misuse_done[N_POOL_BULK_GFP], m->new_misuse_done[N_NOLOCK_DOUBLE],
		   m->new_misuse_done[N_NOLOCK_GFP], m->new_misuse_done[N_PAGE_DOUBLE]);
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
