// SPDX-License-Identifier: GPL-2.0
/*
 * A libFuzzer target over the host build of the three layers (issue 13).
 *
 * Each input is a program: one byte picks an operation, the next bytes are
 * its arguments; when the input runs out, the program ends. It runs on a
 * fresh zone of ZONE_PAGES pages, two caches on it (a plain one with CPU
 * arrays, a debug one with poison, red zones and user tracking), a slab
 * pool over the plain cache and a page pool of order-1 blocks, plus the
 * kmalloc caches of the default zone (made once, for every input).
 *
 * The operations: zone, cache, pool and kmalloc allocations and frees, pool
 * resizes, cache shrinks, CPU array bounds, zone drains, per-CPU page list
 * sizes, watermarks, failure injection (0, 50, 100 %), a move to another
 * CPU, and misuse (double, interior, foreign and wrong-cache frees, a wrong
 * order, a pool element freed while in reserve, __GFP_ZERO on a pool).
 *
 * The model is kunit/model_test.c's, smaller: the live objects (address,
 * size, what was written into them), the elements each pool keeps in
 * reserve, and one counter per counter of the real objects, moved by the
 * contract (shared/API.md) alone. After every operation every counter is
 * compared, and so are the zone's pages out, the report count and the
 * WARN count; a new object must not overlap any live one or an element in
 * a reserve; a freed object must still hold what was written into it
 * (and every live one after an operation that moves objects in bulk); a
 * NULL must be allowed (too few free objects and blocks, or injection),
 * and so must a success (100 % injection fails every zone allocation). A
 * misuse must make exactly one report, one more error on the object the
 * call was made on, change nothing else, and read as a report should. At
 * the end everything is freed and destroyed: the zone must be whole, its
 * free lists as they were made, and no report unexpected.
 *
 * On a mismatch it prints what differed and aborts, so libFuzzer keeps the
 * input. FUZZ_TRACE=1 in the environment prints each operation first, and
 * FUZZ_VERBOSE=1 the layers' own reports.
 */

#include <stdarg.h>

#include "mm_ext_host.h"
#include "mm_ext_layers.h"

#define DEFAULT_PAGES	8192	/* the default zone: kmalloc never runs out */
#define ZONE_PAGES	1024	/* enough for per-CPU page lists (>= 1024) */
#define PAGE_ORDER	1	/* the page pool's blocks */
#define POOL_MIN	4	/* both pools' reserve at creation */
#define RESERVE_MAX	16	/* largest min_nr a resize asks */
#define MAX_OBJS	512	/* live objects at most, every kind together */
#define KMALLOC_MAX	16384	/* half the sizes are slab classes, half page blocks */
#define FOREIGN_SIZE	((PAGE_SIZE << PAGE_ORDER) + 256) /* a page pool element reads as one */

enum { K_ZONE, K_PLAIN, K_DEBUG, K_SPOOL, K_PPOOL, K_KMALLOC, NR_KINDS };

static const char *const kind_name[NR_KINDS] = {
	"zone block", "plain cache", "debug cache", "slab pool", "page pool", "kmalloc"
};

/* One live object as the model sees it. */
struct obj {
	u8 *p;
	size_t size;			/* bytes written and checked */
	u64 tag;			/* what was written */
	unsigned int order;		/* of a zone block */
	unsigned int op;		/* the operation that allocated it */
	int kind;
};

struct mcache {
	struct slab_ext_cache *cache;
	size_t size;
	u64 allocs, frees, errors;
};

struct mpool {
	struct mempool_ext *pool;
	size_t size;			/* of an element */
	int min_nr, curr_nr;
	void *reserve[RESERVE_MAX];	/* the curr_nr elements resting there */
	u64 allocs, reserve_allocs, frees, refills, failures, errors;
};

/* What the previous operation freed: the candidate for a double free. */
struct freed {
	int kind;			/* -1: nothing */
	void *p;
	unsigned int order;
	bool to_reserve;		/* a pool's element that went into its reserve */
};

struct model {
	const u8 *data;
	size_t size, pos;
	unsigned int op;
	const char *what;
	bool trace;

	struct buddy_sim *zone;
	unsigned long nr_free[BUDDY_SIM_MAX_ORDER + 1]; /* right after creation */
	u64 zone_errors;
	unsigned int fail_pct;
	unsigned long wmark_min;	/* 0: watermarks off */
	bool arrays_off;		/* the plain cache's CPU arrays bound to 0 */
	struct mcache cache[2];		/* K_PLAIN, K_DEBUG */
	struct mpool pool[2];		/* K_SPOOL, K_PPOOL */

	struct obj objs[MAX_OBJS];
	unsigned int nr, count[NR_KINDS];
	struct freed freed, prev;

	unsigned long reports, warnings; /* at the start of the input */
	unsigned long misuses;		/* reports expected */
};

static struct model m;
static u8 *foreign;			/* memory of another allocator */

static __printf(1, 2) __noreturn void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_layers: op %u (%s): ", m.op, m.what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static __printf(1, 2) void trace(const char *fmt, ...)
{
	va_list ap;

	if (!m.trace)
		return;
	fprintf(stderr, "op %u: ", m.op);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void expect(const char *what, const char *field, u64 real, u64 model)
{
	if (real != model)
		fail("%s %s is %llu, the model says %llu", what, field,
		     (unsigned long long)real, (unsigned long long)model);
}

#define EXPECT(what, real, model) expect(what, #real, real, model)

static struct mcache *mcache_of(int kind)
{
	return &m.cache[kind - K_PLAIN];
}

static struct mpool *mpool_of(int kind)
{
	return &m.pool[kind - K_SPOOL];
}

/* ---- the live set ---- */

static bool overlaps(const u8 *a, size_t na, const u8 *b, size_t nb)
{
	return a < b + nb && b < a + na;
}

/* A new address: nothing live or resting in a reserve may share a byte. */
static void check_fresh(const u8 *p, size_t size, int kind)
{
	unsigned int i;
	int j, k;

	for (i = 0; i < m.nr; i++)
		if (overlaps(p, size, m.objs[i].p, m.objs[i].size))
			fail("new %s %p overlaps the live %s %p of op %u", kind_name[kind], p,
			     kind_name[m.objs[i].kind], m.objs[i].p, m.objs[i].op);
	for (j = 0; j < 2; j++)
		for (k = 0; k < m.pool[j].curr_nr; k++)
			if (overlaps(p, size, m.pool[j].reserve[k], m.pool[j].size))
				fail("new %s %p overlaps an element resting in the %s",
				     kind_name[kind], p, kind_name[K_SPOOL + j]);
	if (kind != K_KMALLOC &&
	    (buddy_sim_pfn(m.zone, p) == ULONG_MAX ||
	     buddy_sim_pfn(m.zone, p + size - 1) == ULONG_MAX))
		fail("new %s %p is not inside the zone", kind_name[kind], p);
}

/* The tag's bytes at each end, a byte of it between. */
static u8 pattern(const struct obj *o, size_t i)
{
	size_t n = sizeof(o->tag);

	if (o->size >= 2 * n && i < n)
		return o->tag >> (8 * i);
	if (o->size >= 2 * n && i >= o->size - n)
		return o->tag >> (8 * (i - (o->size - n)));
	return (u8)(o->tag >> 8);
}

static void fill(struct obj *o)
{
	size_t n = sizeof(o->tag), i;

	memset(o->p, (u8)(o->tag >> 8), o->size);
	if (o->size >= 2 * n)
		for (i = 0; i < n; i++) {
			o->p[i] = pattern(o, i);
			o->p[o->size - n + i] = pattern(o, o->size - n + i);
		}
}

/* Whether @n bytes at @p all read @c: memcmp() is fast where a loop is not. */
static bool all_bytes(const u8 *p, size_t n, u8 c)
{
	return !n || (p[0] == c && !memcmp(p, p + 1, n - 1));
}

static void check_contents(const struct obj *o)
{
	size_t n = sizeof(o->tag), i;
	bool ends = o->size >= 2 * n;

	if (all_bytes(o->p + (ends ? n : 0), o->size - (ends ? 2 * n : 0), (u8)(o->tag >> 8)) &&
	    (!ends || (!memcmp(o->p, &o->tag, n) && !memcmp(o->p + o->size - n, &o->tag, n))))
		return;
	for (i = 0; i < o->size; i++)
		if (o->p[i] != pattern(o, i))
			fail("%s %p of op %u overwritten: byte %zu of %zu is %#x, not %#x",
			     kind_name[o->kind], o->p, o->op, i, o->size, o->p[i], pattern(o, i));
}

static void check_live(void)
{
	unsigned int i;

	for (i = 0; i < m.nr; i++)
		check_contents(&m.objs[i]);
}

static void check_zeroed(const u8 *p, size_t size, int kind)
{
	size_t i;

	if (all_bytes(p, size, 0))
		return;
	for (i = 0; !p[i]; i++)
		;
	fail("%s %p asked with __GFP_ZERO: byte %zu is %#x", kind_name[kind], p, i, p[i]);
}

static void live_add(int kind, void *p, size_t size, unsigned int order)
{
	struct obj *o = &m.objs[m.nr];

	check_fresh(p, size, kind);
	m.nr++;
	o->p = p;
	o->size = size;
	o->order = order;
	o->kind = kind;
	o->op = m.op;
	o->tag = (u64)(m.op + 1) * 0x9e3779b97f4a7c15ULL;
	fill(o);
	m.count[kind]++;
}

/* Out of the live set, its contents checked. The last one takes its place. */
static struct obj live_del(unsigned int i)
{
	struct obj o = m.objs[i];

	check_contents(&o);
	m.objs[i] = m.objs[--m.nr];
	m.count[o.kind]--;
	return o;
}

/* The (@arg modulo their count)-th live object of @kind, or -1. */
static int live_pick(int kind, unsigned int arg)
{
	unsigned int i, n;

	if (!m.count[kind])
		return -1;
	n = arg % m.count[kind];
	for (i = 0; i < m.nr; i++)
		if (m.objs[i].kind == kind && !n--)
			return i;
	fail("count of %s is %u, but fewer are live", kind_name[kind], m.count[kind]);
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

static void freed(int kind, void *p, unsigned int order, bool to_reserve)
{
	m.freed.kind = kind;
	m.freed.p = p;
	m.freed.order = order;
	m.freed.to_reserve = to_reserve;
}

/* ---- what the real objects must show ---- */

/* Objects of a cache handed out: to the input, and to the slab pool. */
static unsigned long cache_allocated(int kind)
{
	if (kind == K_DEBUG)
		return m.count[K_DEBUG];
	return m.count[K_PLAIN] + m.count[K_SPOOL] + m.pool[0].curr_nr;
}

/* Blocks of @order the zone could give now, splitting larger ones. */
static unsigned long zone_blocks(unsigned int order)
{
	struct buddy_sim_info zi;
	unsigned long n = 0;
	unsigned int o;

	buddy_sim_info(m.zone, &zi);
	if (order == 0)
		return zi.nr_free_pages;	/* per-CPU lists included */
	for (o = order; o <= BUDDY_SIM_MAX_ORDER; o++)
		n += zi.nr_free[o] << (o - order);
	return n;
}

/* Free objects of a cache, per-CPU arrays included. */
static unsigned long cache_free_objs(int kind, struct slab_ext_info *info)
{
	slab_ext_cache_info(mcache_of(kind)->cache, info);
	return info->total_objs - min(info->total_objs, cache_allocated(kind));
}

/*
 * Why @need allocations from @kind (a zone block of @order, a cache, or a
 * pool's allocator below) cannot fail now, or NULL when they may: a cache
 * fails only with too few free objects anywhere in it and too few slabs
 * to be had; the zone only by injection or with too few free blocks.
 */
static const char *must_succeed(int kind, unsigned long need, unsigned int order)
{
	unsigned long blocks = need, free;
	struct slab_ext_info info;

	if (kind == K_SPOOL)
		kind = K_PLAIN;
	if (kind == K_PPOOL)
		order = PAGE_ORDER;
	if (kind == K_PLAIN || kind == K_DEBUG) {
		free = cache_free_objs(kind, &info);
		if (free >= need)
			return "the cache holds enough free objects";
		blocks = DIV_ROUND_UP(need - free, info.objs_per_slab);
		order = info.order;
	}
	if (m.fail_pct || zone_blocks(order) < blocks)
		return NULL;
	/* The min watermark may refuse it (half of it is open to __GFP_HIGH). */
	if (m.wmark_min && zone_blocks(0) < m.wmark_min + (blocks << order))
		return NULL;
	return "the zone has enough free blocks, no injection, watermarks met";
}

/* Why one allocation from @kind cannot succeed now, or NULL when it may. */
static const char *must_fail(int kind)
{
	struct slab_ext_info info;

	if (m.fail_pct != 100)
		return NULL;
	if (kind == K_SPOOL)
		kind = K_PLAIN;
	if ((kind == K_PLAIN || kind == K_DEBUG) && cache_free_objs(kind, &info))
		return NULL;
	return "every zone allocation fails (100 % injection) and nothing is free above it";
}

/* The slab lists of a cache without CPU arrays hold what is handed out, tightly. */
static void check_tight_lists(int kind, const struct slab_ext_info *info)
{
	unsigned long a = cache_allocated(kind), per = info->objs_per_slab;

	if (info->nr_full + info->nr_partial < DIV_ROUND_UP(a, per) ||
	    info->nr_full * per > a ||
	    a > info->nr_full * per + info->nr_partial * (per - 1))
		fail("%s: full %lu, partial %lu of %lu objects cannot hold %lu exactly",
		     kind_name[kind], info->nr_full, info->nr_partial, per, a);
}

/* Every counter as the model has it; the zone's pages out are what is held. */
static void check_all(void)
{
	unsigned long blocks, pages, sum = 0, slabs;
	struct mempool_ext_extra extra;
	struct mempool_ext_info pi;
	struct slab_ext_info ci;
	struct buddy_sim_info zi;
	unsigned int i, o;
	int k;

	blocks = m.count[K_PPOOL] + (m.pool[1].pool ? m.pool[1].curr_nr : 0);
	pages = blocks << PAGE_ORDER;
	for (i = 0; i < m.nr; i++) {
		if (m.objs[i].kind == K_ZONE) {
			blocks++;
			pages += 1UL << m.objs[i].order;
		}
	}
	for (k = K_PLAIN; k <= K_DEBUG; k++) {
		struct mcache *mc = mcache_of(k);

		if (!mc->cache)
			continue;
		slab_ext_cache_info(mc->cache, &ci);
		EXPECT(kind_name[k], ci.allocs, mc->allocs);
		EXPECT(kind_name[k], ci.frees, mc->frees);
		EXPECT(kind_name[k], ci.errors, mc->errors);
		EXPECT(kind_name[k], ci.active_objs, cache_allocated(k));
		slabs = ci.nr_full + ci.nr_partial + ci.nr_empty;
		EXPECT(kind_name[k], ci.total_objs, slabs * ci.objs_per_slab);
		if (k == K_DEBUG || m.arrays_off)
			check_tight_lists(k, &ci);
		blocks += slabs;
		pages += slabs << ci.order;
	}
	for (k = K_SPOOL; k <= K_PPOOL; k++) {
		struct mpool *mp = mpool_of(k);

		if (!mp->pool)
			continue;
		mempool_ext_info(mp->pool, &pi);
		mempool_ext_get_extra(mp->pool, &extra);
		EXPECT(kind_name[k], pi.min_nr, mp->min_nr);
		EXPECT(kind_name[k], pi.curr_nr, mp->curr_nr);
		EXPECT(kind_name[k], pi.allocs, mp->allocs);
		EXPECT(kind_name[k], pi.reserve_allocs, mp->reserve_allocs);
		EXPECT(kind_name[k], pi.frees, mp->frees);
		EXPECT(kind_name[k], pi.refills, mp->refills);
		EXPECT(kind_name[k], pi.failures, mp->failures);
		EXPECT(kind_name[k], pi.waits, 0);
		EXPECT(kind_name[k], extra.errors, mp->errors);
	}
	buddy_sim_info(m.zone, &zi);
	EXPECT("zone", zi.errors, m.zone_errors);
	EXPECT("zone", zi.nr_pages - zi.nr_free_pages, pages);
	EXPECT("zone", zi.allocs - zi.frees, blocks);
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
		sum += zi.nr_free[o] << o;
	EXPECT("zone", zi.nr_free_pages, sum + zi.nr_pcp);
	EXPECT("input", mm_ext_host_reports() - m.reports, m.misuses);
	EXPECT("input", mm_ext_host_warnings() - m.warnings, 0);
}

/* ---- operations ---- */

static void op_zone_alloc(unsigned int a)
{
	unsigned int order = a & 3;
	gfp_t gfp = a & 4 ? GFP_KERNEL | __GFP_ZERO : GFP_KERNEL;
	const char *why, *nope;
	unsigned long pfn;
	u8 *p;

	m.what = "zone alloc";
	nope = must_fail(K_ZONE);
	p = buddy_sim_alloc(m.zone, gfp, order);
	trace("zone alloc order %u%s: %p", order, a & 4 ? " zeroed" : "", p);
	if (!p) {
		why = must_succeed(K_ZONE, 1, order);
		if (why)
			fail("NULL, but %s", why);
		return;
	}
	if (nope)
		fail("%p, but %s", p, nope);
	pfn = buddy_sim_pfn(m.zone, p);
	if (offset_in_page(p) || pfn == ULONG_MAX || (pfn & ((1UL << order) - 1)))
		fail("%p (pfn %lu) is no block of order %u", p, pfn, order);
	if (a & 4)
		check_zeroed(p, PAGE_SIZE << order, K_ZONE);
	live_add(K_ZONE, p, PAGE_SIZE << order, order);
}

static void op_zone_free(unsigned int a)
{
	int i = live_pick(K_ZONE, a);
	struct obj o;

	m.what = "zone free";
	if (i < 0)
		return;
	o = live_del(i);
	trace("zone free %p order %u", o.p, o.order);
	buddy_sim_free(m.zone, o.p, o.order);
	freed(K_ZONE, o.p, o.order, false);
}

static void op_cache_alloc(unsigned int a)
{
	int kind = K_PLAIN + (a & 1);
	struct mcache *mc = mcache_of(kind);
	gfp_t gfp = a & 2 ? GFP_KERNEL | __GFP_ZERO : GFP_KERNEL;
	const char *why, *nope;
	void *p;

	m.what = "cache alloc";
	nope = must_fail(kind);
	p = slab_ext_alloc(mc->cache, gfp);
	trace("%s alloc%s: %p", kind_name[kind], a & 2 ? " zeroed" : "", p);
	if (!p) {
		why = must_succeed(kind, 1, 0);
		if (why)
			fail("NULL from the %s, but %s", kind_name[kind], why);
		return;
	}
	if (nope)
		fail("%p from the %s, but %s", p, kind_name[kind], nope);
	if (a & 2)
		check_zeroed(p, mc->size, kind);
	mc->allocs++;
	live_add(kind, p, mc->size, 0);
}

static void op_cache_free(unsigned int a)
{
	int kind = K_PLAIN + (a & 1), i = live_pick(kind, a >> 1);
	struct obj o;

	m.what = "cache free";
	if (i < 0)
		return;
	o = live_del(i);
	trace("%s free %p", kind_name[kind], o.p);
	slab_ext_free(mcache_of(kind)->cache, o.p);
	mcache_of(kind)->frees++;
	freed(kind, o.p, 0, false);
}

/*
 * An element a pool handed out, from its reserve or from below; @nope says
 * why the layer below could not serve it, asked before the call.
 */
static void pool_got(int kind, void *p, bool prealloc, const char *nope)
{
	struct mpool *mp = mpool_of(kind);
	const char *why;

	if (in_reserve(mp, p)) {
		/* Asked before the model moves: the element still counts as out. */
		why = prealloc ? NULL : must_succeed(kind, 1, 0);
		if (why)
			fail("%p served from the reserve, but %s", p, why);
		reserve_remove(mp, p);
		mp->reserve_allocs++;
	} else if (prealloc) {
		fail("%p from mempool_ext_alloc_preallocated(), not in the reserve", p);
	} else {
		if (nope)
			fail("%p from below, but %s", p, nope);
		if (kind == K_SPOOL)
			m.cache[0].allocs++;
	}
	mp->allocs++;
	live_add(kind, p, mp->size, PAGE_ORDER);
}

static void op_pool_alloc(unsigned int a)
{
	static const char *const mode_name[] = {
		"GFP_NOWAIT", "GFP_ATOMIC", "GFP_KERNEL", "preallocated"
	};
	int kind = K_SPOOL + (a & 1), mode = (a >> 1) & 3;
	struct mpool *mp = mpool_of(kind);
	const char *why, *nope;
	gfp_t gfp;
	void *p;

	m.what = "pool alloc";
	nope = must_fail(kind);
	if (mode == 3) {
		p = mempool_ext_alloc_preallocated(mp->pool);
	} else {
		/* GFP_KERNEL only while the reserve holds one: it never waits then. */
		gfp = mode == 1 ? GFP_ATOMIC : GFP_NOWAIT;
		if (mode == 2 && mp->curr_nr)
			gfp = GFP_KERNEL;
		p = mempool_ext_alloc(mp->pool, gfp);
	}
	trace("%s alloc %s (reserve %d): %p", kind_name[kind], mode_name[mode], mp->curr_nr, p);
	if (p) {
		pool_got(kind, p, mode == 3, nope);
		return;
	}
	mp->failures++;
	if (mp->curr_nr)
		fail("NULL from the %s with %d elements in reserve", kind_name[kind], mp->curr_nr);
	why = mode == 3 ? NULL : must_succeed(kind, 1, 0);
	if (why)
		fail("NULL from the %s, but %s", kind_name[kind], why);
}

/* Into the reserve while it is below min_nr, else back below. */
static bool pool_put(int kind, void *p)
{
	struct mpool *mp = mpool_of(kind);

	mempool_ext_free(p, mp->pool);
	mp->frees++;
	if (mp->curr_nr < mp->min_nr) {
		mp->reserve[mp->curr_nr++] = p;
		mp->refills++;
		return true;
	}
	if (kind == K_SPOOL)
		m.cache[0].frees++;
	return false;
}

static void op_pool_free(unsigned int a)
{
	int kind = K_SPOOL + (a & 1), i = live_pick(kind, a >> 1);
	struct obj o;
	bool to_reserve;

	m.what = "pool free";
	if (i < 0)
		return;
	o = live_del(i);
	to_reserve = pool_put(kind, o.p);
	trace("%s free %p: %s", kind_name[kind], o.p, to_reserve ? "to the reserve" : "below");
	freed(kind, o.p, PAGE_ORDER, to_reserve);
}

/*
 * Learn which elements a pool keeps, after its creation or a resize put
 * ones there the model did not see: take them all out with
 * mempool_ext_alloc_preallocated() and put them back. @old (@old_nr) is
 * what rested there before: after a grow each must still be there and
 * the others be new (overlapping nothing); after a shrink only they may be.
 */
static void learn_reserve(int kind, void **old, int old_nr, bool grew)
{
	struct mpool *mp = mpool_of(kind);
	int n = mp->curr_nr, i, j;
	void *got[RESERVE_MAX];

	mp->curr_nr = 0;
	for (i = 0; i < n; i++) {
		got[i] = mempool_ext_alloc_preallocated(mp->pool);
		if (!got[i])
			fail("the %s's reserve holds %d, not %d", kind_name[kind], i, n);
		for (j = 0; j < old_nr && old[j] != got[i]; j++)
			;
		if (j < old_nr)
			continue;
		if (!grew)
			fail("%p rests in the %s's reserve after a shrink, unknown to the model",
			     got[i], kind_name[kind]);
		check_fresh(got[i], mp->size, kind);
		for (j = 0; j < i; j++)
			if (got[j] == got[i])
				fail("%p twice in the %s's reserve", got[i], kind_name[kind]);
	}
	for (i = 0; grew && i < old_nr; i++) {
		for (j = 0; j < n && got[j] != old[i]; j++)
			;
		if (j == n)
			fail("%p left the %s's reserve in a grow", old[i], kind_name[kind]);
	}
	mp->allocs += n;
	mp->reserve_allocs += n;
	for (i = 0; i < n; i++)
		pool_put(kind, got[i]);
}

static void op_resize(unsigned int a)
{
	int kind = K_SPOOL + (a & 1), n = (a >> 1) % (RESERVE_MAX + 1), ret;
	struct mpool *mp = mpool_of(kind);
	int old_nr = mp->curr_nr;
	void *old[RESERVE_MAX];
	struct slab_ext_info ci;
	long took, gave;
	const char *why;

	m.what = "pool resize";
	memcpy(old, mp->reserve, sizeof(old));
	ret = mempool_ext_resize(mp->pool, n);
	trace("%s resize %d -> %d: %d", kind_name[kind], mp->min_nr, n, ret);
	if (ret == -ENOMEM) {
		why = must_succeed(kind, max(n - old_nr, 0), 0);
		if (why)
			fail("-ENOMEM growing the %s to %d, but %s", kind_name[kind], n, why);
	} else if (ret) {
		fail("resize of the %s to %d returned %d", kind_name[kind], n, ret);
	} else {
		/* Shrinking gives the surplus back below at once; growing fills to n. */
		mp->curr_nr = n <= mp->min_nr ? min(old_nr, n) : n;
		mp->min_nr = n;
	}
	if (kind == K_SPOOL) {
		/* How often a resize calls the cache is open: only the net change counts. */
		slab_ext_cache_info(m.cache[0].cache, &ci);
		took = ci.allocs - m.cache[0].allocs;
		gave = ci.frees - m.cache[0].frees;
		expect("plain cache in a resize", "allocs - frees", took - gave,
		       mp->curr_nr - old_nr);
		m.cache[0].allocs = ci.allocs;
		m.cache[0].frees = ci.frees;
	}
	check_all();
	if (!ret)
		learn_reserve(kind, old, old_nr, n > old_nr);
}

static void op_shrink(unsigned int a)
{
	int kind = K_PLAIN + (a & 1), ret;
	struct slab_ext_info info;

	m.what = "cache shrink";
	ret = slab_ext_shrink(mcache_of(kind)->cache);
	trace("%s shrink: %d", kind_name[kind], ret);
	if (ret)
		fail("slab_ext_shrink() returned %d", ret);
	slab_ext_cache_info(mcache_of(kind)->cache, &info);
	EXPECT("after a shrink", info.nr_empty, 0);
	check_tight_lists(kind, &info);
}

static void op_cpu_cache(unsigned int a)
{
	static const unsigned int bounds[] = { 0, 1, 2, 8, 32, 128, 129 };
	unsigned int b = bounds[a % ARRAY_SIZE(bounds)];
	int kind = a & 0x80 ? K_DEBUG : K_PLAIN, ret;

	m.what = "CPU array bound";
	ret = slab_ext_set_cpu_cache(mcache_of(kind)->cache, b);
	trace("%s CPU arrays bound to %u: %d", kind_name[kind], b, ret);
	if (kind == K_DEBUG || b > 128) {
		if (ret != -EINVAL)
			fail("%s bound to %u: %d, not -EINVAL", kind_name[kind], b, ret);
		return;
	}
	if (ret)
		fail("slab_ext_set_cpu_cache(%u) returned %d", b, ret);
	m.arrays_off = !b;
}

static void op_drain(void)
{
	struct buddy_sim_info zi;

	m.what = "zone drain";
	trace("zone drain");
	buddy_sim_drain(m.zone);
	buddy_sim_info(m.zone, &zi);
	EXPECT("after a drain", zi.nr_pcp, 0);
}

/* Per-CPU page lists resized (drained first), or off; over 64 refused. */
static void op_pcp(unsigned int a)
{
	static const unsigned int highs[] = { 0, 1, 4, 16, 64, 65 };
	unsigned int high = highs[a % ARRAY_SIZE(highs)];
	struct buddy_sim_info zi;
	int ret;

	m.what = "per-CPU page lists";
	ret = buddy_sim_set_pcp(m.zone, high);
	trace("per-CPU page lists of %u: %d", high, ret);
	if (ret != (high > 64 ? -EINVAL : 0))
		fail("buddy_sim_set_pcp(%u) returned %d", high, ret);
	buddy_sim_info(m.zone, &zi);
	if (!ret)
		EXPECT("after a per-CPU list resize", zi.nr_pcp, 0);
}

/* The kernel's watermarks for the zone's size, or none. */
static void op_wmark(unsigned int a)
{
	struct buddy_sim_wmark wm = { 0 };
	int ret;

	m.what = "watermarks";
	if (a & 1)
		buddy_sim_auto_wmark(ZONE_PAGES, &wm);
	ret = buddy_sim_set_wmark(m.zone, &wm);
	trace("watermarks min %lu low %lu high %lu: %d", wm.min, wm.low, wm.high, ret);
	if (ret)
		fail("buddy_sim_set_wmark(%lu, %lu, %lu) returned %d", wm.min, wm.low, wm.high,
		     ret);
	m.wmark_min = wm.min;
}

static void set_injection(unsigned int pct)
{
	struct buddy_sim_fail f = { .probability = pct, .times = -1 };

	m.what = "failure injection";
	trace("failure injection %u %%", pct);
	m.fail_pct = pct;
	if (buddy_sim_set_fail(m.zone, &f))
		fail("buddy_sim_set_fail(%u %%) refused", pct);
}

static void op_kmalloc(unsigned int a, unsigned int b)
{
	size_t size = 1 + ((a << 8 | b) % KMALLOC_MAX), ks;
	void *p;

	m.what = "kmalloc";
	p = slab_ext_kmalloc(size, GFP_KERNEL);
	trace("kmalloc %zu: %p", size, p);
	if (!p)
		fail("kmalloc(%zu) NULL with the default zone far from full", size);
	ks = slab_ext_ksize(p);
	if (ks < size || (size <= 8192 && ks > 2 * size + 32) ||
	    (size > 8192 && ks != PAGE_SIZE << get_order(size)))
		fail("ksize of kmalloc(%zu) is %zu", size, ks);
	live_add(K_KMALLOC, p, size, 0);
}

static void op_kfree(unsigned int a)
{
	int i = live_pick(K_KMALLOC, a);
	struct obj o;

	m.what = "kfree";
	if (i < 0)
		return;
	o = live_del(i);
	trace("kfree %p (%zu bytes)", o.p, o.size);
	slab_ext_kfree(o.p);
	freed(K_KMALLOC, o.p, 0, false);
}

/* ---- misuse ---- */

/* What every object of the input reports: before and after a misuse. */
struct snapshot {
	struct buddy_sim_info zone;
	struct slab_ext_info cache[2];
	struct mempool_ext_info pool[2];
	u64 pool_errors[2];
};

static void take_snapshot(struct snapshot *s)
{
	struct mempool_ext_extra extra;
	int i;

	memset(s, 0, sizeof(*s));
	buddy_sim_info(m.zone, &s->zone);
	for (i = 0; i < 2; i++) {
		slab_ext_cache_info(m.cache[i].cache, &s->cache[i]);
		mempool_ext_info(m.pool[i].pool, &s->pool[i]);
		mempool_ext_get_extra(m.pool[i].pool, &extra);
		s->pool_errors[i] = extra.errors;
	}
}

enum {
	M_DOUBLE, M_INTERIOR, M_FOREIGN, M_WRONG_CACHE, M_WRONG_ORDER,
	M_POOL_RESERVE, M_POOL_ZERO, NR_MISUSE
};

static const char *const misuse_name[NR_MISUSE] = {
	"misuse: double free", "misuse: interior pointer", "misuse: foreign pointer",
	"misuse: another cache's object", "misuse: zone free with the wrong order",
	"misuse: pool free of an element in reserve", "misuse: pool alloc with __GFP_ZERO"
};

/* Free @p on the object of @kind (K_KMALLOC: slab_ext_kfree()). */
static void free_on(int kind, void *p, unsigned int order)
{
	trace("%s: free %p on the %s (order %u)", m.what, p, kind_name[kind], order);
	switch (kind) {
	case K_ZONE:
		buddy_sim_free(m.zone, p, order);
		break;
	case K_PLAIN:
	case K_DEBUG:
		slab_ext_free(mcache_of(kind)->cache, p);
		break;
	case K_SPOOL:
	case K_PPOOL:
		mempool_ext_free(p, mpool_of(kind)->pool);
		break;
	default:
		slab_ext_kfree(p);
		break;
	}
}

/*
 * One misuse: exactly one report, one more error on the object the call
 * was made on (for kfree, on no object of the input: a kmalloc cache's or
 * the default zone's), nothing else changed. Returns the kind the call
 * was made on, or -1 when there was nothing to misuse.
 */
static int do_misuse(unsigned int what, unsigned int b)
{
	static const int targets[] = { K_PLAIN, K_DEBUG, K_SPOOL, K_PPOOL, K_ZONE, K_KMALLOC };
	static const int interior[] = { K_PLAIN, K_DEBUG, K_ZONE, K_KMALLOC };
	struct mpool *mp;
	unsigned int k;
	struct obj *o;
	int i, kind;
	void *p;

	switch (what) {
	case M_DOUBLE:
		if (m.prev.kind < 0)
			return -1;
		free_on(m.prev.kind, m.prev.p, m.prev.order);
		return m.prev.kind;
	case M_INTERIOR:
		kind = interior[b & 3];
		i = live_pick(kind, b >> 2);
		if (i < 0)
			return -1;
		o = &m.objs[i];
		if (kind != K_ZONE) {
			free_on(kind, o->p + 1 + (b >> 2) * 257 % max(o->size - 1, (size_t)1), 0);
			return kind;
		}
		/* A page inside the block (with its order or 0), or not a page at all. */
		k = (b >> 2) % (1U << o->order);
		if (k)
			free_on(K_ZONE, o->p + k * PAGE_SIZE, b & 0x80 ? 0 : o->order);
		else
			free_on(K_ZONE, o->p + 8 * (1 + (b >> 2) % 64), o->order);
		return K_ZONE;
	case M_FOREIGN:
		kind = targets[b % ARRAY_SIZE(targets)];
		free_on(kind, foreign + 8 * ((b >> 3) % 32), 0);
		return kind;
	case M_WRONG_CACHE:
		/* The other cache's object, or a block of the same zone that is no slab. */
		kind = K_PLAIN + (b & 1);
		i = live_pick(b & 2 ? (b & 4 ? K_ZONE : K_PPOOL) : K_DEBUG - (b & 1), b >> 3);
		if (i < 0)
			return -1;
		free_on(kind, m.objs[i].p, 0);
		return kind;
	case M_WRONG_ORDER:
		i = live_pick(K_ZONE, b);
		if (i < 0)
			return -1;
		free_on(K_ZONE, m.objs[i].p, m.objs[i].order ^ (1 + (b >> 7)));
		return K_ZONE;
	case M_POOL_RESERVE:
		kind = K_SPOOL + (b & 1);
		mp = mpool_of(kind);
		if (!mp->curr_nr)
			return -1;
		free_on(kind, mp->reserve[(b >> 1) % mp->curr_nr], 0);
		return kind;
	default:
		kind = K_SPOOL + (b & 1);
		p = mempool_ext_alloc(mpool_of(kind)->pool, GFP_KERNEL | __GFP_ZERO);
		trace("%s: %p", m.what, p);
		if (p)
			fail("mempool_ext_alloc(__GFP_ZERO) returned %p", p);
		mpool_of(kind)->failures++;
		return kind;
	}
}

static void op_misuse(unsigned int a, unsigned int b)
{
	unsigned int what = a % NR_MISUSE;
	struct snapshot before, after;
	unsigned long reports;
	const char *report;
	int kind, k;

	m.what = misuse_name[what];
	take_snapshot(&before);
	reports = mm_ext_host_reports();
	kind = do_misuse(what, b);
	if (kind < 0)
		return;
	take_snapshot(&after);
	m.misuses++;
	if (mm_ext_host_reports() != reports + 1)
		fail("%lu reports, not 1", mm_ext_host_reports() - reports);
	/* One line that starts with mm_ext: and names what went wrong. */
	report = mm_ext_host_last_report();
	if (strncmp(report, "mm_ext: ", 8) || strstr(report, "(null)"))
		fail("the report reads \"%.*s\"", (int)strcspn(report, "\n"), report);
	/* What the model expects of the object the call was made on. */
	if (kind == K_ZONE) {
		m.zone_errors++;
		before.zone.errors++;
	} else if (kind == K_PLAIN || kind == K_DEBUG) {
		mcache_of(kind)->errors++;
		before.cache[kind - K_PLAIN].errors++;
	} else if (kind == K_SPOOL || kind == K_PPOOL) {
		mpool_of(kind)->errors++;
		before.pool_errors[kind - K_SPOOL]++;
		if (what == M_POOL_ZERO)
			before.pool[kind - K_SPOOL].failures++;
	}
	if (memcmp(&before.zone, &after.zone, sizeof(before.zone)))
		fail("the zone changed: errors %llu -> %llu, free pages %lu -> %lu",
		     before.zone.errors, after.zone.errors, before.zone.nr_free_pages,
		     after.zone.nr_free_pages);
	for (k = 0; k < 2; k++) {
		const struct slab_ext_info *c0 = &before.cache[k], *c1 = &after.cache[k];
		const struct mempool_ext_info *p0 = &before.pool[k], *p1 = &after.pool[k];

		if (memcmp(c0, c1, sizeof(*c0)))
			fail("the %s changed: errors %llu->%llu, frees %llu->%llu, active %lu->%lu",
			     kind_name[K_PLAIN + k], c0->errors, c1->errors, c0->frees, c1->frees,
			     c0->active_objs, c1->active_objs);
		if (memcmp(p0, p1, sizeof(*p0)) || before.pool_errors[k] != after.pool_errors[k])
			fail("the %s changed: errors %llu->%llu, curr_nr %d->%d, frees %llu->%llu",
			     kind_name[K_SPOOL + k], before.pool_errors[k], after.pool_errors[k],
			     p0->curr_nr, p1->curr_nr, p0->frees, p1->frees);
	}
}

/* ---- the input ---- */

enum {
	OP_ZONE_ALLOC, OP_ZONE_FREE, OP_CACHE_ALLOC, OP_CACHE_FREE, OP_POOL_ALLOC,
	OP_POOL_FREE, OP_RESIZE, OP_SHRINK, OP_CPU_CACHE, OP_DRAIN, OP_FAIL, OP_CPU,
	OP_KMALLOC, OP_KFREE, OP_MISUSE, OP_PCP, OP_WMARK, NR_OPS
};

/* Argument bytes each operation reads after its own. */
static const unsigned int op_args[NR_OPS] = {
	[OP_DRAIN] = 0, [OP_KMALLOC] = 2, [OP_MISUSE] = 2,
	[OP_ZONE_ALLOC ... OP_CPU_CACHE] = 1, [OP_FAIL ... OP_CPU] = 1, [OP_KFREE] = 1,
	[OP_PCP ... OP_WMARK] = 1,
};

static bool is_alloc(unsigned int op)
{
	return op == OP_ZONE_ALLOC || op == OP_CACHE_ALLOC || op == OP_POOL_ALLOC ||
	       op == OP_KMALLOC;
}

/* One operation, or false when the input has no more. */
static bool one_op(void)
{
	static const unsigned int pcts[] = { 0, 50, 100 };
	unsigned int op, a, b;

	if (m.pos >= m.size)
		return false;
	op = m.data[m.pos] % NR_OPS;
	if (m.pos + 1 + op_args[op] > m.size)
		return false;
	a = op_args[op] > 0 ? m.data[m.pos + 1] : 0;
	b = op_args[op] > 1 ? m.data[m.pos + 2] : 0;
	m.pos += 1 + op_args[op];
	m.prev = m.freed;
	m.freed.kind = -1;
	if (is_alloc(op) && m.nr == MAX_OBJS)
		return true;

	switch (op) {
	case OP_ZONE_ALLOC:
		op_zone_alloc(a);
		break;
	case OP_ZONE_FREE:
		op_zone_free(a);
		break;
	case OP_CACHE_ALLOC:
		op_cache_alloc(a);
		break;
	case OP_CACHE_FREE:
		op_cache_free(a);
		break;
	case OP_POOL_ALLOC:
		op_pool_alloc(a);
		break;
	case OP_POOL_FREE:
		op_pool_free(a);
		break;
	case OP_RESIZE:
		op_resize(a);
		break;
	case OP_SHRINK:
		op_shrink(a);
		break;
	case OP_CPU_CACHE:
		op_cpu_cache(a);
		break;
	case OP_DRAIN:
		op_drain();
		break;
	case OP_FAIL:
		set_injection(pcts[a % ARRAY_SIZE(pcts)]);
		break;
	case OP_CPU:
		m.what = "CPU switch";
		trace("to CPU %u", a % nr_cpu_ids);
		mm_ext_host_set_cpu(a % nr_cpu_ids);
		break;
	case OP_KMALLOC:
		op_kmalloc(a, b);
		break;
	case OP_KFREE:
		op_kfree(a);
		break;
	case OP_MISUSE:
		op_misuse(a, b);
		break;
	case OP_PCP:
		op_pcp(a);
		break;
	default:
		op_wmark(a);
		break;
	}
	check_all();
	/* What moves objects in bulk must not have written into a live one. */
	if (op == OP_SHRINK || op == OP_CPU_CACHE || op == OP_DRAIN || op == OP_RESIZE ||
	    op == OP_PCP)
		check_live();
	return true;
}

static void setup(void)
{
	struct buddy_sim_info info0;
	struct slab_ext_info info;
	int i;

	m.zone = buddy_sim_create("fz_zone", ZONE_PAGES);
	if (!IS_ERR_OR_NULL(m.zone)) {
		buddy_sim_info(m.zone, &info0);
		memcpy(m.nr_free, info0.nr_free, sizeof(m.nr_free));
	}
	m.cache[0].cache = slab_ext_cache_create(m.zone, "fz_plain", 256, 0, 0, NULL);
	m.cache[1].cache = slab_ext_cache_create(m.zone, "fz_debug", 100, 0,
						 SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER,
						 NULL);
	if (IS_ERR_OR_NULL(m.zone) || IS_ERR_OR_NULL(m.cache[0].cache) ||
	    IS_ERR_OR_NULL(m.cache[1].cache))
		fail("cannot create the zone or the caches");
	for (i = 0; i < 2; i++) {
		slab_ext_cache_info(m.cache[i].cache, &info);
		m.cache[i].size = info.object_size;
	}
	m.pool[0].pool = mempool_ext_create_slab_pool("fz_slab_pool", POOL_MIN,
						      m.cache[0].cache);
	m.pool[1].pool = mempool_ext_create_page_pool("fz_page_pool", POOL_MIN, m.zone,
						      PAGE_ORDER);
	if (IS_ERR_OR_NULL(m.pool[0].pool) || IS_ERR_OR_NULL(m.pool[1].pool))
		fail("cannot create the pools");
	m.pool[0].size = m.cache[0].size;
	m.pool[1].size = PAGE_SIZE << PAGE_ORDER;
	m.cache[0].allocs = POOL_MIN;	/* the slab pool's reserve */
	for (i = 0; i < 2; i++) {
		/* One after the other: the other's reserve is known or empty. */
		m.pool[i].min_nr = POOL_MIN;
		m.pool[i].curr_nr = POOL_MIN;
		learn_reserve(K_SPOOL + i, NULL, 0, true);
	}
	check_all();
}

/* Everything freed and destroyed: the zone whole, no report unexpected. */
static void teardown(void)
{
	struct buddy_sim_info zi;
	int i;

	set_injection(0);
	op_wmark(0);
	m.what = "teardown";
	while (m.nr) {
		struct obj *o = &m.objs[m.nr - 1];

		switch (o->kind) {
		case K_ZONE:
			op_zone_free(m.count[K_ZONE] - 1);
			break;
		case K_PLAIN:
		case K_DEBUG:
			op_cache_free((o->kind - K_PLAIN) | (m.count[o->kind] - 1) << 1);
			break;
		case K_SPOOL:
		case K_PPOOL:
			op_pool_free((o->kind - K_SPOOL) | (m.count[o->kind] - 1) << 1);
			break;
		default:
			op_kfree(m.count[K_KMALLOC] - 1);
			break;
		}
	}
	m.what = "teardown";
	check_all();
	for (i = 0; i < 2; i++) {
		mempool_ext_destroy(m.pool[i].pool);
		if (i == 0)
			m.cache[0].frees += m.pool[0].curr_nr;
		m.pool[i].curr_nr = 0;
		m.pool[i].pool = NULL;
	}
	check_all();
	for (i = 0; i < 2; i++) {
		if (slab_ext_shrink(m.cache[i].cache))
			fail("slab_ext_shrink() failed");
		slab_ext_cache_destroy(m.cache[i].cache);
		m.cache[i].cache = NULL;
	}
	buddy_sim_drain(m.zone);
	check_all();
	buddy_sim_info(m.zone, &zi);
	EXPECT("zone at the end", zi.nr_free_pages, zi.nr_pages);
	EXPECT("zone at the end", zi.allocs, zi.frees);
	/* Every block coalesced back: the free lists as they were made. */
	for (i = 0; i <= BUDDY_SIM_MAX_ORDER; i++)
		if (zi.nr_free[i] != m.nr_free[i])
			fail("%lu free blocks of order %d at the end, %lu when made", zi.nr_free[i],
			     i, m.nr_free[i]);
	buddy_sim_destroy(m.zone);
	EXPECT("input at the end", mm_ext_host_reports() - m.reports, m.misuses);
	EXPECT("input at the end", mm_ext_host_warnings() - m.warnings, 0);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static bool ready;

	if (!ready) {
		mm_ext_host_quiet(!getenv("FUZZ_VERBOSE"));
		mm_ext_host_init(DEFAULT_PAGES);
		foreign = malloc(FOREIGN_SIZE);
		if (!foreign)
			abort();
		memset(foreign, 0x5a, FOREIGN_SIZE);
		ready = true;
	}
	memset(&m, 0, sizeof(m));
	m.trace = getenv("FUZZ_TRACE");
	m.data = data;
	m.size = size;
	m.freed.kind = -1;
	m.reports = mm_ext_host_reports();
	m.warnings = mm_ext_host_warnings();
	mm_ext_host_seed(1);
	mm_ext_host_set_cpu(0);
	m.what = "setup";
	setup();
	while (one_op())
		m.op++;
	teardown();
	return 0;
}
