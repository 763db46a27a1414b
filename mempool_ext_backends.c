// SPDX-License-Identifier: GPL-2.0
/*
 * The pools the API offers on mm_ext's own allocators: a slab_ext cache,
 * blocks of a buddy_sim zone, slab_ext_kmalloc(). Each is a struct
 * mempool_ext_ops, as mm/mempool.c's mempool_alloc_slab() and friends are
 * alloc_fn/free_fn pairs, plus the "is this element out?" callbacks with
 * which mempool_ext.c refuses double frees and foreign pointers. This file
 * stands above slab_ext and buddy_sim, so mempool_ext.c needs neither.
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_layers.h"

static void *pool_slab_alloc(gfp_t gfp, void *cache)
{
	return slab_ext_alloc(cache, gfp);
}

static void pool_slab_free(void *element, void *cache)
{
	slab_ext_free(cache, element);
}

static bool pool_slab_valid(void *element, void *cache)
{
	return slab_ext_obj_allocated(cache, element);
}

static bool pool_slab_free_valid(void *element, void *cache)
{
	return slab_ext_free_if_allocated(cache, element);
}

static const struct mempool_ext_ops pool_slab_ops = {
	.alloc = pool_slab_alloc,
	.free = pool_slab_free,
	.valid = pool_slab_valid,
	.free_valid = pool_slab_free_valid,
};

/**
 * mempool_ext_create_slab_pool() - a pool over a slab_ext cache
 * @name: the pool's name
 * @min_nr: elements kept in reserve
 * @cache: the cache elements come from
 *
 * Elements resting in the reserve are poisoned unless the cache has a ctor.
 *
 * Return: as mempool_ext_create(); ERR_PTR(-EINVAL) for a NULL or error
 * @cache.
 */
struct mempool_ext *mempool_ext_create_slab_pool(const char *name, int min_nr,
						 struct slab_ext_cache *cache)
{
	struct slab_ext_extra extra;
	struct slab_ext_info info;

	if (IS_ERR_OR_NULL(cache))
		return ERR_PTR(-EINVAL);
	slab_ext_cache_info(cache, &info);
	slab_ext_get_extra(cache, &extra);
	/* Poison would destroy what a ctor built: such elements rest unpoisoned. */
	return mempool_ext_create_ops(name, min_nr, &pool_slab_ops, cache,
				      extra.has_ctor ? 0 : info.object_size, cache);
}
EXPORT_SYMBOL_GPL(mempool_ext_create_slab_pool);

/* What a page pool's callbacks need. */
struct pool_page {
	struct buddy_sim *zone;
	unsigned int order;
};

static void *pool_page_alloc(gfp_t gfp, void *data)
{
	struct pool_page *page = data;

	return buddy_sim_alloc(page->zone, gfp, page->order);
}

static void pool_page_free(void *element, void *data)
{
	struct pool_page *page = data;

	buddy_sim_free(page->zone, element, page->order);
}

static bool pool_page_valid(void *element, void *data)
{
	struct pool_page *page = data;

	return buddy_sim_block_allocated(page->zone, element, page->order);
}

static void pool_page_release(void *data)
{
	kfree(data);
}

static const struct mempool_ext_ops pool_page_ops = {
	.alloc = pool_page_alloc,
	.free = pool_page_free,
	.valid = pool_page_valid,
	.release = pool_page_release,
};

/**
 * mempool_ext_create_page_pool() - a pool of page blocks from a zone
 * @name: the pool's name
 * @min_nr: blocks kept in reserve
 * @zone: the zone blocks come from
 * @order: every block is 1 << @order pages
 *
 * Return: as mempool_ext_create(); ERR_PTR(-EINVAL) for a NULL or error
 * @zone or an order over BUDDY_SIM_MAX_ORDER.
 */
struct mempool_ext *mempool_ext_create_page_pool(const char *name, int min_nr,
						 struct buddy_sim *zone,
						 unsigned int order)
{
	struct pool_page *page;

	if (IS_ERR_OR_NULL(zone) || order > BUDDY_SIM_MAX_ORDER)
		return ERR_PTR(-EINVAL);
	page = kmalloc(sizeof(*page), GFP_KERNEL);
	if (!page)
		return ERR_PTR(-ENOMEM);
	page->zone = zone;
	page->order = order;
	return mempool_ext_create_ops(name, min_nr, &pool_page_ops, page,
				      PAGE_SIZE << order, zone);
}
EXPORT_SYMBOL_GPL(mempool_ext_create_page_pool);

static void *pool_kmalloc(gfp_t gfp, void *size)
{
	return slab_ext_kmalloc((size_t)size, gfp);
}

static void pool_kfree(void *element, void *size)
{
	slab_ext_kfree(element);
}

static bool pool_kmalloc_valid(void *element, void *size)
{
	return slab_ext_kmalloc_allocated(element, (size_t)size);
}

static const struct mempool_ext_ops pool_kmalloc_ops = {
	.alloc = pool_kmalloc,
	.free = pool_kfree,
	.valid = pool_kmalloc_valid,
};

/**
 * mempool_ext_create_kmalloc_pool() - a pool of slab_ext_kmalloc() memory
 * @name: the pool's name
 * @min_nr: elements kept in reserve
 * @size: bytes in each element
 *
 * Return: as mempool_ext_create(); ERR_PTR(-EINVAL) for a @size of 0 or
 * over a max-order block.
 */
struct mempool_ext *mempool_ext_create_kmalloc_pool(const char *name,
						    int min_nr, size_t size)
{
	if (!size || size > (PAGE_SIZE << BUDDY_SIM_MAX_ORDER))
		return ERR_PTR(-EINVAL);
	return mempool_ext_create_ops(name, min_nr, &pool_kmalloc_ops, (void *)size,
				      size, NULL);
}
EXPORT_SYMBOL_GPL(mempool_ext_create_kmalloc_pool);
