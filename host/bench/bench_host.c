// SPDX-License-Identifier: GPL-2.0
/*
 * bench_host - the workload of seed 001 on the host, for any allocator.
 *
 * Two shapes, each timed once per size (8, 16, ... 2048 bytes):
 *
 *   rounds  T threads (16), each doing R rounds (10,000) of: allocate,
 *           write the first and the last byte, free. The seed's benchmark.
 *   pc      T/2 producers and T/2 consumers in pairs, one bounded ring
 *           buffer (Q = 1024 slots) per pair: the producer allocates R
 *           objects, stamps the first and last byte and passes each through
 *           the ring; its consumer checks the stamps and frees the object.
 *           Every object is freed by another thread than the one that
 *           allocated it, which a thread cache cannot serve by itself.
 *
 * The threads are made once and kept; before each phase they wait on a
 * barrier with the main thread. The time of a phase is the wall time from
 * the first thread starting its work to the last thread ending it.
 * One untimed warm-up pass (both shapes, every size, R/10 rounds) comes
 * first, so the allocator's per-thread state exists before timing starts.
 * A ring that is full (producer) or empty (consumer) makes the thread
 * sched_yield(): with more threads than CPUs, spinning would only burn the
 * time slice its partner needs.
 *
 * The allocator is the backend linked in (bench_backend.h): malloc() (with
 * LD_PRELOAD choosing which) or mm_ext's slab_ext_kmalloc().
 *
 * Output on stdout, one line per phase, time in milliseconds:
 *
 *   shape,size,ms
 *
 * and on stderr a line with the parameters and the allocator that served
 * the run. The exit code
 * is non-zero if an allocation failed or an object arrived corrupted.
 *
 * Usage: bench_host [-t threads] [-r rounds] [-q ring slots] [-s size,...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_backend.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_THREADS	256
#define MAX_SIZES	32
#define CACHELINE	64

static const size_t default_sizes[] = {
	8, 16, 32, 64, 128, 256, 512, 1024, 2048
};

enum shape { SHAPE_ROUNDS, SHAPE_PC, NR_SHAPES };
static const char *const shape_name[NR_SHAPES] = { "rounds", "pc" };

/*
 * One producer -> consumer ring, each index written by one side only and
 * on a cache line of its own (the ring is allocated cache-line aligned).
 */
struct ring {
	atomic_ulong head;			/* producer's: next to fill */
	char pad1[CACHELINE - sizeof(atomic_ulong)];
	atomic_ulong tail;			/* consumer's: next to empty */
	char pad2[CACHELINE - sizeof(atomic_ulong)];
	void *slot[];				/* ring_slots of them */
};

static int nr_threads = 16;
static long nr_rounds = 10000;
static unsigned long ring_slots = 1024;	/* a power of two */
static size_t sizes[MAX_SIZES];
static int nr_sizes;

static pthread_barrier_t barrier;
static struct ring *rings[MAX_THREADS / 2];
static atomic_long errors;

/* What one phase is: read by the threads after the start barrier. */
static enum shape cur_shape;
static size_t cur_size;
static long cur_rounds;
static bool done;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Keep @p and the bytes written through it: no allocation is elided. */
static inline void escape(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

static void fail(const char *what, size_t size)
{
	fprintf(stderr, "bench_host: %s (size %zu)\n", what, size);
	atomic_fetch_add(&errors, 1);
}

static void run_rounds(size_t size, long rounds)
{
	long i;

	for (i = 0; i < rounds; i++) {
		unsigned char *p = bench_alloc(size);

		if (!p) {
			fail("allocation failed", size);
			return;
		}
		p[0] = (unsigned char)i;
		p[size - 1] = (unsigned char)i;
		escape(p);
		bench_free(p);
	}
}

static void run_producer(struct ring *r, size_t size, long rounds)
{
	unsigned long head = atomic_load_explicit(&r->head, memory_order_relaxed);
	unsigned long tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	long i;

	for (i = 0; i < rounds; i++) {
		unsigned char *p = bench_alloc(size);

		if (!p) {
			fail("allocation failed", size);
			p = NULL;	/* the consumer counts it and goes on */
		} else {
			p[0] = (unsigned char)i;
			p[size - 1] = (unsigned char)(i >> 8);
		}
		while (head - tail == ring_slots) {
			sched_yield();
			tail = atomic_load_explicit(&r->tail, memory_order_acquire);
		}
		r->slot[head & (ring_slots - 1)] = p;
		atomic_store_explicit(&r->head, ++head, memory_order_release);
	}
}

static void run_consumer(struct ring *r, size_t size, long rounds)
{
	unsigned long tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	unsigned long head = atomic_load_explicit(&r->head, memory_order_acquire);
	long i;

	for (i = 0; i < rounds; i++) {
		unsigned char *p;

		while (head == tail) {
			sched_yield();
			head = atomic_load_explicit(&r->head, memory_order_acquire);
		}
		p = r->slot[tail & (ring_slots - 1)];
		atomic_store_explicit(&r->tail, ++tail, memory_order_release);
		if (!p)
			continue;
		if (p[0] != (unsigned char)i || p[size - 1] != (unsigned char)(i >> 8))
			fail("object arrived corrupted", size);
		bench_free(p);
	}
}

/* When each thread started and ended its work in the current phase. */
static double t_start[MAX_THREADS], t_end[MAX_THREADS];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	int half = nr_threads / 2;

	bench_backend_thread(id);
	for (;;) {
		pthread_barrier_wait(&barrier);
		if (done)
			break;
		t_start[id] = now_ms();
		if (cur_shape == SHAPE_ROUNDS)
			run_rounds(cur_size, cur_rounds);
		else if (id < half)
			run_producer(rings[id], cur_size, cur_rounds);
		else
			run_consumer(rings[id - half], cur_size, cur_rounds);
		t_end[id] = now_ms();
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

/*
 * One phase on every thread; returns its wall time in ms, from the first
 * thread starting its work to the last one ending it. (The main thread's
 * own clock would be wrong: with more threads than CPUs it may be woken
 * from the start barrier after the workers have done their work.)
 */
static double phase(enum shape shape, size_t size, long rounds)
{
	double first, last;
	int i;

	cur_shape = shape;
	cur_size = size;
	cur_rounds = rounds;
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	first = t_start[0];
	last = t_end[0];
	for (i = 1; i < nr_threads; i++) {
		if (t_start[i] < first)
			first = t_start[i];
		if (t_end[i] > last)
			last = t_end[i];
	}
	return last - first;
}

static int parse_sizes(char *list)
{
	char *tok, *save = NULL;

	nr_sizes = 0;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v = strtoul(tok, &end, 10);

		if (*end || v < 2 || v > (1UL << 20) || nr_sizes == MAX_SIZES)
			return -1;
		sizes[nr_sizes++] = v;
	}
	return nr_sizes ? 0 : -1;
}

static void print_help(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-t threads] [-r rounds] [-q ring slots] [-s size,...]\n"
		"  -t  threads, even, 2..%d (16)\n"
		"  -r  rounds per thread and size, 1..10000000 (10000)\n"
		"  -q  slots per producer/consumer ring, a power of two (1024)\n"
		"  -s  sizes in bytes, 2..1048576 (8,16,32,64,128,256,512,1024,2048)\n",
		prog, MAX_THREADS);
	exit(2);
}

int main(int argc, char **argv)
{
	pthread_t tid[MAX_THREADS];
	int opt, i, s, sh, ret;

	nr_sizes = ARRAY_SIZE(default_sizes);
	memcpy(sizes, default_sizes, sizeof(default_sizes));
	while ((opt = getopt(argc, argv, "t:r:q:s:")) != -1) {
		switch (opt) {
		case 't':
			nr_threads = atoi(optarg);
			if (nr_threads < 2 || nr_threads > MAX_THREADS || nr_threads % 2)
				print_help(argv[0]);
			break;
		case 'r':
			nr_rounds = atol(optarg);
			if (nr_rounds < 1 || nr_rounds > 10000000)
				print_help(argv[0]);
			break;
		case 'q':
			ring_slots = strtoul(optarg, NULL, 10);
			if (ring_slots < 2 || ring_slots > (1UL << 20) ||
			    (ring_slots & (ring_slots - 1)))
				print_help(argv[0]);
			break;
		case 's':
			if (parse_sizes(optarg))
				print_help(argv[0]);
			break;
		default:
			print_help(argv[0]);
		}
	}
	if (optind != argc)
		print_help(argv[0]);

	if (bench_backend_init(nr_threads))
		return 1;
	fprintf(stderr, "bench_host: threads=%d rounds=%ld slots=%lu backend=%s: %s\n",
		nr_threads, nr_rounds, ring_slots, bench_backend_name(),
		bench_backend_what());
	for (i = 0; i < nr_threads / 2; i++) {
		rings[i] = aligned_alloc(CACHELINE, sizeof(struct ring) +
					 ring_slots * sizeof(void *));
		if (!rings[i]) {
			perror("bench_host: ring");
			return 1;
		}
		atomic_init(&rings[i]->head, 0);
		atomic_init(&rings[i]->tail, 0);
	}
	pthread_barrier_init(&barrier, NULL, nr_threads + 1);
	for (i = 0; i < nr_threads; i++) {
		ret = pthread_create(&tid[i], NULL, worker, (void *)(long)i);
		if (ret) {
			fprintf(stderr, "bench_host: pthread_create: %s\n", strerror(ret));
			return 1;
		}
	}

	for (sh = 0; sh < NR_SHAPES; sh++)
		for (s = 0; s < nr_sizes; s++)
			phase(sh, sizes[s], nr_rounds / 10 ? nr_rounds / 10 : 1);
	for (sh = 0; sh < NR_SHAPES; sh++)
		for (s = 0; s < nr_sizes; s++) {
			double ms = phase(sh, sizes[s], nr_rounds);

			printf("%s,%zu,%.4f\n", shape_name[sh], sizes[s], ms);
		}

	done = true;
	pthread_barrier_wait(&barrier);
	for (i = 0; i < nr_threads; i++)
		pthread_join(tid[i], NULL);
	for (i = 0; i < nr_threads / 2; i++)
		free(rings[i]);
	if (bench_backend_exit())
		atomic_fetch_add(&errors, 1);

	if (atomic_load(&errors)) {
		fprintf(stderr, "bench_host: %ld errors\n", atomic_load(&errors));
		return 1;
	}
	return 0;
}
