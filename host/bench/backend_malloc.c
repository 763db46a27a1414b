// SPDX-License-Identifier: GPL-2.0
/*
 * The malloc() backend of bench_host: glibc's, or jemalloc's, tcmalloc's,
 * mimalloc's when LD_PRELOAD loads one of those in front of libc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_backend.h"

const char *bench_backend_name(void)
{
	return "malloc";
}

/* The file mapped where malloc() is, from /proc/self/maps. */
const char *bench_backend_what(void)
{
	static char path[512];
	uintptr_t at = (uintptr_t)malloc;
	unsigned long lo, hi;
	char line[1024];
	FILE *f = fopen("/proc/self/maps", "r");

	snprintf(path, sizeof(path), "?");
	if (!f)
		return path;
	while (fgets(line, sizeof(line), f)) {
		char file[512];

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %511s", &lo, &hi, file) == 3 &&
		    at >= lo && at < hi) {
			snprintf(path, sizeof(path), "%s", file);
			break;
		}
	}
	fclose(f);
	return path;
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
