// SPDX-License-Identifier: GPL-2.0
/*
 * mm_ext_bench - time mm_ext's allocators against the kernel's own.
 *
 * Loaded with run=1 (the default), the module runs every case from its
 * init function, prints one line per case to the kernel log and stays
 * loaded, so the kernel caches it made can still be read in /proc/slabinfo
 * (their objects per slab and stride are not exported to modules). Every
 * case times mm_ext and its kernel counterpart in turn, round after round,
 * each round starting with the side the previous one ended with, so drift
 * in the machine's speed (QEMU, the other vCPU, the host) falls on both.
 * The median of the rounds is reported for each side: one slow sample, an
 * interrupt storm or a host hiccup, does not move it.
 *
 * Only the public API of include/mm_ext/ is used, as any other module would.
 *
 * Output, one line per case (values in ns per object allocated and freed,
 * a tenth of a nanosecond resolution; the kernel has no %f):
 *
 *   mm_ext_bench: case=slab_pair size=64 ours_ns=23.1 kernel_ns=25.7 ratio=0.90
 *   mm_ext_bench: case=mem size=64 ours_objs_per_slab=64 ours_stride=64 ...
 *
 * between "mm_ext_bench: start ..." and "mm_ext_bench: end ..." lines. A
 * case whose allocation fails prints "case=... failed: ..." instead, after
 * freeing what it held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>

/* Kernel caches must not be merged with others: slabinfo must show ours. */
#ifdef SLAB_NO_MERGE
#define BENCH_NO_MERGE		SLAB_NO_MERGE
#else
#define BENCH_NO_MERGE		0	/* 6.1: no such flag; only names differ */
#endif

/*
 * Every allocation is timed with preemption (and, for pairs, interrupts)
 * off, so neither side may sleep; __GFP_NOWARN keeps a failure to one line
 * of ours instead of the page allocator's warning and stack dump.
 */
#define BENCH_GFP		(GFP_NOWAIT | __GFP_NOWARN)

#define BENCH_ROUNDS_MAX	100
#define BENCH_BATCH		10000	/* objects held at once in a slab batch */
#define BENCH_RING		256	/* slots between producer and consumer */
#define BENCH_POOL_SIZE		256
#define BENCH_POOL_MIN		16
#define BENCH_SHEAF_MAX		32	/* objects of the largest guaranteed allocation */
#define BENCH_BULK_SIZE_IDX	1	/* slab_bulk's caches: slab_sizes[1], 64 bytes */
/* A CPU waiting for the other gives up after this: no run hangs the boot. */
#define BENCH_SPIN_NS		(5ULL * NSEC_PER_SEC)

static int run = 1;
module_param(run, int, 0444);
MODULE_PARM_DESC(run, "1 (default): run every case at load; 0: only set up");

static int rounds = 11;
module_param(rounds, int, 0444);
MODULE_PARM_DESC(rounds, "rounds per case, 5..100 (default 11); the median is reported");

static int ops = 10000;
module_param(ops, int, 0444);
MODULE_PARM_DESC(ops, "objects allocated and freed per timed sample of a pair case, 100..100000 (default 10000)");

static char *cases;
module_param(cases, charp, 0444);
MODULE_PARM_DESC(cases, "the cases to run, by name, comma-separated (default: all)");

static const unsigned int slab_sizes[] = { 16, 64, 256, 1024, 4096 };
static const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
};

/* The batch fits the 4096-page default zone however fragmented it is. */
static const struct {
	unsigned int order, batch;
} buddy_cases[] = { { 0, 64 }, { 3, 64 }, { 9, 4 } };

#define NR_SLAB_SIZES	ARRAY_SIZE(slab_sizes)

static struct slab_ext_cache *ours_cache[NR_SLAB_SIZES];
static struct kmem_cache *kern_cache[NR_SLAB_SIZES];
static struct slab_ext_cache *ours_pool_cache;
static struct kmem_cache *kern_pool_cache;
static struct mempool_ext *ours_pool;
static mempool_t *kern_pool;
static mempool_t *kern_sheaf_pool;	/* min_nr BENCH_SHEAF_MAX, for sheaf_prefill */
static void **batch_objs;		/* BENCH_BATCH pointers */
static void **ring_slots;		/* BENCH_RING pointers */

/* Per-round results of the case running; one case runs at a time. */
static u64 ours_tenths[BENCH_ROUNDS_MAX], kern_tenths[BENCH_ROUNDS_MAX];
static unsigned int nr_cases, nr_failed;

/*
 * What a sample works on: one cache of each side, a size class, a zone
 * order. A sample fills *ns with the time it took and returns 0, or frees
 * what it holds and returns -ENOMEM when an allocation failed.
 */
struct bench_arg {
	unsigned int idx;		/* into slab_sizes */
	unsigned int size;		/* kmalloc: bytes asked */
	unsigned int order, batch;	/* buddy */
	unsigned int nr;		/* objects per sample */
};

typedef int (*bench_sample_fn)(const struct bench_arg *a, bool ours, u64 *ns);

/* ---- reporting ---- */

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* "case=slab_pair size=64 ours_ns=23.1 kernel_ns=25.7 ratio=0.90" */
static void report(const char *name, const char *key, unsigned int val,
		   u64 ours, u64 kern)
{
	u64 ratio = div64_u64(ours * 100 + max(kern, 1ULL) / 2, max(kern, 1ULL));

	pr_info("case=%s %s=%u ours_ns=%llu.%llu kernel_ns=%llu.%llu ratio=%llu.%02llu\n",
		name, key, val, ours / 10, ours % 10, kern / 10, kern % 10,
		ratio / 100, ratio % 100);
}

/* Whether case @name is to run: named in cases=, or no cases= given. */
static bool case_wanted(const char *name)
{
	size_t len = strlen(name);
	const char *p = cases;

	if (!p || !*p)
		return true;
	while (p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/*
 * Run one case: a warm-up sample of each side (slabs made, caches hot),
 * then @rounds rounds of one timed sample per side, alternating which side
 * goes first. Returns 0, or the first sample's error (reported here).
 */
static int run_case(const char *name, const char *key, unsigned int val,
		    bench_sample_fn fn, const struct bench_arg *a)
{
	unsigned int r, k;
	u64 ns;
	int ret;

	if (!case_wanted(name))
		return 0;
	nr_cases++;
	for (r = 0; r <= rounds; r++) {
		for (k = 0; k < 2; k++) {
			bool ours = (r + k) & 1;

			ret = fn(a, ours, &ns);
			cond_resched();
			if (ret) {
				nr_failed++;
				pr_info("case=%s %s=%u failed: %s side: %s (%d), case abandoned\n",
					name, key, val, ours ? "mm_ext" : "kernel",
					ret == -ETIMEDOUT ? "a CPU waited too long for the other" :
							    "allocation failed", ret);
				return ret;
			}
			/* Round 0 is the warm-up. */
			if (!r)
				continue;
			ns = div_u64(ns * 10, a->nr);
			if (ours)
				ours_tenths[r - 1] = ns;
			else
				kern_tenths[r - 1] = ns;
		}
	}
	report(name, key, val, median(ours_tenths, rounds), median(kern_tenths, rounds));
	return 0;
}

/* ---- single-CPU samples ---- */

/*
 * Allocate and at once free @a->nr objects: the hot path, the same object
 * coming back each time. Interrupts are off so only the allocator is timed.
 */
static int slab_pair(const struct bench_arg *a, bool ours, u64 *ns)
{
	struct slab_ext_cache *oc = ours_cache[a->idx];
	struct kmem_cache *kc = kern_cache[a->idx];
	unsigned long flags;
	unsigned int i;
	int ret = 0;
	void *p;
	u64 t0;

	preempt_disable();
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < a->nr; i++) {
		p = ours ? slab_ext_alloc(oc, BENCH_GFP) : kmem_cache_alloc(kc, BENCH_GFP);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		if (ours)
			slab_ext_free(oc, p);
		else
			kmem_cache_free(kc, p);
	}
	*ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	preempt_enable();
	return ret;
}

/*
 * BENCH_BATCH allocations, then as many frees in the same order: slabs are
 * made, filled, emptied and given back. Interrupts stay on, since slabs
 * come from the page allocator or the zone, which may take a while.
 */
static int slab_batch(const struct bench_arg *a, bool ours, u64 *ns)
{
	struct slab_ext_cache *oc = ours_cache[a->idx];
	struct kmem_cache *kc = kern_cache[a->idx];
	unsigned int i, n;
	void *p;
	u64 t0;

	preempt_disable();
	t0 = ktime_get_ns();
	for (n = 0; n < a->nr; n++) {
		p = ours ? slab_ext_alloc(oc, BENCH_GFP) : kmem_cache_alloc(kc, BENCH_GFP);
		if (!p)
			break;
		batch_objs[n] = p;
	}
	for (i = 0; i < n; i++) {
		if (ours)
			slab_ext_free(oc, batch_objs[i]);
		else
			kmem_cache_free(kc, batch_objs[i]);
	}
	*ns = ktime_get_ns() - t0;
	preempt_enable();
	return n == a->nr ? 0 : -ENOMEM;
}

/* A size class's hot pair: slab_ext_kmalloc/slab_ext_kfree, kmalloc/kfree. */
static int kmalloc_pair(const struct bench_arg *a, bool ours, u64 *ns)
{
	unsigned long flags;
	unsigned int i;
	int ret = 0;
	void *p;
	u64 t0;

	preempt_disable();
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < a->nr; i++) {
		p = ours ? slab_ext_kmalloc(a->size, BENCH_GFP) : kmalloc(a->size, BENCH_GFP);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		if (ours)
			slab_ext_kfree(p);
		else
			kfree(p);
	}
	*ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	preempt_enable();
	return ret;
}

/* One block of the case's order: buddy_sim's default zone vs alloc_pages. */
static void *buddy_get(const struct bench_arg *a, bool ours)
{
	struct page *page;

	if (ours)
		return buddy_sim_alloc(buddy_sim_default(), BENCH_GFP, a->order);
	page = alloc_pages(BENCH_GFP, a->order);
	return page;	/* a struct page * is only handed back to buddy_put() */
}

static void buddy_put(const struct bench_arg *a, bool ours, void *block)
{
	if (ours)
		buddy_sim_free(buddy_sim_default(), block, a->order);
	else
		__free_pages(block, a->order);
}

static int buddy_pair(const struct bench_arg *a, bool ours, u64 *ns)
{
	unsigned long flags;
	unsigned int i;
	int ret = 0;
	void *p;
	u64 t0;

	preempt_disable();
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < a->nr; i++) {
		p = buddy_get(a, ours);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		buddy_put(a, ours, p);
	}
	*ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	preempt_enable();
	return ret;
}

/* @a->batch blocks held at once, then freed; repeated to @a->nr blocks. */
static int buddy_batch(const struct bench_arg *a, bool ours, u64 *ns)
{
	unsigned int done, i, n = 0;
	int ret = 0;
	u64 t0;

	preempt_disable();
	t0 = ktime_get_ns();
	for (done = 0; done < a->nr && !ret; done += a->batch) {
		for (n = 0; n < a->batch; n++) {
			batch_objs[n] = buddy_get(a, ours);
			if (!batch_objs[n]) {
				ret = -ENOMEM;
				break;
			}
		}
		for (i = 0; i < n; i++)
			buddy_put(a, ours, batch_objs[i]);
	}
	*ns = ktime_get_ns() - t0;
	preempt_enable();
	return ret;
}

/* The pool's hot pair: the underlying cache serves it, the reserve stays full. */
static int mempool_pair(const struct bench_arg *a, bool ours, u64 *ns)
{
	unsigned long flags;
	unsigned int i;
	int ret = 0;
	void *p;
	u64 t0;

	preempt_disable();
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < a->nr; i++) {
		p = ours ? mempool_ext_alloc(ours_pool, BENCH_GFP) :
			   mempool_alloc(kern_pool, BENCH_GFP);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		if (ours)
			mempool_ext_free(p, ours_pool);
		else
			mempool_free(p, kern_pool);
	}
	*ns = ktime_get_ns() - t0;
	local_irq_restore(flags);
	preempt_enable();
	return ret;
}

/* ---- mainline 6.18-6.19's calls: prefilled sheaves, bulk (issue 14) ---- */

static const unsigned int sheaf_objs[] = { 1, 8, BENCH_SHEAF_MAX };
static const unsigned int bulk_objs[] = { 8, 32, 128 };

/* The kernel's side of sheaf_prefill: @k objects from its mempool, then back. */
static int kern_pool_k(void **p, unsigned int k)
{
	unsigned int i, n;

	for (n = 0; n < k; n++) {
		p[n] = mempool_alloc(kern_sheaf_pool, BENCH_GFP);
		if (!p[n])
			break;
	}
	for (i = 0; i < n; i++)
		mempool_free(p[i], kern_sheaf_pool);
	return n == k ? 0 : -ENOMEM;
}

/* mm_ext's: a sheaf of @k prefilled, @k from it, freed, the sheaf returned. */
static int ours_sheaf_k(void **p, unsigned int k)
{
	struct slab_ext_sheaf *sheaf;
	unsigned int i, n;

	sheaf = slab_ext_prefill_sheaf(ours_pool_cache, BENCH_GFP, k);
	if (!sheaf)
		return -ENOMEM;
	/* The critical section: these cannot fail. */
	for (n = 0; n < k; n++) {
		p[n] = slab_ext_alloc_from_sheaf(ours_pool_cache, 0, sheaf);
		if (!p[n])
			break;
	}
	for (i = 0; i < n; i++)
		slab_ext_free(ours_pool_cache, p[i]);
	slab_ext_return_sheaf(ours_pool_cache, BENCH_GFP, sheaf);
	return n == k ? 0 : -ENOMEM;
}

/*
 * A guaranteed allocation of @a->batch objects in a critical section, as
 * each side's users make one: mainline 6.18's (mm_ext's) prefill a sheaf
 * of @a->batch objects before it, take them from the sheaf inside
 * (slab_ext_alloc_from_sheaf()), free them and return the sheaf; 6.12's
 * take them inside with mempool_alloc() from a mempool whose reserve
 * (min_nr BENCH_SHEAF_MAX, over a kmem_cache of the same size) backs the
 * guarantee, and free them with mempool_free(). Repeated to @a->nr
 * objects; the time is per object, the prefill and return included.
 */
static int sheaf_prefill(const struct bench_arg *a, bool ours, u64 *ns)
{
	unsigned int done;
	int ret = 0;
	u64 t0;

	preempt_disable();
	t0 = ktime_get_ns();
	for (done = 0; done < a->nr && !ret; done += a->batch)
		ret = ours ? ours_sheaf_k(batch_objs, a->batch) :
			     kern_pool_k(batch_objs, a->batch);
	*ns = ktime_get_ns() - t0;
	preempt_enable();
	return ret;
}

/*
 * @a->batch objects of 64 bytes in one slab_ext_alloc_bulk(), all back in
 * one slab_ext_free_bulk(); the kernel's kmem_cache_alloc_bulk() and
 * kmem_cache_free_bulk() on its cache of the same size. Repeated to @a->nr
 * objects. Interrupts stay on: the kernel's bulk calls want them on.
 */
static int slab_bulk(const struct bench_arg *a, bool ours, u64 *ns)
{
	struct slab_ext_cache *oc = ours_cache[a->idx];
	struct kmem_cache *kc = kern_cache[a->idx];
	unsigned int done, k = a->batch;
	int ret = 0;
	u64 t0;

	preempt_disable();
	t0 = ktime_get_ns();
	for (done = 0; done < a->nr; done += k) {
		if (ours) {
			if (slab_ext_alloc_bulk(oc, BENCH_GFP, k, batch_objs) != k) {
				ret = -ENOMEM;
				break;
			}
			slab_ext_free_bulk(oc, k, batch_objs);
		} else {
			if (kmem_cache_alloc_bulk(kc, BENCH_GFP, k, batch_objs) != k) {
				ret = -ENOMEM;
				break;
			}
			kmem_cache_free_bulk(kc, k, batch_objs);
		}
	}
	*ns = ktime_get_ns() - t0;
	preempt_enable();
	return ret;
}

/* The cases of issue 14's calls: sheaf_prefill and slab_bulk. */
static void run_mainline_cases(void)
{
	struct bench_arg a = { .idx = BENCH_BULK_SIZE_IDX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sheaf_objs); i++) {
		a.batch = sheaf_objs[i];
		a.nr = max(ops / a.batch, 1U) * a.batch;
		run_case("sheaf_prefill", "objs", a.batch, sheaf_prefill, &a);
	}
	for (i = 0; i < ARRAY_SIZE(bulk_objs); i++) {
		a.batch = bulk_objs[i];
		a.nr = max(ops / a.batch, 1U) * a.batch;
		run_case("slab_bulk", "objs", a.batch, slab_bulk, &a);
	}
}

/* ---- two CPUs at once ---- */

/*
 * A two-CPU sample: one kthread bound to CPU 0 and one to CPU 1, started
 * together by a spin barrier. In "hot" mode each does hot pairs on the
 * same cache, and the sample's time per pair is the mean of the two CPUs'.
 * Otherwise CPU 0 allocates and passes each object through a ring to
 * CPU 1, which frees it (the remote free SLUB optimises for); the time per
 * object is the producer's time per allocation plus the consumer's per
 * free, each without the time it waited for the other. Under QEMU the
 * other vCPU may be off the host CPU for milliseconds (the host runs other
 * guests too): counting those waits would time the host's scheduler.
 */
struct bench_dual {
	const struct bench_arg *arg;
	bool ours, hot;
	atomic_t ready;
	bool stop;			/* a side gave up: the other stops too */
	unsigned long head, tail;	/* ring: producer's and consumer's count */
	struct completion done[2];
	u64 ns[2];			/* each CPU's time, its waits left out */
	int err[2];
};

struct bench_thread {
	struct bench_dual *d;
	int cpu;
};

static void *dual_alloc(struct bench_dual *d)
{
	unsigned int idx = d->arg->idx;

	return d->ours ? slab_ext_alloc(ours_cache[idx], BENCH_GFP) :
			 kmem_cache_alloc(kern_cache[idx], BENCH_GFP);
}

static void dual_free(struct bench_dual *d, void *p)
{
	unsigned int idx = d->arg->idx;

	if (d->ours)
		slab_ext_free(ours_cache[idx], p);
	else
		kmem_cache_free(kern_cache[idx], p);
}

/*
 * One turn of a wait for the other CPU: false once it stopped or the wait
 * ran past @deadline, so neither CPU spins forever on a side that failed.
 */
static bool dual_spin(struct bench_dual *d, u64 deadline)
{
	if (READ_ONCE(d->stop) || ktime_get_ns() > deadline)
		return false;
	cpu_relax();
	return true;
}

static int dual_hot(struct bench_dual *d)
{
	unsigned long flags;
	unsigned int i;
	int ret = 0;
	void *p;

	local_irq_save(flags);
	for (i = 0; i < d->arg->nr; i++) {
		p = dual_alloc(d);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		dual_free(d, p);
	}
	local_irq_restore(flags);
	return ret;
}

/*
 * Interrupts stay on: each CPU spins on the other, and one waiting with
 * interrupts off for a CPU that waits on an IPI to it would stall both.
 */
/*
 * Interrupts stay on: each CPU spins on the other, and one waiting with
 * interrupts off for a CPU that waits on an IPI to it would stall both.
 * Returns the time spent waiting in *waited.
 */
static int dual_produce(struct bench_dual *d, u64 deadline, u64 *waited)
{
	unsigned int i;
	void *p;
	u64 tw;

	for (i = 0; i < d->arg->nr; i++) {
		p = dual_alloc(d);
		if (!p) {
			WRITE_ONCE(d->stop, true);
			return -ENOMEM;
		}
		/* Pairs with the consumer's release: its slot is free to reuse. */
		if (d->head - smp_load_acquire(&d->tail) >= BENCH_RING) {
			tw = ktime_get_ns();
			/* Pairs with the consumer's release, as above. */
			while (d->head - smp_load_acquire(&d->tail) >= BENCH_RING) {
				if (!dual_spin(d, deadline)) {
					dual_free(d, p);
					WRITE_ONCE(d->stop, true);
					return -ETIMEDOUT;
				}
			}
			*waited += ktime_get_ns() - tw;
		}
		ring_slots[d->head % BENCH_RING] = p;
		/* The slot is written before the consumer may see it counted. */
		smp_store_release(&d->head, d->head + 1);
	}
	return 0;
}

static int dual_consume(struct bench_dual *d, u64 deadline, u64 *waited)
{
	unsigned int i;
	u64 tw;

	for (i = 0; i < d->arg->nr; i++) {
		/* Pairs with the producer's release: the slot's pointer is there. */
		if (smp_load_acquire(&d->head) == d->tail) {
			tw = ktime_get_ns();
			/* Pairs with the producer's release, as above. */
			while (smp_load_acquire(&d->head) == d->tail) {
				if (!dual_spin(d, deadline)) {
					WRITE_ONCE(d->stop, true);
					return -ETIMEDOUT;
				}
			}
			*waited += ktime_get_ns() - tw;
		}
		dual_free(d, ring_slots[d->tail % BENCH_RING]);
		/* The slot is read before the producer may fill it again. */
		smp_store_release(&d->tail, d->tail + 1);
	}
	return 0;
}

static int dual_thread(void *data)
{
	struct bench_thread *t = data;
	struct bench_dual *d = t->d;
	u64 deadline = ktime_get_ns() + BENCH_SPIN_NS;
	u64 t0, waited = 0;
	int ret;

	atomic_inc(&d->ready);
	while (atomic_read(&d->ready) < 2) {
		if (!dual_spin(d, deadline)) {
			ret = -ETIMEDOUT;
			WRITE_ONCE(d->stop, true);
			goto out;
		}
	}
	preempt_disable();
	t0 = ktime_get_ns();
	if (d->hot)
		ret = dual_hot(d);
	else if (t->cpu == 0)
		ret = dual_produce(d, t0 + BENCH_SPIN_NS, &waited);
	else
		ret = dual_consume(d, t0 + BENCH_SPIN_NS, &waited);
	d->ns[t->cpu] = ktime_get_ns() - t0 - waited;
	preempt_enable();
out:
	d->err[t->cpu] = ret;
	/* The module may go once this returns: exit without coming back to it. */
	kthread_complete_and_exit(&d->done[t->cpu], 0);
}

static int dual_sample(const struct bench_arg *a, bool ours, bool hot, u64 *ns)
{
	struct bench_thread th[2];
	struct task_struct *task[2];
	struct bench_dual d = { .arg = a, .ours = ours, .hot = hot };
	int i, ret = 0;

	atomic_set(&d.ready, 0);
	for (i = 0; i < 2; i++) {
		init_completion(&d.done[i]);
		th[i].d = &d;
		th[i].cpu = i;
		task[i] = kthread_create(dual_thread, &th[i], "mm_ext_bench/%d", i);
		if (IS_ERR(task[i])) {
			ret = PTR_ERR(task[i]);
			/* Never woken, the first thread exits without running. */
			if (i)
				kthread_stop(task[0]);
			return ret;
		}
		kthread_bind(task[i], i);
	}
	for (i = 0; i < 2; i++)
		wake_up_process(task[i]);
	for (i = 0; i < 2; i++) {
		wait_for_completion(&d.done[i]);
		if (d.err[i] && !ret)
			ret = d.err[i];
	}
	/* What a stopped producer left in the ring. */
	for (; d.tail != d.head; d.tail++)
		dual_free(&d, ring_slots[d.tail % BENCH_RING]);
	/* Hot: the mean time of @a->nr pairs; else one alloc plus one free. */
	*ns = hot ? (d.ns[0] + d.ns[1]) / 2 : d.ns[0] + d.ns[1];
	return ret;
}

static int dual_hot_sample(const struct bench_arg *a, bool ours, u64 *ns)
{
	return dual_sample(a, ours, true, ns);
}

static int dual_pc_sample(const struct bench_arg *a, bool ours, u64 *ns)
{
	return dual_sample(a, ours, false, ns);
}

/* ---- the cases ---- */

/*
 * Issue 14: the sheaves tier against the kernel's kmem_cache, in the
 * shapes the arrays rows measure (slab_pair, slab_batch, slab_pc): each of
 * ours is switched to sheaves (its default capacity) for these rows, then
 * back to its CPU arrays. The arrays rows above are the third column.
 */
static void run_tier_cases(bool two_cpus)
{
	static const char *const names[] = { "sheaf_pair", "sheaf_batch", "sheaf_pc" };
	static const bench_sample_fn fns[] = { slab_pair, slab_batch, dual_pc_sample };
	struct bench_arg a = { };
	unsigned int i, k;
	int ret;

	for (i = 0; i < NR_SLAB_SIZES; i++) {
		ret = slab_ext_set_tier(ours_cache[i], SLAB_EXT_TIER_SHEAVES, 0, true);
		if (ret) {
			pr_info("case=sheaf_pair size=%u skipped: no sheaves tier (%d)\n",
				slab_sizes[i], ret);
			return;
		}
	}
	for (k = 0; k < ARRAY_SIZE(names); k++) {
		a.nr = fns[k] == slab_batch ? BENCH_BATCH : ops;
		for (i = 0; i < NR_SLAB_SIZES; i++) {
			a.idx = i;
			if (fns[k] == dual_pc_sample && !two_cpus)
				pr_info("case=%s size=%u skipped: CPUs 0 and 1 are not both online\n",
					names[k], slab_sizes[i]);
			else
				run_case(names[k], "size", slab_sizes[i], fns[k], &a);
		}
	}
	for (i = 0; i < NR_SLAB_SIZES; i++)
		slab_ext_set_tier(ours_cache[i], SLAB_EXT_TIER_ARRAYS, 0, true);
}

/* Objects per slab and bytes per object of ours; the guest adds the kernel's. */
static void report_memory(void)
{
	struct slab_ext_info info;
	unsigned int i, slab_bytes, tenths;

	for (i = 0; i < NR_SLAB_SIZES; i++) {
		slab_ext_cache_info(ours_cache[i], &info);
		slab_bytes = PAGE_SIZE << info.order;
		tenths = info.objs_per_slab ? slab_bytes * 10 / info.objs_per_slab : 0;
		pr_info("case=mem size=%u ours_objs_per_slab=%u ours_stride=%u ours_slab_bytes=%u ours_bytes_per_obj=%u.%u kernel_cache=bench_k_%u\n",
			slab_sizes[i], info.objs_per_slab, info.size, slab_bytes,
			tenths / 10, tenths % 10, slab_sizes[i]);
	}
}

static void run_all(void)
{
	struct bench_arg a = { .nr = ops };
	unsigned int i;
	bool two_cpus = cpu_online(0) && cpu_online(1);

	pr_info("start rounds=%d ops=%d batch=%d cpus=%u\n", rounds, ops, BENCH_BATCH,
		num_online_cpus());
	/* Case by case, each over the sizes: the table reads down a column. */
	for (i = 0; i < NR_SLAB_SIZES; i++) {
		a.idx = i;
		run_case("slab_pair", "size", slab_sizes[i], slab_pair, &a);
	}
	a.nr = BENCH_BATCH;
	for (i = 0; i < NR_SLAB_SIZES; i++) {
		a.idx = i;
		run_case("slab_batch", "size", slab_sizes[i], slab_batch, &a);
	}
	a.nr = ops;
	for (i = 0; i < NR_SLAB_SIZES; i++) {
		a.idx = i;
		if (two_cpus)
			run_case("slab_2cpu", "size", slab_sizes[i], dual_hot_sample, &a);
		else
			pr_info("case=slab_2cpu size=%u skipped: CPUs 0 and 1 are not both online\n",
				slab_sizes[i]);
	}
	for (i = 0; i < NR_SLAB_SIZES; i++) {
		a.idx = i;
		if (two_cpus)
			run_case("slab_pc", "size", slab_sizes[i], dual_pc_sample, &a);
		else
			pr_info("case=slab_pc size=%u skipped: CPUs 0 and 1 are not both online\n",
				slab_sizes[i]);
	}
	a.nr = ops;
	for (i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		a.size = kmalloc_sizes[i];
		run_case("kmalloc_pair", "size", kmalloc_sizes[i], kmalloc_pair, &a);
	}
	for (i = 0; i < ARRAY_SIZE(buddy_cases); i++) {
		a.order = buddy_cases[i].order;
		run_case("buddy_pair", "order", a.order, buddy_pair, &a);
	}
	for (i = 0; i < ARRAY_SIZE(buddy_cases); i++) {
		a.order = buddy_cases[i].order;
		a.batch = buddy_cases[i].batch;
		/* Whole batches only, so every sample holds the same number. */
		a.nr = max(ops / a.batch, 1U) * a.batch;
		run_case("buddy_batch", "order", a.order, buddy_batch, &a);
	}
	a.nr = ops;
	run_case("mempool_pair", "size", BENCH_POOL_SIZE, mempool_pair, &a);
	run_mainline_cases();
	run_tier_cases(two_cpus);
	report_memory();
	pr_info("end cases=%u failed=%u\n", nr_cases, nr_failed);
}

/* ---- set-up and tear-down ---- */

static void bench_teardown(void)
{
	unsigned int i;

	/* A pool before the cache under it, as the kernel requires. */
	mempool_destroy(kern_sheaf_pool);
	mempool_destroy(kern_pool);
	if (!IS_ERR_OR_NULL(ours_pool))
		mempool_ext_destroy(ours_pool);
	kmem_cache_destroy(kern_pool_cache);
	if (!IS_ERR_OR_NULL(ours_pool_cache))
		slab_ext_cache_destroy(ours_pool_cache);
	for (i = 0; i < NR_SLAB_SIZES; i++) {
		kmem_cache_destroy(kern_cache[i]);
		if (!IS_ERR_OR_NULL(ours_cache[i]))
			slab_ext_cache_destroy(ours_cache[i]);
	}
	kvfree(batch_objs);
	kfree(ring_slots);
}

/* Each side's caches and pools; the kernel's stay until unload for slabinfo. */
static int bench_setup(void)
{
	char name[32];
	unsigned int i;

	batch_objs = kvcalloc(BENCH_BATCH, sizeof(*batch_objs), GFP_KERNEL);
	ring_slots = kcalloc(BENCH_RING, sizeof(*ring_slots), GFP_KERNEL);
	if (!batch_objs || !ring_slots)
		return -ENOMEM;
	for (i = 0; i < NR_SLAB_SIZES; i++) {
		snprintf(name, sizeof(name), "bench_%u", slab_sizes[i]);
		ours_cache[i] = slab_ext_cache_create(NULL, name, slab_sizes[i], 0, 0, NULL);
		if (IS_ERR(ours_cache[i]))
			return PTR_ERR(ours_cache[i]);
		/* The guest finds these in /proc/slabinfo by this name. */
		snprintf(name, sizeof(name), "bench_k_%u", slab_sizes[i]);
		kern_cache[i] = kmem_cache_create(name, slab_sizes[i], 0, BENCH_NO_MERGE, NULL);
		if (!kern_cache[i])
			return -ENOMEM;
	}
	ours_pool_cache = slab_ext_cache_create(NULL, "bench_pool", BENCH_POOL_SIZE, 0, 0, NULL);
	if (IS_ERR(ours_pool_cache))
		return PTR_ERR(ours_pool_cache);
	kern_pool_cache = kmem_cache_create("bench_k_pool", BENCH_POOL_SIZE, 0,
					    BENCH_NO_MERGE, NULL);
	if (!kern_pool_cache)
		return -ENOMEM;
	ours_pool = mempool_ext_create_slab_pool("bench_pool", BENCH_POOL_MIN, ours_pool_cache);
	if (IS_ERR(ours_pool))
		return PTR_ERR(ours_pool);
	kern_pool = mempool_create_slab_pool(BENCH_POOL_MIN, kern_pool_cache);
	if (!kern_pool)
		return -ENOMEM;
	kern_sheaf_pool = mempool_create_slab_pool(BENCH_SHEAF_MAX, kern_pool_cache);
	if (!kern_sheaf_pool)
		return -ENOMEM;
	return 0;
}

static int __init mm_ext_bench_init(void)
{
	int ret;

	if (run < 0 || run > 1 || rounds < 5 || rounds > BENCH_ROUNDS_MAX ||
	    ops < 100 || ops > 100000) {
		pr_err("bad parameters: run=%d (0..1) rounds=%d (5..%d) ops=%d (100..100000)\n",
		       run, rounds, BENCH_ROUNDS_MAX, ops);
		return -EINVAL;
	}
	ret = bench_setup();
	if (ret) {
		pr_err("set-up failed (%d)\n", ret);
		bench_teardown();
		return ret;
	}
	if (run)
		run_all();
	return 0;
}

static void __exit mm_ext_bench_exit(void)
{
	bench_teardown();
}

module_init(mm_ext_bench_init);
module_exit(mm_ext_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mm_ext benchmark: its allocators against the kernel's");
