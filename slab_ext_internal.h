/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What slab_ext.c offers the layers above it and the glue beyond the
 * public API (include/mm_ext/slab_ext.h): never exported. Below it is
 * only buddy_sim.
 */
#ifndef _SLAB_EXT_INTERNAL_H
#define _SLAB_EXT_INTERNAL_H

#include <linux/slab.h>
#include <mm_ext/slab_ext.h>
#include "buddy_sim_internal.h"

struct slab_ext_extra {
	unsigned long quarantined;	/* objects kept out of use after corruption */
	u64 failures;			/* allocations the zone could not serve */
	unsigned int min_empty;		/* empty slabs kept before giving back */
	unsigned int align;
	slab_flags_t flags;
	bool has_ctor;
	void (*ctor)(void *obj);	/* as given at creation, or NULL */
	unsigned int cpu_max;		/* bound of the CPU arrays; 0: none */
	unsigned long cpu_cached;	/* free objects in the CPU arrays now */
	unsigned int sheaf_capacity;	/* objects in a regular sheaf */
	unsigned long sheaves;		/* prefilled sheaves not yet returned */
	unsigned long sheaf_objects;	/* free objects those hold now */
	u64 sheaf_prefills, sheaf_refills, sheaf_returns;
	u64 sheaf_failures;		/* prefills and refills that failed */
};

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

extern const char *const slab_ext_tier_stat_names[SX_NR_TIER_STATS];

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

/*
 * The per-CPU tier and its sheaf capacity (1..SLAB_EXT_SHEAF_MAX; 0 keeps
 * it). With @drain, the tier is emptied into the slabs first (as shrink
 * does); without, a tier holding free objects is -EBUSY. -EINVAL for a
 * debug cache's sheaves (it has no per-CPU tier) or a bad capacity.
 */
int slab_ext_set_tier(struct slab_ext_cache *cache, enum slab_ext_tier tier,
		      unsigned int capacity, bool drain);
void slab_ext_get_tier(struct slab_ext_cache *cache, struct slab_ext_tier_info *ti);
/* One CPU's tier counters (no barn's), for SLUB's per-CPU "C<n>=" form. */
void slab_ext_cpu_tier_stat(struct slab_ext_cache *cache, int cpu, u64 *stat);

/*
 * Module load: the kmalloc caches are made on @zone, which is also the
 * zone of caches created with a NULL one; @debug turns on poisoning, red
 * zones and user tracking in every cache. At unload the kmalloc caches go,
 * and every other cache must be gone already.
 */
int slab_ext_init(struct buddy_sim *zone, bool debug);
void slab_ext_exit(void);
const char *slab_ext_cache_name(struct slab_ext_cache *cache);
bool slab_ext_is_kmalloc(struct slab_ext_cache *cache);
struct buddy_sim *slab_ext_zone(struct slab_ext_cache *cache);
void slab_ext_get_extra(struct slab_ext_cache *cache, struct slab_ext_extra *extra);
int slab_ext_set_min_empty(struct slab_ext_cache *cache, unsigned int min_empty);
bool slab_ext_obj_allocated(struct slab_ext_cache *cache, const void *obj);
bool slab_ext_free_if_allocated(struct slab_ext_cache *cache, void *obj);
bool slab_ext_kmalloc_allocated(const void *obj, size_t size);
unsigned long slab_ext_partial_inuse(struct slab_ext_cache *cache);
void slab_ext_cpu_served(struct slab_ext_cache *cache, int cpu, u64 *allocs, u64 *frees);

#endif /* _SLAB_EXT_INTERNAL_H */
