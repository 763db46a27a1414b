// SPDX-License-Identifier: GPL-2.0
/*
 * The mm_ext backend of bench_host: slab_ext_kmalloc()/slab_ext_kfree() of
 * the host build (host/), each thread on a CPU id of its own, so each has
 * its own per-CPU object arrays as a thread cache would. Compiled with the
 * host shim's include path, linked with its release library.
 */
#include <linux/host_shim.h>
#include <mm_ext/slab_ext.h>

#include "mm_ext_host.h"
#include "bench_backend.h"

/*
 * The default zone: 65536 pages (256 MiB with 4 KiB pages). At most
 * threads/2 rings of 1024 slots of 2 KiB objects are in flight (16 MiB
 * with 16 threads), plus the slabs the CPU arrays hold; malloc() backs the
 * zone, so pages never touched cost nothing.
 */
#define BENCH_MM_EXT_PAGES	65536UL

const char *bench_backend_name(void)
{
	return "mm_ext";
}

static char what[128];
static int nr_ids;

const char *bench_backend_what(void)
{
	return what;
}

int bench_backend_init(int nr_threads)
{
	mm_ext_host_quiet(true);
	mm_ext_host_init(BENCH_MM_EXT_PAGES);
	nr_ids = nr_cpu_ids;
	if (nr_threads <= nr_ids)
		snprintf(what, sizeof(what),
			 "mm_ext slab_ext_kmalloc, %d threads on CPU ids 0..%d",
			 nr_threads, nr_threads - 1);
	else
		snprintf(what, sizeof(what),
			 "mm_ext slab_ext_kmalloc, %d threads sharing %d CPU ids",
			 nr_threads, nr_ids);
	return 0;
}

void bench_backend_thread(int id)
{
	mm_ext_host_set_cpu(id % nr_ids);
}

void *bench_alloc(size_t size)
{
	return slab_ext_kmalloc(size, GFP_KERNEL);
}

void bench_free(void *obj)
{
	slab_ext_kfree(obj);
}

int bench_backend_exit(void)
{
	mm_ext_host_exit();
	if (!mm_ext_host_reports() && !mm_ext_host_warnings())
		return 0;
	fprintf(stderr, "bench_host: mm_ext made %lu reports and %lu warnings\n",
		mm_ext_host_reports(), mm_ext_host_warnings());
	return -1;
}
