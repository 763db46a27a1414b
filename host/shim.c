// SPDX-License-Identifier: GPL-2.0
/*
 * The host runtime under the shim headers: locks on pthreads, a per-thread
 * CPU id, per-CPU memory, malloc for kmalloc and vmalloc, waits on condition
 * variables (each bounded or woken), kthreads on pthreads, and what
 * mm_ext_base.h declares (mm_ext_base.c is kernel-only).
 */

#include <linux/host_shim.h>
#include <time.h>
#include <unistd.h>
#include <kunit/test.h>
#include <kunit/resource.h>

#include "mm_ext_base.h"
#include "mm_ext_layers.h"
#include "mm_ext_host.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HOST_POISON(addr, size)		ASAN_POISON_MEMORY_REGION(addr, size)
#define HOST_UNPOISON(addr, size)	ASAN_UNPOISON_MEMORY_REGION(addr, size)
#else
#define HOST_POISON(addr, size)		do { (void)(addr); (void)(size); } while (0)
#define HOST_UNPOISON(addr, size)	do { (void)(addr); (void)(size); } while (0)
#endif

static void host_die(const char *what)
{
	fprintf(stderr, "mm_ext host: %s\n", what);
	abort();
}

/* ---- printk, WARN, reports ---- */

static bool host_quiet;
static unsigned long host_nr_reports, host_nr_warnings;

void mm_ext_host_quiet(bool quiet)
{
	host_quiet = quiet;
}

/* The last line printed by this thread, quiet or not; the last report's. */
static __thread char host_last_line[256];
static char host_last_report[256];

int host_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(host_last_line, sizeof(host_last_line), fmt, ap);
	va_end(ap);
	if (host_quiet)
		return 0;
	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

const char *mm_ext_host_last_report(void)
{
	return host_last_report;
}

void host_warn(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&host_nr_warnings, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

unsigned long mm_ext_host_warnings(void)
{
	return __atomic_load_n(&host_nr_warnings, __ATOMIC_RELAXED);
}

unsigned long mm_ext_host_reports(void)
{
	return __atomic_load_n(&host_nr_reports, __ATOMIC_RELAXED);
}

/*
 * Without the KUnit runner (host/kunit.c) linked in, as in a benchmark on
 * libmm_ext_host.a, no test is ever running: nothing is found.
 */
__weak struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name)
{
	return NULL;
}

/* As mm_ext_base.c: counted in the running test when it asked. */
void mm_ext_count_report(enum mm_ext_kind layer, const char *object,
			 enum mm_ext_misuse kind, const void *ptr)
{
	struct kunit *test = current->kunit_test;
	struct kunit_resource *res;

	__atomic_fetch_add(&host_nr_reports, 1, __ATOMIC_RELAXED);
	memcpy(host_last_report, host_last_line, sizeof(host_last_report));
	if (!test)
		return;
	res = kunit_find_named_resource(test, "mm_ext_reports");
	if (!res)
		return;
	atomic_inc((atomic_t *)res->data);
	kunit_put_resource(res);
}

void mm_ext_base_init(void)
{
}

/* ---- the event chain: a plain list under a mutex ---- */

static DEFINE_MUTEX(host_chain_lock);
static struct notifier_block *host_chain;

int mm_ext_register_notifier(struct notifier_block *nb)
{
	struct notifier_block **p;

	mutex_lock(&host_chain_lock);
	for (p = &host_chain; *p && (*p)->priority >= nb->priority; p = &(*p)->next)
		;
	nb->next = *p;
	*p = nb;
	mutex_unlock(&host_chain_lock);
	return 0;
}

void mm_ext_unregister_notifier(struct notifier_block *nb)
{
	struct notifier_block **p;

	mutex_lock(&host_chain_lock);
	for (p = &host_chain; *p; p = &(*p)->next) {
		if (*p == nb) {
			*p = nb->next;
			break;
		}
	}
	mutex_unlock(&host_chain_lock);
}

/* As blocking_notifier_call_chain_robust(): a refused ADD is taken back. */
int mm_ext_notify(enum mm_ext_action action, const struct mm_ext_event *ev)
{
	struct notifier_block *nb, *undo;
	int ret = NOTIFY_DONE;

	mutex_lock(&host_chain_lock);
	for (nb = host_chain; nb; nb = nb->next) {
		ret = nb->notifier_call(nb, action, (void *)ev);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	if (nb && action == MM_EXT_ADD)
		for (undo = host_chain; undo != nb; undo = undo->next)
			undo->notifier_call(undo, MM_EXT_DEL, (void *)ev);
	mutex_unlock(&host_chain_lock);
	return notifier_to_errno(ret);
}

/* ---- memory ---- */

void *kmalloc(size_t size, gfp_t gfp)
{
	if (!size)
		return (void *)16;	/* ZERO_SIZE_PTR */
	return gfp & __GFP_ZERO ? calloc(1, size) : malloc(size);
}

void kfree(const void *p)
{
	if ((unsigned long)p > 16)
		free((void *)p);
}

void *krealloc(const void *p, size_t size, gfp_t gfp)
{
	(void)gfp;
	return realloc((unsigned long)p > 16 ? (void *)p : NULL, size);
}

char *kstrdup(const char *s, gfp_t gfp)
{
	(void)gfp;
	return s ? strdup(s) : NULL;
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	void *p;

	if (!size)
		return NULL;
	size = PAGE_ALIGN(size);
	p = aligned_alloc(PAGE_SIZE, size);
	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

void vfree(const void *p)
{
	free((void *)p);
}

unsigned long totalram_pages(void)
{
	return sysconf(_SC_PHYS_PAGES);
}

/*
 * Per-CPU memory: HOST_NR_CPUS copies HOST_PERCPU_STRIDE bytes apart, zeroed;
 * the pointer is CPU 0's copy. Under ASan the unused tail of each copy is
 * poisoned, so an overrun of one CPU's copy is caught.
 */
void *__alloc_percpu(size_t size, size_t align)
{
	char *p;
	int cpu;

	if (size > HOST_PERCPU_STRIDE || align > 64 || !size)
		host_die("per-CPU allocation larger than HOST_PERCPU_STRIDE");
	p = aligned_alloc(64, (size_t)HOST_NR_CPUS * HOST_PERCPU_STRIDE);
	if (!p)
		return NULL;
	memset(p, 0, (size_t)HOST_NR_CPUS * HOST_PERCPU_STRIDE);
	for (cpu = 0; cpu < HOST_NR_CPUS; cpu++)
		HOST_POISON(p + cpu * HOST_PERCPU_STRIDE + size, HOST_PERCPU_STRIDE - size);
	return p;
}

void free_percpu(void *p)
{
	if (!p)
		return;
	HOST_UNPOISON(p, (size_t)HOST_NR_CPUS * HOST_PERCPU_STRIDE);
	free(p);
}

void *mm_ext_alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu(size, align);
}

/* ---- strings, bits, numbers ---- */

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;
	size_t i;

	for (i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

char *skip_spaces(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return (char *)s;
}

char *strim(char *s)
{
	size_t len = strlen(s);

	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return skip_spaces(s);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? (int)size - 1 : n;
}

/* What strtoul/strtol left: nothing, or one newline, as kstrto*() accept. */
static bool host_strto_tail(const char *end)
{
	return !*end || (*end == '\n' && !end[1]);
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno)
		return -ERANGE;
	if (!host_strto_tail(end))
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long v;
	int ret = kstrtoul(s, base, &v);

	if (ret)
		return ret;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	char *end;
	long v;

	if (!*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, base);
	if (errno || v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	if (!host_strto_tail(end))
		return -EINVAL;
	*res = v;
	return 0;
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	for (; offset < size; offset++)
		if (test_bit(offset, addr))
			return offset;
	return size;
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	for (; offset < size; offset++)
		if (!test_bit(offset, addr))
			return offset;
	return size;
}

void bitmap_set(unsigned long *map, unsigned int start, unsigned int len)
{
	while (len--)
		__set_bit(start++, map);
}

void bitmap_clear(unsigned long *map, unsigned int start, unsigned int len)
{
	while (len--)
		__clear_bit(start++, map);
}

unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits; i++)
		w += test_bit(i, src);
	return w;
}

bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_next_bit(src, nbits, 0) == nbits;
}

unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1UL << (__fls(x) & ~1UL);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}

struct reciprocal_value reciprocal_value(u32 d)
{
	struct reciprocal_value R;
	u64 m;
	int l;

	l = fls(d - 1);
	m = ((1ULL << 32) * ((1ULL << l) - d));
	m /= d;
	++m;
	R.m = (u32)m;
	R.sh1 = min(l, 1);
	R.sh2 = max(l - 1, 0);
	return R;
}

/* ---- random: the kernel's prandom, and a seeded get_random_*() ---- */

static u32 tausworthe(u32 s, unsigned int a, unsigned int b, u32 c, unsigned int d)
{
	return ((s & c) << d) ^ (((s << a) ^ s) >> b);
}

u32 prandom_u32_state(struct rnd_state *state)
{
	state->s1 = tausworthe(state->s1, 6U, 13U, 4294967294U, 18U);
	state->s2 = tausworthe(state->s2, 2U, 27U, 4294967288U, 2U);
	state->s3 = tausworthe(state->s3, 13U, 21U, 4294967280U, 7U);
	state->s4 = tausworthe(state->s4, 3U, 12U, 4294967168U, 13U);
	return state->s1 ^ state->s2 ^ state->s3 ^ state->s4;
}

static u32 __seed(u32 x, u32 m)
{
	return (x < m) ? x + m : x;
}

void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	u32 i = ((seed >> 32) ^ (seed << 10) ^ seed) & 0xffffffffUL;

	state->s1 = __seed(i, 2U);
	state->s2 = __seed(i, 8U);
	state->s3 = __seed(i, 16U);
	state->s4 = __seed(i, 128U);
}

static u64 host_random_state = 1;

void mm_ext_host_seed(u64 seed)
{
	__atomic_store_n(&host_random_state, seed, __ATOMIC_RELAXED);
}

/* splitmix64 on one atomic counter: repeatable for one thread, safe for many. */
u64 get_random_u64(void)
{
	u64 z = __atomic_add_fetch(&host_random_state, 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u32 get_random_u32(void)
{
	return (u32)get_random_u64();
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		u64 r = get_random_u64();
		size_t n = min(len, sizeof(r));

		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

/* ---- locks ---- */

static void host_check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "mm_ext host: %s: %s\n", what, strerror(err));
		abort();
	}
}

/* The contended side of spin_lock(): spin a little, then give the CPU up. */
void host_spin_wait(spinlock_t *l)
{
	unsigned int spins = 0;

	do {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			if (++spins < 64)
				__builtin_ia32_pause();
			else
				sched_yield();
		}
	} while (!spin_trylock(l));
}

void mutex_init(struct mutex *l)
{
	host_check(pthread_mutex_init(&l->m, NULL), "mutex_init");
}

void mutex_lock(struct mutex *l)
{
	host_check(pthread_mutex_lock(&l->m), "mutex_lock");
}

void mutex_unlock(struct mutex *l)
{
	host_check(pthread_mutex_unlock(&l->m), "mutex_unlock");
}

int mutex_trylock(struct mutex *l)
{
	int err = pthread_mutex_trylock(&l->m);

	if (err == EBUSY)
		return 0;
	host_check(err, "mutex_trylock");
	return 1;
}

/* ---- time ---- */

static struct timespec host_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

u64 ktime_get_ns(void)
{
	struct timespec ts = host_now();

	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Starts at a value that wraps soon, as the kernel's INITIAL_JIFFIES does. */
unsigned long host_jiffies(void)
{
	return (unsigned long)(ktime_get_ns() / 1000000ULL) - 300000UL;
}

void msleep(unsigned int msecs)
{
	struct timespec ts = { msecs / 1000, (long)(msecs % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void udelay(unsigned long usecs)
{
	struct timespec ts = { usecs / 1000000, (long)(usecs % 1000000) * 1000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void cond_resched(void)
{
	sched_yield();
}

/* A CLOCK_MONOTONIC deadline @ms from now, for pthread_cond_timedwait. */
static struct timespec host_deadline(unsigned long ms)
{
	struct timespec ts = host_now();

	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static void host_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	host_check(pthread_cond_init(cond, &attr), "pthread_cond_init");
	pthread_condattr_destroy(&attr);
}

/* ---- CPUs ---- */

unsigned int nr_cpu_ids = HOST_NR_CPUS;
__thread int host_cpu;
struct cpumask __cpu_online_mask = { { (1UL << HOST_NR_CPUS) - 1 } };
struct cpumask __cpu_possible_mask = { { (1UL << HOST_NR_CPUS) - 1 } };
static struct cpumask host_cpu_masks[HOST_NR_CPUS];

const struct cpumask *cpumask_of(unsigned int cpu)
{
	struct cpumask *m = &host_cpu_masks[cpu % HOST_NR_CPUS];

	m->bits[0] = 1UL << (cpu % HOST_NR_CPUS);
	return m;
}

void mm_ext_host_set_cpu(int cpu)
{
	if (cpu < 0 || cpu >= HOST_NR_CPUS)
		host_die("no such CPU");
	host_cpu = cpu;
}

int mm_ext_host_cpu(void)
{
	return host_cpu;
}

static pthread_rwlock_t host_hotplug_lock = PTHREAD_RWLOCK_INITIALIZER;

/* ---- RCU: readers against kvfree_rcu() ---- */

static pthread_rwlock_t host_rcu_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t host_rcu_pending_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rcu_head *host_rcu_pending;

void rcu_read_lock(void)
{
	host_check(pthread_rwlock_rdlock(&host_rcu_lock), "rcu_read_lock");
}

void rcu_read_unlock(void)
{
	host_check(pthread_rwlock_unlock(&host_rcu_lock), "rcu_read_unlock");
}

/*
 * Frees what kvfree_rcu() left, once no reader is in (waiting for that
 * if @wait): a reader that could still see an object was in when it was
 * queued, so one that is out afterwards has let go of everything queued.
 */
void host_rcu_reap(bool wait)
{
	struct rcu_head *head, *next;

	if (wait)
		host_check(pthread_rwlock_wrlock(&host_rcu_lock), "host_rcu_reap");
	else if (pthread_rwlock_trywrlock(&host_rcu_lock))
		return;
	pthread_mutex_lock(&host_rcu_pending_lock);
	head = host_rcu_pending;
	host_rcu_pending = NULL;
	pthread_mutex_unlock(&host_rcu_pending_lock);
	host_check(pthread_rwlock_unlock(&host_rcu_lock), "host_rcu_reap");
	for (; head; head = next) {
		next = head->next;
		kfree(head->ptr);
	}
}

void host_kvfree_rcu(void *ptr, struct rcu_head *head)
{
	head->ptr = ptr;
	pthread_mutex_lock(&host_rcu_pending_lock);
	head->next = host_rcu_pending;
	host_rcu_pending = head;
	pthread_mutex_unlock(&host_rcu_pending_lock);
	host_rcu_reap(false);
}

void cpus_read_lock(void)
{
	host_check(pthread_rwlock_rdlock(&host_hotplug_lock), "cpus_read_lock");
}

void cpus_read_unlock(void)
{
	host_check(pthread_rwlock_unlock(&host_hotplug_lock), "cpus_read_unlock");
}

#define HOST_CPUHP_STATES 8
static struct {
	int (*startup)(unsigned int cpu);
	int (*teardown)(unsigned int cpu);
} host_cpuhp[HOST_CPUHP_STATES];

int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
			      int (*startup)(unsigned int cpu),
			      int (*teardown)(unsigned int cpu))
{
	int i;

	(void)name;
	if (state != CPUHP_BP_PREPARE_DYN && state != CPUHP_AP_ONLINE_DYN)
		return -EINVAL;
	pthread_rwlock_wrlock(&host_hotplug_lock);
	for (i = 1; i < HOST_CPUHP_STATES; i++) {
		if (!host_cpuhp[i].startup && !host_cpuhp[i].teardown) {
			host_cpuhp[i].startup = startup;
			host_cpuhp[i].teardown = teardown;
			break;
		}
	}
	pthread_rwlock_unlock(&host_hotplug_lock);
	return i < HOST_CPUHP_STATES ? 16 + i : -ENOSPC;
}

void cpuhp_remove_state_nocalls(enum cpuhp_state state)
{
	int i = (int)state - 16;

	if (i < 1 || i >= HOST_CPUHP_STATES)
		return;
	pthread_rwlock_wrlock(&host_hotplug_lock);
	host_cpuhp[i].startup = NULL;
	host_cpuhp[i].teardown = NULL;
	pthread_rwlock_unlock(&host_hotplug_lock);
}

/*
 * A CPU goes offline: its dead callbacks run, under the hotplug lock, from
 * the calling thread. Threads that still say they are on it go on using
 * its per-CPU data (PREEMPT_RT's locks make that safe); the tests do not.
 * The last online CPU and CPU 0 stay.
 */
int remove_cpu(unsigned int cpu)
{
	int i;

	if (cpu == 0 || cpu >= nr_cpu_ids)
		return -EBUSY;
	pthread_rwlock_wrlock(&host_hotplug_lock);
	if (!cpu_online(cpu)) {
		pthread_rwlock_unlock(&host_hotplug_lock);
		return -EINVAL;
	}
	__clear_bit(cpu, __cpu_online_mask.bits);
	for (i = HOST_CPUHP_STATES - 1; i > 0; i--)
		if (host_cpuhp[i].teardown)
			host_cpuhp[i].teardown(cpu);
	pthread_rwlock_unlock(&host_hotplug_lock);
	return 0;
}

int add_cpu(unsigned int cpu)
{
	int i;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	pthread_rwlock_wrlock(&host_hotplug_lock);
	if (cpu_online(cpu)) {
		pthread_rwlock_unlock(&host_hotplug_lock);
		return -EINVAL;
	}
	for (i = 1; i < HOST_CPUHP_STATES; i++)
		if (host_cpuhp[i].startup)
			host_cpuhp[i].startup(cpu);
	__set_bit(cpu, __cpu_online_mask.bits);
	pthread_rwlock_unlock(&host_hotplug_lock);
	return 0;
}

/* ---- tasks ---- */

static __thread struct task_struct *host_task;
static pthread_mutex_t host_tasks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct task_struct *host_kthreads;	/* every kthread made, to join */

static void host_task_init(struct task_struct *t)
{
	memset(t, 0, sizeof(*t));
	t->cpus_mask = __cpu_possible_mask;
	t->cpus_ptr = &t->cpus_mask;
	host_check(pthread_mutex_init(&t->lock, NULL), "task lock");
	host_cond_init(&t->cond);
}

/* A thread not made by kthread_create() gets a task on first use, freed at its exit. */
static pthread_key_t host_task_key;
static pthread_once_t host_task_once = PTHREAD_ONCE_INIT;

static void host_task_free(void *p)
{
	struct task_struct *t = p;

	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void host_task_key_init(void)
{
	pthread_key_create(&host_task_key, host_task_free);
}

struct task_struct *host_current(void)
{
	struct task_struct *t = host_task;

	if (likely(t))
		return t;
	t = malloc(sizeof(*t));
	if (!t)
		host_die("out of memory for a task");
	host_task_init(t);
	snprintf(t->comm, sizeof(t->comm), "host-%d", (int)gettid());
	t->cpu = host_cpu;
	t->started = true;
	t->thread = pthread_self();
	pthread_once(&host_task_once, host_task_key_init);
	pthread_setspecific(host_task_key, t);
	host_task = t;
	return t;
}

static void *host_kthread_main(void *arg)
{
	struct task_struct *t = arg;
	int ret;

	host_task = t;
	host_cpu = t->cpu;
	ret = t->fn(t->data);
	pthread_mutex_lock(&t->lock);
	t->ret = ret;
	t->exited = true;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct task_struct *kthread_create(int (*fn)(void *data), void *data,
				   const char *namefmt, ...)
{
	struct task_struct *t = malloc(sizeof(*t));
	va_list ap;

	if (!t)
		return ERR_PTR(-ENOMEM);
	host_task_init(t);
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt, ap);
	va_end(ap);
	t->fn = fn;
	t->data = data;
	t->is_kthread = true;
	t->cpu = host_cpu;
	pthread_mutex_lock(&host_tasks_lock);
	t->next = host_kthreads;
	host_kthreads = t;
	pthread_mutex_unlock(&host_tasks_lock);
	return t;
}

void kthread_bind(struct task_struct *t, unsigned int cpu)
{
	t->cpu = cpu % HOST_NR_CPUS;
	t->cpus_mask = *cpumask_of(t->cpu);
}

int set_cpus_allowed_ptr(struct task_struct *t, const struct cpumask *mask)
{
	unsigned int cpu = cpumask_first(mask);

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	t->cpu = cpu;
	t->cpus_mask = *mask;
	if (t == host_task)
		host_cpu = cpu;
	return 0;
}

int wake_up_process(struct task_struct *t)
{
	pthread_mutex_lock(&t->lock);
	if (t->is_kthread && !t->started) {
		t->started = true;
		host_check(pthread_create(&t->thread, NULL, host_kthread_main, t),
			   "pthread_create");
	}
	t->woken = true;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	return 1;
}

bool kthread_should_stop(void)
{
	struct task_struct *t = current;
	bool stop;

	pthread_mutex_lock(&t->lock);
	stop = t->should_stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

static void host_join(struct task_struct *t)
{
	if (t->started && !t->joined) {
		host_check(pthread_join(t->thread, NULL), "pthread_join");
		t->joined = true;
	}
}

int kthread_stop(struct task_struct *t)
{
	pthread_mutex_lock(&t->lock);
	t->should_stop = true;
	if (!t->started) {
		/* Never woken: as the kernel, it does not run its function. */
		t->started = true;
		t->exited = true;
		t->joined = true;
		t->ret = -EINTR;
	}
	t->woken = true;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	host_join(t);
	return t->ret;
}

static void host_join_kthreads(void)
{
	struct task_struct *t, *next;

	pthread_mutex_lock(&host_tasks_lock);
	t = host_kthreads;
	host_kthreads = NULL;
	pthread_mutex_unlock(&host_tasks_lock);
	for (; t; t = next) {
		next = t->next;
		host_join(t);
		host_task_free(t);
	}
}

/* Sleep until woken (wake_up_process(), wake_up()) or @timeout jiffies pass. */
long schedule_timeout(long timeout)
{
	struct task_struct *t = current;
	unsigned long start = host_jiffies();
	struct timespec until;
	long left;

	if (timeout > 3600L * HZ)
		timeout = 3600L * HZ;
	until = host_deadline(timeout);
	pthread_mutex_lock(&t->lock);
	while (!t->woken) {
		if (pthread_cond_timedwait(&t->cond, &t->lock, &until) == ETIMEDOUT)
			break;
	}
	t->woken = false;
	pthread_mutex_unlock(&t->lock);
	left = timeout - (long)(host_jiffies() - start);
	return left > 0 ? left : 0;
}

void init_waitqueue_head(wait_queue_head_t *wq)
{
	host_check(pthread_mutex_init(&wq->lock, NULL), "init_waitqueue_head");
	INIT_LIST_HEAD(&wq->head);
}

void init_wait(wait_queue_entry_t *w)
{
	w->task = current;
	INIT_LIST_HEAD(&w->entry);
}

void prepare_to_wait(wait_queue_head_t *wq, wait_queue_entry_t *w, int state)
{
	struct task_struct *t = w->task;

	(void)state;
	pthread_mutex_lock(&wq->lock);
	pthread_mutex_lock(&t->lock);
	t->woken = false;
	pthread_mutex_unlock(&t->lock);
	if (list_empty(&w->entry))
		list_add_tail(&w->entry, &wq->head);
	pthread_mutex_unlock(&wq->lock);
}

void finish_wait(wait_queue_head_t *wq, wait_queue_entry_t *w)
{
	pthread_mutex_lock(&wq->lock);
	if (!list_empty(&w->entry))
		list_del_init(&w->entry);
	pthread_mutex_unlock(&wq->lock);
}

void wake_up(wait_queue_head_t *wq)
{
	wait_queue_entry_t *w;

	pthread_mutex_lock(&wq->lock);
	list_for_each_entry(w, &wq->head, entry) {
		pthread_mutex_lock(&w->task->lock);
		w->task->woken = true;
		pthread_cond_broadcast(&w->task->cond);
		pthread_mutex_unlock(&w->task->lock);
	}
	pthread_mutex_unlock(&wq->lock);
}

/* Under the queue's lock: no barrier to pair with, unlike the kernel's. */
bool waitqueue_active(wait_queue_head_t *wq)
{
	bool active;

	pthread_mutex_lock(&wq->lock);
	active = !list_empty(&wq->head);
	pthread_mutex_unlock(&wq->lock);
	return active;
}

void init_completion(struct completion *c)
{
	host_check(pthread_mutex_init(&c->lock, NULL), "init_completion");
	host_cond_init(&c->cond);
	c->done = 0;
}

void complete(struct completion *c)
{
	pthread_mutex_lock(&c->lock);
	if (c->done != UINT_MAX)
		c->done++;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void complete_all(struct completion *c)
{
	pthread_mutex_lock(&c->lock);
	c->done = UINT_MAX;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout)
{
	struct timespec until = host_deadline(timeout);
	unsigned long ret = 1;

	pthread_mutex_lock(&c->lock);
	while (!c->done) {
		if (pthread_cond_timedwait(&c->cond, &c->lock, &until) == ETIMEDOUT) {
			ret = c->done ? 1 : 0;
			break;
		}
	}
	if (c->done && c->done != UINT_MAX)
		c->done--;
	pthread_mutex_unlock(&c->lock);
	return ret;
}

/* Bounded: a completion not come in 60 s is a hang, WARNed and given up. */
void wait_for_completion(struct completion *c)
{
	if (!wait_for_completion_timeout(c, 60 * HZ))
		WARN(1, "%s: nothing after 60 s\n", __func__);
}

bool completion_done(struct completion *c)
{
	bool done;

	pthread_mutex_lock(&c->lock);
	done = c->done != 0;
	pthread_mutex_unlock(&c->lock);
	return done;
}

/* ---- files: mm_ext's module parameters as /sys/module shows them ---- */

struct file {
	char buf[32];
};

static unsigned long host_default_pages;

struct file *filp_open(const char *path, int flags, unsigned short mode)
{
	struct file *f;

	(void)flags;
	(void)mode;
	if (strcmp(path, "/sys/module/mm_ext/parameters/default_pages"))
		return ERR_PTR(-ENOENT);
	f = calloc(1, sizeof(*f));
	if (!f)
		return ERR_PTR(-ENOMEM);
	snprintf(f->buf, sizeof(f->buf), "%lu\n", host_default_pages);
	return f;
}

int filp_close(struct file *f, void *id)
{
	(void)id;
	free(f);
	return 0;
}

ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos)
{
	size_t len = strlen(f->buf);

	if ((size_t)*pos >= len)
		return 0;
	count = min(count, len - (size_t)*pos);
	memcpy(buf, f->buf + *pos, count);
	*pos += count;
	return count;
}

/* ---- module load and unload ---- */

static struct buddy_sim *host_default_zone;

struct buddy_sim *buddy_sim_default(void)
{
	return host_default_zone;
}

void mm_ext_host_init(unsigned long default_pages)
{
	struct buddy_sim *zone;

	mm_ext_base_init();
	if (buddy_sim_init())
		host_die("buddy_sim_init failed");
	zone = buddy_sim_create("default", default_pages);
	if (IS_ERR_OR_NULL(zone))
		host_die("cannot create the default zone");
	host_default_zone = zone;
	host_default_pages = default_pages;
	if (slab_ext_init(zone, false))
		host_die("slab_ext_init failed");
}

void mm_ext_host_exit(void)
{
	mempool_ext_exit();
	slab_ext_exit();
	buddy_sim_destroy(host_default_zone);
	host_default_zone = NULL;
	buddy_sim_exit();
	host_join_kthreads();
	host_rcu_reap(true);
}

/* ---- module parameters (of the test suites), set as name=value ---- */

#define HOST_MAX_PARAMS 16
static struct {
	const char *name;
	void *var;
	enum host_param_type type;
} host_params[HOST_MAX_PARAMS];
static int host_nr_params;

void host_param_register(const char *name, void *var, enum host_param_type type)
{
	if (host_nr_params == HOST_MAX_PARAMS)
		host_die("too many module parameters");
	host_params[host_nr_params].name = name;
	host_params[host_nr_params].var = var;
	host_params[host_nr_params].type = type;
	host_nr_params++;
}

int mm_ext_host_param(const char *arg)
{
	const char *eq = strchr(arg, '=');
	unsigned long long v;
	char *end;
	int i;

	if (!eq)
		return -EINVAL;
	for (i = 0; i < host_nr_params; i++) {
		if (strlen(host_params[i].name) != (size_t)(eq - arg) ||
		    strncmp(host_params[i].name, arg, eq - arg))
			continue;
		errno = 0;
		v = strtoull(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1)
			return -EINVAL;
		switch (host_params[i].type) {
		case HOST_PARAM_ullong:
			*(unsigned long long *)host_params[i].var = v;
			break;
		case HOST_PARAM_ulong:
			*(unsigned long *)host_params[i].var = v;
			break;
		case HOST_PARAM_uint:
			*(unsigned int *)host_params[i].var = v;
			break;
		case HOST_PARAM_int:
			*(int *)host_params[i].var = v;
			break;
		case HOST_PARAM_bool:
			*(bool *)host_params[i].var = v;
			break;
		}
		return 0;
	}
	return -ENOENT;
}
