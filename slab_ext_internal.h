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

extern const char *const slab_ext_tier_stat_names[SX_NR_TIER_STATS];

/*
 * The fast paths' entry points, on two pages of text (MM_EXT_FAST_PATH):
 * the pairs', and the sheaves' with the check a pool's free makes.
 */
MM_EXT_FAST_PATH(slab_ext) void *slab_ext_alloc(struct slab_ext_cache *cache, gfp_t gfp);
MM_EXT_FAST_PATH(slab_ext) void slab_ext_free(struct slab_ext_cache *cache, void *obj);
MM_EXT_FAST_PATH(slab_ext) void *slab_ext_kmalloc(size_t size, gfp_t gfp);
MM_EXT_FAST_PATH(slab_ext) void slab_ext_kfree(const void *obj);
MM_EXT_FAST_PATH(slab_ext_sheaf) struct slab_ext_sheaf *
slab_ext_prefill_sheaf(struct slab_ext_cache *cache, gfp_t gfp, unsigned int count);
MM_EXT_FAST_PATH(slab_ext_sheaf) void *
slab_ext_alloc_from_sheaf(struct slab_ext_cache *cache, gfp_t gfp, struct slab_ext_sheaf *sheaf);
MM_EXT_FAST_PATH(slab_ext_sheaf) void
slab_ext_return_sheaf(struct slab_ext_cache *cache, gfp_t gfp, struct slab_ext_sheaf *sheaf);
MM_EXT_FAST_PATH(slab_ext_sheaf) bool
slab_ext_free_if_allocated(struct slab_ext_cache *cache, void *obj);

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
bool slab_ext_kmalloc_allocated(const void *obj, size_t size);
unsigned long slab_ext_partial_inuse(struct slab_ext_cache *cache);
void slab_ext_cpu_served(struct slab_ext_cache *cache, int cpu, u64 *allocs, u64 *frees);

#endif /* _SLAB_EXT_INTERNAL_H */
