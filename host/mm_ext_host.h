/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a host program (tests, fuzzer, benchmark) uses beyond the layers'
 * own API (include/mm_ext/ and mm_ext_layers.h): bring the layers up and
 * down as module load and unload would, and say which CPU a thread is on.
 *
 * The host model is PREEMPT_RT on SMP with HOST_NR_CPUS (4) CPUs: a
 * thread's CPU id is its own (0 until set), two threads may share one.
 */
#ifndef _MM_EXT_HOST_H
#define _MM_EXT_HOST_H

#include <linux/host_shim.h>

/*
 * Module load: the default zone "default" of @default_pages pages (what
 * buddy_sim_default() returns afterwards), buddy_sim_init() and
 * slab_ext_init(zone, false). Aborts the program on failure.
 */
void mm_ext_host_init(unsigned long default_pages);

/*
 * Module unload: mempool_ext_exit(), slab_ext_exit(), the default zone
 * destroyed, buddy_sim_exit(); then every kthread made is joined. Objects
 * left behind are reported by the layers (and counted).
 */
void mm_ext_host_exit(void);

/* This thread's CPU id from now on: 0 <= @cpu < nr_cpu_ids. */
void mm_ext_host_set_cpu(int cpu);
int mm_ext_host_cpu(void);

/* How many mm_ext_report() lines have been made so far, by any thread. */
unsigned long mm_ext_host_reports(void);

/*
 * The text of the last mm_ext_report() (its first line, as printed, quiet
 * or not); "" before any. Meant for a single-threaded caller.
 */
const char *mm_ext_host_last_report(void);

/* How many WARN_ON()s fired so far (each also fails the running test). */
unsigned long mm_ext_host_warnings(void);

/*
 * Seed get_random_*() (the caches' marks) for a repeatable run; the
 * default seed is 1. Quiet: print the seed yourself.
 */
void mm_ext_host_seed(u64 seed);

/* Reports are printed to stderr unless quiet (a benchmark or fuzzer). */
void mm_ext_host_quiet(bool quiet);

/*
 * Set a module parameter of the code linked in (module_param() in a test
 * suite, e.g. "model_seed=42"): 0, -ENOENT (no such one) or -EINVAL.
 */
int mm_ext_host_param(const char *arg);

#endif /* _MM_EXT_HOST_H */
