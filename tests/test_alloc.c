/* test_alloc.c - allocation failure anywhere is reported as what it is.
 *
 * malloc, calloc, realloc and strdup are wrapped at link time
 * (-Wl,--wrap=..., tests/meson.build) for the simulator, the Raft nodes, the
 * checker and the scenario runner.  A short scenario with clients, faults,
 * a slow disk and log compaction is run once counting its allocations,
 * then once per allocation with exactly that one failing.  Every run must
 * end either with the normal result (same verdict, same events, same trace)
 * or as out of memory (scn_runner_halt() == SIM_ENOMEM, an "OOM" line): never
 * a safety violation, never a different clean result, never a crash. */
#include <criterion/criterion.h>

#include "scn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The wrapped allocator ---------------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static bool counting;        /* count (and maybe fail) allocations */
static unsigned long n_allocs; /* allocations seen while counting */
static unsigned long fail_at;  /* the one to fail (1-based); 0: none */
static unsigned long n_failed;

static bool fail_now(void)
{
	if (!counting)
		return false;
	n_allocs++;
	if (n_allocs == fail_at) {
		n_failed++;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
	return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = __wrap_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- One run ------------------------------------------------------------ */

static const char script[] =
    "cluster nodes=3 seed=7\n"
    "set snapshot=3 trailing=1 disk=1ms duplicate=10% drop=5%\n"
    "run until leader within 5s\n"
    "client put a=1\n"
    "client put b=2\n"
    "run 300ms\n"
    "isolate leader\n"
    "client put c=3\n"
    "run 600ms\n"
    "heal\n"
    "crash n1\n"
    "client putmany 12 k\n"
    "run 500ms\n"
    "restart n1\n"
    "run until committed k11=11 on all within 5s\n"
    "expect logs-match\n";

struct outcome {
	bool created;
	int status;
	int halt;
	char error[1024];
	uint64_t events;
	int64_t now_us;
	uint64_t trace_hash;
	uint64_t trace_lines;
};

static void hash_trace(void *ctx, const struct sim_trace *t)
{
	struct outcome *o = ctx;
	char line[1024];
	size_t n = sim_trace_format(t, SIM_TRACE_TEXT, line, sizeof line);
	for (size_t i = 0; i < n; i++)
		o->trace_hash = (o->trace_hash ^ (unsigned char)line[i]) * 0x100000001b3ull;
	o->trace_lines++;
}

static void run_once(const struct scn_script *s, unsigned long fail, struct outcome *o)
{
	memset(o, 0, sizeof *o);
	o->trace_hash = 0xcbf29ce484222325ull;
	struct scn_options opt = {.trace_fn = hash_trace, .trace_ctx = o};
	n_allocs = 0;
	fail_at = fail;
	counting = true;
	struct scn_runner *r = scn_runner_new(s, &opt);
	if (r) {
		o->created = true;
		o->status = scn_runner_run_all(r);
	}
	counting = false;
	if (r) {
		o->halt = scn_runner_halt(r);
		snprintf(o->error, sizeof o->error, "%s", scn_runner_error(r));
		o->events = sim_counters(scn_runner_sim(r))->events;
		o->now_us = sim_now_us(scn_runner_sim(r));
		scn_runner_free(r);
	}
}

static struct scn_script *load(void)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("alloc.scn", script, strlen(script), err, sizeof err);
	cr_assert(s, "%s", err);
	return s;
}

Test(alloc, the_reference_run_passes)
{
	struct scn_script *s = load();
	struct outcome ref;
	run_once(s, 0, &ref);
	cr_assert(ref.created);
	cr_assert_eq(ref.status, SCN_DONE, "%s", ref.error);
	cr_assert_eq(ref.halt, SIM_OK);
	cr_assert_gt(n_allocs, 50, "only %lu allocations", n_allocs);
	scn_script_free(s);
}

Test(alloc, every_allocation_failing_once_is_out_of_memory_or_harmless, .timeout = 300)
{
	struct scn_script *s = load();
	struct outcome ref, o;
	run_once(s, 0, &ref);
	cr_assert_eq(ref.status, SCN_DONE, "%s", ref.error);
	unsigned long total = n_allocs, oom = 0, same = 0;
	for (unsigned long k = 1; k <= total; k++) {
		n_failed = 0;
		run_once(s, k, &o);
		if (!n_failed) { /* the run took another path before k: fine */
			cr_assert_eq(o.status, ref.status);
			same++;
			continue;
		}
		if (!o.created) { /* scn_runner_new() reports allocation failure as NULL */
			oom++;
			continue;
		}
		if (o.halt == SIM_ENOMEM) {
			cr_assert_eq(o.status, SCN_FAILED, "allocation %lu: OOM but status %d", k,
			             o.status);
			cr_assert(!strncmp(o.error, "OOM ", 4), "allocation %lu: '%s'", k, o.error);
			cr_assert(strstr(o.error, "out of memory at "), "allocation %lu: '%s'", k,
			          o.error);
			oom++;
			continue;
		}
		/* anything else must be the normal result, exactly */
		cr_assert_neq(o.halt, SIM_ESTOPPED,
		              "allocation %lu of %lu failing was reported as a violation: %s", k,
		              total, o.error);
		cr_assert_eq(o.status, ref.status, "allocation %lu: status %d, want %d: %s", k,
		             o.status, ref.status, o.error);
		cr_assert_str_eq(o.error, ref.error, "allocation %lu", k);
		cr_assert_eq(o.events, ref.events,
		             "allocation %lu of %lu failing silently changed the run: %llu events, "
		             "want %llu", k, total, (unsigned long long)o.events,
		             (unsigned long long)ref.events);
		cr_assert_eq(o.trace_hash, ref.trace_hash,
		             "allocation %lu of %lu failing silently changed the trace", k, total);
		same++;
	}
	cr_log_info("%lu allocations: %lu out of memory, %lu harmless", total, oom, same);
	cr_assert_gt(oom, total / 2, "most failures must be reported (%lu of %lu)", oom, total);
	scn_script_free(s);
}
