/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the layers offer each other and the glue beyond the public API in
 * include/mm_ext/: never exported, and never anything of the glue. Each
 * section is implemented by the layer it names; a layer uses only the
 * sections of the layers below it.
 */
#ifndef _MM_EXT_LAYERS_H
#define _MM_EXT_LAYERS_H

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_base.h"

/* ---- buddy_sim.c ---- */

/*
 * Objects start on 8-byte boundaries (alignment is at least a pointer), so
 * one bit per 8-byte granule of a page names every object that starts in
 * it: 512 bits for a 4 KiB page.
 */
#define MM_EXT_OBJ_GRANULE	8
#define MM_EXT_PAGE_OBJ_BITS	(PAGE_SIZE / MM_EXT_OBJ_GRANULE)

/*
 * What each page of a zone keeps for the layer that owns an allocated
 * block, as struct page's slab fields do for SLUB. The owner fills it in
 * when it takes a block and clears it before giving the block back.
 */
struct buddy_sim_owner {
	struct buddy_sim_owner *head;	/* every page of a slab or large block: its head */
	/*
	 * Every page of a slab: one bit for each object starting in it, set
	 * while the object is on its slab's free list (under the cache lock).
	 * A free pointer is followed only to an object whose bit is set, and
	 * a free of an object whose bit is set is a double free.
	 */
	unsigned long onlist[BITS_TO_LONGS(MM_EXT_PAGE_OBJ_BITS)];
	/* The rest is used on head pages only. */
	void *cache;			/* owning slab_ext_cache; NULL for a large kmalloc */
	void *addr;			/* the block's first byte */
	void *freelist;			/* first free object of the slab */
	struct list_head slab_list;	/* on the cache's full, partial or empty list */
	unsigned int inuse;		/* objects not free in the slab (quarantined too) */
	unsigned int order;		/* block order */
	unsigned int nr_fresh;		/* slab: last objects, never handed out nor listed */
	bool isolated;			/* free list found corrupt: never allocated from */
	size_t large_size;		/* large kmalloc: the size asked for */
};

struct buddy_sim_owner *buddy_sim_owner(struct buddy_sim *zone, const void *addr);
size_t buddy_sim_owner_stride(void);
unsigned long buddy_sim_pfn(struct buddy_sim *zone, const void *addr);
unsigned long buddy_sim_max_pages(void);
const char *buddy_sim_name(struct buddy_sim *zone);
void buddy_sim_count_error(struct buddy_sim *zone);
bool buddy_sim_block_allocated(struct buddy_sim *zone, const void *addr,
			       unsigned int order);
char *buddy_sim_pagemap(struct buddy_sim *zone, unsigned long *nr_pages);
unsigned int buddy_sim_get_pcp(struct buddy_sim *zone);
/* Module load and unload; at unload every zone must be gone. */
int buddy_sim_init(void);
void buddy_sim_exit(void);

/* ---- slab_ext.c ---- */

struct slab_ext_extra {
	unsigned long quarantined;	/* objects kept out of use after corruption */
	u64 failures;			/* allocations the zone could not serve */
	unsigned int min_empty;		/* empty slabs kept before giving back */
	unsigned int align;
	slab_flags_t flags;
	bool has_ctor;
	unsigned int cpu_max;		/* bound of the CPU arrays; 0: none */
	unsigned long cpu_cached;	/* free objects in the CPU arrays now */
};

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

/* ---- mempool_ext.c ---- */

/*
 * A pool's backend, as mempool_create()'s alloc_fn/free_fn plus what the
 * misuse checks may ask. mempool_ext.c knows its backends only by this.
 */
struct mempool_ext_ops {
	mempool_ext_alloc_t *alloc;
	mempool_ext_free_t *free;
	/* Optional: whether the backend has @element out now (may be freed). */
	bool (*valid)(void *element, void *pool_data);
	/*
	 * Optional: free @element when the backend has it out, in one look
	 * up, and say whether it did (nothing changes when not).
	 */
	bool (*free_valid)(void *element, void *pool_data);
	/* Optional: @pool_data is no longer needed (the pool is destroyed). */
	void (*release)(void *pool_data);
};

/*
 * A pool over @ops: @elem_size bytes are poisoned in the reserve (0: none),
 * @below is what observers are told the pool takes its elements from.
 * On failure @ops->release is called, as a destroy would.
 */
struct mempool_ext *mempool_ext_create_ops(const char *name, int min_nr,
					   const struct mempool_ext_ops *ops,
					   void *pool_data, size_t elem_size,
					   void *below);
const char *mempool_ext_name(struct mempool_ext *pool);
void *mempool_ext_alloc_until(struct mempool_ext *pool, gfp_t gfp, bool (*stop)(void));
/* At unload every pool must be gone. */
void mempool_ext_exit(void);

#endif /* _MM_EXT_LAYERS_H */
