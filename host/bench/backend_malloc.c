// SPDX-License-Identifier: GPL-2.0
/*
 * The malloc() backend of bench_host: glibc's, or jemalloc's, tcmalloc's,
 * mimalloc's when LD_PRELOAD loads one of those in front of libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

#include "bench_backend.h"

const char bench_backend_name[] = "malloc";

const char *bench_backend_what(void)
{
	Dl_info info;

	if (dladdr((void *)malloc, &info) && info.dli_fname)
		return info.dli_fname;
	return "?";
}

int bench_backend_init(int nr_threads)
{
	(void)nr_threads;
	return 0;
}

void bench_backend_thread(int id)
{
	(void)id;
}

void *bench_alloc(size_t size)
{
	return malloc(size);
}

void bench_free(void *obj)
{
	free(obj);
}

int bench_backend_exit(void)
{
	return 0;
}
