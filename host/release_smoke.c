// SPDX-License-Identifier: GPL-2.0
/*
 * Links against host/build/release/libmm_ext_host.a alone, as a benchmark
 * or a fuzzer would, and uses each layer once from two CPUs: the library
 * must be complete without the KUnit runner.
 */

#include "mm_ext_host.h"
#include "mm_ext_layers.h"

#define SMOKE_OBJS 1000

static void *smoke_objs[SMOKE_OBJS];

int main(void)
{
	struct mempool_ext *pool;
	struct buddy_sim_info info;
	void *page, *elem;
	int i;

	mm_ext_host_quiet(true);
	mm_ext_host_init(1024);
	for (i = 0; i < SMOKE_OBJS; i++) {
		mm_ext_host_set_cpu(i % 2);
		smoke_objs[i] = slab_ext_kmalloc(8 + i % 2041, GFP_KERNEL);
		if (!smoke_objs[i])
			return 1;
	}
	for (i = 0; i < SMOKE_OBJS; i++) {
		mm_ext_host_set_cpu(1 - i % 2);	/* freed on the other CPU */
		slab_ext_kfree(smoke_objs[i]);
	}
	page = buddy_sim_alloc(buddy_sim_default(), GFP_KERNEL, 2);
	pool = mempool_ext_create_kmalloc_pool("smoke", 4, 64);
	if (!page || IS_ERR_OR_NULL(pool))
		return 1;
	elem = mempool_ext_alloc(pool, GFP_KERNEL);
	if (!elem)
		return 1;
	mempool_ext_free(elem, pool);
	mempool_ext_destroy(pool);
	buddy_sim_free(buddy_sim_default(), page, 2);
	/* A double free: refused, reported once. */
	slab_ext_kfree(smoke_objs[0]);
	buddy_sim_info(buddy_sim_default(), &info);
	mm_ext_host_exit();
	if (mm_ext_host_reports() != 1 || mm_ext_host_warnings()) {
		fprintf(stderr, "release smoke: %lu reports (1 expected), %lu warnings\n",
			mm_ext_host_reports(), mm_ext_host_warnings());
		return 1;
	}
	printf("release smoke: ok (%lu of %lu pages free before unload)\n",
	       info.nr_free_pages, info.nr_pages);
	return 0;
}
