/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What buddy_sim.c offers the layers above it and the glue beyond the
 * public API (include/mm_ext/buddy_sim.h): never exported. It includes
 * nothing of mm_ext above buddy_sim.
 */
#ifndef _BUDDY_SIM_INTERNAL_H
#define _BUDDY_SIM_INTERNAL_H

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <mm_ext/buddy_sim.h>
#include "mm_ext_base.h"

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
void *buddy_sim_base(struct buddy_sim *zone);
unsigned long buddy_sim_pfn(struct buddy_sim *zone, const void *addr);
unsigned long buddy_sim_max_pages(void);
const char *buddy_sim_name(struct buddy_sim *zone);
void buddy_sim_count_error(struct buddy_sim *zone);
void buddy_sim_count_error_nolock(struct buddy_sim *zone);
bool buddy_sim_free_nolock(struct buddy_sim *zone, void *addr, unsigned int order);
bool buddy_sim_block_allocated(struct buddy_sim *zone, const void *addr,
			       unsigned int order);
char *buddy_sim_pagemap(struct buddy_sim *zone, unsigned long *nr_pages);
unsigned int buddy_sim_get_pcp(struct buddy_sim *zone);

/* The fast paths' entry points: on one page of text (MM_EXT_FAST_PATH). */
MM_EXT_FAST_PATH(buddy_sim) void *
buddy_sim_alloc(struct buddy_sim *zone, gfp_t gfp, unsigned int order);
MM_EXT_FAST_PATH(buddy_sim) void
buddy_sim_free(struct buddy_sim *zone, void *addr, unsigned int order);

/* Module load and unload; at unload every zone must be gone. */
int buddy_sim_init(void);
void buddy_sim_exit(void);

#endif /* _BUDDY_SIM_INTERNAL_H */
