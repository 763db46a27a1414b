// SPDX-License-Identifier: GPL-2.0
/*
 * mm_ext_replay: replay a trace of the kernel's kmem events into mm_ext's
 * layers built in user space (host/), once for each of two settings, and
 * write what became of the zones and caches. scripts/replay builds and runs
 * it and draws the plots.
 *
 *   mm_ext_replay [-a SETTING] [-b SETTING] [-p PAGES] [-s PAGES] [-n SAMPLES]
 *                 [-o OUTDIR] TRACE
 *
 * TRACE is the text of /sys/kernel/tracing/trace (or trace_pipe) or of
 * `trace-cmd report`; "-" reads stdin. Replayed events:
 *
 *   mm_page_alloc, mm_page_free, mm_page_free_batched
 *           pages by order, keyed by pfn, into zone "rp-pages"
 *   kmalloc, kmem_cache_alloc (and the _node variants of older kernels),
 *   kfree, kmem_cache_free
 *           objects by size class (bytes_alloc: one cache per distinct
 *           size), keyed by ptr, into caches carving their slabs from
 *           zone "rp-slabs"
 *
 * The page events include the kernel's own slab pages, so the caches have
 * a zone of their own: zone "rp-pages" is the kernel's page allocator's
 * view, zone "rp-slabs" what mm_ext's caches needed for the same objects.
 * Objects over 8192 bytes (kmalloc_large) are the page allocator's in the
 * kernel too (their pages are in the page events) and are not replayed
 * again as objects.
 *
 * Pages from alloc_pages_bulk() (vmalloc's) have no mm_page_alloc event in
 * the kernel: their frees are among the unknown ones.
 *
 * A line that is neither a comment, a trace-cmd header nor an event line,
 * or a replayed event without its fields, is malformed: every such line is
 * named with its number on stderr, nothing is replayed, exit status 2.
 * Other events are ignored (counted). A free of an address the trace never
 * allocated (allocated before the trace began) is counted, not fatal.
 *
 * A SETTING is a comma-separated list of pcp=N (the zones' per-CPU page
 * lists, 0..64, 0 = off; buddy_sim_set_pcp()) and cpu_cache=N (the caches'
 * CPU array bound, 0..128, 0 = off; slab_ext_set_cpu_cache()), or
 * "default" (the layers' own). Events run on CPU id (trace CPU mod 4).
 *
 * Written to OUTDIR (default "."):
 *   samples-a.tsv, samples-b.tsv   one row per sample point (see below)
 *   final.tsv                      the end state, per order, both settings
 */
#include <linux/host_shim.h>
#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>

#include "mm_ext_host.h"

#include <unistd.h>

#define NR_ORDERS		(BUDDY_SIM_MAX_ORDER + 1)
#define REPLAY_KMALLOC_MAX	8192	/* larger kmallocs are page allocations */
#define REPLAY_MAX_CACHES	512
#define REPLAY_MAX_SHOWN	20	/* malformed lines named one by one */

enum ev_kind { EV_PAGE_ALLOC, EV_PAGE_FREE, EV_OBJ_ALLOC, EV_OBJ_FREE };

struct ev {
	u64 key;		/* pfn or ptr */
	double ts;
	unsigned int line;
	unsigned int size;	/* bytes_alloc (object allocations) */
	unsigned char kind;
	unsigned char order;	/* page events */
	unsigned short cpu;
};

static struct ev *evs;
static size_t nr_evs, cap_evs;

/* What the parse found beside the replayed events. */
static struct {
	unsigned long lines, ignored, failed_allocs, null_frees, lost_notes;
	unsigned long by_kind[4];
	unsigned long malformed;
} ps;

/* ---- parsing ---- */

static const char *trace_name;

static void note_malformed(unsigned int line, const char *why, const char *text)
{
	size_t len = strcspn(text, "\n");

	ps.malformed++;
	if (ps.malformed <= REPLAY_MAX_SHOWN)
		fprintf(stderr, "replay: %s:%u: malformed line (%s): %.*s%s\n",
			trace_name, line, why, (int)(len > 120 ? 120 : len), text,
			len > 120 ? "..." : "");
}

/* The value of " name=" in @fields, up to the next blank; NULL if none. */
static const char *field(const char *fields, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const char *p = fields;

	while ((p = strstr(p, name))) {
		if ((p == fields || isspace((unsigned char)p[-1])) && p[n] == '=') {
			p += n + 1;
			*len = strcspn(p, " \t\n");
			return p;
		}
		p += n;
	}
	return NULL;
}

/* An unsigned number of @base in [v, v + len); false unless all of it is. */
static bool parse_num(const char *v, size_t len, int base, u64 *out)
{
	char buf[40], *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, v, len);
	buf[len] = 0;
	if (!isxdigit((unsigned char)buf[0]))
		return false;
	errno = 0;
	*out = strtoull(buf, &end, base);
	return !errno && !*end;
}

/* A pointer as printed: hex with or without 0x, hashed or not; or a NULL. */
static bool parse_ptr(const char *v, size_t len, u64 *out)
{
	if ((len == 6 && !strncmp(v, "(null)", 6)) || (len == 5 && !strncmp(v, "(nil)", 5))) {
		*out = 0;
		return true;
	}
	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		v += 2;
		len -= 2;
	}
	return parse_num(v, len, 16, out);
}

static bool get_num(unsigned int line, const char *text, const char *fields,
		    const char *name, int base, u64 *out)
{
	size_t len;
	const char *v = field(fields, name, &len);
	char why[64];

	if (v && base == 16 && len > 2 && v[0] == '0' && v[1] == 'x') {
		v += 2;
		len -= 2;
	}
	if (v && parse_num(v, len, base, out))
		return true;
	snprintf(why, sizeof(why), v ? "bad %s=" : "no %s=", name);
	note_malformed(line, why, text);
	return false;
}

static bool get_ptr(unsigned int line, const char *text, const char *fields,
		    const char *name, u64 *out)
{
	size_t len;
	const char *v = field(fields, name, &len);
	char why[64];

	if (v && parse_ptr(v, len, out))
		return true;
	snprintf(why, sizeof(why), v ? "bad %s=" : "no %s=", name);
	note_malformed(line, why, text);
	return false;
}

static void add_ev(const struct ev *e)
{
	if (nr_evs == cap_evs) {
		cap_evs = cap_evs ? cap_evs * 2 : 4096;
		evs = realloc(evs, cap_evs * sizeof(*evs));
		if (!evs) {
			fprintf(stderr, "replay: out of memory\n");
			exit(1);
		}
	}
	evs[nr_evs++] = *e;
	ps.by_kind[e->kind]++;
}

/* Lines that are neither events nor malformed: comments and trace-cmd's notes. */
static bool header_line(const char *s)
{
	if (*s == '#' || *s == 0 || *s == '\n')
		return true;
	if (!strncmp(s, "cpus=", 5) || !strncmp(s, "version", 7))
		return true;
	if (!strncmp(s, "CPU", 3) && (strstr(s, "LOST") || strstr(s, "DROPPED") ||
				      strstr(s, "is empty"))) {
		if (!strstr(s, "is empty"))
			ps.lost_notes++;
		return true;
	}
	return false;
}

/*
 * "<comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <secs>.<frac>: <event>: <fields>",
 * as the trace file and trace-cmd report print it.
 */
static void parse_line(unsigned int line, const char *text)
{
	const char *s = text, *p, *q, *ev, *fields;
	char name[64];
	unsigned int cpu;
	double ts;
	size_t n;
	struct ev e = { .line = line };
	u64 v, page;

	while (*s == ' ' || *s == '\t')
		s++;
	if (header_line(s))
		return;
	if (!strncmp(s, "LOST ", 5) || strstr(s, "[LOST ")) {
		ps.lost_notes++;
		return;
	}
	/* The CPU: the first " [digits]" (a comm may hold blanks, not that). */
	for (p = s; (p = strchr(p, '[')); p++) {
		if (p > s && isspace((unsigned char)p[-1]) && isdigit((unsigned char)p[1])) {
			n = strspn(p + 1, "0123456789");
			if (p[1 + n] == ']')
				break;
		}
	}
	if (!p) {
		note_malformed(line, "no [cpu]", text);
		return;
	}
	cpu = strtoul(p + 1, NULL, 10);
	/* The timestamp: the first word after it that is digits.digits and ':'. */
	q = strchr(p, ']') + 1;
	for (;;) {
		q += strspn(q, " \t");
		if (!*q || *q == '\n') {
			note_malformed(line, "no timestamp", text);
			return;
		}
		n = strcspn(q, " \t\n");
		if (n > 1 && q[n - 1] == ':' && isdigit((unsigned char)q[0]) &&
		    strspn(q, "0123456789.") == n - 1 && memchr(q, '.', n))
			break;
		q += n;
	}
	ts = strtod(q, NULL);
	ev = q + n;
	ev += strspn(ev, " \t");
	n = strcspn(ev, " \t\n");
	if (n < 2 || ev[n - 1] != ':' || n > sizeof(name)) {
		note_malformed(line, "no event name", text);
		return;
	}
	memcpy(name, ev, n - 1);
	name[n - 1] = 0;
	fields = ev + n;
	e.ts = ts;
	e.cpu = cpu;

	if (!strcmp(name, "mm_page_alloc") || !strcmp(name, "mm_page_free") ||
	    !strcmp(name, "mm_page_free_batched")) {
		size_t len;
		const char *pv = field(fields, "page", &len);

		/*
		 * trace-cmd cannot evaluate pfn_to_page() in the format and may
		 * print the raw fields instead ("[FAILED TO PARSE] pfn=0x.. order=..",
		 * a failure then being pfn -1): page= is optional.
		 */
		page = 1;
		if (pv && !parse_ptr(pv, len, &page)) {
			note_malformed(line, "bad page=", text);
			return;
		}
		if (!get_num(line, text, fields, "pfn", 16, &e.key) ||
		    !get_num(line, text, fields, "order", 10, &v))
			return;
		if (e.key == ~0ULL)
			page = 0;
		if (v > BUDDY_SIM_MAX_ORDER) {
			note_malformed(line, "order over 10", text);
			return;
		}
		e.order = v;
		if (!strcmp(name, "mm_page_alloc")) {
			if (!page) {	/* failed: page=NULL pfn=0x0 */
				ps.failed_allocs++;
				return;
			}
			e.kind = EV_PAGE_ALLOC;
		} else {
			e.kind = EV_PAGE_FREE;
		}
		add_ev(&e);
		return;
	}
	if (!strcmp(name, "kmalloc") || !strcmp(name, "kmem_cache_alloc") ||
	    !strcmp(name, "kmalloc_node") || !strcmp(name, "kmem_cache_alloc_node")) {
		if (!get_ptr(line, text, fields, "ptr", &e.key) ||
		    !get_num(line, text, fields, "bytes_alloc", 10, &v))
			return;
		if (!v || v > UINT_MAX) {
			note_malformed(line, "bad bytes_alloc=", text);
			return;
		}
		if (!e.key) {
			ps.failed_allocs++;
			return;
		}
		e.size = v;
		e.kind = EV_OBJ_ALLOC;
		add_ev(&e);
		return;
	}
	if (!strcmp(name, "kfree") || !strcmp(name, "kmem_cache_free")) {
		if (!get_ptr(line, text, fields, "ptr", &e.key))
			return;
		if (e.key <= 16) {	/* kfree(NULL) and ZERO_SIZE_PTR are traced too */
			ps.null_frees++;
			return;
		}
		e.kind = EV_OBJ_FREE;
		add_ev(&e);
		return;
	}
	ps.ignored++;
}

static void parse(FILE *f)
{
	char *buf = NULL;
	size_t cap = 0;
	unsigned int line = 0;

	while (getline(&buf, &cap, f) >= 0)
		parse_line(++line, buf);
	ps.lines = line;
	free(buf);
}

/* ---- the address map: trace key -> what replays it ---- */

enum ent_kind { ENT_PAGE, ENT_OBJ, ENT_LARGE, ENT_FAILED };

struct ent {
	u64 key;
	void *addr;
	unsigned int what;	/* order, or cache index */
	unsigned char kind;
	bool used;
};

struct map {
	struct ent *tab;
	size_t cap, nr;
};

static size_t map_slot(const struct map *m, u64 key)
{
	u64 h = key * 0x9e3779b97f4a7c15ULL;

	return (h ^ (h >> 29)) & (m->cap - 1);
}

static struct ent *map_find(struct map *m, u64 key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = map_slot(m, key); m->tab[i].used; i = (i + 1) & (m->cap - 1))
		if (m->tab[i].key == key)
			return &m->tab[i];
	return NULL;
}

static void map_put(struct map *m, const struct ent *e);

static void map_grow(struct map *m)
{
	struct map old = *m;
	size_t i;

	m->cap = m->cap ? m->cap * 2 : 1024;
	m->nr = 0;
	m->tab = calloc(m->cap, sizeof(*m->tab));
	if (!m->tab) {
		fprintf(stderr, "replay: out of memory\n");
		exit(1);
	}
	for (i = 0; i < old.cap; i++)
		if (old.tab[i].used)
			map_put(m, &old.tab[i]);
	free(old.tab);
}

/* @e's key must not be in @m. */
static void map_put(struct map *m, const struct ent *e)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->cap)
		map_grow(m);
	for (i = map_slot(m, e->key); m->tab[i].used; i = (i + 1) & (m->cap - 1))
		;
	m->tab[i] = *e;
	m->tab[i].used = true;
	m->nr++;
}

/* Linear probing's deletion: shift the run after @e back over the hole. */
static void map_del(struct map *m, struct ent *e)
{
	size_t i = e - m->tab, j = i, k;

	for (;;) {
		m->tab[i].used = false;
		for (;;) {
			j = (j + 1) & (m->cap - 1);
			if (!m->tab[j].used) {
				m->nr--;
				return;
			}
			k = map_slot(m, m->tab[j].key);
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		m->tab[i] = m->tab[j];
		i = j;
	}
}

static void map_free(struct map *m)
{
	free(m->tab);
	memset(m, 0, sizeof(*m));
}

/* ---- replay ---- */

struct setting {
	char tag;		/* 'a' or 'b' */
	char text[64];
	int pcp;		/* -1: the zone's own */
	int cpu_cache;		/* -1: the cache's own */
};

struct cache_slot {
	unsigned int size;
	struct slab_ext_cache *cache;
};

struct result {
	struct buddy_sim_info pages, slabs;
	unsigned long active_objs, total_objs, slab_pages, nr_caches;
	unsigned long unknown_page_frees, unknown_obj_frees, order_mismatch;
	unsigned long page_failures, obj_failures, implicit_frees, large_objs;
	unsigned long errors;	/* mm_ext reports during the replay: must be 0 */
	int peak_ui[NR_ORDERS];	/* highest unusable index seen, per order */
};

static unsigned long zone_pages, slab_zone_pages, nr_samples = 200;
static const char *outdir = ".";

static void cache_sums(struct cache_slot *caches, unsigned int nr, struct result *r)
{
	struct slab_ext_info ci;
	unsigned int i;

	r->active_objs = 0;
	r->total_objs = 0;
	r->slab_pages = 0;
	for (i = 0; i < nr; i++) {
		slab_ext_cache_info(caches[i].cache, &ci);
		r->active_objs += ci.active_objs;
		r->total_objs += ci.total_objs;
		r->slab_pages += (ci.nr_full + ci.nr_partial + ci.nr_empty) << ci.order;
	}
	r->nr_caches = nr;
}

static void sample(FILE *f, size_t i, struct buddy_sim *pz, struct buddy_sim *sz,
		   struct cache_slot *caches, unsigned int nr, struct result *r)
{
	unsigned int o;
	int ui;

	buddy_sim_info(pz, &r->pages);
	buddy_sim_info(sz, &r->slabs);
	cache_sums(caches, nr, r);
	fprintf(f, "%zu\t%.6f\t%lu", i, i < nr_evs ? evs[i].ts : nr_evs ? evs[nr_evs - 1].ts : 0,
		r->pages.nr_free_pages);
	for (o = 0; o < NR_ORDERS; o++) {
		ui = buddy_sim_unusable_index(&r->pages, o);
		if (ui > r->peak_ui[o])
			r->peak_ui[o] = ui;
		fprintf(f, "\t%d", ui);
	}
	fprintf(f, "\t%lu", r->slabs.nr_free_pages);
	for (o = 0; o < NR_ORDERS; o++)
		fprintf(f, "\t%d", buddy_sim_unusable_index(&r->slabs, o));
	fprintf(f, "\t%lu\t%lu\t%lu\n", r->active_objs, r->total_objs, r->slab_pages);
}

static struct slab_ext_cache *cache_for(struct cache_slot *caches, unsigned int *nr,
					struct buddy_sim *zone, const struct setting *s,
					unsigned int size, unsigned int *idx)
{
	struct slab_ext_cache *c;
	char name[32];
	unsigned int i;

	for (i = 0; i < *nr; i++)
		if (caches[i].size == size) {
			*idx = i;
			return caches[i].cache;
		}
	if (*nr == REPLAY_MAX_CACHES)
		return NULL;
	snprintf(name, sizeof(name), "rp-%c-%u", s->tag, size);
	c = slab_ext_cache_create(zone, name, size, 0, 0, NULL);
	if (IS_ERR_OR_NULL(c))
		return NULL;
	if (s->cpu_cache >= 0)
		slab_ext_set_cpu_cache(c, s->cpu_cache);
	caches[*nr].size = size;
	caches[*nr].cache = c;
	*idx = (*nr)++;
	return c;
}

static void release(struct ent *e, struct buddy_sim *pz, struct cache_slot *caches)
{
	if (e->kind == ENT_PAGE)
		buddy_sim_free(pz, e->addr, e->what);
	else if (e->kind == ENT_OBJ)
		slab_ext_free(caches[e->what].cache, e->addr);
}

static void run_setting(const struct setting *s, struct result *r)
{
	struct cache_slot caches[REPLAY_MAX_CACHES];
	unsigned int nr_caches = 0, idx = 0;
	struct map pages = { 0 }, objs = { 0 };
	struct buddy_sim *pz, *sz;
	struct slab_ext_cache *c;
	unsigned long reports = mm_ext_host_reports();
	size_t i, every = nr_evs / nr_samples + 1;
	char path[4096];
	struct ent ne, *e;
	FILE *f;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/samples-%c.tsv", outdir, s->tag);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "# setting %c: %s\n# event\ttime\tpages_free", s->tag, s->text);
	for (i = 0; i < NR_ORDERS; i++)
		fprintf(f, "\tpages_ui%zu", i);
	fprintf(f, "\tslabs_free");
	for (i = 0; i < NR_ORDERS; i++)
		fprintf(f, "\tslabs_ui%zu", i);
	fprintf(f, "\tactive_objs\ttotal_objs\tslab_pages\n");

	pz = buddy_sim_create("rp-pages", zone_pages);
	sz = buddy_sim_create("rp-slabs", slab_zone_pages);
	if (IS_ERR_OR_NULL(pz) || IS_ERR_OR_NULL(sz)) {
		fprintf(stderr, "replay: cannot create the zones (%lu, %lu pages)\n",
			zone_pages, slab_zone_pages);
		exit(1);
	}
	if (s->pcp >= 0) {
		buddy_sim_set_pcp(pz, s->pcp);
		buddy_sim_set_pcp(sz, s->pcp);
	}

	for (i = 0; i < nr_evs; i++) {
		const struct ev *ev = &evs[i];

		if (i % every == 0)
			sample(f, i, pz, sz, caches, nr_caches, r);
		mm_ext_host_set_cpu(ev->cpu % nr_cpu_ids);
		switch (ev->kind) {
		case EV_PAGE_ALLOC:
			e = map_find(&pages, ev->key);
			if (e) {	/* its free was lost: free it now */
				r->implicit_frees++;
				release(e, pz, caches);
				map_del(&pages, e);
			}
			ne = (struct ent){ .key = ev->key, .what = ev->order, .kind = ENT_PAGE };
			ne.addr = buddy_sim_alloc(pz, GFP_KERNEL, ev->order);
			if (!ne.addr) {
				r->page_failures++;
				ne.kind = ENT_FAILED;
			}
			map_put(&pages, &ne);
			break;
		case EV_PAGE_FREE:
			e = map_find(&pages, ev->key);
			if (!e) {
				r->unknown_page_frees++;
				break;
			}
			if (e->kind == ENT_PAGE && e->what != ev->order)
				r->order_mismatch++;
			release(e, pz, caches);
			map_del(&pages, e);
			break;
		case EV_OBJ_ALLOC:
			e = map_find(&objs, ev->key);
			if (e) {
				r->implicit_frees++;
				release(e, pz, caches);
				map_del(&objs, e);
			}
			ne = (struct ent){ .key = ev->key, .kind = ENT_LARGE };
			if (ev->size > REPLAY_KMALLOC_MAX) {
				r->large_objs++;
			} else {
				c = cache_for(caches, &nr_caches, sz, s, ev->size, &idx);
				ne.addr = c ? slab_ext_alloc(c, GFP_KERNEL) : NULL;
				ne.what = idx;
				ne.kind = ne.addr ? ENT_OBJ : ENT_FAILED;
				if (!ne.addr)
					r->obj_failures++;
			}
			map_put(&objs, &ne);
			break;
		case EV_OBJ_FREE:
			e = map_find(&objs, ev->key);
			if (!e) {
				r->unknown_obj_frees++;
				break;
			}
			release(e, pz, caches);
			map_del(&objs, e);
			break;
		}
	}
	sample(f, nr_evs, pz, sz, caches, nr_caches, r);
	fclose(f);

	/* What the trace left allocated goes back before the zones go. */
	for (i = 0; i < pages.cap; i++)
		if (pages.tab[i].used)
			release(&pages.tab[i], pz, caches);
	for (i = 0; i < objs.cap; i++)
		if (objs.tab[i].used)
			release(&objs.tab[i], pz, caches);
	map_free(&pages);
	map_free(&objs);
	for (i = 0; i < nr_caches; i++)
		slab_ext_cache_destroy(caches[i].cache);
	buddy_sim_destroy(pz);
	buddy_sim_destroy(sz);
	r->errors = mm_ext_host_reports() - reports;
}

/* ---- sizing, settings, output ---- */

/* Peak live pages of the page events, and peak live object bytes. */
static void peaks(unsigned long *peak_pages, unsigned long *peak_bytes)
{
	struct map m = { 0 };
	unsigned long live_pages = 0, live_bytes = 0;
	struct ent ne, *e;
	size_t i;

	*peak_pages = *peak_bytes = 0;
	for (i = 0; i < nr_evs; i++) {
		const struct ev *ev = &evs[i];
		u64 key = ev->key * 2 + (ev->kind >= EV_OBJ_ALLOC);

		e = map_find(&m, key);
		if (e) {
			if (e->kind == ENT_PAGE)
				live_pages -= 1UL << e->what;
			else
				live_bytes -= e->what;
			map_del(&m, e);
		}
		if (ev->kind == EV_PAGE_ALLOC) {
			ne = (struct ent){ .key = key, .what = ev->order, .kind = ENT_PAGE };
			map_put(&m, &ne);
			live_pages += 1UL << ev->order;
		} else if (ev->kind == EV_OBJ_ALLOC && ev->size <= REPLAY_KMALLOC_MAX) {
			ne = (struct ent){ .key = key, .what = ev->size, .kind = ENT_OBJ };
			map_put(&m, &ne);
			live_bytes += ev->size;
		}
		*peak_pages = max(*peak_pages, live_pages);
		*peak_bytes = max(*peak_bytes, live_bytes);
	}
	map_free(&m);
}

static unsigned long round_blocks(unsigned long pages)
{
	unsigned long block = 1UL << BUDDY_SIM_MAX_ORDER;

	return max((pages + block - 1) / block * block, block);
}

static void parse_setting(const char *arg, struct setting *s)
{
	char buf[64], *tok, *save = NULL, *end;
	long v;

	s->pcp = -1;
	s->cpu_cache = -1;
	snprintf(s->text, sizeof(s->text), "%s", arg);
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "default"))
			continue;
		if (!strncmp(tok, "pcp=", 4)) {
			v = strtol(tok + 4, &end, 10);
			if (*end || end == tok + 4 || v < 0 || v > 64)
				goto bad;
			s->pcp = v;
		} else if (!strncmp(tok, "cpu_cache=", 10)) {
			v = strtol(tok + 10, &end, 10);
			if (*end || end == tok + 10 || v < 0 || v > 128)
				goto bad;
			s->cpu_cache = v;
		} else {
			goto bad;
		}
	}
	return;
bad:
	fprintf(stderr, "replay: bad setting '%s' (want pcp=0..64, cpu_cache=0..128 or default)\n",
		arg);
	exit(1);
}

static void print_pair(const char *what, unsigned long a1, unsigned long a2,
		       unsigned long b1, unsigned long b2)
{
	char a[48], b[48];

	snprintf(a, sizeof(a), "%lu/%lu", a1, a2);
	snprintf(b, sizeof(b), "%lu/%lu", b1, b2);
	printf("%-34s %22s %22s\n", what, a, b);
}

static void print_table(const struct setting *s, const struct result *r)
{
	unsigned int o;
	char path[4096];
	FILE *f;

	printf("\n%-34s %22s %22s\n", "", "A", "B");
	printf("%-34s %22s %22s\n", "setting", s[0].text, s[1].text);
	print_pair("frees of unknown pages/objects", r[0].unknown_page_frees,
		   r[0].unknown_obj_frees, r[1].unknown_page_frees, r[1].unknown_obj_frees);
	print_pair("replay alloc failures pages/objects", r[0].page_failures,
		   r[0].obj_failures, r[1].page_failures, r[1].obj_failures);
	printf("%-34s %22lu %22lu\n", "page frees of another order",
	       r[0].order_mismatch, r[1].order_mismatch);
	printf("%-34s %22lu %22lu\n", "allocations at a live address",
	       r[0].implicit_frees, r[1].implicit_frees);
	printf("%-34s %22lu %22lu\n", "objects > 8192 B (page events)",
	       r[0].large_objs, r[1].large_objs);
	printf("\nzone rp-pages (%lu pages) at the end: free pages %lu | %lu", zone_pages,
	       r[0].pages.nr_free_pages, r[1].pages.nr_free_pages);
	printf(" (in per-CPU lists %lu | %lu)\n", r[0].pages.nr_pcp, r[1].pages.nr_pcp);
	printf("%5s %12s %12s %12s %12s %10s %10s\n", "order", "free blks A", "free blks B",
	       "unusable A", "unusable B", "peak ui A", "peak ui B");
	for (o = 0; o < NR_ORDERS; o++)
		printf("%5u %12lu %12lu %12.3f %12.3f %10.3f %10.3f\n", o,
		       r[0].pages.nr_free[o], r[1].pages.nr_free[o],
		       buddy_sim_unusable_index(&r[0].pages, o) / 1000.0,
		       buddy_sim_unusable_index(&r[1].pages, o) / 1000.0,
		       r[0].peak_ui[o] / 1000.0, r[1].peak_ui[o] / 1000.0);
	printf("\nzone rp-slabs (%lu pages) at the end: free pages %lu | %lu\n",
	       slab_zone_pages, r[0].slabs.nr_free_pages, r[1].slabs.nr_free_pages);
	printf("%5s %12s %12s %12s %12s\n", "order", "free blks A", "free blks B",
	       "unusable A", "unusable B");
	for (o = 0; o < NR_ORDERS; o++)
		printf("%5u %12lu %12lu %12.3f %12.3f\n", o,
		       r[0].slabs.nr_free[o], r[1].slabs.nr_free[o],
		       buddy_sim_unusable_index(&r[0].slabs, o) / 1000.0,
		       buddy_sim_unusable_index(&r[1].slabs, o) / 1000.0);
	printf("\ncaches (%lu size classes) at the end:\n", r[0].nr_caches);
	for (o = 0; o < 2; o++)
		printf("  %c: %lu of %lu objects in use (occupancy %.1f%%), %lu slab pages\n",
		       'A' + o, r[o].active_objs, r[o].total_objs,
		       r[o].total_objs ? 100.0 * r[o].active_objs / r[o].total_objs : 0.0,
		       r[o].slab_pages);

	snprintf(path, sizeof(path), "%s/final.tsv", outdir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "# order\tpages_free_blocks_a\tpages_free_blocks_b\tpages_ui_a\tpages_ui_b\t"
		"slabs_free_blocks_a\tslabs_free_blocks_b\n");
	for (o = 0; o < NR_ORDERS; o++)
		fprintf(f, "%u\t%lu\t%lu\t%d\t%d\t%lu\t%lu\n", o,
			r[0].pages.nr_free[o], r[1].pages.nr_free[o],
			buddy_sim_unusable_index(&r[0].pages, o),
			buddy_sim_unusable_index(&r[1].pages, o),
			r[0].slabs.nr_free[o], r[1].slabs.nr_free[o]);
	fclose(f);
}

static void print_usage(void)
{
	fputs("usage: mm_ext_replay [-a SETTING] [-b SETTING] [-p PAGES] [-s PAGES]", stderr);
	fputs(" [-n SAMPLES] [-o OUTDIR] TRACE\n", stderr);
	exit(1);
}

int main(int argc, char **argv)
{
	struct setting set[2] = { { .tag = 'a' }, { .tag = 'b' } };
	unsigned long peak_pages, peak_bytes;
	struct result res[2];
	FILE *f;
	int opt;

	parse_setting("pcp=0,cpu_cache=0", &set[0]);
	parse_setting("default", &set[1]);
	while ((opt = getopt(argc, argv, "a:b:p:s:n:o:")) != -1) {
		switch (opt) {
		case 'a':
			parse_setting(optarg, &set[0]);
			break;
		case 'b':
			parse_setting(optarg, &set[1]);
			break;
		case 'p':
			zone_pages = strtoul(optarg, NULL, 0);
			break;
		case 's':
			slab_zone_pages = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			nr_samples = strtoul(optarg, NULL, 0);
			if (!nr_samples)
				print_usage();
			break;
		case 'o':
			outdir = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc - 1)
		print_usage();
	trace_name = argv[optind];
	f = strcmp(trace_name, "-") ? fopen(trace_name, "r") : stdin;
	if (!f) {
		perror(trace_name);
		return 1;
	}
	parse(f);
	if (f != stdin)
		fclose(f);
	if (ps.malformed) {
		if (ps.malformed > REPLAY_MAX_SHOWN)
			fprintf(stderr, "replay: %s: ... and %lu more\n", trace_name,
				ps.malformed - REPLAY_MAX_SHOWN);
		fprintf(stderr, "replay: %s: %lu malformed lines: refused, nothing replayed\n",
			trace_name, ps.malformed);
		return 2;
	}
	if (!nr_evs) {
		fprintf(stderr, "replay: %s: no kmem events to replay", trace_name);
		fprintf(stderr, " (%lu lines, %lu other events)\n", ps.lines, ps.ignored);
		return 2;
	}
	peaks(&peak_pages, &peak_bytes);
	/* Twice the peak: room to fragment, as a real zone has. */
	if (!zone_pages)
		zone_pages = round_blocks(2 * peak_pages);
	if (!slab_zone_pages)
		slab_zone_pages = round_blocks(2 * DIV_ROUND_UP(peak_bytes, PAGE_SIZE) + 1024);

	printf("replay: %s: %lu lines; replaying %zu events:", trace_name, ps.lines, nr_evs);
	printf(" %lu page allocs, %lu page frees,", ps.by_kind[EV_PAGE_ALLOC],
	       ps.by_kind[EV_PAGE_FREE]);
	printf(" %lu object allocs, %lu object frees\n", ps.by_kind[EV_OBJ_ALLOC],
	       ps.by_kind[EV_OBJ_FREE]);
	printf("replay: not replayed: %lu other events, %lu failed allocations,",
	       ps.ignored, ps.failed_allocs);
	printf(" %lu frees of NULL, %lu lost-event notes\n", ps.null_frees, ps.lost_notes);
	printf("replay: peak live: %lu pages (page events), %lu bytes (objects);",
	       peak_pages, peak_bytes);
	printf(" zones: rp-pages %lu pages, rp-slabs %lu pages\n", zone_pages, slab_zone_pages);

	mm_ext_host_quiet(true);
	mm_ext_host_init(1024);
	run_setting(&set[0], &res[0]);
	run_setting(&set[1], &res[1]);
	mm_ext_host_exit();
	print_table(set, res);
	if (res[0].errors || res[1].errors || mm_ext_host_warnings()) {
		fprintf(stderr, "replay: mm_ext made %lu + %lu reports and %lu warnings",
			res[0].errors, res[1].errors, mm_ext_host_warnings());
		fprintf(stderr, " (last: %s)\n", mm_ext_host_last_report());
		return 1;
	}
	return 0;
}
