/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempool_ext - mempool_t-style reserve pools that guarantee a minimum
 * number of elements under memory pressure (mm/mempool.c semantics).
 */
#ifndef _MM_EXT_MEMPOOL_EXT_H
#define _MM_EXT_MEMPOOL_EXT_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>

typedef void *(mempool_ext_alloc_t)(gfp_t gfp, void *pool_data);
typedef void (mempool_ext_free_t)(void *element, void *pool_data);

struct mempool_ext;			/* opaque */

struct mempool_ext_info {
	int min_nr, curr_nr;		/* reserve target, elements in reserve now */
	u64 allocs;			/* successful mempool_ext_alloc calls */
	u64 reserve_allocs;		/* of those, served from the reserve */
	u64 frees, refills;		/* refills: frees that went to the reserve */
	u64 waits;			/* times a caller slept for an element */
	u64 failures;			/* NULL returned */
};

struct mempool_ext *mempool_ext_create(const char *name, int min_nr,
				       mempool_ext_alloc_t *alloc_fn,
				       mempool_ext_free_t *free_fn,
				       void *pool_data);
struct mempool_ext *mempool_ext_create_slab_pool(const char *name, int min_nr,
						 struct slab_ext_cache *cache);
struct mempool_ext *mempool_ext_create_page_pool(const char *name, int min_nr,
						 struct buddy_sim *zone,
						 unsigned int order);
struct mempool_ext *mempool_ext_create_kmalloc_pool(const char *name,
						    int min_nr, size_t size);
int mempool_ext_resize(struct mempool_ext *pool, int new_min_nr);
void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp);
void *mempool_ext_alloc_preallocated(struct mempool_ext *pool);
void mempool_ext_free(void *element, struct mempool_ext *pool);
void mempool_ext_destroy(struct mempool_ext *pool);
void mempool_ext_info(struct mempool_ext *pool, struct mempool_ext_info *info);

/* Bulk (mainline 6.19 mempool_alloc_bulk / mempool_free_bulk). */
int mempool_ext_alloc_bulk(struct mempool_ext *pool, void **elems,
			   unsigned int count, gfp_t gfp);
unsigned int mempool_ext_free_bulk(struct mempool_ext *pool, void **elems,
				   unsigned int count);

/* Beyond mempool_t: what the reserve went through, and misuse counted. */
struct mempool_ext_extra {
	int lowest_nr;			/* the lowest the reserve has fallen to */
	u64 errors;			/* misuse: bad frees, __GFP_ZERO, reserve writes */
	size_t elem_size;		/* bytes poisoned in the reserve; 0: unknown */
};

void mempool_ext_get_extra(struct mempool_ext *pool, struct mempool_ext_extra *extra);

#endif /* _MM_EXT_MEMPOOL_EXT_H */
