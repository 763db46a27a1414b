// SPDX-License-Identifier: GPL-2.0
/*
 * The host KUnit runner: runs every registered suite (or those named on the
 * command line) between mm_ext_host_init() and mm_ext_host_exit(), prints
 * KTAP and a summary, and exits non-zero when a case failed, a WARN fired,
 * or the unload found objects left behind.
 *
 *   kunit_host [-s SEED] [-v] [-k] [PARAM=VALUE]... [SUITE[.CASE]]...
 *
 * -s seeds get_random_*() (default 1); -v shows the layers' reports;
 * -k runs the cases skipped as known layer bugs (host_skips[]);
 * PARAM=VALUE sets a suite's module parameter (model_seed=N, model_ops=N).
 */

#include <linux/host_shim.h>
#include <kunit/test.h>
#include <kunit/resource.h>
#include <time.h>
#include <unistd.h>

#include "mm_ext_host.h"

/*
 * Cases not run, by "suite" or "suite.case", with the reason printed. The
 * host runs every case of the kernel's suites, CPU hotplug included (the
 * shim's remove_cpu() runs the CPU-dead callbacks); what is here are
 * layer bugs the sanitizers abort on: -k runs them.
 */
static const struct {
	const char *name, *why;
} host_skips[] = {
	{ "host_known_bugs", "a layer bug the sanitizers abort on (run with -k)" },
	{ "mm_ext_model.mm_ext_model_test_random",
	  "its interior frees to debug caches hit host_known_bugs (run with -k)" },
};

static bool host_run_known_bugs;

#define HOST_MAX_SUITES 16
static struct kunit_suite *host_suites[HOST_MAX_SUITES];
static int host_nr_suites;

void kunit_host_register(struct kunit_suite *suite)
{
	if (host_nr_suites == HOST_MAX_SUITES) {
		fprintf(stderr, "kunit_host: too many suites\n");
		abort();
	}
	host_suites[host_nr_suites++] = suite;
}

struct kunit *kunit_get_current_test(void)
{
	return current->kunit_test;
}

static void kunit_host_vprint(struct kunit *test, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printf("        # %s: %s\n", test ? test->name : "?", msg);
	fflush(stdout);
}

void kunit_host_log(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kunit_host_vprint(test, fmt, ap);
	va_end(ap);
}

/* ASSERT and skip leave the case; from a thread of the case's own, that thread. */
static void __noreturn kunit_host_abort(struct kunit *test)
{
	if (current == test->thread)
		longjmp(test->abort, 1);
	pthread_exit(NULL);
}

void kunit_host_fail(struct kunit *test, const char *file, int line, bool assert,
		     const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&test->lock);
	test->status = KUNIT_FAILURE;
	pthread_mutex_unlock(&test->lock);
	printf("        # %s: %s FAILED at %s:%d\n", test->name,
	       assert ? "ASSERTION" : "EXPECTATION", file, line);
	va_start(ap, fmt);
	kunit_host_vprint(test, fmt, ap);
	va_end(ap);
}

/* The caller's own message after a failure; nothing when empty. */
void kunit_host_msg(struct kunit *test, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (msg[0])
		printf("        # %s: %s\n", test->name, msg);
}

void kunit_host_assert_end(struct kunit *test)
{
	kunit_host_abort(test);
}

void kunit_host_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&test->lock);
	if (test->status == KUNIT_SUCCESS)
		test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&test->lock);
}

void kunit_host_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&test->lock);
	if (test->status == KUNIT_SUCCESS)
		test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&test->lock);
	kunit_host_abort(test);
}

/* ---- actions and resources: one list, released last first ---- */

struct kunit_host_res {
	struct list_head node;
	kunit_action_t *action;		/* an action, or NULL for a resource */
	void *ctx;
	struct kunit_resource *res;
};

static int kunit_host_add(struct kunit *test, kunit_action_t *action, void *ctx,
			  struct kunit_resource *res)
{
	struct kunit_host_res *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->action = action;
	r->ctx = ctx;
	r->res = res;
	pthread_mutex_lock(&test->lock);
	list_add(&r->node, &test->resources);
	pthread_mutex_unlock(&test->lock);
	return 0;
}

static void kunit_host_release(struct kunit_host_res *r)
{
	if (r->action)
		r->action(r->ctx);
	else if (r->res && r->res->free)
		r->res->free(r->res);
	free(r);
}

int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	return kunit_host_add(test, action, ctx, NULL);
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action, void *ctx)
{
	int ret = kunit_add_action(test, action, ctx);

	if (ret)
		action(ctx);
	return ret;
}

static struct kunit_host_res *kunit_host_take(struct kunit *test, kunit_action_t *action,
					      void *ctx)
{
	struct kunit_host_res *r, *found = NULL;

	pthread_mutex_lock(&test->lock);
	list_for_each_entry(r, &test->resources, node) {
		if (r->action == action && r->ctx == ctx) {
			list_del(&r->node);
			found = r;
			break;
		}
	}
	pthread_mutex_unlock(&test->lock);
	return found;
}

void kunit_release_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct kunit_host_res *r = kunit_host_take(test, action, ctx);

	if (r)
		kunit_host_release(r);
}

void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	free(kunit_host_take(test, action, ctx));
}

static void kunit_host_kfree(void *p)
{
	kfree(p);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	void *p = kmalloc_array(n, size, gfp);

	if (p && kunit_add_action_or_reset(test, kunit_host_kfree, p))
		return NULL;
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	if (ptr)
		kunit_release_action(test, kunit_host_kfree, (void *)ptr);
}

int kunit_add_named_resource(struct kunit *test, kunit_resource_init_t init,
			     kunit_resource_free_t free_fn, struct kunit_resource *res,
			     const char *name, void *data)
{
	int ret;

	if (!name || kunit_find_named_resource(test, name))
		return -EEXIST;
	if (init) {
		ret = init(res, data);
		if (ret)
			return ret;
	} else {
		res->data = data;
	}
	res->name = name;
	res->free = free_fn;
	return kunit_host_add(test, NULL, NULL, res);
}

struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name)
{
	struct kunit_host_res *r;
	struct kunit_resource *found = NULL;

	pthread_mutex_lock(&test->lock);
	list_for_each_entry(r, &test->resources, node) {
		if (r->res && r->res->name && !strcmp(r->res->name, name)) {
			found = r->res;
			break;
		}
	}
	pthread_mutex_unlock(&test->lock);
	return found;
}

/* ---- the runner ---- */

static int host_nr_pass, host_nr_fail, host_nr_skip;
static bool host_verbose;

/* A case that runs this long is a hang: say which, and abort. */
#define HOST_CASE_TIMEOUT_S 120
static time_t host_case_start;		/* 0: no case running (atomic) */
static const char *host_case_name;

static void *host_watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(1);
		time_t start = __atomic_load_n(&host_case_start, __ATOMIC_ACQUIRE);

		if (start && time(NULL) - start > HOST_CASE_TIMEOUT_S) {
			fprintf(stderr, "kunit_host: %s still running after %d s: hung\n",
				__atomic_load_n(&host_case_name, __ATOMIC_RELAXED),
				HOST_CASE_TIMEOUT_S);
			abort();
		}
	}
	return NULL;
}

static const char *host_skip_reason(const char *suite, const char *name)
{
	char full[512];
	size_t i;

	if (host_run_known_bugs)
		return NULL;
	snprintf(full, sizeof(full), "%s.%s", suite, name);
	for (i = 0; i < ARRAY_SIZE(host_skips); i++)
		if (!strcmp(host_skips[i].name, full) || !strcmp(host_skips[i].name, suite))
			return host_skips[i].why;
	return NULL;
}

/* Run one case (one parameter of it); its status. */
static enum kunit_status host_run_one(struct kunit_case *kc, const void *param,
				      char *comment, size_t comment_size)
{
	struct task_struct *me = current;
	unsigned long warnings = mm_ext_host_warnings();
	struct kunit_host_res *r;
	struct kunit test;

	memset(&test, 0, sizeof(test));
	test.name = kc->name;
	test.param_value = param;
	test.thread = me;
	pthread_mutex_init(&test.lock, NULL);
	INIT_LIST_HEAD(&test.resources);
	mm_ext_host_set_cpu(0);
	me->cpu = 0;
	me->kunit_test = &test;
	__atomic_store_n(&host_case_name, kc->name, __ATOMIC_RELAXED);
	__atomic_store_n(&host_case_start, time(NULL), __ATOMIC_RELEASE);
	if (!setjmp(test.abort))
		kc->run_case(&test);
	/* Released last first, as KUnit's cleanup does, whatever ended the case. */
	for (;;) {
		pthread_mutex_lock(&test.lock);
		r = list_first_entry_or_null(&test.resources, struct kunit_host_res, node);
		if (r)
			list_del(&r->node);
		pthread_mutex_unlock(&test.lock);
		if (!r)
			break;
		kunit_host_release(r);
	}
	__atomic_store_n(&host_case_start, 0, __ATOMIC_RELEASE);
	me->kunit_test = NULL;
	mm_ext_host_set_cpu(0);
	if (mm_ext_host_warnings() != warnings) {
		printf("        # %s: a WARN fired (see stderr)\n", kc->name);
		test.status = KUNIT_FAILURE;
	}
	snprintf(comment, comment_size, "%s", test.status_comment);
	pthread_mutex_destroy(&test.lock);
	return test.status;
}

static void host_result(int indent, enum kunit_status status, int n, const char *name,
			const char *comment)
{
	printf("%*s%s %d %s", indent, "", status == KUNIT_FAILURE ? "not ok" : "ok", n, name);
	if (status == KUNIT_SKIPPED)
		printf(" # SKIP %s", comment);
	printf("\n");
	fflush(stdout);
	if (status == KUNIT_FAILURE)
		host_nr_fail++;
	else if (status == KUNIT_SKIPPED)
		host_nr_skip++;
	else
		host_nr_pass++;
}

static bool host_selected(int argc, char **argv, int first, const char *suite,
			  const char *name)
{
	char full[512];
	int i;

	if (first >= argc)
		return true;
	snprintf(full, sizeof(full), "%s.%s", suite, name);
	for (i = first; i < argc; i++)
		if (!strcmp(argv[i], suite) || !strcmp(argv[i], full))
			return true;
	return false;
}

static enum kunit_status host_run_case(struct kunit_suite *s, struct kunit_case *kc, int n)
{
	char desc[KUNIT_PARAM_DESC_SIZE], comment[256] = "";
	enum kunit_status st, all = KUNIT_SKIPPED;
	const char *why = host_skip_reason(s->name, kc->name);
	const void *param;
	int p = 0;

	if (why) {
		host_result(4, KUNIT_SKIPPED, n, kc->name, why);
		return KUNIT_SKIPPED;
	}
	if (!kc->generate_params) {
		st = host_run_one(kc, NULL, comment, sizeof(comment));
		host_result(4, st, n, kc->name, comment);
		return st;
	}
	printf("        KTAP version 1\n        # Subtest: %s\n", kc->name);
	desc[0] = '\0';
	for (param = kc->generate_params(NULL, desc); param;
	     param = kc->generate_params(param, desc)) {
		if (!desc[0])
			snprintf(desc, sizeof(desc), "param-%d", p);
		st = host_run_one(kc, param, comment, sizeof(comment));
		host_result(8, st, ++p, desc, comment);
		if (st == KUNIT_FAILURE)
			all = KUNIT_FAILURE;
		else if (st == KUNIT_SUCCESS && all != KUNIT_FAILURE)
			all = KUNIT_SUCCESS;
		desc[0] = '\0';
	}
	printf("        1..%d\n", p);
	/* The case line itself is not counted: its parameters were. */
	printf("    %s %d %s%s\n", all == KUNIT_FAILURE ? "not ok" : "ok", n, kc->name,
	       all == KUNIT_SKIPPED ? " # SKIP every parameter" : "");
	return all;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	unsigned long reports;
	pthread_t wd;
	int first = 1, i, n, nr_suites = 0;
	bool failed = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (first < argc && (argv[first][0] == '-' || strchr(argv[first], '='))) {
		if (strchr(argv[first], '=')) {
			if (mm_ext_host_param(argv[first])) {
				fprintf(stderr, "%s: no parameter %s\n", argv[0], argv[first]);
				return 2;
			}
			first++;
			continue;
		}
		if (!strcmp(argv[first], "-s") && first + 1 < argc) {
			seed = strtoull(argv[first + 1], NULL, 0);
			first += 2;
		} else if (!strcmp(argv[first], "-k")) {
			host_run_known_bugs = true;
			first++;
		} else if (!strcmp(argv[first], "-v")) {
			host_verbose = true;
			first++;
		} else {
			fprintf(stderr, "usage: %s %s\n", argv[0],
				"[-s SEED] [-v] [-k] [PARAM=VALUE]... [SUITE[.CASE]]...");
			return 2;
		}
	}
	mm_ext_host_quiet(!host_verbose);
	mm_ext_host_seed(seed);
	pthread_create(&wd, NULL, host_watchdog, NULL);
	pthread_detach(wd);
	mm_ext_host_init(4096);

	for (i = 0; i < host_nr_suites; i++)
		for (n = 0; host_suites[i]->test_cases[n].run_case; n++)
			if (host_selected(argc, argv, first, host_suites[i]->name,
					  host_suites[i]->test_cases[n].name)) {
				nr_suites++;
				break;
			}
	printf("KTAP version 1\n# mm_ext host KUnit, seed %llu (repeat: -s %llu), %u CPUs\n1..%d\n",
	       seed, seed, nr_cpu_ids, nr_suites);
	nr_suites = 0;
	for (i = 0; i < host_nr_suites; i++) {
		struct kunit_suite *s = host_suites[i];
		enum kunit_status all = KUNIT_SKIPPED;
		int nr = 0;

		for (n = 0; s->test_cases[n].run_case; n++)
			nr += host_selected(argc, argv, first, s->name, s->test_cases[n].name);
		if (!nr)
			continue;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, nr);
		nr = 0;
		for (n = 0; s->test_cases[n].run_case; n++) {
			enum kunit_status st;

			if (!host_selected(argc, argv, first, s->name, s->test_cases[n].name))
				continue;
			st = host_run_case(s, &s->test_cases[n], ++nr);
			if (st == KUNIT_FAILURE)
				all = KUNIT_FAILURE;
			else if (st == KUNIT_SUCCESS && all != KUNIT_FAILURE)
				all = KUNIT_SUCCESS;
		}
		printf("%s %d %s\n", all == KUNIT_FAILURE ? "not ok" : "ok", ++nr_suites, s->name);
		failed |= all == KUNIT_FAILURE;
	}

	/* Unload: anything left behind is reported, and fails the run. */
	reports = mm_ext_host_reports();
	mm_ext_host_exit();
	if (mm_ext_host_reports() != reports) {
		printf("# unload: %lu report(s): objects left behind\n",
		       mm_ext_host_reports() - reports);
		failed = true;
	}
	printf("# host KUnit: %d passed, %d failed, %d skipped", host_nr_pass, host_nr_fail,
	       host_nr_skip);
	printf(" (a parameter counts as a case); seed %llu\n", seed);
	return failed || host_nr_fail ? 1 : 0;
}
