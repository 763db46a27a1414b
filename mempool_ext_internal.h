/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mempool_ext.c offers beyond the public API
 * (include/mm_ext/mempool_ext.h): a pool over any backend given as
 * callbacks, which is how mempool_ext_backends.c and the glue make pools.
 * Never exported. mempool_ext.c knows nothing of the other layers.
 */
#ifndef _MEMPOOL_EXT_INTERNAL_H
#define _MEMPOOL_EXT_INTERNAL_H

#include <mm_ext/mempool_ext.h>
#include "mm_ext_base.h"

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
int mempool_ext_alloc_bulk_until(struct mempool_ext *pool, void **elems,
				 unsigned int count, gfp_t gfp, bool (*stop)(void));
/* At unload every pool must be gone. */
void mempool_ext_exit(void);

/* The fast paths' entry points: on one page of text (MM_EXT_FAST_PATH). */
MM_EXT_FAST_PATH(mempool_ext) void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp);
MM_EXT_FAST_PATH(mempool_ext) void mempool_ext_free(void *element, struct mempool_ext *pool);

#endif /* _MEMPOOL_EXT_INTERNAL_H */
