/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator under test, as bench_host.c sees it. One backend file is
 * linked into each driver binary:
 *
 *   backend_malloc.c   malloc()/free(): glibc, or whichever allocator
 *                      LD_PRELOAD puts in front of it
 *   backend_mm_ext.c   slab_ext_kmalloc()/slab_ext_kfree() from the host
 *                      build of mm_ext (host/, libmm_ext_host.a)
 *
 * Each backend lives in its own file so that the host shim's kernel-style
 * headers and the driver's libc headers never meet in one translation unit.
 * Both drivers pay the same one direct call per allocation and per free.
 */
#ifndef _BENCH_BACKEND_H
#define _BENCH_BACKEND_H

#include <stddef.h>

/* A short name for the output ("malloc" or "mm_ext"). */
const char *bench_backend_name(void);
/* Which allocator serves the calls: for malloc, the file that defines it. */
const char *bench_backend_what(void);

/*
 * Before any thread starts; @nr_threads ids 0 .. nr_threads - 1 will be
 * passed to bench_backend_thread(). Returns 0, or prints why and returns -1.
 */
int bench_backend_init(int nr_threads);
/* First thing in each thread: @id is its own (mm_ext: its CPU id). */
void bench_backend_thread(int id);
void *bench_alloc(size_t size);
void bench_free(void *obj);
/* After every thread has been joined; non-zero if the allocator complained. */
int bench_backend_exit(void);

#endif /* _BENCH_BACKEND_H */
