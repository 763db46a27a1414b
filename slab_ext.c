// SPDX-License-Identifier: GPL-2.0
/*
 * slab_ext - kmem_cache-style object caches on buddy_sim zones.
 *
 * A cache carves blocks of 1 << order pages from its zone into slabs of
 * equal objects. Every slab is on exactly one of three lists: full (no
 * object free), partial, or empty. Allocation takes from a partial slab
 * first, then an empty one, then makes a new slab. The slab's metadata
 * (its free list, in-use count and owning cache) lives in the zone's page
 * descriptors, as SLUB keeps it in struct slab, so a freed pointer finds its
 * slab in O(1) from its address. A new slab's objects are handed out in
 * address order before its free list is used, so the free list holds only
 * objects freed since, and making a slab writes none of its objects.
 *
 * The layout of an object follows SLUB's calculate_sizes(), as is its debug
 * support (SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER):
 *
 *   | left red zone | object | right red zone | free pointer | tracks | pad |
 *   ^ i * size      ^ the pointer handed out
 *
 * The free pointer sits inside the object unless a ctor or debugging needs
 * the object's bytes kept while it is free. A cache with any debug flag
 * checks every allocation and free against its object's state.
 *
 * Where a free object is, is always known, so a free of an object that is
 * not allocated (a double free) is found wherever the first free put it,
 * debug or not, at no atomic operation's cost:
 *  - on its slab's free list: a bit per object in the page descriptors,
 *    kept under the cache lock. A free pointer read from a free object is
 *    followed only if it lies in the slab, on an object boundary, and
 *    names an object whose bit says it is on the list (which also stops a
 *    cycle: bits clear as objects leave the list). A corrupt one isolates
 *    its slab for good (SLUB's "Freepointer corrupt");
 *  - in a CPU array: its free pointer slot holds a mark, its address
 *    XOR a random word of the cache's (a live object holding exactly that
 *    by chance: one in 2^64), cleared when it is handed out;
 *  - fresh: past the slab's hand-out point.
 *
 * In front of the lists, each CPU keeps an array of free objects (the first
 * tier of tcmalloc's design, the role of SLUB's per-CPU slab): allocations
 * and frees on that CPU use it without the cache lock, and objects move
 * between it and the slabs in batches. Its capacity starts small and doubles
 * as it fills or empties (slow start) up to a bound set by the object size.
 * Debug caches go without it, as SLUB's debug caches leave the fast path,
 * so every free can be checked against the slab.
 *
 * Only its own CPU touches an array, with preemption off and a busy flag
 * set (what mainline's local_trylock_t is on !PREEMPT_RT; an interrupt that
 * finds it set uses the slab lists), so the fast paths take no lock, no
 * atomic and leave interrupts alone. Another CPU reaches an array through
 * its owner: an IPI runs the drain on the array's CPU, as SLUB's flush_all()
 * runs work there; the array of an offline CPU, which runs nothing, is
 * emptied by its CPU-dead callback or by a drain holding cpus_read_lock().
 * On PREEMPT_RT, where a task with migration off can be preempted on its
 * CPU, the flag is a per-CPU spinlock_t instead, which any CPU may take.
 *
 * A cache may use sheaves instead of arrays (its per-CPU tier, chosen at
 * creation or switched while empty): mainline 6.18's main and spare sheaf
 * a CPU, exchanged whole with the cache's barn of full and empty sheaves
 * (see "the sheaves tier" below). They live in the same per-CPU struct,
 * under the same claim, and their objects carry the same mark.
 *
 * Before an allocation fails, every CPU's array gives its objects back and
 * the slabs are tried again: a cache returns NULL only when it has no free
 * object anywhere. (Reaching another CPU's array takes an IPI, which a
 * caller may wait for only while preemptible; from atomic context the
 * other CPUs' arrays are left alone, and an allocation there may see NULL
 * while they hold objects. On PREEMPT_RT they are always reached.)
 *
 * The lock order of the whole module is written once, in
 * docs/ARCHITECTURE.md; lockdep checks it.
 */

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/cache.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/poison.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/reciprocal_div.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>
#include "slab_ext_internal.h"
#include "mm_ext_trace.h"

MM_EXT_FAST_PAGE(slab_ext);
MM_EXT_FAST_PAGE(slab_ext_sheaf);

#define SLAB_EXT_MAX_ORDER	3	/* slub_max_order: PAGE_ALLOC_COSTLY_ORDER */
#define SLAB_EXT_MAX_OBJS	32767	/* MAX_OBJS_PER_PAGE */
#define SLAB_EXT_DEBUG_FLAGS	(SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER)
#define SLAB_EXT_FLAGS		(SLAB_HWCACHE_ALIGN | SLAB_EXT_DEBUG_FLAGS)
#define SLAB_EXT_LEAKS_SHOWN	4	/* leaked objects listed by address */
#define SLAB_EXT_CPU_MAX	128	/* most objects a CPU array holds */
#define SLAB_EXT_CPU_START	4	/* its capacity before slow start */
#define SLAB_EXT_KEEP_LIMIT	UINT_MAX /* a drain leaves the capacity as it is */
#define SLAB_EXT_BARN_MAX_FULL	10	/* mainline's MAX_FULL_SHEAVES */
#define SLAB_EXT_BARN_MAX_EMPTY	10	/* mainline's MAX_EMPTY_SHEAVES */
#define SLAB_EXT_SHEAF_SLOT_BITS 5	/* a cache's table of prefilled sheaves */
#define SLAB_EXT_SHEAF_FAST	8	/* most objects a prefill's fast path moves */

struct slab_ext_sheaf;

/* A CPU's array of free objects, in front of the cache's slab lists. */
struct slab_ext_cpu {
#ifdef CONFIG_PREEMPT_RT
	/* Protects this array (every field below); any CPU may take it. */
	spinlock_t lock;
#else
	/*
	 * Protects this array (every field below): set while code on its CPU,
	 * with preemption off, works on it (cpu_array_get()). Only that CPU
	 * touches the array, so a task never finds it set; an interrupt that
	 * does goes to the slab lists, and a drain's IPI says so and is sent
	 * again. Nests outside the cache lock.
	 */
	bool busy;
#endif
	/*
	 * What the fast paths use, whichever the tier: array[] on the
	 * arrays tier; on the sheaves tier main's objects, count standing
	 * for main->size (written back before anything else reads that)
	 * and limit for its capacity. So both tiers share one fast path and
	 * differ only where objs[] runs empty or full.
	 */
	void **objs;
	unsigned int count;		/* objects in objs[] */
	unsigned int limit;		/* capacity now: slow start up to cpu_max */
	u64 allocs, frees;		/* served from here */
	/*
	 * The sheaves tier (mainline's struct slub_percpu_sheaves): a main
	 * sheaf allocations and frees use, and a spare, both set, or both
	 * NULL on the arrays tier.
	 */
	struct slab_ext_sheaf *main, *spare;
	/*
	 * An empty sheaf of the cache's capacity kept for this CPU's next
	 * prefill (either tier), so that a prefill and its return neither
	 * allocate nor free one.
	 */
	struct slab_ext_sheaf *stash;
	/*
	 * frees - allocs + sheaf_adj: the free objects main and spare hold,
	 * kept so that readers on other CPUs never follow main or spare
	 * (which the owner may swap into the barn and shrink may free).
	 */
	u64 sheaf_adj;
	/*
	 * Returns made on the fast path here (the slow path counts in the
	 * cache, under its lock), and the allocations of their sheaves.
	 * Prefills are not counted: each one leaves a sheaf out until it is
	 * returned, so they are the returns plus the sheaves out.
	 */
	u64 sheaf_returns, sheaf_allocs;
	u64 stat[SX_NR_TIER_STATS];	/* sheaves tier events (slab_ext_tier_stat) */
	void *array[SLAB_EXT_CPU_MAX];	/* the arrays tier's objects */
};

/* Who allocated or freed an object last (SLAB_STORE_USER). */
struct slab_ext_track {
	unsigned long caller;
	unsigned long when;		/* jiffies */
	int cpu, pid;
};

enum { TRACK_ALLOC, TRACK_FREE };

/*
 * A cache's barn (mainline's struct node_barn, one per node there; here
 * one per cache, a cache living in one zone): full and empty sheaves of
 * the cache's sheaf capacity, which CPUs exchange theirs for.
 */
struct slab_ext_barn {
	/*
	 * Protects both lists, the counts, open and stat. Taken with
	 * interrupts off, inside a CPU's sheaves (cpu_array_get()) or with
	 * nothing held; never together with the cache lock.
	 */
	spinlock_t lock;
	struct list_head full, empty;	/* sheaves, by their list */
	unsigned int nr_full, nr_empty;
	unsigned long objects;		/* free objects the full ones hold */
	bool open;			/* on the sheaves tier: sheaves may be put */
	u64 stat[SX_NR_TIER_STATS];	/* events counted outside any CPU's sheaves */
};

struct slab_ext_cache {
	char name[MM_EXT_NAME_MAX + 1];
	struct mm_ext_named named;	/* in slab_ext_caches */
	struct buddy_sim *zone;
	void (*ctor)(void *obj);
	slab_flags_t flags;
	bool debug;			/* any debug flag: check every alloc and free */
	bool poison;			/* poison free objects (SLAB_POISON, no ctor) */
	bool kmalloc;			/* one of sx_kmalloc_caches[]: set at init */
	unsigned int object_size;	/* as asked */
	unsigned int size;		/* stride */
	unsigned int align;
	unsigned int inuse;		/* object plus right red zone */
	unsigned int offset;		/* of the free pointer, from the object */
	unsigned int red_left_pad;
	unsigned int objs_per_slab;
	unsigned int order;
	struct reciprocal_value reciprocal_size; /* of size: no divide at free */
	unsigned int cpu_max;		/* bound of the CPU arrays; 0: none */
	struct slab_ext_cpu __percpu *cpu;
	unsigned long mark;		/* random: marks objects in CPU arrays */
	size_t stride;			/* between page descriptors of the zone */
	/* The zone's span and its first page's owner area, for zone_owner(). */
	unsigned long zone_base, zone_bytes;
	struct buddy_sim_owner *owner0;

	/*
	 * Protects the three lists, every slab's free list, fresh objects,
	 * in-use count and "on the list" bits, the slab fields of the zone's
	 * page descriptors for this cache's slabs, and the counters below.
	 * Taken with interrupts off so caches work from any context, as
	 * kmem_cache_node->list_lock is.
	 */
	spinlock_t lock;
	struct list_head full, partial, empty;
	unsigned long nr_full, nr_partial, nr_empty;
	unsigned long active_objs;	/* not free: held, cached, quarantined */
	unsigned long quarantined;	/* kept out of use after corruption */
	unsigned long nr_isolated;	/* slabs with a corrupt free list */
	unsigned int min_empty;		/* empty slabs kept before giving back */
	u64 allocs, frees, errors, failures;
	/* Prefilled sheaves handed out whose slot (below) was taken. */
	struct list_head sheaves;
	/* Counted on the slow paths; fast returns count per CPU. */
	u64 sheaf_refills, sheaf_returns, sheaf_failures;
	unsigned int sheaf_capacity;	/* of a regular sheaf; set with the tier */
	bool sheaves_tier;		/* per-CPU tier: sheaves, else arrays */
	struct slab_ext_barn barn;
	unsigned long max_objs;		/* the most the zone could ever hold */

	/*
	 * The prefilled sheaves handed out, each in the slot hash_ptr() of
	 * its address names, or on @sheaves when another holds that slot.
	 * A slot is set and cleared with cmpxchg(), no lock, so a prefill
	 * and its return take none; who clears a sheaf's slot (or takes it
	 * off the list, under the lock) owns it, so a sheaf returned twice
	 * is found without reading through the pointer. Readers of what
	 * the sheaves in slots hold do so under rcu_read_lock(): every
	 * sheaf is freed after a grace period (sheaf_free()).
	 */
	struct slab_ext_sheaf *sheaf_slot[1 << SLAB_EXT_SHEAF_SLOT_BITS];

	/*
	 * Misuse a _nolock call found where it could not take the lock to
	 * count it under it; slab_ext_cache_info() adds it to errors.
	 */
	atomic_long_t nolock_errors;
};

/*
 * A sheaf: a batch of free objects set aside (mainline 6.18's struct
 * slab_sheaf). Its objects are taken from the slabs, so the slabs count
 * them in use, and each carries the mark of a free object in a CPU array
 * (cpu_mark()): a free of one is a double free, and the debug checks treat
 * it as free. A prefilled sheaf belongs to whoever prefilled it, which
 * alone touches objects[] and size without a lock; it is in its cache's
 * table of prefilled sheaves (sheaf_slot[], or the sheaves list) until
 * returned, so the cache can count what sheaves hold, check a sheaf given
 * back, and take back the sheaves of a cache destroyed with some out.
 *
 * The same struct serves the per-CPU sheaves tier: a CPU's main and spare
 * sheaf (its owner's, under the CPU's claim), and a barn's full and empty
 * lists (through @list, under the barn lock), each of capacity
 * sheaf_capacity; a full sheaf of the barn may become a prefilled one.
 */
struct slab_ext_sheaf {
	struct list_head list;		/* cache->sheaves, or a barn's list */
	struct slab_ext_cache *cache;
	unsigned int capacity;		/* objects[] slots; over sheaf_capacity: oversize */
	unsigned int size;		/* objects in objects[0..size) */
	u64 allocs;			/* handed out from it, not yet in cache->allocs */
	struct rcu_head rcu;		/* sheaf_free() */
	void *objects[];
};

/*
 * A sheaf off every list and slot and out of every CPU's hands, freed
 * after a grace period: a reader of its cache's table of prefilled
 * sheaves (sheaf_sums()) may still be looking at it.
 */
static void sheaf_free(struct slab_ext_sheaf *sheaf)
{
	if (sheaf)
		kvfree_rcu(sheaf, rcu);
}

/* Every cache, by unique name; its lock is slab_ext_caches.lock. */
static struct mm_ext_names slab_ext_caches = {
	.lock = __MUTEX_INITIALIZER(slab_ext_caches.lock),
	.list = LIST_HEAD_INIT(slab_ext_caches.list),
	.kind = MM_EXT_CACHE,
};

/*
 * Serialises changes of a cache's CPU array bound (slab_ext_set_cpu_cache()),
 * which may sleep; the arrays themselves are under their own locks.
 */
static DEFINE_MUTEX(slab_ext_cpu_cache_lock);

/* Marks a quarantined object in its (out of object) free pointer slot. */
static const char slab_ext_quarantine_mark;
#define QUARANTINED ((void *)&slab_ext_quarantine_mark)

/* kmalloc size classes, as the kernel's: powers of two plus 96 and 192. */
static const unsigned int sx_kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
};

#define SLAB_EXT_KMALLOC_MAX	8192
static struct slab_ext_cache *sx_kmalloc_caches[ARRAY_SIZE(sx_kmalloc_sizes)];
/*
 * Given at init (the module's zone "default"): the kmalloc caches' zone and
 * that of caches created with none. Set before any cache and read-only after.
 */
static struct buddy_sim *sx_kmalloc_zone;
/* Given at init: every cache gets the debug flags (module parameter slab_debug). */
static bool sx_debug_all;

/* Frees deferred by slab_ext_kfree_nolock() not done yet, on every CPU. */
static atomic_long_t sx_defer_pending;
static void sx_defer_flush(void);

static inline void *get_fp(struct slab_ext_cache *c, void *obj)
{
	return *(void **)(obj + c->offset);
}

static inline void set_fp(struct slab_ext_cache *c, void *obj, void *fp)
{
	*(void **)(obj + c->offset) = fp;
}

static inline struct slab_ext_track *get_track(struct slab_ext_cache *c,
					       void *obj, int which)
{
	return (struct slab_ext_track *)(obj + c->offset + sizeof(void *)) + which;
}

static inline void *slab_obj(struct slab_ext_cache *c,
			     struct buddy_sim_owner *slab, unsigned int i)
{
	return slab->addr + i * c->size + c->red_left_pad;
}

/* The bit of @obj in its page's maps: objects start on 8-byte granules. */
static __always_inline unsigned int obj_bit(const void *obj)
{
	return offset_in_page(obj) / MM_EXT_OBJ_GRANULE;
}

/*
 * The page descriptor whose maps hold @obj's bits; @obj is in the zone:
 * buddy_sim_owner(c->zone, @obj) inline, a call less on every free.
 */
static __always_inline struct buddy_sim_owner *obj_page(struct slab_ext_cache *c,
							const void *obj)
{
	return (void *)c->owner0 + (((unsigned long)obj - c->zone_base) >> PAGE_SHIFT) * c->stride;
}

/* obj_page() of any @addr: NULL outside the zone. */
static __always_inline struct buddy_sim_owner *zone_owner(struct slab_ext_cache *c,
							  const void *addr)
{
	/* Below the zone wraps round to a huge offset: caught too. */
	if (unlikely((unsigned long)addr - c->zone_base >= c->zone_bytes))
		return NULL;
	return obj_page(c, addr);
}

/* The descriptor of the page of @slab that @obj, inside it, starts in. */
static __always_inline struct buddy_sim_owner *slab_page(struct slab_ext_cache *c,
							 struct buddy_sim_owner *slab,
							 const void *obj)
{
	return (void *)slab + ((obj - slab->addr) >> PAGE_SHIFT) * c->stride;
}

/* The slab list an in-use count belongs on. */
static struct list_head *slab_list_for(struct slab_ext_cache *c,
				       unsigned int inuse, unsigned long **nr)
{
	if (inuse == 0) {
		*nr = &c->nr_empty;
		return &c->empty;
	}
	if (inuse == c->objs_per_slab) {
		*nr = &c->nr_full;
		return &c->full;
	}
	*nr = &c->nr_partial;
	return &c->partial;
}

/* Move @slab to the list its in-use count now says, from the one @old said. */
static void slab_relist(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
			unsigned int old)
{
	unsigned long *nr_old, *nr_new;
	struct list_head *from = slab_list_for(c, old, &nr_old);
	struct list_head *to = slab_list_for(c, slab->inuse, &nr_new);

	if (from == to)
		return;
	list_move(&slab->slab_list, to);
	(*nr_old)--;
	(*nr_new)++;
}

/* ---- debugging: red zones, poison, tracks, reports ---- */

static void set_track(struct slab_ext_cache *c, void *obj, int which,
		      unsigned long caller)
{
	struct slab_ext_track *t;

	if (!(c->flags & SLAB_STORE_USER))
		return;
	t = get_track(c, obj, which);
	t->caller = caller;
	t->when = jiffies;
	t->cpu = raw_smp_processor_id();
	t->pid = current->pid;
}

/* Fill the red zones on both sides with @val (SLUB_RED_ACTIVE/INACTIVE). */
static void set_redzones(struct slab_ext_cache *c, void *obj, u8 val)
{
	if (!(c->flags & SLAB_RED_ZONE))
		return;
	memset(obj - c->red_left_pad, val, c->red_left_pad);
	memset(obj + c->object_size, val, c->inuse - c->object_size);
}

static bool redzones_ok(struct slab_ext_cache *c, void *obj, u8 val)
{
	if (!(c->flags & SLAB_RED_ZONE))
		return true;
	return !memchr_inv(obj - c->red_left_pad, val, c->red_left_pad) &&
	       !memchr_inv(obj + c->object_size, val, c->inuse - c->object_size);
}

/* SLUB's free-object poison: POISON_FREE bytes, POISON_END last. */
static void poison_object(struct slab_ext_cache *c, void *obj)
{
	if (!c->poison)
		return;
	memset(obj, POISON_FREE, c->object_size - 1);
	*(u8 *)(obj + c->object_size - 1) = POISON_END;
}

static bool poison_ok(struct slab_ext_cache *c, void *obj)
{
	if (!c->poison)
		return true;
	return !memchr_inv(obj, POISON_FREE, c->object_size - 1) &&
	       *(u8 *)(obj + c->object_size - 1) == POISON_END;
}

/*
 * Where @p is, for a report: its page in @zone and the offset in it, which
 * match the zone's pagemap; outside the zone, its (hashed) address.
 */
static const char *where(struct buddy_sim *zone, const void *p, char *buf,
			 size_t len)
{
	unsigned long pfn = buddy_sim_pfn(zone, p);

	if (pfn == ULONG_MAX)
		snprintf(buf, len, "%p", p);
	else
		snprintf(buf, len, "pfn %lu+0x%03lx", pfn, offset_in_page(p));
	return buf;
}

/* What a report says about an object: its place, and its tracks if kept. */
struct obj_report {
	const void *obj;
	bool tracked;
	struct slab_ext_track alloc, free;
};

static void fill_report(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
			void *obj, struct obj_report *r)
{
	r->obj = obj;
	r->tracked = slab && (c->flags & SLAB_STORE_USER);
	if (r->tracked) {
		r->alloc = *get_track(c, obj, TRACK_ALLOC);
		r->free = *get_track(c, obj, TRACK_FREE);
	}
}

/* ", allocated by f+0x10 (cpu 0 pid 1)" and the same for the free, if kept. */
static void format_tracks(const struct obj_report *r, bool with_free,
			  char *buf, size_t len)
{
	int n;

	buf[0] = '\0';
	if (!r->tracked)
		return;
	n = scnprintf(buf, len, ", allocated by %pS (cpu %d pid %d)",
		      (void *)r->alloc.caller, r->alloc.cpu, r->alloc.pid);
	if (with_free)
		scnprintf(buf + n, len - n, ", freed by %pS (cpu %d pid %d)",
			  (void *)r->free.caller, r->free.cpu, r->free.pid);
}

/* One line, after the cache lock is dropped: printk may be slow. */
static void print_report(struct slab_ext_cache *c, const char *what,
			 const struct obj_report *r)
{
	char buf[40], tracks[256];
	enum mm_ext_misuse kind = strstr(what, "red zone") ? MM_EXT_MISUSE_RED_ZONE :
				  strstr(what, "write after free") ? MM_EXT_MISUSE_POISON :
				  mm_ext_misuse_of(what, MM_EXT_MISUSE_BAD_POINTER);

	format_tracks(r, true, tracks, sizeof(tracks));
	mm_ext_report(MM_EXT_CACHE, c->name, kind, r->obj, "cache %s: %s: object at %s%s\n",
		      c->name, what,
		      where(c->zone, r->obj, buf, sizeof(buf)), tracks);
}

/*
 * A corrupted object is taken out of use for good: it stays counted as in
 * use, so its slab never returns to the zone while the corruption could
 * still be reached, and a later free of it is refused.
 */
static void quarantine(struct slab_ext_cache *c, void *obj)
{
	set_fp(c, obj, QUARANTINED);
	c->quarantined++;
}

/* ---- slabs ---- */

static void slab_set_owner(struct slab_ext_cache *c, void *addr,
			   struct buddy_sim_owner *head)
{
	struct buddy_sim_owner *page;
	unsigned int i;

	for (i = 0; i < (1U << c->order); i++) {
		page = obj_page(c, addr + i * PAGE_SIZE);
		if (head)	/* A new slab: nothing on its free list yet. */
			bitmap_zero(page->onlist, MM_EXT_PAGE_OBJ_BITS);
		WRITE_ONCE(page->head, head);
	}
}

/*
 * A new slab, objects built; not yet on any list. Its objects are all
 * fresh: handed out in address order, they join the free list only once
 * freed, so a slab's memory is not written just to chain it.
 */
static struct buddy_sim_owner *init_slab(struct slab_ext_cache *c, void *addr)
{
	struct buddy_sim_owner *slab;
	unsigned int i;
	void *obj;

	slab = obj_page(c, addr);
	slab->addr = addr;
	slab->order = c->order;
	slab->inuse = 0;
	slab->large_size = 0;
	slab->freelist = NULL;
	slab->isolated = false;
	slab->nr_fresh = c->objs_per_slab;
	if (c->debug || c->ctor) {
		for (i = 0; i < c->objs_per_slab; i++) {
			obj = slab_obj(c, slab, i);
			set_redzones(c, obj, SLUB_RED_INACTIVE);
			if (c->ctor)
				c->ctor(obj);
			poison_object(c, obj);
			/* The block may hold a quarantine mark from its last slab. */
			set_fp(c, obj, NULL);
			if (c->flags & SLAB_STORE_USER)
				memset(get_track(c, obj, 0), 0, 2 * sizeof(struct slab_ext_track));
		}
	}
	/* Publish last: a lookup that sees the cache sees a whole slab. */
	slab_set_owner(c, addr, slab);
	WRITE_ONCE(slab->cache, c);
	return slab;
}

static struct buddy_sim_owner *new_slab(struct slab_ext_cache *c, gfp_t gfp)
{
	void *addr = buddy_sim_alloc(c->zone, gfp & ~__GFP_ZERO, c->order);

	if (!addr)
		return NULL;
	trace_mm_ext_slab_grow(c->name, addr, c->order);
	return init_slab(c, addr);
}

/* Give a slab, already off the lists, back to the zone. */
static void discard_slab(struct slab_ext_cache *c, struct buddy_sim_owner *slab)
{
	void *addr = slab->addr;

	slab_set_owner(c, addr, NULL);
	trace_mm_ext_slab_shrink(c->name, addr, c->order);
	buddy_sim_free(c->zone, addr, c->order);
}

/* Take every empty slab beyond @keep off the lists, onto @out. Lock held. */
static void take_empty_slabs(struct slab_ext_cache *c, unsigned long keep,
			     struct list_head *out)
{
	struct buddy_sim_owner *slab;

	while (c->nr_empty > keep) {
		slab = list_first_entry(&c->empty, struct buddy_sim_owner, slab_list);
		list_move(&slab->slab_list, out);
		WRITE_ONCE(slab->cache, NULL);
		c->nr_empty--;
	}
}

static void discard_slabs(struct slab_ext_cache *c, struct list_head *list)
{
	struct buddy_sim_owner *slab, *tmp;

	list_for_each_entry_safe(slab, tmp, list, slab_list) {
		list_del(&slab->slab_list);
		discard_slab(c, slab);
	}
}

/*
 * The index of the object at @obj in @slab, or -1 when @obj is not where
 * one of its objects starts. A multiply instead of a divide, as SLUB's
 * obj_to_index(): the offset fits in 32 bits once it is inside the block.
 */
static __always_inline int obj_index(struct slab_ext_cache *c,
				     struct buddy_sim_owner *slab, const void *obj)
{
	unsigned long off = obj - slab->addr - c->red_left_pad;
	u32 idx;

	/* Before the first object wraps round to a huge offset, caught here too. */
	if (unlikely(off >= (PAGE_SIZE << c->order)))
		return -1;
	idx = reciprocal_divide(off, c->reciprocal_size);
	if (unlikely(idx >= c->objs_per_slab || idx * c->size != off))
		return -1;
	return idx;
}

/* What an object in a CPU array holds in its free pointer slot. */
static __always_inline void *cpu_mark(struct slab_ext_cache *c, const void *obj)
{
	return (void *)((unsigned long)obj ^ c->mark);
}

static __always_inline bool is_on_list(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
				       const void *obj)
{
	return test_bit(obj_bit(obj), slab_page(c, slab, obj)->onlist);
}

/* Whether the object at index @idx of @slab was never handed out. Lockless. */
static __always_inline bool is_fresh(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
				     int idx)
{
	return idx >= (int)(c->objs_per_slab - READ_ONCE(slab->nr_fresh));
}

/*
 * Whether the object at index @idx of @slab is held by a user: not in a
 * CPU array, on the free list, fresh or quarantined. Lockless; exact for
 * an object nothing else moves.
 */
static __always_inline bool obj_allocated(struct slab_ext_cache *c,
					  struct buddy_sim_owner *slab, void *obj, int idx)
{
	void *slot = READ_ONCE(*(void **)(obj + c->offset));

	return slot != cpu_mark(c, obj) && !(c->debug && slot == QUARANTINED) &&
	       !is_on_list(c, slab, obj) && !is_fresh(c, slab, idx);
}

/* A corrupt free pointer, found under the lock, reported after it. */
struct fp_report {
	unsigned long pfn;		/* the slab's first page in the zone */
	unsigned long offset;		/* of the object holding it, in the slab */
	void *fp;			/* what it held */
};

/*
 * @slab's free list is corrupt: take the slab out of use for good. Every
 * object still free in it (on the list, fresh, or @obj, which held the bad
 * pointer) is lost, counted as quarantined; objects held by users or CPU
 * arrays come back to it and are quarantined then. It sits on the full
 * list, so it is never allocated from nor given back before destroy.
 */
static void isolate_slab(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
			 void *obj, void *fp, struct fp_report *rep)
{
	unsigned int old = slab->inuse, lost = c->objs_per_slab - old, i;
	void *p;

	rep->pfn = buddy_sim_pfn(c->zone, slab->addr);
	rep->offset = obj - slab->addr;
	rep->fp = fp;
	/* The lost objects carry the mark: a free of one is a double free. */
	for (i = 0; i < c->objs_per_slab; i++) {
		p = slab_obj(c, slab, i);
		if (p == obj || is_on_list(c, slab, p) || is_fresh(c, slab, i))
			set_fp(c, p, cpu_mark(c, p));
	}
	for (i = 0; i < (1U << c->order); i++)
		bitmap_zero(slab_page(c, slab, slab->addr + i * PAGE_SIZE)->onlist,
			    MM_EXT_PAGE_OBJ_BITS);
	slab->freelist = NULL;
	WRITE_ONCE(slab->nr_fresh, 0);
	slab->isolated = true;
	slab->inuse = c->objs_per_slab;
	slab_relist(c, slab, old);
	c->active_objs += lost;
	c->quarantined += lost;
	c->nr_isolated++;
	c->errors++;
}

static void print_fp_report(struct slab_ext_cache *c, const struct fp_report *rep)
{
	char buf[40];

	mm_ext_report(MM_EXT_CACHE, c->name, MM_EXT_MISUSE_FREELIST, rep->fp,
		      "cache %s: Freepointer corrupt: slab pfn %lu, object +0x%lx: %s; isolated\n",
		      c->name, rep->pfn, rep->offset, where(c->zone, rep->fp, buf, sizeof(buf)));
}

/*
 * Whether @fp, read from a free object of @slab, may be followed: inside
 * the slab, on an 8-byte granule, and its granule's bit says an object
 * starting there is on the free list now. Bits are set only where objects
 * start, and never for fresh ones, so that is an object boundary too.
 */
static __always_inline bool fp_valid(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
				     void *fp)
{
	return (unsigned long)(fp - slab->addr) < (PAGE_SIZE << c->order) &&
	       IS_ALIGNED((unsigned long)fp, MM_EXT_OBJ_GRANULE) && is_on_list(c, slab, fp);
}

/*
 * The head of @slab's free list, taken off it; NULL when the free pointer
 * it holds (*fpp) is corrupt, the head left in place for isolate_slab().
 * Lock held.
 */
static void *freelist_pop(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
			  void **fpp)
{
	void *obj = slab->freelist, *fp;

	/* The head was written by us; what the object holds may not be. */
	__clear_bit(obj_bit(obj), slab_page(c, slab, obj)->onlist);
	fp = get_fp(c, obj);
	if (unlikely(fp && !fp_valid(c, slab, fp))) {
		*fpp = fp;
		return NULL;
	}
	slab->freelist = fp;
	return obj;
}

/*
 * A free object of @slab, which is not isolated and has one: off its free
 * list, else fresh. NULL when the free list turns out corrupt: the slab is
 * isolated then and *rep says why. Lock held.
 */
static void *slab_pop(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
		      struct fp_report *rep)
{
	void *obj, *fp;

	if (slab->freelist) {
		obj = freelist_pop(c, slab, &fp);
		if (unlikely(!obj))
			isolate_slab(c, slab, slab->freelist, fp, rep);
		return obj;
	}
	obj = slab_obj(c, slab, c->objs_per_slab - slab->nr_fresh);
	WRITE_ONCE(slab->nr_fresh, slab->nr_fresh - 1);
	return obj;
}

/*
 * Put @obj, off every free list and not allocated, back on @slab's free
 * list; on an isolated slab it is quarantined instead. The caller moves
 * the slab between lists once it is done with it. Lock held.
 */
static void slab_push(struct slab_ext_cache *c, struct buddy_sim_owner *slab, void *obj)
{
	if (unlikely(slab->isolated)) {
		set_fp(c, obj, cpu_mark(c, obj));
		c->quarantined++;
		return;
	}
	set_fp(c, obj, slab->freelist);
	slab->freelist = obj;
	__set_bit(obj_bit(obj), slab_page(c, slab, obj)->onlist);
	slab->inuse--;
	c->active_objs--;
}

/* The first slab with a free object, or NULL. Lock held. */
static struct buddy_sim_owner *slab_with_free(struct slab_ext_cache *c)
{
	struct buddy_sim_owner *slab;

	slab = list_first_entry_or_null(&c->partial, struct buddy_sim_owner, slab_list);
	if (!slab)
		slab = list_first_entry_or_null(&c->empty, struct buddy_sim_owner, slab_list);
	return slab;
}

/*
 * @obj is handed out to a user: its slot no longer says where it rests (a
 * non-debug, ctor-less cache's slot is the object's first word: kmalloc
 * memory holds whatever it holds).
 */
static __always_inline void mark_allocated(struct slab_ext_cache *c, void *obj)
{
	set_fp(c, obj, NULL);
}

/* ---- allocation and free ---- */

/*
 * The slab path: an object from the lists, making a slab as needed. Used
 * by debug caches, caches without CPU arrays, and an allocation that found
 * no free object in the arrays.
 */
/*
 * The events of an object counted in @c's allocs or frees: a kmalloc
 * cache's are mm_ext_kmalloc and mm_ext_kfree, whichever call made them, so
 * each cache's counter equals one event's count. Static keys: nothing but
 * a jump when the events are off.
 */
static noinline void sx_trace_alloc_on(struct slab_ext_cache *c, const void *obj,
				       unsigned long caller, gfp_t gfp)
{
	if (c->kmalloc)
		trace_mm_ext_kmalloc(caller, obj, c->object_size, c->size, gfp);
	else
		trace_mm_ext_cache_alloc(c->name, caller, obj, c->object_size, c->size, gfp);
}

/* Whether an allocation has an event to trace. */
static __always_inline bool sx_tracing_alloc(void)
{
	return trace_mm_ext_kmalloc_enabled() || trace_mm_ext_cache_alloc_enabled();
}

static __always_inline void sx_trace_alloc(struct slab_ext_cache *c, const void *obj,
					   unsigned long caller, gfp_t gfp)
{
	if (sx_tracing_alloc())
		sx_trace_alloc_on(c, obj, caller, gfp);
}

static noinline void sx_trace_free_on(struct slab_ext_cache *c, const void *obj,
				      unsigned long caller)
{
	if (c->kmalloc)
		trace_mm_ext_kfree(caller, obj, c->size);
	else
		trace_mm_ext_cache_free(c->name, caller, obj, c->object_size, c->size);
}

static __always_inline bool sx_tracing_free(void)
{
	return trace_mm_ext_kfree_enabled() || trace_mm_ext_cache_free_enabled();
}

static __always_inline void sx_trace_free(struct slab_ext_cache *c, const void *obj,
					  unsigned long caller)
{
	if (sx_tracing_free())
		sx_trace_free_on(c, obj, caller);
}

static void *cache_alloc(struct slab_ext_cache *c, gfp_t gfp, unsigned long caller)
{
	struct buddy_sim_owner *slab, *fresh = NULL;
	struct fp_report fprep;
	struct obj_report rep;
	unsigned long flags;
	void *obj;

	spin_lock_irqsave(&c->lock, flags);
	for (;;) {
		slab = slab_with_free(c);
		if (!slab && fresh) {
			slab = fresh;
			fresh = NULL;
			list_add(&slab->slab_list, &c->empty);
			c->nr_empty++;
		}
		if (!slab) {
			/* Build the slab unlocked: ctors run, and the zone has its own lock. */
			spin_unlock_irqrestore(&c->lock, flags);
			fresh = new_slab(c, gfp);
			spin_lock_irqsave(&c->lock, flags);
			if (!fresh) {
				c->failures++;
				spin_unlock_irqrestore(&c->lock, flags);
				return NULL;
			}
			continue;
		}
		obj = slab_pop(c, slab, &fprep);
		if (unlikely(!obj)) {
			spin_unlock_irqrestore(&c->lock, flags);
			print_fp_report(c, &fprep);
			spin_lock_irqsave(&c->lock, flags);
			continue;
		}
		slab->inuse++;
		slab_relist(c, slab, slab->inuse - 1);
		c->active_objs++;
		if (!c->debug)
			break;
		if (!poison_ok(c, obj) || !redzones_ok(c, obj, SLUB_RED_INACTIVE)) {
			/* Written while free: keep it out, report, try the next. */
			fill_report(c, slab, obj, &rep);
			quarantine(c, obj);
			c->errors++;
			spin_unlock_irqrestore(&c->lock, flags);
			print_report(c, "written while free (write after free)", &rep);
			spin_lock_irqsave(&c->lock, flags);
			continue;
		}
		set_redzones(c, obj, SLUB_RED_ACTIVE);
		set_track(c, obj, TRACK_ALLOC, caller);
		break;
	}
	mark_allocated(c, obj);
	c->allocs++;
	spin_unlock_irqrestore(&c->lock, flags);

	/* Another CPU made room first: the spare slab goes straight back. */
	if (fresh) {
		WRITE_ONCE(fresh->cache, NULL);
		discard_slab(c, fresh);
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	return obj;
}

/*
 * The slab holding @obj if it is one of @c's, or NULL with *why set. Read
 * without the lock: a slab of @c
 * stays one while any of its objects is allocated, and callers check the
 * owning cache again under the lock where it matters.
 */
static __always_inline struct buddy_sim_owner *
obj_to_slab(struct slab_ext_cache *c, const void *obj, const char **why)
{
	struct buddy_sim_owner *p = zone_owner(c, obj);
	struct buddy_sim_owner *slab;
	struct slab_ext_cache *owner;

	if (unlikely(!p)) {
		*why = "pointer outside the cache's zone";
		return NULL;
	}
	slab = READ_ONCE(p->head);
	owner = slab ? READ_ONCE(slab->cache) : NULL;
	if (unlikely(owner != c)) {
		*why = owner ? "object of another cache (wrong cache)" :
			       "pointer not in a slab of this cache";
		return NULL;
	}
	return slab;
}

/*
 * The cache lock for a _nolock call: false, not taken, when it is held
 * elsewhere (perhaps by what this call interrupted) or may not be tried.
 */
static __always_inline bool cache_trylock(struct slab_ext_cache *c, unsigned long *flags)
{
	return mm_ext_nolock_may_trylock() && spin_trylock_irqsave(&c->lock, *flags);
}

/*
 * A free refused: counted and reported, nothing else changes. @nolock: a
 * _nolock call, which counts aside when the lock is busy.
 */
static noinline void bad_free(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
			      void *obj, const char *why, bool nolock)
{
	struct obj_report rep = { .obj = obj };
	unsigned long flags;

	if (!nolock) {
		spin_lock_irqsave(&c->lock, flags);
	} else if (!cache_trylock(c, &flags)) {
		atomic_long_inc(&c->nolock_errors);
		print_report(c, why, &rep);
		return;
	}
	if (slab && slab->cache == c)
		fill_report(c, slab, obj, &rep);
	c->errors++;
	spin_unlock_irqrestore(&c->lock, flags);
	print_report(c, why, &rep);
}

/*
 * Whether a free of @obj may go ahead: in a slab of @c, on an object
 * boundary, and allocated: not in a CPU array, on its slab's free list,
 * fresh or quarantined. Read without the lock: nothing else moves a live
 * object, so only two frees racing (a misuse no check can order) may
 * both pass. Reported and counted when not.
 */
static __always_inline bool free_ok(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
				    void *obj, const char *why, bool nolock)
{
	int idx;

	if (unlikely(!slab)) {
		bad_free(c, NULL, obj, why, nolock);
		return false;
	}
	idx = obj_index(c, slab, obj);
	if (unlikely(idx < 0)) {
		/* No slab: nothing kept at an object's offsets lies at @obj's. */
		bad_free(c, NULL, obj, "pointer not at the start of an object (interior pointer)",
			 nolock);
		return false;
	}
	if (unlikely(READ_ONCE(*(void **)(obj + c->offset)) == cpu_mark(c, obj))) {
		bad_free(c, slab, obj,
			 "double free (object already free in a CPU array or a sheaf)", nolock);
		return false;
	}
	if (unlikely(c->debug && get_fp(c, obj) == QUARANTINED)) {
		bad_free(c, slab, obj, "free of a quarantined object", nolock);
		return false;
	}
	if (unlikely(is_on_list(c, slab, obj))) {
		bad_free(c, slab, obj, "double free (object already on its slab's free list)",
			 nolock);
		return false;
	}
	if (unlikely(is_fresh(c, slab, idx))) {
		bad_free(c, slab, obj, "free of an object never allocated", nolock);
		return false;
	}
	return true;
}

/*
 * The slab path of a free that free_ok() accepted. @nolock: a _nolock
 * call, which only tries the lock (false, nothing done, when busy) and
 * leaves surplus empty slabs for its irq_work to give back.
 */
static bool cache_free(struct slab_ext_cache *c, struct buddy_sim_owner *slab, void *obj,
		       unsigned long caller, bool nolock)
{
	struct obj_report rep;
	LIST_HEAD(released);
	unsigned long flags;
	unsigned int old;

	if (!nolock)
		spin_lock_irqsave(&c->lock, flags);
	else if (!cache_trylock(c, &flags))
		return false;
	if (c->debug) {
		if (!redzones_ok(c, obj, SLUB_RED_ACTIVE)) {
			fill_report(c, slab, obj, &rep);
			quarantine(c, obj);
			c->errors++;
			spin_unlock_irqrestore(&c->lock, flags);
			print_report(c, "red zone overwritten", &rep);
			return true;
		}
		set_track(c, obj, TRACK_FREE, caller);
		poison_object(c, obj);
		set_redzones(c, obj, SLUB_RED_INACTIVE);
	}
	old = slab->inuse;
	slab_push(c, slab, obj);
	slab_relist(c, slab, old);
	c->frees++;
	sx_trace_free(c, obj, caller);
	if (!slab->inuse && !nolock)
		take_empty_slabs(c, c->min_empty, &released);
	spin_unlock_irqrestore(&c->lock, flags);
	discard_slabs(c, &released);
	return true;
}

/*
 * Up to @n objects from the slab lists into @objs, making slabs as needed;
 * the number taken, each marked free as in a CPU array. A slab's free list
 * is taken as far as it goes, then its fresh objects, and the slab moved
 * between lists once. When all @n are had, @allocs is added to the cache's
 * allocs in the same critical section (a bulk allocation's count).
 */
static unsigned int take_objects(struct slab_ext_cache *c, gfp_t gfp, void **objs,
				 unsigned int n, u64 allocs)
{
	unsigned int got = 0, fresh, took, old, i, size = c->size;
	struct buddy_sim_owner *slab;
	struct fp_report fprep;
	bool corrupt = false;
	unsigned long flags;
	void *obj, *fp;

	spin_lock_irqsave(&c->lock, flags);
	while (got < n) {
		slab = slab_with_free(c);
		if (!slab) {
			spin_unlock_irqrestore(&c->lock, flags);
			slab = new_slab(c, gfp);
			spin_lock_irqsave(&c->lock, flags);
			if (!slab)
				break;
			list_add(&slab->slab_list, &c->empty);
			c->nr_empty++;
		}
		old = slab->inuse;
		took = 0;
		while (slab->freelist && got < n) {
			obj = freelist_pop(c, slab, &fp);
			if (unlikely(!obj)) {
				/* What was taken is counted first: the slab is isolated exactly. */
				slab->inuse += took;
				slab_relist(c, slab, old);
				c->active_objs += took;
				isolate_slab(c, slab, slab->freelist, fp, &fprep);
				corrupt = true;
				break;
			}
			set_fp(c, obj, cpu_mark(c, obj));
			objs[got++] = obj;
			took++;
		}
		if (corrupt)
			break;
		/* Then fresh ones, stacked so that they go out in address order. */
		fresh = min(n - got, slab->nr_fresh);
		if (fresh) {
			obj = slab_obj(c, slab, c->objs_per_slab - slab->nr_fresh);
			WRITE_ONCE(slab->nr_fresh, slab->nr_fresh - fresh);
			got += fresh;
			for (i = got; i > got - fresh; i--, obj += size) {
				set_fp(c, obj, cpu_mark(c, obj));
				objs[i - 1] = obj;
			}
			took += fresh;
		}
		/* One move between lists for the whole batch. */
		slab->inuse += took;
		slab_relist(c, slab, old);
		c->active_objs += took;
	}
	if (got == n)
		c->allocs += allocs;
	spin_unlock_irqrestore(&c->lock, flags);
	if (corrupt)
		print_fp_report(c, &fprep);
	return got;
}

/*
 * Give @n free objects (marked, or checked by free_ok()) back to their
 * slabs; empty slabs beyond min_empty go back to the zone. @frees is added
 * to the cache's frees in the same critical section.
 */
static void put_objects(struct slab_ext_cache *c, void **objs, unsigned int n, u64 frees)
{
	unsigned long slab_bytes = PAGE_SIZE << c->order;
	struct buddy_sim_owner *slab;
	unsigned int i, old;
	LIST_HEAD(released);
	unsigned long flags;

	if (!n)
		return;
	spin_lock_irqsave(&c->lock, flags);
	for (i = 0; i < n; ) {
		/* Frees in allocation order come in runs of one slab: one look-up, one move. */
		slab = READ_ONCE(obj_page(c, objs[i])->head);
		old = slab->inuse;
		do
			slab_push(c, slab, objs[i]);
		while (++i < n && (unsigned long)(objs[i] - slab->addr) < slab_bytes);
		slab_relist(c, slab, old);
	}
	c->frees += frees;
	take_empty_slabs(c, c->min_empty, &released);
	spin_unlock_irqrestore(&c->lock, flags);
	discard_slabs(c, &released);
}

#ifdef CONFIG_PREEMPT_RT
/*
 * This CPU's array, locked with migration off, or NULL when its lock is
 * busy (the slab lists serve then). On PREEMPT_RT a task may be preempted
 * while it holds an array, so a real lock guards it, which other CPUs'
 * drains take too.
 */
static __always_inline struct slab_ext_cpu *cpu_array_get(struct slab_ext_cache *c)
{
	struct slab_ext_cpu *pc;

	migrate_disable();
	pc = this_cpu_ptr(c->cpu);
	if (unlikely(!spin_trylock(&pc->lock))) {
		migrate_enable();
		return NULL;
	}
	return pc;
}

static __always_inline void cpu_array_put(struct slab_ext_cpu *pc)
{
	spin_unlock(&pc->lock);
	migrate_enable();
}
#else
/*
 * This CPU's array, claimed: preemption off and its busy flag set. NULL
 * when the flag is set already, which only an interrupt can find, having
 * interrupted work on the array: it uses the slab lists then. Everything
 * on this CPU that gets the array runs to the end before what it
 * interrupted resumes, so the check and the set need no atomic: this is
 * mainline's local_trylock_t (6.15) on !PREEMPT_RT, which 6.12 lacks.
 */
static __always_inline struct slab_ext_cpu *cpu_array_get(struct slab_ext_cache *c)
{
	struct slab_ext_cpu *pc;

	preempt_disable();
	pc = this_cpu_ptr(c->cpu);
	if (unlikely(READ_ONCE(pc->busy))) {
		preempt_enable();
		return NULL;
	}
	WRITE_ONCE(pc->busy, true);
	/* Set before the array is touched, as an interrupt here would see. */
	barrier();
	return pc;
}

static __always_inline void cpu_array_put(struct slab_ext_cpu *pc)
{
	/* Every access to the array done before an interrupt may take it. */
	barrier();
	WRITE_ONCE(pc->busy, false);
	preempt_enable();
}
#endif

/* What a drain of one CPU's array is to do, and whether it found it busy. */
struct slab_ext_drain {
	struct slab_ext_cache *cache;
	unsigned int limit;		/* the array's capacity afterwards */
	bool busy;
	bool done;			/* it ran */
	bool remove;			/* sheaves tier: free the sheaves, back to arrays */
	struct slab_ext_sheaf *install[2]; /* arrays tier: these become main, spare */
};

/* The sheaves tier: main's size, which count stood for, written back. */
static __always_inline void pcs_sync(struct slab_ext_cpu *pc)
{
	pc->main->size = pc->count;
}

/* @sheaf becomes main: the fast paths take and put its objects now. */
static __always_inline void pcs_set_main(struct slab_ext_cpu *pc, struct slab_ext_sheaf *sheaf)
{
	/* Read on other CPUs (cpu_array_sums()): main set means sheaves. */
	WRITE_ONCE(pc->main, sheaf);
	pc->objs = sheaf->objects;
	pc->count = sheaf->size;
	pc->limit = sheaf->capacity;
}

/* The sheaves tier: main and spare back to the slabs. They are ours. */
static void sheaves_flush(struct slab_ext_cache *c, struct slab_ext_cpu *pc)
{
	struct slab_ext_sheaf *sh[2] = { pc->main, pc->spare };
	unsigned int i, n;

	pcs_sync(pc);
	pc->count = 0;
	for (i = 0; i < ARRAY_SIZE(sh); i++) {
		n = sh[i]->size;
		if (!n)
			continue;
		put_objects(c, sh[i]->objects, n, 0);
		sh[i]->size = 0;
		pc->sheaf_adj -= n;
		pc->stat[SX_SHEAF_FLUSH] += n;
	}
}

/*
 * Empty @pc (its array, or its sheaves) into the slabs and set its
 * capacity; then change its tier if @d says so. The array is ours.
 */
static void drain_array(struct slab_ext_cache *c, struct slab_ext_cpu *pc,
			struct slab_ext_drain *d)
{
	d->done = true;
	if (pc->main) {
		sheaves_flush(c, pc);
		if (d->remove) {
			sheaf_free(pc->main);
			sheaf_free(pc->spare);
			pc->stat[SX_SHEAF_FREE] += 2;
			WRITE_ONCE(pc->main, NULL);
			pc->spare = NULL;
			pc->objs = pc->array;
			pc->limit = d->limit;
		}
		return;
	}
	if (pc->count)
		trace_mm_ext_cpu_flush(c->name, pc->count);
	put_objects(c, pc->objs, pc->count, 0);
	pc->count = 0;
	if (d->limit != SLAB_EXT_KEEP_LIMIT)
		pc->limit = d->limit;
	if (d->install[0]) {
		pc->spare = d->install[1];
		pc->sheaf_adj = pc->allocs - pc->frees;
		pc->stat[SX_SHEAF_ALLOC] += 2;
		pcs_set_main(pc, d->install[0]);
	}
}

#ifndef CONFIG_PREEMPT_RT
/* Runs on the array's CPU, in the IPI (or with interrupts off, for itself). */
static void drain_ipi(void *info)
{
	struct slab_ext_drain *d = info;
	struct slab_ext_cpu *pc = this_cpu_ptr(d->cache->cpu);

	/* This interrupted the array's own user: it tells, and is sent again. */
	d->busy = READ_ONCE(pc->busy);
	if (!d->busy)
		drain_array(d->cache, pc, d);
}
#endif

/* An IPI sent again this often at most before an array is given up. */
#define SLAB_EXT_DRAIN_TRIES	1000

/*
 * Empty @cpu's array. With @held, the caller keeps CPUs from coming and
 * going (cpus_read_lock(), or the hotplug lock in the CPU-dead callback)
 * and may wait: an online CPU's array is drained there by an IPI (sent
 * again while it finds the array busy, which lasts only until the
 * interrupted user is done with it), an offline CPU's array directly, its
 * CPU running nothing. Without, only online CPUs' arrays are drained, and
 * only where an IPI may be waited for (a preemptible task). On PREEMPT_RT
 * the array's lock is simply taken.
 */
static void drain_cpu_op(struct slab_ext_cache *c, int cpu, struct slab_ext_drain *d, bool held)
{
	struct slab_ext_cpu *pc = per_cpu_ptr(c->cpu, cpu);
#ifdef CONFIG_PREEMPT_RT
	if (in_task())
		spin_lock(&pc->lock);
	else if (!spin_trylock(&pc->lock))
		return;
	drain_array(c, pc, d);
	spin_unlock(&pc->lock);
#else
	int tries;

	if (!cpu_online(cpu)) {
		/* Unheld, it may be dying now: its CPU-dead callback empties it. */
		if (held)
			drain_array(c, pc, d);
		return;
	}
	if (!held && !preemptible())
		return;
	for (tries = 0; tries < SLAB_EXT_DRAIN_TRIES; tries++) {
		d->busy = false;
		/* -ENXIO: it went offline (unheld only); its callback empties it. */
		if (smp_call_function_single(cpu, drain_ipi, d, 1) || !d->busy)
			return;
		cond_resched();
	}
#endif
}

static void drain_cpu(struct slab_ext_cache *c, int cpu, unsigned int limit, bool held)
{
	struct slab_ext_drain d = { .cache = c, .limit = limit };

	drain_cpu_op(c, cpu, &d, held);
}

/*
 * Empty every CPU's array into the slabs, leaving each with capacity
 * @limit (or as it was). May sleep: the set of online CPUs is held still.
 */
static void drain_all(struct slab_ext_cache *c, unsigned int limit)
{
	int cpu;

	if (!c->cpu)
		return;
	cpus_read_lock();
	for_each_possible_cpu(cpu)
		drain_cpu(c, cpu, limit, true);
	cpus_read_unlock();
}

/*
 * The allocation found nothing: take back what the online CPUs' arrays
 * hold, where this context may wait for them (see drain_cpu()). Offline
 * CPUs' arrays were emptied by their CPU-dead callback.
 */
static void barn_flush(struct slab_ext_cache *c, bool free_all);

static void steal_all(struct slab_ext_cache *c)
{
	int cpu;

	for_each_online_cpu(cpu)
		drain_cpu(c, cpu, SLAB_EXT_KEEP_LIMIT, false);
	/* And the barn's full sheaves, which no CPU owns. */
	if (data_race(c->barn.nr_full))
		barn_flush(c, false);
}

/* ---- the sheaves tier (mainline 6.18: percpu sheaves and the barn) ---- */

/*
 * Where mm_ext differs from mainline's mm/slub.c, and why:
 *  - one barn per cache (mainline: per cache and node; a cache here lives
 *    in one zone, our node);
 *  - main and spare always exist while the tier is on (mainline starts
 *    with an empty bootstrap sheaf and no spare), so the paths below never
 *    test for NULL; a refill fills main in place, under the CPU's claim,
 *    since taking objects from the slabs never sleeps here (mainline
 *    unlocks to refill a new sheaf with the caller's gfp);
 *  - the hot paths never free a sheaf: an empty one always fits in the
 *    barn (their number is bounded by 2 a CPU plus the barn's full ones,
 *    as new ones are made only when the barn has no empty one), and shrink
 *    or a tier switch frees them, in a task;
 *  - objects in sheaves carry the CPU arrays' mark, so every misuse check
 *    of the arrays holds unchanged; debug caches have no per-CPU tier at
 *    all (mainline gives debug caches no sheaves either).
 */

/* A sheaf for the tier, empty: never over a page, so a kmalloc (kvfree-able). */
static struct slab_ext_sheaf *sheaf_new(struct slab_ext_cache *c, gfp_t gfp,
					unsigned int capacity);

/* The barn's first full sheaf, off its list. Barn lock held, nr_full > 0. */
static struct slab_ext_sheaf *barn_take_full(struct slab_ext_barn *b)
{
	struct slab_ext_sheaf *full = list_first_entry(&b->full, struct slab_ext_sheaf, list);

	list_del(&full->list);
	b->nr_full--;
	b->objects -= full->size;
	return full;
}

/*
 * barn_replace_empty_sheaf(): a full sheaf of the barn for @empty (this
 * CPU's main); NULL, nothing changed, when the barn has none.
 */
static struct slab_ext_sheaf *barn_replace_empty(struct slab_ext_cache *c,
						 struct slab_ext_sheaf *empty)
{
	struct slab_ext_barn *b = &c->barn;
	struct slab_ext_sheaf *full = NULL;
	unsigned long flags;

	/* As mainline: an unlocked look first, the lock only if worth it. */
	if (!data_race(b->nr_full))
		return NULL;
	spin_lock_irqsave(&b->lock, flags);
	if (b->nr_full) {
		full = barn_take_full(b);
		list_add(&empty->list, &b->empty);
		b->nr_empty++;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return full;
}

/*
 * barn_replace_full_sheaf(): an empty sheaf of the barn for @full, which
 * holds @n objects; NULL when the barn is closed or has its most full
 * ones (*@no_room), or has no empty one.
 */
static struct slab_ext_sheaf *barn_replace_full(struct slab_ext_cache *c,
						struct slab_ext_sheaf *full, unsigned int n,
						bool *no_room)
{
	struct slab_ext_barn *b = &c->barn;
	struct slab_ext_sheaf *empty = NULL;
	unsigned long flags;

	spin_lock_irqsave(&b->lock, flags);
	*no_room = !b->open || b->nr_full >= SLAB_EXT_BARN_MAX_FULL;
	if (!*no_room && b->nr_empty) {
		empty = list_first_entry(&b->empty, struct slab_ext_sheaf, list);
		list_del(&empty->list);
		b->nr_empty--;
		list_add(&full->list, &b->full);
		b->nr_full++;
		b->objects += n;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return empty;
}

/* barn_put_full_sheaf(), if the barn is open and has room for it. */
static bool barn_put_full(struct slab_ext_cache *c, struct slab_ext_sheaf *full,
			  unsigned int n)
{
	struct slab_ext_barn *b = &c->barn;
	unsigned long flags;
	bool put;

	spin_lock_irqsave(&b->lock, flags);
	put = b->open && b->nr_full < SLAB_EXT_BARN_MAX_FULL;
	if (put) {
		list_add(&full->list, &b->full);
		b->nr_full++;
		b->objects += n;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return put;
}

/*
 * The barn's full sheaves back to the slabs, kept as empty ones; with
 * @free_all every sheaf of the barn is freed instead (shrink, a tier
 * switch, destroy: a task). Any context without @free_all.
 */
static void barn_flush(struct slab_ext_cache *c, bool free_all)
{
	struct slab_ext_barn *b = &c->barn;
	struct slab_ext_sheaf *sh, *tmp;
	u64 flushed = 0, freed = 0;
	unsigned int n = 0;
	unsigned long flags;
	LIST_HEAD(full);
	LIST_HEAD(empty);

	spin_lock_irqsave(&b->lock, flags);
	list_splice_init(&b->full, &full);
	b->nr_full = 0;
	b->objects = 0;
	if (free_all) {
		list_splice_init(&b->empty, &empty);
		b->nr_empty = 0;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	list_for_each_entry(sh, &full, list) {
		put_objects(c, sh->objects, sh->size, 0);
		flushed += sh->size;
		sh->size = 0;
		n++;
	}
	if (free_all) {
		list_splice_init(&full, &empty);
		list_for_each_entry_safe(sh, tmp, &empty, list) {
			sheaf_free(sh);
			freed++;
		}
	}
	spin_lock_irqsave(&b->lock, flags);
	if (!free_all) {
		list_splice(&full, &b->empty);
		b->nr_empty += n;
	}
	b->stat[SX_SHEAF_FLUSH] += flushed;
	b->stat[SX_SHEAF_FREE] += freed;
	spin_unlock_irqrestore(&b->lock, flags);
}

/*
 * An allocation on the sheaves tier: alloc_from_pcs(), and when main is
 * empty __pcs_replace_empty_main(): the spare if it holds objects, else a
 * full sheaf of the barn, else main refilled from the slabs. Called with
 * the CPU's sheaves claimed, which it gives up. When the slabs and the
 * zone have nothing, the other CPUs' sheaves and the barn give theirs
 * back first (steal_all()), as on the arrays tier.
 */
static void *pcs_alloc(struct slab_ext_cache *c, struct slab_ext_cpu *pc,
		       gfp_t gfp, unsigned long caller)
{
	struct slab_ext_sheaf *main = pc->main, *full;
	unsigned int n;
	void *obj;

	/* Main is empty: the fast path came here with count 0. */
	pcs_sync(pc);
	if (pc->spare->size) {
		pcs_set_main(pc, pc->spare);
		pc->spare = main;
		pc->stat[SX_SHEAF_SWAP]++;
	} else {
		full = barn_replace_empty(c, main);
		if (full) {
			pcs_set_main(pc, full);
			pc->sheaf_adj += full->size;
			pc->stat[SX_BARN_GET]++;
		} else {
			pc->stat[SX_BARN_GET_FAIL]++;
			n = take_objects(c, gfp, main->objects, main->capacity, 0);
			if (unlikely(!n)) {
				cpu_array_put(pc);
				steal_all(c);
				return cache_alloc(c, gfp, caller);
			}
			pc->count = n;
			pc->sheaf_adj += n;
			pc->stat[SX_SHEAF_REFILL] += n;
		}
	}
	obj = pc->objs[--pc->count];
	pc->allocs++;
	cpu_array_put(pc);
	mark_allocated(c, obj);
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, c->object_size);
	return obj;
}

/*
 * A free on the sheaves tier, @obj marked: free_to_pcs(), and when main is
 * full __pcs_replace_full_main(): swap with an empty spare, else main to
 * the barn for an empty sheaf (a new one if the barn has none), else,
 * the barn full, main flushed to the slabs. Called with the CPU's sheaves
 * claimed, which it gives up.
 */
static void pcs_free(struct slab_ext_cache *c, struct slab_ext_cpu *pc, void *obj)
{
	struct slab_ext_sheaf *main = pc->main, *empty;
	unsigned int n = pc->count;
	bool no_room;

	/* Main is full: the fast path came here with count at its capacity. */
	pcs_sync(pc);
	if (!pc->spare->size) {
		pcs_set_main(pc, pc->spare);
		pc->spare = main;
		pc->stat[SX_SHEAF_SWAP]++;
	} else {
		empty = barn_replace_full(c, main, n, &no_room);
		if (!empty && !no_room) {
			empty = sheaf_new(c, GFP_NOWAIT, main->capacity);
			if (empty) {
				pc->stat[SX_SHEAF_ALLOC]++;
				if (!barn_put_full(c, main, n)) {
					/* Closed meanwhile (a tier switch): dropped. */
					kvfree(empty);
					pc->stat[SX_SHEAF_FREE]++;
					empty = NULL;
				}
			}
		}
		if (empty) {
			pcs_set_main(pc, empty);
			pc->sheaf_adj -= n;
			pc->stat[SX_BARN_PUT]++;
		} else {
			pc->stat[SX_BARN_PUT_FAIL]++;
			put_objects(c, main->objects, n, 0);
			main->size = 0;
			pc->count = 0;
			pc->sheaf_adj -= n;
			pc->stat[SX_SHEAF_FLUSH] += n;
		}
	}
	pc->objs[pc->count++] = obj;
	pc->frees++;
	cpu_array_put(pc);
}

/*
 * The array is empty: refill it from the slabs and hand out one object.
 * Called with the array claimed, which it gives up. When the slabs and the
 * zone have nothing, the CPUs' arrays give their objects back and the
 * slabs are tried once more: NULL only when the cache has none anywhere.
 */
static noinline void *cpu_alloc_refill(struct slab_ext_cache *c, struct slab_ext_cpu *pc,
				       gfp_t gfp, unsigned long caller)
{
	unsigned int max = READ_ONCE(c->cpu_max);
	void *obj = NULL;

	if (pc->main)
		return pcs_alloc(c, pc, gfp, caller);
	if (max) {
		/* Slow start: each refill doubles the array, up to cpu_max. */
		pc->limit = clamp(pc->limit * 2, 1U, max);
		pc->count = take_objects(c, gfp, pc->objs, max(pc->limit / 2, 1U), 0);
		if (likely(pc->count)) {
			trace_mm_ext_cpu_refill(c->name, pc->count);
			obj = pc->objs[--pc->count];
			pc->allocs++;
		}
	}
	cpu_array_put(pc);
	if (unlikely(!obj)) {
		/* Turned off, or nothing left: other CPUs' arrays may hold some. */
		if (max)
			steal_all(c);
		return cache_alloc(c, gfp, caller);
	}
	mark_allocated(c, obj);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	return obj;
}

/*
 * A free the fast path left: the array is full or turned off. Called with
 * the array claimed, which it gives up.
 */
static noinline void cpu_free_slow(struct slab_ext_cache *c, struct slab_ext_cpu *pc,
				   void *obj)
{
	unsigned int batch, max = READ_ONCE(c->cpu_max);

	if (pc->main) {
		pcs_free(c, pc, obj);
		return;
	}
	if (!max || !pc->limit) {
		/* Turned off: straight to the slabs. */
		pc->frees++;
		cpu_array_put(pc);
		put_objects(c, &obj, 1, 0);
		return;
	}
	/*
	 * Full. Slow start on this side too, so a CPU that only frees (the
	 * consumer of a producer/consumer pair) also moves objects in big
	 * batches: grow while below the bound, then the oldest half goes
	 * back to the slabs.
	 */
	if (pc->limit < max)
		pc->limit = min(pc->limit * 2, max);
	if (pc->count >= pc->limit) {
		batch = min(max(pc->limit / 2, 1U), pc->count);
		trace_mm_ext_cpu_flush(c->name, batch);
		put_objects(c, pc->objs, batch, 0);
		pc->count -= batch;
		memmove(pc->objs, pc->objs + batch, pc->count * sizeof(void *));
	}
	pc->objs[pc->count++] = obj;
	pc->frees++;
	cpu_array_put(pc);
}

/* One free object, already marked, back to its slab, counted as a free. */
static noinline void put_object_counted(struct slab_ext_cache *c, void *obj)
{
	put_objects(c, &obj, 1, 1);
}

/*
 * This CPU's array's last object, no call made: NULL when the slow path
 * must serve (no array, the array claimed by what this interrupted, or
 * empty). Not marked allocated yet.
 */
static __always_inline void *cpu_pop(struct slab_ext_cache *c)
{
	struct slab_ext_cpu *pc;
	void *obj;

	if (unlikely(!c->cpu))
		return NULL;
	pc = cpu_array_get(c);
	if (unlikely(!pc))
		return NULL;
	if (unlikely(!pc->count)) {
		cpu_array_put(pc);
		return NULL;
	}
	obj = pc->objs[--pc->count];
	pc->allocs++;
	cpu_array_put(pc);
	return obj;
}

/* Through this CPU's array when the cache has one, else the slab path. */
static __always_inline void *sx_alloc(struct slab_ext_cache *c, gfp_t gfp,
				      unsigned long caller)
{
	struct slab_ext_cpu *pc;
	void *obj;

	if (unlikely(!c->cpu))
		return cache_alloc(c, gfp, caller);
	pc = cpu_array_get(c);
	if (unlikely(!pc))
		return cache_alloc(c, gfp, caller);
	if (unlikely(!pc->count))
		return cpu_alloc_refill(c, pc, gfp, caller);
	obj = pc->objs[--pc->count];
	pc->allocs++;
	cpu_array_put(pc);
	mark_allocated(c, obj);
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, c->object_size);
	return obj;
}

/* A free in a cache without CPU arrays (debug ones): the slab path. */
static noinline void sx_free_slabs(struct slab_ext_cache *c, struct buddy_sim_owner *slab,
				   void *obj, unsigned long caller)
{
	cache_free(c, slab, obj, caller, false);
}

/*
 * A free of a marked object that this CPU's array cannot take now (@pc
 * NULL: claimed by what this interrupted; else full or turned off), traced.
 */
static noinline void sx_free_slow(struct slab_ext_cache *c, struct slab_ext_cpu *pc,
				  void *obj, unsigned long caller)
{
	if (!pc)
		put_object_counted(c, obj);
	else
		cpu_free_slow(c, pc, obj);
	sx_trace_free(c, obj, caller);
}

/*
 * The rest of a free, traced, whose object is marked as free already if
 * the cache has CPU arrays (by sx_free_accepted(), or by a _nolock free
 * that deferred it). Off the fast path only by tail calls: it saves no
 * register.
 */
static __always_inline void sx_free_marked(struct slab_ext_cache *c,
					   struct buddy_sim_owner *slab, void *obj,
					   unsigned long caller)
{
	struct slab_ext_cpu *pc;

	if (unlikely(!c->cpu)) {
		sx_free_slabs(c, slab, obj, caller);
		return;
	}
	pc = cpu_array_get(c);
	if (unlikely(!pc || pc->count >= pc->limit)) {
		sx_free_slow(c, pc, obj, caller);
		return;
	}
	pc->objs[pc->count++] = obj;
	pc->frees++;
	cpu_array_put(pc);
	if (unlikely(sx_tracing_free()))
		sx_trace_free_on(c, obj, caller);
}

/* Free @obj of @slab, which free_ok() (or the same checks) accepted. */
static __always_inline void sx_free_accepted(struct slab_ext_cache *c,
					     struct buddy_sim_owner *slab, void *obj,
					     unsigned long caller)
{
	/* Marked first: a second free finds it wherever it goes from here. */
	if (likely(c->cpu))
		set_fp(c, obj, cpu_mark(c, obj));
	sx_free_marked(c, slab, obj, caller);
}

/*
 * Free @obj, found in @slab (NULL if it is not in one of @c's: @why says
 * what it is then).
 */
static __always_inline void sx_free_slab(struct slab_ext_cache *c,
					 struct buddy_sim_owner *slab, void *obj,
					 const char *why, unsigned long caller)
{
	if (unlikely(!free_ok(c, slab, obj, why, false)))
		return;
	sx_free_accepted(c, slab, obj, caller);
}

static __always_inline void sx_free(struct slab_ext_cache *c, void *obj,
				    unsigned long caller)
{
	const char *why = NULL;
	/* First: the call below reads @why, which this sets. */
	struct buddy_sim_owner *slab = obj_to_slab(c, obj, &why);

	sx_free_slab(c, slab, obj, why, caller);
}

/* An allocation cpu_pop() could not serve: the whole way, traced. */
static noinline void *sx_alloc_slow(struct slab_ext_cache *c, gfp_t gfp, unsigned long caller)
{
	void *obj = sx_alloc(c, gfp, caller);

	if (obj)
		sx_trace_alloc(c, obj, caller, gfp);
	return obj;
}

/*
 * The rarer endings of an allocation from a CPU array or a sheaf,
 * __GFP_ZERO and tracing, out of line: the fast paths save no register.
 */
static noinline void *sx_alloc_done(struct slab_ext_cache *c, void *obj, gfp_t gfp,
				    unsigned long caller)
{
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	sx_trace_alloc(c, obj, caller, gfp);
	return obj;
}

/**
 * slab_ext_alloc() - allocate an object from a cache
 * @cache: the cache
 * @gfp: allocation flags for a new slab; __GFP_ZERO zeroes the object
 *
 * Takes an object from this CPU's array, else from a partial slab, an
 * empty one, or a new slab from the cache's zone; when even the zone has
 * nothing, from what other CPUs' arrays hold. Never sleeps.
 *
 * Return: the object, or NULL when the cache has no free object anywhere
 * and the zone no block for a new slab.
 */
void *slab_ext_alloc(struct slab_ext_cache *cache, gfp_t gfp)
{
	void *obj = cpu_pop(cache);

	/* Off the fast path only by tail calls: it saves no register. */
	if (unlikely(!obj))
		return sx_alloc_slow(cache, gfp, _RET_IP_);
	mark_allocated(cache, obj);
	if (unlikely((gfp & __GFP_ZERO) || sx_tracing_alloc()))
		return sx_alloc_done(cache, obj, gfp, _RET_IP_);
	return obj;
}
EXPORT_SYMBOL_GPL(slab_ext_alloc);

/**
 * slab_ext_free() - give an object back to its cache
 * @cache: the cache it was allocated from
 * @obj: the object, or NULL (a no-op)
 *
 * A pointer outside the cache's slabs or off an object boundary, an object
 * not allocated (a double free, wherever the first free put it) and, with
 * debugging on, an overwritten red zone are reported with one "mm_ext:"
 * line and counted in the cache's errors; the object is then left alone
 * (or quarantined), never freed.
 */
void slab_ext_free(struct slab_ext_cache *cache, void *obj)
{
	if (obj)
		sx_free(cache, obj, _RET_IP_);
}
EXPORT_SYMBOL_GPL(slab_ext_free);

/**
 * slab_ext_shrink() - give every empty slab back to the zone
 * @cache: the cache
 *
 * The CPU arrays are emptied into the slabs first, so every slab left
 * holds objects in use.
 *
 * Return: 0.
 */
int slab_ext_shrink(struct slab_ext_cache *cache)
{
	LIST_HEAD(released);
	unsigned long flags;

	if (atomic_long_read(&sx_defer_pending))
		sx_defer_flush();
	drain_all(cache, SLAB_EXT_KEEP_LIMIT);
	/* The sheaves tier's barn too: its full sheaves flushed, all freed. */
	barn_flush(cache, true);
	spin_lock_irqsave(&cache->lock, flags);
	take_empty_slabs(cache, 0, &released);
	spin_unlock_irqrestore(&cache->lock, flags);
	discard_slabs(cache, &released);
	return 0;
}
EXPORT_SYMBOL_GPL(slab_ext_shrink);

/* ---- prefilled sheaves and bulk (mainline 6.18, kmem_cache_*_bulk) ---- */

/*
 * A debug cache's objects just taken from the slabs: those written while
 * free are quarantined and reported, as cache_alloc() does. The good ones
 * are packed at the front of @objs; their number.
 */
static noinline unsigned int check_taken(struct slab_ext_cache *c, void **objs,
					 unsigned int n)
{
	unsigned int i, good = 0;
	struct obj_report rep;
	unsigned long flags;
	void *obj;

	for (i = 0; i < n; i++) {
		obj = objs[i];
		if (likely(poison_ok(c, obj) && redzones_ok(c, obj, SLUB_RED_INACTIVE))) {
			objs[good++] = obj;
			continue;
		}
		spin_lock_irqsave(&c->lock, flags);
		fill_report(c, READ_ONCE(obj_page(c, obj)->head), obj, &rep);
		quarantine(c, obj);
		c->errors++;
		spin_unlock_irqrestore(&c->lock, flags);
		print_report(c, "written while free (write after free)", &rep);
	}
	return good;
}

/*
 * Exactly @n free objects of @c into @objs, each marked free as in a CPU
 * array and, in a debug cache, checked; or none, and false (counted as a
 * failure). What the slabs and the zone cannot give, the CPU arrays are
 * asked for (as cpu_alloc_refill() does) before giving up. On success
 * @allocs is added to the cache's allocs, in the last critical section
 * where it can be.
 */
static bool take_all(struct slab_ext_cache *c, gfp_t gfp, void **objs, unsigned int n,
		     u64 allocs)
{
	bool stolen = !c->cpu, debug = c->debug;
	unsigned int got = 0, took;
	unsigned long flags;

	while (got < n) {
		took = take_objects(c, gfp, objs + got, n - got, debug ? 0 : allocs);
		/* Quarantined ones are progress too: the next try takes others. */
		got += unlikely(debug) && took ? check_taken(c, objs + got, took) : took;
		if (took)
			continue;
		if (!stolen) {
			/* Other CPUs' arrays may hold some: back to the slabs, once. */
			stolen = true;
			steal_all(c);
			continue;
		}
		put_objects(c, objs, got, 0);
		spin_lock_irqsave(&c->lock, flags);
		c->failures++;
		spin_unlock_irqrestore(&c->lock, flags);
		return false;
	}
	if (debug && allocs) {
		spin_lock_irqsave(&c->lock, flags);
		c->allocs += allocs;
		spin_unlock_irqrestore(&c->lock, flags);
	}
	return true;
}

/* @obj, marked free and checked, goes to a user (not counted here). */
static __always_inline void hand_out(struct slab_ext_cache *c, void *obj, gfp_t gfp,
				     unsigned long caller)
{
	if (unlikely(c->debug)) {
		set_redzones(c, obj, SLUB_RED_ACTIVE);
		set_track(c, obj, TRACK_ALLOC, caller);
	}
	mark_allocated(c, obj);
	if (unlikely(gfp & __GFP_ZERO))
		memset(obj, 0, c->object_size);
}

/* A sheaf call the cache refuses: counted and reported. */
static noinline void sheaf_misuse(struct slab_ext_cache *c, const void *sheaf,
				  const char *fn, const char *why)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->errors++;
	spin_unlock_irqrestore(&c->lock, flags);
	mm_ext_report(MM_EXT_CACHE, c->name, mm_ext_misuse_of(why, MM_EXT_MISUSE_BAD_CALL), sheaf,
		      "cache %s: %s of sheaf %p: %s\n", c->name, fn, sheaf, why);
}

/* The slot of @c's table of prefilled sheaves that @sheaf goes in. */
static __always_inline struct slab_ext_sheaf **
sheaf_slot(struct slab_ext_cache *c, const struct slab_ext_sheaf *sheaf)
{
	return &c->sheaf_slot[hash_ptr(sheaf, SLAB_EXT_SHEAF_SLOT_BITS)];
}

/* sheaf_register() of a sheaf whose slot is taken: the list's part. */
static noinline struct slab_ext_sheaf *sheaf_list(struct slab_ext_cache *c,
						  struct slab_ext_sheaf *sheaf)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	list_add(&sheaf->list, &c->sheaves);
	spin_unlock_irqrestore(&c->lock, flags);
	return sheaf;
}

/*
 * A sheaf just prefilled becomes one of @c's: in its slot, or on the
 * list. Returns it.
 */
static __always_inline struct slab_ext_sheaf *sheaf_register(struct slab_ext_cache *c,
							     struct slab_ext_sheaf *sheaf)
{
	struct slab_ext_sheaf **slot = sheaf_slot(c, sheaf);

	/* A full barrier: what the sheaf holds is set before a reader finds it. */
	if (likely(!cmpxchg(slot, NULL, sheaf)))
		return sheaf;
	return sheaf_list(c, sheaf);
}

/* sheaf_unregister() of a sheaf not in its slot: the list's part. */
static noinline bool sheaf_unlist(struct slab_ext_cache *c, struct slab_ext_sheaf *sheaf)
{
	struct slab_ext_sheaf *s;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&c->lock, flags);
	list_for_each_entry(s, &c->sheaves, list) {
		if (s == sheaf) {
			list_del(&s->list);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return found;
}

/* sheaf_unregister()'s first part: whether @sheaf was in its slot (now cleared). */
static __always_inline bool sheaf_unslot(struct slab_ext_cache *c,
					 struct slab_ext_sheaf *sheaf)
{
	return cmpxchg(sheaf_slot(c, sheaf), sheaf, NULL) == sheaf;
}

/*
 * Whether @sheaf is one of @c's prefilled sheaves. If it is, it is one no
 * longer and the caller owns it: of two calls racing on one sheaf, one
 * finds it. Nothing is read through @sheaf unless it is one.
 */
static __always_inline bool sheaf_unregister(struct slab_ext_cache *c,
					     struct slab_ext_sheaf *sheaf)
{
	if (unlikely(!sheaf))
		return false;
	if (likely(sheaf_unslot(c, sheaf)))
		return true;
	return sheaf_unlist(c, sheaf);
}

/* A sheaf with room for @capacity objects, none in it yet. */
static struct slab_ext_sheaf *sheaf_new(struct slab_ext_cache *c, gfp_t gfp,
					unsigned int capacity)
{
	struct slab_ext_sheaf *sheaf;

	sheaf = kvmalloc(struct_size(sheaf, objects, capacity),
			 (gfp & ~__GFP_ZERO) | __GFP_NOWARN);
	if (!sheaf)
		return NULL;
	INIT_LIST_HEAD(&sheaf->list);
	sheaf->cache = c;
	sheaf->capacity = capacity;
	sheaf->size = 0;
	sheaf->allocs = 0;
	return sheaf;
}

/*
 * Prefill on the sheaves tier: a full sheaf of the barn when @count fits
 * in one (mainline's kmem_cache_prefill_sheaf() fast path); NULL if not.
 */
static struct slab_ext_sheaf *barn_get_prefill(struct slab_ext_cache *c, unsigned int count)
{
	struct slab_ext_barn *b = &c->barn;
	struct slab_ext_sheaf *sheaf = NULL;
	unsigned long flags;

	if (!READ_ONCE(c->sheaves_tier))
		return NULL;
	spin_lock_irqsave(&b->lock, flags);
	if (b->open && b->nr_full && count <= READ_ONCE(c->sheaf_capacity)) {
		sheaf = barn_take_full(b);
		sheaf->allocs = 0;
		b->stat[SX_SHEAF_PREFILL_FAST]++;
	} else {
		b->stat[SX_SHEAF_PREFILL_SLOW]++;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return sheaf;
}

/*
 * @k object pointers copied. The fast paths of prefill and return copy a
 * few (SLAB_EXT_SHEAF_FAST at most), where a call to memcpy() would cost
 * more than the copy and make them save registers.
 */
static __always_inline void objs_copy(void **dst, void *const *src, unsigned int k)
{
	if (!__builtin_constant_p(k) && k > SLAB_EXT_SHEAF_FAST) {
		memcpy(dst, src, k * sizeof(void *));
		return;
	}
	if (likely(k == 1)) {
		dst[0] = src[0];
		return;
	}
	while (k--)
		dst[k] = src[k];
}

/*
 * Up to @n free objects from this claimed CPU's array or main sheaf into
 * @objs: how many. They stay marked as they were (in use for their
 * slabs, free for the cache), so no counter moves but the tier's.
 */
static __always_inline unsigned int pcs_move_out(struct slab_ext_cpu *pc, void **objs,
						 unsigned int n)
{
	unsigned int k = min(pc->count, n);

	pc->count -= k;
	objs_copy(objs, pc->objs + pc->count, k);
	if (pc->main)
		pc->sheaf_adj -= k;
	return k;
}

/*
 * The last of @n free objects of @objs into this claimed CPU's array or
 * main sheaf while it has room: how many it took.
 */
static __always_inline unsigned int pcs_move_in(struct slab_ext_cpu *pc, void **objs,
						unsigned int n)
{
	unsigned int k = pc->count < pc->limit ? min(pc->limit - pc->count, n) : 0;

	objs_copy(pc->objs + pc->count, objs + n - k, k);
	pc->count += k;
	if (pc->main)
		pc->sheaf_adj += k;
	return k;
}

/*
 * Prefill's lockless part, under one claim of this CPU: with @sheaf NULL,
 * the CPU's stashed empty sheaf if it has room for @count (else NULL,
 * nothing done); then as many of the @count objects as the CPU's array or
 * main sheaf holds, moved into the sheaf (its size says how many).
 */
static struct slab_ext_sheaf *prefill_from_cpu(struct slab_ext_cache *c,
					       struct slab_ext_sheaf *sheaf,
					       unsigned int count)
{
	struct slab_ext_cpu *pc;

	if (!c->cpu)
		return sheaf;
	pc = cpu_array_get(c);
	if (unlikely(!pc))
		return sheaf;
	if (!sheaf && pc->stash && pc->stash->capacity >= count) {
		sheaf = pc->stash;
		pc->stash = NULL;
		sheaf->allocs = 0;
	}
	if (sheaf)
		sheaf->size = pcs_move_out(pc, sheaf->objects, count);
	cpu_array_put(pc);
	return sheaf;
}

/*
 * A sheaf off every list and its free objects: the objects to this CPU's
 * array or main sheaf while it has room, the rest to the slabs; the
 * sheaf stashed on this CPU if it is a regular one and the slot is free,
 * else freed.
 */
static void stash_put(struct slab_ext_cache *c, struct slab_ext_sheaf *sheaf)
{
	struct slab_ext_cpu *pc = c->cpu ? cpu_array_get(c) : NULL;

	if (pc)
		sheaf->size -= pcs_move_in(pc, sheaf->objects, sheaf->size);
	/* Under the claim is fine: the cache lock nests inside it. */
	put_objects(c, sheaf->objects, sheaf->size, 0);
	sheaf->size = 0;
	/* As every write of a stash that sets it: see slab_ext_return_sheaf(). */
	if (pc && sheaf->capacity == READ_ONCE(c->sheaf_capacity) &&
	    !cmpxchg_local(&pc->stash, NULL, sheaf))
		sheaf = NULL;
	if (pc)
		cpu_array_put(pc);
	sheaf_free(sheaf);
}

/*
 * A returned sheaf (off the cache's list): kept in the barn if the tier is
 * sheaves and its capacity the barn's (full, or flushed as an empty one),
 * as mainline's kmem_cache_return_sheaf(); else flushed and freed. A task.
 */
static void sheaf_give_back(struct slab_ext_cache *c, struct slab_ext_sheaf *sheaf)
{
	struct slab_ext_barn *b = &c->barn;
	bool full = sheaf->size == sheaf->capacity, kept = false;
	unsigned int flushed = 0;
	unsigned long flags;

	if (!READ_ONCE(c->sheaves_tier)) {
		/* Arrays tier: what is left to this CPU's array, the sheaf kept. */
		stash_put(c, sheaf);
		return;
	}
	if (!full && sheaf->size) {
		put_objects(c, sheaf->objects, sheaf->size, 0);
		flushed = sheaf->size;
		sheaf->size = 0;
	}
	spin_lock_irqsave(&b->lock, flags);
	if (b->open && sheaf->capacity == READ_ONCE(c->sheaf_capacity)) {
		if (full && b->nr_full < SLAB_EXT_BARN_MAX_FULL) {
			list_add(&sheaf->list, &b->full);
			b->nr_full++;
			b->objects += sheaf->size;
			kept = true;
		} else if (!full && b->nr_empty < SLAB_EXT_BARN_MAX_EMPTY) {
			list_add(&sheaf->list, &b->empty);
			b->nr_empty++;
			kept = true;
		}
	}
	if (READ_ONCE(c->sheaves_tier))
		b->stat[kept ? SX_SHEAF_RETURN_FAST : SX_SHEAF_RETURN_SLOW]++;
	if (!kept && full)
		flushed += sheaf->size;
	b->stat[SX_SHEAF_FLUSH] += flushed;
	spin_unlock_irqrestore(&b->lock, flags);
	if (kept)
		return;
	put_objects(c, sheaf->objects, sheaf->size, 0);
	sheaf_free(sheaf);
}

/* A prefill or refill that could not be had: counted. */
static noinline void sheaf_failed(struct slab_ext_cache *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->sheaf_failures++;
	spin_unlock_irqrestore(&c->lock, flags);
}

/* Every other prefill: the barn, the CPU's part, a new sheaf, the slabs. */
static noinline struct slab_ext_sheaf *prefill_slow(struct slab_ext_cache *cache, gfp_t gfp,
						    unsigned int count)
{
	struct slab_ext_sheaf *sheaf;
	unsigned int n;

	/* Sheaves tier: a full sheaf of the barn, if the count fits (mainline). */
	sheaf = barn_get_prefill(cache, count);
	if (sheaf)
		goto out;
	/* More than the zone could ever hold fails without asking. */
	if (count > cache->max_objs)
		goto fail;
	/* This CPU's free objects first, as mainline takes its spare sheaf's. */
	sheaf = prefill_from_cpu(cache, NULL, count);
	if (!sheaf) {
		sheaf = sheaf_new(cache, gfp, max(count, READ_ONCE(cache->sheaf_capacity)));
		if (!sheaf)
			goto fail;
		prefill_from_cpu(cache, sheaf, count);
	}
	n = sheaf->size;
	if (n < count && !take_all(cache, gfp, sheaf->objects + n, count - n, 0)) {
		stash_put(cache, sheaf);
		goto fail;
	}
	sheaf->size = count;
out:
	return sheaf_register(cache, sheaf);
fail:
	sheaf_failed(cache);
	return NULL;
}

/**
 * slab_ext_prefill_sheaf() - set objects aside for allocations that must not fail
 * @cache: the cache
 * @gfp: allocation flags for the sheaf and for new slabs (it may sleep if
 *	 they allow it)
 * @count: objects wanted; more than the cache's sheaf capacity is allowed
 *	   (an oversize sheaf, only slower)
 *
 * As mainline's kmem_cache_prefill_sheaf(): the objects are taken from the
 * cache now (they count as in use in its slabs, as free in its counters),
 * so that slab_ext_alloc_from_sheaf() can hand them out later, in a
 * critical section where an allocation must not fail. mm_ext fills the
 * sheaf with exactly @count objects (mainline fills a regular sheaf to its
 * capacity), except on the sheaves tier, where a @count up to the sheaf
 * capacity takes a full sheaf of the barn when it has one, as mainline
 * does. Give it back with slab_ext_return_sheaf().
 *
 * Return: the sheaf, holding at least @count objects, or NULL when they
 * cannot all be had (nothing is left taken then).
 */
struct slab_ext_sheaf *slab_ext_prefill_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
					      unsigned int count)
{
	struct slab_ext_sheaf *sheaf;
	struct slab_ext_cpu *pc;

	/*
	 * The fast path, on the arrays tier: this CPU's stashed sheaf with
	 * a few of its free objects moved in, under one claim, no lock
	 * taken and no call made but tail calls (so no register saved).
	 */
	if (unlikely(count > SLAB_EXT_SHEAF_FAST || !cache->cpu))
		return prefill_slow(cache, gfp, count);
	pc = cpu_array_get(cache);
	if (unlikely(!pc))
		return prefill_slow(cache, gfp, count);
	sheaf = pc->stash;
	/* A main sheaf means the sheaves tier: the barn first, as mainline. */
	if (unlikely(!sheaf || pc->main || count > pc->count || count > sheaf->capacity)) {
		cpu_array_put(pc);
		return prefill_slow(cache, gfp, count);
	}
	pc->stash = NULL;
	pcs_move_out(pc, sheaf->objects, count);
	cpu_array_put(pc);
	WRITE_ONCE(sheaf->allocs, 0);
	WRITE_ONCE(sheaf->size, count);
	return sheaf_register(cache, sheaf);
}
EXPORT_SYMBOL_GPL(slab_ext_prefill_sheaf);

/* A debug cache's object from @sheaf: checked again, as it rested free there. */
static void *sheaf_take_debug(struct slab_ext_cache *c, gfp_t gfp,
			      struct slab_ext_sheaf *sheaf, unsigned long caller)
{
	unsigned int size = sheaf->size;
	void *obj;

	if (!size)
		return NULL;
	while (size) {
		obj = sheaf->objects[--size];
		WRITE_ONCE(sheaf->size, size);
		if (check_taken(c, &obj, 1)) {
			WRITE_ONCE(sheaf->allocs, sheaf->allocs + 1);
			hand_out(c, obj, gfp, caller);
			return obj;
		}
	}
	/* Every object left was written while it rested: the slabs serve. */
	return cache_alloc(c, gfp, caller);
}

/* slab_ext_alloc_from_sheaf() in a debug cache: the object traced too. */
static noinline void *sheaf_alloc_debug(struct slab_ext_cache *c, gfp_t gfp,
					struct slab_ext_sheaf *sheaf, unsigned long caller)
{
	void *obj = sheaf_take_debug(c, gfp, sheaf, caller);

	if (obj)
		sx_trace_alloc(c, obj, caller, gfp);
	return obj;
}

/* slab_ext_alloc_from_sheaf() of a sheaf not @c's: reported, NULL. */
static noinline void *sheaf_alloc_misuse(struct slab_ext_cache *c, struct slab_ext_sheaf *sheaf)
{
	sheaf_misuse(c, sheaf, "slab_ext_alloc_from_sheaf", "not a sheaf of this cache");
	return NULL;
}

/**
 * slab_ext_alloc_from_sheaf() - an object from a prefilled sheaf
 * @cache: the cache the sheaf was prefilled from
 * @gfp: only __GFP_ZERO matters (the object is zeroed)
 * @sheaf: the sheaf
 *
 * Takes no lock and cannot fail while the sheaf holds an object, as
 * mainline's kmem_cache_alloc_from_sheaf(). The object is freed with
 * slab_ext_free() as any other. (In a debug cache an object written while
 * it rested in the sheaf is reported and quarantined, and the next one is
 * taken; if none is left, the cache's slabs serve.)
 *
 * Return: the object, or NULL when the sheaf is empty (or is not one of
 * @cache's: reported).
 */
void *slab_ext_alloc_from_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
				struct slab_ext_sheaf *sheaf)
{
	unsigned int size;
	void *obj;

	if (unlikely(!sheaf || sheaf->cache != cache))
		return sheaf_alloc_misuse(cache, sheaf);
	if (unlikely(cache->debug))
		return sheaf_alloc_debug(cache, gfp, sheaf, _RET_IP_);
	size = sheaf->size;
	if (unlikely(!size))
		return NULL;
	obj = sheaf->objects[--size];
	/* Marked: the cache's counters read these while it runs. */
	WRITE_ONCE(sheaf->size, size);
	WRITE_ONCE(sheaf->allocs, sheaf->allocs + 1);
	/* hand_out() of a cache without debugging. */
	mark_allocated(cache, obj);
	if (unlikely((gfp & __GFP_ZERO) || sx_tracing_alloc()))
		return sx_alloc_done(cache, obj, gfp, _RET_IP_);
	return obj;
}
EXPORT_SYMBOL_GPL(slab_ext_alloc_from_sheaf);

/**
 * slab_ext_refill_sheaf() - top a prefilled sheaf up
 * @cache: the cache the sheaf was prefilled from
 * @gfp: allocation flags, as for slab_ext_prefill_sheaf()
 * @sheafp: the sheaf; replaced by a bigger one when @count exceeds its
 *	    capacity (its objects move over, the old one is freed)
 * @count: objects the sheaf must hold afterwards
 *
 * As mainline's kmem_cache_refill_sheaf(). A sheaf holding @count objects
 * or more is left as it is.
 *
 * Return: 0; -ENOMEM when the objects cannot all be had (the sheaf is then
 * as it was); -EINVAL for a NULL or unknown sheaf (reported).
 */
int slab_ext_refill_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
			  struct slab_ext_sheaf **sheafp, unsigned int count)
{
	struct slab_ext_sheaf *sheaf, *bigger = NULL;
	unsigned long flags;
	unsigned int size;

	if (!sheafp || !*sheafp) {
		sheaf_misuse(cache, NULL, "slab_ext_refill_sheaf", "no sheaf");
		return -EINVAL;
	}
	sheaf = *sheafp;
	/* Ours while it is refilled; one of the cache's again afterwards. */
	if (!sheaf_unregister(cache, sheaf)) {
		sheaf_misuse(cache, sheaf, "slab_ext_refill_sheaf",
			     "not a prefilled sheaf of this cache");
		return -EINVAL;
	}
	size = sheaf->size;
	if (size >= count)
		goto out;
	if (count > sheaf->capacity) {
		bigger = count <= cache->max_objs ? sheaf_new(cache, gfp, count) : NULL;
		if (!bigger)
			goto fail;
	}
	if (!take_all(cache, gfp, (bigger ?: sheaf)->objects + size, count - size, 0)) {
		kvfree(bigger);
		goto fail;
	}
	if (bigger) {
		memcpy(bigger->objects, sheaf->objects, size * sizeof(void *));
		bigger->allocs = sheaf->allocs;
		sheaf_free(sheaf);
		sheaf = bigger;
		*sheafp = bigger;
	}
	WRITE_ONCE(sheaf->size, count);
	spin_lock_irqsave(&cache->lock, flags);
	cache->sheaf_refills++;
	spin_unlock_irqrestore(&cache->lock, flags);
out:
	sheaf_register(cache, sheaf);
	return 0;
fail:
	sheaf_register(cache, sheaf);
	sheaf_failed(cache);
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(slab_ext_refill_sheaf);

/* Every other return of a sheaf taken back: counted under the lock, given back. */
static noinline void return_slow(struct slab_ext_cache *c, struct slab_ext_sheaf *sheaf)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->sheaf_returns++;
	c->allocs += sheaf->allocs;
	spin_unlock_irqrestore(&c->lock, flags);
	sheaf_give_back(c, sheaf);
}

/* A return of a sheaf not in its slot: on the list, or not one (reported). */
static noinline void return_unlisted(struct slab_ext_cache *c, struct slab_ext_sheaf *sheaf)
{
	if (!sheaf_unlist(c, sheaf)) {
		sheaf_misuse(c, sheaf, "slab_ext_return_sheaf",
			     "not a prefilled sheaf of this cache (returned twice?)");
		return;
	}
	return_slow(c, sheaf);
}

/**
 * slab_ext_return_sheaf() - give a prefilled sheaf and its objects back
 * @cache: the cache the sheaf was prefilled from
 * @gfp: unused (mainline may refill a returned sheaf for its barn)
 * @sheaf: the sheaf, or NULL (a no-op); it is freed
 *
 * The objects left in it go back to their slabs. A sheaf that is not one
 * of @cache's prefilled sheaves (returned already, or another cache's) is
 * reported and left alone.
 */
void slab_ext_return_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
			   struct slab_ext_sheaf *sheaf)
{
	struct slab_ext_cpu *pc;
	unsigned int n;
	u64 allocs;

	if (!sheaf)
		return;
	/* sheaf_unregister(), its list part a tail call. */
	if (unlikely(!sheaf_unslot(cache, sheaf)))
		return return_unlisted(cache, sheaf);
	/*
	 * Ours now. The fast path, on the arrays tier: the few objects left
	 * to this CPU's array and the sheaf stashed there, under one claim,
	 * no lock taken and no call made but tail calls.
	 */
	n = sheaf->size;
	if (unlikely(n > SLAB_EXT_SHEAF_FAST || !cache->cpu || READ_ONCE(cache->sheaves_tier) ||
		     sheaf->capacity != READ_ONCE(cache->sheaf_capacity)))
		return return_slow(cache, sheaf);
	allocs = sheaf->allocs;
#ifndef CONFIG_PREEMPT_RT
	/*
	 * Empty, as a sheaf used up is: only stashed, by one instruction
	 * that an interrupt cannot split, as every write of a stash is (a
	 * claimed section only clears one it found set).
	 */
	if (!n) {
		if (unlikely(this_cpu_cmpxchg(cache->cpu->stash, NULL, sheaf)))
			return return_slow(cache, sheaf);
		this_cpu_inc(cache->cpu->sheaf_returns);
		this_cpu_add(cache->cpu->sheaf_allocs, allocs);
		return;
	}
#endif
	pc = cpu_array_get(cache);
	if (unlikely(!pc))
		return return_slow(cache, sheaf);
	if (unlikely(pc->main || pc->count + n > pc->limit ||
		     cmpxchg_local(&pc->stash, NULL, sheaf))) {
		cpu_array_put(pc);
		return return_slow(cache, sheaf);
	}
	pcs_move_in(pc, sheaf->objects, n);
	WRITE_ONCE(sheaf->size, 0);
	this_cpu_inc(cache->cpu->sheaf_returns);
	this_cpu_add(cache->cpu->sheaf_allocs, allocs);
	cpu_array_put(pc);
}
EXPORT_SYMBOL_GPL(slab_ext_return_sheaf);

/**
 * slab_ext_sheaf_size() - how many objects a sheaf holds
 * @sheaf: the sheaf, or NULL
 *
 * Return: the objects slab_ext_alloc_from_sheaf() can still hand out; 0
 * for NULL.
 */
unsigned int slab_ext_sheaf_size(struct slab_ext_sheaf *sheaf)
{
	return sheaf ? READ_ONCE(sheaf->size) : 0;
}
EXPORT_SYMBOL_GPL(slab_ext_sheaf_size);

/* At destroy: sheaves never returned give their objects back; how many. */
static unsigned long reclaim_sheaves(struct slab_ext_cache *c)
{
	struct slab_ext_sheaf *sheaf, *tmp;
	unsigned long n = 0;
	unsigned int i;
	LIST_HEAD(out);

	for (i = 0; i < ARRAY_SIZE(c->sheaf_slot); i++) {
		sheaf = xchg(&c->sheaf_slot[i], NULL);
		if (sheaf)
			list_add(&sheaf->list, &out);
	}
	list_splice_init(&c->sheaves, &out);
	list_for_each_entry_safe(sheaf, tmp, &out, list) {
		list_del(&sheaf->list);
		put_objects(c, sheaf->objects, sheaf->size, 0);
		sheaf_free(sheaf);
		n++;
	}
	return n;
}

/**
 * slab_ext_alloc_bulk() - allocate several objects at once
 * @cache: the cache
 * @gfp: as for slab_ext_alloc(); __GFP_ZERO zeroes every object
 * @nr: objects wanted
 * @p: filled with them
 *
 * All or nothing, as kmem_cache_alloc_bulk(): this CPU's array gives what
 * it holds, the slabs the rest under one taking of the cache lock (more
 * only where new slabs are made). Never sleeps.
 *
 * Return: @nr with @p[0..@nr) filled, or 0 with nothing allocated.
 */
int slab_ext_alloc_bulk(struct slab_ext_cache *cache, gfp_t gfp, size_t nr, void **p)
{
	unsigned int n = nr, k = 0, i, fpoff = cache->offset;
	/* hand_out() is only mark_allocated(), done here: no debugging, zeroing, event. */
	bool plain = !cache->debug && !(gfp & __GFP_ZERO) && !sx_tracing_alloc();
	struct slab_ext_cpu *pc;
	void **objs, *obj;

	if (!nr || nr > INT_MAX || nr > cache->max_objs)
		return 0;
	if (cache->cpu) {
		pc = cpu_array_get(cache);
		if (likely(pc)) {
			k = min(pc->count, n);
			pc->count -= k;
			objs = pc->objs + pc->count;
			if (likely(k == n && plain)) {
				/* The whole of it from the array: handed out as copied. */
				for (i = 0; i < n; i++) {
					obj = objs[i];
					p[i] = obj;
					*(void **)(obj + fpoff) = NULL;
				}
				pc->allocs += n;
				cpu_array_put(pc);
				return n;
			}
			memcpy(p, objs, k * sizeof(void *));
			if (k == n)
				pc->allocs += n;
			cpu_array_put(pc);
		}
	}
	if (k < n && !take_all(cache, gfp, p + k, n - k, n)) {
		/* What the array gave goes to the slabs: nothing taken. */
		put_objects(cache, p, k, 0);
		return 0;
	}
	if (likely(plain)) {
		for (i = 0; i < n; i++)
			*(void **)(p[i] + fpoff) = NULL;
		return n;
	}
	for (i = 0; i < n; i++) {
		hand_out(cache, p[i], gfp, _RET_IP_);
		sx_trace_alloc(cache, p[i], _RET_IP_, gfp);
	}
	return n;
}
EXPORT_SYMBOL_GPL(slab_ext_alloc_bulk);

#define SLAB_EXT_BULK_BATCH	32	/* objects a bulk free moves to the slabs at once */

/*
 * A run of a bulk free's objects in one slab, for which the fields the
 * checks read are read once: objects of one slab lie together in @p when
 * they were bulk-allocated (mainline's build_detached_freelist() looks a
 * slab up once per such run too). Valid while the bulk free holds an
 * object of the slab that passed the checks (marked, or in its batch or
 * claimed array, not given back yet): the slab then has an object in use,
 * so it is not given back and stays @c's. @fresh 0: no run.
 */
struct bulk_run {
	struct buddy_sim_owner *slab;
	void *first;			/* its first object */
	unsigned long fresh;		/* offset from @first of its first fresh object */
};

static __always_inline void bulk_run_start(struct slab_ext_cache *c, struct bulk_run *run,
					   struct buddy_sim_owner *slab)
{
	run->slab = slab;
	run->first = slab->addr + c->red_left_pad;
	run->fresh = (c->objs_per_slab - READ_ONCE(slab->nr_fresh)) * c->size;
}

/*
 * Whether @obj passes free_ok() in a cache without debugging, with what
 * @run read once: inside the slab and before its fresh objects
 * (is_fresh()), on an object boundary (obj_index()), not marked as in a
 * CPU array, not on the free list (is_on_list()). False sends the object
 * to the look-up and free_ok() itself, which says what is wrong. @simple:
 * the cache's slabs are one page without a red zone and its size a power
 * of two, which makes the boundary a mask and the page the slab's own.
 */
static __always_inline bool bulk_obj_ok(struct slab_ext_cache *c, const struct bulk_run *run,
					void *obj, unsigned long mark, unsigned int fpoff,
					bool simple)
{
	unsigned long off = obj - run->first;
	struct buddy_sim_owner *page = run->slab;

	if (unlikely(off >= run->fresh))
		return false;
	if (simple ? unlikely(off & (c->size - 1)) :
		     unlikely(reciprocal_divide(off, c->reciprocal_size) * c->size != off))
		return false;
	if (unlikely(READ_ONCE(*(void **)(obj + fpoff)) == (void *)((unsigned long)obj ^ mark)))
		return false;
	if (!simple)
		page = slab_page(c, run->slab, obj);
	return !test_bit(obj_bit(obj), page->onlist);
}

/*
 * Where a bulk free puts the objects that passed its checks: this CPU's
 * array, claimed, while it has room (@pc set, @start its first free
 * slot), else a batch on the stack that goes to the slabs (@pc NULL).
 * @pos == @end: full, or nothing chosen yet (@start NULL).
 */
struct bulk_dst {
	struct slab_ext_cpu *pc;
	void **start, **pos, **end;
};

/* @d's objects to their place: the array given up, or the batch to the slabs. */
static __always_inline void bulk_flush(struct slab_ext_cache *c, struct bulk_dst *d)
{
	unsigned int n = d->pos - d->start;

	if (d->pc) {
		d->pc->count += n;
		d->pc->frees += n;
		cpu_array_put(d->pc);
		d->pc = NULL;
	} else if (n) {
		put_objects(c, d->start, n, n);
	}
	d->start = NULL;
	d->pos = NULL;
	d->end = NULL;
}

/* Choose @d's place: this CPU's array if it has room, else @batch. */
static __always_inline void bulk_dst_get(struct slab_ext_cache *c, struct bulk_dst *d,
					 void **batch)
{
	struct slab_ext_cpu *pc;

	if (c->cpu) {
		pc = cpu_array_get(c);
		if (likely(pc)) {
			if (likely(pc->count < pc->limit)) {
				d->pc = pc;
				d->start = pc->objs + pc->count;
				d->pos = d->start;
				d->end = pc->objs + pc->limit;
				return;
			}
			cpu_array_put(pc);
		}
	}
	d->start = batch;
	d->pos = batch;
	d->end = batch + SLAB_EXT_BULK_BATCH;
}

/* slab_ext_free_bulk() in a cache without debugging; @simple as for bulk_obj_ok(). */
static __always_inline void free_bulk(struct slab_ext_cache *cache, void **p, void **p_end,
				      unsigned long caller, bool simple)
{
	unsigned long mark = cache->mark;
	unsigned int fpoff = cache->offset;
	struct bulk_run run = { .fresh = 0 };
	struct bulk_dst d = { .pc = NULL };
	void *batch[SLAB_EXT_BULK_BATCH];
	struct buddy_sim_owner *slab;
	const char *why;
	void *obj;

	for (; p < p_end; p++) {
		obj = *p;
		if (!obj)
			continue;
		if (unlikely(!bulk_obj_ok(cache, &run, obj, mark, fpoff, simple))) {
			/* Another slab, or a misuse: the same checks on a new run. */
			why = NULL;
			slab = obj_to_slab(cache, obj, &why);
			if (likely(slab)) {
				bulk_run_start(cache, &run, slab);
				if (likely(bulk_obj_ok(cache, &run, obj, mark, fpoff, simple)))
					goto ok;
			}
			/*
			 * free_ok() says what is wrong, never with the array
			 * claimed: what passed before goes to its place first.
			 */
			run.fresh = 0;
			bulk_flush(cache, &d);
			if (unlikely(!free_ok(cache, slab, obj, why, false)))
				continue;
			/* It changed since the look above (a race no check orders): fine now. */
			bulk_run_start(cache, &run, slab);
		}
ok:
		/* Marked at once: the same pointer later in @p is a double free. */
		*(void **)(obj + fpoff) = (void *)((unsigned long)obj ^ mark);
		sx_trace_free(cache, obj, caller);
		if (unlikely(d.pos == d.end)) {
			/*
			 * @obj, marked but in no array or slab, keeps its slab in
			 * use while the others go: the run stays valid.
			 */
			bulk_flush(cache, &d);
			bulk_dst_get(cache, &d, batch);
		}
		*d.pos++ = obj;
	}
	bulk_flush(cache, &d);
}

/**
 * slab_ext_free_bulk() - free several objects at once
 * @cache: the cache they were allocated from
 * @nr: how many pointers @p holds
 * @p: the objects; NULL entries are skipped
 *
 * Each object is checked as slab_ext_free() checks it: a bad pointer or a
 * double free (also a pointer twice in @p) is reported, counted and
 * skipped, and the others are freed. The slab is looked up once per run
 * of objects in the same slab. The good ones go to this CPU's array while
 * it has room, the rest to the slabs in batches under one taking of the
 * cache lock each (in a debug cache, one by one, each checked).
 */
void slab_ext_free_bulk(struct slab_ext_cache *cache, size_t nr, void **p)
{
	struct buddy_sim_owner *slab;
	const char *why;
	size_t i;
	void *obj;

	if (unlikely(cache->debug)) {
		for (i = 0; i < nr; i++) {
			obj = p[i];
			if (!obj)
				continue;
			why = NULL;
			slab = obj_to_slab(cache, obj, &why);
			if (likely(free_ok(cache, slab, obj, why, false)))
				cache_free(cache, slab, obj, _RET_IP_, false);
		}
		return;
	}
	if (likely(!cache->order && !cache->red_left_pad && is_power_of_2(cache->size)))
		free_bulk(cache, p, p + nr, _RET_IP_, true);
	else
		free_bulk(cache, p, p + nr, _RET_IP_, false);
}
EXPORT_SYMBOL_GPL(slab_ext_free_bulk);

/*
 * What the CPU arrays hold and have served, summed without their owners'
 * help: exact when the cache is quiet, off by the calls in flight if not.
 */
static void cpu_array_sums(struct slab_ext_cache *c, unsigned long *cached,
			   u64 *allocs, u64 *frees)
{
	int cpu;

	*cached = 0;
	*allocs = 0;
	*frees = 0;
	if (!c->cpu)
		return;
	for_each_possible_cpu(cpu) {
		struct slab_ext_cpu *pc = per_cpu_ptr(c->cpu, cpu);
		u64 a = READ_ONCE(pc->allocs), f = READ_ONCE(pc->frees);

		/* Sheaves: what main and spare hold, without following them. */
		if (READ_ONCE(pc->main))
			*cached += (unsigned long)(f - a + READ_ONCE(pc->sheaf_adj));
		else
			*cached += READ_ONCE(pc->count);
		/* The allocations of sheaves returned here count too. */
		*allocs += a + READ_ONCE(pc->sheaf_allocs);
		*frees += f;
	}
}

/* What one prefilled sheaf holds and has handed out, added up. */
static void sheaf_add(const struct slab_ext_sheaf *sheaf, unsigned long *nr,
		      unsigned long *objs, u64 *allocs)
{
	(*nr)++;
	*objs += READ_ONCE(sheaf->size);
	*allocs += READ_ONCE(sheaf->allocs);
}

/*
 * How many prefilled sheaves are out, what they hold and what they have
 * handed out. Cache lock held (for its list); their owners change them
 * without it, so exact when the cache is quiet.
 */
static void sheaf_sums(struct slab_ext_cache *c, unsigned long *nr, unsigned long *objs,
		       u64 *allocs)
{
	struct slab_ext_sheaf *sheaf;
	unsigned int i;

	*nr = 0;
	*objs = 0;
	*allocs = 0;
	/* A sheaf in a slot may be returned and freed meanwhile: RCU. */
	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(c->sheaf_slot); i++) {
		sheaf = READ_ONCE(c->sheaf_slot[i]);
		if (sheaf)
			sheaf_add(sheaf, nr, objs, allocs);
	}
	rcu_read_unlock();
	list_for_each_entry(sheaf, &c->sheaves, list)
		sheaf_add(sheaf, nr, objs, allocs);
}

/* The returns the CPUs' fast paths counted. */
static u64 sheaf_cpu_returns(struct slab_ext_cache *c)
{
	u64 returns = 0;
	int cpu;

	if (!c->cpu)
		return 0;
	for_each_possible_cpu(cpu)
		returns += READ_ONCE(per_cpu_ptr(c->cpu, cpu)->sheaf_returns);
	return returns;
}

/**
 * slab_ext_cache_info() - take a snapshot of a cache's counters
 * @cache: the cache
 * @info: filled in
 *
 * Exact when the cache is quiet; while it is in use, the CPU arrays are
 * read one after the other, so the sums may be off by the calls in flight.
 * Frees slab_ext_kfree_nolock() deferred are done (and counted) first
 * when the caller is preemptible, which may wait for an irq_work.
 */
void slab_ext_cache_info(struct slab_ext_cache *cache, struct slab_ext_info *info)
{
	unsigned long flags, cached, in_sheaves, sheaves;
	u64 allocs, frees, sheaf_allocs;

	/* Frees deferred by _nolock calls are done first, where we may wait. */
	if (atomic_long_read(&sx_defer_pending) && preemptible())
		sx_defer_flush();
	memset(info, 0, sizeof(*info));
	info->object_size = cache->object_size;
	info->size = cache->size;
	info->objs_per_slab = cache->objs_per_slab;
	info->order = cache->order;
	/* The CPU arrays hold free objects the slabs count as in use. */
	cpu_array_sums(cache, &cached, &allocs, &frees);
	/* So do the barn's full sheaves. */
	spin_lock_irqsave(&cache->barn.lock, flags);
	cached += cache->barn.objects;
	spin_unlock_irqrestore(&cache->barn.lock, flags);
	spin_lock_irqsave(&cache->lock, flags);
	/* So do prefilled sheaves. */
	sheaf_sums(cache, &sheaves, &in_sheaves, &sheaf_allocs);
	cached += in_sheaves;
	info->nr_full = cache->nr_full;
	info->nr_partial = cache->nr_partial;
	info->nr_empty = cache->nr_empty;
	info->active_objs = cache->active_objs - min(cached, cache->active_objs);
	info->total_objs = (cache->nr_full + cache->nr_partial + cache->nr_empty) *
			   cache->objs_per_slab;
	info->allocs = cache->allocs + allocs + sheaf_allocs;
	info->frees = cache->frees + frees;
	info->errors = cache->errors + atomic_long_read(&cache->nolock_errors);
	spin_unlock_irqrestore(&cache->lock, flags);
}
EXPORT_SYMBOL_GPL(slab_ext_cache_info);

/* ---- creation and destruction ---- */

/* The CPUs' sheaves, emptied already, freed: nothing else uses the cache. */
static void free_cpu_sheaves(struct slab_ext_cache *c)
{
	int cpu;

	if (!c->cpu)
		return;
	for_each_possible_cpu(cpu) {
		struct slab_ext_cpu *pc = per_cpu_ptr(c->cpu, cpu);

		sheaf_free(pc->main);
		sheaf_free(pc->spare);
		sheaf_free(pc->stash);
		pc->main = NULL;
		pc->spare = NULL;
		pc->stash = NULL;
		pc->objs = pc->array;
		pc->count = 0;
	}
}

/* mm/slab_common.c calculate_alignment(). */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
					unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
	return ALIGN(align, sizeof(void *));
}

static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return ((unsigned int)PAGE_SIZE << order) / size;
}

/* mm/slub.c calc_slab_order(): the first order wasting at most 1/fract. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract)
			break;
	}
	return order;
}

/*
 * mm/slub.c calculate_order(): at least 4 * (fls(cpus) + 1) objects where
 * an order up to 3 allows it, then the smallest order wasting at most 1/16
 * of the slab, backing off to 1/8, 1/4 and 1/2.
 */
static unsigned int calculate_order(unsigned int size)
{
	unsigned int nr_cpus = num_present_cpus();
	unsigned int min_objects, max_objects, min_order, order, fraction;

	if (nr_cpus <= 1)
		nr_cpus = nr_cpu_ids;
	min_objects = 4 * (fls(nr_cpus) + 1);
	max_objects = max(order_objects(SLAB_EXT_MAX_ORDER, size), 1U);
	min_objects = min(min_objects, max_objects);
	min_order = get_order(min_objects * size);
	if (order_objects(min_order, size) > SLAB_EXT_MAX_OBJS)
		return get_order(size * SLAB_EXT_MAX_OBJS) - 1;
	for (fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, SLAB_EXT_MAX_ORDER, fraction);
		if (order <= SLAB_EXT_MAX_ORDER)
			return order;
	}
	return calc_slab_order(size, min_order, BUDDY_SIM_MAX_ORDER, 1);
}

/* mm/slub.c calculate_sizes(): the object layout drawn at the top. */
static int calculate_sizes(struct slab_ext_cache *c)
{
	unsigned int size = ALIGN(c->object_size, sizeof(void *));

	/* A right red zone of at least a word, even when the size is aligned. */
	if ((c->flags & SLAB_RED_ZONE) && size == c->object_size)
		size += sizeof(void *);
	c->inuse = size;
	if (c->debug || c->ctor) {
		/* Free objects keep their bytes: the free pointer goes after them. */
		c->offset = size;
		size += sizeof(void *);
	} else {
		c->offset = 0;
	}
	if (c->flags & SLAB_STORE_USER)
		size += 2 * sizeof(struct slab_ext_track);
	if (c->flags & SLAB_RED_ZONE) {
		c->red_left_pad = ALIGN(sizeof(void *), c->align);
		size += c->red_left_pad;
	}
	size = ALIGN(size, c->align);
	if (size > (PAGE_SIZE << BUDDY_SIM_MAX_ORDER))
		return -EINVAL;
	c->size = size;
	c->order = calculate_order(size);
	if (c->order > BUDDY_SIM_MAX_ORDER)
		return -EINVAL;
	c->objs_per_slab = order_objects(c->order, size);
	c->reciprocal_size = reciprocal_value(size);
	return 0;
}

/**
 * slab_ext_cache_create() - create an object cache on a zone
 * @zone: the zone slabs come from, or NULL for the default zone
 * @name: unique among caches: 1..31 characters, no '/' or white space
 * @size: object size in bytes, at least 1
 * @align: 0, or a power of two up to PAGE_SIZE every object is aligned to
 * @flags: SLAB_HWCACHE_ALIGN, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER;
 *	   the module parameter slab_debug=1 adds the last three to every cache
 * @ctor: called once for each object when its slab is made, or NULL
 *
 * The stride and the slab order are chosen as SLUB's calculate_sizes() and
 * calculate_order() choose them. May sleep.
 *
 * Return: the cache, or ERR_PTR(-EINVAL) for a bad argument (a zero size or
 * one whose object would not fit a max-order block, a bad alignment, name
 * or flag), ERR_PTR(-EEXIST) for a name in use, ERR_PTR(-ENOMEM).
 */
struct slab_ext_cache *slab_ext_cache_create(struct buddy_sim *zone,
					     const char *name, unsigned int size,
					     unsigned int align, slab_flags_t flags,
					     void (*ctor)(void *))
{
	struct slab_ext_cache_args args = { .align = align, .ctor = ctor };

	return slab_ext_cache_create_args(zone, name, size, &args, flags);
}
EXPORT_SYMBOL_GPL(slab_ext_cache_create);

/**
 * slab_ext_cache_create_args() - create a cache, its arguments in a struct
 * @zone: as for slab_ext_cache_create()
 * @name: as for slab_ext_cache_create()
 * @size: as for slab_ext_cache_create()
 * @args: align and ctor as slab_ext_cache_create() takes them, and
 *	  sheaf_capacity: nonzero (1..256) puts the cache's per-CPU tier on
 *	  sheaves of that many objects (mainline 6.18's kmem_cache_args);
 *	  NULL is all zero
 * @flags: as for slab_ext_cache_create()
 *
 * As mainline, a debug cache gets no sheaves (nor CPU arrays): its
 * sheaf_capacity only sizes its prefilled sheaves. May sleep.
 *
 * Return: as slab_ext_cache_create(); ERR_PTR(-EINVAL) also for a
 * sheaf_capacity over 256.
 */
struct slab_ext_cache *slab_ext_cache_create_args(struct buddy_sim *zone,
						  const char *name, unsigned int size,
						  struct slab_ext_cache_args *args,
						  slab_flags_t flags)
{
	struct slab_ext_cache_args none = { };
	unsigned int align, capacity;
	void (*ctor)(void *obj);
	struct slab_ext_cache *c;
	struct buddy_sim_info zi;
	int ret, cpu;

	if (!args)
		args = &none;
	align = args->align;
	ctor = args->ctor;
	capacity = args->sheaf_capacity;
	if (capacity > SLAB_EXT_SHEAF_MAX)
		return ERR_PTR(-EINVAL);
	if (!zone)
		zone = sx_kmalloc_zone;
	if (IS_ERR_OR_NULL(zone) || !mm_ext_name_valid(name) || !size ||
	    size > (PAGE_SIZE << BUDDY_SIM_MAX_ORDER) ||
	    (align && (!is_power_of_2(align) || align > PAGE_SIZE)) ||
	    (flags & ~SLAB_EXT_FLAGS))
		return ERR_PTR(-EINVAL);
	if (sx_debug_all)
		flags |= SLAB_EXT_DEBUG_FLAGS;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	strscpy(c->name, name, sizeof(c->name));
	c->zone = zone;
	c->ctor = ctor;
	c->flags = flags;
	c->debug = !!(flags & SLAB_EXT_DEBUG_FLAGS);
	/* As SLUB: poisoning would destroy what the ctor built. */
	c->poison = (flags & SLAB_POISON) && !ctor;
	c->object_size = size;
	c->align = calculate_alignment(flags, align, size);
	c->min_empty = 1;
	/* Odd: never an object's own address, nor any aligned pointer. */
	c->mark = get_random_long() | 1UL;
	c->stride = buddy_sim_owner_stride();
	c->zone_base = (unsigned long)buddy_sim_base(zone);
	c->owner0 = buddy_sim_owner(zone, buddy_sim_base(zone));
	ret = calculate_sizes(c);
	if (ret) {
		kfree(c);
		return ERR_PTR(ret);
	}
	if (!c->debug) {
		c->cpu = mm_ext_percpu_new(struct slab_ext_cpu);
		if (!c->cpu) {
			kfree(c);
			return ERR_PTR(-ENOMEM);
		}
		/* A few KiB of objects a CPU, between 32 and 128 of them. */
		c->cpu_max = clamp(32768U / c->size, 32U, (unsigned int)SLAB_EXT_CPU_MAX);
		for_each_possible_cpu(cpu) {
			struct slab_ext_cpu *pc = per_cpu_ptr(c->cpu, cpu);

#ifdef CONFIG_PREEMPT_RT
			spin_lock_init(&pc->lock);
#endif
			pc->objs = pc->array;
			pc->limit = min(SLAB_EXT_CPU_START, c->cpu_max);
		}
	}
	buddy_sim_info(zone, &zi);
	c->zone_bytes = zi.nr_pages << PAGE_SHIFT;
	c->max_objs = (zi.nr_pages >> c->order) * c->objs_per_slab;
	/* A sheaf holds what a CPU array may: the same few KiB of objects. */
	c->sheaf_capacity = clamp(32768U / c->size, 32U, (unsigned int)SLAB_EXT_CPU_MAX);
	INIT_LIST_HEAD(&c->sheaves);
	spin_lock_init(&c->barn.lock);
	INIT_LIST_HEAD(&c->barn.full);
	INIT_LIST_HEAD(&c->barn.empty);
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->empty);

	if (capacity) {
		/* Not visible yet: nothing else touches it. */
		ret = slab_ext_set_tier(c, c->cpu ? SLAB_EXT_TIER_SHEAVES : SLAB_EXT_TIER_ARRAYS,
					capacity, true);
		if (ret) {
			free_percpu(c->cpu);
			kfree(c);
			return ERR_PTR(ret);
		}
	}

	/* A name in use, or observers (debugfs) refusing it: then it never was. */
	c->named.obj = c;
	c->named.name = c->name;
	c->named.below = zone;
	ret = mm_ext_names_add(&slab_ext_caches, &c->named);
	if (ret) {
		free_cpu_sheaves(c);
		free_percpu(c->cpu);
		kfree(c);
		return ERR_PTR(ret);
	}
	return c;
}
EXPORT_SYMBOL_GPL(slab_ext_cache_create_args);

/*
 * At destroy, the CPU arrays drained: report the objects still handed out
 * (quarantined ones were reported already), the first few by address and,
 * where kept, callers. Where each object rests says which (obj_allocated()):
 * no free list is followed, so a corrupt one cannot mislead the report.
 */
static void report_leaks(struct slab_ext_cache *c)
{
	unsigned long leaked = c->active_objs - c->quarantined, shown = 0;
	struct list_head *lists[] = { &c->full, &c->partial };
	struct buddy_sim_owner *slab;
	char buf[40], tracks[256];
	struct obj_report rep;
	unsigned int i, l;
	void *p;

	if (!leaked)
		return;
	mm_ext_report(MM_EXT_CACHE, c->name, MM_EXT_MISUSE_LEAK, NULL,
		      "cache %s: destroyed with %lu objects still allocated (leak)\n",
		      c->name, leaked);
	for (l = 0; l < ARRAY_SIZE(lists) && shown < SLAB_EXT_LEAKS_SHOWN; l++) {
		list_for_each_entry(slab, lists[l], slab_list) {
			for (i = 0; i < c->objs_per_slab && shown < SLAB_EXT_LEAKS_SHOWN; i++) {
				p = slab_obj(c, slab, i);
				if (!obj_allocated(c, slab, p, i))
					continue;
				fill_report(c, slab, p, &rep);
				format_tracks(&rep, false, tracks, sizeof(tracks));
				pr_err("mm_ext: cache %s:   leaked object at %s%s\n", c->name,
				       where(c->zone, p, buf, sizeof(buf)), tracks);
				shown++;
			}
			if (shown >= SLAB_EXT_LEAKS_SHOWN)
				break;
		}
	}
}

/**
 * slab_ext_cache_destroy() - destroy a cache and give all its slabs back
 * @cache: the cache, or NULL (a no-op)
 *
 * Objects still allocated are reported as a leak (their count, and the
 * first few by address with their callers when tracked); every slab goes
 * back to the zone anyway. May sleep.
 */
void slab_ext_cache_destroy(struct slab_ext_cache *cache)
{
	unsigned long sheaves;
	LIST_HEAD(all);

	if (IS_ERR_OR_NULL(cache))
		return;
	/* Observers first: a cpu_cache write in flight finishes. */
	mm_ext_names_del(&slab_ext_caches, &cache->named);

	/* No user may touch the cache now: no lock is needed to walk it. */
	sheaves = reclaim_sheaves(cache);
	if (sheaves)
		mm_ext_report(MM_EXT_CACHE, cache->name, MM_EXT_MISUSE_LEAK, NULL,
			      "cache %s: destroyed with %lu sheaves not returned (leak)\n",
			      cache->name, sheaves);
	drain_all(cache, SLAB_EXT_KEEP_LIMIT);
	free_cpu_sheaves(cache);
	barn_flush(cache, true);
	report_leaks(cache);
	list_splice_init(&cache->full, &all);
	list_splice_init(&cache->partial, &all);
	list_splice_init(&cache->empty, &all);
	discard_slabs(cache, &all);
	free_percpu(cache->cpu);
	kfree(cache);
}
EXPORT_SYMBOL_GPL(slab_ext_cache_destroy);

/**
 * slab_ext_set_cpu_cache() - bound, or turn off, a cache's CPU arrays
 * @cache: the cache
 * @max: most objects each CPU's array may hold, 1..128; 0 turns them off
 *	 (every allocation and free then goes to the slab lists, as in a
 *	 debug cache)
 *
 * The arrays are drained first, so their objects return to the slabs.
 * May sleep.
 *
 * Return: 0, or -EINVAL for @max over 128 or a debug cache (which has none),
 * -EBUSY on the sheaves tier (which has no arrays).
 */
int slab_ext_set_cpu_cache(struct slab_ext_cache *cache, unsigned int max)
{
	if (max > SLAB_EXT_CPU_MAX || !cache->cpu)
		return -EINVAL;
	mutex_lock(&slab_ext_cpu_cache_lock);
	/* The sheaves tier has no arrays to bound. */
	if (cache->sheaves_tier) {
		mutex_unlock(&slab_ext_cpu_cache_lock);
		return -EBUSY;
	}
	/*
	 * Off first: a CPU that sees 0 neither refills its array nor adds to
	 * a full one, so once drained, each stays empty until the new bound
	 * is set (capacity 0 keeps frees off it for good when @max is 0).
	 */
	WRITE_ONCE(cache->cpu_max, 0);
	drain_all(cache, min(SLAB_EXT_CPU_START, max));
	WRITE_ONCE(cache->cpu_max, max);
	mutex_unlock(&slab_ext_cpu_cache_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(slab_ext_set_cpu_cache);

/* ---- choosing the per-CPU tier ---- */

const char *const slab_ext_tier_stat_names[SX_NR_TIER_STATS] = {
	[SX_SHEAF_FLUSH] = "sheaf_flush",
	[SX_SHEAF_REFILL] = "sheaf_refill",
	[SX_SHEAF_ALLOC] = "sheaf_alloc",
	[SX_SHEAF_FREE] = "sheaf_free",
	[SX_BARN_GET] = "barn_get",
	[SX_BARN_GET_FAIL] = "barn_get_fail",
	[SX_BARN_PUT] = "barn_put",
	[SX_BARN_PUT_FAIL] = "barn_put_fail",
	[SX_SHEAF_SWAP] = "sheaf_swap",
	[SX_SHEAF_PREFILL_FAST] = "sheaf_prefill_fast",
	[SX_SHEAF_PREFILL_SLOW] = "sheaf_prefill_slow",
	[SX_SHEAF_RETURN_FAST] = "sheaf_return_fast",
	[SX_SHEAF_RETURN_SLOW] = "sheaf_return_slow",
};

/* Free objects the per-CPU tier holds (arrays or sheaves, and the barn). */
static unsigned long tier_cached(struct slab_ext_cache *c)
{
	unsigned long cached, flags;
	u64 allocs, frees;

	cpu_array_sums(c, &cached, &allocs, &frees);
	spin_lock_irqsave(&c->barn.lock, flags);
	cached += c->barn.objects;
	spin_unlock_irqrestore(&c->barn.lock, flags);
	return cached;
}

/* Every CPU's sheaves flushed and freed, the barn closed and emptied. */
static void tier_sheaves_off(struct slab_ext_cache *c)
{
	struct slab_ext_drain d = {
		.cache = c, .remove = true,
		.limit = min(SLAB_EXT_CPU_START, c->cpu_max),
	};
	unsigned long flags;
	int cpu;

	spin_lock_irqsave(&c->barn.lock, flags);
	c->barn.open = false;
	spin_unlock_irqrestore(&c->barn.lock, flags);
	cpus_read_lock();
	for_each_possible_cpu(cpu)
		drain_cpu_op(c, cpu, &d, true);
	cpus_read_unlock();
	barn_flush(c, true);
	WRITE_ONCE(c->sheaves_tier, false);
}

/*
 * Every CPU's array emptied and replaced by a main and a spare sheaf of
 * @capacity, then the barn opened. The arrays are turned off first (as
 * slab_ext_set_cpu_cache() does), so that once drained they stay empty.
 */
static int tier_sheaves_on(struct slab_ext_cache *c, unsigned int capacity)
{
	unsigned int max = c->cpu_max, i, n = 2 * nr_cpu_ids;
	struct slab_ext_sheaf **sh;
	unsigned long flags;
	int cpu, ret = 0;

	sh = kcalloc(n, sizeof(*sh), GFP_KERNEL);
	if (!sh)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!cpu_possible(i / 2))
			continue;
		sh[i] = sheaf_new(c, GFP_KERNEL, capacity);
		if (!sh[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	WRITE_ONCE(c->sheaf_capacity, capacity);
	WRITE_ONCE(c->cpu_max, 0);
	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		struct slab_ext_drain d = {
			.cache = c, .limit = 0,
			.install = { sh[2 * cpu], sh[2 * cpu + 1] },
		};

		drain_cpu_op(c, cpu, &d, true);
		/* Not reached (busy too long): it stays on arrays, off for now. */
		if (d.done) {
			sh[2 * cpu] = NULL;
			sh[2 * cpu + 1] = NULL;
		}
	}
	cpus_read_unlock();
	spin_lock_irqsave(&c->barn.lock, flags);
	c->barn.open = true;
	spin_unlock_irqrestore(&c->barn.lock, flags);
	WRITE_ONCE(c->sheaves_tier, true);
	WRITE_ONCE(c->cpu_max, max);
out:
	for (i = 0; i < n; i++)
		kvfree(sh[i]);
	kfree(sh);
	return ret;
}

/**
 * slab_ext_set_tier() - choose a cache's per-CPU tier
 * @cache: the cache
 * @tier: SLAB_EXT_TIER_ARRAYS (the CPU arrays) or SLAB_EXT_TIER_SHEAVES
 *	  (mainline 6.18's per-CPU sheaves and a barn)
 * @capacity: objects in a sheaf, 1..SLAB_EXT_SHEAF_MAX; 0 keeps the
 *	      cache's. On the arrays tier it sizes prefilled sheaves only.
 * @drain: empty the tier into the slabs first, as slab_ext_shrink() does;
 *	   without, a tier holding free objects is refused
 *
 * Switching empties the old tier (its objects go back to the slabs) and
 * frees its sheaves. A change of capacity on the sheaves tier makes the
 * CPUs' sheaves anew. May sleep.
 *
 * Return: 0; -EBUSY without @drain when the tier holds free objects,
 * -EINVAL for sheaves on a debug cache (which has no per-CPU tier) or a capacity over the bound,
 * -ENOMEM.
 */
int slab_ext_set_tier(struct slab_ext_cache *cache, enum slab_ext_tier tier,
		      unsigned int capacity, bool drain)
{
	bool sheaves = tier == SLAB_EXT_TIER_SHEAVES;
	int ret = 0;

	if (capacity > SLAB_EXT_SHEAF_MAX || (sheaves && !cache->cpu))
		return -EINVAL;
	mutex_lock(&slab_ext_cpu_cache_lock);
	if (!capacity)
		capacity = cache->sheaf_capacity;
	if (sheaves == cache->sheaves_tier && (!sheaves || capacity == cache->sheaf_capacity)) {
		/* Arrays: the capacity is only that of prefilled sheaves. */
		WRITE_ONCE(cache->sheaf_capacity, capacity);
		goto out;
	}
	if (!drain && tier_cached(cache)) {
		ret = -EBUSY;
		goto out;
	}
	if (cache->sheaves_tier)
		tier_sheaves_off(cache);
	if (sheaves)
		ret = tier_sheaves_on(cache, capacity);
	else
		WRITE_ONCE(cache->sheaf_capacity, capacity);
out:
	mutex_unlock(&slab_ext_cpu_cache_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(slab_ext_set_tier);

/**
 * slab_ext_get_tier() - a cache's per-CPU tier and its counters
 * @cache: the cache
 * @ti: filled in: the tier, the sheaf capacity, the barn's sheaves and
 *	objects, the objects the CPUs' sheaves hold, and the counters
 *	(summed over every CPU and the barn)
 *
 * Exact when the cache is quiet, as slab_ext_cache_info() is.
 */
void slab_ext_get_tier(struct slab_ext_cache *cache, struct slab_ext_tier_info *ti)
{
	struct slab_ext_barn *b = &cache->barn;
	unsigned long flags;
	u64 allocs, frees;
	int cpu, i;

	memset(ti, 0, sizeof(*ti));
	ti->tier = READ_ONCE(cache->sheaves_tier) ? SLAB_EXT_TIER_SHEAVES : SLAB_EXT_TIER_ARRAYS;
	ti->sheaf_capacity = READ_ONCE(cache->sheaf_capacity);
	if (cache->cpu) {
		for_each_possible_cpu(cpu) {
			struct slab_ext_cpu *pc = per_cpu_ptr(cache->cpu, cpu);

			for (i = 0; i < SX_NR_TIER_STATS; i++)
				ti->stat[i] += READ_ONCE(pc->stat[i]);
		}
		if (ti->tier == SLAB_EXT_TIER_SHEAVES)
			cpu_array_sums(cache, &ti->cpu_sheaf_objects, &allocs, &frees);
	}
	spin_lock_irqsave(&b->lock, flags);
	ti->barn_full = b->nr_full;
	ti->barn_empty = b->nr_empty;
	ti->barn_objects = b->objects;
	for (i = 0; i < SX_NR_TIER_STATS; i++)
		ti->stat[i] += b->stat[i];
	spin_unlock_irqrestore(&b->lock, flags);
}
EXPORT_SYMBOL_GPL(slab_ext_get_tier);

/**
 * slab_ext_cpu_tier_stat() - one CPU's part of the sheaves tier's counters
 * @cache: the cache
 * @cpu: a possible CPU
 * @stat: SX_NR_TIER_STATS counters, filled in (what the barn counted
 *	  outside any CPU's sheaves is left out)
 */
void slab_ext_cpu_tier_stat(struct slab_ext_cache *cache, int cpu, u64 *stat)
{
	int i;

	for (i = 0; i < SX_NR_TIER_STATS; i++)
		stat[i] = cache->cpu ? READ_ONCE(per_cpu_ptr(cache->cpu, cpu)->stat[i]) : 0;
}
EXPORT_SYMBOL_GPL(slab_ext_cpu_tier_stat);

/* ---- kmalloc ---- */

/* Classes for sizes up to 192 by (size - 1) / 8, as the kernel's size_index. */
static const u8 sx_kmalloc_size_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
	5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6,
};

static unsigned int sx_kmalloc_index(size_t size)
{
	if (size <= 192)
		return sx_kmalloc_size_index[(size - 1) / 8];
	return fls(size - 1) - 1;	/* 256 -> 7 ... 8192 -> 12 */
}

/* A slab_ext_kmalloc() cpu_pop() could not serve: the whole way, traced. */
static noinline void *sx_kmalloc_slow(struct slab_ext_cache *c, size_t size, gfp_t gfp,
				      unsigned long caller)
{
	void *p = sx_alloc(c, gfp, caller);

	if (p)
		trace_mm_ext_kmalloc(caller, p, size, c->size, gfp);
	return p;
}

/* slab_ext_kmalloc()'s rarer endings, __GFP_ZERO and tracing. */
static noinline void *sx_kmalloc_done(struct slab_ext_cache *c, void *p, size_t size,
				      gfp_t gfp, unsigned long caller)
{
	if (gfp & __GFP_ZERO)
		memset(p, 0, c->object_size);
	trace_mm_ext_kmalloc(caller, p, size, c->size, gfp);
	return p;
}

/* A slab_ext_kmalloc() of more than the largest size class: a zone block. */
static noinline void *sx_kmalloc_large(size_t size, gfp_t gfp, unsigned long caller)
{
	struct buddy_sim *zone = sx_kmalloc_zone;
	struct buddy_sim_owner *head;
	unsigned int order;
	void *p;

	order = get_order(size);
	if (order > BUDDY_SIM_MAX_ORDER)
		return NULL;
	p = buddy_sim_alloc(zone, gfp, order);
	if (!p)
		return NULL;
	head = buddy_sim_owner(zone, p);
	head->cache = NULL;
	head->addr = p;
	head->order = order;
	head->large_size = size;
	WRITE_ONCE(head->head, head);
	trace_mm_ext_kmalloc(caller, p, size, PAGE_SIZE << order, gfp);
	return p;
}

/**
 * slab_ext_kmalloc() - allocate @size bytes, as kmalloc() does
 * @size: bytes wanted
 * @gfp: allocation flags; __GFP_ZERO zeroes
 *
 * Sizes up to 8192 come from the size-class caches kmalloc-8 ... kmalloc-8192
 * (plus kmalloc-96 and kmalloc-192) on the default zone; larger ones are
 * page blocks of the default zone, their size recorded for slab_ext_ksize().
 *
 * Return: the memory, or NULL (also for @size 0 or one over a max-order block).
 */
void *slab_ext_kmalloc(size_t size, gfp_t gfp)
{
	if (!size)
		return NULL;
	if (likely(size <= SLAB_EXT_KMALLOC_MAX)) {
		struct slab_ext_cache *c = sx_kmalloc_caches[sx_kmalloc_index(size)];
		void *p = cpu_pop(c);

		/* Off the fast path only by tail calls: it saves no register. */
		if (unlikely(!p))
			return sx_kmalloc_slow(c, size, gfp, _RET_IP_);
		mark_allocated(c, p);
		if (unlikely((gfp & __GFP_ZERO) || trace_mm_ext_kmalloc_enabled()))
			return sx_kmalloc_done(c, p, size, gfp, _RET_IP_);
		return p;
	}
	return sx_kmalloc_large(size, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(slab_ext_kmalloc);

/* Counted where a zone misuse is: the call named no cache. */
static noinline void sx_kmalloc_bad(struct buddy_sim *zone, const void *obj, const char *fn,
				    bool nolock)
{
	char buf[40];

	if (nolock)
		buddy_sim_count_error_nolock(zone);
	else
		buddy_sim_count_error(zone);
	mm_ext_report(MM_EXT_ZONE, buddy_sim_name(zone), MM_EXT_MISUSE_BAD_POINTER, obj,
		      "zone %s: %s of %s, which slab_ext_kmalloc() did not return\n",
		      buddy_sim_name(zone), fn, where(zone, obj, buf, sizeof(buf)));
}

/*
 * What slab_ext_kmalloc() memory @obj is: in a kmalloc cache's slab
 * (*cache set, *head the slab, @obj not yet checked against its objects),
 * a large block (*cache NULL, *head the block), or neither (reported,
 * counted in the default zone's errors, since no cache or pool was named).
 */
static __always_inline bool sx_kmalloc_lookup(const void *obj, const char *fn,
					      struct slab_ext_cache **cache,
					      struct buddy_sim_owner **head, bool nolock)
{
	struct buddy_sim *zone = sx_kmalloc_zone;
	/* Every kmalloc cache is on that zone: the first one's span serves. */
	struct buddy_sim_owner *page = zone_owner(sx_kmalloc_caches[0], obj);
	struct buddy_sim_owner *h = page ? READ_ONCE(page->head) : NULL;
	struct slab_ext_cache *c = h ? READ_ONCE(h->cache) : NULL;

	*cache = NULL;
	*head = h;
	if (c) {
		/* A slab's cache lives while the slab does: its flag is readable. */
		if (likely(READ_ONCE(c->kmalloc))) {
			*cache = c;
			return true;
		}
	} else if (h && h == page && h->large_size && h->addr == obj) {
		return true;
	}
	sx_kmalloc_bad(zone, obj, fn, nolock);
	return false;
}

/* slab_ext_kfree() of a zone block, @head its owner area. */
static noinline void sx_kfree_large(const void *obj, struct buddy_sim_owner *head,
				    unsigned long caller)
{
	head->large_size = 0;
	WRITE_ONCE(head->head, NULL);
	trace_mm_ext_kfree(caller, obj, PAGE_SIZE << head->order);
	buddy_sim_free(sx_kmalloc_zone, (void *)obj, head->order);
}

/**
 * slab_ext_kfree() - free memory from slab_ext_kmalloc(), as kfree() does
 * @obj: the memory, or NULL (a no-op)
 *
 * A pointer slab_ext_kmalloc() did not return is reported and ignored.
 */
void slab_ext_kfree(const void *obj)
{
	struct buddy_sim_owner *head;
	struct slab_ext_cache *cache;

	if (!obj || !sx_kmalloc_lookup(obj, "slab_ext_kfree", &cache, &head, false))
		return;
	if (unlikely(!cache)) {
		sx_kfree_large(obj, head, _RET_IP_);
		return;
	}
	/* The slab is looked up already: the free checks @obj against it. */
	sx_free_slab(cache, head, (void *)obj, NULL, _RET_IP_);
}
EXPORT_SYMBOL_GPL(slab_ext_kfree);

/**
 * slab_ext_ksize() - the usable size of slab_ext_kmalloc() memory
 * @obj: the memory, or NULL
 *
 * Return: the size class for cache memory, the whole page block for large
 * allocations, 0 for NULL or a pointer slab_ext_kmalloc() did not return.
 */
size_t slab_ext_ksize(const void *obj)
{
	struct buddy_sim_owner *large;
	struct slab_ext_cache *cache;

	if (!obj || !sx_kmalloc_lookup(obj, "slab_ext_ksize", &cache, &large, false))
		return 0;
	if (cache)
		return cache->object_size;
	return PAGE_SIZE << large->order;
}
EXPORT_SYMBOL_GPL(slab_ext_ksize);

/*
 * Whether @obj is an object of @cache handed out and not yet freed: what a
 * free would accept (mempool_ext checks before taking an element into its
 * reserve). Lock-free: one look-up, and where the object rests.
 */
bool slab_ext_obj_allocated(struct slab_ext_cache *cache, const void *obj)
{
	const char *why;
	struct buddy_sim_owner *slab = obj_to_slab(cache, obj, &why);
	int idx;

	if (!slab)
		return false;
	idx = obj_index(cache, slab, obj);
	return idx >= 0 && obj_allocated(cache, slab, (void *)obj, idx);
}

/*
 * Free @obj if it is an object of @cache handed out and not yet freed, as
 * slab_ext_free() would; otherwise do nothing and return false, for the
 * caller to report and count where the call was made (mempool_ext: in the
 * pool). One look-up and one pass of the checks: obj_index() and
 * obj_allocated() are free_ok()'s checks without its reports (a slab of
 * @cache, an object boundary, not in a CPU array or sheaf, not quarantined,
 * not on the free list, not fresh), so the free goes on as free_ok()'s.
 */
bool slab_ext_free_if_allocated(struct slab_ext_cache *cache, void *obj)
{
	const char *why;
	struct buddy_sim_owner *slab = obj_to_slab(cache, obj, &why);
	int idx;

	if (unlikely(!slab))
		return false;
	idx = obj_index(cache, slab, obj);
	if (unlikely(idx < 0 || !obj_allocated(cache, slab, obj, idx)))
		return false;
	sx_free_accepted(cache, slab, obj, _RET_IP_);
	return true;
}

/* The same for slab_ext_kmalloc() memory of @size bytes. */
bool slab_ext_kmalloc_allocated(const void *obj, size_t size)
{
	struct buddy_sim *zone = sx_kmalloc_zone;
	struct buddy_sim_owner *page = buddy_sim_owner(zone, obj);
	struct buddy_sim_owner *head = page ? READ_ONCE(page->head) : NULL;
	struct slab_ext_cache *c;

	if (!head)
		return false;
	if (size > SLAB_EXT_KMALLOC_MAX)
		return head == page && head->large_size == size && head->addr == obj &&
		       buddy_sim_block_allocated(zone, obj, head->order);
	c = sx_kmalloc_caches[sx_kmalloc_index(size)];
	return READ_ONCE(head->cache) == c && slab_ext_obj_allocated(c, obj);
}

/* ---- from any context: kmalloc_nolock and kfree_nolock ---- */

/*
 * Frees a _nolock call could not do at once (a lock it needed was held,
 * perhaps by the code it interrupted), kept per CPU until that CPU's
 * irq_work does them, as mainline's defer_free() does with an llist and an
 * irq_work. Any context adds to them, NMIs included: every field is
 * lock-free. A deferred object keeps the mark of an object in a CPU array
 * in its free pointer slot, so a second free of it is a double free; its
 * link goes where the mark is not:
 *  - linked[0]: objects whose free pointer slot lies after the object
 *    (debug caches): the link is the object's first word;
 *  - linked[1]: objects of 16 bytes or more whose slot is the first word:
 *    the link is the second;
 *  - slots: objects of 8 bytes (kmalloc-8), which have room for the mark
 *    only: one of SX_DEFER_SLOTS pointers per CPU, claimed with an atomic
 *    bit, filled, then marked ready;
 *  - blocks: large kmalloc blocks, already unmarked (not kmalloc memory
 *    any more to a second free): the link, then the order.
 * On PREEMPT_RT the irq_work runs in a thread, where the cache locks may
 * be taken; elsewhere it runs in a hard interrupt, which no holder of the
 * cache or zone locks (taken with interrupts off) can be interrupted by.
 */
#define SX_DEFER_SLOTS		256

struct sx_defer {
	struct llist_head linked[2];
	struct llist_head blocks;
	unsigned long claimed[BITS_TO_LONGS(SX_DEFER_SLOTS)];
	unsigned long ready[BITS_TO_LONGS(SX_DEFER_SLOTS)];
	void *slots[SX_DEFER_SLOTS];
	struct irq_work work;
};

static struct sx_defer __percpu *sx_defers;

/* The kmalloc cache holding the slab of @obj, which the caller knows is one. */
static struct slab_ext_cache *sx_obj_cache(const void *obj, struct buddy_sim_owner **slab)
{
	*slab = READ_ONCE(buddy_sim_owner(sx_kmalloc_zone, obj)->head);
	return READ_ONCE((*slab)->cache);
}

/* A deferred object freed at last: counted in its cache as any free. */
static void sx_defer_free_obj(void *obj)
{
	struct buddy_sim_owner *slab;
	struct slab_ext_cache *c = sx_obj_cache(obj, &slab);

	sx_free_marked(c, slab, obj, _RET_IP_);
	atomic_long_dec(&sx_defer_pending);
}

/* Empty slabs the _nolock frees left beyond each kmalloc cache's min_empty. */
static void sx_trim_kmalloc(void)
{
	struct slab_ext_cache *c;
	LIST_HEAD(released);
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sx_kmalloc_caches); i++) {
		c = sx_kmalloc_caches[i];
		/* A hint only: checked again under the lock. */
		if (!c || data_race(c->nr_empty <= c->min_empty))
			continue;
		spin_lock_irqsave(&c->lock, flags);
		take_empty_slabs(c, c->min_empty, &released);
		spin_unlock_irqrestore(&c->lock, flags);
		discard_slabs(c, &released);
	}
}

/* Do every free deferred on @d's CPU. Takes locks: irq_work or a task. */
static void sx_defer_run(struct sx_defer *d)
{
	struct llist_node *pos, *next;
	unsigned long ready;
	unsigned int i, bit;
	void *obj;

	for (i = 0; i < ARRAY_SIZE(d->linked); i++) {
		/* The link is read before the free may overwrite it. */
		llist_for_each_safe(pos, next, llist_del_all(&d->linked[i]))
			sx_defer_free_obj((void *)pos - i * sizeof(void *));
	}
	llist_for_each_safe(pos, next, llist_del_all(&d->blocks)) {
		obj = pos;
		buddy_sim_free(sx_kmalloc_zone, obj, *(unsigned long *)(obj + sizeof(void *)));
		atomic_long_dec(&sx_defer_pending);
	}
	for (i = 0; i < ARRAY_SIZE(d->ready); i++) {
		ready = xchg(&d->ready[i], 0);
		for_each_set_bit(bit, &ready, BITS_PER_LONG) {
			obj = READ_ONCE(d->slots[i * BITS_PER_LONG + bit]);
			/* The slot is read before it may be claimed again. */
			smp_mb__before_atomic();
			clear_bit(i * BITS_PER_LONG + bit, d->claimed);
			sx_defer_free_obj(obj);
		}
	}
}

static void sx_defer_work(struct irq_work *work)
{
	sx_defer_run(container_of(work, struct sx_defer, work));
	sx_trim_kmalloc();
}

/*
 * Do every deferred free now, wherever it waits. May sleep (it waits for
 * irq_work in flight): cache info, shrink and module unload call it.
 */
static void sx_defer_flush(void)
{
	int cpu;

	if (!sx_defers)
		return;
	for_each_possible_cpu(cpu) {
		struct sx_defer *d = per_cpu_ptr(sx_defers, cpu);

		irq_work_sync(&d->work);
		sx_defer_run(d);
	}
	sx_trim_kmalloc();
}

/* A slot for an 8-byte object, or false when this CPU has none left. */
static bool sx_defer_slot(struct sx_defer *d, void *obj)
{
	unsigned int bit;

	do {
		bit = find_first_zero_bit(d->claimed, SX_DEFER_SLOTS);
		if (bit >= SX_DEFER_SLOTS)
			return false;
	} while (test_and_set_bit(bit, d->claimed));
	WRITE_ONCE(d->slots[bit], obj);
	/* Filled before it is seen ready. */
	smp_mb__before_atomic();
	set_bit(bit, d->ready);
	return true;
}

/* Have this CPU's irq_work run (trim, or deferred frees just added). */
static void sx_defer_kick(void)
{
	preempt_disable();
	irq_work_queue(&this_cpu_ptr(sx_defers)->work);
	preempt_enable();
}

/*
 * Leave @obj, of @c and marked as free, for this CPU's irq_work to free.
 * Only an 8-byte object can find no room (SX_DEFER_SLOTS of them waiting
 * on this CPU): no context of a _nolock call may wait for the lock (the
 * caller may hold it), so it is then left allocated, reported and
 * counted in the cache's errors, never corrupted.
 */
static noinline void sx_defer(struct slab_ext_cache *c, void *obj)
{
	struct sx_defer *d;
	bool queued = true;
	char buf[40];

	atomic_long_inc(&sx_defer_pending);
	preempt_disable();
	d = this_cpu_ptr(sx_defers);
	if (c->offset)
		llist_add(obj, &d->linked[0]);
	else if (c->size >= 2 * sizeof(void *))
		llist_add(obj + sizeof(void *), &d->linked[1]);
	else
		queued = sx_defer_slot(d, obj);
	if (queued)
		irq_work_queue(&d->work);
	preempt_enable();
	if (queued)
		return;
	atomic_long_dec(&sx_defer_pending);
	/* Unmarked: it is allocated again, and a later free of it goes ahead. */
	set_fp(c, obj, NULL);
	atomic_long_inc(&c->nolock_errors);
	mm_ext_report(MM_EXT_CACHE, c->name, MM_EXT_MISUSE_OVERFLOW, obj,
		      "cache %s: kfree_nolock: %u frees wait here: object at %s left allocated\n",
		      c->name, SX_DEFER_SLOTS, where(c->zone, obj, buf, sizeof(buf)));
}

/*
 * The slab path of a _nolock allocation: one object, under the cache lock
 * only if it is free, the slab made under it from the zone's _nolock call
 * (kmalloc caches have no ctor). ERR_PTR(-EBUSY) when the lock is busy,
 * NULL when there is no memory (or the object found was corrupt).
 */
static void *cache_alloc_nolock(struct slab_ext_cache *c, gfp_t gfp, unsigned long caller)
{
	struct buddy_sim_owner *slab;
	struct fp_report fprep;
	struct obj_report rep;
	unsigned long flags;
	void *obj, *addr;

	if (!cache_trylock(c, &flags))
		return ERR_PTR(-EBUSY);
	slab = slab_with_free(c);
	if (!slab) {
		addr = buddy_sim_alloc_nolock(c->zone, c->order);
		if (!addr) {
			c->failures++;
			spin_unlock_irqrestore(&c->lock, flags);
			return NULL;
		}
		slab = init_slab(c, addr);
		list_add(&slab->slab_list, &c->empty);
		c->nr_empty++;
	}
	obj = slab_pop(c, slab, &fprep);
	if (unlikely(!obj)) {
		spin_unlock_irqrestore(&c->lock, flags);
		print_fp_report(c, &fprep);
		return NULL;
	}
	slab->inuse++;
	slab_relist(c, slab, slab->inuse - 1);
	c->active_objs++;
	if (c->debug) {
		if (!poison_ok(c, obj) || !redzones_ok(c, obj, SLUB_RED_INACTIVE)) {
			fill_report(c, slab, obj, &rep);
			quarantine(c, obj);
			c->errors++;
			spin_unlock_irqrestore(&c->lock, flags);
			print_report(c, "written while free (write after free)", &rep);
			return NULL;
		}
		set_redzones(c, obj, SLUB_RED_ACTIVE);
		set_track(c, obj, TRACK_ALLOC, caller);
	}
	mark_allocated(c, obj);
	c->allocs++;
	spin_unlock_irqrestore(&c->lock, flags);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	return obj;
}

/*
 * An object of @c without waiting for anything: this CPU's array if it is
 * not in use (by what this call interrupted) and holds one, else the slab
 * path. ERR_PTR(-EBUSY) or NULL as cache_alloc_nolock().
 */
static void *sx_alloc_nolock(struct slab_ext_cache *c, gfp_t gfp, unsigned long caller)
{
	struct slab_ext_cpu *pc;
	void *obj;

	if (c->cpu) {
		pc = cpu_array_get(c);
		/* Sheaves tier: main only, never the barn's lock nor new sheaves. */
		if (pc && pc->count) {
			obj = pc->objs[--pc->count];
			pc->allocs++;
			cpu_array_put(pc);
			mark_allocated(c, obj);
			if (gfp & __GFP_ZERO)
				memset(obj, 0, c->object_size);
			return obj;
		}
		if (pc)
			cpu_array_put(pc);
	}
	return cache_alloc_nolock(c, gfp, caller);
}

/*
 * A gfp with more than __GFP_ZERO: the call names no cache, so it is
 * counted where kmalloc's other misuse is, in the default zone.
 */
static noinline void sx_nolock_bad_gfp(size_t size, gfp_t gfp)
{
	buddy_sim_count_error_nolock(sx_kmalloc_zone);
	mm_ext_report(MM_EXT_ZONE, buddy_sim_name(sx_kmalloc_zone), MM_EXT_MISUSE_BAD_FLAGS, NULL,
		      "zone %s: kmalloc_nolock(%zu, %pGg): only __GFP_ZERO is allowed\n",
		      buddy_sim_name(sx_kmalloc_zone), size, &gfp);
}

/**
 * slab_ext_kmalloc_nolock() - allocate @size bytes from any context
 * @size: bytes wanted, 1..8192
 * @gfp: 0 or __GFP_ZERO; any other flag is refused (NULL, reported and
 *	 counted in the default zone's errors, as kmalloc's bad frees are)
 *
 * mainline's kmalloc_nolock() (6.18): callable from any context, hard
 * interrupts and NMIs included. It never spins on a lock and never
 * sleeps: this CPU's array of the size class if it is not in use (by the
 * code this call interrupted), else the class's slab lists if their lock
 * is free, else the next size class up once, as mainline retries. A new
 * slab comes from buddy_sim_alloc_nolock(). Sizes over 8192 are not
 * served (mainline's large kmalloc is not either). On PREEMPT_RT, where
 * the locks sleep, it returns NULL in hard interrupt and NMI context, as
 * mainline does. Free with slab_ext_kfree_nolock() or slab_ext_kfree().
 *
 * Return: the memory, or NULL: "not now" (contention) or no memory.
 */
void *slab_ext_kmalloc_nolock(size_t size, gfp_t gfp)
{
	unsigned int i;
	void *obj;

	if (unlikely(gfp & ~__GFP_ZERO)) {
		sx_nolock_bad_gfp(size, gfp);
		return NULL;
	}
	if (!size || size > SLAB_EXT_KMALLOC_MAX || !mm_ext_nolock_may_trylock())
		return NULL;
	i = sx_kmalloc_index(size);
	obj = sx_alloc_nolock(sx_kmalloc_caches[i], gfp, _RET_IP_);
	if (obj == ERR_PTR(-EBUSY) && i + 1 < ARRAY_SIZE(sx_kmalloc_caches))
		obj = sx_alloc_nolock(sx_kmalloc_caches[++i], gfp, _RET_IP_);
	if (IS_ERR_OR_NULL(obj))
		return NULL;
	trace_mm_ext_kmalloc(_RET_IP_, obj, size, sx_kmalloc_caches[i]->size, gfp);
	return obj;
}
EXPORT_SYMBOL_GPL(slab_ext_kmalloc_nolock);

/*
 * A _nolock free of @obj in @slab of @c: every check of slab_ext_free(),
 * then this CPU's array if free and not full, else the slab list if its
 * lock is free, else deferred.
 */
static void sx_free_nolock(struct slab_ext_cache *c, struct buddy_sim_owner *slab, void *obj,
			   unsigned long caller)
{
	struct slab_ext_cpu *pc;
	unsigned long flags;
	unsigned int old;

	if (unlikely(!free_ok(c, slab, obj, NULL, true)))
		return;
	/* Marked first: a second free finds it wherever it goes from here. */
	set_fp(c, obj, cpu_mark(c, obj));
	if (!mm_ext_nolock_may_trylock())
		goto defer;
	if (!c->cpu) {
		if (cache_free(c, slab, obj, caller, true))
			goto done;
		goto defer;
	}
	pc = cpu_array_get(c);
	/* Sheaves tier: main only, as the allocation. */
	if (pc && pc->count < pc->limit) {
		pc->objs[pc->count++] = obj;
		pc->frees++;
		cpu_array_put(pc);
		sx_trace_free(c, obj, caller);
		return;
	}
	if (pc)
		cpu_array_put(pc);
	if (!cache_trylock(c, &flags))
		goto defer;
	old = slab->inuse;
	slab_push(c, slab, obj);
	slab_relist(c, slab, old);
	c->frees++;
	spin_unlock_irqrestore(&c->lock, flags);
	sx_trace_free(c, obj, caller);
done:
	/* Empty slabs beyond min_empty go back from the irq_work. */
	if (data_race(c->nr_empty > c->min_empty))
		sx_defer_kick();
	return;
defer:
	sx_defer(c, obj);
}

/*
 * A large block: no longer kmalloc memory to a second free from here on,
 * as in slab_ext_kfree(); given back to the zone now, or deferred.
 */
static void sx_kfree_large_nolock(struct buddy_sim_owner *head, void *obj)
{
	unsigned int order = head->order;
	struct sx_defer *d;

	head->large_size = 0;
	WRITE_ONCE(head->head, NULL);
	trace_mm_ext_kfree(_RET_IP_, obj, PAGE_SIZE << order);
	if (buddy_sim_free_nolock(sx_kmalloc_zone, obj, order))
		return;
	*(unsigned long *)(obj + sizeof(void *)) = order;
	atomic_long_inc(&sx_defer_pending);
	preempt_disable();
	d = this_cpu_ptr(sx_defers);
	llist_add(obj, &d->blocks);
	irq_work_queue(&d->work);
	preempt_enable();
}

/**
 * slab_ext_kfree_nolock() - free kmalloc memory from any context
 * @obj: what slab_ext_kmalloc() or slab_ext_kmalloc_nolock() returned, or
 *	 NULL (a no-op)
 *
 * mainline's kfree_nolock() (6.18): callable from any context, hard
 * interrupts and NMIs included; never spins on a lock nor sleeps. Every
 * check of slab_ext_kfree() is made (a double free is one report,
 * counted). When a lock the free needs is held (by the code this call
 * interrupted, or another CPU), the free is deferred to an irq_work on
 * this CPU, which does it as soon as interrupts are on (on PREEMPT_RT, in
 * its thread) and counts it then; cache info, shrink and module unload
 * wait for the deferred frees first. On PREEMPT_RT every free from a hard
 * interrupt or an NMI is deferred.
 */
void slab_ext_kfree_nolock(const void *obj)
{
	struct buddy_sim_owner *head;
	struct slab_ext_cache *cache;

	if (!obj || !sx_kmalloc_lookup(obj, "slab_ext_kfree_nolock", &cache, &head, true))
		return;
	if (cache)
		sx_free_nolock(cache, head, (void *)obj, _RET_IP_);
	else
		sx_kfree_large_nolock(head, (void *)obj);
}
EXPORT_SYMBOL_GPL(slab_ext_kfree_nolock);

/**
 * slab_ext_kmalloc_cache() - the kmalloc cache serving @size bytes
 * @size: 1..8192
 *
 * For tests and tools: its info, its CPU array bound, slab_ext_call_held().
 * Never destroy it.
 *
 * Return: the cache, or NULL for a size no cache serves.
 */
struct slab_ext_cache *slab_ext_kmalloc_cache(size_t size)
{
	if (!size || size > SLAB_EXT_KMALLOC_MAX)
		return NULL;
	return sx_kmalloc_caches[sx_kmalloc_index(size)];
}
EXPORT_SYMBOL_GPL(slab_ext_kmalloc_cache);

/**
 * slab_ext_call_held() - run a function with a cache's locks held on this CPU
 * @cache: the cache
 * @hold: SLAB_EXT_HOLD_CPU_ARRAY (this CPU's array, when the cache has
 *	  them), SLAB_EXT_HOLD_LOCK (the cache's lock), or both
 * @fn: called with them held on this CPU: preemption off, and interrupts
 *	off while the lock is held (but on PREEMPT_RT)
 * @arg: given to @fn
 *
 * For tests of the _nolock calls: what an interrupt or an NMI that @fn
 * raises finds when it interrupts an allocation or a free of the cache.
 * @fn must not sleep nor call the cache's other functions. May sleep
 * before @fn runs (on PREEMPT_RT, for a drain holding the array).
 */
void slab_ext_call_held(struct slab_ext_cache *cache, unsigned int hold,
			void (*fn)(void *arg), void *arg)
{
	struct slab_ext_cpu *pc = NULL;
	unsigned long flags;

	if ((hold & SLAB_EXT_HOLD_CPU_ARRAY) && cache->cpu) {
#ifdef CONFIG_PREEMPT_RT
		migrate_disable();
		pc = this_cpu_ptr(cache->cpu);
		spin_lock(&pc->lock);
#else
		/* Never busy in a task: only interrupts of its holder see it so. */
		pc = cpu_array_get(cache);
#endif
	}
	if (hold & SLAB_EXT_HOLD_LOCK) {
		spin_lock_irqsave(&cache->lock, flags);
		fn(arg);
		spin_unlock_irqrestore(&cache->lock, flags);
	} else {
		fn(arg);
	}
	if (pc)
		cpu_array_put(pc);
}
EXPORT_SYMBOL_GPL(slab_ext_call_held);

/* ---- module setup, and views for the glue ---- */

static int slab_ext_cpuhp_state;

/*
 * A CPU is gone: its arrays go back to the slabs, from the CPU that saw it,
 * so their objects are not stranded until the next drain. Runs under the
 * hotplug lock, which no path of the module takes inside its own locks.
 */
static void cache_cpu_dead(void *cache, void *cpu)
{
	struct slab_ext_cache *c = cache;

	if (c->cpu)
		drain_cpu(c, *(unsigned int *)cpu, SLAB_EXT_KEEP_LIMIT, true);
}

static int slab_ext_cpu_dead(unsigned int cpu)
{
	mm_ext_names_for_each(&slab_ext_caches, cache_cpu_dead, &cpu);
	return 0;
}

int slab_ext_init(struct buddy_sim *zone, bool debug)
{
	char name[MM_EXT_NAME_MAX + 1];
	unsigned int i;
	int ret, cpu;

	sx_kmalloc_zone = zone;
	sx_debug_all = debug;
	sx_defers = mm_ext_percpu_new(struct sx_defer);
	if (!sx_defers)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct sx_defer *d = per_cpu_ptr(sx_defers, cpu);

		init_llist_head(&d->linked[0]);
		init_llist_head(&d->linked[1]);
		init_llist_head(&d->blocks);
		init_irq_work(&d->work, sx_defer_work);
	}
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "mm_ext/slab:dead",
					NULL, slab_ext_cpu_dead);
	if (ret < 0) {
		slab_ext_exit();
		return ret;
	}
	slab_ext_cpuhp_state = ret;

	for (i = 0; i < ARRAY_SIZE(sx_kmalloc_sizes); i++) {
		snprintf(name, sizeof(name), "kmalloc-%u", sx_kmalloc_sizes[i]);
		sx_kmalloc_caches[i] = slab_ext_cache_create(NULL, name,
							     sx_kmalloc_sizes[i], 0, 0, NULL);
		if (IS_ERR(sx_kmalloc_caches[i])) {
			ret = PTR_ERR(sx_kmalloc_caches[i]);
			sx_kmalloc_caches[i] = NULL;
			slab_ext_exit();
			return ret;
		}
		/* No object is out yet: slab_ext_kfree() sees it set. */
		sx_kmalloc_caches[i]->kmalloc = true;
	}
	return 0;
}

static void cache_destroy(void *cache)
{
	slab_ext_cache_destroy(cache);
}

/* At unload: the kmalloc caches, then any cache a user left behind. */
void slab_ext_exit(void)
{
	unsigned int i;

	if (slab_ext_cpuhp_state > 0)
		cpuhp_remove_state_nocalls(slab_ext_cpuhp_state);
	slab_ext_cpuhp_state = 0;

	/* Every deferred free done before its cache goes. */
	sx_defer_flush();
	for (i = 0; i < ARRAY_SIZE(sx_kmalloc_caches); i++) {
		slab_ext_cache_destroy(sx_kmalloc_caches[i]);
		sx_kmalloc_caches[i] = NULL;
	}
	free_percpu(sx_defers);
	sx_defers = NULL;
	mm_ext_names_destroy_all(&slab_ext_caches, cache_destroy);
}

/* kmalloc caches belong to the module: never destroyed from the shell. */
bool slab_ext_is_kmalloc(struct slab_ext_cache *cache)
{
	unsigned int i;

	/* Compares pointers only: the shell asks of a cache that may be going. */
	for (i = 0; i < ARRAY_SIZE(sx_kmalloc_caches); i++)
		if (sx_kmalloc_caches[i] == cache)
			return true;
	return false;
}

struct buddy_sim *slab_ext_zone(struct slab_ext_cache *cache)
{
	return cache->zone;
}

const char *slab_ext_cache_name(struct slab_ext_cache *cache)
{
	return cache->name;
}

void slab_ext_get_extra(struct slab_ext_cache *cache, struct slab_ext_extra *extra)
{
	u64 allocs, frees, returns = sheaf_cpu_returns(cache);
	unsigned long flags;

	spin_lock_irqsave(&cache->lock, flags);
	extra->quarantined = cache->quarantined;
	extra->failures = cache->failures;
	extra->min_empty = cache->min_empty;
	sheaf_sums(cache, &extra->sheaves, &extra->sheaf_objects, &allocs);
	extra->sheaf_refills = cache->sheaf_refills;
	extra->sheaf_returns = cache->sheaf_returns + returns;
	/* Every prefill is returned or still out. */
	extra->sheaf_prefills = extra->sheaf_returns + extra->sheaves;
	extra->sheaf_failures = cache->sheaf_failures;
	spin_unlock_irqrestore(&cache->lock, flags);
	extra->sheaf_capacity = READ_ONCE(cache->sheaf_capacity);
	extra->align = cache->align;
	extra->flags = cache->flags;
	extra->cpu_max = READ_ONCE(cache->cpu_max);
	cpu_array_sums(cache, &extra->cpu_cached, &allocs, &frees);
	extra->has_ctor = !!cache->ctor;
	extra->ctor = cache->ctor;
}

/*
 * Objects the partial slabs have out, those resting in CPU arrays
 * included (the slabs count them as in use): what SLUB's
 * count_partial(n, count_inuse) counts, walked as it walks, under the lock.
 */
unsigned long slab_ext_partial_inuse(struct slab_ext_cache *cache)
{
	struct buddy_sim_owner *slab;
	unsigned long flags, n = 0;

	spin_lock_irqsave(&cache->lock, flags);
	list_for_each_entry(slab, &cache->partial, slab_list)
		n += slab->inuse;
	spin_unlock_irqrestore(&cache->lock, flags);
	return n;
}

/*
 * The allocations and frees counted on CPU @cpu's array (slab_ext_info's
 * allocs and frees are these summed over every possible CPU, plus what
 * the slab path counted), read without the owner's help as
 * cpu_array_sums() reads them; 0 and 0 for a cache without arrays.
 */
void slab_ext_cpu_served(struct slab_ext_cache *cache, int cpu, u64 *allocs, u64 *frees)
{
	struct slab_ext_cpu *pc;

	*allocs = 0;
	*frees = 0;
	if (!cache->cpu)
		return;
	pc = per_cpu_ptr(cache->cpu, cpu);
	*allocs = READ_ONCE(pc->allocs);
	*frees = READ_ONCE(pc->frees);
}

/* Lowering the number kept gives the surplus empty slabs back at once. */
int slab_ext_set_min_empty(struct slab_ext_cache *cache, unsigned int min_empty)
{
	LIST_HEAD(released);
	unsigned long flags;

	if (min_empty > 1024)
		return -EINVAL;
	spin_lock_irqsave(&cache->lock, flags);
	cache->min_empty = min_empty;
	take_empty_slabs(cache, min_empty, &released);
	spin_unlock_irqrestore(&cache->lock, flags);
	discard_slabs(cache, &released);
	return 0;
}
