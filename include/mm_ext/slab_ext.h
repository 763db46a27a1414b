/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slab_ext - kmem_cache-style object caches carved from the pages of a
 * buddy_sim zone.
 */
#ifndef _MM_EXT_SLAB_EXT_H
#define _MM_EXT_SLAB_EXT_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <mm_ext/buddy_sim.h>

struct slab_ext_cache;			/* opaque */

struct slab_ext_info {
	unsigned int object_size;	/* as asked */
	unsigned int size;		/* stride, metadata and alignment included */
	unsigned int objs_per_slab;
	unsigned int order;		/* pages per slab = 1 << order */
	unsigned long nr_full, nr_partial, nr_empty; /* slabs on each list */
	unsigned long active_objs, total_objs;
	u64 allocs, frees, errors;
};

struct slab_ext_cache *slab_ext_cache_create(struct buddy_sim *zone,
					     const char *name, unsigned int size,
					     unsigned int align, slab_flags_t flags,
					     void (*ctor)(void *));
/*
 * Creation arguments, as mainline's struct kmem_cache_args (6.18):
 * sheaf_capacity nonzero puts the cache on the sheaves tier, with sheaves
 * of that many objects (1..256); 0 keeps the CPU arrays.
 */
struct slab_ext_cache_args {
	unsigned int align;
	void (*ctor)(void *obj);
	unsigned int sheaf_capacity;
};

struct slab_ext_cache *slab_ext_cache_create_args(struct buddy_sim *zone,
						  const char *name, unsigned int size,
						  struct slab_ext_cache_args *args,
						  slab_flags_t flags);
void *slab_ext_alloc(struct slab_ext_cache *cache, gfp_t gfp);
void slab_ext_free(struct slab_ext_cache *cache, void *obj);
int slab_ext_shrink(struct slab_ext_cache *cache);
void slab_ext_cache_destroy(struct slab_ext_cache *cache);
void slab_ext_cache_info(struct slab_ext_cache *cache, struct slab_ext_info *info);

void *slab_ext_kmalloc(size_t size, gfp_t gfp);
void slab_ext_kfree(const void *obj);
size_t slab_ext_ksize(const void *obj);

/* Prefilled sheaves (mainline 6.18: kmem_cache_prefill_sheaf & co.). */
struct slab_ext_sheaf;			/* opaque: a batch of objects set aside */
struct slab_ext_sheaf *slab_ext_prefill_sheaf(struct slab_ext_cache *cache,
					      gfp_t gfp, unsigned int count);
void *slab_ext_alloc_from_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
				struct slab_ext_sheaf *sheaf);
int slab_ext_refill_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
			  struct slab_ext_sheaf **sheafp, unsigned int count);
void slab_ext_return_sheaf(struct slab_ext_cache *cache, gfp_t gfp,
			   struct slab_ext_sheaf *sheaf);
unsigned int slab_ext_sheaf_size(struct slab_ext_sheaf *sheaf);

/* Bulk (kmem_cache_alloc_bulk / kmem_cache_free_bulk). */
int slab_ext_alloc_bulk(struct slab_ext_cache *cache, gfp_t gfp, size_t nr, void **p);
void slab_ext_free_bulk(struct slab_ext_cache *cache, size_t nr, void **p);

/* Any context, NMIs included (kmalloc_nolock, kfree_nolock): NULL is "not now". */
void *slab_ext_kmalloc_nolock(size_t size, gfp_t gfp);
void slab_ext_kfree_nolock(const void *obj);

/* Beyond the core contract: bound (1..128) or turn off (0) the CPU arrays. */
int slab_ext_set_cpu_cache(struct slab_ext_cache *cache, unsigned int max);

/* Beyond the core contract: the per-CPU tier, arrays or sheaves, and its counters. */
/*
 * The sheaves tier's events, named after mainline's SLUB stat items
 * (mm/slub.c, enum stat_item; the sysfs file of each is its name).
 */
enum slab_ext_tier_stat {
	SX_SHEAF_FLUSH,		/* objects flushed from a sheaf to the slabs */
	SX_SHEAF_REFILL,	/* objects refilled into a sheaf from the slabs */
	SX_SHEAF_ALLOC,		/* sheaves allocated */
	SX_SHEAF_FREE,		/* sheaves freed */
	SX_BARN_GET,		/* a full sheaf got from the barn */
	SX_BARN_GET_FAIL,	/* the barn had none */
	SX_BARN_PUT,		/* a full sheaf put in the barn */
	SX_BARN_PUT_FAIL,	/* the barn had no room (or no empty sheaf to give) */
	SX_SHEAF_SWAP,		/* main and spare swapped (mm_ext's own) */
	SX_SHEAF_PREFILL_FAST,	/* prefill served by a full sheaf of the barn */
	SX_SHEAF_PREFILL_SLOW,	/* prefill filled from the slabs */
	SX_SHEAF_RETURN_FAST,	/* a returned sheaf kept in the barn */
	SX_SHEAF_RETURN_SLOW,	/* a returned sheaf flushed and freed */
	SX_NR_TIER_STATS
};

#define SLAB_EXT_SHEAF_MAX	256	/* largest tier sheaf: one kmalloc under a page */

enum slab_ext_tier { SLAB_EXT_TIER_ARRAYS, SLAB_EXT_TIER_SHEAVES };

struct slab_ext_tier_info {
	enum slab_ext_tier tier;
	unsigned int sheaf_capacity;
	unsigned int barn_full, barn_empty;
	unsigned long barn_objects;	/* free objects in the barn's full sheaves */
	unsigned long cpu_sheaf_objects; /* free objects in CPUs' main and spare */
	u64 stat[SX_NR_TIER_STATS];	/* summed over CPUs and the barn */
};

int slab_ext_set_tier(struct slab_ext_cache *cache, enum slab_ext_tier tier,
		      unsigned int capacity, bool drain);
void slab_ext_get_tier(struct slab_ext_cache *cache, struct slab_ext_tier_info *ti);
void slab_ext_cpu_tier_stat(struct slab_ext_cache *cache, int cpu, u64 *stat);

/*
 * Beyond the core contract, for tests of the _nolock calls: the kmalloc
 * cache serving @size bytes (never destroy it), and @fn run with this
 * CPU's array of @cache and/or its lock held, as an allocation inside the
 * cache holds them when an interrupt or NMI arrives.
 */
#define SLAB_EXT_HOLD_CPU_ARRAY	0x1
#define SLAB_EXT_HOLD_LOCK	0x2
struct slab_ext_cache *slab_ext_kmalloc_cache(size_t size);
void slab_ext_call_held(struct slab_ext_cache *cache, unsigned int hold,
			void (*fn)(void *arg), void *arg);

#endif /* _MM_EXT_SLAB_EXT_H */
